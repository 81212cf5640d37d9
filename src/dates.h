/*
 * dates.h: date strings as found in feeds -> UTC seconds (pure).
 *
 * Accepts RFC 822/1123/2822 (with or without weekday and seconds, two- or
 * four-digit years, numeric offsets "+0530"/"+05:30", named zones GMT, UT,
 * UTC, Z, the US zones EST/EDT/CST/CDT/MST/MDT/PST/PDT, military letters,
 * and the zones common in news feeds such as IST = +05:30), RFC 3339 /
 * ISO 8601 (with "T" or a space, fractions, "Z" or offsets, date only),
 * and the broken variants found in the wild (full month and weekday names,
 * missing commas, "a.m."/"p.m.", 12-hour clocks, extra whitespace, trailing
 * garbage after a complete date).
 */
#ifndef DATELINE_DATES_H
#define DATELINE_DATES_H

#include <stdint.h>
#include <time.h>

/* A time that is not known (absent or unparseable). */
#define DATE_UNSET ((int64_t)INT64_MIN)

/* Length of an RFC 3339 UTC string "2024-06-19T01:05:00Z" plus NUL. */
#define DATE_RFC3339_LEN 21

/*
 * Parses s.  A time without a zone is taken in the IANA zone tz (NULL or ""
 * means UTC).  Returns 0 and sets *out to seconds since the epoch (UTC), or
 * -1 when s is not a date it understands (then *out is untouched).
 */
int date_parse(const char *s, const char *tz, int64_t *out);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ"; t must not be DATE_UNSET. */
void date_format(int64_t t, char out[DATE_RFC3339_LEN]);

/* Nonzero when name is a known IANA time zone ("UTC" and "Asia/Kolkata" are). */
int date_tz_exists(const char *name);

#endif

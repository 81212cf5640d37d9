/*
 * schedule.h: when e-paper editions appear, and which are due (pure).
 *
 * A schedule is "daily HH:MM" or a list of days with a time, "mon-sat
 * 05:30", "mon,wed,fri 06:00" (days: mon tue wed thu fri sat sun, ranges
 * with '-'): the edition of a date appears at that local time in the
 * feed's zone.  A time that does not exist on a date (a DST gap) is read
 * as the first moment after it.
 */
#ifndef DATELINE_SCHEDULE_H
#define DATELINE_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

struct edition_schedule {
	unsigned days;          /* bit 0 Sunday .. bit 6 Saturday */
	int minute;             /* minutes after local midnight, 0..1439 */
};

struct edition_date {
	int year, month, day;
};

/* Length of "YYYY-MM-DD" plus NUL. */
#define EDITION_DATE_LEN 11

/* Parses s into *out.  0, or -1 when s is not a schedule. */
int schedule_parse(const char *s, struct edition_schedule *out);

/* Writes the canonical spelling ("daily 05:00", "mon-sat 05:30"). */
void schedule_format(const struct edition_schedule *s, char *out, size_t size);

/*
 * The dates whose editions are due at now in the IANA zone tz: today's if
 * its time has come, and those of the backfill days before it, newest
 * first, only days the schedule names.  Returns how many were written
 * (at most max); 0 as well when tz is unknown.
 */
size_t schedule_due(const struct edition_schedule *s, const char *tz, int backfill,
    int64_t now, struct edition_date *out, size_t max);

/*
 * Seconds from now until the next edition appears (at most eight days);
 * -1 when the zone is unknown.
 */
double schedule_next(const struct edition_schedule *s, const char *tz, int64_t now);

/* "YYYY-MM-DD". */
void edition_date_format(const struct edition_date *d, char out[EDITION_DATE_LEN]);

#endif

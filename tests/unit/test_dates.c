/*
 * test_dates.c: date strings from real feeds -> RFC 3339 UTC.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "tap.h"
#include "util.h"

struct date_case {
	const char *in;
	const char *tz;		/* zone for times without one; NULL = UTC */
	const char *want;	/* NULL: must be refused */
};

static const struct date_case accepted[] = {
	/* RFC 822 / 1123 / 2822 */
	{ "Wed, 19 Jun 2024 06:35:00 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 +0000", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 -0000", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 GMT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 UT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 UTC", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 Z", NULL, "2024-06-19T01:05:00Z" },
	{ "19 Jun 2024 01:05:00 GMT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05 GMT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 24 01:05:00 GMT", NULL, "2024-06-19T01:05:00Z" },
	{ "Sat, 19 Jun 99 01:05:00 GMT", NULL, "1999-06-19T01:05:00Z" },
	{ "Sat, 19 Jun 099 01:05:00 GMT", NULL, "1999-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 +0530", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 +05:30", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 21:05:00 -0400", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 21:05:00 EDT", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 20:05:00 EST", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 20:05:00 CDT", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 19:05:00 CST", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 19:05:00 MDT", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 18:05:00 MST", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 18:05:00 PDT", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 17:05:00 PST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 A", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 N", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 +0000 (UTC)", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 +0530 (IST)", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 21:05:00 -0400 (EDT)", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 (IST)", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 +05:30 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Thu, 29 Feb 2024 12:00:00 GMT", NULL, "2024-02-29T12:00:00Z" },
	{ "Tue, 29 Feb 2000 00:00:00 GMT", NULL, "2000-02-29T00:00:00Z" },
	{ "Sun, 31 Dec 2023 23:59:60 GMT", NULL, "2024-01-01T00:00:00Z" },
	{ "Thu, 01 Jan 1970 00:00:00 GMT", NULL, "1970-01-01T00:00:00Z" },
	{ "Mon, 1 Jan 2024 00:00:00 +1400", NULL, "2023-12-31T10:00:00Z" },
	{ "Mon, 1 Jan 2024 00:00:00 -1200", NULL, "2024-01-01T12:00:00Z" },

	/* news-feed zones */
	{ "Wed, 19 Jun 2024 02:05:00 BST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 02:05:00 CET", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 03:05:00 CEST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 03:05:00 EET", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 04:05:00 EEST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 04:05:00 MSK", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:05:00 PKT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:50:00 NPT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 08:05:00 WIB", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 09:05:00 HKT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 09:05:00 SGT", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 10:05:00 JST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 10:05:00 KST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 11:05:00 AEST", NULL, "2024-06-19T01:05:00Z" },
	{ "Fri, 19 Jan 2024 12:05:00 AEDT", NULL, "2024-01-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 ist", NULL, "2024-06-19T01:05:00Z" },
	{ "WED, 19 JUN 2024 06:35:00 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 GMT+0530", NULL, "2024-06-19T01:05:00Z" },
	{ "19 Jun 2024 06:35 GMT+5:30", NULL, "2024-06-19T01:05:00Z" },
	{ "19 Jun 2024 06:35:00 UTC+05:30", NULL, "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 21:05:00 ET", NULL, "2024-06-19T01:05:00Z" },
	{ "Thu, 18 Jan 2024 20:05:00 ET", NULL, "2024-01-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 18:05:00 PT", NULL, "2024-06-19T01:05:00Z" },

	/* RFC 3339 / ISO 8601 */
	{ "2024-06-19T01:05:00Z", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19t01:05:00z", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T06:35:00+05:30", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T06:35:00+0530", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-18T21:05:00-04:00", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T01:05:00.123Z", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T01:05:00.123456789+00:00", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T06:35:00,5+05:30", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19 01:05:00Z", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19 06:35:00 +05:30", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T01:05:00 UTC", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T01:05Z", NULL, "2024-06-19T01:05:00Z" },
	{ "20240619T010500Z", NULL, "2024-06-19T01:05:00Z" },
	{ "20240619T0635+0530", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19T24:00:00Z", NULL, "2024-06-20T00:00:00Z" },
	{ "2024-06-19", NULL, "2024-06-19T00:00:00Z" },
	{ "2024-02-29", NULL, "2024-02-29T00:00:00Z" },
	{ "0000-01-01T00:00:00Z", NULL, "0000-01-01T00:00:00Z" },
	{ "9999-12-31T23:59:59Z", NULL, "9999-12-31T23:59:59Z" },

	/* zone-less times in the feed's zone */
	{ "2024-06-19T06:35:00", NULL, "2024-06-19T06:35:00Z" },
	{ "2024-06-19T06:35:00", "", "2024-06-19T06:35:00Z" },
	{ "2024-06-19T06:35:00", "UTC", "2024-06-19T06:35:00Z" },
	{ "2024-06-19T06:35:00", "Asia/Kolkata", "2024-06-19T01:05:00Z" },
	{ "2024-06-19T06:35", "Asia/Kolkata", "2024-06-19T01:05:00Z" },
	{ "2024-06-19", "Asia/Kolkata", "2024-06-18T18:30:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00", "Asia/Kolkata", "2024-06-19T01:05:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00", NULL, "2024-06-19T06:35:00Z" },
	{ "Wed, 19 Jun 2024 06:35:00 IST", "America/New_York", "2024-06-19T01:05:00Z" },
	{ "Tue, 18 Jun 2024 21:05:00", "America/New_York", "2024-06-19T01:05:00Z" },
	{ "2024-06-18T21:05:00", "America/New_York", "2024-06-19T01:05:00Z" },
	{ "Thu, 18 Jan 2024 20:05:00", "America/New_York", "2024-01-19T01:05:00Z" },
	{ "2024-01-18 20:05", "America/New_York", "2024-01-19T01:05:00Z" },
	{ "2024-03-10T01:30:00", "America/New_York", "2024-03-10T06:30:00Z" },
	{ "2024-03-10T03:30:00", "America/New_York", "2024-03-10T07:30:00Z" },
	{ "2024-11-02T23:00:00", "America/New_York", "2024-11-03T03:00:00Z" },
	{ "2024-11-03T03:00:00", "America/New_York", "2024-11-03T08:00:00Z" },
	{ "2024-03-31T00:30:00", "Europe/London", "2024-03-31T00:30:00Z" },
	{ "2024-03-31T03:30:00", "Europe/London", "2024-03-31T02:30:00Z" },
	{ "2024-06-19 09:05", "Asia/Tokyo", "2024-06-19T00:05:00Z" },

	/* what real feeds and pages do */
	{ "June 19, 2024 06:35 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "June 19, 2024 6:35 AM IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Jun 19, 2024 6:35 PM IST", NULL, "2024-06-19T13:05:00Z" },
	{ "19 Jun 2024 6:35 PM", NULL, "2024-06-19T18:35:00Z" },
	{ "19 Jun 2024 6:35PM", NULL, "2024-06-19T18:35:00Z" },
	{ "19 Jun 2024 6:35 p.m.", NULL, "2024-06-19T18:35:00Z" },
	{ "19 Jun 2024 6:35 a.m. IST", NULL, "2024-06-19T01:05:00Z" },
	{ "19 Jun 2024 12:05 AM", NULL, "2024-06-19T00:05:00Z" },
	{ "19 Jun 2024 12:05 PM", NULL, "2024-06-19T12:05:00Z" },
	{ "19 Jun 2024 18:35 PM", NULL, "2024-06-19T18:35:00Z" },
	{ "Jun 19, 2024 6pm", NULL, "2024-06-19T18:00:00Z" },
	{ "June 19th, 2024 at 6:35 PM", NULL, "2024-06-19T18:35:00Z" },
	{ "19th of June 2024", NULL, "2024-06-19T00:00:00Z" },
	{ "Sept. 19, 2024, 6:35 p.m. ET", NULL, "2024-09-19T22:35:00Z" },
	{ "Jan. 5, 2024, 6:35 p.m. ET", NULL, "2024-01-05T23:35:00Z" },
	{ "Updated: June 19, 2024 06:35 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Jun 19, 2024 | 06:35 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Jun 19, 2024 @ 6:35 pm", NULL, "2024-06-19T18:35:00Z" },
	{ "19 June 2024, 06:35 hrs IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wednesday, 19 June 2024 06:35:00 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wednesday, June 19, 2024 - 06:35", "Asia/Kolkata", "2024-06-19T01:05:00Z" },
	{ "Wed,19 Jun 2024 06:35:00 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed 19 Jun 2024 06:35:00 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "  Wed,   19  Jun   2024   06:35:00   IST  ", NULL, "2024-06-19T01:05:00Z" },
	{ "\tWed, 19 Jun 2024\n06:35:00 IST\r\n", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed Jun 19 01:05:00 2024", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed Jun 19 06:35:00 IST 2024", NULL, "2024-06-19T01:05:00Z" },
	{ "Wed Jun 19 2024 06:35:00 GMT+0530 (India Standard Time)", NULL,
	    "2024-06-19T01:05:00Z" },
	{ "19-06-2024", NULL, "2024-06-19T00:00:00Z" },
	{ "19-06-2024 06:35", "Asia/Kolkata", "2024-06-19T01:05:00Z" },
	{ "19-06-24 06:35 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "19/06/2024 06:35 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "06/07/2024", NULL, "2024-07-06T00:00:00Z" },
	{ "06/19/2024 01:05", NULL, "2024-06-19T01:05:00Z" },
	{ "19.06.2024 06:35 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "2024/06/19 06:35", "Asia/Kolkata", "2024-06-19T01:05:00Z" },
	{ "2024/06/19 06:35 +0530", NULL, "2024-06-19T01:05:00Z" },
	{ "19-Jun-2024 06:35:00 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "Jun-19-2024", NULL, "2024-06-19T00:00:00Z" },
	{ "19 Jun 2024", NULL, "2024-06-19T00:00:00Z" },
	{ "Jun 19 2024", NULL, "2024-06-19T00:00:00Z" },
	{ "19Jun2024", NULL, "2024-06-19T00:00:00Z" },
	{ "Wed, 19 Jun 2024 01:05:00 GMT trailing garbage", NULL,
	    "2024-06-19T01:05:00Z" },
	{ "2024-06-19T01:05:00Z<br/>", NULL, "2024-06-19T01:05:00Z" },
	{ "19 Jun 2024 06:35 IST, updated 07:40 IST", NULL, "2024-06-19T01:05:00Z" },
	{ "2024-06-19 (draft)", NULL, "2024-06-19T00:00:00Z" },
};

static const struct date_case refused[] = {
	{ "", NULL, NULL },
	{ "   ", NULL, NULL },
	{ "garbage", NULL, NULL },
	{ "yesterday", NULL, NULL },
	{ "N/A", NULL, NULL },
	{ "2024-02-30", NULL, NULL },
	{ "2023-02-29", NULL, NULL },
	{ "1900-02-29", NULL, NULL },
	{ "Feb 30, 2024", NULL, NULL },
	{ "32 Jun 2024", NULL, NULL },
	{ "31 Jun 2024", NULL, NULL },
	{ "0 Jun 2024", NULL, NULL },
	{ "2024-13-01", NULL, NULL },
	{ "2024-00-10", NULL, NULL },
	{ "2024-06-00", NULL, NULL },
	{ "2024-06", NULL, NULL },
	{ "19 Jun 2024 25:00", NULL, NULL },
	{ "2024-06-19T25:00:00Z", NULL, NULL },
	{ "2024-06-19T24:00:01Z", NULL, NULL },
	{ "2024-06-19T24:30:00Z", NULL, NULL },
	{ "2024-06-19T12:60:00Z", NULL, NULL },
	{ "2024-06-19T12:00:61Z", NULL, NULL },
	{ "19 Jun 2024 06:3", NULL, NULL },
	{ "19 Jun 2024 6:035", NULL, NULL },
	{ "2024-06-19T06:35:00+25:00", NULL, NULL },
	{ "2024-06-19T06:35:00+05:60", NULL, NULL },
	{ "2024-06-19T06:35:00+05:3", NULL, NULL },
	{ "19 Jnu 2024", NULL, NULL },
	{ "19 Juen 2024", NULL, NULL },
	{ "Wed, 19 Junee 2024 06:35:00 GMT", NULL, NULL },
	{ "Wed, 19 Jun", NULL, NULL },
	{ "June 2024", NULL, NULL },
	{ "06:35:00 IST", NULL, NULL },
	{ "19 Jun 2024 13:05 AM", NULL, NULL },
	{ "19 Jun 2024 0:05 PM", NULL, NULL },
	{ "Wed, 19 Jun 5 06:35:00 GMT", NULL, NULL },
	{ "Wed, 19 Jun 10000 06:35:00 GMT", NULL, NULL },
	{ "12345678901234567890", NULL, NULL },
	{ "19/06", NULL, NULL },
	{ "2024-06-19T06:35:00", "Mars/Olympus_Mons", NULL },
	{ "2024-06-19T06:35:00", "../../../etc/passwd", NULL },
	{ "2024-06-19T06:35:00", "/usr/share/zoneinfo/UTC", NULL },
};

/* s with control characters escaped, so that a TAP line stays one line. */
static const char *
show(const char *s)
{
	static char out[256];
	size_t n = 0;

	for (; *s != '\0' && n < sizeof(out) - 3; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t') {
			out[n++] = '\\';
			out[n++] = *s == '\n' ? 'n' : *s == '\r' ? 'r' : 't';
		} else
			out[n++] = *s;
	}
	out[n] = '\0';
	return out;
}

static void
test_table(void)
{
	char got[DATE_RFC3339_LEN];
	size_t i;
	int64_t t;
	int rc;

	for (i = 0; i < ARRAY_LEN(accepted); i++) {
		t = DATE_UNSET;
		rc = date_parse(accepted[i].in, accepted[i].tz, &t);
		if (rc == 0)
			date_format(t, got);
		else
			strcpy(got, "(refused)");
		is_str(got, accepted[i].want, "date_parse(\"%s\", %s)",
		    show(accepted[i].in), accepted[i].tz ? accepted[i].tz : "NULL");
	}
	for (i = 0; i < ARRAY_LEN(refused); i++) {
		t = 42;
		rc = date_parse(refused[i].in, refused[i].tz, &t);
		ok(rc == -1 && t == 42, "refuses \"%s\" (%s), *out untouched",
		    show(refused[i].in), refused[i].tz ? refused[i].tz : "NULL");
	}
	t = 42;
	ok(date_parse(NULL, NULL, &t) == -1 && t == 42, "refuses NULL");
}

static void
test_format(void)
{
	char got[DATE_RFC3339_LEN];

	date_format(0, got);
	is_str(got, "1970-01-01T00:00:00Z", "format epoch");
	date_format(1718759100, got);
	is_str(got, "2024-06-19T01:05:00Z", "format 2024");
	date_format(-1, got);
	is_str(got, "1969-12-31T23:59:59Z", "format before the epoch");
	date_format(951782400, got);
	is_str(got, "2000-02-29T00:00:00Z", "format leap day 2000");
	date_format(-62167219200LL, got);
	is_str(got, "0000-01-01T00:00:00Z", "format year 0");
	date_format(253402300799LL, got);
	is_str(got, "9999-12-31T23:59:59Z", "format year 9999");
	date_format(253402300800LL, got);
	is_str(got, "9999-12-31T23:59:59Z", "format clamps after 9999");
	date_format(INT64_MAX, got);
	is_str(got, "9999-12-31T23:59:59Z", "format clamps INT64_MAX");
	date_format(DATE_UNSET, got);
	is_str(got, "0000-01-01T00:00:00Z", "format clamps DATE_UNSET");
	is_int(strlen(got), DATE_RFC3339_LEN - 1, "format length");
}

/* Every day from 1600 to 2400 round-trips through parse and format. */
static void
test_round_trip(void)
{
	char s[DATE_RFC3339_LEN], back[DATE_RFC3339_LEN];
	int64_t t, u;
	int bad = 0;

	for (t = -11676096000LL; t < 13569465600LL; t += 86400 - 7) {
		date_format(t, s);
		if (date_parse(s, NULL, &u) != 0 || u != t) {
			date_format(u, back);
			if (bad++ == 0)
				printf("# %s -> %s\n", s, back);
		}
	}
	is_int(bad, 0, "format/parse round trip, 1600-2400");
}

static void
test_tz_env(void)
{
	int64_t t;
	const char *tz;

	/* The caller's TZ comes back, whether it was set or not. */
	setenv("TZ", "Europe/Paris", 1);
	ok(date_parse("2024-06-19 06:35", "Asia/Kolkata", &t) == 0 &&
	    t == 1718759100, "parse with TZ set elsewhere");
	tz = getenv("TZ");
	is_str(tz, "Europe/Paris", "TZ restored");
	ok(date_parse("2024-06-19 08:35", "Europe/Paris", &t) == 0 &&
	    t == 1718778900, "parse in the zone TZ already names");
	is_str(getenv("TZ"), "Europe/Paris", "TZ unchanged");
	unsetenv("TZ");
	ok(date_parse("2024-06-19 06:35", "Asia/Kolkata", &t) == 0 &&
	    t == 1718759100, "parse with TZ unset");
	ok(getenv("TZ") == NULL, "TZ unset again");
	/* Alternating zones, as two feeds' items would. */
	ok(date_parse("2024-06-18 21:05", "America/New_York", &t) == 0 &&
	    t == 1718759100, "New York after Kolkata");
	ok(date_parse("2024-06-19 06:35", "Asia/Kolkata", &t) == 0 &&
	    t == 1718759100, "Kolkata after New York");
}

static void
test_tz_exists(void)
{
	ok(date_tz_exists("UTC"), "UTC exists");
	ok(date_tz_exists("Asia/Kolkata"), "Asia/Kolkata exists");
	ok(date_tz_exists("America/New_York"), "America/New_York exists");
	ok(date_tz_exists("Etc/GMT+5"), "Etc/GMT+5 exists");
	ok(date_tz_exists("America/Port-au-Prince"), "America/Port-au-Prince exists");
	ok(!date_tz_exists(NULL), "NULL does not");
	ok(!date_tz_exists(""), "empty does not");
	ok(!date_tz_exists("Asia/Kolkatta"), "misspelt zone does not");
	ok(!date_tz_exists("Mars/Olympus_Mons"), "made-up zone does not");
	ok(!date_tz_exists("Asia"), "a folder does not");
	ok(!date_tz_exists("Asia/"), "trailing slash does not");
	ok(!date_tz_exists("/usr/share/zoneinfo/UTC"), "absolute path does not");
	ok(!date_tz_exists("../zoneinfo/UTC"), "'..' does not");
	ok(!date_tz_exists("Asia/../UTC"), "inner '..' does not");
	ok(!date_tz_exists("Asia//Kolkata"), "empty component does not");
	ok(!date_tz_exists("zone.tab"), "'.' is not a zone character");
	ok(!date_tz_exists("IST-5:30"), "POSIX TZ string does not");
	ok(!date_tz_exists("Asia/Kolkata "), "trailing space does not");
	ok(!date_tz_exists("right/UTC"), "leap-second zones do not");

	/* $TZDIR is honoured: an empty folder knows only "UTC". */
	setenv("TZDIR", "/nonexistent", 1);
	ok(!date_tz_exists("Asia/Kolkata"), "TZDIR honoured");
	ok(date_tz_exists("UTC"), "UTC without a zone folder");
	unsetenv("TZDIR");
}

int
main(void)
{
	ok(ARRAY_LEN(accepted) >= 80, "at least 80 accepted cases (%zu)",
	    ARRAY_LEN(accepted));
	ok(ARRAY_LEN(refused) >= 20, "at least 20 refused cases (%zu)",
	    ARRAY_LEN(refused));
	test_table();
	test_format();
	test_round_trip();
	test_tz_env();
	test_tz_exists();
	return tap_done();
}

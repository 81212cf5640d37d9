/*
 * dates.c: date strings as found in feeds -> UTC seconds.
 *
 * One tolerant scanner handles every format.  It walks the string token by
 * token (numbers, words, signs) and fills in the fields it recognises in
 * whatever order they come: "19 Jun 2024", "Jun 19, 2024", "2024-06-19T",
 * "Wed Jun 19 06:35:00 2024" all land in the same struct.  A token it does
 * not understand ends the scan: if a whole date has been seen by then, the
 * rest is ignored as trailing garbage, otherwise the string is refused.  A
 * token that looks like a time or an offset but is malformed refuses the
 * string outright, so "06:3" never silently becomes midnight.
 *
 * Every field is then range-checked; nothing is normalised behind the
 * caller's back ("30 Feb" is an error, not "1 Mar").  The only values
 * carried over are the two RFC 3339 allows: 24:00 (end of day) and second
 * 60 (a leap second), which both roll over into the next minute or day.
 */
#include "dates.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what date_format can show. */
#define DATE_MIN (-62167219200LL)
#define DATE_MAX (253402300799LL)

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_NAME_MAX 255

/* What the scanner found; -1 (or NULL) marks a field not seen. */
struct fields {
	int year, year_digits;
	int mon, day;
	int hour, min, sec;
	int ampm;		/* 0, 'a' or 'p' */
	int zoned;		/* a zone was given: offset or tz applies */
	int offset;		/* seconds east of UTC */
	const char *tz;		/* a zone name that follows DST ("ET") */
};

/* What each scan step tells the loop. */
enum step {
	STEP_NEXT,		/* token consumed, go on */
	STEP_STOP,		/* token not understood: end of the date */
	STEP_FAIL,		/* token malformed: refuse the string */
};

struct zone {
	const char *name;	/* lower case */
	int minutes;		/* east of UTC */
	const char *iana;	/* non-NULL: follows this zone's DST instead */
};

/*
 * Zone abbreviations.  They are not unique worldwide, so each stands for
 * the zone a news feed most likely means.
 * NOTE: IST is India (+05:30), not Ireland or Israel; BST is British Summer
 * Time; CST is US Central (RFC 822), not China; AST is Atlantic.  "ET",
 * "CT", "MT" and "PT" (US newsroom style) mean whatever the US zone is
 * observing on that date, so they convert through the IANA zone.
 */
static const struct zone zones[] = {
	{ "gmt", 0, NULL }, { "ut", 0, NULL }, { "utc", 0, NULL },
	{ "z", 0, NULL }, { "wet", 0, NULL },
	{ "bst", 60, NULL }, { "west", 60, NULL }, { "ist", 330, NULL },
	{ "cet", 60, NULL }, { "cest", 120, NULL }, { "met", 60, NULL },
	{ "mest", 120, NULL }, { "mez", 60, NULL }, { "mesz", 120, NULL },
	{ "wat", 60, NULL }, { "cat", 120, NULL }, { "sast", 120, NULL },
	{ "eet", 120, NULL }, { "eest", 180, NULL }, { "eat", 180, NULL },
	{ "idt", 180, NULL }, { "msk", 180, NULL }, { "gst", 240, NULL },
	{ "pkt", 300, NULL }, { "npt", 345, NULL }, { "ict", 420, NULL },
	{ "wib", 420, NULL }, { "wita", 480, NULL }, { "wit", 540, NULL },
	{ "hkt", 480, NULL }, { "sgt", 480, NULL }, { "myt", 480, NULL },
	{ "pht", 480, NULL }, { "awst", 480, NULL }, { "jst", 540, NULL },
	{ "kst", 540, NULL }, { "acst", 570, NULL }, { "acdt", 630, NULL },
	{ "aest", 600, NULL }, { "aedt", 660, NULL }, { "nzst", 720, NULL },
	{ "nzdt", 780, NULL },
	{ "est", -300, NULL }, { "edt", -240, NULL }, { "cst", -360, NULL },
	{ "cdt", -300, NULL }, { "mst", -420, NULL }, { "mdt", -360, NULL },
	{ "pst", -480, NULL }, { "pdt", -420, NULL }, { "akst", -540, NULL },
	{ "akdt", -480, NULL }, { "hst", -600, NULL }, { "ast", -240, NULL },
	{ "adt", -180, NULL }, { "nst", -210, NULL }, { "ndt", -150, NULL },
	{ "brt", -180, NULL }, { "art", -180, NULL },
	{ "et", 0, "America/New_York" }, { "ct", 0, "America/Chicago" },
	{ "mt", 0, "America/Denver" }, { "pt", 0, "America/Los_Angeles" },
};

static const char *const months_short[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

static const char *const months_long[12] = {
	"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december",
};

static const char *const weekdays[] = {
	"mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday",
	"thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday",
	"sun", "sunday",
};

/*
 * The last zone name date_tz_exists accepted for date_parse, so that a
 * feed's zone is looked up on disk once, not once per item.
 */
static char tz_checked[TZ_NAME_MAX + 1];

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	/* NOTE: Howard Hinnant's algorithm: years start in March. */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/*
 * Reads a run of digits at *pp into *val.  Returns how many digits there
 * were; only the first 9 count towards *val, so callers refuse longer runs.
 */
static int
read_num(const char **pp, int *val)
{
	const char *p = *pp;
	int n = 0, v = 0;

	while (is_digit(*p)) {
		if (n < 9)
			v = v * 10 + (*p - '0');
		n++;
		p++;
	}
	*pp = p;
	*val = v;
	return n;
}

/*
 * Reads a run of letters and dots at *pp, and writes it to w (size bytes)
 * in lower case without the dots, so that "a.m." reads "am" and "Sept."
 * reads "sept".  Returns the number of letters; a word too long for w
 * comes back truncated, and with a count >= size.
 */
static size_t
read_word(const char **pp, char *w, size_t size)
{
	const char *p = *pp;
	size_t n = 0;

	while (is_alpha(*p) || (*p == '.' && n > 0)) {
		if (*p != '.') {
			if (n < size - 1)
				w[n] = to_lower(*p);
			n++;
		}
		p++;
	}
	w[n < size ? n : size - 1] = '\0';
	*pp = p;
	return n;
}

static int
lookup_month(const char *w)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(months_short); i++)
		if (strcmp(w, months_short[i]) == 0 ||
		    strcmp(w, months_long[i]) == 0)
			return (int)i + 1;
	return strcmp(w, "sept") == 0 ? 9 : 0;
}

static int
is_weekday(const char *w)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(weekdays); i++)
		if (strcmp(w, weekdays[i]) == 0)
			return 1;
	return 0;
}

static const struct zone *
lookup_zone(const char *w)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(zones); i++)
		if (strcmp(w, zones[i].name) == 0)
			return &zones[i];
	return NULL;
}

/* 'a' or 'p' when an "am"/"pm" word (any spelling) starts at p, else 0. */
static int
ampm_at(const char *p)
{
	char w[8];

	read_word(&p, w, sizeof(w));
	if (strcmp(w, "am") == 0)
		return 'a';
	if (strcmp(w, "pm") == 0)
		return 'p';
	return 0;
}

static int
date_seen(const struct fields *f)
{
	return f->year >= 0 || f->mon >= 0 || f->day >= 0;
}

static int
date_complete(const struct fields *f)
{
	return f->year >= 0 && f->mon >= 0 && f->day >= 0;
}

static void
set_zone(struct fields *f, const struct zone *z)
{
	f->zoned = 1;
	f->offset = z->minutes * 60;
	f->tz = z->iana;
}

/* Reads "H:MM", "H:MM:SS" or "H:MM:SS.frac" at *pp. */
static enum step
scan_time(const char **pp, struct fields *f)
{
	const char *p = *pp;
	int h, m, s = 0;

	if (read_num(&p, &h) > 2 || *p != ':')
		return STEP_FAIL;
	p++;
	if (read_num(&p, &m) != 2)
		return STEP_FAIL;
	if (*p == ':' && is_digit(p[1])) {
		p++;
		if (read_num(&p, &s) != 2)
			return STEP_FAIL;
		/* NOTE: fractions are dropped: the store keeps whole seconds. */
		if ((*p == '.' || *p == ',') && is_digit(p[1]))
			for (p++; is_digit(*p); p++)
				;
	}
	f->hour = h;
	f->min = m;
	f->sec = s;
	*pp = p;
	return STEP_NEXT;
}

/* Reads "+HHMM", "+HH:MM", "+HMM", "+HH" or "+H" (or '-') at *pp. */
static enum step
scan_offset(const char **pp, struct fields *f)
{
	const char *p = *pp;
	int sign = *p == '-' ? -1 : 1, h, m = 0, n;

	p++;
	n = read_num(&p, &h);
	if (n == 3 || n == 4) {
		m = h % 100;
		h /= 100;
	} else if (n == 1 || n == 2) {
		if (*p == ':' && is_digit(p[1])) {
			p++;
			if (read_num(&p, &m) != 2)
				return STEP_FAIL;
		}
	} else
		return STEP_FAIL;
	if (h > 23 || m > 59)
		return STEP_FAIL;
	f->zoned = 1;
	f->offset = sign * (h * 3600 + m * 60);
	f->tz = NULL;
	*pp = p;
	return STEP_NEXT;
}

/*
 * Reads "N-N-N", "N/N/N" or "N.N.N" (one separator throughout) at *pp.  A
 * four-digit first number is a year (Y-M-D); otherwise the order is D-M-Y.
 * NOTE: "06/07/2024" is 6 July, as in most of the world outside the US;
 * M-D-Y is assumed only when the middle number cannot be a month
 * ("06/19/2024").
 */
static enum step
scan_numeric_date(const char **pp, struct fields *f)
{
	const char *p = *pp;
	int a, b, c, na, nb, nc;
	char sep;

	na = read_num(&p, &a);
	sep = *p++;
	nb = read_num(&p, &b);
	if (nb < 1 || nb > 2 || *p != sep || !is_digit(p[1]))
		return STEP_FAIL;
	p++;
	nc = read_num(&p, &c);
	if (na == 4 && nc >= 1 && nc <= 2) {
		f->year = a;
		f->year_digits = 4;
		f->mon = b;
		f->day = c;
	} else if (na <= 2 && (nc == 2 || nc == 4)) {
		if (b > 12 && a <= 12) {
			f->mon = a;
			f->day = b;
		} else {
			f->day = a;
			f->mon = b;
		}
		f->year = c;
		f->year_digits = nc;
	} else
		return STEP_FAIL;
	*pp = p;
	return STEP_NEXT;
}

/*
 * Reads a number at *pp and decides from its shape and what follows what it
 * is: a time, a numeric date, a year, a day, an hour before "pm".  *iso_t
 * is set after an ISO 8601 "T", where a bare "HHMMSS" is a time.
 */
static enum step
scan_number(const char **pp, struct fields *f, int *iso_t)
{
	const char *p = *pp, *q;
	char w[8];
	int v, n, ap;

	n = read_num(&p, &v);
	if (*p == ':' && is_digit(p[1])) {
		if (f->hour >= 0)
			return STEP_STOP;
		return scan_time(pp, f);
	}
	if ((*p == '-' || *p == '/' || *p == '.') && is_digit(p[1]) &&
	    !date_seen(f)) {
		if (scan_numeric_date(pp, f) == STEP_FAIL)
			return STEP_FAIL;
		goto iso_separator;
	}
	if (n == 8 && !date_seen(f)) {
		/* ISO 8601 basic format: 20240619. */
		f->year = v / 10000;
		f->year_digits = 4;
		f->mon = v / 100 % 100;
		f->day = v % 100;
		*pp = p;
		goto iso_separator;
	}
	if (*iso_t && f->hour < 0 && (n == 4 || n == 6)) {
		/* ISO 8601 basic format: T0635 or T063500. */
		if (n == 4)
			v *= 100;
		f->hour = v / 10000;
		f->min = v / 100 % 100;
		f->sec = v % 100;
		if ((*p == '.' || *p == ',') && is_digit(p[1]))
			for (p++; is_digit(*p); p++)
				;
		*pp = p;
		return STEP_NEXT;
	}
	if (n > 4)
		return STEP_STOP;

	/* An ordinal: "19th", "1st". */
	q = p;
	if (is_alpha(*q) && read_word(&q, w, sizeof(w)) == 2 &&
	    (strcmp(w, "st") == 0 || strcmp(w, "nd") == 0 ||
	    strcmp(w, "rd") == 0 || strcmp(w, "th") == 0)) {
		if (n > 2 || f->day >= 0)
			return STEP_STOP;
		f->day = v;
		*pp = q;
		return STEP_NEXT;
	}

	/* A bare hour before "am"/"pm": "6 PM", "6pm". */
	for (q = p; *q == ' '; q++)
		;
	if (n <= 2 && (ap = ampm_at(q)) != 0) {
		if (f->hour >= 0)
			return STEP_STOP;
		f->hour = v;
		f->min = 0;
		f->sec = 0;
		*pp = p;
		return STEP_NEXT;
	}

	if (n >= 3) {
		/* NOTE: a three-digit year is RFC 2822's obs-year (+1900). */
		if (f->year >= 0)
			return STEP_STOP;
		f->year = v;
		f->year_digits = n;
	} else if (f->day < 0) {
		f->day = v;
	} else if (f->year < 0) {
		f->year = v;
		f->year_digits = n;
	} else
		return STEP_STOP;
	*pp = p;
	return STEP_NEXT;

iso_separator:
	if ((**pp == 'T' || **pp == 't') && is_digit((*pp)[1])) {
		(*pp)++;
		*iso_t = 1;
	}
	return STEP_NEXT;
}

/* Reads a word at *pp: month, weekday, am/pm, zone, or filler. */
static enum step
scan_word(const char **pp, struct fields *f)
{
	const char *p = *pp, *start = *pp;
	const struct zone *z;
	char w[16];
	size_t n;
	int m;

	n = read_word(&p, w, sizeof(w));
	if (n >= sizeof(w))
		return date_complete(f) ? STEP_STOP : STEP_FAIL;

	if ((m = lookup_month(w)) != 0) {
		if (f->mon >= 0)
			return STEP_STOP;
		f->mon = m;
	} else if (is_weekday(w)) {
		/* NOTE: the weekday is not checked: feeds get it wrong. */
	} else if (strcmp(w, "am") == 0 || strcmp(w, "pm") == 0) {
		if (f->hour < 0 || f->ampm != 0)
			return STEP_STOP;
		f->ampm = w[0];
	} else if (n == 1 && w[0] == 't' && is_digit(*p) && f->hour < 0) {
		/* The ISO 8601 "T" after a date written with spaces. */
	} else if (strcmp(w, "at") == 0 || strcmp(w, "of") == 0 ||
	    (strcmp(w, "hrs") == 0 && f->hour >= 0)) {
		/* "June 19, 2024 at 6:35 PM", "19th of June", "06:35 hrs IST". */
	} else if ((z = lookup_zone(w)) != NULL ||
	    (n == 1 && *start >= 'A' && *start <= 'Z' && *start != 'J')) {
		if (f->zoned)
			return STEP_STOP;
		if (z != NULL)
			set_zone(f, z);
		else {
			/*
			 * NOTE: RFC 822 got the signs of the military zones
			 * backwards, so RFC 1123 5.2.14 and RFC 2822 4.3 say
			 * they carry no information: they count as UTC.
			 */
			f->zoned = 1;
			f->offset = 0;
			f->tz = NULL;
		}
		/* "GMT+0530", "UTC-4": JavaScript's and others' offsets. */
		if (z != NULL && z->minutes == 0 && z->iana == NULL &&
		    (*p == '+' || *p == '-') && is_digit(p[1]) &&
		    scan_offset(&p, f) == STEP_FAIL)
			return STEP_FAIL;
	} else if (*p == ':' && !date_seen(f) && f->hour < 0) {
		/* A label before the date: "Updated: June 19, 2024". */
		p++;
	} else
		return STEP_STOP;
	*pp = p;
	return STEP_NEXT;
}

/* A zone abbreviation in parentheses where no zone was given: "(IST)". */
static enum step
scan_paren_zone(const char **pp, struct fields *f)
{
	const char *p = *pp + 1;
	const struct zone *z;
	char w[8];

	while (*p == ' ')
		p++;
	if (read_word(&p, w, sizeof(w)) >= sizeof(w))
		return STEP_STOP;
	while (*p == ' ')
		p++;
	if (*p != ')' || (z = lookup_zone(w)) == NULL)
		return STEP_STOP;
	set_zone(f, z);
	*pp = p + 1;
	return STEP_NEXT;
}

/* Fills f from s; -1 when s holds no whole date or a malformed part. */
static int
scan(const char *s, struct fields *f)
{
	const char *p = s;
	enum step st;
	int iso_t = 0;

	memset(f, 0, sizeof(*f));
	f->year = f->mon = f->day = -1;
	f->hour = f->min = f->sec = -1;
	for (;;) {
		/* "Jun 19, 2024 | 06:35 IST", "Jun 19, 2024 @ 6:35 pm" */
		while (is_space(*p) || *p == ',' || *p == '|' || *p == '@')
			p++;
		if (*p == '\0')
			break;
		if (is_digit(*p))
			st = scan_number(&p, f, &iso_t);
		else if (is_alpha(*p))
			st = scan_word(&p, f);
		else if ((*p == '+' || *p == '-') && is_digit(p[1]) &&
		    f->hour >= 0 && !f->zoned)
			st = scan_offset(&p, f);
		else if (*p == '(' && f->hour >= 0 && !f->zoned)
			st = scan_paren_zone(&p, f);
		else if (*p == '-' || *p == '/' || *p == '.') {
			p++;
			st = STEP_NEXT;
		} else
			st = STEP_STOP;
		if (st == STEP_FAIL)
			return -1;
		if (st == STEP_STOP)
			break;
	}
	return date_complete(f) ? 0 : -1;
}

/*
 * Applies the defaults, the two-digit year rule and the 12-hour clock, then
 * range-checks every field; -1 when one is out of range.
 */
static int
check(struct fields *f)
{
	if (f->year_digits == 1)
		return -1;
	if (f->year_digits == 2)
		f->year += f->year < 50 ? 2000 : 1900;	/* RFC 2822 4.3 */
	else if (f->year_digits == 3)
		f->year += 1900;
	if (f->year > 9999 || f->mon < 1 || f->mon > 12 || f->day < 1 ||
	    f->day > days_in_month(f->year, f->mon))
		return -1;
	if (f->hour < 0) {
		if (f->ampm)
			return -1;
		f->hour = f->min = f->sec = 0;
	}
	if (f->ampm) {
		/*
		 * NOTE: "00:30 AM" and "18:35 PM" are seen in the wild and
		 * mean what they say; "0 PM" and "18:35 AM" mean nothing.
		 */
		if (f->hour > 23 || (f->hour > 12 && f->ampm == 'a') ||
		    (f->hour == 0 && f->ampm == 'p'))
			return -1;
		if (f->hour == 12)
			f->hour = f->ampm == 'a' ? 0 : 12;
		else if (f->ampm == 'p' && f->hour < 12)
			f->hour += 12;
	}
	if (f->min > 59 || f->sec > 60)
		return -1;
	if (f->hour > 24 || (f->hour == 24 && (f->min != 0 || f->sec != 0)))
		return -1;
	return 0;
}

static int
is_utc_name(const char *tz)
{
	return strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") == 0 ||
	    strcmp(tz, "GMT") == 0 || strcmp(tz, "Etc/GMT") == 0;
}

/*
 * Converts the wall-clock time in f, read in the IANA zone tz, to UTC.
 *
 * NOTE: this borrows the C library's zone handling by pointing TZ at the
 * zone for one mktime() call and then putting TZ back as it was, so it is
 * not thread-safe (TZ is process-wide); dateline is single-threaded.  When
 * TZ already names the zone nothing is changed and no tzset() is paid.
 * With tm_isdst = -1, a time that occurs twice when clocks go back gets
 * whichever offset the C library picks, and a time skipped when clocks go
 * forward is moved by the length of the gap.
 */
static int
local_to_utc(const struct fields *f, const char *tz, int64_t *out)
{
	const char *cur;
	char *saved = NULL;
	struct tm tm;
	time_t t;
	int swap, rc = 0;

	if (strcmp(tz, tz_checked) != 0) {
		if (!date_tz_exists(tz))
			return -1;
		snprintf(tz_checked, sizeof(tz_checked), "%s", tz);
	}
	cur = getenv("TZ");
	swap = cur == NULL || strcmp(cur, tz) != 0;
	if (swap) {
		if (cur != NULL)
			saved = xstrdup(cur);
		if (setenv("TZ", tz, 1) == -1) {
			free(saved);
			return -1;
		}
		tzset();
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f->year - 1900;
	tm.tm_mon = f->mon - 1;
	tm.tm_mday = f->day;
	tm.tm_hour = f->hour;
	tm.tm_min = f->min;
	tm.tm_sec = f->sec;
	tm.tm_isdst = -1;
	tm.tm_wday = -1;	/* mktime sets it on success: -1 is a valid time */
	t = mktime(&tm);
	if (t == (time_t)-1 && tm.tm_wday == -1)
		rc = -1;
	if (swap) {
		if (saved != NULL)
			setenv("TZ", saved, 1);
		else
			unsetenv("TZ");
		tzset();
		free(saved);
	}
	if (rc == 0)
		*out = (int64_t)t;
	return rc;
}

int
date_parse(const char *s, const char *tz, int64_t *out)
{
	struct fields f;
	int64_t t;

	if (s == NULL || scan(s, &f) == -1 || check(&f) == -1)
		return -1;
	if (f.zoned && f.tz == NULL) {
		t = days_from_civil(f.year, f.mon, f.day) * 86400 +
		    f.hour * 3600 + f.min * 60 + f.sec - f.offset;
	} else {
		if (f.tz != NULL)
			tz = f.tz;
		if (tz == NULL || *tz == '\0' || is_utc_name(tz))
			t = days_from_civil(f.year, f.mon, f.day) * 86400 +
			    f.hour * 3600 + f.min * 60 + f.sec;
		else if (local_to_utc(&f, tz, &t) == -1)
			return -1;
	}
	*out = t;
	return 0;
}

/*
 * NOTE: times outside the years 0000-9999 (DATE_UNSET among them) are
 * clamped to the nearest end, so the output is always a well-formed
 * 20-character string; callers test for DATE_UNSET before formatting.
 */
void
date_format(int64_t t, char out[DATE_RFC3339_LEN])
{
	int64_t days, secs;
	int y, m, d;

	if (t < DATE_MIN)
		t = DATE_MIN;
	else if (t > DATE_MAX)
		t = DATE_MAX;
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	/* The moduli only tell the compiler what the clamp above ensures. */
	snprintf(out, DATE_RFC3339_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	    (unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100,
	    (unsigned)(secs / 3600) % 100, (unsigned)(secs / 60 % 60),
	    (unsigned)(secs % 60));
}

/*
 * NOTE: a zone is whatever the C library would load for it: a TZif file
 * under $TZDIR or /usr/share/zoneinfo.  The name is checked before it goes
 * near the file system, so "../../etc/passwd" or "/tmp/x" never do; the
 * "right/" zones count leap seconds in time_t and would be 27 s off, so
 * they are refused too.
 */
int
date_tz_exists(const char *name)
{
	const char *dir, *p;
	char *path, magic[4];
	struct stat st;
	ssize_t n;
	int fd;

	if (name == NULL || *name == '\0' || strlen(name) > TZ_NAME_MAX)
		return 0;
	if (strcmp(name, "UTC") == 0)
		return 1;
	if (*name == '/' || strstr(name, "..") != NULL ||
	    strstr(name, "//") != NULL || name[strlen(name) - 1] == '/' ||
	    strncmp(name, "right/", 6) == 0)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!is_alpha(*p) && !is_digit(*p) && strchr("_+-/", *p) == NULL)
			return 0;

	dir = getenv("TZDIR");
	if (dir == NULL || *dir == '\0')
		dir = TZ_DEFAULT_DIR;
	path = xasprintf("%s/%s", dir, name);
	fd = -1;
	n = 0;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) != -1)
		n = read(fd, magic, sizeof(magic));
	if (fd != -1)
		close(fd);
	free(path);
	return n == (ssize_t)sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
}

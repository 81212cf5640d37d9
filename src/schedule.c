/*
 * schedule.c: when e-paper editions appear (see schedule.h).
 *
 * Local dates and times are turned into instants with date_parse, which
 * reads a zone-less time in a given IANA zone; no TZ juggling here.
 */
#include "schedule.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "util.h"

#define ALL_DAYS 0x7fu

/* Monday first, as people write them; index = weekday (0 Sunday). */
static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
static const int monday_first[7] = { 1, 2, 3, 4, 5, 6, 0 };

/* The civil date (proleptic Gregorian) of days since 1970-01-01. */
static struct edition_date
civil_from_days(int64_t z)
{
	struct edition_date r;
	int64_t era, doe, yoe, doy, mp, y;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	r.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.year = (int)(y + (r.month <= 2));
	return r;
}

/* 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday). */
static int
weekday(int64_t days)
{
	int64_t w = (days + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

void
edition_date_format(const struct edition_date *d, char out[EDITION_DATE_LEN])
{
	snprintf(out, EDITION_DATE_LEN, "%04u-%02u-%02u", (unsigned)d->year % 10000u,
	    (unsigned)d->month % 100u, (unsigned)d->day % 100u);
}

/* The instant of local time minute (after midnight) on days, in tz. */
static int
local_instant(int64_t days, int minute, const char *tz, int64_t *out)
{
	struct edition_date d = civil_from_days(days);
	char s[32];

	snprintf(s, sizeof(s), "%04d-%02d-%02d %02d:%02d:00", d.year, d.month, d.day,
	    minute / 60, minute % 60);
	return date_parse(s, tz, out);
}

/* The local date (days since the epoch) of now in tz.  0, or -1. */
static int
local_today(int64_t now, const char *tz, int64_t *today)
{
	int64_t utc = now >= 0 ? now / 86400 : -((-now + 86399) / 86400), lo, hi;

	/* NOTE: zones are within a day of UTC, so today is one of three dates. */
	for (int64_t d = utc - 1; d <= utc + 1; d++) {
		if (local_instant(d, 0, tz, &lo) < 0 || local_instant(d + 1, 0, tz, &hi) < 0)
			return -1;
		if (lo <= now && now < hi) {
			*today = d;
			return 0;
		}
	}
	return -1;
}

size_t
schedule_due(const struct edition_schedule *s, const char *tz, int backfill,
    int64_t now, struct edition_date *out, size_t max)
{
	int64_t today, at;
	size_t n = 0;

	if (local_today(now, tz, &today) < 0)
		return 0;
	for (int64_t d = today; d >= today - backfill && n < max; d--) {
		if (!(s->days & (1u << weekday(d))))
			continue;
		if (d == today && (local_instant(d, s->minute, tz, &at) < 0 || now < at))
			continue;
		out[n++] = civil_from_days(d);
	}
	return n;
}

double
schedule_next(const struct edition_schedule *s, const char *tz, int64_t now)
{
	int64_t today, at;

	if (local_today(now, tz, &today) < 0)
		return -1;
	for (int64_t d = today; d <= today + 8; d++) {
		if (!(s->days & (1u << weekday(d))))
			continue;
		if (local_instant(d, s->minute, tz, &at) == 0 && at > now)
			return (double)(at - now);
	}
	return -1;
}

static int
day_index(const char *s, size_t n)
{
	char w[4];

	if (n != 3)
		return -1;
	for (size_t i = 0; i < 3; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[3] = '\0';
	for (int i = 0; i < 7; i++)
		if (strcmp(w, day_names[i]) == 0)
			return i;
	return -1;
}

/* Position of weekday w in the Monday-first week. */
static int
mf_pos(int w)
{
	return w == 0 ? 6 : w - 1;
}

/* "mon-sat", "mon,wed,fri", "sat-mon": the days, or 0 when malformed. */
static unsigned
parse_days(const char *s, size_t len)
{
	unsigned days = 0;
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		int a, b;

		while (j < len && s[j] != ',' && s[j] != '-')
			j++;
		if ((a = day_index(s + i, j - i)) < 0)
			return 0;
		b = a;
		if (j < len && s[j] == '-') {
			size_t k = j + 1;

			while (k < len && s[k] != ',')
				k++;
			if ((b = day_index(s + j + 1, k - j - 1)) < 0)
				return 0;
			j = k;
		}
		/* A range runs forward through the week, Sunday after Saturday. */
		for (int p = mf_pos(a);; p = (p + 1) % 7) {
			days |= 1u << monday_first[p];
			if (p == mf_pos(b))
				break;
		}
		if (j < len) {          /* a comma */
			if (j + 1 == len)
				return 0;
			j++;
		}
		i = j;
	}
	return days;
}

int
schedule_parse(const char *s, struct edition_schedule *out)
{
	const char *sp = strchr(s, ' '), *t;
	unsigned days;
	int h = 0, m = 0, hd = 0;

	if (sp == NULL || sp == s)
		return -1;
	if ((size_t)(sp - s) == 5 && strncasecmp(s, "daily", 5) == 0)
		days = ALL_DAYS;
	else if ((days = parse_days(s, (size_t)(sp - s))) == 0)
		return -1;
	for (t = sp; *t == ' '; t++)
		;
	for (; *t >= '0' && *t <= '9' && hd < 2; t++, hd++)
		h = h * 10 + (*t - '0');
	if (hd == 0 || *t != ':' || !isdigit((unsigned char)t[1]) ||
	    !isdigit((unsigned char)t[2]) || t[3] != '\0')
		return -1;
	m = (t[1] - '0') * 10 + (t[2] - '0');
	if (h > 23 || m > 59)
		return -1;
	out->days = days;
	out->minute = h * 60 + m;
	return 0;
}

void
schedule_format(const struct edition_schedule *s, char *out, size_t size)
{
	struct buf b;
	int p = 0;

	buf_init(&b);
	if ((s->days & ALL_DAYS) == ALL_DAYS)
		buf_puts(&b, "daily");
	while (p < 7 && (s->days & ALL_DAYS) != ALL_DAYS) {
		int q;

		if (!(s->days & (1u << monday_first[p]))) {
			p++;
			continue;
		}
		for (q = p; q + 1 < 7 && (s->days & (1u << monday_first[q + 1])); q++)
			;
		if (b.len > 0)
			buf_putc(&b, ',');
		buf_puts(&b, day_names[monday_first[p]]);
		if (q == p + 1)
			buf_printf(&b, ",%s", day_names[monday_first[q]]);
		else if (q > p)
			buf_printf(&b, "-%s", day_names[monday_first[q]]);
		p = q + 1;
	}
	buf_printf(&b, " %02d:%02d", s->minute / 60, s->minute % 60);
	snprintf(out, size, "%s", b.data);
	buf_free(&b);
}

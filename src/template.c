/*
 * template.c: e-paper URL templates (see template.h).
 */
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "url.h"
#include "util.h"

/* The strftime conversions a date alone decides. */
static const char date_convs[] = "YmdejyCbBhaAuwUWVGgFD%";

/* Longest date format and expansion of one placeholder. */
#define FORMAT_MAX 64
#define EXPANDED_MAX 256

int
template_has_placeholders(const char *s)
{
	return strstr(s, "{edition}") != NULL || strstr(s, "{date:") != NULL;
}

/*
 * Walks tmpl, appending the expansion to out (when out is not NULL).
 * Returns 0, or -1 with err set.
 */
static int
walk(const char *tmpl, const char *edition, const struct tm *tm, struct buf *out,
    int *has_edition, char *err, size_t errlen)
{
	const char *p = tmpl, *close;
	char fmt[FORMAT_MAX + 1], s[EXPANDED_MAX];
	size_t n;

	*has_edition = 0;
	while (*p != '\0') {
		if (*p == '}') {
			snprintf(err, errlen, "'}' without '{' at character %zu",
			    (size_t)(p - tmpl) + 1);
			return -1;
		}
		if (*p != '{') {
			if (out)
				buf_putc(out, *p);
			p++;
			continue;
		}
		if ((close = strchr(p, '}')) == NULL || memchr(p + 1, '{', (size_t)(close - p - 1))) {
			snprintf(err, errlen, "'{' without '}' at character %zu",
			    (size_t)(p - tmpl) + 1);
			return -1;
		}
		n = (size_t)(close - p - 1);
		if (n == 7 && strncmp(p + 1, "edition", 7) == 0) {
			*has_edition = 1;
			for (const unsigned char *e = (const unsigned char *)edition; out && *e; e++) {
				if ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') ||
				    (*e >= '0' && *e <= '9') || strchr("-._~", *e))
					buf_putc(out, (char)*e);
				else
					buf_printf(out, "%%%02X", *e);
			}
		} else if (n >= 5 && strncmp(p + 1, "date:", 5) == 0) {
			n -= 5;
			if (n == 0 || n > FORMAT_MAX) {
				snprintf(err, errlen, "{date:FORMAT} needs a strftime format of 1 to "
				    "%d characters", FORMAT_MAX);
				return -1;
			}
			memcpy(fmt, p + 6, n);
			fmt[n] = '\0';
			for (size_t i = 0; i < n; i++) {
				if (fmt[i] != '%')
					continue;
				if (fmt[i + 1] == '\0' || strchr(date_convs, fmt[i + 1]) == NULL) {
					snprintf(err, errlen, "'%%%.1s' in {date:%s} is not a date "
					    "conversion (use %%Y %%m %%d %%e %%j %%y %%b %%B %%a %%A "
					    "%%u %%w %%F ...)", fmt + i + 1, fmt);
					return -1;
				}
				i++;
			}
			if (out) {
				if (strftime(s, sizeof(s), fmt, tm) == 0)
					s[0] = '\0';
				buf_puts(out, s);
			}
		} else {
			snprintf(err, errlen, "unknown placeholder '{%.*s}' (expected {edition} or "
			    "{date:FORMAT})", n > 40 ? 40 : (int)n, p + 1);
			return -1;
		}
		p = close + 1;
	}
	return 0;
}

static void
date_tm(int year, int month, int day, struct tm *tm)
{
	time_t t;

	memset(tm, 0, sizeof(*tm));
	tm->tm_year = year - 1900;
	tm->tm_mon = month - 1;
	tm->tm_mday = day;
	tm->tm_hour = 12;
	/* timegm fills in the weekday and the day of the year. */
	t = timegm(tm);
	gmtime_r(&t, tm);
}

char *
template_expand(const char *tmpl, const char *edition, int year, int month, int day)
{
	struct tm tm;
	struct buf b;
	char err[256];
	int has;

	date_tm(year, month, day, &tm);
	buf_init(&b);
	if (walk(tmpl, edition ? edition : "", &tm, &b, &has, err, sizeof(err)) < 0 ||
	    !url_is_http(b.data ? b.data : "")) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

int
template_check(const char *tmpl, int *has_edition, char *err, size_t errlen)
{
	char *u;

	if (walk(tmpl, "", NULL, NULL, has_edition, err, errlen) < 0)
		return -1;
	/* NOTE: a day whose number and names are two digits long: the widest. */
	if ((u = template_expand(tmpl, "edition", 2024, 12, 31)) == NULL) {
		snprintf(err, errlen, "not an absolute http or https URL once expanded");
		return -1;
	}
	free(u);
	return 0;
}

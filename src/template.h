/*
 * template.h: e-paper URL templates (pure).
 *
 * A template is a URL with placeholders, expanded for one edition on one
 * date:
 *
 *   {edition}        the edition's name, percent-encoded
 *   {date:FORMAT}    the edition's date through strftime(3) FORMAT, in the
 *                    C locale; only conversions that depend on the date
 *                    alone are allowed (%Y %m %d %e %j %y %C %b %B %h %a
 *                    %A %u %w %U %W %V %G %g %F %D and %%), so that one
 *                    edition always has one URL
 *
 *   https://epaper.example.com/{edition}/{date:%Y-%m-%d}/index.html
 */
#ifndef DATELINE_TEMPLATE_H
#define DATELINE_TEMPLATE_H

#include <stddef.h>

/* Nonzero when s has a placeholder ("{edition}" or "{date:"). */
int template_has_placeholders(const char *s);

/*
 * Checks tmpl: braces balanced, every placeholder known, every date
 * format non-empty and made of allowed conversions, and the expansion an
 * absolute http(s) URL.  Returns 0 and sets *has_edition when {edition}
 * occurs, or -1 with a one-line reason in err.
 */
int template_check(const char *tmpl, int *has_edition, char *err, size_t errlen);

/*
 * Expands a checked template for edition on the date year-month-day.
 * Returns the URL (malloc'd), or NULL when the result is not an absolute
 * http(s) URL.
 */
char *template_expand(const char *tmpl, const char *edition, int year, int month, int day);

#endif

/*
 * table.c: text, JSON Lines and CSV renderings of rows.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "dates.h"
#include "util.h"

struct table {
	struct column *cols;
	size_t ncols;
	char **cells;        /* rows * ncols */
	size_t rows, cap;
};

struct table *
table_new(const struct column *cols, size_t ncols)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->cols = xcalloc(ncols, sizeof(*cols));
	memcpy(t->cols, cols, ncols * sizeof(*cols));
	t->ncols = ncols;
	return t;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->rows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->cols);
	free(t);
}

void
table_add(struct table *t, const char *const *cells)
{
	if (t->rows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->cells = xreallocarray(t->cells, t->cap * t->ncols, sizeof(*t->cells));
	}
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[t->rows * t->ncols + c] = xstrdup_or_null(cells[c]);
	t->rows++;
}

size_t
table_rows(const struct table *t)
{
	return t->rows;
}

/* A stored time as people read it: local (or UTC) "YYYY-MM-DD HH:MM". */
static void
show_time(const char *rfc3339, int utc, int csv, char *out, size_t size)
{
	int64_t t;
	time_t tt;
	struct tm tm;

	if (date_parse(rfc3339, NULL, &t) < 0) {
		snprintf(out, size, "%s", rfc3339);
		return;
	}
	tt = (time_t)t;
	if (utc)
		gmtime_r(&tt, &tm);
	else
		localtime_r(&tt, &tm);
	if (csv)
		strftime(out, size, utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S%z", &tm);
	else
		strftime(out, size, utc ? "%Y-%m-%d %H:%M UTC" : "%Y-%m-%d %H:%M", &tm);
}

/* Display width of a UTF-8 string: code points (good enough for a table). */
static size_t
width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Writes s cut to at most w code points, with "…" when cut, padded to pad. */
static void
put_cell(FILE *out, const char *s, size_t w, size_t pad, int right)
{
	size_t n = width(s), shown = n > w ? w : n;
	const char *p = s;

	if (right)
		for (size_t i = shown; i < pad; i++)
			fputc(' ', out);
	if (n <= w)
		fputs(s, out);
	else {
		size_t k = 0;

		for (; *p; p++) {
			if (((unsigned char)*p & 0xC0) != 0x80 && ++k > w - 1)
				break;
			fputc(*p, out);
		}
		fputs("\xE2\x80\xA6", out);
	}
	if (!right)
		for (size_t i = shown; i < pad; i++)
			fputc(' ', out);
}

/* One line: tabs and newlines inside cells become spaces. */
static char *
one_line(const char *s)
{
	char *c = xstrdup(s);

	for (char *p = c; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return c;
}

static void
print_text(const struct table *t, int utc, FILE *out)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w));
	char ***shown = xcalloc(t->rows ? t->rows : 1, sizeof(*shown));

	for (size_t c = 0; c < t->ncols; c++)
		w[c] = width(t->cols[c].name);
	for (size_t r = 0; r < t->rows; r++) {
		shown[r] = xcalloc(t->ncols, sizeof(**shown));
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r * t->ncols + c];
			char tb[64];
			size_t n;

			if (v == NULL)
				v = "-";
			else if (t->cols[c].type == COL_TIME) {
				show_time(v, utc, 0, tb, sizeof(tb));
				v = tb;
			}
			shown[r][c] = one_line(v);
			n = width(shown[r][c]);
			if (t->cols[c].max_width > 0 && n > (size_t)t->cols[c].max_width)
				n = (size_t)t->cols[c].max_width;
			if (n > w[c])
				w[c] = n;
		}
	}
	for (size_t c = 0; c < t->ncols; c++) {
		int right = t->cols[c].type == COL_INT || t->cols[c].type == COL_REAL;

		put_cell(out, t->cols[c].name, w[c], c + 1 < t->ncols || right ? w[c] : 0, right);
		fputs(c + 1 < t->ncols ? "  " : "\n", out);
	}
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			int right = t->cols[c].type == COL_INT || t->cols[c].type == COL_REAL;

			put_cell(out, shown[r][c], w[c], c + 1 < t->ncols || right ? w[c] : 0,
			    right);
			fputs(c + 1 < t->ncols ? "  " : "\n", out);
			free(shown[r][c]);
		}
		free(shown[r]);
	}
	free(shown);
	free(w);
}

static void
print_json(const struct table *t, FILE *out)
{
	for (size_t r = 0; r < t->rows; r++) {
		json_t *o = json_object();
		char *s;

		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r * t->ncols + c];
			json_t *j;

			if (v == NULL)
				j = json_null();
			else if (t->cols[c].type == COL_INT)
				j = json_integer(strtoll(v, NULL, 10));
			else if (t->cols[c].type == COL_REAL)
				j = json_real(strtod(v, NULL));
			else
				j = json_string(v);
			json_object_set_new(o, t->cols[c].name, j ? j : json_null());
		}
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fprintf(out, "%s\n", s);
		free(s);
		json_decref(o);
	}
}

static void
csv_field(FILE *out, const char *v)
{
	if (strpbrk(v, ",\"\r\n") == NULL) {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', out);
		fputc(*v, out);
	}
	fputc('"', out);
}

static void
print_csv(const struct table *t, int utc, FILE *out)
{
	for (size_t c = 0; c < t->ncols; c++) {
		csv_field(out, t->cols[c].name);
		fputs(c + 1 < t->ncols ? "," : "\r\n", out);
	}
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r * t->ncols + c];
			char tb[64];

			if (v != NULL && t->cols[c].type == COL_TIME) {
				show_time(v, utc, 1, tb, sizeof(tb));
				v = tb;
			}
			csv_field(out, v ? v : "");
			fputs(c + 1 < t->ncols ? "," : "\r\n", out);
		}
	}
}

void
table_print(const struct table *t, enum table_format fmt, int utc, FILE *out)
{
	switch (fmt) {
	case TABLE_TEXT: print_text(t, utc, out); break;
	case TABLE_JSON: print_json(t, out); break;
	case TABLE_CSV: print_csv(t, utc, out); break;
	}
}

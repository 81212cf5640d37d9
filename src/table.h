/*
 * table.h: rows for people and for scripts.  The CLI's listing commands
 * fill a table and print it as an aligned text table (a terminal), JSON
 * Lines (--json) or CSV (--csv).
 */
#ifndef DATELINE_TABLE_H
#define DATELINE_TABLE_H

#include <stdio.h>

enum column_type {
	COL_TEXT,
	COL_INT,     /* printed as a JSON number */
	COL_REAL,
	COL_TIME,    /* RFC 3339 UTC in the store; shown in local time unless --utc */
};

struct column {
	const char *name;
	enum column_type type;
	int max_width;   /* text table: cut longer cells (0: no limit) */
};

enum table_format {
	TABLE_TEXT,
	TABLE_JSON,  /* one object per row */
	TABLE_CSV,   /* RFC 4180, with a header row */
};

struct table;

struct table *table_new(const struct column *cols, size_t ncols);
void table_free(struct table *t);

/* Appends a row of ncols cells (copied; NULL is an empty/null cell). */
void table_add(struct table *t, const char *const *cells);

size_t table_rows(const struct table *t);

/*
 * Prints t.  utc: times as UTC; otherwise text and CSV show them in the
 * local zone (JSON always keeps RFC 3339 UTC, for scripts).
 */
void table_print(const struct table *t, enum table_format fmt, int utc, FILE *out);

#endif

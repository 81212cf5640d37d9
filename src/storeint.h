/*
 * storeint.h: what the store's own files share (store.c writes, storeq.c
 * answers the CLI's questions).  Not for other modules.
 */
#ifndef DATELINE_STOREINT_H
#define DATELINE_STOREINT_H

#include <sqlite3.h>

#include "store.h"

sqlite3 *store_db(struct store *st);
const char *store_path(const struct store *st);
void store_seterr(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepares sql on the store's connection; NULL on error (store_errmsg). */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);
/* Steps s to its end and finalizes it.  0 or -1 (store_errmsg). */
int store_finish(struct store *st, sqlite3_stmt *s);
/*
 * Adds the article's title and body to the search index; inside a
 * transaction, at its commit (store.c says why).  0 or -1.
 */
int store_fts_add(struct store *st, int64_t id);
/* Binds v as text, NULL for NULL. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Binds t as RFC 3339 UTC text, NULL for DATE_UNSET. */
void store_bind_time(sqlite3_stmt *s, int i, int64_t t);

#endif

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

#endif

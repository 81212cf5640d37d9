/*
 * storeq.c: read-side queries of the store for the CLI.
 */
#include "storeq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zlib.h>

#include "storeint.h"
#include "util.h"

/*
 * Runs sql (no parameters) and adds every row to a new table with cols.
 * Returns the table, or NULL with the error set.
 */
static struct table *
query_table(struct store *st, const char *sql, const struct column *cols, size_t ncols)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	struct table *t;
	const char **cells;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(db));
		return NULL;
	}
	t = table_new(cols, ncols);
	cells = xcalloc(ncols, sizeof(*cells));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (size_t c = 0; c < ncols; c++)
			cells[c] = (const char *)sqlite3_column_text(s, (int)c);
		table_add(t, cells);
	}
	free(cells);
	if (rc != SQLITE_DONE) {
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(db));
		sqlite3_finalize(s);
		table_free(t);
		return NULL;
	}
	sqlite3_finalize(s);
	return t;
}

struct table *
query_feeds(struct store *st)
{
	static const struct column cols[] = {
		{ "name", COL_TEXT, 24 },
		{ "state", COL_TEXT, 0 },
		{ "articles", COL_INT, 0 },
		{ "last_success", COL_TIME, 0 },
		{ "last_new_item", COL_TIME, 0 },
		{ "errors", COL_INT, 0 },
		{ "next_poll", COL_TIME, 0 },
		{ "interval_s", COL_INT, 0 },
		{ "usual_gap_s", COL_INT, 0 },
		{ "last_error", COL_TEXT, 50 },
	};

	return query_table(st,
	    "SELECT name, state, articles, last_success_at, last_new_item_at,"
	    " consecutive_errors, next_poll_at, CAST(round(interval_seconds) AS INTEGER),"
	    " CAST(round(usual_gap_seconds) AS INTEGER), last_error"
	    " FROM feed_health ORDER BY name", cols, ARRAY_LEN(cols));
}

int
store_backup(struct store *st, const char *path)
{
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	int rc;

	if (access(path, F_OK) == 0) {
		store_seterr(st, "%s: already exists; not overwriting it", path);
		return -1;
	}
	if (sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", path, dest ? sqlite3_errmsg(dest) : "cannot open");
		sqlite3_close(dest);
		return -1;
	}
	b = sqlite3_backup_init(dest, "main", store_db(st), "main");
	if (b == NULL) {
		store_seterr(st, "%s: %s", path, sqlite3_errmsg(dest));
		sqlite3_close(dest);
		unlink(path);
		return -1;
	}
	/*
	 * NOTE: all pages in one step: the source is read in one read
	 * transaction, so the copy is one consistent snapshot; in WAL mode the
	 * daemon's writes go on meanwhile.  Stepping in chunks would restart
	 * whenever the daemon writes.
	 */
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		store_seterr(st, "%s: backup: %s", path, sqlite3_errstr(rc));
		sqlite3_close(dest);
		unlink(path);
		return -1;
	}
	if (sqlite3_close(dest) != SQLITE_OK) {
		store_seterr(st, "%s: close failed", path);
		return -1;
	}
	return 0;
}

int
store_kept_page_ids(struct store *st, int64_t **ids, size_t *n)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT article_id FROM pages ORDER BY article_id", -1,
	    &s, NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*ids = xreallocarray(*ids, cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int
store_kept_page(struct store *st, int64_t article_id, struct kept_page *kp)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	int rc, ret = -1;

	memset(kp, 0, sizeof(*kp));
	if (sqlite3_prepare_v2(db, "SELECT p.html, p.size, p.url, p.content_type, f.name"
	    " FROM pages p JOIN articles a ON a.id = p.article_id"
	    " JOIN feeds f ON f.id = a.feed_id WHERE p.article_id = ?1", -1, &s,
	    NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(s, 1, article_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		ret = 1;
	} else if (rc == SQLITE_ROW) {
		const void *z = sqlite3_column_blob(s, 0);
		uLongf zn = (uLongf)sqlite3_column_bytes(s, 0);
		sqlite3_int64 size = sqlite3_column_int64(s, 1);
		uLongf out = (uLongf)size;

		/* NOTE: size is ours (written with the blob), bounded by max_bytes. */
		if (size < 0 || size > 512LL * 1024 * 1024) {
			store_seterr(st, "article %lld: kept page has a bad size",
			    (long long)article_id);
			goto out;
		}
		kp->html = xmalloc((size_t)size + 1);
		if (uncompress((Bytef *)kp->html, &out, z, zn) != Z_OK || out != (uLongf)size) {
			store_seterr(st, "article %lld: kept page does not decompress",
			    (long long)article_id);
			free(kp->html);
			kp->html = NULL;
			goto out;
		}
		kp->html[size] = '\0';
		kp->len = (size_t)size;
		kp->url = xstrdup_or_null((const char *)sqlite3_column_text(s, 2));
		kp->content_type = xstrdup_or_null((const char *)sqlite3_column_text(s, 3));
		kp->feed_name = xstrdup_or_null((const char *)sqlite3_column_text(s, 4));
		ret = 0;
	} else
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(db));
out:
	sqlite3_finalize(s);
	return ret;
}

void
kept_page_free(struct kept_page *kp)
{
	free(kp->html);
	free(kp->url);
	free(kp->content_type);
	free(kp->feed_name);
	memset(kp, 0, sizeof(*kp));
}

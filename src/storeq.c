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

#include "dates.h"
#include "storeint.h"
#include "util.h"

static struct table *fill_table(struct store *st, sqlite3_stmt *s,
    const struct column *cols, size_t ncols);

/*
 * Runs sql (no parameters) and adds every row to a new table with cols.
 * Returns the table, or NULL with the error set.
 */
static struct table *
query_table(struct store *st, const char *sql, const struct column *cols, size_t ncols)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	return s ? fill_table(st, s, cols, ncols) : NULL;
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

/* Steps a prepared statement into a new table; finalizes it.  NULL on error. */
static struct table *
fill_table(struct store *st, sqlite3_stmt *s, const struct column *cols, size_t ncols)
{
	struct table *t = table_new(cols, ncols);
	const char **cells = xcalloc(ncols, sizeof(*cells));
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (size_t c = 0; c < ncols; c++)
			cells[c] = (const char *)sqlite3_column_text(s, (int)c);
		table_add(t, cells);
	}
	free(cells);
	if (rc != SQLITE_DONE) {
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
		table_free(t);
		t = NULL;
	}
	sqlite3_finalize(s);
	return t;
}

struct table *
query_stories(struct store *st, int64_t since, const char *agency, int min_copies, int limit)
{
	static const struct column cols[] = {
		{ "story", COL_INT, 0 },
		{ "first_seen", COL_TIME, 0 },
		{ "agency", COL_TEXT, 12 },
		{ "copies", COL_INT, 0 },
		{ "outlets", COL_INT, 0 },
		{ "family", COL_INT, 0 },
		{ "title", COL_TEXT, 70 },
	};
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT s.id, s.first_seen_at, s.agency, count(a.id), count(DISTINCT a.feed_id),"
	    " s.family_id, s.title FROM stories s JOIN articles a ON a.story_id = s.id"
	    " WHERE (?1 IS NULL OR s.first_seen_at >= ?1)"
	    " AND (?2 IS NULL OR s.agency = ?2 COLLATE NOCASE)"
	    " GROUP BY s.id HAVING count(a.id) >= ?3"
	    " ORDER BY s.first_seen_at DESC, s.id DESC LIMIT ?4");

	if (s == NULL)
		return NULL;
	store_bind_time(s, 1, since);
	if (agency)
		sqlite3_bind_text(s, 2, agency, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, min_copies);
	sqlite3_bind_int(s, 4, limit);
	return fill_table(st, s, cols, ARRAY_LEN(cols));
}

struct table *
query_story(struct store *st, int64_t id)
{
	static const struct column cols[] = {
		{ "role", COL_TEXT, 0 },
		{ "story", COL_INT, 0 },
		{ "outlet", COL_TEXT, 20 },
		{ "first_seen", COL_TIME, 0 },
		{ "minutes_after_first", COL_INT, 0 },
		{ "title", COL_TEXT, 50 },
		{ "url", COL_TEXT, 60 },
	};
	struct table *t;
	/*
	 * Copies, first one first, then the family's other stories (their
	 * first copy each), with minutes counted from this story's first copy.
	 */
	sqlite3_stmt *s = store_prepare(st,
	    "WITH me AS (SELECT id, family_id FROM stories WHERE id = ?1),"
	    " first AS (SELECT min(a.first_seen_at) AS t FROM articles a, me"
	    "   WHERE a.story_id = me.id)"
	    " SELECT CASE WHEN a.story_id = me.id THEN 'copy' ELSE 'variant' END,"
	    "  a.story_id, f.name, a.first_seen_at,"
	    "  CAST(round((julianday(a.first_seen_at) - julianday(first.t)) * 1440) AS INTEGER),"
	    "  a.title, a.url"
	    " FROM me, first, articles a JOIN feeds f ON f.id = a.feed_id"
	    " WHERE a.story_id = me.id OR (me.family_id IS NOT NULL AND a.story_id IN"
	    "  (SELECT id FROM stories WHERE family_id = me.family_id AND id <> me.id))"
	    " ORDER BY a.story_id <> me.id, a.first_seen_at, a.id");

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	t = fill_table(st, s, cols, ARRAY_LEN(cols));
	if (t != NULL && table_rows(t) == 0) {
		table_free(t);
		store_seterr(st, "no story %lld", (long long)id);
		return NULL;
	}
	return t;
}

struct table *
query_search(struct store *st, const struct search_opts *o)
{
	static const struct column cols[] = {
		{ "article", COL_INT, 0 },
		{ "first_seen", COL_TIME, 0 },
		{ "feed", COL_TEXT, 18 },
		{ "story", COL_INT, 0 },
		{ "title", COL_TEXT, 50 },
		{ "snippet", COL_TEXT, 70 },
		{ "url", COL_TEXT, 0 },
	};
	/*
	 * NOTE: bm25 weights: a match in the title counts five times one in
	 * the body.  The filters apply after the match, so the FTS index does
	 * the heavy lifting.
	 */
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT a.id, a.first_seen_at, f.name, a.story_id, a.title,"
	    " snippet(articles_fts, 1, '[', ']', '...', 12), a.url"
	    " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
	    " JOIN feeds f ON f.id = a.feed_id"
	    " WHERE articles_fts MATCH ?1"
	    " AND (?2 IS NULL OR a.first_seen_at >= ?2)"
	    " AND (?3 IS NULL OR f.name = ?3)"
	    " AND (?4 IS NULL OR a.agency = ?4 COLLATE NOCASE)"
	    " ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?5");
	struct table *t;

	if (s == NULL)
		return NULL;
	sqlite3_bind_text(s, 1, o->query, -1, SQLITE_TRANSIENT);
	store_bind_time(s, 2, o->since);
	if (o->feed)
		sqlite3_bind_text(s, 3, o->feed, -1, SQLITE_TRANSIENT);
	if (o->agency)
		sqlite3_bind_text(s, 4, o->agency, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 5, o->limit);
	t = fill_table(st, s, cols, ARRAY_LEN(cols));
	if (t == NULL && strstr(store_errmsg(st), "fts5") != NULL) {
		char msg[300];

		snprintf(msg, sizeof(msg), "%s", store_errmsg(st));
		store_seterr(st, "bad search query '%s' (%s)", o->query, msg);
	}
	return t;
}

struct table *
query_entities(struct store *st, int64_t since, const char *kind, int top)
{
	static const struct column cols[] = {
		{ "entity", COL_TEXT, 40 },
		{ "kind", COL_TEXT, 0 },
		{ "stories", COL_INT, 0 },
		{ "articles", COL_INT, 0 },
		{ "mentions", COL_INT, 0 },
		{ "last_seen", COL_TIME, 0 },
	};
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT e.name, e.kind, count(DISTINCT se.story_id),"
	    " (SELECT count(*) FROM articles a WHERE a.story_id IN (SELECT se2.story_id"
	    "   FROM story_entities se2 JOIN stories s2 ON s2.id = se2.story_id"
	    "   WHERE se2.entity_id = e.id AND (?1 IS NULL OR s2.first_seen_at >= ?1))),"
	    " sum(se.mentions), max(s.first_seen_at)"
	    " FROM story_entities se JOIN stories s ON s.id = se.story_id"
	    " JOIN entities e ON e.id = se.entity_id"
	    " WHERE (?1 IS NULL OR s.first_seen_at >= ?1) AND (?2 IS NULL OR e.kind = ?2)"
	    " GROUP BY e.id ORDER BY count(DISTINCT se.story_id) DESC, sum(se.mentions) DESC,"
	    " e.name LIMIT ?3");

	if (s == NULL)
		return NULL;
	store_bind_time(s, 1, since);
	if (kind)
		sqlite3_bind_text(s, 2, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, top);
	return fill_table(st, s, cols, ARRAY_LEN(cols));
}

struct table *
query_entity(struct store *st, const char *name, int limit)
{
	static const struct column cols[] = {
		{ "story", COL_INT, 0 },
		{ "first_seen", COL_TIME, 0 },
		{ "entity", COL_TEXT, 24 },
		{ "kind", COL_TEXT, 0 },
		{ "mentions", COL_INT, 0 },
		{ "copies", COL_INT, 0 },
		{ "outlets", COL_TEXT, 40 },
		{ "title", COL_TEXT, 60 },
	};
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT s.id, s.first_seen_at, e.name, e.kind, se.mentions,"
	    " (SELECT count(*) FROM articles a WHERE a.story_id = s.id),"
	    " (SELECT group_concat(name, ', ') FROM (SELECT DISTINCT f.name AS name"
	    "   FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.story_id = s.id"
	    "   ORDER BY f.name)), s.title"
	    " FROM entities e JOIN story_entities se ON se.entity_id = e.id"
	    " JOIN stories s ON s.id = se.story_id"
	    " WHERE e.name = ?1 COLLATE NOCASE"
	    " ORDER BY s.first_seen_at DESC, s.id DESC LIMIT ?2");
	struct table *t;

	if (s == NULL)
		return NULL;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, limit);
	t = fill_table(st, s, cols, ARRAY_LEN(cols));
	if (t != NULL && table_rows(t) == 0) {
		table_free(t);
		store_seterr(st, "no stories name '%s'", name);
		return NULL;
	}
	return t;
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

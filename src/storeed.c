/*
 * storeed.c: the store's e-paper editions (see storeed.h).
 *
 * NOTE: these statements run a few times per index page, not per item,
 * so each is prepared when used rather than kept prepared.
 */
#include "storeed.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "dates.h"
#include "storeint.h"
#include "util.h"

static const char *const state_names[] = {
	[EDITION_NONE] = NULL,
	[EDITION_PENDING] = "pending",
	[EDITION_INDEXED] = "indexed",
	[EDITION_DONE] = "done",
};

/* Steps s for one row's first column as an integer (0 without a row).  0 or -1. */
static int
one_int(struct store *st, sqlite3_stmt *s, int64_t *v)
{
	int rc = sqlite3_step(s);

	*v = 0;
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_edition_state(struct store *st, int64_t feed_id, const char *edition,
    const char *date, enum edition_state *state)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT state FROM editions WHERE feed_id = ?1"
	    " AND edition = ?2 AND date = ?3");
	const unsigned char *v;
	int rc;

	*state = EDITION_NONE;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, feed_id);
	store_bind_text(s, 2, edition);
	store_bind_text(s, 3, date);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && (v = sqlite3_column_text(s, 0)) != NULL) {
		for (size_t i = 1; i < ARRAY_LEN(state_names); i++)
			if (strcmp((const char *)v, state_names[i]) == 0)
				*state = (enum edition_state)i;
	} else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_edition_look(struct store *st, int64_t feed_id, const char *edition,
    const char *date, const char *index_url, int64_t now, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO editions (feed_id, edition, date,"
	    " state, index_url, attempts, first_tried_at, last_tried_at)"
	    " VALUES (?1, ?2, ?3, 'pending', ?4, 1, ?5, ?5) ON CONFLICT (feed_id, edition, date) DO UPDATE SET"
	    " attempts = attempts + 1, last_tried_at = excluded.last_tried_at,"
	    " index_url = excluded.index_url");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, feed_id);
	store_bind_text(s, 2, edition);
	store_bind_text(s, 3, date);
	store_bind_text(s, 4, index_url);
	store_bind_time(s, 5, now);
	if (store_finish(st, s) < 0)
		return -1;
	if ((s = store_prepare(st, "SELECT id FROM editions WHERE feed_id = ?1"
	    " AND edition = ?2 AND date = ?3")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, feed_id);
	store_bind_text(s, 2, edition);
	store_bind_text(s, 3, date);
	return one_int(st, s, id);
}

int
store_edition_link(struct store *st, int64_t edition_id, int64_t feed_id,
    const char *url, const char *title, int page, int position, int64_t now, int *added)
{
	sqlite3_stmt *s;
	int64_t id;

	*added = 0;
	if ((s = store_prepare(st, "SELECT id FROM articles WHERE url = ?1")) == NULL)
		return -1;
	store_bind_text(s, 1, url);
	if (one_int(st, s, &id) < 0)
		return -1;
	/*
	 * NOTE: an article already stored (by another edition, day or feed)
	 * is only linked: its fields are never overwritten with what an
	 * index link says.
	 */
	if (id == 0) {
		if ((s = store_prepare(st, "INSERT INTO articles (feed_id, url, title,"
		    " first_seen_at, page_state) VALUES (?1, ?2, ?3, ?4, 'pending')"))
		    == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, feed_id);
		store_bind_text(s, 2, url);
		store_bind_text(s, 3, title);
		store_bind_time(s, 4, now);
		if (store_finish(st, s) < 0)
			return -1;
		id = sqlite3_last_insert_rowid(store_db(st));
		*added = 1;
		/* The search index has every article; links that pointed here resolve. */
		if (store_fts_add(st, id) < 0)
			return -1;
		if ((s = store_prepare(st, "UPDATE links SET target_article_id = ?1"
		    " WHERE url = ?2 AND target_article_id IS NULL")) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, url);
		if (store_finish(st, s) < 0)
			return -1;
	}
	if ((s = store_prepare(st, "INSERT OR IGNORE INTO edition_articles (edition_id,"
	    " article_id, page, position) VALUES (?1, ?2, ?3, ?4)")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, edition_id);
	sqlite3_bind_int64(s, 2, id);
	if (page > 0)
		sqlite3_bind_int(s, 3, page);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_int(s, 4, position);
	return store_finish(st, s);
}

int
store_edition_update(struct store *st, int64_t edition_id, const struct edition_outcome *o,
    int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE editions SET state = ?2,"
	    " index_pages = index_pages + ?3, links_offsite = links_offsite + ?4,"
	    " links_skipped = links_skipped + ?5,"
	    " last_error = CASE WHEN ?2 = 'done' THEN last_error ELSE ?6 END,"
	    " articles = (SELECT count(*) FROM edition_articles WHERE edition_id = ?1),"
	    " indexed_at = CASE WHEN ?2 <> 'pending' THEN coalesce(indexed_at, ?7) END,"
	    " done_at = CASE WHEN ?2 = 'done' THEN ?7 END WHERE id = ?1");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, edition_id);
	store_bind_text(s, 2, state_names[o->state]);
	sqlite3_bind_int(s, 3, o->index_pages);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)o->offsite);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)o->skipped);
	store_bind_text(s, 6, o->why);
	store_bind_time(s, 7, now);
	return store_finish(st, s);
}

int
store_editions_settled(struct store *st, int64_t feed_id, int64_t **ids, size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT e.id FROM editions e"
	    " WHERE e.feed_id = ?1 AND e.state = 'indexed' AND NOT EXISTS (SELECT 1"
	    " FROM edition_articles ea"
	    " JOIN articles a ON a.id = ea.article_id WHERE ea.edition_id = e.id"
	    " AND a.page_state = 'pending') ORDER BY e.date, e.id");
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, feed_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*ids = xreallocarray(*ids, cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE)
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static char *
column_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

int
store_edition_clips(struct store *st, int64_t edition_id, struct edition_clip **clips,
    size_t *n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT a.id, ea.page, ea.position, a.title,"
	    " a.clip_text, a.jump_to, a.jump_from FROM edition_articles ea"
	    " JOIN articles a ON a.id = ea.article_id WHERE ea.edition_id = ?1"
	    " ORDER BY ea.position, a.id");
	size_t cap = 0;
	int rc;

	*clips = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, edition_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct edition_clip *c;

		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*clips = xreallocarray(*clips, cap, sizeof(**clips));
		}
		c = &(*clips)[(*n)++];
		c->article_id = sqlite3_column_int64(s, 0);
		c->page = sqlite3_column_int(s, 1);
		c->position = sqlite3_column_int(s, 2);
		c->title = column_text(s, 3);
		c->clip_text = column_text(s, 4);
		c->jump_to = sqlite3_column_int(s, 5);
		c->jump_from = sqlite3_column_int(s, 6);
	}
	if (rc != SQLITE_DONE)
		store_seterr(st, "%s: %s", store_path(st), sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		edition_clips_free(*clips, *n);
		*clips = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
edition_clips_free(struct edition_clip *clips, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(clips[i].title);
		free(clips[i].clip_text);
	}
	free(clips);
}

/*
 * store.c: SQLite schema, migrations and prepared statements.
 *
 * NOTE: synchronous=NORMAL in WAL mode means a power cut may lose the last
 * transactions committed before it, but never corrupts the database; a
 * lost poll is simply fetched again.  That trade buys one fsync per
 * checkpoint instead of one per feed poll.
 */
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "dates.h"
#include "log.h"
#include "sqlfiles.h"
#include "storeint.h"
#include "util.h"

#define BUSY_TIMEOUT_MS 10000
#define JOURNAL_SIZE_LIMIT (64 * 1024 * 1024)
/* Articles queued for the search index before a flush mid-transaction. */
#define FTS_QUEUE_MAX 4096

enum stmt_id {
	S_FEED_BY_NAME,
	S_FEED_INSERT,
	S_FEED_UPDATE_CONF,
	S_FEED_RESET_STATE,
	S_FEED_SAVE,
	S_FEED_ACTIVE_ALL,
	S_ART_BY_GUID,
	S_ART_BY_URL,
	S_ART_INSERT,
	S_ART_UPDATE,
	S_ART_UPDATE_FEED_ONLY,
	S_ART_WANT_PAGE,
	S_LINKS_TARGET_NEW,
	S_PAGES_PENDING,
	S_PAGE_DONE,
	S_PAGE_FAILED,
	S_PAGE_KEEP,
	S_LINKS_DELETE,
	S_LINK_INSERT,
	S_LINKS_RESOLVE,
	S_ART_STORY,
	S_ART_SAME_TEXT,
	S_ART_DROP,
	S_FTS_DEL,
	S_ART_TAKE_IDENTITY,
	S_ART_URL_TAKEN,
	S_STORY_INSERT,
	S_STORY_ID,
	S_LSH_CANDIDATES,
	S_LSH_INSERT,
	S_STORY_SET_FAMILY,
	S_REVISION,
	S_ART_BY_HASH,
	S_STORY_KNOWN,
	S_ENTITIES_ADD,
	S_STORY_ENTITIES_ADD,
	S_ART_ENTITIES_CLEAR,
	S_ART_ENTITIES_LINK,
	S_FTS_DEL_FEED,
	S_FTS_DEL_TITLE,
	S_FTS_DEL_PAGE,
	S_FTS_ADD,
	S_FTS_ADD_MANY,
	S_STORY_SET_FIRST,
	S_STORY_AGENCY,
	S_STORY_DELETE_ORPHAN,
	S_STORY_FIX_FIRST,
	S_HEALTH,
	S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_FEED_BY_NAME] =
	    "SELECT id, url, fetch_url, redirect_url, redirect_count, etag,"
	    " last_modified, last_polled_at, last_success_at, last_new_item_at,"
	    " next_poll_at, gone_at, last_status, last_error, consecutive_errors,"
	    " title, site_url, cur_interval, quiet_polls, item_gap FROM feeds"
	    " WHERE name = ?1",
	[S_FEED_INSERT] =
	    "INSERT INTO feeds (name, url, kind, agency, active, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, 1, ?5)",
	[S_FEED_UPDATE_CONF] =
	    "UPDATE feeds SET url = ?2, kind = ?3, agency = ?4, active = 1 WHERE id = ?1",
	[S_FEED_RESET_STATE] =
	    "UPDATE feeds SET fetch_url = NULL, redirect_url = NULL,"
	    " redirect_count = 0, etag = NULL, last_modified = NULL,"
	    " gone_at = NULL, consecutive_errors = 0, last_error = NULL,"
	    " next_poll_at = NULL, cur_interval = NULL, quiet_polls = 0,"
	    " item_gap = NULL WHERE id = ?1",
	[S_FEED_SAVE] =
	    "UPDATE feeds SET fetch_url = ?2, redirect_url = ?3, redirect_count = ?4,"
	    " etag = ?5, last_modified = ?6, last_polled_at = ?7,"
	    " last_success_at = ?8, last_new_item_at = ?9, next_poll_at = ?10,"
	    " gone_at = ?11, last_status = ?12, last_error = ?13,"
	    " consecutive_errors = ?14, title = ?15, site_url = ?16,"
	    " cur_interval = ?17, quiet_polls = ?18, item_gap = ?19,"
	    " polls = polls + ?20 WHERE id = ?1",
	[S_FEED_ACTIVE_ALL] = "SELECT id, name FROM feeds WHERE active = 1",
	[S_ART_BY_GUID] =
	    "SELECT id, story_id, url, page_state = 'done' FROM articles"
	    " WHERE feed_id = ?1 AND guid = ?2",
	[S_ART_BY_URL] =
	    "SELECT id, story_id, url, page_state = 'done' FROM articles WHERE url = ?1",
	[S_ART_INSERT] =
	    "INSERT INTO articles (feed_id, story_id, guid, url, title, byline,"
	    " agency, dateline, summary, body, content_html, categories,"
	    " enclosures, content_hash, auto_published, published_at, updated_at,"
	    " first_seen_at, feed_text, page_state) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?19, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
	    " CASE WHEN ?20 THEN 'pending' END)",
	/*
	 * NOTE: the WHERE clause makes an unchanged item a no-op, so
	 * sqlite3_changes() tells "changed" from "unchanged" without reading
	 * the row first.  IS NOT compares NULLs as values.
	 */
	[S_ART_UPDATE] =
	    "UPDATE articles SET story_id = ?2, guid = coalesce(?3, guid), url = ?4,"
	    " title = ?5, byline = ?6, agency = ?7, dateline = ?8, summary = ?9,"
	    " body = ?19, feed_text = ?19, content_html = ?11, categories = ?12,"
	    " enclosures = ?13, content_hash = ?14, auto_published = ?15,"
	    " published_at = ?16, updated_at = ?17, changed_at = ?18"
	    " WHERE id = ?1 AND (story_id IS NOT ?2 OR url IS NOT ?4"
	    " OR title IS NOT ?5 OR byline IS NOT ?6 OR agency IS NOT ?7"
	    " OR dateline IS NOT ?8 OR summary IS NOT ?9 OR feed_text IS NOT ?19"
	    " OR content_html IS NOT ?11 OR categories IS NOT ?12"
	    " OR enclosures IS NOT ?13 OR content_hash IS NOT ?14"
	    " OR auto_published IS NOT ?15 OR published_at IS NOT ?16"
	    " OR updated_at IS NOT ?17)",
	/*
	 * Once the article's page is stored, the page owns body, byline,
	 * agency, dateline and story; the feed only updates its own fields.
	 */
	/*
	 * NOTE: times do not count as a change here: the page may state them
	 * differently from the feed, and a change would refetch the page at
	 * every poll.
	 */
	[S_ART_UPDATE_FEED_ONLY] =
	    "UPDATE articles SET guid = coalesce(?3, guid), url = ?4, title = ?5,"
	    " summary = ?9, feed_text = ?19, content_html = ?11, categories = ?12,"
	    " enclosures = ?13, published_at = coalesce(?16, published_at),"
	    " updated_at = coalesce(?17, updated_at), changed_at = ?18"
	    " WHERE id = ?1 AND (url IS NOT ?4 OR title IS NOT ?5"
	    " OR summary IS NOT ?9 OR feed_text IS NOT ?19"
	    " OR content_html IS NOT ?11 OR categories IS NOT ?12"
	    " OR enclosures IS NOT ?13)",
	/* A changed item's page is fetched again: the story may have moved on. */
	[S_ART_WANT_PAGE] =
	    "UPDATE articles SET page_state = 'pending', page_attempts = 0,"
	    " page_next_try_at = NULL, page_error = NULL WHERE id = ?1",
	[S_LINKS_TARGET_NEW] =
	    "UPDATE links SET target_article_id = ?1 WHERE url = ?2"
	    " AND target_article_id IS NULL",
	[S_PAGES_PENDING] =
	    "SELECT id, url, page_attempts FROM articles WHERE feed_id = ?1"
	    " AND page_state = 'pending' AND url IS NOT NULL"
	    " AND (page_next_try_at IS NULL OR page_next_try_at <= ?2)"
	    " ORDER BY first_seen_at DESC, id DESC LIMIT ?3",
	[S_PAGE_DONE] =
	    "UPDATE articles SET body = ?2, byline = coalesce(?3, byline),"
	    " agency = coalesce(?4, agency), dateline = ?5, auto_published = ?6,"
	    " published_at = coalesce(published_at, ?7),"
	    " updated_at = coalesce(?8, updated_at), page_url = ?9,"
	    " content_hash = ?10, story_id = ?11, page_state = 'done',"
	    " page_fetched_at = ?12, page_error = NULL, page_next_try_at = NULL,"
	    " page_attempts = page_attempts + ?13,"
	    " title = coalesce(title, ?14) WHERE id = ?1",
	[S_PAGE_FAILED] =
	    "UPDATE articles SET page_state = ?2, page_error = ?3,"
	    " page_attempts = page_attempts + 1, page_next_try_at = ?4 WHERE id = ?1",
	[S_PAGE_KEEP] =
	    "INSERT OR REPLACE INTO pages (article_id, url, fetched_at, content_type,"
	    " size, html) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_LINKS_DELETE] = "DELETE FROM links WHERE article_id = ?1",
	[S_LINK_INSERT] =
	    "INSERT OR IGNORE INTO links (article_id, url, title, category,"
	    " target_article_id) VALUES (?1, ?2, ?3, ?4,"
	    " (SELECT id FROM articles WHERE url = ?2))",
	[S_LINKS_RESOLVE] =
	    "UPDATE links SET target_article_id = (SELECT id FROM articles"
	    " WHERE url = links.url) WHERE article_id = ?1",
	[S_ART_STORY] =
	    "SELECT story_id, title, feed_id, guid, url FROM articles WHERE id = ?1",
	[S_ART_SAME_TEXT] =
	    "SELECT id FROM articles WHERE feed_id = ?1 AND content_hash = ?2 AND id <> ?3"
	    " AND first_seen_at >= ?4 ORDER BY id LIMIT 1",
	[S_ART_DROP] = "DELETE FROM articles WHERE id = ?1",
	[S_FTS_DEL] =
	    "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
	    " SELECT 'delete', id, title, body FROM articles WHERE id = ?1",
	[S_ART_TAKE_IDENTITY] =
	    "UPDATE articles SET guid = coalesce(?2, guid), url = coalesce(?3, url) WHERE id = ?1",
	[S_ART_URL_TAKEN] = "SELECT 1 FROM articles WHERE url = ?1 AND id <> ?2",
	[S_STORY_INSERT] =
	    "INSERT INTO stories (content_hash, title, agency, first_seen_at, teaser,"
	    " minhash, shingles) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (content_hash) DO NOTHING",
	/* NOTE: bounded: a key shared by too many stories is boilerplate, not a family. */
	[S_LSH_CANDIDATES] =
	    "SELECT DISTINCT s.id, s.minhash, s.family_id, s.shingles FROM story_lsh l"
	    " JOIN stories s ON s.id = l.story_id"
	    " WHERE l.key IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " ?15, ?16, ?17, ?18, ?19, ?20) AND s.id <> ?21"
	    " LIMIT 200",
	[S_LSH_INSERT] = "INSERT OR IGNORE INTO story_lsh (key, story_id) VALUES (?1, ?2)",
	[S_STORY_SET_FAMILY] = "UPDATE stories SET family_id = ?2 WHERE id = ?1",
	/*
	 * The text being replaced becomes a revision.  ?4: only if it came from
	 * the page (a page's first text replaces the feed's teaser: the same
	 * version, fuller, not a revision).
	 */
	[S_REVISION] =
	    "INSERT INTO article_revisions (article_id, revised_at, title, body,"
	    " content_hash, story_id) SELECT a.id, ?2, a.title, a.body, a.content_hash,"
	    " a.story_id FROM articles a WHERE a.id = ?1 AND a.content_hash IS NOT ?3"
	    " AND a.body IS NOT NULL AND (?4 = 0 OR a.page_fetched_at IS NOT NULL)"
	    " AND NOT EXISTS (SELECT 1 FROM article_revisions r WHERE r.article_id = a.id"
	    "  AND r.content_hash IS a.content_hash"
	    "  AND r.revised_at >= coalesce(a.page_fetched_at, a.first_seen_at))",
	[S_STORY_KNOWN] = "SELECT 1 FROM stories WHERE content_hash = ?1",
	/*
	 * A story's entities come as one JSON array of [name, kind, mentions]
	 * (?1): two statements a story instead of three an entity, where the
	 * per-statement cost was most of the time of storing a new story.
	 */
	[S_ENTITIES_ADD] =
	    "INSERT INTO entities (name, kind) SELECT json_extract(value, '$[0]'),"
	    " json_extract(value, '$[1]') FROM json_each(?1) WHERE true"
	    " ON CONFLICT DO NOTHING",
	[S_STORY_ENTITIES_ADD] =
	    "INSERT OR REPLACE INTO story_entities (story_id, entity_id, mentions)"
	    " SELECT ?2, e.id, json_extract(j.value, '$[2]') FROM json_each(?1) j"
	    " JOIN entities e ON e.name = json_extract(j.value, '$[0]')"
	    " AND e.kind = json_extract(j.value, '$[1]')",
	[S_ART_ENTITIES_CLEAR] = "DELETE FROM article_entities WHERE article_id = ?1",
	[S_ART_ENTITIES_LINK] =
	    "INSERT OR REPLACE INTO article_entities (article_id, entity_id, mentions)"
	    " SELECT ?1, entity_id, mentions FROM story_entities WHERE story_id = ?2",
	/*
	 * The search index is external-content FTS5: an entry is removed with
	 * the exact text it was added with, so each is removed just before an
	 * UPDATE that will change title or body (the same conditions), and
	 * added again after.
	 */
	[S_FTS_DEL_FEED] =
	    "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
	    " SELECT 'delete', id, title, body FROM articles"
	    " WHERE id = ?1 AND (title IS NOT ?2 OR body IS NOT ?3)",
	[S_FTS_DEL_TITLE] =
	    "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
	    " SELECT 'delete', id, title, body FROM articles WHERE id = ?1 AND title IS NOT ?2",
	[S_FTS_DEL_PAGE] =
	    "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
	    " SELECT 'delete', id, title, body FROM articles WHERE id = ?1"
	    " AND (body IS NOT ?2 OR (title IS NULL AND ?3 IS NOT NULL))",
	[S_FTS_ADD] =
	    "INSERT INTO articles_fts (rowid, title, body) SELECT id, title, body"
	    " FROM articles WHERE id = ?1",
	/* The ids queued by fts_add, as a JSON array: one statement for all. */
	[S_FTS_ADD_MANY] =
	    "INSERT INTO articles_fts (rowid, title, body) SELECT id, title, body"
	    " FROM articles WHERE id IN (SELECT value FROM json_each(?1))",
	[S_ART_BY_HASH] =
	    "SELECT id, story_id, url, page_state = 'done' FROM articles"
	    " WHERE feed_id = ?1 AND content_hash = ?2 AND first_seen_at >= ?3"
	    " ORDER BY id DESC LIMIT 1",
	[S_STORY_ID] = "SELECT id, first_article_id FROM stories WHERE content_hash = ?1",
	/*
	 * The first copy is the one first seen (its feed item), whichever
	 * reached the story first: a page fetched later must not make an
	 * outlet look late.  A generic or missing agency gives way to a named
	 * one.
	 */
	[S_STORY_SET_FIRST] =
	    "UPDATE stories SET first_article_id = ?2, first_seen_at = min(first_seen_at,"
	    " (SELECT first_seen_at FROM articles WHERE id = ?2))"
	    " WHERE id = ?1 AND (first_article_id IS NULL OR (SELECT first_seen_at FROM"
	    "  articles WHERE id = ?2) < (SELECT first_seen_at FROM articles WHERE"
	    "  id = stories.first_article_id))",
	[S_STORY_AGENCY] =
	    "UPDATE stories SET agency = ?2 WHERE id = ?1 AND ?2 IS NOT NULL"
	    " AND ?2 <> 'Agencies' AND (agency IS NULL OR agency = 'Agencies')",
	[S_STORY_DELETE_ORPHAN] =
	    "DELETE FROM stories WHERE id = ?1 AND NOT EXISTS"
	    " (SELECT 1 FROM articles WHERE story_id = ?1)",
	[S_STORY_FIX_FIRST] =
	    "UPDATE stories SET first_article_id = (SELECT id FROM articles"
	    " WHERE story_id = ?1 ORDER BY first_seen_at, id LIMIT 1)"
	    " WHERE id = ?1 AND first_article_id = ?2",
	[S_HEALTH] =
	    "SELECT count(*), count(*) FILTER (WHERE last_error IS NOT NULL),"
	    " max(last_new_item_at) FROM feeds WHERE active = 1",
};

struct store {
	sqlite3 *db;
	char *path;
	enum store_mode mode;
	sqlite3_stmt *stmt[S_COUNT];
	char errmsg[512];
	/* Articles to add to the search index when the transaction commits. */
	int64_t *fts_queue;
	size_t nfts, capfts;
};

static int fts_queued(struct store *st, int64_t id, int forget);
static int fts_flush(struct store *st);

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

void
store_seterr(struct store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
}

const char *
store_errmsg(struct store *st)
{
	return st->errmsg;
}

/* Migrations are named NNN-what.sql; views.sql is not one. */
static int
is_migration(const char *name)
{
	return name[0] >= '0' && name[0] <= '9';
}

static const char *
views_sql(void)
{
	for (int i = 1; i < sql_files_count; i++)
		if (strcmp(sql_files[i].name, "views.sql") == 0)
			return sql_files[i].text;
	return "";
}

int
store_schema_version(void)
{
	/* schema.sql is version 1; migration NNN-*.sql brings it to NNN. */
	int v = 1;

	for (int i = 1; i < sql_files_count; i++)
		if (is_migration(sql_files[i].name))
			v = atoi(sql_files[i].name);
	return v;
}

static int
exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		store_seterr(st, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
user_version(struct store *st, int *v)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	else
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Brings the schema to store_schema_version(): schema.sql for a new file,
 * then each newer migration, all in one transaction so a crash midway
 * leaves the old version intact.
 */
static int
migrate(struct store *st)
{
	int have, want = store_schema_version();

	if (exec_sql(st, "BEGIN IMMEDIATE") < 0)
		return -1;
	if (user_version(st, &have) < 0)
		goto fail;
	if (have > want) {
		store_seterr(st, "%s: schema version %d is newer than this dateline "
		    "understands (%d); upgrade dateline", st->path, have, want);
		goto fail;
	}
	if (have == 0) {
		log_info("%s: creating a new store (schema version %d)", st->path, want);
		if (exec_sql(st, sql_files[0].text) < 0)
			goto fail;
		have = 1;
	}
	for (int i = 1; i < sql_files_count; i++) {
		int v = atoi(sql_files[i].name);

		if (!is_migration(sql_files[i].name) || v <= have)
			continue;
		log_notice("%s: migrating schema to version %d (%s)", st->path, v,
		    sql_files[i].name);
		if (exec_sql(st, sql_files[i].text) < 0)
			goto fail;
		/* PRAGMA takes no parameters; v is an integer we computed. */
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
		if (exec_sql(st, pragma) < 0)
			goto fail;
	}
	/* Views hold no data: this version's replace whatever was there. */
	if (exec_sql(st, views_sql()) < 0)
		goto fail;
	return exec_sql(st, "COMMIT");
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
configure(struct store *st)
{
	int on = 1;

	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_FKEY, on, NULL);
	if (exec_sql(st, "PRAGMA foreign_keys = ON") < 0)
		return -1;
	if (st->mode == STORE_READONLY)
		return 0;
	if (exec_sql(st, "PRAGMA journal_mode = WAL") < 0 ||
	    exec_sql(st, "PRAGMA synchronous = NORMAL") < 0)
		return -1;
	/*
	 * NOTE: keep the -wal and -shm files when the daemon closes the
	 * database, so that readers with read-only access (the dateline group)
	 * can still open it after the daemon stops.
	 */
	sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	/*
	 * NOTE: 8 MB of page cache (SQLite's default is 2 MB): the inner pages
	 * of the indexes a poll touches (articles by guid and url, stories by
	 * hash, the LSH keys) stay in memory as the store grows to millions of
	 * articles.  `make bench` measured 32 MB at the same ingest rate and
	 * near-variant lookup time, with 34 MB more peak memory.
	 */
	if (exec_sql(st, "PRAGMA cache_size = -8192") < 0)
		return -1;
	{
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA journal_size_limit = %d",
		    JOURNAL_SIZE_LIMIT);
		if (exec_sql(st, pragma) < 0)
			return -1;
	}
	return 0;
}

struct store *
store_open(const char *path, enum store_mode mode, char *err, size_t errlen)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int flags, rc, have;

	st->path = xstrdup(path);
	st->mode = mode;
	if (mode == STORE_READONLY) {
		char *uri;
		char *esc = sqlite3_mprintf("%q", path);

		/* NOTE: a URI so that mode=ro holds even if the file is a WAL db. */
		flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
		uri = xasprintf("file:%s?mode=ro", esc);
		sqlite3_free(esc);
		/* '?' and '#' in a path would be read as URI syntax: open plainly then. */
		if (strpbrk(path, "?#%") != NULL) {
			free(uri);
			uri = xstrdup(path);
			flags = SQLITE_OPEN_READONLY;
		}
		rc = sqlite3_open_v2(uri, &st->db, flags, NULL);
		free(uri);
	} else {
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
		rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	}
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open database: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (configure(st) < 0)
		goto fail_msg;
	if (mode == STORE_READWRITE) {
		if (migrate(st) < 0)
			goto fail_msg;
	} else {
		if (user_version(st, &have) < 0)
			goto fail_msg;
		if (have == 0) {
			snprintf(err, errlen, "%s: not a dateline database (no schema)", path);
			goto fail;
		}
		if (have > store_schema_version()) {
			snprintf(err, errlen, "%s: schema version %d is newer than this "
			    "dateline understands (%d)", path, have, store_schema_version());
			goto fail;
		}
	}
	for (int i = 0; i < S_COUNT; i++) {
		if (mode == STORE_READONLY)
			break;  /* the CLI runs its own queries */
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &st->stmt[i], NULL) != SQLITE_OK) {
			store_seterr(st, "%s: preparing statement %d: %s", path, i,
			    sqlite3_errmsg(st->db));
			goto fail_msg;
		}
	}
	return st;
fail_msg:
	snprintf(err, errlen, "%s", st->errmsg);
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db) {
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		if (sqlite3_close(st->db) != SQLITE_OK)
			log_warnx("%s: close: %s", st->path, sqlite3_errmsg(st->db));
	}
	free(st->fts_queue);
	free(st->path);
	free(st);
}

/* --- binding helpers ---------------------------------------------------- */

sqlite3_stmt *
store_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return NULL;
	}
	return s;
}

int
store_finish(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE)
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

void
store_bind_time(sqlite3_stmt *s, int i, int64_t t)
{
	char buf[DATE_RFC3339_LEN];

	if (t == DATE_UNSET) {
		sqlite3_bind_null(s, i);
		return;
	}
	date_format(t, buf);
	sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

static void
bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id <= 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, id);
}

static char *
column_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

static int64_t
column_time(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	int64_t v;

	if (t == NULL || date_parse((const char *)t, NULL, &v) < 0)
		return DATE_UNSET;
	return v;
}

/* Steps a statement that returns no rows; resets it.  0 or -1. */
static int
step_done(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

static void
stmt_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* --- feeds -------------------------------------------------------------- */

void
feed_state_free(struct feed_state *fs)
{
	free(fs->fetch_url);
	free(fs->redirect_url);
	free(fs->etag);
	free(fs->last_modified);
	free(fs->last_error);
	free(fs->title);
	free(fs->site_url);
	memset(fs, 0, sizeof(*fs));
}

void
feed_state_set(char **slot, const char *value)
{
	char *copy = xstrdup_or_null(value);

	free(*slot);
	*slot = copy;
}

static void
feed_state_load(sqlite3_stmt *s, struct feed_state *fs)
{
	fs->id = sqlite3_column_int64(s, 0);
	fs->fetch_url = column_text(s, 2);
	fs->redirect_url = column_text(s, 3);
	fs->redirect_count = sqlite3_column_int(s, 4);
	fs->etag = column_text(s, 5);
	fs->last_modified = column_text(s, 6);
	fs->last_polled_at = column_time(s, 7);
	fs->last_success_at = column_time(s, 8);
	fs->last_new_item_at = column_time(s, 9);
	fs->next_poll_at = column_time(s, 10);
	fs->gone_at = column_time(s, 11);
	fs->last_status = sqlite3_column_int(s, 12);
	fs->last_error = column_text(s, 13);
	fs->consecutive_errors = sqlite3_column_int(s, 14);
	fs->title = column_text(s, 15);
	fs->site_url = column_text(s, 16);
	fs->cur_interval = sqlite3_column_double(s, 17);
	fs->quiet_polls = sqlite3_column_int(s, 18);
	fs->item_gap = sqlite3_column_double(s, 19);
}

static int
feed_lookup(struct store *st, const char *name, struct feed_state *fs, char **url)
{
	sqlite3_stmt *s = st->stmt[S_FEED_BY_NAME];
	int rc;

	store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		feed_state_load(s, fs);
		*url = column_text(s, 1);
	}
	stmt_done(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
	return -1;
}

int
store_feed_register(struct store *st, const struct feed_conf *conf, struct feed_state *fs)
{
	sqlite3_stmt *s;
	char *old_url = NULL;
	int found;

	memset(fs, 0, sizeof(*fs));
	if (store_begin(st) < 0)
		goto fail;
	found = feed_lookup(st, conf->name, fs, &old_url);
	if (found < 0)
		goto fail;
	if (!found) {
		s = st->stmt[S_FEED_INSERT];
		store_bind_text(s, 1, conf->name);
		store_bind_text(s, 2, conf->url);
		store_bind_text(s, 3, feed_kind_name(conf->kind));
		store_bind_text(s, 4, conf->agency);
		store_bind_time(s, 5, (int64_t)now_wall());
		if (step_done(st, s) < 0)
			goto fail;
	} else {
		s = st->stmt[S_FEED_UPDATE_CONF];
		sqlite3_bind_int64(s, 1, fs->id);
		store_bind_text(s, 2, conf->url);
		store_bind_text(s, 3, feed_kind_name(conf->kind));
		store_bind_text(s, 4, conf->agency);
		if (step_done(st, s) < 0)
			goto fail;
		if (!str_eq_null(old_url, conf->url)) {
			log_info("feed %s: url changed to %s; polling state reset",
			    conf->name, conf->url);
			s = st->stmt[S_FEED_RESET_STATE];
			sqlite3_bind_int64(s, 1, fs->id);
			if (step_done(st, s) < 0)
				goto fail;
		}
		feed_state_free(fs);
	}
	free(old_url);
	old_url = NULL;
	if (feed_lookup(st, conf->name, fs, &old_url) != 1)
		goto fail;
	free(old_url);
	return store_commit(st);
fail:
	free(old_url);
	store_rollback(st);
	feed_state_free(fs);
	log_warnx("feed %s: cannot register in the store: %s", conf->name, st->errmsg);
	return -1;
}

int
store_feeds_deactivate_others(struct store *st, char *const *names, size_t n)
{
	sqlite3_stmt *s = st->stmt[S_FEED_ACTIVE_ALL], *u = NULL;
	struct strlist gone = { 0 };
	int rc, ret = -1;

	if (store_begin(st) < 0)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 1);
		size_t i;

		for (i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0)
				break;
		if (i == n)
			strlist_push(&gone, xstrdup(name));
	}
	stmt_done(s);
	if (rc != SQLITE_DONE) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		goto out;
	}
	if (sqlite3_prepare_v2(st->db, "UPDATE feeds SET active = 0 WHERE name = ?1",
	    -1, &u, NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		goto out;
	}
	for (size_t i = 0; i < gone.n; i++) {
		store_bind_text(u, 1, gone.v[i]);
		if (step_done(st, u) < 0)
			goto out;
		log_info("feed %s: no longer configured; its articles are kept", gone.v[i]);
	}
	ret = 0;
out:
	sqlite3_finalize(u);
	strlist_free(&gone);
	if (ret == 0)
		return store_commit(st);
	store_rollback(st);
	log_warnx("cannot mark removed feeds: %s", st->errmsg);
	return -1;
}

int
store_feed_save(struct store *st, const struct feed_state *fs)
{
	sqlite3_stmt *s = st->stmt[S_FEED_SAVE];

	sqlite3_bind_int64(s, 1, fs->id);
	store_bind_text(s, 2, fs->fetch_url);
	store_bind_text(s, 3, fs->redirect_url);
	sqlite3_bind_int(s, 4, fs->redirect_count);
	store_bind_text(s, 5, fs->etag);
	store_bind_text(s, 6, fs->last_modified);
	store_bind_time(s, 7, fs->last_polled_at);
	store_bind_time(s, 8, fs->last_success_at);
	store_bind_time(s, 9, fs->last_new_item_at);
	store_bind_time(s, 10, fs->next_poll_at);
	store_bind_time(s, 11, fs->gone_at);
	sqlite3_bind_int(s, 12, fs->last_status);
	store_bind_text(s, 13, fs->last_error);
	sqlite3_bind_int(s, 14, fs->consecutive_errors);
	store_bind_text(s, 15, fs->title);
	store_bind_text(s, 16, fs->site_url);
	if (fs->cur_interval > 0)
		sqlite3_bind_double(s, 17, fs->cur_interval);
	else
		sqlite3_bind_null(s, 17);
	sqlite3_bind_int(s, 18, fs->quiet_polls);
	if (fs->item_gap > 0)
		sqlite3_bind_double(s, 19, fs->item_gap);
	else
		sqlite3_bind_null(s, 19);
	sqlite3_bind_int(s, 20, fs->unsaved_polls);
	return step_done(st, s);
}

/* --- transactions ------------------------------------------------------- */

int
store_begin(struct store *st)
{
	/* BEGIN IMMEDIATE waits up to busy_timeout for another writer. */
	return exec_sql(st, "BEGIN IMMEDIATE");
}

int
store_commit(struct store *st)
{
	if (fts_flush(st) < 0 || exec_sql(st, "COMMIT") < 0) {
		/*
		 * NOTE: a failed COMMIT (SQLITE_FULL, SQLITE_IOERR) may or may
		 * not have ended the transaction; roll back explicitly so the
		 * connection is usable for the next poll.
		 */
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	st->nfts = 0;
	if (st->db && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* --- articles and stories ----------------------------------------------- */

/*
 * Puts a new story in its family: the most similar story among those
 * sharing an LSH key, if similar enough, else a family of its own.
 */
static int
story_family(struct store *st, int64_t id, const struct syn_fingerprint *fp)
{
	sqlite3_stmt *s = st->stmt[S_LSH_CANDIDATES];
	int64_t family = id;
	double best = 0;
	int rc;

	if (fp->has_minhash) {
		for (int i = 0; i < SYN_BANDS; i++)
			sqlite3_bind_int64(s, i + 1, fp->bands[i]);
		/* NOTE: the statement has room for 20 keys; unused ones stay NULL. */
		_Static_assert(SYN_BANDS <= 20, "S_LSH_CANDIDATES holds 20 keys");
		sqlite3_bind_int64(s, 21, id);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const unsigned char *blob = sqlite3_column_blob(s, 1);
			uint32_t other[SYN_MINHASH];
			double sim;

			if (blob == NULL || sqlite3_column_bytes(s, 1) != (int)sizeof(other))
				continue;
			for (int i = 0; i < SYN_MINHASH; i++)
				other[i] = (uint32_t)blob[4 * i] | (uint32_t)blob[4 * i + 1] << 8 |
				    (uint32_t)blob[4 * i + 2] << 16 | (uint32_t)blob[4 * i + 3] << 24;
			sim = syndicate_similarity(fp->minhash, other);
			if (syndicate_same_family(sim, fp->shingles,
			    (size_t)sqlite3_column_int64(s, 3)) && sim > best) {
				best = sim;
				family = sqlite3_column_type(s, 2) == SQLITE_NULL ?
				    sqlite3_column_int64(s, 0) : sqlite3_column_int64(s, 2);
			}
		}
		stmt_done(s);
		if (rc != SQLITE_DONE) {
			store_seterr(st, "%s: family lookup: %s", st->path, sqlite3_errmsg(st->db));
			return -1;
		}
		for (int i = 0; i < SYN_BANDS; i++) {
			s = st->stmt[S_LSH_INSERT];
			sqlite3_bind_int64(s, 1, fp->bands[i]);
			sqlite3_bind_int64(s, 2, id);
			if (step_done(st, s) < 0)
				return -1;
		}
	}
	s = st->stmt[S_STORY_SET_FAMILY];
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, family);
	return step_done(st, s);
}

/* Records the entities of a new story. */
static int
story_entities(struct store *st, int64_t story_id, const struct entity_list *l)
{
	sqlite3_stmt *s;
	json_t *all, *one;
	char *text;
	int rc;

	if (l == NULL || l->n == 0)
		return 0;
	all = json_array();
	for (size_t i = 0; i < l->n; i++) {
		/* NULL for a name that is not UTF-8 (extraction never makes one). */
		one = json_pack("[ssi]", l->v[i].name, entity_kind_name(l->v[i].kind),
		    l->v[i].mentions);
		if (one)
			json_array_append_new(all, one);
	}
	text = json_dumps(all, JSON_COMPACT);
	json_decref(all);
	if (text == NULL) {
		store_seterr(st, "%s: entities: out of memory", st->path);
		return -1;
	}
	s = st->stmt[S_ENTITIES_ADD];
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	rc = step_done(st, s);
	if (rc == 0) {
		s = st->stmt[S_STORY_ENTITIES_ADD];
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, story_id);
		rc = step_done(st, s);
	}
	free(text);
	return rc;
}

/* Gives the article its story's entities (none without a story). */
static int
article_entities(struct store *st, int64_t article_id, int64_t story_id)
{
	sqlite3_stmt *s = st->stmt[S_ART_ENTITIES_CLEAR];

	sqlite3_bind_int64(s, 1, article_id);
	if (step_done(st, s) < 0)
		return -1;
	if (story_id <= 0)
		return 0;
	s = st->stmt[S_ART_ENTITIES_LINK];
	sqlite3_bind_int64(s, 1, article_id);
	sqlite3_bind_int64(s, 2, story_id);
	return step_done(st, s);
}

int
store_story_known(struct store *st, const char *hash)
{
	sqlite3_stmt *s = st->stmt[S_STORY_KNOWN];
	int rc;

	store_bind_text(s, 1, hash);
	rc = sqlite3_step(s);
	stmt_done(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
	return -1;
}

/*
 * The story of fp's text, created (with its family) when new.  0 when fp
 * is NULL (no text, no story); -1 on error.
 */
static int64_t
story_for(struct store *st, const struct syn_fingerprint *fp, const char *title,
    const char *agency, const struct entity_list *entities, int64_t now,
    int64_t *first_article)
{
	sqlite3_stmt *s;
	unsigned char blob[4 * SYN_MINHASH];
	int64_t id = -1;
	int rc, created;

	*first_article = 0;
	if (fp == NULL)
		return 0;
	s = st->stmt[S_STORY_INSERT];
	store_bind_text(s, 1, fp->hash);
	store_bind_text(s, 2, title);
	store_bind_text(s, 3, agency);
	store_bind_time(s, 4, now);
	sqlite3_bind_int(s, 5, fp->teaser);
	if (fp->has_minhash) {
		for (int i = 0; i < SYN_MINHASH; i++) {
			blob[4 * i] = (unsigned char)fp->minhash[i];
			blob[4 * i + 1] = (unsigned char)(fp->minhash[i] >> 8);
			blob[4 * i + 2] = (unsigned char)(fp->minhash[i] >> 16);
			blob[4 * i + 3] = (unsigned char)(fp->minhash[i] >> 24);
		}
		sqlite3_bind_blob(s, 6, blob, sizeof(blob), SQLITE_TRANSIENT);
	} else
		sqlite3_bind_null(s, 6);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)fp->shingles);
	if (step_done(st, s) < 0)
		return -1;
	created = sqlite3_changes(st->db) > 0;
	s = st->stmt[S_STORY_ID];
	store_bind_text(s, 1, fp->hash);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		*first_article = sqlite3_column_int64(s, 1);
	} else
		store_seterr(st, "%s: story lookup: %s", st->path, sqlite3_errmsg(st->db));
	stmt_done(s);
	if (id > 0 && created && (story_family(st, id, fp) < 0 ||
	    story_entities(st, id, entities) < 0))
		return -1;
	return id;
}

/*
 * Removes the article's search entry if the UPDATE about to run changes
 * its title or body (s is one of the S_FTS_DEL_* statements, already
 * bound from ?2).  *removed tells whether to add it back after.
 */
static int
fts_remove_if(struct store *st, sqlite3_stmt *s, int64_t id, int *removed)
{
	if (fts_queued(st, id, 0)) {
		/* Not indexed yet: the queued entry will take the final text. */
		*removed = 0;
		return 0;
	}
	sqlite3_bind_int64(s, 1, id);
	if (step_done(st, s) < 0)
		return -1;
	*removed = sqlite3_changes(st->db) > 0;
	return 0;
}

/*
 * Adds the queued articles to the search index in one statement.  NOTE:
 * FTS5 writes its pending terms out as a new segment at every statement
 * savepoint, and every write in a transaction after the index's first
 * one takes a savepoint: indexing each article as it is stored made a
 * segment per article, and a fifth of the ingest went into merging them.
 * Queued until the commit, a poll's articles make one segment.
 */
static int
fts_flush(struct store *st)
{
	sqlite3_stmt *s = st->stmt[S_FTS_ADD_MANY];
	struct buf ids;
	int rc;

	if (st->nfts == 0)
		return 0;
	buf_init(&ids);
	buf_putc(&ids, '[');
	for (size_t i = 0; i < st->nfts; i++)
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)st->fts_queue[i]);
	buf_putc(&ids, ']');
	sqlite3_bind_text(s, 1, ids.data, (int)ids.len, SQLITE_STATIC);
	rc = step_done(st, s);
	buf_free(&ids);
	st->nfts = 0;
	return rc;
}

/*
 * Whether id waits in the queue of fts_flush; with forget, it is taken
 * out (the article is being deleted).
 */
static int
fts_queued(struct store *st, int64_t id, int forget)
{
	for (size_t i = st->nfts; i-- > 0;)
		if (st->fts_queue[i] == id) {
			if (forget)
				st->fts_queue[i] = st->fts_queue[--st->nfts];
			return 1;
		}
	return 0;
}

int
store_fts_add(struct store *st, int64_t id)
{
	sqlite3_stmt *s = st->stmt[S_FTS_ADD];

	if (sqlite3_get_autocommit(st->db)) {
		sqlite3_bind_int64(s, 1, id);
		return step_done(st, s);
	}
	if (fts_queued(st, id, 0))
		return 0;
	if (st->nfts == st->capfts) {
		st->capfts = st->capfts ? st->capfts * 2 : 64;
		st->fts_queue = xreallocarray(st->fts_queue, st->capfts, sizeof(*st->fts_queue));
	}
	st->fts_queue[st->nfts++] = id;
	/* Bounds the queue's linear searches in a very large transaction. */
	return st->nfts >= FTS_QUEUE_MAX ? fts_flush(st) : 0;
}

/* Keeps the article's current text as a revision if hash replaces it. */
static int
keep_revision(struct store *st, int64_t article_id, const char *hash, int64_t now,
    int only_page_text)
{
	sqlite3_stmt *s = st->stmt[S_REVISION];

	sqlite3_bind_int64(s, 1, article_id);
	store_bind_time(s, 2, now);
	store_bind_text(s, 3, hash);
	sqlite3_bind_int(s, 4, only_page_text);
	return step_done(st, s);
}

/* An article of the same feed re-published under a new guid or url. */
#define SAME_TEXT_WINDOW (3 * 86400)

/* Finds an article by (feed, guid) or url: 1 found, 0 not, -1 error. */
static int
article_find(struct store *st, int64_t feed_id, const struct article *a,
    int64_t *id, int64_t *story_id, char **url, int *page_done)
{
	sqlite3_stmt *s;
	int rc;

	for (int pass = 0; pass < 3; pass++) {
		if (pass == 0) {
			if (a->guid == NULL)
				continue;
			s = st->stmt[S_ART_BY_GUID];
			sqlite3_bind_int64(s, 1, feed_id);
			store_bind_text(s, 2, a->guid);
		} else if (pass == 1) {
			if (a->url == NULL)
				continue;
			s = st->stmt[S_ART_BY_URL];
			store_bind_text(s, 1, a->url);
		} else {
			/*
			 * The same feed's same full text from the last days under
			 * a new guid and url: the outlet re-published the article.
			 */
			if (a->fp == NULL || a->fp->teaser || !a->fp->has_minhash ||
			    a->keep_copies)
				continue;
			s = st->stmt[S_ART_BY_HASH];
			sqlite3_bind_int64(s, 1, feed_id);
			store_bind_text(s, 2, a->fp->hash);
			store_bind_time(s, 3, a->now - SAME_TEXT_WINDOW);
		}
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*id = sqlite3_column_int64(s, 0);
			*story_id = sqlite3_column_int64(s, 1);
			*url = column_text(s, 2);
			*page_done = sqlite3_column_int(s, 3);
		}
		stmt_done(s);
		if (rc == SQLITE_ROW)
			return 1;
		if (rc != SQLITE_DONE) {
			store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
			return -1;
		}
	}
	return 0;
}

/* Binds the parameters INSERT and UPDATE share: ?2, ?3, ?5..?17, ?19. */
static void
bind_article(sqlite3_stmt *s, const struct article *a, int64_t story_id)
{
	bind_id(s, 2, story_id);
	store_bind_text(s, 3, a->guid);
	store_bind_text(s, 5, a->title);
	store_bind_text(s, 6, a->byline);
	store_bind_text(s, 7, a->agency);
	store_bind_text(s, 8, a->dateline);
	store_bind_text(s, 9, a->summary);
	store_bind_text(s, 11, a->content_html);
	store_bind_text(s, 12, a->categories_json);
	store_bind_text(s, 13, a->enclosures_json);
	store_bind_text(s, 14, a->fp ? a->fp->hash : NULL);
	sqlite3_bind_int(s, 15, a->auto_published);
	store_bind_time(s, 16, a->published_at);
	store_bind_time(s, 17, a->updated_at);
	store_bind_text(s, 19, a->feed_text);
}

/* Drops story_id if no article uses it any more, else fixes its first article. */
static int
story_lost_copy(struct store *st, int64_t story_id, int64_t article_id)
{
	sqlite3_stmt *s = st->stmt[S_STORY_DELETE_ORPHAN];

	sqlite3_bind_int64(s, 1, story_id);
	if (step_done(st, s) < 0)
		return -1;
	s = st->stmt[S_STORY_FIX_FIRST];
	sqlite3_bind_int64(s, 1, story_id);
	sqlite3_bind_int64(s, 2, article_id);
	return step_done(st, s);
}

static int
story_set_first(struct store *st, int64_t story_id, int64_t article_id, const char *agency)
{
	sqlite3_stmt *s = st->stmt[S_STORY_SET_FIRST];

	sqlite3_bind_int64(s, 1, story_id);
	sqlite3_bind_int64(s, 2, article_id);
	if (step_done(st, s) < 0)
		return -1;
	s = st->stmt[S_STORY_AGENCY];
	sqlite3_bind_int64(s, 1, story_id);
	store_bind_text(s, 2, agency);
	return step_done(st, s);
}

int
store_article_upsert(struct store *st, int64_t feed_id, const struct article *a,
    int64_t now, enum store_outcome *outcome, int64_t *article_id)
{
	sqlite3_stmt *s;
	int64_t id = 0, old_story = 0, story = 0, first_article = 0;
	char *old_url = NULL;
	const char *url = a->url;
	int found, rc, page_done = 0, fts_removed = 0;

	found = article_find(st, feed_id, a, &id, &old_story, &old_url, &page_done);
	if (found < 0)
		return -1;
	if (!page_done) {
		story = story_for(st, a->fp, a->story_title ? a->story_title : a->title,
		    a->agency, a->entities, now, &first_article);
		if (story < 0)
			goto fail;
	}
	if (!found) {
		s = st->stmt[S_ART_INSERT];
		sqlite3_bind_int64(s, 1, feed_id);
		bind_article(s, a, story);
		store_bind_text(s, 4, url);
		store_bind_time(s, 18, now);
		sqlite3_bind_int(s, 20, a->want_page);
		if (step_done(st, s) < 0)
			goto fail;
		id = sqlite3_last_insert_rowid(st->db);
		*outcome = STORE_NEW;
		if (store_fts_add(st, id) < 0)
			goto fail;
		if (url != NULL) {
			/* Related-story links that pointed here before it was stored. */
			s = st->stmt[S_LINKS_TARGET_NEW];
			sqlite3_bind_int64(s, 1, id);
			store_bind_text(s, 2, url);
			if (step_done(st, s) < 0)
				goto fail;
		}
	} else {
		/*
		 * A guid seen before with a url now used by another row (the
		 * outlet moved a page onto another's address): keep the old url
		 * rather than break the unique index.
		 */
		if (url != NULL && !str_eq_null(url, old_url)) {
			s = st->stmt[S_ART_URL_TAKEN];
			store_bind_text(s, 1, url);
			sqlite3_bind_int64(s, 2, id);
			rc = sqlite3_step(s);
			stmt_done(s);
			if (rc == SQLITE_ROW)
				url = old_url;
			else if (rc != SQLITE_DONE) {
				store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
				goto fail;
			}
		}
		if (url == NULL)
			url = old_url;
		if (!page_done && keep_revision(st, id, a->fp ? a->fp->hash : NULL, now, 0) < 0)
			goto fail;
		s = st->stmt[page_done ? S_FTS_DEL_TITLE : S_FTS_DEL_FEED];
		store_bind_text(s, 2, a->title);
		if (!page_done)
			store_bind_text(s, 3, a->feed_text);
		if (fts_remove_if(st, s, id, &fts_removed) < 0)
			goto fail;
		/*
		 * The feed retitled an article whose page is stored: keep the
		 * old title with the old text now, before the page is fetched
		 * again (that revision then is not recorded twice).
		 */
		if (page_done && fts_removed && keep_revision(st, id, NULL, now, 0) < 0)
			goto fail;
		s = st->stmt[page_done ? S_ART_UPDATE_FEED_ONLY : S_ART_UPDATE];
		sqlite3_bind_int64(s, 1, id);
		bind_article(s, a, story);
		store_bind_text(s, 4, url);
		store_bind_time(s, 18, now);
		if (step_done(st, s) < 0)
			goto fail;
		/* The UPDATE's count, before the search index runs a statement. */
		*outcome = sqlite3_changes(st->db) > 0 ? STORE_CHANGED : STORE_UNCHANGED;
		if (fts_removed && store_fts_add(st, id) < 0)
			goto fail;
		if (*outcome == STORE_CHANGED && !page_done && old_story > 0 &&
		    old_story != story && story_lost_copy(st, old_story, id) < 0)
			goto fail;
		if (*outcome == STORE_CHANGED && a->want_page) {
			s = st->stmt[S_ART_WANT_PAGE];
			sqlite3_bind_int64(s, 1, id);
			if (step_done(st, s) < 0)
				goto fail;
		}
	}
	if (story > 0 && story_set_first(st, story, id, a->agency) < 0)
		goto fail;
	if (!page_done && (*outcome == STORE_NEW || (*outcome == STORE_CHANGED &&
	    old_story != story)) && article_entities(st, id, story) < 0)
		goto fail;
	free(old_url);
	if (article_id)
		*article_id = id;
	return 0;
fail:
	free(old_url);
	return -1;
}

int
store_pages_pending(struct store *st, int64_t feed_id, int64_t now, int limit,
    struct page_job **jobs, size_t *njobs)
{
	sqlite3_stmt *s = st->stmt[S_PAGES_PENDING];
	size_t n = 0, cap = 0;
	int rc;

	*jobs = NULL;
	*njobs = 0;
	sqlite3_bind_int64(s, 1, feed_id);
	store_bind_time(s, 2, now);
	sqlite3_bind_int(s, 3, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*jobs = xreallocarray(*jobs, cap, sizeof(**jobs));
		}
		(*jobs)[n].article_id = sqlite3_column_int64(s, 0);
		(*jobs)[n].url = column_text(s, 1);
		(*jobs)[n].attempts = sqlite3_column_int(s, 2);
		n++;
	}
	stmt_done(s);
	*njobs = n;
	if (rc != SQLITE_DONE) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		page_jobs_free(*jobs, n);
		*jobs = NULL;
		*njobs = 0;
		return -1;
	}
	return 0;
}

void
page_jobs_free(struct page_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(jobs[i].url);
	free(jobs);
}

/* Runs an UPDATE on one article prepared for the occasion (rare writes). */
static int
article_update(struct store *st, const char *sql, int64_t id, const char *text,
    int64_t a, int64_t b)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, text);
	bind_id(s, 3, a);
	bind_id(s, 4, b);
	return store_finish(st, s);
}

/*
 * An e-paper clip's own text and jump lines; its page's headline wins
 * over the index link's words the article was created with.
 */
static int
store_clip(struct store *st, int64_t id, const struct article_page *p)
{
	sqlite3_stmt *s = st->stmt[S_FTS_DEL_TITLE];
	int removed = 0;

	if (p->title != NULL) {
		store_bind_text(s, 2, p->title);
		if (fts_remove_if(st, s, id, &removed) < 0)
			return -1;
	}
	if (article_update(st, "UPDATE articles SET clip_text = ?2, jump_to = ?3,"
	    " jump_from = ?4 WHERE id = ?1", id, p->clip_text, p->jump_to, p->jump_from) < 0 ||
	    (p->title != NULL && article_update(st, "UPDATE articles SET title = ?2"
	    " WHERE id = ?1", id, p->title, 0, 0) < 0))
		return -1;
	return removed ? store_fts_add(st, id) : 0;
}

/*
 * The page's text is that of another article of the same feed from the
 * last days: the outlet re-published it under a new guid and url.  The
 * older article takes the new guid and url, and the new row goes.
 * Returns 1 when merged, 0 when not, -1 on error.
 */
static int
merge_republished(struct store *st, int64_t article_id, int64_t feed_id, const char *guid,
    const char *url, int64_t story_id, const struct syn_fingerprint *fp, int64_t now)
{
	sqlite3_stmt *s = st->stmt[S_ART_SAME_TEXT];
	int64_t older = 0;
	int rc;

	if (fp == NULL || fp->teaser || !fp->has_minhash)
		return 0;
	sqlite3_bind_int64(s, 1, feed_id);
	store_bind_text(s, 2, fp->hash);
	sqlite3_bind_int64(s, 3, article_id);
	store_bind_time(s, 4, now - SAME_TEXT_WINDOW);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		older = sqlite3_column_int64(s, 0);
	stmt_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	if (older == 0)
		return 0;
	s = st->stmt[S_FTS_DEL];
	sqlite3_bind_int64(s, 1, article_id);
	if (!fts_queued(st, article_id, 1) && step_done(st, s) < 0)
		return -1;
	s = st->stmt[S_ART_DROP];
	sqlite3_bind_int64(s, 1, article_id);
	if (step_done(st, s) < 0)
		return -1;
	if (story_id > 0 && story_lost_copy(st, story_id, article_id) < 0)
		return -1;
	s = st->stmt[S_ART_TAKE_IDENTITY];
	sqlite3_bind_int64(s, 1, older);
	store_bind_text(s, 2, guid);
	store_bind_text(s, 3, url);
	if (step_done(st, s) < 0)
		return -1;
	return 1;
}

int
store_article_page(struct store *st, int64_t article_id, const struct article_page *p,
    int64_t now)
{
	sqlite3_stmt *s;
	int64_t old_story = 0, story = 0, first_article = 0, feed_id = 0;
	char *title = NULL, *guid = NULL, *url = NULL;
	int rc, fts_removed = 0;

	s = st->stmt[S_ART_STORY];
	sqlite3_bind_int64(s, 1, article_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		old_story = sqlite3_column_int64(s, 0);
		title = column_text(s, 1);
		feed_id = sqlite3_column_int64(s, 2);
		guid = column_text(s, 3);
		url = column_text(s, 4);
	}
	stmt_done(s);
	if (rc != SQLITE_ROW) {
		store_seterr(st, "%s: article %lld: %s", st->path, (long long)article_id,
		    rc == SQLITE_DONE ? "no such article" : sqlite3_errmsg(st->db));
		return -1;
	}
	rc = p->keep_copies ? 0 :
	    merge_republished(st, article_id, feed_id, guid, url, old_story, p->fp, now);
	free(guid);
	free(url);
	if (rc != 0) {
		free(title);
		return rc < 0 ? -1 : 0;
	}
	story = story_for(st, p->fp, title ? title : p->title, p->agency, p->entities, now,
	    &first_article);
	free(title);
	if (story < 0)
		return -1;
	if (keep_revision(st, article_id, p->fp ? p->fp->hash : NULL, now, 1) < 0)
		return -1;
	s = st->stmt[S_FTS_DEL_PAGE];
	store_bind_text(s, 2, p->body);
	store_bind_text(s, 3, p->title);
	if (fts_remove_if(st, s, article_id, &fts_removed) < 0)
		return -1;
	s = st->stmt[S_PAGE_DONE];
	sqlite3_bind_int64(s, 1, article_id);
	store_bind_text(s, 2, p->body);
	store_bind_text(s, 3, p->byline);
	store_bind_text(s, 4, p->agency);
	store_bind_text(s, 5, p->dateline);
	sqlite3_bind_int(s, 6, p->auto_published);
	store_bind_time(s, 7, p->published_at);
	store_bind_time(s, 8, p->updated_at);
	store_bind_text(s, 9, p->page_url);
	store_bind_text(s, 10, p->fp ? p->fp->hash : NULL);
	bind_id(s, 11, story);
	store_bind_time(s, 12, now);
	sqlite3_bind_int(s, 13, p->count_attempt ? 1 : 0);
	store_bind_text(s, 14, p->title);
	if (step_done(st, s) < 0)
		return -1;
	if (fts_removed && store_fts_add(st, article_id) < 0)
		return -1;
	if (old_story > 0 && old_story != story && story_lost_copy(st, old_story, article_id) < 0)
		return -1;
	if (story > 0 && story_set_first(st, story, article_id, p->agency) < 0)
		return -1;
	if (old_story != story && article_entities(st, article_id, story) < 0)
		return -1;
	s = st->stmt[S_LINKS_DELETE];
	sqlite3_bind_int64(s, 1, article_id);
	if (step_done(st, s) < 0)
		return -1;
	for (size_t i = 0; i < p->nlinks; i++) {
		s = st->stmt[S_LINK_INSERT];
		sqlite3_bind_int64(s, 1, article_id);
		store_bind_text(s, 2, p->links[i].url);
		store_bind_text(s, 3, p->links[i].title);
		store_bind_text(s, 4, p->links[i].category);
		if (step_done(st, s) < 0)
			return -1;
	}
	if (p->html_z != NULL) {
		s = st->stmt[S_PAGE_KEEP];
		sqlite3_bind_int64(s, 1, article_id);
		store_bind_text(s, 2, p->fetched_url);
		store_bind_time(s, 3, now);
		store_bind_text(s, 4, p->content_type);
		sqlite3_bind_int64(s, 5, (sqlite3_int64)p->html_size);
		sqlite3_bind_blob64(s, 6, p->html_z, p->html_z_len, SQLITE_TRANSIENT);
		if (step_done(st, s) < 0)
			return -1;
	}
	if (p->clip && store_clip(st, article_id, p) < 0)
		return -1;
	return 0;
}

/* The story, title and agency of an article. */
static int
article_story(struct store *st, int64_t id, int64_t *story, char **title, char **agency)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT story_id, title, agency FROM articles"
	    " WHERE id = ?1", -1, &s, NULL) != SQLITE_OK) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*story = sqlite3_column_int64(s, 0);
		*title = column_text(s, 1);
		*agency = column_text(s, 2);
	} else
		store_seterr(st, "%s: article %lld: %s", st->path, (long long)id,
		    rc == SQLITE_DONE ? "no such article" : sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
store_article_joined(struct store *st, int64_t article_id, const char *body,
    const struct syn_fingerprint *fp, const struct entity_list *entities, int64_t now)
{
	sqlite3_stmt *s;
	int64_t old_story = 0, story, first_article = 0;
	char *title = NULL, *agency = NULL;
	int fts_removed = 0;

	if (article_story(st, article_id, &old_story, &title, &agency) < 0)
		return -1;
	story = story_for(st, fp, title, agency, entities, now, &first_article);
	free(title);
	if (story < 0) {
		free(agency);
		return -1;
	}
	s = st->stmt[S_FTS_DEL_PAGE];
	store_bind_text(s, 2, body);
	sqlite3_bind_null(s, 3);
	if (fts_remove_if(st, s, article_id, &fts_removed) < 0)
		goto fail;
	if (article_update(st, "UPDATE articles SET body = ?2, story_id = ?3,"
	    " content_hash = (SELECT content_hash FROM stories WHERE id = ?3),"
	    " continuation_of = NULL WHERE id = ?1", article_id, body, story, 0) < 0)
		goto fail;
	if (fts_removed && store_fts_add(st, article_id) < 0)
		goto fail;
	if (old_story > 0 && old_story != story && story_lost_copy(st, old_story, article_id) < 0)
		goto fail;
	if (story > 0 && story_set_first(st, story, article_id, agency) < 0)
		goto fail;
	if (old_story != story && article_entities(st, article_id, story) < 0)
		goto fail;
	free(agency);
	return 0;
fail:
	free(agency);
	return -1;
}

int
store_article_continues(struct store *st, int64_t article_id, int64_t head_id)
{
	int64_t old_story = 0;
	char *title = NULL, *agency = NULL;

	if (article_story(st, article_id, &old_story, &title, &agency) < 0)
		return -1;
	free(title);
	free(agency);
	if (article_update(st, "UPDATE articles SET continuation_of = ?3, story_id = NULL,"
	    " content_hash = NULL WHERE id = ?1", article_id, NULL, head_id, 0) < 0)
		return -1;
	if (old_story > 0 && story_lost_copy(st, old_story, article_id) < 0)
		return -1;
	return article_entities(st, article_id, 0);
}

int
store_article_page_failed(struct store *st, int64_t article_id, const char *why,
    int final, int64_t next_try)
{
	sqlite3_stmt *s = st->stmt[S_PAGE_FAILED];

	sqlite3_bind_int64(s, 1, article_id);
	store_bind_text(s, 2, final ? "failed" : "pending");
	store_bind_text(s, 3, why);
	store_bind_time(s, 4, final ? DATE_UNSET : next_try);
	return step_done(st, s);
}

int
store_checkpoint(struct store *st)
{
	int logged, ckpt;

	if (sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    &logged, &ckpt) != SQLITE_OK) {
		store_seterr(st, "%s: checkpoint: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_health(struct store *st, struct store_health *h)
{
	sqlite3_stmt *s = st->stmt[S_HEALTH];
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		h->feeds_active = sqlite3_column_int(s, 0);
		h->feeds_failing = sqlite3_column_int(s, 1);
		h->last_new_item_at = column_time(s, 2);
	}
	stmt_done(s);
	if (rc != SQLITE_ROW) {
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

static int
count_rows(struct store *st, const char *sql, long long *out)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		store_seterr(st, "%s: %s", st->path, sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
store_counts(struct store *st, long long *stories, long long *articles)
{
	if (count_rows(st, "SELECT count(*) FROM stories", stories) < 0 ||
	    count_rows(st, "SELECT count(*) FROM articles", articles) < 0)
		return -1;
	return 0;
}

static int
exec_bound(struct store *st, const char *sql, int64_t before, int limit, int *changes)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (s == NULL)
		return -1;
	store_bind_time(s, 1, before);
	sqlite3_bind_int(s, 2, limit);
	if (store_finish(st, s) < 0)
		return -1;
	/* The count of the last statement completed stays after finalize. */
	*changes += sqlite3_changes(st->db);
	return 0;
}

int
store_prune(struct store *st, int64_t bodies_before, int64_t articles_before, int limit,
    int *done)
{
	*done = 0;
	if (store_begin(st) < 0)
		return -1;
	/* The batch's ids, so the search index is told about exactly those rows. */
	if (exec_sql(st, "CREATE TEMP TABLE IF NOT EXISTS prune_batch (id INTEGER PRIMARY KEY)") < 0 ||
	    exec_sql(st, "DELETE FROM prune_batch") < 0)
		goto fail;
	if (bodies_before != DATE_UNSET) {
		if (exec_bound(st, "INSERT INTO prune_batch SELECT id FROM articles"
		    " WHERE first_seen_at < ?1 AND (body IS NOT NULL OR feed_text IS NOT NULL"
		    " OR content_html IS NOT NULL OR summary IS NOT NULL) LIMIT ?2",
		    bodies_before, limit, done) < 0 ||
		    exec_sql(st, "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
		    " SELECT 'delete', id, title, body FROM articles"
		    " WHERE id IN (SELECT id FROM prune_batch)") < 0 ||
		    exec_sql(st, "DELETE FROM pages WHERE article_id IN (SELECT id FROM prune_batch)") < 0 ||
		    exec_sql(st, "UPDATE articles SET body = NULL, feed_text = NULL,"
		    " content_html = NULL, summary = NULL WHERE id IN (SELECT id FROM prune_batch)") < 0 ||
		    exec_sql(st, "INSERT INTO articles_fts (rowid, title, body) SELECT id, title,"
		    " body FROM articles WHERE id IN (SELECT id FROM prune_batch)") < 0 ||
		    exec_sql(st, "DELETE FROM prune_batch") < 0)
			goto fail;
	}
	if (articles_before != DATE_UNSET) {
		/*
		 * Links, entities, revisions and pages go with their article (ON
		 * DELETE); stories left without copies, and first-article
		 * pointers to deleted rows, are fixed after.
		 */
		if (exec_bound(st, "INSERT INTO prune_batch SELECT id FROM articles"
		    " WHERE first_seen_at < ?1 LIMIT ?2", articles_before, limit, done) < 0 ||
		    exec_sql(st, "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
		    " SELECT 'delete', id, title, body FROM articles"
		    " WHERE id IN (SELECT id FROM prune_batch)") < 0 ||
		    exec_sql(st, "DELETE FROM articles WHERE id IN (SELECT id FROM prune_batch)") < 0 ||
		    exec_sql(st, "DELETE FROM stories WHERE NOT EXISTS (SELECT 1 FROM articles"
		    " a WHERE a.story_id = stories.id)") < 0 ||
		    exec_sql(st, "UPDATE stories SET first_article_id = (SELECT id FROM"
		    " articles a WHERE a.story_id = stories.id ORDER BY first_seen_at, id"
		    " LIMIT 1) WHERE first_article_id IS NOT NULL AND NOT EXISTS (SELECT 1"
		    " FROM articles a WHERE a.id = stories.first_article_id)") < 0)
			goto fail;
	}
	return store_commit(st);
fail:
	store_rollback(st);
	return -1;
}

int
store_checkpoint_nowait(struct store *st)
{
	int logged, ckpt, rc;

	/* NOTE: TRUNCATE would wait busy_timeout for readers; with 0 it gives up. */
	sqlite3_busy_timeout(st->db, 0);
	rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &logged, &ckpt);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (rc != SQLITE_OK) {
		/* Readers in the way: fold what can be folded without waiting. */
		sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &logged, &ckpt);
		store_seterr(st, "%s: checkpoint: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

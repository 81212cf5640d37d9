/*
 * test_store.c: the SQLite store on a real file: schema, feeds, upserts,
 * stories, read-only opening.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dates.h"
#include "store.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/dateline-test-store-XXXXXX";
static char path[256];

static long long
query_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -1;

	sqlite3_open(path, &db);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static struct feed_conf
conf(const char *name, const char *url)
{
	struct feed_conf c = { 0 };

	c.name = (char *)name;
	c.url = (char *)url;
	c.kind = FEED_KIND_AGENCY;
	c.interval = 600;
	c.enabled = true;
	return c;
}

int
main(void)
{
	char err[512];
	struct store *st;
	struct feed_state fa, fb;
	struct feed_conf ca = conf("a", "https://a.example/feed"), cb = conf("b", "https://b.example/feed");
	enum store_outcome out;
	int64_t id1, id2, id3, now = 1718759100;
	struct article a = { 0 };
	struct syn_fingerprint fp1 = { 0 }, fp2 = { 0 };

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);

	st = store_open(path, STORE_READWRITE, err, sizeof(err));
	ok(st != NULL, "new store created (%s)", st ? "" : err);
	if (st == NULL)
		return tap_done();
	is_int(query_int("PRAGMA user_version"), store_schema_version(), "user_version is the schema version");

	ok(store_feed_register(st, &ca, &fa) == 0 && fa.id > 0, "feed a registered");
	ok(store_feed_register(st, &cb, &fb) == 0 && fb.id > 0 && fb.id != fa.id, "feed b registered");
	ok(fa.last_polled_at == DATE_UNSET && fa.etag == NULL, "new feed has empty state");

	/* state round trip */
	fa.last_polled_at = now;
	feed_state_set(&fa.etag, "\"abc\"");
	feed_state_set(&fa.last_error, "x');DROP TABLE feeds;--");
	fa.consecutive_errors = 3;
	fa.unsaved_polls = 2;
	ok(store_feed_save(st, &fa) == 0, "state saved");
	is_int(query_int("SELECT polls FROM feeds WHERE name = 'a'"), 2,
	    "the polls not yet counted are added to feeds.polls");
	fa.unsaved_polls = 0;
	ok(store_feed_save(st, &fa) == 0 &&
	    query_int("SELECT polls FROM feeds WHERE name = 'a'") == 2,
	    "a save without a poll counts none");
	feed_state_free(&fa);
	ok(store_feed_register(st, &ca, &fa) == 0, "feed a re-registered");
	ok(fa.last_polled_at == now && fa.etag && strcmp(fa.etag, "\"abc\"") == 0 &&
	    fa.consecutive_errors == 3, "state survives re-registration");
	is_str(fa.last_error, "x');DROP TABLE feeds;--", "hostile string stored exactly");

	/* url change resets url-bound state */
	feed_state_free(&fa);
	ca.url = "https://a.example/other";
	ok(store_feed_register(st, &ca, &fa) == 0 && fa.etag == NULL && fa.consecutive_errors == 0,
	    "url change resets validators and errors");
	ok(fa.last_polled_at == now, "url change keeps history");

	/* articles */
	ok(store_begin(st) == 0, "begin");
	a.guid = "g1";
	a.url = "https://a.example/1";
	a.title = "One";
	a.feed_text = "Same text.";
	fp1.teaser = 0;
	snprintf(fp1.hash, sizeof(fp1.hash), "%064d", 1);
	a.fp = &fp1;
	a.now = now;
	a.published_at = now;
	a.updated_at = DATE_UNSET;
	ok(store_article_upsert(st, fa.id, &a, now, &out, &id1) == 0 && out == STORE_NEW, "new article");
	ok(store_article_upsert(st, fa.id, &a, now, &out, &id2) == 0 && out == STORE_UNCHANGED && id2 == id1,
	    "same article again: unchanged");
	a.guid = "g9";
	a.url = "https://b.example/9";
	a.title = "Copy at b";
	ok(store_article_upsert(st, fb.id, &a, now + 60, &out, &id3) == 0 && out == STORE_NEW, "copy in feed b");
	ok(store_commit(st) == 0, "commit");
	is_int(query_int("SELECT count(*) FROM stories"), 1, "copies share one story");
	is_int(query_int("SELECT copies * 10 + outlets FROM story_copies"), 22, "story_copies: 2 copies, 2 outlets");
	is_int(query_int("SELECT spread_minutes FROM story_copies"), 1, "story_copies: spread in minutes");
	is_int(query_int("SELECT first_article_id FROM stories"), id1, "first article recorded");

	/* same url, no guid, from another feed: same row */
	store_begin(st);
	a.guid = NULL;
	a.url = "https://a.example/1";
	a.title = "One";
	ok(store_article_upsert(st, fb.id, &a, now, &out, &id2) == 0 && id2 == id1,
	    "found by canonical url when there is no guid");
	/* change moves the article to a new story; the old keeps the other copy */
	a.guid = "g1";
	a.feed_text = "Changed text.";
	snprintf(fp2.hash, sizeof(fp2.hash), "%064d", 2);
	a.fp = &fp2;
	ok(store_article_upsert(st, fa.id, &a, now + 120, &out, &id2) == 0 && out == STORE_CHANGED &&
	    id2 == id1, "changed article updated in place");
	store_commit(st);
	is_int(query_int("SELECT count(*) FROM stories"), 2, "new story for the new text, old kept for its copy");
	is_int(query_int("SELECT first_article_id FROM stories WHERE content_hash LIKE '%1'"), id3,
	    "old story's first article moves to the remaining copy");
	/* the remaining copy changes too: the old story is dropped */
	store_begin(st);
	a.guid = "g9";
	a.url = "https://b.example/9";
	ok(store_article_upsert(st, fb.id, &a, now + 180, &out, NULL) == 0 && out == STORE_CHANGED, "copy changed");
	store_commit(st);
	is_int(query_int("SELECT count(*) FROM stories"), 1, "orphaned story dropped");

	/* rollback loses the transaction, nothing else */
	store_begin(st);
	a.guid = "g2";
	a.url = "https://a.example/2";
	store_article_upsert(st, fa.id, &a, now, &out, NULL);
	store_rollback(st);
	is_int(query_int("SELECT count(*) FROM articles"), 2, "rollback drops the open transaction only");

	/* removed feeds become inactive */
	{
		char *names[] = { "b" };
		ok(store_feeds_deactivate_others(st, names, 1) == 0, "deactivate others");
		is_int(query_int("SELECT active FROM feeds WHERE name = 'a'"), 0, "feed a inactive");
		is_int(query_int("SELECT count(*) FROM articles WHERE feed_id = (SELECT id FROM feeds WHERE name='a')"),
		    1, "its articles kept");
	}
	feed_state_free(&fa);
	feed_state_free(&fb);
	ok(store_checkpoint(st) == 0, "checkpoint");
	store_close(st);

	/* read-only */
	st = store_open(path, STORE_READONLY, err, sizeof(err));
	ok(st != NULL, "read-only open");
	store_close(st);
	{
		sqlite3 *db;
		sqlite3_open(path, &db);
		sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
		sqlite3_close(db);
	}
	st = store_open(path, STORE_READWRITE, err, sizeof(err));
	ok(st == NULL && strstr(err, "newer") != NULL, "a newer schema is refused: %s", err);
	store_close(st);
	st = store_open("/nonexistent-dir/x.db", STORE_READWRITE, err, sizeof(err));
	ok(st == NULL && strstr(err, "/nonexistent-dir/x.db") != NULL, "unusable path: %s", err);

	unlink(path);
	{
		char p2[300];
		snprintf(p2, sizeof(p2), "%s-wal", path);
		unlink(p2);
		snprintf(p2, sizeof(p2), "%s-shm", path);
		unlink(p2);
	}
	rmdir(dir);
	return tap_done();
}

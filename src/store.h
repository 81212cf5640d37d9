/*
 * store.h: the SQLite store.  The only module that speaks SQL.
 *
 * Every statement is prepared once and bound with parameters; no SQL is
 * ever built from strings.  Writers group each feed poll into one
 * BEGIN IMMEDIATE transaction (store_begin/store_commit), so a poll is
 * stored whole or not at all.
 */
#ifndef DATELINE_STORE_H
#define DATELINE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct store;

enum store_mode {
	STORE_READWRITE,  /* creates the file, applies migrations */
	STORE_READONLY,   /* mode=ro: never writes, never blocks the writer */
};

/*
 * Opens (creating if needed, in STORE_READWRITE) the database at path and
 * brings its schema up to date.  Returns NULL with a one-line reason in
 * err when the file cannot be used.
 */
struct store *store_open(const char *path, enum store_mode mode, char *err, size_t errlen);
void store_close(struct store *st);

/* The schema version this program writes (the last migration's number). */
int store_schema_version(void);

/* Per-feed polling state: the `feeds` row minus its configuration. */
struct feed_state {
	int64_t id;
	char *fetch_url;         /* poll this instead of the configured url, or NULL */
	char *redirect_url;      /* permanent redirect target being counted, or NULL */
	int redirect_count;
	char *etag, *last_modified;
	int64_t last_polled_at, last_success_at, last_new_item_at;
	int64_t next_poll_at, gone_at;   /* DATE_UNSET when not set */
	int last_status;
	char *last_error;
	int consecutive_errors;
	char *title, *site_url;
};

void feed_state_free(struct feed_state *fs);
/* Replaces *slot with a copy of value (NULL allowed). */
void feed_state_set(char **slot, const char *value);

/*
 * Makes the feeds row for conf exist and be active, updating its url, kind
 * and agency, and loads its state into *fs.  When the configured url
 * changed, the state that belonged to the old url (fetch_url, redirects,
 * validators, gone_at, errors) is reset.  Returns 0 or -1 (logged).
 */
int store_feed_register(struct store *st, const struct feed_conf *conf, struct feed_state *fs);

/* Marks every feed not named in names[0..n) inactive.  0 or -1 (logged). */
int store_feeds_deactivate_others(struct store *st, char *const *names, size_t n);

/* Writes fs back to its row.  0 or -1 (logged, *err set). */
int store_feed_save(struct store *st, const struct feed_state *fs);

/* Transactions.  store_begin takes the write lock (BEGIN IMMEDIATE). */
int store_begin(struct store *st);
int store_commit(struct store *st);
/* Rolls back if a transaction is open; safe to call at any time. */
void store_rollback(struct store *st);

/* An article as the pipeline hands it to the store (borrowed strings). */
struct article {
	const char *guid, *url;          /* url: canonical */
	const char *title, *byline, *agency, *dateline;
	const char *summary, *body, *content_html;
	const char *categories_json, *enclosures_json;
	const char *content_hash;        /* NULL: no story */
	const char *story_title;         /* title for a new story row */
	int auto_published;
	int64_t published_at, updated_at;   /* DATE_UNSET when unknown */
};

enum store_outcome {
	STORE_NEW,        /* a new row */
	STORE_CHANGED,    /* an existing row whose content changed */
	STORE_UNCHANGED,  /* an existing row, nothing to do */
};

/*
 * Inserts or updates an article of feed feed_id: an existing row is found
 * by (feed, guid), else by canonical url.  Links it to the story of its
 * content_hash (creating the story).  now is the poll time.  Returns 0 and
 * sets *outcome, or -1 (logged, *err set).  Must run inside a transaction.
 */
int store_article_upsert(struct store *st, int64_t feed_id, const struct article *a,
    int64_t now, enum store_outcome *outcome, int64_t *article_id);

/* The last error message of the store (valid until the next call). */
const char *store_errmsg(struct store *st);

/* Folds the WAL back into the database and truncates it. */
int store_checkpoint(struct store *st);

/* Counters for the daemon's STATUS line. */
struct store_health {
	int feeds_active;
	int feeds_failing;         /* active feeds whose last poll failed */
	int64_t last_new_item_at;  /* DATE_UNSET if none */
};
int store_health(struct store *st, struct store_health *h);

#endif

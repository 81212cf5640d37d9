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
#include "entities.h"
#include "syndicate.h"

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
	double cur_interval;     /* adaptive interval now, 0 when not yet set */
	int quiet_polls;         /* successful polls in a row that found nothing new */
	double item_gap;         /* usual seconds between polls finding new items, 0: unknown */
	int unsaved_polls;       /* polls not yet counted in feeds.polls */
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

/*
 * Writes fs back to its row, adding fs->unsaved_polls to feeds.polls; the
 * caller zeroes unsaved_polls once the transaction is committed.  0 or -1
 * (logged, *err set).
 */
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
	const char *summary, *content_html;
	const char *feed_text;           /* the feed's plain text; the body until a page is stored */
	const char *categories_json, *enclosures_json;
	const struct syn_fingerprint *fp;/* the text's fingerprint; NULL: no story */
	const char *story_title;         /* title for a new story row */
	/* The story's entities, when its story is new (see store_story_known). */
	const struct entity_list *entities;
	int64_t now;                     /* the poll time */
	int auto_published;
	int want_page;                   /* queue the article's page for fetching */
	/*
	 * The same text under a new guid and url is another article, not the
	 * feed re-publishing this one (a spool: many sources in one feed).
	 */
	int keep_copies;
	int64_t published_at, updated_at;   /* DATE_UNSET when unknown */
};

enum store_outcome {
	STORE_NEW,        /* a new row */
	STORE_CHANGED,    /* an existing row whose content changed */
	STORE_UNCHANGED,  /* an existing row, nothing to do */
};

/*
 * Inserts or updates an article of feed feed_id: an existing row is found
 * by (feed, guid), else by canonical url, else (unless a->keep_copies) by
 * the same full text in the same feed within three days (re-published
 * under a new guid and url).  A changed text keeps the previous one as a revision.  Links the
 * article to the story of its fingerprint (creating the story, and
 * placing it in the family of its nearest variant).  now is the poll time.  Returns 0 and
 * sets *outcome, or -1 (logged, *err set).  Must run inside a transaction.
 */
int store_article_upsert(struct store *st, int64_t feed_id, const struct article *a,
    int64_t now, enum store_outcome *outcome, int64_t *article_id);

/*
 * Whether the story of hash exists already, so that the caller extracts
 * entities only for new stories.  1, 0, or -1 on error.
 */
int store_story_known(struct store *st, const char *hash);

/* An article whose page is due to be fetched. */
struct page_job {
	int64_t article_id;
	char *url;
	int attempts;        /* failed attempts so far */
};

/*
 * The articles of feed_id whose pages are pending and due at now, newest
 * first, at most limit.  Returns 0 with a malloc'd array (freed with
 * page_jobs_free), or -1.
 */
int store_pages_pending(struct store *st, int64_t feed_id, int64_t now, int limit,
    struct page_job **jobs, size_t *njobs);
void page_jobs_free(struct page_job *jobs, size_t n);

struct store_link {
	const char *url, *title, *category;
};

/* What an article's own page gave (borrowed strings). */
struct article_page {
	const char *page_url;        /* canonical URL the page declares, or NULL */
	const char *title;           /* used only where the article has none */
	const char *body, *byline, *agency, *dateline;
	const struct syn_fingerprint *fp;   /* the body's fingerprint; NULL: no story */
	const struct entity_list *entities; /* when the story is new, else NULL */
	int auto_published;
	int64_t published_at, updated_at;   /* DATE_UNSET when unknown */
	const struct store_link *links;
	size_t nlinks;
	int count_attempt;           /* a fetch (not a re-extraction): count it */
	/* The raw page, compressed, when it is to be kept; else html_z NULL. */
	const void *html_z;
	size_t html_z_len, html_size;
	const char *fetched_url, *content_type;
	/*
	 * The same text as another article of the feed is another copy, not
	 * the feed re-publishing that one (spools, e-paper editions).
	 */
	int keep_copies;
	/* An e-paper clip: its own text and jump lines (see clips.h). */
	int clip;
	const char *clip_text;
	int jump_to, jump_from;
};

/*
 * Stores what an article's page gave: body, byline, agency, dateline,
 * links (replacing the previous ones), story by the new content hash, and
 * the raw page when given.  Must run inside a transaction.  0 or -1.
 */
int store_article_page(struct store *st, int64_t article_id, const struct article_page *p,
    int64_t now);

/*
 * An e-paper article continued on other pages: body (the joined text of
 * its clips) replaces its own and gets its story; no revision is kept
 * (the clip's text alone was never the article).  Inside a transaction.
 * 0 or -1.
 */
int store_article_joined(struct store *st, int64_t article_id, const char *body,
    const struct syn_fingerprint *fp, const struct entity_list *entities, int64_t now);

/*
 * Marks article_id as a clip continuing head_id: it keeps its own text
 * but leaves its story (the joined text is head_id's).  Inside a
 * transaction.  0 or -1.
 */
int store_article_continues(struct store *st, int64_t article_id, int64_t head_id);

/*
 * Records a failed page fetch: final, the article keeps its feed text for
 * good; otherwise it is tried again from next_try.  0 or -1.
 */
int store_article_page_failed(struct store *st, int64_t article_id, const char *why,
    int final, int64_t next_try);

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

/* Rows in stories and articles (a full count: call it rarely). */
int store_counts(struct store *st, long long *stories, long long *articles);

/*
 * Retention: clears the texts (body, feed text, HTML, kept page) of up to
 * limit articles first seen before bodies_before, and deletes up to limit
 * articles first seen before articles_before (with their links, entities
 * and pages; stories left without copies go too).  DATE_UNSET skips
 * either.  One transaction; *done gets the number of rows touched.
 */
int store_prune(struct store *st, int64_t bodies_before, int64_t articles_before, int limit,
    int *done);

/*
 * Folds the WAL back and truncates it if no reader is in the way; never
 * waits (the event loop must not block).  0, or -1 when it could not.
 */
int store_checkpoint_nowait(struct store *st);

#endif

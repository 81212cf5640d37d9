/*
 * ingest.h: the pipeline from one fetched document to one store
 * transaction: parse, normalize, hash, store.
 */
#ifndef DATELINE_INGEST_H
#define DATELINE_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store.h"

struct ingest_stats {
	size_t items;        /* items in the document */
	size_t added;        /* new articles */
	size_t changed;      /* articles whose content changed */
	size_t unchanged;
	size_t skipped;      /* items without a usable link or guid */
	int partial;         /* the document was malformed and recovered */
};

/* What ingest needs to know of the HTTP response. */
struct ingest_doc {
	const char *body;
	size_t len;
	const char *url;           /* the final URL, for relative links */
	const char *content_type;  /* or NULL */
};

/*
 * Parses doc as a feed of conf and stores its items, then fs, all in one
 * transaction.  On success fs->last_new_item_at and the feed's title and
 * site url are updated.  Returns 0, or with a one-line reason in err
 * (nothing is written then: the caller records the error) -1 when the
 * document is unusable, -2 when the store failed (worth trying again).
 */
struct entity_db;

struct ingest_feed_opts {
	const struct entity_db *entities;     /* for new stories; NULL: none */
	/*
	 * Called inside the transaction once the items are stored and before
	 * fs is saved, so that what depends on the outcome (the next poll's
	 * time) is saved with it.
	 */
	void (*before_save)(struct feed_state *fs, const struct ingest_stats *stats, void *arg);
	void *arg;
};

/* o may be NULL. */
int ingest_feed_document(struct store *st, const struct feed_conf *conf,
    struct feed_state *fs, const struct ingest_doc *doc, int64_t now,
    const struct ingest_feed_opts *o, struct ingest_stats *stats, char *err, size_t errlen);

struct page_rules;

/* How a feed wants its article pages read. */
struct ingest_page_opts {
	const struct page_rules *rules;
	const struct entity_db *entities;     /* for new stories; NULL: none */
	const char *timezone;                 /* for visible times without a zone */
	const struct extract_xpaths *extract; /* per-site overrides, or NULL */
	int keep_html;                        /* keep the raw page, compressed */
	int reextract;                        /* a kept page read again, not a fetch */
	/*
	 * An e-paper clip: jump lines ("Continued on page 4") are cut from
	 * the text and kept for joining (ingest_edition_join), and its text
	 * is never merged with another article of the feed.
	 */
	int clip;
};

/*
 * Extracts the article from its fetched page (a 2xx response) and stores
 * body, byline, agency, dateline, times, related links and the story in
 * one transaction.  Returns 0 when stored; 1 when the page is not usable
 * (not HTML, no article on it: err says why, trying again will not help);
 * -1 when the store failed (err says why; worth trying again).
 */
int ingest_article_page(struct store *st, int64_t article_id, const struct ingest_doc *doc,
    const struct ingest_page_opts *opts, int64_t now, char *err, size_t errlen);

/*
 * Stores an article page that is itself the item (an HTML file dropped
 * into a spool) as an article of the feed, with everything its page
 * gives, then fs, in one transaction.  The article is found again by
 * guid within the feed, else by the canonical URL the page declares
 * (link rel=canonical, og:url); a page without one has no URL.  stats
 * counts it as one item.  Returns 0 when stored; 1 when the page is not
 * usable (err says why); -1 when the store failed (err says why).
 */
int ingest_page_document(struct store *st, const struct feed_conf *conf,
    struct feed_state *fs, const struct ingest_doc *doc, const char *guid,
    const struct ingest_page_opts *opts, int64_t now, struct ingest_stats *stats,
    char *err, size_t errlen);

/* What a dropped file is: a feed document, or an article page. */
enum ingest_kind {
	INGEST_FEED,
	INGEST_PAGE,
};

/*
 * By its name's extension (.html, .htm, .xhtml: a page), else by its
 * first bytes (an HTML doctype or <html>: a page; anything else, RSS,
 * Atom or JSON Feed, is read as a feed).
 */
enum ingest_kind ingest_classify(const char *name, const struct ingest_doc *doc);

/*
 * Joins the continued articles of an indexed e-paper edition whose pages
 * are all dealt with: each chain of clips (clips.h) becomes one body on
 * its first clip's article, with its story (entities from edb, may be
 * NULL); then the edition is done.  One transaction.  Returns the number
 * of articles joined, or -1 with err set.
 */
int ingest_edition_join(struct store *st, int64_t edition_id, const struct entity_db *edb,
    int64_t now, char *err, size_t errlen);

/* The charset parameter of a Content-Type value, malloc'd, or NULL. */
char *ingest_charset(const char *content_type);

#endif

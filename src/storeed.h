/*
 * storeed.h: the store's e-paper editions (tables editions and
 * edition_articles, migration 003).  Part of the store, the only layer
 * that speaks SQL.
 */
#ifndef DATELINE_STOREED_H
#define DATELINE_STOREED_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum edition_state {
	EDITION_NONE,       /* never looked for */
	EDITION_PENDING,    /* looked for, not found yet */
	EDITION_INDEXED,    /* its index read; article pages being fetched */
	EDITION_DONE,       /* every page dealt with, continued articles joined */
};

/* The state of feed_id's edition on date ("YYYY-MM-DD").  0 or -1. */
int store_edition_state(struct store *st, int64_t feed_id, const char *edition,
    const char *date, enum edition_state *state);

/*
 * Records a look for the edition now (its row is created pending if
 * new; attempts counted) and returns its id in *id.  0 or -1.
 */
int store_edition_look(struct store *st, int64_t feed_id, const char *edition,
    const char *date, const char *index_url, int64_t now, int64_t *id);

/*
 * One article link of an edition, inside a transaction: the article is
 * found by its canonical url, else created (with title, its page to be
 * fetched); then recorded as having run on page (0: unknown) at
 * position.  *added: 1 when the article is new.  0 or -1.
 */
int store_edition_link(struct store *st, int64_t edition_id, int64_t feed_id,
    const char *url, const char *title, int page, int position, int64_t now, int *added);

/* What a look at an edition came to. */
struct edition_outcome {
	enum edition_state state;   /* EDITION_PENDING, _INDEXED or _DONE */
	int index_pages;            /* index pages read in this look */
	size_t offsite, skipped;    /* links not followed */
	const char *why;            /* the failure, or why reading stopped short; or NULL */
};

/*
 * Records the outcome of a look at edition_id (its article count from
 * the links recorded; done keeps the note the look left).  0 or -1.
 */
int store_edition_update(struct store *st, int64_t edition_id,
    const struct edition_outcome *o, int64_t now);

/*
 * The editions of feed_id that are indexed and have no article page
 * still pending: ready to be joined and done.  Returns 0 with a malloc'd
 * array of ids, or -1.
 */
int store_editions_settled(struct store *st, int64_t feed_id, int64_t **ids, size_t *n);

/* An article of an edition, as the joiner needs it. */
struct edition_clip {
	int64_t article_id;
	int page, position;
	char *title, *clip_text;    /* or NULL */
	int jump_to, jump_from;
};

/* The articles of an edition in index order.  0 with *clips malloc'd, or -1. */
int store_edition_clips(struct store *st, int64_t edition_id, struct edition_clip **clips,
    size_t *n);
void edition_clips_free(struct edition_clip *clips, size_t n);

#endif

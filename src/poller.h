/*
 * poller.h: the feeds being polled: one timer per feed, fetch (or, for a
 * spool, scan its folder), ingest, record the outcome, schedule the next
 * poll.  Applies configuration
 * changes (SIGHUP) without losing any feed's state.
 */
#ifndef DATELINE_POLLER_H
#define DATELINE_POLLER_H

#include <stdint.h>

#include "config.h"
#include "metrics.h"

struct ev_loop;
struct fetcher;
struct store;
struct pages;
struct poller;
struct entity_db;
struct page_rules;

/*
 * New stories get their entities from entities (may be NULL); article
 * pages dropped into spools are read with rules.
 * After each successful poll of a feed with fetch_articles, its pending
 * article pages are handed to pages.  once: poll every enabled feed one
 * time, now, and call all_done(arg) when the last poll has been recorded
 * and no article page is left to fetch (also when there is nothing to
 * poll).
 */
struct poller *poller_new(struct ev_loop *loop, struct store *st, struct fetcher *f,
    struct pages *pages, const struct page_rules *rules, const struct entity_db *entities,
    int once, void (*all_done)(void *arg), void *arg);

/* To be called when the page queue drains (pages_new's idle callback). */
void poller_pages_idle(struct poller *p);

/*
 * Makes the polled feeds those of cfg: new feeds are registered and
 * scheduled, removed ones stop (their rows and articles stay), changed
 * ones take their new settings.  cfg must stay valid until the next
 * poller_apply or poller_free.  Returns 0, or -1 if the store failed.
 */
int poller_apply(struct poller *p, const struct config *cfg);

/* Cancels every fetch and timer; nothing is written afterwards. */
void poller_free(struct poller *p);

struct poller_status {
	int feeds;              /* enabled feeds */
	int failing;            /* whose last poll failed, or gone */
	int64_t last_new_item;  /* wall-clock seconds, or DATE_UNSET */
	int in_flight;
};
void poller_status(const struct poller *p, struct poller_status *s);

/* Counters since start, for the metrics file. */
const struct poller_counters *poller_counters(const struct poller *p);

#endif

/*
 * pages.h: fetching the article pages of feeds with fetch_articles: true,
 * politely.
 *
 * Per host (scheme, name and port): at most page_host_connections
 * requests at once, at least page_delay (or the site's Crawl-delay, up to
 * a minute) between the starts of two requests, and robots.txt honoured
 * (fetched once, kept for a day) unless the feed says robots: false.
 * Each fetched page goes through ingest_article_page; failures are
 * recorded on the article and retried a bounded number of times at later
 * polls.
 */
#ifndef DATELINE_PAGES_H
#define DATELINE_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct ev_loop;
struct fetcher;
struct store;
struct page_rules;
struct entity_db;
struct pages;

/*
 * idle(arg) is called whenever the last queued page has been dealt with
 * (--once waits for it).
 */
struct pages *pages_new(struct ev_loop *loop, struct fetcher *f, struct store *st,
    const struct page_rules *rules, const struct entity_db *entities,
    void (*idle)(void *arg), void *arg);

/* Takes the global settings of cfg (per-host cap, delay, user agent). */
void pages_configure(struct pages *p, const struct config *cfg);

/*
 * Queues the pending, due pages of feed feed_id configured as conf, at
 * most conf->page_budget of them; pages already queued are not queued
 * twice.  Settings are copied: conf may go away afterwards.
 */
void pages_enqueue_feed(struct pages *p, const struct feed_conf *conf, int64_t feed_id);

/* Pages stored, and pages given up on for good, since start. */
void pages_counts(const struct pages *p, uint64_t *stored, uint64_t *failed);

/* Pages queued or in flight. */
size_t pages_pending(const struct pages *p);

/* Cancels everything; nothing is written afterwards. */
void pages_free(struct pages *p);

#endif

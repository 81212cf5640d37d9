/*
 * epaper.h: polling an e-paper feed's editions (kind: epaper with
 * follow:).
 *
 * A poll looks for every edition due (schedule.h: today's once its time
 * has come, and those of the backfill days) that the store does not have
 * indexed yet: the url template (template.h) is expanded for the edition
 * and date, the index page is fetched and its article links recorded
 * (epindex.h), then the next index page, until there is none, the
 * edition's budget is spent, or an index page repeats.  The article pages
 * themselves go through the polite page queue (pages.h) like any
 * article's.  An edition not there yet (HTTP 404) stays pending and is
 * looked for again at the next poll; an indexed edition is never fetched
 * again.  Once every article page of an indexed edition is dealt with,
 * epaper_settle joins its continued articles and marks it done.
 */
#ifndef DATELINE_EPAPER_H
#define DATELINE_EPAPER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct fetcher;
struct store;
struct entity_db;
struct epaper_walk;

/* What one poll came to. */
struct epaper_result {
	int looked;             /* editions looked for */
	int found;              /* of which indexed now */
	int pending;            /* of which still not there */
	int failed;             /* of which the look failed (network, server, store) */
	size_t articles;        /* article links recorded */
	char error[256];        /* the last failure, when failed > 0 */
};

/*
 * Starts a poll of the e-paper feed conf (stored as feed_id) at now;
 * done(res, arg) is called from the event loop when it is over.  Returns
 * NULL, without calling done and with the result in *res, when the poll
 * is over at once: no edition due, every due one indexed already, or the
 * store failing.  The walk copies what it needs of conf.
 */
struct epaper_walk *epaper_walk_start(struct fetcher *f, struct store *st,
    const struct feed_conf *conf, int64_t feed_id, const char *user_agent, int64_t now,
    void (*done)(const struct epaper_result *res, void *arg), void *arg,
    struct epaper_result *res);

/* Stops a poll in progress; done is not called. */
void epaper_walk_cancel(struct epaper_walk *w);

/*
 * Joins the continued articles of every indexed edition of feed_id whose
 * article pages are all dealt with, and marks it done.  Returns the
 * editions done, or -1 (logged).
 */
int epaper_settle(struct store *st, const struct feed_conf *conf, int64_t feed_id,
    const struct entity_db *edb, int64_t now);

/*
 * Seconds until the feed's next edition appears, or -1 when it cannot be
 * said (unknown zone).
 */
double epaper_next_due(const struct feed_conf *conf, int64_t now);

#endif

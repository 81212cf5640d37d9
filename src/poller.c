/*
 * poller.c: per-feed timers and the outcome of each poll.
 */
#include "poller.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "dates.h"
#include "epaper.h"
#include "fetch.h"
#include "ingest.h"
#include "log.h"
#include "metrics.h"
#include "pages.h"
#include "sched.h"
#include "spool.h"
#include "store.h"
#include "util.h"

/* A 301/308 must be seen this many polls in a row before the feed moves. */
#define REDIRECT_SIGHTINGS 3
/*
 * A local outage: at least this many feeds on as many different servers
 * (scheme, host and port), and at least four in five of all feeds, failed
 * to connect with no server answering in between.  One server down is
 * that server's problem, not the network's.
 */
#define OUTAGE_MIN_FEEDS 3
#define OUTAGE_SHARE 0.8
/* A spool with more files than a batch takes the next batch this soon. */
#define SPOOL_NEXT_BATCH 0.05
/*
 * The state of feeds after their polls is written in one transaction this
 * often, not one per poll: with thousands of feeds most polls are 304s
 * whose only trace is that row, and a transaction each cost more than the
 * HTTP request.  A crash loses at most this much poll bookkeeping (the
 * feed is polled again a little early); articles are stored at once, in
 * the ingest's own transaction.
 */
#define SAVE_DELAY 1.0

struct feed_run {
	struct poller *p;
	const struct feed_conf *conf;
	struct feed_state st;
	ev_timer timer;
	struct fetch *inflight;
	int polled;             /* once mode: this feed's poll is recorded */
	int mark;               /* poller_apply: still configured */
	int64_t prev_success, prev_new;  /* before the poll being recorded */
	/* What a transport failure changed, undone if it was a local outage. */
	int suspect;
	int undo_errors;
	char *undo_error;
	struct spool *spool;    /* kind spool: its folder */
	struct epaper_walk *walk;  /* kind epaper (editions): the poll in progress */
	int save_queued;        /* in poller.unsaved */
};

struct poller {
	struct ev_loop *loop;
	struct store *store;
	struct fetcher *fetcher;
	struct pages *pages;
	const struct entity_db *entities;
	const struct page_rules *rules;
	const struct config *cfg;
	struct feed_run **runs;  /* sorted by name */
	size_t nruns;
	int once;
	int finished;           /* once mode: all_done called */
	size_t once_pending;
	void (*all_done)(void *);
	void *arg;
	uint64_t rng;
	/* Feeds that failed to connect since the last answer from any server. */
	struct feed_run **suspects;
	size_t nsuspects, capsuspects;
	int outage;             /* most feeds failed at once: the network is down */
	struct poller_counters counters;
	/* Feeds whose state changed since the last save_flush. */
	struct feed_run **unsaved;
	size_t nunsaved, capunsaved;
	ev_timer save_timer;
};

static void feed_poll(struct feed_run *r);

/* xorshift64*: jitter only needs to be cheap and differ between processes. */
static double
rnd(struct poller *p)
{
	p->rng ^= p->rng >> 12;
	p->rng ^= p->rng << 25;
	p->rng ^= p->rng >> 27;
	return (double)((p->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static struct sched_policy
policy(const struct feed_conf *c)
{
	struct sched_policy sp = { c->interval, c->retry_min, c->retry_max };

	return sp;
}

static const char *
feed_url(const struct feed_run *r)
{
	return r->st.fetch_url ? r->st.fetch_url : r->conf->url;
}

static void
schedule(struct feed_run *r, double delay)
{
	struct poller *p = r->p;

	ev_timer_stop(p->loop, &r->timer);
	if (delay < 0)
		delay = 0;
	/* Recorded in --once mode too: a daemon started later honours it. */
	r->st.next_poll_at = (int64_t)(now_wall() + delay);
	if (p->once)
		return;
	ev_timer_set(&r->timer, delay, 0.);
	ev_timer_start(p->loop, &r->timer);
	log_debug("feed %s: next poll in %.0fs", r->conf->name, delay);
}

/*
 * Writes the state of every feed queued by save_later in one transaction.
 * When the store cannot take all of it (locked past busy_timeout, disk
 * full) none is written and the feeds stay queued for the next try.
 * Returns 0 or -1.
 */
static int
save_flush(struct poller *p)
{
	ev_timer_stop(p->loop, &p->save_timer);
	if (p->nunsaved == 0)
		return 0;
	if (store_begin(p->store) < 0)
		goto retry;
	for (size_t i = 0; i < p->nunsaved; i++)
		if (store_feed_save(p->store, &p->unsaved[i]->st) < 0) {
			/* Some errors end the transaction themselves: end it here. */
			store_rollback(p->store);
			goto retry;
		}
	if (store_commit(p->store) < 0)
		goto retry;
	for (size_t i = 0; i < p->nunsaved; i++) {
		p->unsaved[i]->save_queued = 0;
		p->unsaved[i]->st.unsaved_polls = 0;
	}
	p->nunsaved = 0;
	return 0;
retry:
	log_warnx("cannot record the polls of %zu feeds: %s; trying again in %.0fs",
	    p->nunsaved, store_errmsg(p->store), SAVE_DELAY);
	ev_timer_set(&p->save_timer, SAVE_DELAY, 0.);
	ev_timer_start(p->loop, &p->save_timer);
	return -1;
}

static void
save_timer_fired(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	save_flush(w->data);
}

/* Queues r's state for the next save_flush. */
static void
save_later(struct feed_run *r)
{
	struct poller *p = r->p;

	if (!r->save_queued) {
		if (p->nunsaved == p->capunsaved) {
			p->capunsaved = p->capunsaved ? p->capunsaved * 2 : 64;
			p->unsaved = xreallocarray(p->unsaved, p->capunsaved,
			    sizeof(*p->unsaved));
		}
		p->unsaved[p->nunsaved++] = r;
		r->save_queued = 1;
	}
	if (!ev_is_active(&p->save_timer)) {
		ev_timer_set(&p->save_timer, SAVE_DELAY, 0.);
		ev_timer_start(p->loop, &p->save_timer);
	}
}

/* Takes r off the save queue (it is going away). */
static void
save_drop(struct feed_run *r)
{
	struct poller *p = r->p;

	for (size_t i = 0; r->save_queued && i < p->nunsaved; i++)
		if (p->unsaved[i] == r) {
			p->unsaved[i] = p->unsaved[--p->nunsaved];
			r->save_queued = 0;
		}
}

/* --once is over when every feed is polled and no article page is left. */
static void
maybe_all_done(struct poller *p)
{
	if (p->once && !p->finished && p->once_pending == 0 &&
	    (p->pages == NULL || pages_pending(p->pages) == 0)) {
		save_flush(p);
		p->finished = 1;
		if (p->all_done)
			p->all_done(p->arg);
	}
}

/* An e-paper feed read as editions (kind epaper with follow). */
static int
is_editions(const struct feed_conf *c)
{
	return c->kind == FEED_KIND_EPAPER && c->follow != NULL;
}

/*
 * The page queue is empty: e-paper editions whose article pages are all
 * dealt with now are joined and done (before --once may end).
 */
void
poller_pages_idle(struct poller *p)
{
	for (size_t i = 0; i < p->nruns; i++) {
		struct feed_run *r = p->runs[i];

		if (is_editions(r->conf) && r->conf->enabled)
			epaper_settle(p->store, r->conf, r->st.id, p->entities, (int64_t)now_wall());
	}
	maybe_all_done(p);
}

static void
once_done(struct feed_run *r)
{
	struct poller *p = r->p;

	if (!p->once || r->polled)
		return;
	r->polled = 1;
	p->once_pending--;
	maybe_all_done(p);
}

static void
timer_fired(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	feed_poll(w->data);
}

/* The length of the scheme://host:port part of url. */
static size_t
origin_len(const char *url)
{
	const char *p = strstr(url, "://");
	const char *slash = p ? strchr(p + 3, '/') : NULL;

	return slash ? (size_t)(slash - url) : strlen(url);
}

/* Whether a fetch failure says nothing about the feed itself. */
static int
transport_failure(const struct fetch_result *res)
{
	return !res->ok && res->status == 0 && strstr(res->error, "refused to connect") == NULL &&
	    strstr(res->error, "max_bytes") == NULL && strstr(res->error, "redirect") == NULL &&
	    strstr(res->error, "free connection") == NULL;
}

static void
suspect_drop(struct poller *p, struct feed_run *r)
{
	for (size_t i = 0; i < p->nsuspects; i++) {
		if (p->suspects[i] != r)
			continue;
		p->suspects[i] = p->suspects[--p->nsuspects];
		break;
	}
	r->suspect = 0;
	free(r->undo_error);
	r->undo_error = NULL;
}

/* Some server answered: the network works; failures count again. */
static void
network_answered(struct poller *p)
{
	while (p->nsuspects > 0)
		suspect_drop(p, p->suspects[p->nsuspects - 1]);
	if (p->outage) {
		p->outage = 0;
		log_notice("a feed answered again: the network is back; failures count again");
	}
}

/* Distinct servers among the suspects (a few: quadratic is fine). */
static size_t
suspect_origins(const struct poller *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nsuspects; i++) {
		const char *u = feed_url(p->suspects[i]);
		size_t len = origin_len(u), j;

		for (j = 0; j < i; j++) {
			const char *v = feed_url(p->suspects[j]);

			if (origin_len(v) == len && strncmp(u, v, len) == 0)
				break;
		}
		if (j == i && ++n >= OUTAGE_MIN_FEEDS)
			break;
	}
	return n;
}

static size_t
pollable_feeds(const struct poller *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nruns; i++)
		if (p->runs[i]->conf->enabled && p->runs[i]->st.gone_at == DATE_UNSET)
			n++;
	return n;
}

/*
 * Most feeds failed to connect and none answered since: the machine lost
 * its network.  Logged once; the failures are taken back from the feeds.
 */
static void
outage_begin(struct poller *p)
{
	p->outage = 1;
	p->counters.outages++;
	log_warnx("%zu of %zu feeds failed to connect and no server answered since: "
	    "the network seems down (local outage); failures are not counted against "
	    "feeds until one answers", p->nsuspects, pollable_feeds(p));
	for (size_t i = 0; i < p->nsuspects; i++) {
		struct feed_run *r = p->suspects[i];

		r->st.consecutive_errors = r->undo_errors;
		free(r->st.last_error);
		r->st.last_error = r->undo_error;
		r->undo_error = NULL;
		r->suspect = 0;
		save_later(r);
	}
	p->nsuspects = 0;
}

/* Records a failed poll: state, log line, backoff. */
static void
poll_failed(struct feed_run *r, const struct fetch_result *res, const char *why,
    double retry_after)
{
	struct poller *p = r->p;
	struct feed_state *s = &r->st;
	struct sched_policy sp = policy(r->conf);
	double delay;

	p->counters.polls_error++;
	if (res && transport_failure(res)) {
		if (p->outage) {
			/* Not the feed's fault: try again soon, count nothing. */
			delay = sched_after_error(&sp, 1, -1, rnd(p));
			log_debug("feed %s: %s (local outage; retrying in %.0fs)",
			    r->conf->name, why, delay);
			schedule(r, delay);
			save_later(r);
			return;
		}
		if (!r->suspect) {
			r->suspect = 1;
			r->undo_errors = s->consecutive_errors;
			r->undo_error = xstrdup_or_null(s->last_error);
			if (p->nsuspects == p->capsuspects) {
				p->capsuspects = p->capsuspects ? p->capsuspects * 2 : 16;
				p->suspects = xreallocarray(p->suspects, p->capsuspects,
				    sizeof(*p->suspects));
			}
			p->suspects[p->nsuspects++] = r;
		}
	} else if (res && res->ok)
		network_answered(p);
	s->consecutive_errors++;
	feed_state_set(&s->last_error, why);
	delay = sched_after_error(&sp, s->consecutive_errors, retry_after, rnd(p));
	log_warnx("feed %s: %s (error %d in a row; retrying in %.0fs)", r->conf->name,
	    why, s->consecutive_errors, delay);
	schedule(r, delay);
	save_later(r);
	if (p->nsuspects >= OUTAGE_MIN_FEEDS &&
	    (double)p->nsuspects >= OUTAGE_SHARE * (double)pollable_feeds(p) &&
	    suspect_origins(p) >= OUTAGE_MIN_FEEDS)
		outage_begin(p);
}

/* Counts permanent redirects and moves the feed after enough sightings. */
static void
track_redirect(struct feed_run *r, const struct fetch_result *res)
{
	struct feed_state *s = &r->st;

	if (res->permanent_url == NULL || strcmp(res->permanent_url, feed_url(r)) == 0) {
		feed_state_set(&s->redirect_url, NULL);
		s->redirect_count = 0;
		return;
	}
	if (str_eq_null(s->redirect_url, res->permanent_url))
		s->redirect_count++;
	else {
		feed_state_set(&s->redirect_url, res->permanent_url);
		s->redirect_count = 1;
	}
	if (s->redirect_count >= REDIRECT_SIGHTINGS) {
		log_notice("feed %s: moved permanently to %s (seen %d times); polling "
		    "the new address", r->conf->name, res->permanent_url, s->redirect_count);
		feed_state_set(&s->fetch_url, res->permanent_url);
		feed_state_set(&s->redirect_url, NULL);
		s->redirect_count = 0;
	}
}

/* Adaptive interval, usual gap and the next poll, saved with the poll. */
static void
after_ingest(struct feed_state *s, const struct ingest_stats *stats, void *arg)
{
	struct feed_run *r = arg;
	const struct feed_conf *c = r->conf;
	struct sched_adapt a = { c->interval, c->min_interval, c->max_interval };
	int found_new = stats != NULL && stats->added > 0;
	/* Every item new, and the feed was read before: its window overflowed. */
	int overflowed = found_new && stats->added == stats->items &&
	    r->prev_success != DATE_UNSET;
	double delay;

	if (found_new && r->prev_new != DATE_UNSET)
		s->item_gap = sched_item_gap(s->item_gap,
		    (double)(s->last_polled_at - r->prev_new));
	s->cur_interval = sched_adapt_interval(&a, s->cur_interval, found_new, overflowed,
	    &s->quiet_polls);
	delay = s->cur_interval * (1.0 + SCHED_JITTER * (2.0 * rnd(r->p) - 1.0));
	schedule(r, delay);
}

static void
poll_done(const struct fetch_result *res, void *arg)
{
	struct feed_run *r = arg;
	struct poller *p = r->p;
	struct feed_state *s = &r->st;
	struct ingest_stats stats;
	struct ingest_feed_opts hook = { p->entities, after_ingest, r };
	int64_t now = (int64_t)now_wall();
	char err[512], *old_etag, *old_lm;
	int old_errors;

	r->inflight = NULL;
	s->last_polled_at = now;
	s->last_status = (int)res->status;
	s->unsaved_polls++;
	if (res->ok)
		metrics_observe_fetch(&p->counters, res->seconds);
	if (!res->ok) {
		poll_failed(r, res, res->error, -1);
		goto out;
	}
	network_answered(p);
	if (res->status == 410) {
		p->counters.polls_error++;
		s->gone_at = now;
		s->consecutive_errors++;
		feed_state_set(&s->last_error, "HTTP 410 Gone: the server says the feed "
		    "was removed; no longer polled (its articles are kept)");
		log_warnx("feed %s: HTTP 410 Gone from %s; polling stopped", r->conf->name,
		    res->final_url);
		ev_timer_stop(p->loop, &r->timer);
		s->next_poll_at = DATE_UNSET;
		save_later(r);
		goto out;
	}
	if (res->status == 429 || res->status == 503) {
		snprintf(err, sizeof(err), "HTTP %ld%s", res->status,
		    res->status == 429 ? " Too Many Requests" : " Service Unavailable");
		poll_failed(r, res, err, res->retry_after);
		goto out;
	}
	if (res->status != 304 && (res->status < 200 || res->status > 299)) {
		snprintf(err, sizeof(err), "HTTP %ld from %s", res->status, res->final_url);
		poll_failed(r, res, err, -1);
		goto out;
	}

	/* A response: the feed answered.  Success state first, then ingest. */
	track_redirect(r, res);
	old_errors = s->consecutive_errors;
	r->prev_success = s->last_success_at;
	r->prev_new = s->last_new_item_at;
	s->consecutive_errors = 0;
	s->last_success_at = now;
	if (res->status == 304) {
		p->counters.polls_not_modified++;
		feed_state_set(&s->last_error, NULL);
		after_ingest(s, NULL, r);
		log_debug("feed %s: not modified (%.2fs)", r->conf->name, res->seconds);
		save_later(r);
		goto pages;
	}
	old_etag = s->etag;
	old_lm = s->last_modified;
	s->etag = xstrdup_or_null(res->etag);
	s->last_modified = xstrdup_or_null(res->last_modified);
	feed_state_set(&s->last_error, NULL);
	if (ingest_feed_document(p->store, r->conf, s, &(struct ingest_doc){
	    res->body, res->len, res->final_url, res->content_type }, now, &hook, &stats,
	    err, sizeof(err)) < 0) {
		/* Keep the old validators: a 304 must not hide a broken document. */
		free(s->etag);
		free(s->last_modified);
		s->etag = old_etag;
		s->last_modified = old_lm;
		s->consecutive_errors = old_errors;
		s->last_success_at = r->prev_success;
		s->last_new_item_at = r->prev_new;
		poll_failed(r, NULL, err, -1);
		goto out;
	}
	free(old_etag);
	free(old_lm);
	p->counters.polls_ok++;
	p->counters.articles_new += stats.added;
	p->counters.articles_changed += stats.changed;
	if (stats.added || stats.changed || stats.partial)
		log_info("feed %s: %zu items, %zu new, %zu changed%s (%.2fs)", r->conf->name,
		    stats.items, stats.added, stats.changed,
		    stats.partial ? ", document malformed and partly recovered" : "",
		    res->seconds);
	else
		log_debug("feed %s: %zu items, none new (%.2fs)", r->conf->name, stats.items,
		    res->seconds);
pages:
	/* Pages of new items, and earlier failures now due for a retry. */
	if (p->pages && r->conf->fetch_articles)
		pages_enqueue_feed(p->pages, r->conf, s->id);
out:
	once_done(r);
}

/*
 * One file from a spool folder through the pipeline: a feed document
 * (RSS, Atom, JSON Feed) like a polled one, an HTML page as an article of
 * the feed.  NOTE: the article of a page without a canonical URL is known
 * by guid "spool:FEED/FILE", so a file sent again under its name (a
 * corrected version) updates it, keeping the old text as a revision.
 */
static enum spool_verdict
spool_file(const struct spool_file *f, void *arg, char *why, size_t whylen)
{
	struct feed_run *r = arg;
	struct poller *p = r->p;
	const struct feed_conf *c = r->conf;
	struct ingest_doc doc = { f->data, f->len, NULL, NULL };
	struct ingest_feed_opts fo = { p->entities, NULL, NULL };
	struct ingest_page_opts po = { 0 };
	struct ingest_stats stats;
	int64_t now = (int64_t)now_wall();
	char *guid;
	int rc;

	if (ingest_classify(f->name, &doc) == INGEST_PAGE) {
		po.rules = p->rules;
		po.entities = p->entities;
		po.timezone = c->timezone;
		po.extract = &c->extract;
		guid = xasprintf("spool:%s/%s", c->name, f->name);
		rc = ingest_page_document(p->store, c, &r->st, &doc, guid, &po, now, &stats,
		    why, whylen);
		free(guid);
		if (rc != 0)
			return rc > 0 ? SPOOL_FAILED : SPOOL_RETRY;
	} else {
		rc = ingest_feed_document(p->store, c, &r->st, &doc, now, &fo, &stats, why,
		    whylen);
		if (rc != 0)
			return rc == -1 ? SPOOL_FAILED : SPOOL_RETRY;
	}
	p->counters.articles_new += stats.added;
	p->counters.articles_changed += stats.changed;
	log_info("feed %s: %s: %zu item%s, %zu new, %zu changed%s", c->name, f->name,
	    stats.items, stats.items == 1 ? "" : "s", stats.added, stats.changed,
	    stats.partial ? ", document malformed and partly recovered" : "");
	if (p->pages && c->fetch_articles)
		pages_enqueue_feed(p->pages, c, r->st.id);
	return SPOOL_DONE;
}

/* A spool's poll: a scan of its folder (files also come one by one). */
static void
spool_poll(struct feed_run *r)
{
	struct poller *p = r->p;
	struct feed_state *s = &r->st;
	struct spool_stats ss;
	char err[512];
	double delay;

	s->last_polled_at = (int64_t)now_wall();
	s->last_status = 0;
	s->unsaved_polls++;
	if (r->spool == NULL)
		r->spool = spool_new(p->once ? NULL : p->loop, r->conf->path, r->conf->max_bytes,
		    spool_file, r);
	if (spool_scan(r->spool, &ss, err, sizeof(err)) < 0) {
		poll_failed(r, NULL, err, -1);
		once_done(r);
		return;
	}
	p->counters.polls_ok++;
	s->consecutive_errors = 0;
	feed_state_set(&s->last_error, NULL);
	s->last_success_at = s->last_polled_at;
	delay = r->conf->interval * (1.0 + SCHED_JITTER * (2.0 * rnd(p) - 1.0));
	if (ss.more)
		delay = SPOOL_NEXT_BATCH;
	else if (ss.settle_in > 0 && ss.settle_in + 0.1 < delay)
		delay = ss.settle_in + 0.1;
	schedule(r, delay);
	save_later(r);
	if (ss.done || ss.failed || ss.retried)
		log_info("feed %s: %zu file%s ingested, %zu failed, %zu left for later%s",
		    r->conf->name, ss.done, ss.done == 1 ? "" : "s", ss.failed, ss.retried,
		    ss.more ? "; more to come" : "");
	else
		log_debug("feed %s: no new files%s", r->conf->name,
		    ss.busy ? " (some still being written)" : "");
	once_done(r);
}

/* An e-paper poll is over: record it, queue the article pages, settle. */
static void
epaper_polled(const struct epaper_result *res, void *arg)
{
	struct feed_run *r = arg;
	struct poller *p = r->p;
	const struct feed_conf *c = r->conf;
	struct feed_state *s = &r->st;
	int64_t now = (int64_t)now_wall();
	double delay, due;

	r->walk = NULL;
	s->last_polled_at = now;
	s->last_status = 0;
	s->unsaved_polls++;
	if (res->looked > 0 && res->failed == res->looked) {
		poll_failed(r, NULL, res->error, -1);
	} else {
		p->counters.polls_ok++;
		s->consecutive_errors = 0;
		feed_state_set(&s->last_error, NULL);
		s->last_success_at = now;
		if (res->articles > 0)
			s->last_new_item_at = now;
		/*
		 * Editions not there yet are looked for at the interval; when
		 * every due one is in, the next poll is when the next appears.
		 */
		delay = c->interval * (1.0 + SCHED_JITTER * (2.0 * rnd(p) - 1.0));
		if (res->pending == 0 && (due = epaper_next_due(c, now)) > 0)
			delay = due + rnd(p) * (c->interval * SCHED_JITTER < 60 ?
			    c->interval * SCHED_JITTER : 60);
		schedule(r, delay);
		save_later(r);
		if (res->looked > 0)
			log_debug("feed %s: %d edition%s looked for, %d found, %d not yet, "
			    "%zu article links", c->name, res->looked, res->looked == 1 ? "" : "s",
			    res->found, res->pending - res->failed, res->articles);
	}
	if (p->pages)
		pages_enqueue_feed(p->pages, c, s->id);
	epaper_settle(p->store, c, s->id, p->entities, now);
	once_done(r);
}

/* An e-paper feed's poll: the due editions not indexed yet. */
static void
epaper_poll(struct feed_run *r)
{
	struct poller *p = r->p;
	struct epaper_result res;

	if (r->walk != NULL)
		return;
	r->walk = epaper_walk_start(p->fetcher, p->store, r->conf, r->st.id,
	    p->cfg->user_agent, (int64_t)now_wall(), epaper_polled, r, &res);
	if (r->walk == NULL)
		epaper_polled(&res, r);
}

static void
feed_poll(struct feed_run *r)
{
	const struct feed_conf *c = r->conf;
	struct fetch_request req = { 0 };

	if (r->inflight)
		return;
	if (c->kind == FEED_KIND_SPOOL) {
		spool_poll(r);
		return;
	}
	if (is_editions(c)) {
		epaper_poll(r);
		return;
	}
	req.url = feed_url(r);
	req.etag = r->st.etag;
	req.last_modified = r->st.last_modified;
	req.user_agent = r->p->cfg->user_agent;
	req.timeout = c->timeout;
	req.connect_timeout = c->connect_timeout;
	req.max_bytes = c->max_bytes;
	req.allow_private = c->allow_private;
	req.done = poll_done;
	req.arg = r;
	log_debug("feed %s: polling %s", c->name, req.url);
	r->inflight = fetcher_start(r->p->fetcher, &req);
}

static int
run_cmp(const void *a, const void *b)
{
	const struct feed_run *const *x = a, *const *y = b;

	return strcmp((*x)->conf->name, (*y)->conf->name);
}

static struct feed_run *
run_find(struct poller *p, const char *name)
{
	size_t lo = 0, hi = p->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, p->runs[mid]->conf->name);

		if (c == 0)
			return p->runs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void
run_stop(struct feed_run *r)
{
	spool_free(r->spool);
	r->spool = NULL;
	epaper_walk_cancel(r->walk);
	r->walk = NULL;
	ev_timer_stop(r->p->loop, &r->timer);
	if (r->inflight) {
		fetcher_cancel(r->p->fetcher, r->inflight);
		r->inflight = NULL;
	}
}

static void
run_free(struct feed_run *r)
{
	if (r->suspect)
		suspect_drop(r->p, r);
	save_drop(r);
	run_stop(r);
	feed_state_free(&r->st);
	free(r);
}

/* Whether a feed should be polled at all. */
static int
run_pollable(const struct feed_run *r)
{
	return r->conf->enabled && r->st.gone_at == DATE_UNSET;
}

int
poller_apply(struct poller *p, const struct config *cfg)
{
	struct feed_run **runs = xcalloc(cfg->nfeeds ? cfg->nfeeds : 1, sizeof(*runs));
	struct feed_run **due = xcalloc(cfg->nfeeds ? cfg->nfeeds : 1, sizeof(*due));
	char **names = xcalloc(cfg->nfeeds ? cfg->nfeeds : 1, sizeof(*names));
	size_t n = 0, ndue = 0;
	int64_t now = (int64_t)now_wall();
	int rc = 0;

	p->cfg = cfg;
	/* The rows are read back below: what is queued goes first. */
	save_flush(p);
	if (p->pages)
		pages_configure(p->pages, cfg);
	for (size_t i = 0; i < cfg->nfeeds; i++) {
		const struct feed_conf *c = &cfg->feeds[i];
		struct feed_run *r = run_find(p, c->name);
		struct feed_state fresh;
		int url_changed = 0, was_pollable = 0;

		names[i] = c->name;
		if (store_feed_register(p->store, c, &fresh) < 0) {
			rc = -1;
			if (r == NULL)
				continue;   /* tried again at the next reload */
			memset(&fresh, 0, sizeof(fresh));
			fresh.id = r->st.id;
		}
		if (r == NULL) {
			r = xcalloc(1, sizeof(*r));
			r->p = p;
			r->st = fresh;
			ev_timer_init(&r->timer, timer_fired, 0., 0.);
			r->timer.data = r;
		} else {
			url_changed = strcmp(r->conf->url, c->url) != 0;
			was_pollable = run_pollable(r);
			if (url_changed) {
				/* The store reset the state that belonged to the old url. */
				run_stop(r);
				feed_state_free(&r->st);
				r->st = fresh;
			} else
				feed_state_free(&fresh);
		}
		r->mark = 1;
		r->conf = c;
		runs[n++] = r;

		if (!run_pollable(r)) {
			run_stop(r);
			if (!c->enabled)
				log_info("feed %s: disabled in the configuration", c->name);
			else
				log_info("feed %s: gone (HTTP 410); not polled", c->name);
			continue;
		}
		if (c->kind == FEED_KIND_SPOOL) {
			/*
			 * NOTE: a spool is set up afresh (it copies its settings)
			 * and scanned at once: files may have come while it was
			 * not watched.
			 */
			spool_free(r->spool);
			r->spool = spool_new(p->once ? NULL : p->loop, c->path, c->max_bytes,
			    spool_file, r);
			due[ndue++] = r;
			continue;
		} else if (r->spool != NULL) {
			spool_free(r->spool);
			r->spool = NULL;
		}
		if (p->once) {
			due[ndue++] = r;
			continue;
		}
		if (was_pollable && !url_changed && (r->inflight || r->walk ||
		    ev_is_active(&r->timer))) {
			/* Keep the schedule, but never wait longer than the new interval. */
			double left = ev_timer_remaining(p->loop, &r->timer);
			struct sched_policy sp = policy(c);

			if (!r->inflight && left > c->interval)
				schedule(r, sched_after_success(&sp, rnd(p)));
			continue;
		}
		if (r->st.next_poll_at != DATE_UNSET && r->st.next_poll_at > now) {
			double left = (double)(r->st.next_poll_at - now);
			double cap = c->interval > c->retry_max ? c->interval : c->retry_max;

			schedule(r, left < cap ? left : cap);
		} else
			due[ndue++] = r;
	}
	/* Feeds no longer configured stop; their rows and articles stay. */
	for (size_t i = 0; i < p->nruns; i++) {
		if (p->runs[i]->mark)
			continue;
		log_info("feed %s: removed from the configuration", p->runs[i]->conf->name);
		run_free(p->runs[i]);
	}
	free(p->runs);
	for (size_t i = 0; i < n; i++)
		runs[i]->mark = 0;
	qsort(runs, n, sizeof(*runs), run_cmp);
	p->runs = runs;
	p->nruns = n;
	if (store_feeds_deactivate_others(p->store, names, cfg->nfeeds) < 0)
		rc = -1;

	if (p->once) {
		p->once_pending = ndue;
		for (size_t i = 0; i < ndue; i++)
			feed_poll(due[i]);
		maybe_all_done(p);
	} else {
		for (size_t i = 0; i < ndue; i++) {
			struct sched_policy sp = policy(due[i]->conf);

			schedule(due[i], due[i]->conf->kind == FEED_KIND_SPOOL ? 0 :
			    sched_first_delay(&sp, i, ndue, rnd(p)));
		}
	}
	free(due);
	free(names);
	return rc;
}

struct poller *
poller_new(struct ev_loop *loop, struct store *st, struct fetcher *f, struct pages *pages,
    const struct page_rules *rules, const struct entity_db *entities, int once,
    void (*all_done)(void *), void *arg)
{
	struct poller *p = xcalloc(1, sizeof(*p));

	p->rules = rules;
	p->entities = entities;
	p->loop = loop;
	p->store = st;
	p->fetcher = f;
	p->pages = pages;
	p->once = once;
	p->all_done = all_done;
	p->arg = arg;
	p->rng = ((uint64_t)now_wall() * 1000003u) ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	if (p->rng == 0)
		p->rng = 1;
	ev_init(&p->save_timer, save_timer_fired);
	p->save_timer.data = p;
	return p;
}

void
poller_free(struct poller *p)
{
	if (p == NULL)
		return;
	save_flush(p);
	ev_timer_stop(p->loop, &p->save_timer);
	for (size_t i = 0; i < p->nruns; i++)
		run_free(p->runs[i]);
	free(p->runs);
	free(p->suspects);
	free(p->unsaved);
	free(p);
}

const struct poller_counters *
poller_counters(const struct poller *p)
{
	return &p->counters;
}

void
poller_status(const struct poller *p, struct poller_status *s)
{
	memset(s, 0, sizeof(*s));
	s->last_new_item = DATE_UNSET;
	for (size_t i = 0; i < p->nruns; i++) {
		const struct feed_run *r = p->runs[i];

		if (!r->conf->enabled)
			continue;
		s->feeds++;
		if (r->st.consecutive_errors > 0 || r->st.gone_at != DATE_UNSET)
			s->failing++;
		if (r->inflight || r->walk)
			s->in_flight++;
		if (r->st.last_new_item_at != DATE_UNSET &&
		    (s->last_new_item == DATE_UNSET || r->st.last_new_item_at > s->last_new_item))
			s->last_new_item = r->st.last_new_item_at;
	}
}

/*
 * epaper.c: polling an e-paper feed's editions (see epaper.h).
 *
 * One walk per poll, one fetch at a time: the editions due are looked for
 * in turn (newest date first, editions in configured order), each through
 * its chain of index pages, so a poll never holds more than one index
 * page and the site sees one request at a time from it.
 */
#include "epaper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "epindex.h"
#include "fetch.h"
#include "ingest.h"
#include "log.h"
#include "schedule.h"
#include "storeed.h"
#include "store.h"
#include "template.h"
#include "url.h"
#include "util.h"

/* An edition on a date to look for. */
struct target {
	char *edition;
	char date[EDITION_DATE_LEN];
	char *url;              /* its first index page */
};

struct epaper_walk {
	struct fetcher *fetcher;
	struct store *store;
	int64_t feed_id;
	/* What the walk needs of the feed's settings, copied (a reload may free them). */
	char *name, *follow, *next, *page_number, *user_agent;
	double timeout, connect_timeout;
	long long max_bytes;
	int allow_private, budget;
	struct target *targets;
	size_t ntargets, cur;
	/* The edition being read. */
	int64_t edition_id;
	int index_pages, links, position;
	size_t offsite, skipped;
	struct strlist visited; /* its index pages so far */
	struct fetch *fetch;
	struct epaper_result res;
	void (*done)(const struct epaper_result *, void *);
	void *arg;
};

static void look_next(struct epaper_walk *w);

static void
walk_free(struct epaper_walk *w)
{
	for (size_t i = 0; i < w->ntargets; i++) {
		free(w->targets[i].edition);
		free(w->targets[i].url);
	}
	free(w->targets);
	strlist_free(&w->visited);
	free(w->name);
	free(w->follow);
	free(w->next);
	free(w->page_number);
	free(w->user_agent);
	free(w);
}

static void
fetch_index(struct epaper_walk *w, const char *url);

/* Records how the look at the current edition ended and moves on. */
static void
look_over(struct epaper_walk *w, enum edition_state state, const char *why, int failed)
{
	struct target *t = &w->targets[w->cur];
	struct edition_outcome o = { state, w->index_pages, w->offsite, w->skipped, why };

	if (store_edition_update(w->store, w->edition_id, &o, (int64_t)now_wall()) < 0) {
		log_warnx("feed %s: edition %s of %s: cannot record: %s", w->name, t->edition,
		    t->date, store_errmsg(w->store));
		failed = 1;
		why = store_errmsg(w->store);
		state = EDITION_PENDING;
	}
	w->res.looked++;
	if (state != EDITION_PENDING) {
		w->res.found++;
		log_info("feed %s: edition %s of %s: %d index page%s, %d article link%s%s%s",
		    w->name, t->edition, t->date, w->index_pages, w->index_pages == 1 ? "" : "s",
		    w->links, w->links == 1 ? "" : "s", why ? "; " : "", why ? why : "");
	} else {
		w->res.pending++;
		if (failed) {
			w->res.failed++;
			snprintf(w->res.error, sizeof(w->res.error), "edition %s of %s: %s",
			    t->edition, t->date, why);
		}
		if (failed)
			log_warnx("feed %s: edition %s of %s: %s", w->name, t->edition, t->date, why);
		else
			log_info("feed %s: edition %s of %s: %s", w->name, t->edition, t->date, why);
	}
	w->cur++;
	look_next(w);
}

/* Records an index page's links in one transaction.  0 or -1. */
static int
record_links(struct epaper_walk *w, const struct epindex *x)
{
	int64_t now = (int64_t)now_wall();
	int added;

	if (store_begin(w->store) < 0)
		return -1;
	for (size_t i = 0; i < x->nlinks; i++) {
		/* NOTE: without page_number, an index page is one printed page. */
		int page = x->links[i].page > 0 ? x->links[i].page : w->index_pages;

		if (store_edition_link(w->store, w->edition_id, w->feed_id, x->links[i].url,
		    x->links[i].title, page, w->position++, now, &added) < 0) {
			store_rollback(w->store);
			return -1;
		}
		w->res.articles++;
		w->links++;
	}
	return store_commit(w->store);
}

static int
visited(const struct epaper_walk *w, const char *url)
{
	for (size_t i = 0; i < w->visited.n; i++)
		if (strcmp(w->visited.v[i], url) == 0)
			return 1;
	return 0;
}

static void
index_fetched(const struct fetch_result *res, void *arg)
{
	struct epaper_walk *w = arg;
	struct epindex_opts o = { 0 };
	struct epindex x;
	char why[512], perr[256], *charset;
	int first = w->index_pages == 0, used;

	w->fetch = NULL;
	if (!res->ok) {
		/* A later page lost on the way: the edition is read again whole. */
		snprintf(why, sizeof(why), "%s%s", first ? "" : "a later index page: ", res->error);
		look_over(w, EDITION_PENDING, why, 1);
		return;
	}
	if (res->status < 200 || res->status > 299) {
		int gone = res->status == 404 || res->status == 410;

		if (first && gone) {
			snprintf(why, sizeof(why), "not published yet (HTTP %ld from %s)",
			    res->status, res->final_url);
			look_over(w, EDITION_PENDING, why, 0);
		} else if (gone) {
			/* A broken "next" link ends the index; what was read stands. */
			snprintf(why, sizeof(why), "index page %d: HTTP %ld from %s; read up to "
			    "there", w->index_pages + 1, res->status, res->final_url);
			look_over(w, EDITION_INDEXED, why, 0);
		} else {
			snprintf(why, sizeof(why), "%sHTTP %ld from %s", first ? "" :
			    "a later index page: ", res->status, res->final_url);
			look_over(w, EDITION_PENDING, why, 1);
		}
		return;
	}
	used = w->index_pages + w->links;
	o.url = res->final_url;
	o.http_charset = charset = ingest_charset(res->content_type);
	o.follow = w->follow;
	o.next = w->next;
	o.page_number = w->page_number;
	o.max_links = (size_t)(w->budget > used + 1 ? w->budget - used - 1 : 0);
	if (epindex_parse(res->body, res->len, &o, &x, perr, sizeof(perr)) < 0) {
		free(charset);
		snprintf(why, sizeof(why), "index page %d (%s): %s", w->index_pages + 1,
		    res->final_url, perr);
		look_over(w, first ? EDITION_PENDING : EDITION_INDEXED, why, first);
		return;
	}
	free(charset);
	if (first && x.nlinks == 0 && x.dropped == 0) {
		snprintf(why, sizeof(why), "no article links on the index page %s (follow "
		    "matched none%s); looked for again at the next poll", res->final_url,
		    x.offsite ? ", or only links to other hosts" : "");
		w->offsite += x.offsite;
		epindex_free(&x);
		look_over(w, EDITION_PENDING, why, 0);
		return;
	}
	w->index_pages++;
	w->offsite += x.offsite;
	w->skipped += x.dropped;
	if (record_links(w, &x) < 0) {
		snprintf(why, sizeof(why), "store: %s", store_errmsg(w->store));
		epindex_free(&x);
		look_over(w, EDITION_PENDING, why, 1);
		return;
	}
	used = w->index_pages + w->links;
	why[0] = '\0';
	if (x.next != NULL && visited(w, x.next))
		snprintf(why, sizeof(why), "the index pages loop back to %s", x.next);
	else if (x.next != NULL && used >= w->budget)
		snprintf(why, sizeof(why), "edition_budget (%d) spent: the index pages from "
		    "%s on not read", w->budget, x.next);
	else if (x.next != NULL) {
		strlist_push(&w->visited, xstrdup(x.next));
		fetch_index(w, x.next);
		epindex_free(&x);
		return;
	}
	if (w->skipped > 0 && why[0] == '\0')
		snprintf(why, sizeof(why), "edition_budget (%d) spent: %zu article link%s not "
		    "followed", w->budget, w->skipped, w->skipped == 1 ? "" : "s");
	epindex_free(&x);
	look_over(w, EDITION_INDEXED, why[0] ? why : NULL, 0);
}

static void
fetch_index(struct epaper_walk *w, const char *url)
{
	struct fetch_request req = { 0 };

	req.url = url;
	req.user_agent = w->user_agent;
	req.timeout = w->timeout;
	req.connect_timeout = w->connect_timeout;
	req.max_bytes = w->max_bytes;
	req.allow_private = w->allow_private;
	req.done = index_fetched;
	req.arg = w;
	log_debug("feed %s: index page %s", w->name, url);
	w->fetch = fetcher_start(w->fetcher, &req);
}

/* Starts the look at the next target; 0 when none is left. */
static int
look_start(struct epaper_walk *w)
{
	while (w->cur < w->ntargets) {
		struct target *t = &w->targets[w->cur];
		char *canon;

		w->index_pages = w->links = w->position = 0;
		w->offsite = w->skipped = 0;
		strlist_free(&w->visited);
		if (store_edition_look(w->store, w->feed_id, t->edition, t->date, t->url,
		    (int64_t)now_wall(), &w->edition_id) < 0) {
			snprintf(w->res.error, sizeof(w->res.error), "store: %s",
			    store_errmsg(w->store));
			log_warnx("feed %s: edition %s of %s: %s", w->name, t->edition, t->date,
			    w->res.error);
			w->res.looked++;
			w->res.pending++;
			w->res.failed++;
			w->cur++;
			continue;
		}
		if ((canon = url_canonical(t->url)) == NULL)
			canon = xstrdup(t->url);
		strlist_push(&w->visited, canon);
		fetch_index(w, t->url);
		return 1;
	}
	return 0;
}

/* The next look, or the end of the walk (from the event loop). */
static void
look_next(struct epaper_walk *w)
{
	struct epaper_result res;
	void (*done)(const struct epaper_result *, void *);
	void *arg;

	if (look_start(w))
		return;
	res = w->res;
	done = w->done;
	arg = w->arg;
	walk_free(w);
	done(&res, arg);
}

struct epaper_walk *
epaper_walk_start(struct fetcher *f, struct store *st, const struct feed_conf *conf,
    int64_t feed_id, const char *user_agent, int64_t now,
    void (*done)(const struct epaper_result *, void *), void *arg,
    struct epaper_result *res)
{
	struct edition_date dates[EPAPER_MAX_BACKFILL_DAYS + 1];
	struct epaper_walk *w;
	size_t ndates, ned = conf->neditions ? conf->neditions : 1;

	memset(res, 0, sizeof(*res));
	ndates = schedule_due(&conf->schedule, conf->timezone, conf->backfill, now, dates,
	    ARRAY_LEN(dates));
	w = xcalloc(1, sizeof(*w));
	w->targets = xcalloc(ndates * ned + 1, sizeof(*w->targets));
	for (size_t i = 0; i < ndates; i++) {
		for (size_t e = 0; e < ned; e++) {
			const char *edition = conf->neditions ? conf->editions[e] : conf->name;
			struct target *t = &w->targets[w->ntargets];
			enum edition_state state;

			edition_date_format(&dates[i], t->date);
			if (store_edition_state(st, feed_id, edition, t->date, &state) < 0) {
				log_warnx("feed %s: %s", conf->name, store_errmsg(st));
				continue;
			}
			if (state == EDITION_INDEXED || state == EDITION_DONE)
				continue;
			/* NOTE: the template was checked; NULL would be a date it cannot spell. */
			if ((t->url = template_expand(conf->url, conf->neditions ? edition : "",
			    dates[i].year, dates[i].month, dates[i].day)) == NULL) {
				log_warnx("feed %s: edition %s of %s: the url template gives no URL",
				    conf->name, edition, t->date);
				continue;
			}
			t->edition = xstrdup(edition);
			w->ntargets++;
		}
	}
	if (w->ntargets == 0) {
		walk_free(w);
		return NULL;
	}
	w->fetcher = f;
	w->store = st;
	w->feed_id = feed_id;
	w->name = xstrdup(conf->name);
	w->follow = xstrdup(conf->follow);
	w->next = xstrdup_or_null(conf->next);
	w->page_number = xstrdup_or_null(conf->page_number);
	w->user_agent = xstrdup(user_agent);
	w->timeout = conf->timeout;
	w->connect_timeout = conf->connect_timeout;
	w->max_bytes = conf->max_bytes;
	w->allow_private = conf->allow_private;
	w->budget = conf->edition_budget;
	w->done = done;
	w->arg = arg;
	if (look_start(w))
		return w;
	*res = w->res;          /* every look failed at once */
	walk_free(w);
	return NULL;
}

void
epaper_walk_cancel(struct epaper_walk *w)
{
	if (w == NULL)
		return;
	if (w->fetch != NULL)
		fetcher_cancel(w->fetcher, w->fetch);
	walk_free(w);
}

int
epaper_settle(struct store *st, const struct feed_conf *conf, int64_t feed_id,
    const struct entity_db *edb, int64_t now)
{
	char err[512];
	int64_t *ids;
	size_t n;
	int done = 0, joined;

	if (store_editions_settled(st, feed_id, &ids, &n) < 0) {
		log_warnx("feed %s: %s", conf->name, store_errmsg(st));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if ((joined = ingest_edition_join(st, ids[i], edb, now, err, sizeof(err))) < 0) {
			log_warnx("feed %s: joining continued articles: %s", conf->name, err);
			continue;
		}
		log_info("feed %s: an edition is complete (%d continued article%s joined)",
		    conf->name, joined, joined == 1 ? "" : "s");
		done++;
	}
	free(ids);
	return done;
}

double
epaper_next_due(const struct feed_conf *conf, int64_t now)
{
	return schedule_next(&conf->schedule, conf->timezone, now);
}

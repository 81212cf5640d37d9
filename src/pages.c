/*
 * pages.c: the polite article-page queue.
 */
#include "pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "dates.h"
#include "fetch.h"
#include "ingest.h"
#include "log.h"
#include "robots.h"
#include "store.h"
#include "url.h"
#include "util.h"

/* A site's Crawl-delay is honoured up to this many seconds. */
#define CRAWL_DELAY_MAX 60.0
/* How long robots.txt answers are kept. */
#define ROBOTS_TTL 86400.0
#define ROBOTS_TTL_UNREACHABLE 600.0
/* Time allowed for a robots.txt fetch. */
#define ROBOTS_TIMEOUT 30.0

/* The settings of the feed a job came from, copied at enqueue time. */
struct job {
	struct job *next;
	int64_t article_id;
	char *url;
	char *path;              /* path and query, for robots.txt */
	int attempts;
	char *feed_name;
	double timeout, connect_timeout, retry_min;
	long long max_bytes;
	int allow_private, robots, keep_html, retries;
	int clip;                /* an e-paper edition's article (ingest.h) */
	char *timezone;
	struct extract_xpaths extract;
	struct host *host;
	struct fetch *fetch;
};

enum robots_state { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_READY };

struct host {
	struct host *next;
	struct pages *p;
	char *origin;            /* "https://example.com:8443" */
	int allow_private;       /* for the robots.txt fetch: as the first job's feed */
	struct job *head, *tail; /* waiting */
	struct job *running;     /* in flight (linked through next) */
	int active;
	double last_start;       /* monotonic; -inf before the first */
	ev_timer wake;
	enum robots_state robots_state;
	struct robots *robots;
	double robots_expires;   /* monotonic */
	int robots_unreachable;
	struct fetch *robots_fetch;
};

struct pages {
	struct ev_loop *loop;
	struct fetcher *fetcher;
	struct store *store;
	const struct page_rules *rules;
	const struct entity_db *entities;
	void (*idle)(void *);
	void *arg;
	struct host *hosts;
	size_t pending;          /* jobs queued or running */
	int per_host;
	double delay;
	char *user_agent;
	/* Article ids queued or running, so none is queued twice. */
	int64_t *ids;
	size_t ids_cap, ids_n;
	uint64_t stored, failed;
};

static void host_dispatch(struct host *h);

/* --- a small open-addressing set of article ids ------------------------ */

static size_t
id_slot(const struct pages *p, int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return (size_t)(x >> 7) & (p->ids_cap - 1);
}

static int
ids_has(const struct pages *p, int64_t id)
{
	if (p->ids_cap == 0)
		return 0;
	for (size_t i = id_slot(p, id);; i = (i + 1) & (p->ids_cap - 1)) {
		if (p->ids[i] == 0)
			return 0;
		if (p->ids[i] == id)
			return 1;
	}
}

static void ids_add(struct pages *p, int64_t id);

static void
ids_grow(struct pages *p)
{
	int64_t *old = p->ids;
	size_t oldcap = p->ids_cap;

	p->ids_cap = oldcap ? oldcap * 2 : 64;
	p->ids = xcalloc(p->ids_cap, sizeof(*p->ids));
	p->ids_n = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i] > 0)
			ids_add(p, old[i]);
	free(old);
}

static void
ids_add(struct pages *p, int64_t id)
{
	size_t i;

	if ((p->ids_n + 1) * 2 > p->ids_cap)
		ids_grow(p);
	for (i = id_slot(p, id); p->ids[i] > 0; i = (i + 1) & (p->ids_cap - 1))
		if (p->ids[i] == id)
			return;
	p->ids[i] = id;
	p->ids_n++;
}

/* Removes id, re-inserting the rest of its probe run (no tombstones). */
static void
ids_del(struct pages *p, int64_t id)
{
	size_t i;

	if (p->ids_cap == 0)
		return;
	for (i = id_slot(p, id); p->ids[i] != id; i = (i + 1) & (p->ids_cap - 1))
		if (p->ids[i] == 0)
			return;
	p->ids[i] = 0;
	p->ids_n--;
	for (i = (i + 1) & (p->ids_cap - 1); p->ids[i] > 0; i = (i + 1) & (p->ids_cap - 1)) {
		int64_t moved = p->ids[i];

		p->ids[i] = 0;
		p->ids_n--;
		ids_add(p, moved);
	}
}

/* --- jobs and hosts ----------------------------------------------------- */

static void
job_free(struct job *j)
{
	free(j->url);
	free(j->path);
	free(j->feed_name);
	free(j->timezone);
	free(j->extract.body);
	free(j->extract.title);
	free(j->extract.byline);
	free(j->extract.published);
	free(j->extract.related);
	free(j);
}

/* Splits a canonical URL into its origin and its path with query. */
static int
split_url(const char *url, char **origin, char **path)
{
	const char *p = strstr(url, "://");
	const char *slash;

	if (p == NULL)
		return -1;
	slash = strchr(p + 3, '/');
	if (slash == NULL) {
		*origin = xstrdup(url);
		*path = xstrdup("/");
	} else {
		*origin = xstrndup(url, (size_t)(slash - url));
		*path = xstrdup(slash);
	}
	return 0;
}

static void check_idle(struct pages *p);

static void
host_woken(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct host *h = w->data;

	(void)loop;
	(void)revents;
	host_dispatch(h);
	check_idle(h->p);   /* jobs refused by robots.txt may have emptied it */
}

static struct host *
host_get(struct pages *p, const char *origin)
{
	struct host *h;

	for (h = p->hosts; h; h = h->next)
		if (strcmp(h->origin, origin) == 0)
			return h;
	h = xcalloc(1, sizeof(*h));
	h->p = p;
	h->origin = xstrdup(origin);
	h->last_start = -1e18;
	ev_timer_init(&h->wake, host_woken, 0., 0.);
	h->wake.data = h;
	h->next = p->hosts;
	p->hosts = h;
	return h;
}

static void
check_idle(struct pages *p)
{
	if (p->pending == 0 && p->idle)
		p->idle(p->arg);
}

/* A job is over (whatever its outcome): forget it. */
static void
job_done(struct pages *p, struct job *j)
{
	ids_del(p, j->article_id);
	p->pending--;
	job_free(j);
}

/* Records a failed attempt; final ones keep the feed's text for good. */
static void
job_failed(struct pages *p, struct job *j, const char *why, int final)
{
	int64_t now = (int64_t)now_wall();
	int64_t next_try = DATE_UNSET;
	int attempts = j->attempts + 1;

	if (!final && attempts >= j->retries)
		final = 1;
	if (final)
		p->failed++;
	if (!final) {
		double d = j->retry_min * (double)(1 << (attempts > 10 ? 10 : attempts - 1));

		next_try = now + (int64_t)d;
	}
	log_info("feed %s: article page %s: %s%s", j->feed_name, j->url, why,
	    final ? " (keeping the feed's text)" : " (will retry)");
	if (store_article_page_failed(p->store, j->article_id, why, final, next_try) < 0)
		log_warnx("feed %s: cannot record the page failure: %s", j->feed_name,
		    store_errmsg(p->store));
}

static void
page_fetched(const struct fetch_result *res, void *arg)
{
	struct job *j = arg, **pp;
	struct host *h = j->host;
	struct pages *p = h->p;
	char err[512], why[600];
	int rc;

	for (pp = &h->running; *pp != j; pp = &(*pp)->next)
		;
	*pp = j->next;
	h->active--;
	j->fetch = NULL;
	if (!res->ok)
		job_failed(p, j, res->error, 0);
	else if (res->status < 200 || res->status > 299) {
		/* A page that is not there will not come back; anything else might. */
		snprintf(why, sizeof(why), "HTTP %ld", res->status);
		job_failed(p, j, why, res->status == 404 || res->status == 410);
	} else {
		struct ingest_page_opts o = { 0 };

		o.rules = p->rules;
		o.entities = p->entities;
		o.timezone = j->timezone;
		o.extract = &j->extract;
		o.keep_html = j->keep_html;
		o.clip = j->clip;
		rc = ingest_article_page(p->store, j->article_id, &(struct ingest_doc){
		    res->body, res->len, res->final_url, res->content_type }, &o,
		    (int64_t)now_wall(), err, sizeof(err));
		if (rc > 0)
			job_failed(p, j, err, 1);
		else if (rc < 0)
			job_failed(p, j, err, 0);
		else {
			p->stored++;
			log_debug("feed %s: article page %s stored (%.2fs)", j->feed_name,
			    j->url, res->seconds);
		}
	}
	job_done(p, j);
	host_dispatch(h);
	check_idle(p);
}

static void
robots_fetched(const struct fetch_result *res, void *arg)
{
	struct host *h = arg;
	double ttl = ROBOTS_TTL;

	h->robots_fetch = NULL;
	robots_free(h->robots);
	h->robots_unreachable = 0;
	if (res->ok && res->status >= 200 && res->status <= 299)
		h->robots = robots_parse(res->body, res->len, "dateline");
	else if (res->ok && res->status >= 400 && res->status <= 499)
		h->robots = robots_allow_all();   /* RFC 9309: unavailable */
	else {
		/* RFC 9309: unreachable means "disallow all" for now. */
		h->robots = robots_disallow_all();
		h->robots_unreachable = 1;
		ttl = ROBOTS_TTL_UNREACHABLE;
		log_info("%s/robots.txt: %s; article pages of this host wait", h->origin,
		    res->ok ? "server error" : res->error);
	}
	h->robots_state = ROBOTS_READY;
	h->robots_expires = now_monotonic() + ttl;
	host_dispatch(h);
	check_idle(h->p);
}

static void
robots_start(struct host *h)
{
	struct pages *p = h->p;
	struct fetch_request req = { 0 };
	char *url = xasprintf("%s/robots.txt", h->origin);

	req.url = url;
	req.user_agent = p->user_agent;
	req.timeout = ROBOTS_TIMEOUT;
	req.connect_timeout = 15;
	req.max_bytes = ROBOTS_MAX_BYTES;
	req.allow_private = h->allow_private;
	req.done = robots_fetched;
	req.arg = h;
	h->robots_state = ROBOTS_FETCHING;
	h->last_start = now_monotonic();
	h->robots_fetch = fetcher_start(p->fetcher, &req);
	free(url);
}

static int
host_needs_robots(const struct host *h)
{
	for (const struct job *j = h->head; j; j = j->next)
		if (j->robots)
			return 1;
	return 0;
}

/* Starts what politeness allows now and arms the wake timer for the rest. */
static void
host_dispatch(struct host *h)
{
	struct pages *p = h->p;

	ev_timer_stop(p->loop, &h->wake);
	while (h->head != NULL) {
		struct job *j = h->head;
		struct fetch_request req = { 0 };
		double now = now_monotonic(), delay = p->delay, wait;

		if (host_needs_robots(h) && (h->robots_state != ROBOTS_READY ||
		    now >= h->robots_expires)) {
			if (h->robots_state != ROBOTS_FETCHING)
				robots_start(h);
			return;
		}
		if (h->robots && robots_crawl_delay(h->robots) > delay)
			delay = robots_crawl_delay(h->robots) < CRAWL_DELAY_MAX ?
			    robots_crawl_delay(h->robots) : CRAWL_DELAY_MAX;
		if (h->active >= p->per_host)
			return;
		wait = h->last_start + delay - now;
		if (wait > 0) {
			ev_timer_set(&h->wake, wait, 0.);
			ev_timer_start(p->loop, &h->wake);
			return;
		}
		h->head = j->next;
		if (h->head == NULL)
			h->tail = NULL;
		if (j->robots && !robots_allowed(h->robots, j->path)) {
			job_failed(p, j, h->robots_unreachable ? "robots.txt unreachable" :
			    "disallowed by robots.txt", !h->robots_unreachable);
			job_done(p, j);
			continue;
		}
		req.url = j->url;
		req.user_agent = p->user_agent;
		req.timeout = j->timeout;
		req.connect_timeout = j->connect_timeout;
		req.max_bytes = j->max_bytes;
		req.allow_private = j->allow_private;
		req.done = page_fetched;
		req.arg = j;
		j->next = h->running;
		h->running = j;
		h->active++;
		h->last_start = now;
		j->fetch = fetcher_start(p->fetcher, &req);
	}
}

void
pages_enqueue_feed(struct pages *p, const struct feed_conf *conf, int64_t feed_id)
{
	struct page_job *jobs;
	size_t n, added = 0;

	if (!conf->fetch_articles || conf->page_budget <= 0)
		return;
	if (store_pages_pending(p->store, feed_id, (int64_t)now_wall(), conf->page_budget,
	    &jobs, &n) < 0) {
		log_warnx("feed %s: cannot read pending article pages: %s", conf->name,
		    store_errmsg(p->store));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct job *j;
		struct host *h;
		char *origin, *path;

		if (ids_has(p, jobs[i].article_id))
			continue;
		if (split_url(jobs[i].url, &origin, &path) < 0)
			continue;
		j = xcalloc(1, sizeof(*j));
		j->article_id = jobs[i].article_id;
		j->url = jobs[i].url;
		jobs[i].url = NULL;
		j->path = path;
		j->attempts = jobs[i].attempts;
		j->feed_name = xstrdup(conf->name);
		j->timeout = conf->timeout;
		j->connect_timeout = conf->connect_timeout;
		j->retry_min = conf->retry_min;
		j->max_bytes = conf->max_bytes;
		j->allow_private = conf->allow_private;
		j->robots = conf->robots;
		j->keep_html = conf->keep_html;
		j->retries = conf->page_retries;
		j->clip = conf->kind == FEED_KIND_EPAPER && conf->follow != NULL;
		j->timezone = xstrdup(conf->timezone);
		j->extract.body = xstrdup_or_null(conf->extract.body);
		j->extract.title = xstrdup_or_null(conf->extract.title);
		j->extract.byline = xstrdup_or_null(conf->extract.byline);
		j->extract.published = xstrdup_or_null(conf->extract.published);
		j->extract.related = xstrdup_or_null(conf->extract.related);
		h = host_get(p, origin);
		free(origin);
		if (h->head == NULL && h->active == 0)
			h->allow_private = conf->allow_private;
		j->host = h;
		if (h->tail)
			h->tail->next = j;
		else
			h->head = j;
		h->tail = j;
		ids_add(p, j->article_id);
		p->pending++;
		added++;
	}
	page_jobs_free(jobs, n);
	if (added)
		log_debug("feed %s: %zu article page%s queued", conf->name, added,
		    added == 1 ? "" : "s");
	for (struct host *h = p->hosts; h; h = h->next)
		if (h->head && !ev_is_active(&h->wake))
			host_dispatch(h);
}

void
pages_counts(const struct pages *p, uint64_t *stored, uint64_t *failed)
{
	*stored = p->stored;
	*failed = p->failed;
}

size_t
pages_pending(const struct pages *p)
{
	return p->pending;
}

struct pages *
pages_new(struct ev_loop *loop, struct fetcher *f, struct store *st,
    const struct page_rules *rules, const struct entity_db *entities,
    void (*idle)(void *), void *arg)
{
	struct pages *p = xcalloc(1, sizeof(*p));

	p->entities = entities;
	p->loop = loop;
	p->fetcher = f;
	p->store = st;
	p->rules = rules;
	p->idle = idle;
	p->arg = arg;
	p->per_host = 1;
	p->delay = 1;
	p->user_agent = xstrdup("dateline/" DATELINE_VERSION);
	return p;
}

void
pages_configure(struct pages *p, const struct config *cfg)
{
	p->per_host = cfg->page_host_connections;
	p->delay = cfg->page_delay;
	free(p->user_agent);
	p->user_agent = xstrdup(cfg->user_agent);
}

void
pages_free(struct pages *p)
{
	struct host *h, *hn;
	struct job *j, *jn;

	if (p == NULL)
		return;
	for (h = p->hosts; h; h = hn) {
		hn = h->next;
		ev_timer_stop(p->loop, &h->wake);
		if (h->robots_fetch)
			fetcher_cancel(p->fetcher, h->robots_fetch);
		for (j = h->running; j; j = jn) {
			jn = j->next;
			fetcher_cancel(p->fetcher, j->fetch);
			job_free(j);
		}
		for (j = h->head; j; j = jn) {
			jn = j->next;
			job_free(j);
		}
		robots_free(h->robots);
		free(h->origin);
		free(h);
	}
	free(p->ids);
	free(p->user_agent);
	free(p);
}

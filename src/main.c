/*
 * main.c: datelined, the feed ingestion daemon.
 *
 *   datelined [-c CONFIG] [--db FILE] [--once] [-d] [-n]
 *
 * Start-up order: logging, configuration, libraries, store, event loop,
 * fetcher, poller, signals; shutdown in reverse.  Everything runs on one
 * libev loop: parsing and storing happen between I/O events.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <ev.h>
#include <libxml/parser.h>

#include "config.h"
#include "paths.h"
#include "dates.h"
#include "feed.h"
#include "fetch.h"
#include "log.h"
#include "datadir.h"
#include "entities.h"
#include "notify.h"
#include "page.h"
#include "pages.h"
#include "poller.h"
#include "store.h"
#include "util.h"

#define DEFAULT_CONFIG DATELINE_SYSCONFDIR "/dateline/dateline.yaml"
/* How often the WAL is folded back and truncated, and STATUS= refreshed. */
#define CHECKPOINT_INTERVAL 300.0
#define STATUS_INTERVAL 15.0
/* Retention runs this often, pruning at most RETENTION_BATCHES of RETENTION_BATCH rows. */
#define RETENTION_INTERVAL 600.0
#define RETENTION_BATCH 500
#define RETENTION_BATCHES 20
/* Store-wide counts for the metrics file are taken every this many status ticks. */
#define METRICS_COUNT_TICKS 4
/* SIGHUPs within this many seconds of the first are one reload. */
#define RELOAD_DELAY 0.2

struct daemon {
	struct ev_loop *loop;
	const char *config_path;
	const char *db_override;
	int debug;
	int once;
	struct config *cfg;
	struct store *store;
	struct fetcher *fetcher;
	struct page_rules *rules;
	struct entity_db *entities;
	struct pages *pages;
	struct poller *poller;
	ev_signal sigterm, sigint, sighup;
	ev_timer watchdog, status, checkpoint, retention, reload;
	int exit_code;
	int once_done;                 /* --once: finished (maybe before the loop ran) */
	double started;
	int status_ticks;
	long long stories, articles;   /* last counts, for the metrics file */
	int metrics_failed;            /* logged once until it works again */
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: datelined [-c CONFIG] [--db FILE] [--once] [-d] [-n]\n"
	    "  -c, --config FILE  configuration (default %s)\n"
	    "      --db FILE      use FILE as the database instead of the configured one\n"
	    "      --once         poll every feed once, store, and exit\n"
	    "  -d, --debug        log debug messages\n"
	    "  -n, --check        check the configuration and exit\n"
	    "  -V, --version      print the version and exit\n",
	    DEFAULT_CONFIG);
}

/* Loads and validates the config; prints every error.  NULL on failure. */
static struct config *
load_config(struct daemon *d)
{
	struct strlist errors = { 0 };
	struct config *cfg = config_load(d->config_path, &errors);

	for (size_t i = 0; i < errors.n; i++)
		log_err("%s", errors.v[i]);
	strlist_free(&errors);
	if (cfg && d->db_override) {
		free(cfg->database);
		cfg->database = xstrdup(d->db_override);
	}
	return cfg;
}

static void
apply_log_level(struct daemon *d)
{
	int level = d->debug ? LOG_LEVEL_DEBUG : log_level_parse(d->cfg->log_level);

	log_set_level(level < 0 ? LOG_LEVEL_INFO : (enum log_level)level);
}

static void
update_status(struct daemon *d)
{
	struct poller_status s;
	char ago[64] = "never";

	if (d->poller == NULL)
		return;   /* stopping */
	poller_status(d->poller, &s);
	if (s.last_new_item != DATE_UNSET) {
		double secs = now_wall() - (double)s.last_new_item;

		if (secs < 90)
			snprintf(ago, sizeof(ago), "%.0f s ago", secs < 0 ? 0 : secs);
		else if (secs < 5400)
			snprintf(ago, sizeof(ago), "%.0f min ago", secs / 60);
		else
			snprintf(ago, sizeof(ago), "%.1f h ago", secs / 3600);
	}
	notify_send("STATUS=%d feed%s, %d failing, last new article %s", s.feeds,
	    s.feeds == 1 ? "" : "s", s.failing, ago);
}

static void
stop(struct daemon *d, const char *why)
{
	log_info("%s; stopping", why);
	notify_send("STOPPING=1");
	/* No transaction is ever open between events: cancelling loses nothing. */
	poller_free(d->poller);
	d->poller = NULL;
	pages_free(d->pages);
	d->pages = NULL;
	/* Nothing may run after this but the shutdown in main(). */
	ev_timer_stop(d->loop, &d->status);
	ev_timer_stop(d->loop, &d->reload);
	ev_timer_stop(d->loop, &d->retention);
	ev_timer_stop(d->loop, &d->checkpoint);
	ev_signal_stop(d->loop, &d->sighup);
	ev_break(d->loop, EVBREAK_ALL);
}

static void
pages_idle(void *arg)
{
	struct daemon *d = arg;

	if (d->poller)
		poller_pages_idle(d->poller);
}

/*
 * The extractors' data files (agencies, disclaimers, gazetteers): the
 * config's data_dir, else the usual places.  0, or -1 after logging.
 */
static int
load_data(struct daemon *d)
{
	const char *dir = datadir_find(d->cfg->data_dir);
	char err[512];

	if (dir == NULL) {
		log_err("cannot find dateline's data files (agencies.txt) in %s%s"
		    "$DATELINE_DATA, next to the program or in %s", d->cfg->data_dir ?
		    d->cfg->data_dir : "", d->cfg->data_dir ? ", " : "", DATELINE_DATADIR);
		return -1;
	}
	if ((d->rules = page_rules_load(dir, err, sizeof(err))) == NULL) {
		log_err("%s", err);
		return -1;
	}
	if ((d->entities = entity_db_load(dir, err, sizeof(err))) == NULL) {
		log_err("%s", err);
		page_rules_free(d->rules);
		d->rules = NULL;
		return -1;
	}
	return 0;
}

static void
on_stop_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	(void)loop;
	(void)revents;
	stop(d, w->signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

/*
 * SIGHUP: the new file is read and validated whole before anything
 * changes; a broken file leaves the running configuration in place.
 * NOTE: the reload runs RELOAD_DELAY after the first SIGHUP of a burst;
 * the others arriving meanwhile are folded into it, so a script sending
 * a hundred SIGHUPs costs one reload, not a hundred.
 */
static void
on_sighup(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	(void)revents;
	if (!ev_is_active(&d->reload))
		ev_timer_start(loop, &d->reload);
}

static void
on_reload(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;
	struct config *cfg;
	struct timespec ts;

	(void)loop;
	(void)revents;
	if (d->poller == NULL)
		return;   /* stopping */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	notify_send("RELOADING=1\nMONOTONIC_USEC=%lld",
	    (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000);
	log_info("SIGHUP: reloading %s", d->config_path);
	cfg = load_config(d);
	if (cfg == NULL) {
		log_err("reload failed: %s has errors; keeping the running configuration",
		    d->config_path);
	} else if (strcmp(cfg->database, d->cfg->database) != 0) {
		log_err("reload: the database cannot change while running (%s); restart "
		    "datelined to use it; keeping the running configuration", cfg->database);
		config_free(cfg);
	} else {
		if (poller_apply(d->poller, cfg) < 0)
			log_warnx("reload: some feeds could not be registered in the store; "
			    "they are tried again at the next reload");
		config_free(d->cfg);
		d->cfg = cfg;
		apply_log_level(d);
		log_info("reloaded: %zu feed%s configured", cfg->nfeeds,
		    cfg->nfeeds == 1 ? "" : "s");
	}
	notify_send("READY=1");
	update_status(d);
}

static void
on_watchdog(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	notify_send("WATCHDOG=1");
}

static void
write_metrics(struct daemon *d)
{
	struct metrics_gauges g = { 0 };
	struct poller_status s;

	if (d->cfg->metrics_file == NULL || d->poller == NULL)
		return;
	if (d->status_ticks++ % METRICS_COUNT_TICKS == 0 &&
	    store_counts(d->store, &d->stories, &d->articles) < 0)
		log_debug("%s", store_errmsg(d->store));
	poller_status(d->poller, &s);
	g.feeds = s.feeds;
	g.feeds_failing = s.failing;
	g.stories = d->stories;
	g.articles = d->articles;
	g.started = d->started;
	pages_counts(d->pages, &g.pages_ok, &g.pages_failed);
	if (metrics_write(d->cfg->metrics_file, poller_counters(d->poller), &g) < 0) {
		if (!d->metrics_failed)
			log_warn("metrics_file %s", d->cfg->metrics_file);
		d->metrics_failed = 1;
	} else
		d->metrics_failed = 0;
}

static void
on_status(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;

	(void)loop;
	(void)revents;
	update_status(d);
	write_metrics(d);
}

/*
 * NOTE: the checkpoint never waits for readers (that would stall the
 * loop); a reader holding a snapshot only delays it to the next round.
 */
static void
on_checkpoint(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;

	(void)loop;
	(void)revents;
	if (store_checkpoint_nowait(d->store) < 0)
		log_debug("%s", store_errmsg(d->store));
}

/* Prunes old texts and articles in small transactions (retention:). */
static void
on_retention(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;
	int64_t now = (int64_t)now_wall();
	int64_t bodies = d->cfg->retention_bodies > 0 ?
	    now - (int64_t)d->cfg->retention_bodies : DATE_UNSET;
	int64_t articles = d->cfg->retention_articles > 0 ?
	    now - (int64_t)d->cfg->retention_articles : DATE_UNSET;
	long total = 0;
	int done;

	(void)loop;
	(void)revents;
	if (bodies == DATE_UNSET && articles == DATE_UNSET)
		return;
	for (int i = 0; i < RETENTION_BATCHES; i++) {
		if (store_prune(d->store, bodies, articles, RETENTION_BATCH, &done) < 0) {
			log_warnx("retention: %s", store_errmsg(d->store));
			break;
		}
		total += done;
		if (done == 0)
			break;
	}
	if (total > 0)
		log_info("retention: %ld rows pruned", total);
}

static void
once_finished(void *arg)
{
	struct daemon *d = arg;

	log_info("--once: every feed polled");
	d->once_done = 1;
	ev_break(d->loop, EVBREAK_ALL);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "once", no_argument, NULL, 'o' },
		{ "debug", no_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon d = { 0 };
	char err[512];
	int c, check_only = 0;

	log_init("datelined", LOG_LEVEL_INFO);
	d.config_path = DEFAULT_CONFIG;
	while ((c = getopt_long(argc, argv, "c:dnVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': d.config_path = optarg; break;
		case 'D': d.db_override = optarg; break;
		case 'o': d.once = 1; break;
		case 'd': d.debug = 1; break;
		case 'n': check_only = 1; break;
		case 'V': printf("datelined %s\n", DATELINE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (d.debug)
		log_set_level(LOG_LEVEL_DEBUG);
	d.cfg = load_config(&d);
	if (d.cfg == NULL) {
		log_err("%s: configuration refused", d.config_path);
		return 1;
	}
	if (check_only) {
		config_free(d.cfg);
		return 0;
	}
	apply_log_level(&d);
	notify_init();
	signal(SIGPIPE, SIG_IGN);
	/*
	 * NOTE: spools test files with a read lease (held for two fcntl
	 * calls); a writer opening the file in between makes the kernel send
	 * SIGIO, whose default action would end the daemon.
	 */
	signal(SIGIO, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	feed_init();

	if (load_data(&d) < 0) {
		config_free(d.cfg);
		curl_global_cleanup();
		xmlCleanupParser();
		return 1;
	}
	d.store = store_open(d.cfg->database, STORE_READWRITE, err, sizeof(err));
	if (d.store == NULL) {
		log_err("%s", err);
		page_rules_free(d.rules);
		entity_db_free(d.entities);
		config_free(d.cfg);
		curl_global_cleanup();
		xmlCleanupParser();
		return 1;
	}
	d.started = now_wall();
	d.loop = ev_default_loop(EVFLAG_AUTO);
	d.fetcher = fetcher_new(d.loop, d.cfg->max_connections, d.cfg->max_host_connections);
	d.pages = pages_new(d.loop, d.fetcher, d.store, d.rules, d.entities, pages_idle, &d);
	d.poller = poller_new(d.loop, d.store, d.fetcher, d.pages, d.rules, d.entities,
	    d.once, once_finished, &d);

	ev_signal_init(&d.sigterm, on_stop_signal, SIGTERM);
	ev_signal_init(&d.sigint, on_stop_signal, SIGINT);
	ev_signal_init(&d.sighup, on_sighup, SIGHUP);
	ev_timer_init(&d.reload, on_reload, RELOAD_DELAY, 0.);
	d.reload.data = &d;
	d.sigterm.data = d.sigint.data = d.sighup.data = &d;
	ev_signal_start(d.loop, &d.sigterm);
	ev_signal_start(d.loop, &d.sigint);
	if (!d.once)
		ev_signal_start(d.loop, &d.sighup);
	if (notify_watchdog_interval() > 0) {
		ev_timer_init(&d.watchdog, on_watchdog, 0., notify_watchdog_interval());
		ev_timer_again(d.loop, &d.watchdog);
	}
	ev_timer_init(&d.status, on_status, STATUS_INTERVAL, STATUS_INTERVAL);
	d.status.data = &d;
	ev_timer_init(&d.checkpoint, on_checkpoint, CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL);
	d.checkpoint.data = &d;
	ev_timer_init(&d.retention, on_retention, 1., RETENTION_INTERVAL);
	d.retention.data = &d;
	if (!d.once) {
		ev_timer_start(d.loop, &d.status);
		ev_timer_start(d.loop, &d.checkpoint);
		ev_timer_start(d.loop, &d.retention);
	}

	log_info("dateline %s: %zu feed%s, database %s%s", DATELINE_VERSION,
	    d.cfg->nfeeds, d.cfg->nfeeds == 1 ? "" : "s", d.cfg->database,
	    d.once ? " (--once)" : "");
	/* Feeds the store could not register are logged; the others go on. */
	poller_apply(d.poller, d.cfg);
	notify_send("READY=1");
	update_status(&d);

	/* NOTE: --once with nothing to poll finishes before the loop starts. */
	if (!d.once_done)
		ev_run(d.loop, 0);

	if (d.once)
		write_metrics(&d);   /* a --once run leaves its numbers too */
	poller_free(d.poller);
	pages_free(d.pages);
	fetcher_free(d.fetcher);
	page_rules_free(d.rules);
	entity_db_free(d.entities);
	ev_signal_stop(d.loop, &d.sigterm);
	ev_signal_stop(d.loop, &d.sigint);
	ev_signal_stop(d.loop, &d.sighup);
	ev_timer_stop(d.loop, &d.watchdog);
	ev_timer_stop(d.loop, &d.status);
	ev_timer_stop(d.loop, &d.checkpoint);
	ev_timer_stop(d.loop, &d.retention);
	ev_timer_stop(d.loop, &d.reload);
	store_checkpoint_nowait(d.store);
	store_close(d.store);
	config_free(d.cfg);
	ev_loop_destroy(d.loop);
	curl_global_cleanup();
	xmlCleanupParser();
	notify_close();
	log_info("stopped");
	return d.exit_code;
}

/*
 * config.h: the YAML configuration -> struct config (libyaml).
 *
 * Every problem is reported as "FILE:LINE:COL: message" and a file with
 * any problem is refused whole: config_load returns NULL and the caller
 * keeps whatever config it was running with.
 */
#ifndef DATELINE_CONFIG_H
#define DATELINE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "schedule.h"
#include "util.h"

enum feed_kind {
	FEED_KIND_AGENCY,
	FEED_KIND_EPAPER,
	FEED_KIND_SITE,
	FEED_KIND_SPOOL,         /* a local folder files are dropped into */
};

/* XPath expressions overriding the extractor for one site (`extract:`). */
struct extract_xpaths {
	char *body, *title, *byline, *published, *related;   /* each may be NULL */
};

/*
 * One feed with every setting resolved (feed value, else `defaults`, else
 * the built-in default).  Durations are in seconds.
 */
struct feed_conf {
	char *name;              /* unique within the file */
	/*
	 * Absolute http(s) URL.  NOTE: a spool has none in the file; its url
	 * is "file://" and its folder, which is what its feeds row records.
	 */
	char *url;
	char *path;              /* spool: the folder (absolute); else NULL */
	enum feed_kind kind;
	double interval;         /* seconds between polls to start from (default 10m) */
	double min_interval;     /* adaptive polling never goes faster (default interval/4) */
	double max_interval;     /* nor slower (default interval*4) */
	double timeout;          /* whole-transfer timeout (default 60s) */
	double connect_timeout;  /* default 15s */
	bool fetch_articles;     /* default false */
	char *timezone;          /* IANA name for zone-less times (default "UTC") */
	char *agency;            /* default agency credited (e.g. "IANS"), or NULL */
	bool enabled;            /* default true */
	bool allow_private;      /* may connect to loopback/private ranges (default false) */
	long long max_bytes;     /* decoded bytes per response (default 16 MiB) */
	double retry_min;        /* smallest delay after an error (default 1m) */
	double retry_max;        /* largest backoff / Retry-After honoured (default 6h) */
	bool robots;             /* honour robots.txt for article pages (default true) */
	bool keep_html;          /* keep fetched pages, compressed (default false) */
	int page_budget;         /* article pages fetched per poll at most (default 50) */
	int page_retries;        /* fetch attempts per page before giving up (default 3) */
	struct extract_xpaths extract;
	/*
	 * kind epaper with `follow`: the url is a template (template.h) and
	 * editions are read from their index pages.
	 */
	char **editions;         /* edition names; none: one, named after the feed */
	size_t neditions;
	struct edition_schedule schedule;  /* when editions appear (default daily 00:00) */
	int backfill;            /* days before today also looked for (default 0) */
	char *follow;            /* XPath of an index page's article links, or NULL */
	char *next;              /* XPath of the next index page, or NULL */
	char *page_number;       /* XPath (relative to a link) of its page number, or NULL */
	int edition_budget;      /* index pages plus article links per edition (default 200) */
	int line, column;        /* where the feed's map starts, for messages */
};

struct config {
	char *path;              /* the file this was read from */
	char *database;          /* absolute, or resolved against the config's folder */
	char *user_agent;        /* default "dateline/VERSION (+URL)" */
	int max_connections;     /* concurrent transfers in all (default 16) */
	int max_host_connections;/* concurrent transfers per host (default 2) */
	char *log_level;         /* "error".."debug" (default "info") */
	int page_host_connections; /* concurrent article-page fetches per host (default 1) */
	double page_delay;       /* least seconds between page fetches to one host (default 1s) */
	char *data_dir;          /* data files folder, or NULL: the installed one */
	char *metrics_file;      /* Prometheus text file to keep up to date, or NULL */
	double retention_bodies; /* seconds after which texts are pruned, 0: never */
	double retention_articles; /* seconds after which articles are deleted, 0: never */
	struct feed_conf *feeds;
	size_t nfeeds;
};

/*
 * Reads and validates path.  On success returns the config.  On any error
 * returns NULL and appends one "FILE:LINE:COL: message" per problem to
 * errors (as many as can be found in one pass).
 */
struct config *config_load(const char *path, struct strlist *errors);

void config_free(struct config *cfg);

/* The feed named name, or NULL. */
const struct feed_conf *config_feed(const struct config *cfg, const char *name);

/* "agency", "epaper", "site", "spool". */
const char *feed_kind_name(enum feed_kind k);

/*
 * Writes the effective configuration (every default filled in) as YAML
 * that config_load reads back to the same values.
 */
void config_write(const struct config *cfg, struct buf *out);

/* Parses "30s", "10m", "1h", "1d", "1h30m", "90s"; -1 when malformed. */
int config_parse_duration(const char *s, double *seconds);

#endif

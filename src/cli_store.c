/*
 * cli_store.c: dateline feeds | backup | reextract.
 *
 * Every command finds the database through --db FILE, else the `database`
 * of -c CONFIG (default: the installed configuration).  Commands that only
 * read open it read-only (mode=ro), so they never block or endanger the
 * daemon, and work while it writes.
 */
#include "cli_store.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "datadir.h"
#include "dates.h"
#include "entities.h"
#include "ingest.h"
#include "log.h"
#include "page.h"
#include "storeq.h"
#include "table.h"
#include "util.h"

#define DEFAULT_CONFIG DATELINE_SYSCONFDIR "/dateline/dateline.yaml"

/* Options every store command shares. */
struct store_opts {
	const char *config;
	const char *db;
	enum table_format format;
	int utc;
};

enum { OPT_DB = 1000, OPT_JSON, OPT_CSV, OPT_UTC };

#define STORE_LONGOPTS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "db", required_argument, NULL, OPT_DB }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "csv", no_argument, NULL, OPT_CSV }, \
	{ "utc", no_argument, NULL, OPT_UTC }, \
	{ "help", no_argument, NULL, 'h' }

/* Handles a shared option; 1 if it was one, 0 if not. */
static int
store_opt(struct store_opts *o, int c)
{
	switch (c) {
	case 'c': o->config = optarg; return 1;
	case OPT_DB: o->db = optarg; return 1;
	case OPT_JSON: o->format = TABLE_JSON; return 1;
	case OPT_CSV: o->format = TABLE_CSV; return 1;
	case OPT_UTC: o->utc = 1; return 1;
	}
	return 0;
}

/*
 * Opens the store the options name.  *cfg gets the configuration when one
 * was read (else NULL).  Prints one line and returns NULL on failure.
 */
static struct store *
open_store(const struct store_opts *o, enum store_mode mode, struct config **cfg)
{
	struct strlist errors = { 0 };
	const char *path = o->db;
	struct store *st;
	char err[512];

	*cfg = NULL;
	if (path == NULL || mode == STORE_READWRITE) {
		*cfg = config_load(o->config ? o->config : DEFAULT_CONFIG, &errors);
		if (*cfg == NULL && path == NULL) {
			for (size_t i = 0; i < errors.n; i++)
				fprintf(stderr, "%s\n", errors.v[i]);
			fprintf(stderr, "dateline: no usable configuration; name the database "
			    "with --db FILE\n");
			strlist_free(&errors);
			return NULL;
		}
		strlist_free(&errors);
		if (path == NULL)
			path = (*cfg)->database;
	}
	if (mode == STORE_READONLY && access(path, F_OK) < 0) {
		fprintf(stderr, "dateline: %s: no such database\n", path);
		config_free(*cfg);
		*cfg = NULL;
		return NULL;
	}
	st = store_open(path, mode, err, sizeof(err));
	if (st == NULL) {
		fprintf(stderr, "dateline: %s\n", err);
		config_free(*cfg);
		*cfg = NULL;
	}
	return st;
}

static const char store_opts_help[] =
    "  -c, --config FILE  read the database path from FILE (default " DEFAULT_CONFIG ")\n"
    "      --db FILE      use this database\n";
static const char format_opts_help[] =
    "      --json         JSON Lines, one object per row\n"
    "      --csv          CSV with a header row\n"
    "      --utc          show times in UTC (default: the local time zone)\n";

int
cmd_feeds(int argc, char **argv)
{
	static const struct option longopts[] = { STORE_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	struct table *t;
	int c;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		if (c == 'h') {
			printf("usage: dateline feeds [-c CONFIG | --db FILE] [--json | --csv] [--utc]\n"
			    "  every configured feed's health: ok, failing, stale or gone\n%s%s",
			    store_opts_help, format_opts_help);
			return 0;
		}
		return 2;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: dateline feeds [-c CONFIG | --db FILE] [--json | --csv] [--utc]\n");
		return 2;
	}
	if ((st = open_store(&o, STORE_READONLY, &cfg)) == NULL)
		return 1;
	t = query_feeds(st);
	if (t == NULL) {
		fprintf(stderr, "dateline: %s\n", store_errmsg(st));
		store_close(st);
		config_free(cfg);
		return 1;
	}
	table_print(t, o.format, o.utc, stdout);
	table_free(t);
	store_close(st);
	config_free(cfg);
	return 0;
}

/* Parses a --since duration ("2h", "7d") into a time; -1 if malformed. */
static int
parse_since(const char *arg, int64_t *since)
{
	double secs;

	if (config_parse_duration(arg, &secs) < 0) {
		fprintf(stderr, "dateline: bad duration '%s' for --since (e.g. 30m, 6h, 7d)\n", arg);
		return -1;
	}
	*since = (int64_t)now_wall() - (int64_t)secs;
	return 0;
}

/* Parses a positive integer option; -1 after one line on stderr. */
static int
parse_count(const char *opt, const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < 0 || v > 1000000000) {
		fprintf(stderr, "dateline: %s needs a number, not '%s'\n", opt, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Prints t (or the store's error) and closes everything; the exit status. */
static int
print_and_close(struct table *t, struct store *st, struct config *cfg,
    const struct store_opts *o)
{
	int rc = 0;

	if (t == NULL) {
		fprintf(stderr, "dateline: %s\n", store_errmsg(st));
		rc = 1;
	} else
		table_print(t, o->format, o->utc, stdout);
	table_free(t);
	store_close(st);
	config_free(cfg);
	return rc;
}

int
cmd_stories(int argc, char **argv)
{
	enum { OPT_SINCE = 2000, OPT_AGENCY, OPT_MIN, OPT_LIMIT };
	static const struct option longopts[] = {
		STORE_LONGOPTS,
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "agency", required_argument, NULL, OPT_AGENCY },
		{ "min-copies", required_argument, NULL, OPT_MIN },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage_line[] = "usage: dateline stories [--since DURATION] "
	    "[--agency NAME] [--min-copies N] [--limit N] [-c CONFIG | --db FILE] "
	    "[--json | --csv] [--utc]\n";
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	const char *agency = NULL;
	int64_t since = DATE_UNSET;
	int c, min_copies = 1, limit = 100;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		switch (c) {
		case OPT_SINCE:
			if (parse_since(optarg, &since) < 0)
				return 2;
			break;
		case OPT_AGENCY: agency = optarg; break;
		case OPT_MIN:
			if (parse_count("--min-copies", optarg, &min_copies) < 0)
				return 2;
			break;
		case OPT_LIMIT:
			if (parse_count("--limit", optarg, &limit) < 0)
				return 2;
			break;
		case 'h':
			printf("%s  stories, newest first: agency, copies, distinct outlets, first seen\n"
			    "      --since DURATION  first seen within DURATION (30m, 6h, 7d)\n"
			    "      --agency NAME     credited to agency NAME\n"
			    "      --min-copies N    with at least N copies (default 1)\n"
			    "      --limit N         at most N stories (default 100)\n%s%s",
			    usage_line, store_opts_help, format_opts_help);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fputs(usage_line, stderr);
		return 2;
	}
	if ((st = open_store(&o, STORE_READONLY, &cfg)) == NULL)
		return 1;
	return print_and_close(query_stories(st, since, agency, min_copies, limit), st, cfg, &o);
}

int
cmd_story(int argc, char **argv)
{
	static const struct option longopts[] = { STORE_LONGOPTS, { NULL, 0, NULL, 0 } };
	static const char usage_line[] = "usage: dateline story ID [-c CONFIG | --db FILE] "
	    "[--json | --csv] [--utc]\n";
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	int c, id;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		if (c == 'h') {
			printf("%s  every copy of story ID (outlet, first seen, minutes after the first\n"
			    "  copy, title, url), then its near-variants (the rest of its family)\n%s%s",
			    usage_line, store_opts_help, format_opts_help);
			return 0;
		}
		return 2;
	}
	if (optind != argc - 1 || parse_count("ID", argv[optind], &id) < 0) {
		fputs(usage_line, stderr);
		return 2;
	}
	if ((st = open_store(&o, STORE_READONLY, &cfg)) == NULL)
		return 1;
	return print_and_close(query_story(st, id), st, cfg, &o);
}

int
cmd_search(int argc, char **argv)
{
	enum { OPT_SINCE = 2000, OPT_FEED, OPT_AGENCY, OPT_LIMIT };
	static const struct option longopts[] = {
		STORE_LONGOPTS,
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "feed", required_argument, NULL, OPT_FEED },
		{ "agency", required_argument, NULL, OPT_AGENCY },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage_line[] = "usage: dateline search QUERY [--since DURATION] "
	    "[--feed NAME] [--agency NAME] [--limit N] [-c CONFIG | --db FILE] "
	    "[--json | --csv] [--utc]\n";
	struct search_opts so = { NULL, DATE_UNSET, NULL, NULL, 20 };
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	int c;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		switch (c) {
		case OPT_SINCE:
			if (parse_since(optarg, &so.since) < 0)
				return 2;
			break;
		case OPT_FEED: so.feed = optarg; break;
		case OPT_AGENCY: so.agency = optarg; break;
		case OPT_LIMIT:
			if (parse_count("--limit", optarg, &so.limit) < 0)
				return 2;
			break;
		case 'h':
			printf("%s  articles matching QUERY, best first, with the match in [brackets]\n"
			    "  QUERY is FTS5 syntax: words, \"a phrase\", AND, OR, NOT, prefix*,\n"
			    "  title:word; diacritics and case are ignored\n"
			    "      --since DURATION  first seen within DURATION (30m, 6h, 7d)\n"
			    "      --feed NAME       from feed NAME\n"
			    "      --agency NAME     credited to agency NAME\n"
			    "      --limit N         at most N articles (default 20)\n%s%s",
			    usage_line, store_opts_help, format_opts_help);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		fputs(usage_line, stderr);
		return 2;
	}
	so.query = argv[optind];
	if ((st = open_store(&o, STORE_READONLY, &cfg)) == NULL)
		return 1;
	return print_and_close(query_search(st, &so), st, cfg, &o);
}

int
cmd_entities(int argc, char **argv)
{
	enum { OPT_SINCE = 2000, OPT_KIND, OPT_TOP };
	static const struct option longopts[] = {
		STORE_LONGOPTS,
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "top", required_argument, NULL, OPT_TOP },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage_line[] = "usage: dateline entities [--since DURATION] "
	    "[--kind person|org|place] [--top N] [-c CONFIG | --db FILE] [--json | --csv] "
	    "[--utc]\n";
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	const char *kind = NULL;
	int64_t since = DATE_UNSET;
	int c, top = 50;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		switch (c) {
		case OPT_SINCE:
			if (parse_since(optarg, &since) < 0)
				return 2;
			break;
		case OPT_KIND:
			if (strcmp(optarg, "person") != 0 && strcmp(optarg, "org") != 0 &&
			    strcmp(optarg, "place") != 0) {
				fprintf(stderr, "dateline: --kind is person, org or place, not '%s'\n",
				    optarg);
				return 2;
			}
			kind = optarg;
			break;
		case OPT_TOP:
			if (parse_count("--top", optarg, &top) < 0)
				return 2;
			break;
		case 'h':
			printf("%s  the most-named people, organizations and places, by stories\n"
			    "      --since DURATION  in stories first seen within DURATION\n"
			    "      --kind KIND       person, org or place\n"
			    "      --top N           at most N entities (default 50)\n%s%s",
			    usage_line, store_opts_help, format_opts_help);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fputs(usage_line, stderr);
		return 2;
	}
	if ((st = open_store(&o, STORE_READONLY, &cfg)) == NULL)
		return 1;
	return print_and_close(query_entities(st, since, kind, top), st, cfg, &o);
}

int
cmd_entity(int argc, char **argv)
{
	enum { OPT_LIMIT = 2000 };
	static const struct option longopts[] = {
		STORE_LONGOPTS,
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage_line[] = "usage: dateline entity NAME [--limit N] "
	    "[-c CONFIG | --db FILE] [--json | --csv] [--utc]\n";
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	int c, limit = 100;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		if (c == OPT_LIMIT) {
			if (parse_count("--limit", optarg, &limit) < 0)
				return 2;
			continue;
		}
		if (c == 'h') {
			printf("%s  the stories naming NAME (a person, organization or place; case\n"
			    "  does not matter), newest first, with their copies and outlets\n"
			    "      --limit N         at most N stories (default 100)\n%s%s",
			    usage_line, store_opts_help, format_opts_help);
			return 0;
		}
		return 2;
	}
	if (optind != argc - 1) {
		fputs(usage_line, stderr);
		return 2;
	}
	if ((st = open_store(&o, STORE_READONLY, &cfg)) == NULL)
		return 1;
	return print_and_close(query_entity(st, argv[optind], limit), st, cfg, &o);
}

int
cmd_backup(int argc, char **argv)
{
	static const struct option longopts[] = { STORE_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		if (c == 'h') {
			printf("usage: dateline backup [-c CONFIG | --db FILE] DEST\n"
			    "  copy the database to DEST (a new file): a consistent snapshot,\n"
			    "  taken while the daemon goes on writing\n%s", store_opts_help);
			return 0;
		}
		return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: dateline backup [-c CONFIG | --db FILE] DEST\n");
		return 2;
	}
	if ((st = open_store(&o, STORE_READONLY, &cfg)) == NULL)
		return 1;
	if (store_backup(st, argv[optind]) < 0) {
		fprintf(stderr, "dateline: %s\n", store_errmsg(st));
		rc = 1;
	}
	store_close(st);
	config_free(cfg);
	return rc;
}

int
cmd_reextract(int argc, char **argv)
{
	static const struct option longopts[] = { STORE_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct store_opts o = { 0 };
	struct config *cfg;
	struct store *st;
	struct page_rules *rules;
	struct entity_db *edb;
	const char *dir;
	int64_t *ids;
	size_t n, ok = 0, unusable = 0, failed = 0;
	char err[512];
	int c;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		if (store_opt(&o, c))
			continue;
		if (c == 'h') {
			printf("usage: dateline reextract [-c CONFIG] [--db FILE]\n"
			    "  run the article extractor again over every kept page (keep_html)\n"
			    "  and store what it finds, without fetching anything\n%s",
			    store_opts_help);
			return 0;
		}
		return 2;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: dateline reextract [-c CONFIG] [--db FILE]\n");
		return 2;
	}
	if ((st = open_store(&o, STORE_READWRITE, &cfg)) == NULL)
		return 1;
	dir = datadir_find(cfg ? cfg->data_dir : NULL);
	if (dir == NULL || (rules = page_rules_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dateline: %s\n", dir ? err : "cannot find the data files "
		    "(agencies.txt); set data_dir or DATELINE_DATA");
		store_close(st);
		config_free(cfg);
		return 1;
	}
	if ((edb = entity_db_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dateline: %s\n", err);
		page_rules_free(rules);
		store_close(st);
		config_free(cfg);
		return 1;
	}
	if (store_kept_page_ids(st, &ids, &n) < 0) {
		fprintf(stderr, "dateline: %s\n", store_errmsg(st));
		n = 0;
		ids = NULL;
		failed = 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct kept_page kp;
		struct ingest_page_opts po = { 0 };
		const struct feed_conf *fc;
		int rc = store_kept_page(st, ids[i], &kp);

		if (rc != 0) {
			if (rc < 0) {
				fprintf(stderr, "dateline: %s\n", store_errmsg(st));
				failed++;
			}
			continue;
		}
		fc = cfg && kp.feed_name ? config_feed(cfg, kp.feed_name) : NULL;
		po.rules = rules;
		po.entities = edb;
		po.timezone = fc ? fc->timezone : "UTC";
		po.extract = fc ? &fc->extract : NULL;
		po.reextract = 1;
		rc = ingest_article_page(st, ids[i], &(struct ingest_doc){ kp.html, kp.len,
		    kp.url, kp.content_type }, &po, (int64_t)now_wall(), err, sizeof(err));
		if (rc == 0)
			ok++;
		else if (rc > 0)
			unusable++;
		else {
			fprintf(stderr, "dateline: article %lld: %s\n", (long long)ids[i], err);
			failed++;
		}
		kept_page_free(&kp);
	}
	printf("%zu pages re-extracted, %zu without an article, %zu failed\n", ok, unusable,
	    failed);
	free(ids);
	entity_db_free(edb);
	page_rules_free(rules);
	store_close(st);
	config_free(cfg);
	return failed ? 1 : 0;
}

/*
 * cli.c: the dateline command-line tool.
 *
 *   dateline parse [--url BASE] [--timezone ZONE] FILE|-
 *   dateline extract [--url URL] [--timezone ZONE] [--data DIR]
 *                    [--feed NAME -c CONFIG] FILE|-
 *   dateline entities-of [--data DIR] FILE|-
 *   dateline check-config [-c CONFIG] [-v]
 *
 * Each subcommand is one function; output formats are those of DESIGN.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "cli_store.h"
#include "paths.h"
#include "config.h"
#include "datadir.h"
#include "dates.h"
#include "entities.h"
#include "feed.h"
#include "feedjson.h"
#include "log.h"
#include "page.h"
#include "pagejson.h"
#include "syndicate.h"
#include "util.h"

#define DEFAULT_CONFIG DATELINE_SYSCONFDIR "/dateline/dateline.yaml"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: dateline COMMAND [OPTIONS]\n"
	    "\n"
	    "commands:\n"
	    "  parse [--url BASE] [--timezone ZONE] FILE|-\n"
	    "        parse an RSS, Atom or JSON Feed document and print its items as JSON Lines\n"
	    "  extract [--url URL] [--timezone ZONE] [--data DIR] [--feed NAME -c CONFIG] FILE|-\n"
	    "        extract the article from an HTML page and print it as JSON\n"
	    "  entities-of [--data DIR] FILE|-\n"
	    "        print the entities of a plain-text article: first line title, then body\n"
	    "  check-config [-c CONFIG] [-v]\n"
	    "        validate a configuration; -v prints the effective configuration\n"
	    "  feeds [-c CONFIG | --db FILE] [--json | --csv] [--utc]\n"
	    "        every feed's health: ok, failing, stale or gone\n"
	    "  stories [--since DURATION] [--agency NAME] [--min-copies N] [--json]\n"
	    "        stories, newest first, with their copies and outlets\n"
	    "  story ID [--json]\n"
	    "        every copy of a story and its near-variants\n"
	    "  search QUERY [--since DURATION] [--feed NAME] [--agency NAME] [--limit N]\n"
	    "        full-text search, best matches first, with snippets\n"
	    "  entities [--since DURATION] [--kind KIND] [--top N]\n"
	    "        the most-named people, organizations and places\n"
	    "  entity NAME\n"
	    "        the stories naming a person, organization or place\n"
	    "  backup [-c CONFIG | --db FILE] DEST\n"
	    "        copy the database while the daemon runs\n"
	    "  reextract [-c CONFIG] [--db FILE]\n"
	    "        run the extractor again over kept pages (keep_html)\n"
	    "  version\n"
	    "        print the version\n"
	    "\n"
	    "Run 'dateline COMMAND --help' for a command's options.\n");
}

/*
 * Reads all of path ("-" is stdin) into a malloc'd buffer.  Returns 0, or
 * -1 after printing one line on stderr.
 */
static int
read_input(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "dateline: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		fprintf(stderr, "dateline: %s: read error\n", path);
		if (f != stdin)
			fclose(f);
		buf_free(&b);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	*len = b.len;
	*data = buf_steal(&b);
	return 0;
}

static void
print_json_line(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s == NULL)
		fatalx("json_dumps failed");
	fputs(s, stdout);
	fputc('\n', stdout);
	free(s);
	json_decref(j);
}

static int
cmd_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "timezone", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct feed_parse_opts opts = { 0 };
	struct feed_doc doc;
	char err[256], *data;
	size_t len;
	int c;

	while ((c = getopt_long(argc, argv, "u:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': opts.base_url = optarg; break;
		case 't':
			if (!date_tz_exists(optarg)) {
				fprintf(stderr, "dateline: unknown time zone '%s'\n", optarg);
				return 2;
			}
			opts.default_tz = optarg;
			break;
		case 'h':
			printf("usage: dateline parse [--url BASE] [--timezone ZONE] FILE|-\n"
			    "  --url BASE        resolve relative links against BASE\n"
			    "  --timezone ZONE   IANA zone for times without one (default UTC)\n");
			return 0;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: dateline parse [--url BASE] [--timezone ZONE] FILE|-\n");
		return 2;
	}
	if (read_input(argv[optind], &data, &len) < 0)
		return 1;
	feed_init();
	if (feed_parse(data, len, &opts, &doc, err, sizeof(err)) < 0) {
		fprintf(stderr, "dateline: %s: %s\n", argv[optind], err);
		free(data);
		return 1;
	}
	free(data);
	print_json_line(feed_doc_to_json(&doc));
	for (size_t i = 0; i < doc.nitems; i++)
		print_json_line(feed_item_to_json(&doc.items[i]));
	feed_doc_free(&doc);
	return 0;
}

#define EXTRACT_USAGE \
	"usage: dateline extract [--url URL] [--timezone ZONE] [--data DIR]\n" \
	"                        [--feed NAME -c CONFIG] FILE|- [FILE...]\n"

static int
cmd_extract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "timezone", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ "feed", required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *feed = NULL, *config_path = DEFAULT_CONFIG, *dir;
	struct page_opts opts = { 0 };
	struct page_overrides ov = { 0 };
	struct config *cfg = NULL;
	struct page_rules *rules;
	struct entity_db *edb;
	struct page_article a;
	char err[512], hash[CONTENT_HASH_LEN], *html;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "u:t:d:f:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': opts.url = optarg; break;
		case 't':
			if (!date_tz_exists(optarg)) {
				fprintf(stderr, "dateline: unknown time zone '%s'\n", optarg);
				return 2;
			}
			opts.default_tz = optarg;
			break;
		case 'd': data = optarg; break;
		case 'f': feed = optarg; break;
		case 'c': config_path = optarg; break;
		case 'h':
			printf(EXTRACT_USAGE
			    "  --url URL         the page's URL, for relative links\n"
			    "  --timezone ZONE   IANA zone for times without one (default UTC)\n"
			    "  --data DIR        the folder of agencies.txt and the other data files\n"
			    "  --feed NAME       apply that feed's extract: overrides from CONFIG\n"
			    "  -c, --config FILE the configuration (default %s)\n", DEFAULT_CONFIG);
			return 0;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, EXTRACT_USAGE);
		return 2;
	}
	if (feed != NULL) {
		struct strlist errors = { 0 };
		const struct feed_conf *fc;

		if ((cfg = config_load(config_path, &errors)) == NULL) {
			for (size_t i = 0; i < errors.n; i++)
				fprintf(stderr, "%s\n", errors.v[i]);
			strlist_free(&errors);
			return 1;
		}
		if ((fc = config_feed(cfg, feed)) == NULL) {
			fprintf(stderr, "dateline: --feed: no feed named '%s' in %s\n",
			    feed, config_path);
			config_free(cfg);
			return 1;
		}
		ov.body = fc->extract.body;
		ov.title = fc->extract.title;
		ov.byline = fc->extract.byline;
		ov.published = fc->extract.published;
		ov.related = fc->extract.related;
		opts.overrides = &ov;
		if (opts.default_tz == NULL)
			opts.default_tz = fc->timezone;
		if (data == NULL)
			data = cfg->data_dir;
	}
	if ((dir = datadir_find(data)) == NULL) {
		fprintf(stderr, "dateline: %s%s: no agencies.txt there (use --data DIR "
		    "or DATELINE_DATA)\n", data ? data : "data folder",
		    data ? "" : " not found");
		config_free(cfg);
		return 1;
	}
	if ((rules = page_rules_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dateline: %s\n", err);
		config_free(cfg);
		return 1;
	}
	if ((edb = entity_db_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dateline: %s\n", err);
		page_rules_free(rules);
		config_free(cfg);
		return 1;
	}
	opts.rules = rules;
	/* Several files: one JSON line each, in order; a bad one is skipped. */
	rc = 0;
	for (int i = optind; i < argc; i++) {
		if (read_input(argv[i], &html, &len) < 0) {
			rc = 1;
			continue;
		}
		if (page_extract(html, len, &opts, &a, err, sizeof(err)) == 0) {
			struct entity_list el = { 0 };
			json_t *ents = json_array();

			if (a.found)
				entities_extract(edb, a.title, a.body, &el);
			for (size_t k = 0; k < el.n; k++)
				json_array_append_new(ents, json_pack("{s:s, s:s, s:i}", "name",
				    el.v[k].name, "kind", entity_kind_name(el.v[k].kind),
				    "mentions", el.v[k].mentions));
			entity_list_free(&el);
			print_json_line(page_article_to_json(&a, a.body != NULL &&
			    syndicate_content_hash(a.body, hash) == 0 ? hash : NULL, ents));
			page_article_free(&a);
		} else {
			fprintf(stderr, "dateline: %s: %s\n", argv[i], err);
			rc = 1;
		}
		free(html);
	}
	entity_db_free(edb);
	page_rules_free(rules);
	config_free(cfg);
	return rc;
}

#define ENTITIES_OF_USAGE "usage: dateline entities-of [--data DIR] FILE|-\n"

/*
 * Prints the entities of a plain-text article (first line the title, the
 * rest the body) as JSON Lines {"name", "kind", "mentions"}, most
 * mentioned first.
 */
static int
cmd_entities_of(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *dir, *body;
	struct entity_db *db;
	struct entity_list l;
	char err[512], *text, *nl;
	size_t len;
	int c;

	while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'h':
			printf(ENTITIES_OF_USAGE
			    "  --data DIR        the folder of agencies.txt and entities/\n");
			return 0;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, ENTITIES_OF_USAGE);
		return 2;
	}
	if ((dir = datadir_find(data)) == NULL) {
		fprintf(stderr, "dateline: %s%s: no agencies.txt there (use --data DIR "
		    "or DATELINE_DATA)\n", data ? data : "data folder",
		    data ? "" : " not found");
		return 1;
	}
	if ((db = entity_db_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dateline: %s\n", err);
		return 1;
	}
	if (read_input(argv[optind], &text, &len) < 0) {
		entity_db_free(db);
		return 1;
	}
	body = "";
	if ((nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';
		body = nl + 1;
	}
	entities_extract(db, text, body, &l);
	for (size_t i = 0; i < l.n; i++) {
		json_t *j = json_object();

		json_object_set_new(j, "name", json_string(l.v[i].name));
		json_object_set_new(j, "kind", json_string(entity_kind_name(l.v[i].kind)));
		json_object_set_new(j, "mentions", json_integer(l.v[i].mentions));
		print_json_line(j);
	}
	entity_list_free(&l);
	free(text);
	entity_db_free(db);
	return 0;
}

static int
cmd_check_config(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG;
	struct strlist errors = { 0 };
	struct config *cfg;
	int c, verbose = 0;

	while ((c = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'v': verbose = 1; break;
		case 'h':
			printf("usage: dateline check-config [-c CONFIG] [-v]\n"
			    "  -c, --config FILE  the file to check (default %s)\n"
			    "  -v, --verbose      print the effective configuration\n",
			    DEFAULT_CONFIG);
			return 0;
		default: return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: dateline check-config [-c CONFIG] [-v]\n");
		return 2;
	}
	cfg = config_load(path, &errors);
	if (cfg == NULL) {
		for (size_t i = 0; i < errors.n; i++)
			fprintf(stderr, "%s\n", errors.v[i]);
		strlist_free(&errors);
		return 1;
	}
	if (verbose) {
		struct buf out;

		buf_init(&out);
		config_write(cfg, &out);
		fputs(out.data ? out.data : "", stdout);
		buf_free(&out);
	}
	config_free(cfg);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *cmd;
	int rc;

	log_init("dateline", LOG_LEVEL_WARNING);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	argc--;
	argv++;
	if (strcmp(cmd, "parse") == 0)
		rc = cmd_parse(argc, argv);
	else if (strcmp(cmd, "extract") == 0)
		rc = cmd_extract(argc, argv);
	else if (strcmp(cmd, "entities-of") == 0)
		rc = cmd_entities_of(argc, argv);
	else if (strcmp(cmd, "check-config") == 0)
		rc = cmd_check_config(argc, argv);
	else if (strcmp(cmd, "feeds") == 0)
		rc = cmd_feeds(argc, argv);
	else if (strcmp(cmd, "stories") == 0)
		rc = cmd_stories(argc, argv);
	else if (strcmp(cmd, "story") == 0)
		rc = cmd_story(argc, argv);
	else if (strcmp(cmd, "search") == 0)
		rc = cmd_search(argc, argv);
	else if (strcmp(cmd, "entities") == 0)
		rc = cmd_entities(argc, argv);
	else if (strcmp(cmd, "entity") == 0)
		rc = cmd_entity(argc, argv);
	else if (strcmp(cmd, "backup") == 0)
		rc = cmd_backup(argc, argv);
	else if (strcmp(cmd, "reextract") == 0)
		rc = cmd_reextract(argc, argv);
	else if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("dateline %s\n", DATELINE_VERSION);
		rc = 0;
	} else if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		usage(stdout);
		rc = 0;
	} else {
		fprintf(stderr, "dateline: unknown command '%s'\n", cmd);
		usage(stderr);
		rc = 2;
	}
	xmlCleanupParser();
	return rc;
}

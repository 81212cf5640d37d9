/*
 * pipeline.c: the ingest pipeline in one process, without the network:
 * each feed file goes through ingest_feed_document (parse, normalize,
 * content hash and MinHash, entities of new stories, store in one
 * transaction per feed) into a fresh database, exactly as datelined does
 * after a fetch.
 *
 *   pipeline [--data DIR] [--entities-only] DB LIST PREFIX BASE_URL
 *
 * LIST names the feed files (relative to PREFIX, e.g. www/x/rss/y.xml);
 * BASE_URL + the path after "www/" is each feed's URL.  Prints one JSON
 * object: articles and stories stored, the time of the whole ingest, and
 * separately the time entity extraction takes over the same calls the
 * ingest makes (once per new story text, never for teasers), measured in
 * a second pass that repeats only that work.
 */
#include <libxml/parser.h>

#include "config.h"
#include "entities.h"
#include "feed.h"
#include "harness.h"
#include "ingest.h"
#include "log.h"
#include "store.h"
#include "syndicate.h"
#include "text.h"

/* A small open-addressing set of content hashes (the stories seen). */
struct hset {
	char (*v)[CONTENT_HASH_LEN];
	size_t cap, n;
};

static size_t
hslot(const char *h, size_t cap)
{
	size_t x = 0;

	for (int i = 0; i < 16; i++)
		x = x * 16 + (size_t)(h[i] <= '9' ? h[i] - '0' : h[i] - 'a' + 10);
	return x & (cap - 1);
}

/* 1 when h was added, 0 when it was there. */
static int
hset_add(struct hset *s, const char *h)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct hset t = { 0 };

		t.cap = s->cap ? s->cap * 2 : 1024;
		t.v = calloc(t.cap, sizeof(*t.v));
		if (t.v == NULL)
			hdie("out of memory", NULL);
		for (i = 0; i < s->cap; i++)
			if (s->v[i][0])
				hset_add(&t, s->v[i]);
		free(s->v);
		*s = t;
	}
	for (i = hslot(h, s->cap); s->v[i][0]; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->v[i], h) == 0)
			return 0;
	memcpy(s->v[i], h, CONTENT_HASH_LEN);
	s->n++;
	return 1;
}

int
main(int argc, char **argv)
{
	const char *data = "data";
	struct entity_db *edb;
	struct store *st;
	struct hfiles fs;
	struct hclock c;
	struct hset seen = { 0 };
	char err[512];
	size_t added = 0, items = 0, failed = 0, ecalls = 0;
	long long nstories = 0, narticles = 0;
	double wall, cpu, ecpu = 0;
	int a = 1, entities_only = 0;

	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "--data") == 0 && a + 1 < argc)
			data = argv[++a];
		else if (strcmp(argv[a], "--entities-only") == 0)
			entities_only = 1;
		else
			hdie("unknown option", argv[a]);
	}
	if (argc - a != 4)
		hdie("usage: pipeline [--data DIR] [--entities-only] DB LIST PREFIX BASE_URL", NULL);
	log_init("pipeline", LOG_LEVEL_WARNING);
	feed_init();
	if ((edb = entity_db_load(data, err, sizeof(err))) == NULL)
		hdie(err, NULL);
	hfiles_load(&fs, argv[a + 1], argv[a + 2], 0);

	if (!entities_only) {
		if ((st = store_open(argv[a], STORE_READWRITE, err, sizeof(err))) == NULL)
			hdie(err, NULL);
		hclock_start(&c);
		for (size_t i = 0; i < fs.n; i++) {
			const char *rel = strstr(fs.v[i].path, "www/");
			struct feed_conf conf = { 0 };
			struct feed_state fstate = { 0 };
			struct ingest_feed_opts o = { 0 };
			struct ingest_stats stats;
			struct ingest_doc doc = { 0 };
			char name[32], *url;

			snprintf(name, sizeof(name), "f%05zu", i);
			url = hmalloc(strlen(argv[a + 3]) + strlen(fs.v[i].path) + 2);
			sprintf(url, "%s/%s", argv[a + 3], rel ? rel + 4 : fs.v[i].path);
			conf.name = name;
			conf.url = url;
			conf.kind = FEED_KIND_SITE;
			conf.timezone = "Asia/Kolkata";
			conf.enabled = true;
			conf.interval = 600;
			if (store_feed_register(st, &conf, &fstate) < 0)
				hdie("store_feed_register failed", store_errmsg(st));
			doc.body = fs.v[i].data;
			doc.len = fs.v[i].len;
			doc.url = url;
			doc.content_type = "application/rss+xml";
			o.entities = edb;
			if (ingest_feed_document(st, &conf, &fstate, &doc, (int64_t)time(NULL), &o,
			    &stats, err, sizeof(err)) < 0)
				failed++;
			added += stats.added;
			items += stats.items;
			feed_state_free(&fstate);
			free(url);
		}
		hclock_read(&c, &wall, &cpu);
		store_counts(st, &nstories, &narticles);
		store_close(st);
	} else
		wall = cpu = 0;

	/* Entity extraction alone, over the calls the ingest made. */
	for (size_t i = 0; i < fs.n; i++) {
		struct feed_doc fd;

		if (feed_parse(fs.v[i].data, fs.v[i].len, NULL, &fd, err, sizeof(err)) < 0)
			continue;
		for (size_t k = 0; k < fd.nitems; k++) {
			const struct feed_item *it = &fd.items[k];
			int full = it->content && it->content[0];
			struct syn_fingerprint fp;
			struct entity_list l = { 0 };
			char *body;
			double t0;

			body = full ? text_from_html(it->content, strlen(it->content)) :
			    it->summary ? strdup(it->summary) : NULL;
			if (body && syndicate_fingerprint(body, !full, &fp) == 0 && !fp.teaser &&
			    hset_add(&seen, fp.hash)) {
				t0 = hnow_cpu();
				entities_extract(edb, it->title, body, &l);
				ecpu += hnow_cpu() - t0;
				ecalls++;
				entity_list_free(&l);
			}
			free(body);
		}
		feed_doc_free(&fd);
	}
	printf("{\"feeds\": %zu, \"bytes\": %zu, \"items\": %zu, \"added\": %zu, "
	    "\"failed_feeds\": %zu, \"articles\": %lld, \"stories\": %lld, "
	    "\"seconds\": %.6f, \"cpu_seconds\": %.6f, \"entity_calls\": %zu, "
	    "\"entity_cpu_seconds\": %.6f}\n", fs.n, fs.bytes, items, added, failed,
	    narticles, nstories, wall, cpu, ecalls, ecpu);
	entity_db_free(edb);
	xmlCleanupParser();
	return 0;
}

/*
 * extract.c: dateline's article extractor in one process: page_extract
 * (libxml2 HTML parser, JSON-LD and meta, content scoring, byline,
 * agency, dateline, related links) on each HTML file, as the daemon runs
 * it on a fetched page.  With --entities the entities of each article
 * are extracted too, and their time is reported apart.
 *
 *   extract [--data DIR] [--entities] [--repeat N] LIST [PREFIX]
 *
 * Prints {"pages", "found", "seconds", "cpu_seconds", "entity_cpu_seconds"}:
 * the time of the extraction alone (the files are read into memory
 * first); --repeat runs the whole list N times within one clock (for
 * profiling on small sets).
 */
#include <libxml/parser.h>

#include "entities.h"
#include "harness.h"
#include "page.h"

int
main(int argc, char **argv)
{
	const char *data = "data";
	struct page_rules *rules;
	struct entity_db *edb = NULL;
	struct hfiles fs;
	struct hclock c;
	char err[512];
	size_t pages = 0, found = 0, bad = 0;
	double wall, cpu, ecpu = 0;
	int a = 1, ents = 0, repeat = 1;

	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "--data") == 0 && a + 1 < argc)
			data = argv[++a];
		else if (strcmp(argv[a], "--entities") == 0)
			ents = 1;
		else if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc)
			repeat = atoi(argv[++a]);
		else
			hdie("unknown option", argv[a]);
	}
	if (a >= argc)
		hdie("usage: extract [--data DIR] [--entities] [--repeat N] LIST [PREFIX]", NULL);
	if ((rules = page_rules_load(data, err, sizeof(err))) == NULL)
		hdie(err, NULL);
	if (ents && (edb = entity_db_load(data, err, sizeof(err))) == NULL)
		hdie(err, NULL);
	hfiles_load(&fs, argv[a], a + 1 < argc ? argv[a + 1] : NULL, 0);
	hclock_start(&c);
	for (int rep = 0; rep < repeat; rep++)
		for (size_t i = 0; i < fs.n; i++) {
			struct page_opts opts = { 0 };
			struct page_article art;

			opts.rules = rules;
			opts.default_tz = "Asia/Kolkata";
			pages++;
			if (page_extract(fs.v[i].data, fs.v[i].len, &opts, &art, err, sizeof(err)) < 0) {
				bad++;
				continue;
			}
			if (art.found) {
				found++;
				if (edb) {
					struct entity_list l = { 0 };
					double t0 = hnow_cpu();

					entities_extract(edb, art.title, art.body, &l);
					ecpu += hnow_cpu() - t0;
					entity_list_free(&l);
				}
			}
			page_article_free(&art);
		}
	hclock_read(&c, &wall, &cpu);
	printf("{\"pages\": %zu, \"bytes\": %zu, \"found\": %zu, \"failed\": %zu, "
	    "\"seconds\": %.6f, \"cpu_seconds\": %.6f, \"entity_cpu_seconds\": %.6f}\n",
	    pages, fs.bytes * (size_t)repeat, found, bad, wall, cpu, ecpu);
	entity_db_free(edb);
	page_rules_free(rules);
	xmlCleanupParser();
	return 0;
}

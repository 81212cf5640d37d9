/*
 * parse.c: dateline's feed parser in one process: feed_parse (the code
 * behind `dateline parse` and the daemon) on each feed file, every item
 * fully normalized (plain-text fields, sanitized content HTML, resolved
 * links, UTC times).  With --json each document is also serialized as
 * `dateline parse` prints it (to a buffer that is thrown away).
 *
 *   parse [--json] LIST [PREFIX]
 *
 * Prints {"files", "bytes", "items", "failed", "seconds", "cpu_seconds"}:
 * the time of the parsing alone (the files are read into memory first).
 */
#include <jansson.h>

#include "feed.h"
#include "feedjson.h"
#include "harness.h"

static size_t
dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t n = s ? strlen(s) : 0;

	free(s);
	json_decref(j);
	return n;
}

int
main(int argc, char **argv)
{
	struct hfiles fs;
	struct hclock c;
	size_t items = 0, bad = 0, out = 0;
	int json = 0, a = 1;
	double wall, cpu;

	if (argc > 1 && strcmp(argv[1], "--json") == 0) {
		json = 1;
		a++;
	}
	if (argc <= a)
		hdie("usage: parse [--json] LIST [PREFIX]", NULL);
	hfiles_load(&fs, argv[a], argc > a + 1 ? argv[a + 1] : NULL, 0);
	feed_init();
	hclock_start(&c);
	for (size_t i = 0; i < fs.n; i++) {
		struct feed_parse_opts opts = { 0 };
		struct feed_doc doc;
		char err[256];

		if (feed_parse(fs.v[i].data, fs.v[i].len, &opts, &doc, err, sizeof(err)) < 0) {
			bad++;
			continue;
		}
		items += doc.nitems;
		if (json) {
			out += dump(feed_doc_to_json(&doc));
			for (size_t k = 0; k < doc.nitems; k++)
				out += dump(feed_item_to_json(&doc.items[k]));
		}
		feed_doc_free(&doc);
	}
	hclock_read(&c, &wall, &cpu);
	printf("{\"files\": %zu, \"bytes\": %zu, \"items\": %zu, \"failed\": %zu, "
	    "\"json_bytes\": %zu, \"seconds\": %.6f, \"cpu_seconds\": %.6f}\n",
	    fs.n, fs.bytes, items, bad, out, wall, cpu);
	return 0;
}

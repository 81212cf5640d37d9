/*
 * walk.c: the floor of feed parsing: a bare libxml2 xmlReader walk over
 * feed files, with the options dateline's parser uses, touching every
 * node and the text of every text and CDATA node, and counting the
 * item/entry elements.  No program that builds items can beat it.
 *
 *   walk LIST [PREFIX]
 *
 * Prints {"files", "bytes", "items", "seconds", "cpu_seconds"}: the time
 * of the walk alone (the files are read into memory first).
 */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "harness.h"

#define READ_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC)

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
main(int argc, char **argv)
{
	struct hfiles fs;
	struct hclock c;
	size_t items = 0, text = 0, bad = 0;
	double wall, cpu;

	if (argc < 2)
		hdie("usage: walk LIST [PREFIX]", NULL);
	hfiles_load(&fs, argv[1], argc > 2 ? argv[2] : NULL, 0);
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	hclock_start(&c);
	for (size_t i = 0; i < fs.n; i++) {
		xmlTextReaderPtr r = xmlReaderForMemory(fs.v[i].data, (int)fs.v[i].len,
		    NULL, NULL, READ_OPTIONS);
		int ret;

		if (r == NULL) {
			bad++;
			continue;
		}
		while ((ret = xmlTextReaderRead(r)) == 1) {
			int t = xmlTextReaderNodeType(r);

			if (t == XML_READER_TYPE_ELEMENT) {
				const xmlChar *n = xmlTextReaderConstLocalName(r);

				if (n && (xmlStrEqual(n, BAD_CAST "item") ||
				    xmlStrEqual(n, BAD_CAST "entry")))
					items++;
			} else if (t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA) {
				const xmlChar *v = xmlTextReaderConstValue(r);

				if (v)
					text += (size_t)xmlStrlen(v);
			}
		}
		if (ret < 0)
			bad++;
		xmlFreeTextReader(r);
	}
	hclock_read(&c, &wall, &cpu);
	printf("{\"files\": %zu, \"bytes\": %zu, \"items\": %zu, \"text_bytes\": %zu, "
	    "\"failed\": %zu, \"seconds\": %.6f, \"cpu_seconds\": %.6f}\n",
	    fs.n, fs.bytes, items, text, bad, wall, cpu);
	return 0;
}

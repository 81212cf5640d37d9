/*
 * fuzz_feed.c: feed_parse on arbitrary bytes (RSS, RDF, Atom, JSON Feed).
 *
 * The first input byte picks the HTTP charset the parser is told about,
 * so the encoding decision (HTTP charset vs XML declaration vs BOM) is
 * explored together with the document.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "feed.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const charsets[] = {
	NULL, "utf-8", "iso-8859-1", "windows-1252", "utf-16", "koi8-r",
	"shift_jis", "x-no-such-charset", "us-ascii", "utf-16be",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	feed_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_parse_opts o = { 0 };
	struct feed_doc doc;
	char err[256];

	if (size < 1)
		return 0;
	o.http_charset = charsets[data[0] % (sizeof(charsets) / sizeof(charsets[0]))];
	o.base_url = "https://feeds.example.com/a/b/feed.xml";
	o.default_tz = (data[0] & 0x80) ? "Asia/Kolkata" : NULL;
	o.max_items = 200;
	memset(&doc, 0, sizeof(doc));
	if (feed_parse((const char *)data + 1, size - 1, &o, &doc, err, sizeof(err)) == 0)
		feed_doc_free(&doc);
	return 0;
}

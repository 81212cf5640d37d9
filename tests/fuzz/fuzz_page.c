/*
 * fuzz_page.c: page_extract (the article extractor) on arbitrary bytes.
 *
 * The extractor's data files are loaded once from $DATELINE_DATA, else
 * from the source tree's data/ (the runner sets the variable).  The first
 * byte picks the HTTP charset.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "feed.h"
#include "page.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct page_rules *rules;

static const char *const charsets[] = {
	NULL, "utf-8", "iso-8859-1", "windows-1252", "utf-16", "shift_jis",
	"x-no-such-charset", "koi8-r",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("DATELINE_DATA");
	char err[512];

	(void)argc;
	(void)argv;
	feed_init();     /* the deny-all entity loader and silent libxml2 errors */
	if ((rules = page_rules_load(dir ? dir : "data", err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_page: %s (set DATELINE_DATA)\n", err);
		exit(1);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct page_opts o = { 0 };
	struct page_article a = { 0 };
	char err[256];

	if (size < 1)
		return 0;
	o.url = "https://outlet.example.com/national/story-1.html";
	o.http_charset = charsets[data[0] % (sizeof(charsets) / sizeof(charsets[0]))];
	o.default_tz = "Asia/Kolkata";
	o.rules = rules;
	if (page_extract((const char *)data + 1, size - 1, &o, &a, err, sizeof(err)) == 0)
		page_article_free(&a);
	return 0;
}

/*
 * test_jsonfeed.c: JSON Feed through feed_parse at the API level (what
 * the golden files of tests/feeds cannot show: the format, counters,
 * limits, sniffing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "dates.h"
#include "feed.h"
#include "jsonfeed.h"
#include "tap.h"
#include "text.h"
#include "util.h"

static int
parse(const char *json, const struct feed_parse_opts *opts, struct feed_doc *doc,
    char *err, size_t errlen)
{
	static const struct feed_parse_opts none;

	err[0] = '\0';
	return feed_parse(json, strlen(json), opts ? opts : &none, doc, err, errlen);
}

static void
test_sniff(void)
{
	ok(jsonfeed_sniff("{}", 2), "an object is JSON");
	ok(jsonfeed_sniff("\xEF\xBB\xBF \r\n\t{", 8), "after a BOM and whitespace");
	ok(!jsonfeed_sniff("<rss/>", 6), "XML is not");
	ok(!jsonfeed_sniff("[{}]", 4), "a top-level array is not a feed");
	ok(!jsonfeed_sniff("   ", 3), "blank is not");
	ok(!jsonfeed_sniff("", 0), "empty is not");
}

static void
test_basic(void)
{
	struct feed_parse_opts o = { .base_url = "https://example.com/feed.json" };
	struct feed_doc d;
	char err[256], s[DATE_RFC3339_LEN];

	is_int(parse("{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"T\","
	    " \"home_page_url\": \"/\", \"items\": [{\"id\": \"1\", \"url\": \"a.html\","
	    " \"content_text\": \"x\", \"date_published\": \"2024-06-19T01:05:00Z\"}]}",
	    &o, &d, err, sizeof(err)), 0, "parses");
	is_int(d.format, FEED_FORMAT_JSON, "format json");
	is_str(feed_format_name(d.format), "json", "format name");
	is_str(d.title, "T", "title");
	is_str(d.url, "https://example.com/", "home page resolved");
	is_int(d.nitems, 1, "one item");
	is_str(d.items[0].url, "https://example.com/a.html", "item url resolved");
	is_str(d.items[0].content, "<p>x</p>", "content_text becomes a paragraph");
	date_format(d.items[0].published, s);
	is_str(s, "2024-06-19T01:05:00Z", "date_published");
	ok(d.items[0].updated == DATE_UNSET, "no date_modified");
	is_int(d.partial, 0, "never partial");
	feed_doc_free(&d);

	is_int(parse("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": []}",
	    NULL, &d, err, sizeof(err)), 0, "version 1, no items");
	is_int(d.nitems, 0, "none");
	ok(d.title == NULL && d.url == NULL, "no title, no url");
	feed_doc_free(&d);
}

static void
test_errors(void)
{
	struct feed_doc d;
	char err[256];

	is_int(parse("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [",
	    NULL, &d, err, sizeof(err)), -1, "truncated JSON");
	ok(strncmp(err, "not valid JSON at line 1, column ", 33) == 0, "says where: %s", err);
	ok(d.items == NULL && d.nitems == 0 && d.title == NULL, "doc empty on error");
	feed_doc_free(&d);

	is_int(parse("{\"title\": \"x\", \"items\": []}", NULL, &d, err, sizeof(err)), -1,
	    "no version");
	is_str(err, "not a JSON Feed (no \"version\" string)", "says why");
	feed_doc_free(&d);

	is_int(parse("{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"x\"}",
	    NULL, &d, err, sizeof(err)), -1, "no items");
	is_str(err, "JSON Feed without an \"items\" list", "says why");
	ok(d.title == NULL, "title not left behind on error");
	feed_doc_free(&d);

	is_int(parse("{\"version\": \"https://jsonfeed.org/version/1.1\"} trailing",
	    NULL, &d, err, sizeof(err)), -1, "garbage after the object");
	feed_doc_free(&d);
}

/* A feed with n items "item 1".."item n". */
static char *
json_items(int n)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [");
	for (int i = 1; i <= n; i++)
		buf_printf(&b, "%s{\"id\": \"g%d\", \"title\": \"item %d\"}", i > 1 ? ", " : "",
		    i, i);
	buf_puts(&b, "]}");
	return buf_steal(&b);
}

static void
test_limits(void)
{
	struct feed_parse_opts o = { .max_items = 3 };
	struct feed_doc d;
	char err[256], *s;
	struct buf b;

	s = json_items(5);
	is_int(parse(s, &o, &d, err, sizeof(err)), 0, "max_items: parses");
	is_int(d.nitems, 3, "max_items kept");
	is_int(d.items_dropped, 2, "the rest counted as dropped");
	feed_doc_free(&d);
	free(s);

	s = json_items(LIMIT_FEED_ITEMS + 5);
	is_int(parse(s, NULL, &d, err, sizeof(err)), 0, "many items: parses");
	is_int(d.nitems, LIMIT_FEED_ITEMS, "LIMIT_FEED_ITEMS kept");
	is_int(d.items_dropped, 5, "the rest dropped");
	feed_doc_free(&d);
	free(s);

	buf_init(&b);
	buf_puts(&b, "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": "
	    "\"1\", \"tags\": [");
	for (int i = 0; i < LIMIT_ITEM_CATEGORIES + 10; i++)
		buf_printf(&b, "%s\"t%d\"", i ? ", " : "", i);
	buf_puts(&b, "], \"attachments\": [");
	for (int i = 0; i < LIMIT_ITEM_ENCLOSURES + 10; i++)
		buf_printf(&b, "%s{\"url\": \"https://example.com/%d.mp3\"}", i ? ", " : "", i);
	buf_puts(&b, "], \"content_html\": \"");
	for (int i = 0; i < LIMIT_CONTENT_BYTES / 8 + 10; i++)
		buf_puts(&b, "<b>x</b>");
	buf_puts(&b, "\", \"summary\": \"");
	for (int i = 0; i < LIMIT_CONTENT_BYTES / 4 + 10; i++)
		buf_puts(&b, "\\u00e9");
	buf_puts(&b, "\"}]}");
	is_int(parse(b.data, NULL, &d, err, sizeof(err)), 0, "big item parses");
	is_int(d.items[0].ncategories, LIMIT_ITEM_CATEGORIES, "categories bounded");
	is_int(d.items[0].nenclosures, LIMIT_ITEM_ENCLOSURES, "enclosures bounded");
	ok(d.items[0].content != NULL && strlen(d.items[0].content) <= LIMIT_CONTENT_BYTES,
	    "content bounded");
	ok(d.items[0].summary != NULL && strlen(d.items[0].summary) <= LIMIT_CONTENT_BYTES &&
	    utf8_valid(d.items[0].summary, strlen(d.items[0].summary)),
	    "summary bounded on a character boundary");
	feed_doc_free(&d);
	buf_free(&b);

	buf_init(&b);
	buf_puts(&b, "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": "
	    "\"1\", \"content_text\": \"");
	for (int i = 0; i < LIMIT_CONTENT_BYTES / 4; i++)
		buf_puts(&b, "a<b\\n");
	buf_puts(&b, "\"}]}");
	is_int(parse(b.data, NULL, &d, err, sizeof(err)), 0, "long content_text parses");
	ok(d.items[0].content != NULL && strlen(d.items[0].content) <= LIMIT_CONTENT_BYTES,
	    "escaped content_text bounded");
	feed_doc_free(&d);
	buf_free(&b);
}

static void
test_utf8(void)
{
	struct feed_doc d;
	char err[256];

	is_int(parse("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": "
	    "\"1\", \"title\": \"a\\ud800b \\\\ud800 \\\"\\udfff\\\" \\ud83d\\ude00\"}]}",
	    NULL, &d, err, sizeof(err)), 0, "lone surrogates do not fail the document");
	is_str(d.nitems ? d.items[0].title : NULL,
	    "a\xEF\xBF\xBD" "b \\ud800 \"\xEF\xBF\xBD\" \xF0\x9F\x98\x80",
	    "lone ones replaced, escaped backslash and pair kept");
	feed_doc_free(&d);

	is_int(parse("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": "
	    "\"1\", \"title\": \"caf\xE9\"}]}", NULL, &d, err, sizeof(err)), 0,
	    "invalid UTF-8 does not fail the document");
	is_str(d.nitems ? d.items[0].title : NULL, "caf\xEF\xBF\xBD", "byte replaced");
	feed_doc_free(&d);
}

int
main(void)
{
	feed_init();
	test_sniff();
	test_basic();
	test_errors();
	test_limits();
	test_utf8();
	return tap_done();
}

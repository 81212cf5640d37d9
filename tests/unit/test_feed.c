/*
 * test_feed.c: feed.h at the API level (what the golden tests of
 * tests/feeds cannot show: flags, counters, limits, entity loading).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "dates.h"
#include "feed.h"
#include "feedenc.h"
#include "bounds.h"
#include "tap.h"
#include "text.h"
#include "util.h"

static int loader_calls;

static xmlParserInputPtr
counting_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loader_calls++;
	return NULL;
}

/* Parses a NUL-terminated document; returns feed_parse's result. */
static int
parse(const char *xml, const struct feed_parse_opts *opts, struct feed_doc *doc,
    char *err, size_t errlen)
{
	static const struct feed_parse_opts none;

	err[0] = '\0';
	return feed_parse(xml, strlen(xml), opts ? opts : &none, doc, err, errlen);
}

/* An RSS document with n items whose titles are "item 1".."item n". */
static char *
rss_items(int n)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "<rss version=\"2.0\"><channel><title>t</title>");
	for (int i = 1; i <= n; i++)
		buf_printf(&b, "<item><title>item %d</title><guid>g%d</guid></item>", i, i);
	buf_puts(&b, "</channel></rss>");
	return buf_steal(&b);
}

static int
doc_valid_utf8(const struct feed_doc *d)
{
#define V(s) ((s) == NULL || utf8_valid((s), strlen(s)))
	if (!V(d->title) || !V(d->url))
		return 0;
	for (size_t i = 0; i < d->nitems; i++) {
		const struct feed_item *it = &d->items[i];

		if (!V(it->guid) || !V(it->url) || !V(it->title) || !V(it->summary) ||
		    !V(it->content) || !V(it->author))
			return 0;
		for (size_t j = 0; j < it->ncategories; j++)
			if (!V(it->categories[j]))
				return 0;
	}
	return 1;
#undef V
}

static void
test_basic(void)
{
	struct feed_parse_opts o = { .base_url = "https://example.com/feed.xml" };
	struct feed_doc d;
	char err[256];

	is_int(parse("<rss><channel><title>T</title><link>/</link><item><title>a</title>"
	    "<link>x.html</link></item></channel></rss>", &o, &d, err, sizeof(err)), 0, "parses");
	is_int(d.format, FEED_FORMAT_RSS, "format rss");
	is_str(feed_format_name(d.format), "rss", "format name");
	is_str(d.url, "https://example.com/", "channel link resolved");
	is_int(d.nitems, 1, "one item");
	is_str(d.items[0].url, "https://example.com/x.html", "item link resolved");
	is_int(d.partial, 0, "not partial");
	is_int(d.items_dropped, 0, "nothing dropped");
	ok(d.items[0].published == DATE_UNSET, "no date is DATE_UNSET");
	feed_doc_free(&d);

	is_int(parse("<rss><channel><item><title>a</title><link>x.html</link></item>"
	    "</channel></rss>", NULL, &d, err, sizeof(err)), 0, "no base URL");
	ok(d.items[0].url == NULL, "relative link without base is NULL");
	feed_doc_free(&d);

	is_str(feed_format_name(FEED_FORMAT_RDF), "rdf", "rdf name");
	is_str(feed_format_name(FEED_FORMAT_ATOM), "atom", "atom name");
	is_str(feed_format_name(FEED_FORMAT_UNKNOWN), "unknown", "unknown name");
}

static void
test_partial(void)
{
	struct feed_doc d;
	char err[256];

	is_int(parse("<rss><channel><item><title>one</title></item><item><title>two</tit",
	    NULL, &d, err, sizeof(err)), 0, "truncated document recovers");
	is_int(d.partial, 1, "partial flag set");
	is_int(d.nitems, 2, "both items recovered");
	is_str(d.nitems == 2 ? d.items[1].title : NULL, "two", "cut item kept what it had");
	feed_doc_free(&d);

	is_int(parse("<rss><channel><item><title>a & b</title></item></channel></rss>",
	    NULL, &d, err, sizeof(err)), 0, "bare ampersand recovers");
	is_int(d.partial, 1, "partial");
	is_str(d.nitems ? d.items[0].title : NULL, "a & b", "ampersand kept as text");
	feed_doc_free(&d);

	is_int(parse("<rss><channel><title>x</channel></rss>", NULL, &d, err, sizeof(err)),
	    -1, "nothing to recover is an error");
	is_str(err, "not well-formed XML at line 1: Opening and ending tag mismatch: "
	    "title line 1 and channel", "error says what and where");
	is_int(d.nitems, 0, "no items on error");
	ok(d.items == NULL && d.title == NULL, "doc left empty on error");
	feed_doc_free(&d);      /* safe on a failed parse */
}

static void
test_errors(void)
{
	struct feed_doc d;
	char err[256], small[24];

	is_int(parse("", NULL, &d, err, sizeof(err)), -1, "empty fails");
	is_str(err, "empty document", "empty message");
	is_int(parse("<html><body>x</body></html>", NULL, &d, err, sizeof(err)), -1,
	    "HTML fails");
	is_str(err, "not an RSS, RDF or Atom feed (root element <html>)", "HTML message");
	is_int(parse("<feed><title>no namespace</title></feed>", NULL, &d, err,
	    sizeof(err)), -1, "Atom without namespace fails");
	is_int(parse("Not Found", NULL, &d, err, sizeof(err)), -1, "plain text fails");
	is_str(err, "not XML (the document starts with text, not '<')", "plain text message");
	is_int(parse("<rss><channel><item><title>a</title></item></channel></rss>",
	    NULL, &d, small, sizeof(small)), 0, "small error buffer is fine on success");
	feed_doc_free(&d);
	is_int(parse("<html>", NULL, &d, small, sizeof(small)), -1, "error into a small buffer");
	is_int(strlen(small), sizeof(small) - 1, "message truncated to the buffer");
}

static void
test_max_items(void)
{
	struct feed_parse_opts o = { .max_items = 2 };
	char *xml = rss_items(5), err[256];
	struct feed_doc d;

	is_int(parse(xml, &o, &d, err, sizeof(err)), 0, "parses with max_items");
	is_int(d.nitems, 2, "max_items items kept");
	is_int(d.items_dropped, 3, "the rest counted as dropped");
	is_str(d.items[1].title, "item 2", "the first ones are kept");
	feed_doc_free(&d);
	o.max_items = LIMIT_FEED_ITEMS + 5;
	is_int(parse(xml, &o, &d, err, sizeof(err)), 0, "large max_items");
	is_int(d.nitems, 5, "all kept");
	feed_doc_free(&d);
	free(xml);
}

static void
test_truncation(void)
{
	struct buf b;
	struct feed_doc d;
	char err[256];
	size_t i;

	/* 1 MB titles of two-byte characters: the cut must not split one */
	buf_init(&b);
	buf_puts(&b, "<rss><channel><item><title>x");
	for (i = 0; i < 512 * 1024; i++)
		buf_puts(&b, "\xc3\xa9");
	buf_puts(&b, "</title><description>");
	for (i = 0; i < 5 * 1024 * 1024 / 8; i++)
		buf_puts(&b, "word er ");
	buf_puts(&b, "</description><content:encoded xmlns:content=\""
	    "http://purl.org/rss/1.0/modules/content/\">&lt;p&gt;");
	for (i = 0; i < 5 * 1024 * 1024 / 8; i++)
		buf_puts(&b, "a &amp; b");
	buf_puts(&b, "&lt;/p&gt;</content:encoded>");
	for (i = 0; i < 100; i++)
		buf_printf(&b, "<category>c%zu</category><enclosure url=\"https://e/%zu\"/>", i, i);
	buf_puts(&b, "</item></channel></rss>");
	is_int(feed_parse(b.data, b.len, &(struct feed_parse_opts){ 0 }, &d, err,
	    sizeof(err)), 0, "large fields parse");
	if (d.nitems == 1) {
		struct feed_item *it = &d.items[0];

		ok(strlen(it->title) <= LIMIT_FIELD_BYTES, "title bounded (%zu)", strlen(it->title));
		ok(strlen(it->title) > LIMIT_FIELD_BYTES - 4, "title cut near the limit");
		ok(utf8_valid(it->title, strlen(it->title)), "title cut on a UTF-8 boundary");
		ok(strlen(it->summary) <= LIMIT_CONTENT_BYTES, "summary bounded");
		ok(it->content && strlen(it->content) <= LIMIT_CONTENT_BYTES, "content bounded");
		ok(it->content && strncmp(it->content, "<p>", 3) == 0 &&
		    strcmp(it->content + strlen(it->content) - 4, "</p>") == 0,
		    "bounded content is still closed HTML");
		is_int(it->ncategories, LIMIT_ITEM_CATEGORIES, "categories bounded");
		is_int(it->nenclosures, LIMIT_ITEM_ENCLOSURES, "enclosures bounded");
	} else
		ok(0, "one item");
	feed_doc_free(&d);
	buf_free(&b);
}

static void
test_entities(void)
{
	char path[] = "/tmp/test_feed_secretXXXXXX", err[256], *xml;
	struct feed_doc d;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ok(fd >= 0, "temp file");
	f = fdopen(fd, "w");
	fputs("TOPSECRET", f);
	fclose(f);

	loader_calls = 0;
	xml = xasprintf("<!DOCTYPE rss [<!ENTITY x SYSTEM \"file://%s\">]>"
	    "<rss><channel><item><title>[&x;]</title><guid>g</guid></item></channel></rss>", path);
	is_int(parse(xml, NULL, &d, err, sizeof(err)), 0, "XXE document parses");
	is_int(d.nitems, 1, "XXE: item stored");
	is_str(d.nitems ? d.items[0].title : NULL, "[]", "XXE: file content absent");
	feed_doc_free(&d);
	free(xml);

	is_int(parse("<!DOCTYPE rss SYSTEM \"http://127.0.0.1:9/x.dtd\">"
	    "<rss><channel><item><title>t</title></item></channel></rss>", NULL, &d, err,
	    sizeof(err)), 0, "external DTD document parses");
	feed_doc_free(&d);
	is_int(parse("<!DOCTYPE rss [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p.dtd\"> %p;]>"
	    "<rss><channel><item><title>t</title></item></channel></rss>", NULL, &d, err,
	    sizeof(err)), 0, "parameter entity document parses");
	feed_doc_free(&d);
	is_int(parse("<!DOCTYPE rss [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>"
	    "<rss><channel><item><title>[&x;]</title></item><item><title>& bad"
	    "</title></item></channel></rss>", NULL, &d, err, sizeof(err)), 0,
	    "XXE in a document that needs recovery");
	is_int(d.partial, 1, "recovered");
	feed_doc_free(&d);
	is_int(loader_calls, 0, "no external entity, DTD or parameter entity was loaded");
	unlink(path);
}

static void
test_blowup(void)
{
	struct feed_doc d;
	struct buf b;
	char err[256];
	double t0;
	int rc;

	buf_init(&b);
	buf_puts(&b, "<!DOCTYPE rss [<!ENTITY l0 \"lol\">");
	for (int i = 1; i < 12; i++) {
		buf_printf(&b, "<!ENTITY l%d \"", i);
		for (int j = 0; j < 10; j++)
			buf_printf(&b, "&l%d;", i - 1);
		buf_puts(&b, "\">");
	}
	buf_puts(&b, "]><rss><channel><item><title>&l11;</title></item></channel></rss>");
	t0 = now_monotonic();
	rc = feed_parse(b.data, b.len, &(struct feed_parse_opts){ 0 }, &d, err, sizeof(err));
	is_int(rc, -1, "billion laughs refused");
	ok(now_monotonic() - t0 < 2.0, "quickly");
	ok(strstr(err, "parser limit exceeded") != NULL, "as a limit: %s", err);
	feed_doc_free(&d);

	/* quadratic: one 50 kB entity used 20000 times (1 GB if substituted) */
	buf_reset(&b);
	buf_puts(&b, "<!DOCTYPE rss [<!ENTITY a \"");
	for (int i = 0; i < 50000; i++)
		buf_putc(&b, 'A');
	buf_puts(&b, "\">]><rss><channel><item><title>t</title><description>");
	for (int i = 0; i < 20000; i++)
		buf_puts(&b, "&a;");
	buf_puts(&b, "</description></item></channel></rss>");
	t0 = now_monotonic();
	rc = feed_parse(b.data, b.len, &(struct feed_parse_opts){ 0 }, &d, err, sizeof(err));
	ok(now_monotonic() - t0 < 10.0, "quadratic blowup finishes quickly");
	ok(rc == -1 || (d.nitems == 1 && d.items[0].summary != NULL &&
	    strlen(d.items[0].summary) <= LIMIT_CONTENT_BYTES), "and its result is bounded");
	feed_doc_free(&d);
	buf_free(&b);
}

static void
test_encodings(void)
{
	struct feed_parse_opts o = { 0 };
	struct feed_doc d;
	struct feedenc fe;
	char err[256];
	const char *latin = "<rss><channel><item><title>caf\xe9 \x93q\x94</title></item></channel></rss>";

	o.http_charset = "windows-1252";
	is_int(parse(latin, &o, &d, err, sizeof(err)), 0, "HTTP charset used without declaration");
	is_str(d.nitems ? d.items[0].title : NULL, "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d",
	    "decoded as windows-1252");
	feed_doc_free(&d);
	o.http_charset = "koi8-r";
	is_int(parse("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item><title>"
	    "\xe2\x82\xb9</title></item></channel></rss>", &o, &d, err, sizeof(err)), 0,
	    "declaration beats HTTP charset");
	is_str(d.nitems ? d.items[0].title : NULL, "\xe2\x82\xb9", "UTF-8 kept");
	feed_doc_free(&d);
	o.http_charset = NULL;
	is_int(parse(latin, &o, &d, err, sizeof(err)), 0, "8-bit text without any charset");
	ok(d.nitems && doc_valid_utf8(&d), "stored text is valid UTF-8");
	is_str(d.nitems ? d.items[0].title : NULL, "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d",
	    "mostly invalid UTF-8 read as windows-1252");
	feed_doc_free(&d);

	feedenc_prepare("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>",
	    52, "koi8-r", &fe);
	is_str(fe.rule, "invalid UTF-8 repaired", "UTF-8 BOM beats declaration and HTTP");
	feedenc_free(&fe);
	feedenc_prepare("<?xml version='1.0' encoding='iso-8859-1'?><a>caf\xc3\xa9</a>", 52,
	    NULL, &fe);
	is_str(fe.rule, "valid UTF-8 despite declared encoding", "never double-decoded");
	ok(fe.encoding == NULL, "parsed as UTF-8");
	feedenc_free(&fe);
	feedenc_prepare("<?xml version='1.0' encoding='Shift_JIS'?><a>\x93\x8c</a>", 50, NULL, &fe);
	is_str(fe.encoding, "Shift_JIS", "other encodings go to iconv");
	feedenc_free(&fe);
	feedenc_prepare("<a>x\x01y\x7f</a>", 11, NULL, &fe);
	is_int(fe.len, 10, "C0 control removed, DEL kept");
	feedenc_free(&fe);
	feedenc_prepare("\xff\xfe<\0a\0/\0>\0", 10, NULL, &fe);
	is_str(fe.encoding, "UTF-16LE", "UTF-16LE BOM");
	is_int(fe.len, 8, "BOM skipped");
	feedenc_free(&fe);
}

static void
test_timezone(void)
{
	struct feed_parse_opts o = { .default_tz = "Asia/Kolkata" };
	struct feed_doc d;
	char err[256], s[DATE_RFC3339_LEN];

	is_int(parse("<rss><channel><item><title>t</title><pubDate>Wed, 19 Jun 2024 "
	    "10:00:00</pubDate></item></channel></rss>", &o, &d, err, sizeof(err)), 0, "parses");
	date_format(d.items[0].published, s);
	is_str(s, "2024-06-19T04:30:00Z", "zone-less time read in default_tz");
	feed_doc_free(&d);
}

int
main(void)
{
	feed_init();
	xmlSetExternalEntityLoader(counting_loader);
	test_basic();
	test_partial();
	test_errors();
	test_max_items();
	test_truncation();
	test_entities();
	test_blowup();
	test_encodings();
	test_timezone();
	return tap_done();
}

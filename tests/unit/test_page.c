/*
 * test_page.c: the article extractor: charset decisions, JSON-LD variants,
 * datelines, agencies, disclaimers, glued categories, bylines, visible
 * dates, and bounded behaviour on hostile pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "datadir.h"
#include "dates.h"
#include "page.h"
#include "pagecharset.h"
#include "pageint.h"
#include "pagejson.h"
#include "pageld.h"
#include "tap.h"
#include "text.h"
#include "util.h"

static struct page_rules *rules;

static struct page_rules *
load_rules(void)
{
	const char *top = getenv("DATELINE_TOP");
	char *dir = xasprintf("%s/data", top ? top : ".");
	char err[256];
	struct page_rules *r = page_rules_load(dir, err, sizeof(err));

	if (r == NULL)
		printf("# %s\n", err);
	free(dir);
	return r;
}

/* ------------------------------------------------------------------ */

static void
decode(const char *s, size_t len, const char *http, struct page_text *t)
{
	page_charset_decode(s, len, http, t);
}

static void
test_charset(void)
{
	struct page_text t;
	char label[64], canon[32];
	static const char cp1252_page[] =
	    "<html><head><title>x</title></head><body><p>\x93Quoted\x94 caf\xE9 \x97 done</p></body></html>";
	static const char utf8_page_latin1_label[] =
	    "<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D</p></body></html>";
	static const char cp1252_page_utf8_label[] =
	    "<html><head><meta charset=\"utf-8\"></head><body><p>\x93q\x94 caf\xE9</p></body></html>";
	static const char utf16le[] = "\xFF\xFE<\0p\0>\0\xE9\0<\0/\0p\0>\0";

	decode("\xEF\xBB\xBF<p>x</p>", 11, "windows-1252", &t);
	is_str(t.charset, "UTF-8", "a UTF-8 byte order mark wins over the HTTP charset");
	is_int(t.source, PAGE_CS_BOM, "  ... source: BOM");
	is_int(t.len, 8, "  ... and is not part of the text");
	page_text_free(&t);

	decode(utf16le, sizeof(utf16le) - 1, NULL, &t);
	is_str(t.charset, "UTF-16LE", "a UTF-16LE byte order mark");
	is_str(t.s, "<p>\xC3\xA9</p>", "  ... converted to UTF-8");
	page_text_free(&t);

	decode(cp1252_page, sizeof(cp1252_page) - 1, NULL, &t);
	is_str(t.charset, "windows-1252", "undeclared, not UTF-8: windows-1252");
	ok(strstr(t.s, "\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9 \xE2\x80\x94") != NULL,
	    "  ... curly quotes, e-acute and em dash decoded");
	page_text_free(&t);

	decode(cp1252_page, sizeof(cp1252_page) - 1, "ISO-8859-1", &t);
	is_str(t.charset, "windows-1252", "HTTP ISO-8859-1 is read as windows-1252");
	is_int(t.source, PAGE_CS_HTTP, "  ... source: HTTP");
	ok(strstr(t.s, "\xE2\x80\x9CQuoted") != NULL, "  ... so 0x93 is a curly quote, not a C1 control");
	page_text_free(&t);

	decode(utf8_page_latin1_label, sizeof(utf8_page_latin1_label) - 1, NULL, &t);
	is_str(t.charset, "UTF-8", "meta says ISO-8859-1, bytes are multibyte UTF-8: UTF-8");
	is_int(t.source, PAGE_CS_OVERRULED, "  ... the label is overruled");
	ok(strstr(t.s, "caf\xC3\xA9 \xE2\x80\x9Cq") != NULL && strstr(t.s, "\xC3\x83") == NULL,
	    "  ... and never double-decoded");
	page_text_free(&t);

	decode(utf8_page_latin1_label, sizeof(utf8_page_latin1_label) - 1, "windows-1252", &t);
	is_str(t.charset, "UTF-8", "HTTP says windows-1252, bytes are UTF-8: UTF-8");
	page_text_free(&t);

	decode(cp1252_page_utf8_label, sizeof(cp1252_page_utf8_label) - 1, NULL, &t);
	is_str(t.charset, "windows-1252", "meta says UTF-8 without one valid sequence: windows-1252");
	ok(utf8_valid(t.s, t.len), "  ... output is valid UTF-8");
	page_text_free(&t);

	decode("<meta charset=utf-8><p>a\xFF" "b \xC3\xA9 \xC3\xA9 \xC3\xA9</p>", 32, NULL, &t);
	is_str(t.charset, "UTF-8", "mostly UTF-8 with one stray byte stays UTF-8");
	ok(utf8_valid(t.s, t.len) && strstr(t.s, "a\xEF\xBF\xBD" "b") != NULL,
	    "  ... the stray byte becomes U+FFFD");
	page_text_free(&t);

	decode("<p>plain ascii</p>", 18, NULL, &t);
	ok(t.owned == NULL && t.s != NULL, "valid UTF-8 is not copied");
	page_text_free(&t);

	decode("<p>a\0b</p>", 10, NULL, &t);
	is_str(t.s, "<p>ab</p>", "NUL bytes are dropped");
	page_text_free(&t);

	decode("<meta charset=\"koi8-r\"><p>\xF0\xD2\xC9\xD7\xC5\xD4</p>", 35, NULL, &t);
	is_str(t.charset, "koi8-r", "other charsets through iconv");
	ok(strstr(t.s, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82") != NULL,
	    "  ... KOI8-R decoded");
	page_text_free(&t);

	decode("<meta charset=\"x-no-such\"><p>\xE9</p>", 34, NULL, &t);
	is_str(t.charset, "windows-1252", "an unknown label is ignored");
	page_text_free(&t);

	ok(page_charset_prescan("<!-- <meta charset=koi8-r> --><META HTTP-EQUIV=\"Content-Type\" "
	    "CONTENT=\"text/html; charset=Shift_JIS\">", 100, label, sizeof(label)) == 0 &&
	    strcmp(label, "Shift_JIS") == 0, "prescan: comments skipped, http-equiv read");
	ok(page_charset_prescan("<meta name=x content=\"charset=koi8-r\">", 37, label,
	    sizeof(label)) == -1, "prescan: content without http-equiv is not a declaration");
	ok(page_charset_canonical("latin1", canon, sizeof(canon)) == 0 &&
	    strcmp(canon, "windows-1252") == 0, "canonical: latin1 is windows-1252");
	ok(page_charset_canonical(" \"UTF8\"", canon, sizeof(canon)) == 0 &&
	    strcmp(canon, "UTF-8") == 0, "canonical: quoted, upper-case utf8");
	ok(page_charset_canonical("../../etc", canon, sizeof(canon)) == -1,
	    "canonical: a label with a slash is refused");
}

/* ------------------------------------------------------------------ */

static void
ld(const char *json, struct page_ld *out)
{
	memset(out, 0, sizeof(*out));
	page_ld_parse(json, strlen(json), out);
}

static void
test_jsonld(void)
{
	struct page_ld l;

	ld("{\"@context\":\"https://schema.org\",\"@graph\":["
	    "{\"@type\":\"WebPage\",\"@id\":\"u\",\"name\":\"Page\"},"
	    "{\"@type\":\"Article\",\"headline\":\"Graph &#8211; headline\","
	    "\"author\":{\"@id\":\"#p1\"},\"datePublished\":\"2024-06-19T06:35:00+05:30\","
	    "\"publisher\":{\"@id\":\"#org\"}},"
	    "{\"@type\":\"Person\",\"@id\":\"#p1\",\"name\":\"Ravi Menon\"},"
	    "{\"@type\":\"Organization\",\"@id\":\"#org\",\"name\":\"Kerala Chronicle\"}]}", &l);
	ok(l.article, "@graph: the Article is found");
	is_str(l.headline, "Graph \xE2\x80\x93 headline", "  ... headline entity decoded");
	is_str(l.author, "Ravi Menon", "  ... author resolved through @id");
	is_str(l.publisher, "Kerala Chronicle", "  ... publisher resolved through @id");
	is_str(l.published, "2024-06-19T06:35:00+05:30", "  ... datePublished");
	page_ld_free(&l);

	ld("[{\"@type\":\"BreadcrumbList\"},{\"@type\":[\"NewsArticle\",\"Thing\"],"
	    "\"headline\":\"H\",\"author\":[{\"name\":\"A\"},\"B\",{\"@type\":\"Person\",\"name\":\"C\"}],"
	    "\"articleBody\":\"First para.\\nSecond &amp; last.\"}]", &l);
	ok(l.article, "top-level array, @type array");
	is_str(l.author, "A, B and C", "  ... authors: object, string, object");
	is_str(l.body, "First para.\n\nSecond & last.", "  ... articleBody lines are paragraphs");
	page_ld_free(&l);

	ld("{\"@type\":\"WebPage\",\"mainEntity\":{\"@type\":\"ReportageNewsArticle\","
	    "\"headline\":\"Inner\",\"author\":\"IANS\"}}", &l);
	is_str(l.headline, "Inner", "mainEntity: ReportageNewsArticle");
	is_str(l.author, "IANS", "  ... author as a string");
	page_ld_free(&l);

	ld("{\"@type\":\"LiveBlogPosting\",\"headline\":\"Live\",\"dateModified\":\"2024-06-24T12:40:00+05:30\"}", &l);
	ok(l.article && l.live, "LiveBlogPosting is an article, and live");
	is_str(l.modified, "2024-06-24T12:40:00+05:30", "  ... dateModified");
	page_ld_free(&l);

	ld("<!--\n{\"@type\":\"BlogPosting\",\"headline\":\"Raw\nnewline\",\"author\":{\"name\":\"Z\"}}\n-->", &l);
	is_str(l.headline, "Raw newline", "invalid JSON with a raw newline is repaired; comment markers skipped");
	page_ld_free(&l);

	ld("{\"@type\":\"Recipe\",\"name\":\"Dal\"}", &l);
	ok(!l.article && l.headline == NULL, "other types are not articles");
	page_ld_free(&l);

	ld("{\"@type\":\"NewsArticle\",\"headline\":", &l);
	ok(!l.article && l.scripts == 0, "truncated JSON is skipped");
	page_ld_free(&l);
}

/* ------------------------------------------------------------------ */

static void
dl(const char *text, const char *want_place, const char *want_credit, int want_only,
    const char *what)
{
	size_t coff, clen;
	int only;
	char *place = page_dateline_parse(rules, text, strlen(text), &coff, &clen, &only);
	char *credit = clen > 0 ? xstrndup(text + coff, clen) : NULL;

	is_str(place, want_place, "dateline: %s", what);
	if (want_place != NULL) {
		is_str(credit, want_credit, "  ... credit");
		is_int(only, want_only, "  ... nothing else in the paragraph: %d", want_only);
	}
	free(place);
	free(credit);
}

static void
test_datelines(void)
{
	dl("Washington, June 19 (IANS/DPA) NATO Secretary General", "Washington", "IANS/DPA", 0,
	    "\"Washington, June 19 (IANS/DPA)\"");
	dl("NEW DELHI: The government on Monday", "New Delhi", NULL, 0, "\"NEW DELHI:\"");
	dl("MUMBAI, June 19 (Reuters) - Indian shares", "Mumbai", "Reuters", 0,
	    "\"MUMBAI, June 19 (Reuters) -\"");
	dl("LONDON (AP) \xE2\x80\x94 Britain's opposition", "London", "AP", 0, "\"LONDON (AP) —\"");
	dl("Mumbai (Maharashtra) [India], June 21 (ANI): The benchmark", "Mumbai", "ANI", 0,
	    "ANI's \"Place (State) [India], date (ANI):\"");
	dl("Kolhapur, June 20: The Panchganga river", "Kolhapur", NULL, 0, "\"Kolhapur, June 20:\"");
	dl("Paris (AFP) \xE2\x80\x93 French voters", "Paris", "AFP", 0, "\"Paris (AFP) –\"");
	dl("New Delhi: Large parts of north India", "New Delhi", NULL, 0, "\"New Delhi:\"");
	dl("NEW DELHI:", "New Delhi", NULL, 1, "a paragraph that is only a dateline");
	dl("\xE0\xA4\xA8\xE0\xA4\x88 \xE0\xA4\xA6\xE0\xA4\xBF\xE0\xA4\xB2\xE0\xA5\x8D\xE0\xA4\xB2\xE0\xA5\x80, "
	    "19 \xE0\xA4\x9C\xE0\xA5\x82\xE0\xA4\xA8 (\xE0\xA4\x86\xE0\xA4\x88\xE0\xA4\x8F\xE0\xA4\x8F"
	    "\xE0\xA4\xA8\xE0\xA4\x8F\xE0\xA4\xB8)\xE0\xA5\xA4 \xE0\xA4\xB0\xE0\xA4\xBE",
	    "\xE0\xA4\xA8\xE0\xA4\x88 \xE0\xA4\xA6\xE0\xA4\xBF\xE0\xA4\xB2\xE0\xA5\x8D\xE0\xA4\xB2\xE0\xA5\x80",
	    "\xE0\xA4\x86\xE0\xA4\x88\xE0\xA4\x8F\xE0\xA4\x8F\xE0\xA4\xA8\xE0\xA4\x8F\xE0\xA4\xB8", 0,
	    "Hindi, ending in a danda");
	dl("Disclaimer: This post has been auto-published", NULL, NULL, 0, "\"Disclaimer:\" is no place");
	dl("Also Read: Sensex falls", NULL, NULL, 0, "\"Also Read:\" is no place");
	dl("The government said on Monday that", NULL, NULL, 0, "an ordinary sentence");
	dl("Rain lashes Mumbai: local trains delayed", NULL, NULL, 0, "a headline with a colon");
	dl("In 2019, the river flooded", NULL, NULL, 0, "\"In 2019,\" is no dateline");
	dl("The Indian Space Research Organisation (ISRO) will conduct", NULL, NULL, 0,
	    "a name with its acronym is no dateline");
	dl("WASHINGTON (CNN) \xE2\x80\x94 text", "Washington", "CNN", 0,
	    "capitals with any credit");
	dl("Kolkata, Tuesday was the hottest day", NULL, NULL, 0, "a comma without a date");
	dl("LONDON - ", "London", NULL, 1, "\"LONDON -\"");
	dl("London - the capital", NULL, NULL, 0, "\"London -\" needs capitals");
}

static void
agencies(const char *s, const char *want, const char *what)
{
	size_t ags[8], n = page_agencies_in(rules, s, strlen(s), ags, 0, 8);
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, '/');
		buf_puts(&b, rules->agencies[ags[i]]);
	}
	is_str(b.data ? b.data : "", want, "agencies: %s", what);
	buf_free(&b);
}

static void
test_agencies(void)
{
	agencies("IANS/DPA", "IANS/DPA", "two agencies in printed order");
	agencies("By IANS", "IANS", "\"By IANS\"");
	agencies("DPA and IANS", "DPA/IANS", "order as printed");
	agencies("(With inputs from agencies)", "Agencies", "the generic credit");
	agencies("\xE2\x80\x94 REUTERS", "Reuters", "\"Reuters\" in capitals");
	agencies("Associated Press", "AP", "an alternate spelling");
	agencies("ap news", "", "\"AP\" only in capitals");
	agencies("CAPTAIN", "", "whole words only (no \"AP\" in \"CAPTAIN\")");
	agencies("PTI NKD HVA", "PTI", "PTI's trailer");
	agencies("(\xE0\xA4\xAD\xE0\xA4\xBE\xE0\xA4\xB7\xE0\xA4\xBE)", "PTI", "Hindi \"Bhasha\" is PTI");
	agencies("Reuters and Reuters", "Reuters", "no repeats");
}

static int
disclaimer(const char *s)
{
	struct buf b;
	int yes;

	buf_init(&b);
	page_norm(s, strlen(s), &b);
	yes = page_disclaimer(rules, b.data ? b.data : "");
	buf_free(&b);
	return yes;
}

static void
test_disclaimers(void)
{
	ok(disclaimer("Disclaimer: This post has been auto-published from an agency feed without "
	    "any modifications to the text and has not been reviewed by an editor"),
	    "disclaimer: the seed's");
	ok(disclaimer("(This story has not been edited by The Daily  Ledger staff and is "
	    "auto-generated from a syndicated feed.)"), "disclaimer: \"edited by * staff\", spaces folded");
	ok(disclaimer("ONLY THE HEADLINE OF THIS REPORT MAY HAVE BEEN REWORKED"),
	    "disclaimer: any case");
	ok(!disclaimer("The minister said the report has been edited for clarity."),
	    "disclaimer: ordinary text is not one");
	ok(!disclaimer("Views expressed are personal."), "disclaimer: an opinion note is not one");
}

static void
glued(const char *text, size_t want, const char *what)
{
	is_int(page_glued_category(rules, text), want, "glued category: %s", what);
}

static void
test_glued(void)
{
	glued("EntertainmentDocuseries \xE2\x80\x98Pedro x Javis\xE2\x80\x99", 13, "EntertainmentDocuseries");
	glued("International\"Everybody tells us", 13, "a quote after the label");
	glued("BusinessThe Networker", 8, "BusinessThe");
	glued("National2 dead in", 8, "a digit after the label");
	glued("India's forex reserves", 0, "an apostrophe is not a new title");
	glued("Indian Railways", 0, "a longer word");
	glued("Business news", 0, "a space: not glued");
	glued("Business-related", 0, "a hyphen");
	glued("WorldCup fever", 5, "\"WorldCup\" splits (the vocabulary decides)");
}

static void
byline(const char *s, const char *want, const char *what)
{
	char *b = page_byline_clean(s, strlen(s));

	is_str(b, want, "byline: %s", what);
	free(b);
}

static void
test_bylines(void)
{
	byline("By IANS | Updated: June 19, 2024 06:35 IST", "IANS", "the seed's line");
	byline("Written by Jane Doe on June 19, 2024", "Jane Doe", "\"Written by ... on date\"");
	byline("BY: Ravi Menon, June 19, 2024", "Ravi Menon", "\"BY:\", trailing date");
	byline("Sylvia Hui \xE2\x80\x94", "Sylvia Hui", "a trailing dash");
	byline("June 19, 2024", NULL, "a date is no byline");
	byline("https://www.facebook.com/someone", NULL, "a URL is no byline");
	byline("Posted by Anil Thakur at 9:30 AM", "Anil Thakur at 9:30 AM",
	    "\"Posted by\" (a time alone is kept: not a date)");
}

static void
vdates(const char *s, const char *want_pub, const char *want_upd, const char *what)
{
	int64_t pub = DATE_UNSET, upd = DATE_UNSET;
	char p[DATE_RFC3339_LEN] = "", u[DATE_RFC3339_LEN] = "";

	page_visible_dates(s, strlen(s), "Asia/Kolkata", &pub, &upd);
	if (pub != DATE_UNSET)
		date_format(pub, p);
	if (upd != DATE_UNSET)
		date_format(upd, u);
	is_str(pub != DATE_UNSET ? p : NULL, want_pub, "visible dates: %s: published", what);
	is_str(upd != DATE_UNSET ? u : NULL, want_upd, "  ... updated");
}

static void
test_visible_dates(void)
{
	vdates("By IANS | Updated: June 19, 2024 06:35 IST", NULL, "2024-06-19T01:05:00Z",
	    "\"Updated:\" only");
	vdates("19 Jun 2024, 06:35 AM IST", "2024-06-19T01:05:00Z", NULL, "unlabelled");
	vdates("Published: June 18, 2024 09:00 IST | Last Updated: June 19, 2024 10:00",
	    "2024-06-18T03:30:00Z", "2024-06-19T04:30:00Z", "both, the second without a zone");
	vdates("Posted on: 19 Jun 2024, 06:35 AM IST", "2024-06-19T01:05:00Z", NULL, "\"Posted on:\"");
	vdates("First published on June 3, 2024 \xC2\xB7 Updated on June 4, 2024",
	    "2024-06-02T18:30:00Z", "2024-06-03T18:30:00Z", "a middle dot between");
	vdates("By Ravi Menon", NULL, NULL, "no date");
}

/* ------------------------------------------------------------------ */

static int
extract(const char *html, size_t len, const char *url, struct page_article *a)
{
	struct page_opts o = { 0 };
	char err[256];
	int rc;

	o.url = url;
	o.rules = rules;
	o.default_tz = "Asia/Kolkata";
	rc = page_extract(html, len, &o, a, err, sizeof(err));
	if (rc < 0)
		printf("# extract: %s\n", err);
	return rc;
}

static void
test_small_page(void)
{
	static const char html[] =
	    "<html lang=en><head><title>Title here | Site</title>"
	    "<meta property=og:site_name content=Site>"
	    "<link rel=canonical href=/news/a-1.html></head><body>"
	    "<nav><a href=/>Home</a> <a href=/city>City</a> <a href=/epaper>Epaper</a></nav>"
	    "<div class=story><h1>Title here</h1><div class=byline>By PTI | Updated: June 19, 2024 06:35 IST</div>"
	    "<p>NEW DELHI, June 19 (PTI) The first paragraph of the story, long enough to count as text, with commas, many, many.</p>"
	    "<p><strong>Also read:</strong> <a href=/news/b-2.html>Another story about something else</a></p>"
	    "<p>The second paragraph carries on the story for a while longer, so that the scorer has something to weigh.</p>"
	    "<div class=share><a href=https://x.example/share>Share</a></div>"
	    "<p>Disclaimer: This post has been auto-published from an agency feed without any modifications.</p></div>"
	    "<div class=related><h3>Related Stories</h3><ul>"
	    "<li><a href=/news/c-3.html><span class=cat>Business</span><span class=title>Markets rally</span></a></li>"
	    "<li><a href=https://other.example/d-4.html>NationalRain lashes the capital</a></li></ul></div>"
	    "<footer>Copyright</footer></body></html>";
	struct page_article a;
	json_t *j;
	char *s;

	if (extract(html, sizeof(html) - 1, "https://site.example/news/a-1.html?utm_source=x", &a) < 0) {
		ok(0, "small page extracts");
		return;
	}
	ok(a.found, "small page: article found");
	is_str(a.url, "https://site.example/news/a-1.html", "  ... url from the canonical link");
	is_str(a.title, "Title here", "  ... title");
	is_str(a.byline, "PTI", "  ... byline");
	is_str(a.agency, "PTI", "  ... agency");
	is_str(a.dateline, "New Delhi", "  ... dateline");
	is_str(a.lang, "en", "  ... lang");
	ok(a.published == DATE_UNSET, "  ... published unknown (only \"Updated\" shown)");
	is_int(a.updated, 1718759100, "  ... updated from the visible line");
	ok(a.auto_published, "  ... auto_published");
	is_str(a.body, "NEW DELHI, June 19 (PTI) The first paragraph of the story, long enough to "
	    "count as text, with commas, many, many.\n\nThe second paragraph carries on the story "
	    "for a while longer, so that the scorer has something to weigh.",
	    "  ... body without the insert, share bar and disclaimer");
	is_int(a.nrelated, 3, "  ... three related links");
	if (a.nrelated == 3) {
		is_str(a.related[0].url, "https://site.example/news/b-2.html", "  ... the insert, resolved");
		ok(a.related[0].category == NULL, "  ... no category");
		is_str(a.related[1].title, "Markets rally", "  ... title from markup");
		is_str(a.related[1].category, "Business", "  ... category from markup");
		is_str(a.related[2].title, "Rain lashes the capital", "  ... glued title split");
		is_str(a.related[2].category, "National", "  ... glued category");
	}
	j = page_article_to_json(&a, "abc", NULL);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	ok(s != NULL && strncmp(s, "{\"url\":", 7) == 0 &&
	    strstr(s, "\"related\":[{\"url\":") != NULL &&
	    strstr(s, "\"auto_published\":true,\"related\"") != NULL &&
	    strstr(s, ",\"entities\":[],\"content_hash\":\"abc\"}") != NULL,
	    "JSON: keys in DESIGN.md order");
	free(s);
	json_decref(j);
	page_article_free(&a);
}

static void
test_not_html(void)
{
	struct page_article a;
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	static const char nul[] = "<html>\0\0\0\0<body>";
	static const char index_page[] =
	    "<html><head><title>Business</title><meta property=og:type content=website></head><body>"
	    "<h1>Business</h1><ul><li><a href=/a>First story headline goes here</a></li>"
	    "<li><a href=/b>Second story headline goes here</a></li>"
	    "<li><a href=/c>Third story headline goes here</a></li></ul></body></html>";

	is_int(extract("", 0, NULL, &a), -1, "empty input: not an HTML document");
	is_int(extract(png, sizeof(png) - 1, NULL, &a), -1, "a PNG: not an HTML document");
	is_int(extract(nul, sizeof(nul) - 1, NULL, &a), -1, "NUL bytes: not an HTML document");
	is_int(extract("just some text, no markup at all", 32, NULL, &a), -1,
	    "text without markup: not an HTML document");
	is_int(extract(index_page, sizeof(index_page) - 1, "https://x.example/business/", &a), 0,
	    "an index page extracts");
	ok(!a.found && a.body == NULL && a.nrelated == 0 && a.byline == NULL,
	    "  ... with found=0, no body, no links");
	is_str(a.title, "Business", "  ... and its title");
	page_article_free(&a);
}

/* A page with 100,000 links under a "Related Stories" heading. */
static void
test_many_links(void)
{
	struct page_article a;
	struct buf b;
	double t0, dt;

	buf_init(&b);
	buf_puts(&b, "<html><body><h1>Many links</h1><div class=story>");
	for (int i = 0; i < 20; i++)
		buf_printf(&b, "<p>Paragraph %d: some article text that goes on for a while, with "
		    "commas, so that it scores as a paragraph of the story.</p>", i);
	buf_puts(&b, "</div><div><h3>Related Stories</h3><ul>");
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, "<li><a href=\"/s/%d\">Story number %d</a></li>", i, i);
	buf_puts(&b, "</ul></div></body></html>");
	t0 = now_monotonic();
	is_int(extract(b.data, b.len, "https://x.example/", &a), 0, "100,000 links: extracts");
	dt = now_monotonic() - t0;
	printf("# 100,000 links (%zu bytes): %.3f s\n", b.len, dt);
	ok(a.found && a.nrelated == PAGE_MAX_RELATED, "  ... links capped at %d (got %zu)",
	    PAGE_MAX_RELATED, a.nrelated);
	ok(dt < 20.0, "  ... in bounded time");
	page_article_free(&a);
	buf_free(&b);
}

/* A 5 MB page, and a deeply nested one. */
static void
test_big_pages(void)
{
	struct page_article a;
	struct buf b;
	double t0, dt;

	buf_init(&b);
	buf_puts(&b, "<html><body><article><h1>Big</h1>");
	for (int i = 0; b.len < 5 * 1024 * 1024; i++)
		buf_printf(&b, "<p>Paragraph %d of a very long page, with a comma, and another, and "
		    "text enough to score; <a href=/x>a link</a> here and <b>bold</b> there.</p>\n", i);
	buf_puts(&b, "</article></body></html>");
	t0 = now_monotonic();
	is_int(extract(b.data, b.len, NULL, &a), 0, "5 MB page: extracts");
	dt = now_monotonic() - t0;
	printf("# 5 MB page: %.3f s\n", dt);
	ok(a.found && a.body != NULL && strlen(a.body) <= PAGE_MAX_TEXT,
	    "  ... body found and within %d bytes", PAGE_MAX_TEXT);
	ok(a.body != NULL && utf8_valid(a.body, strlen(a.body)), "  ... valid UTF-8");
	ok(dt < 30.0, "  ... in bounded time");
	page_article_free(&a);

	buf_reset(&b);
	buf_puts(&b, "<html><body>");
	for (int i = 0; i < 200000; i++)
		buf_puts(&b, "<div><span>x ");
	t0 = now_monotonic();
	is_int(extract(b.data, b.len, NULL, &a), 0, "400,000 nested elements: extracts");
	printf("# nested: %.3f s\n", now_monotonic() - t0);
	page_article_free(&a);

	buf_reset(&b);
	buf_puts(&b, "<html><body><p>");
	for (int i = 0; i < 300000; i++)
		buf_puts(&b, "\xFF\xFE word ");
	buf_puts(&b, "</p></body></html>");
	is_int(extract(b.data, b.len, NULL, &a), 0, "invalid bytes everywhere: extracts");
	ok(a.body == NULL || utf8_valid(a.body, strlen(a.body)), "  ... valid UTF-8 out");
	ok(a.title == NULL || utf8_valid(a.title, strlen(a.title)), "  ... title too");
	page_article_free(&a);
	buf_free(&b);
}

static void
test_overrides(void)
{
	static const char html[] =
	    "<html><head><title>Override page</title></head><body>"
	    "<div id=ad-copy><p>A long advertorial paragraph, with commas, many words, and more words, "
	    "that a scorer would happily take for the article because it is long, long, long.</p>"
	    "<p>Another long advertorial paragraph, with commas, many words, and more words, that "
	    "keeps going on and on, so that it wins on length, and on commas, too.</p></div>"
	    "<div id=story><p>The real story is short.</p><p>It has two paragraphs.</p></div>"
	    "<div class=who>Reported by Jane Roe</div><div class=when>2024-06-19 10:00</div>"
	    "<div id=more><a href=/one>One more story</a> <a href=/two>Two more stories</a></div>"
	    "</body></html>";
	struct page_overrides ov = { "//div[@id='story']", "string(//title)",
	    "//div[@class='who']", "//div[@class='when']", "//div[@id='more']/a" };
	struct page_opts o = { 0 };
	struct page_article a;
	char err[256];

	o.url = "https://x.example/p";
	o.rules = rules;
	o.default_tz = "Asia/Kolkata";
	o.overrides = &ov;
	is_int(page_extract(html, sizeof(html) - 1, &o, &a, err, sizeof(err)), 0, "overrides: extracts");
	is_str(a.body, "The real story is short.\n\nIt has two paragraphs.", "overrides: body from XPath");
	is_str(a.title, "Override page", "overrides: title from a string() XPath");
	is_str(a.byline, "Jane Roe", "overrides: byline from XPath, cleaned");
	is_int(a.published, 1718771400, "overrides: published from XPath, in the default zone");
	is_int(a.nrelated, 2, "overrides: related links from XPath");
	ok(a.found, "overrides: an overridden body counts as an article");
	page_article_free(&a);

	ov.body = "//[broken";
	is_int(page_extract(html, sizeof(html) - 1, &o, &a, err, sizeof(err)), 0,
	    "overrides: a broken XPath is ignored");
	page_article_free(&a);
}

static void
test_structured_only(void)
{
	static const char spa[] =
	    "<html><head><script type=application/ld+json>{\"@type\":\"NewsArticle\","
	    "\"headline\":\"SPA\",\"author\":{\"name\":\"Asha Rao\"},"
	    "\"articleBody\":\"CHENNAI: First paragraph.\\nSecond &amp; last.\"}</script></head>"
	    "<body><div id=root></div><script src=/app.js></script></body></html>";
	static const char u16[] =
	    "\xFF\xFE<\0h\0t\0m\0l\0>\0<\0h\0""1\0>\0\xE9\0<\0/\0h\0""1\0>\0";
	struct page_article a;

	is_int(extract(spa, sizeof(spa) - 1, NULL, &a), 0, "JSON-LD only (rendered by script): extracts");
	is_str(a.body, "CHENNAI: First paragraph.\n\nSecond & last.", "  ... body from articleBody");
	is_str(a.dateline, "Chennai", "  ... dateline from it");
	is_str(a.byline, "Asha Rao", "  ... byline");
	page_article_free(&a);

	is_int(extract(u16, sizeof(u16) - 1, NULL, &a), 0, "a UTF-16 page with a BOM: extracts");
	is_str(a.title, "\xC3\xA9", "  ... its h1 decoded");
	page_article_free(&a);
}

static void
test_datadir(void)
{
	const char *top = getenv("DATELINE_TOP");
	char *dir = xasprintf("%s/data", top ? top : ".");

	is_str(datadir_find(dir), dir, "datadir: an explicit folder with agencies.txt");
	ok(datadir_find("/nonexistent/folder") == NULL, "datadir: an explicit folder without it");
	free(dir);
}

int
main(void)
{
	xmlInitParser();
	test_charset();
	test_jsonld();
	if ((rules = load_rules()) == NULL) {
		ok(0, "rules load from data/");
		return tap_done();
	}
	ok(1, "rules load from data/");
	test_datelines();
	test_agencies();
	test_disclaimers();
	test_glued();
	test_bylines();
	test_visible_dates();
	test_small_page();
	test_not_html();
	test_overrides();
	test_structured_only();
	test_many_links();
	test_big_pages();
	test_datadir();
	page_rules_free(rules);
	xmlCleanupParser();
	return tap_done();
}

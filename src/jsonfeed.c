/*
 * jsonfeed.c: JSON Feed 1.0/1.1 bytes -> items (see jsonfeed.h).
 */
#include "jsonfeed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dates.h"
#include "feedxml.h"
#include "bounds.h"
#include "text.h"
#include "url.h"
#include "util.h"

/*
 * NOTE: the version URL names the format.  1 and 1.1 are read alike (1.1
 * only adds fields and renames author to authors); the http spelling is
 * accepted too because early feeds wrote it.
 */
static const char *const versions[] = {
	"https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1",
	"http://jsonfeed.org/version/1", "http://jsonfeed.org/version/1.1",
};

/* Longest date string looked at; real ones are about 25 bytes. */
#define DATE_MAX_BYTES 100

int
jsonfeed_sniff(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
	    data[i] == '\n'))
		i++;
	return i < len && data[i] == '{';
}

/*
 * The value of key in obj as a malloc'd string without NUL bytes, or NULL
 * when it is absent, not a string or empty.  *len gets its length.
 */
static char *
get_string(json_t *obj, const char *key, size_t *len)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	size_t n, j = 0;
	char *out;

	if (!json_is_string(v) || (n = json_string_length(v)) == 0)
		return NULL;
	s = json_string_value(v);
	out = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\0')
			out[j++] = s[i];
	out[j] = '\0';
	if (len != NULL)
		*len = j;
	if (j == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Plain text on one line, bounded; NULL for absent or blank. */
static char *
get_line(json_t *obj, const char *key, size_t max)
{
	size_t n;
	char *s = get_string(obj, key, &n), *t;

	if (s == NULL)
		return NULL;
	t = text_fold(s, n);
	free(s);
	return feedxml_bound(t, max);
}

/* An http(s) URL resolved against the document's URL, or NULL. */
static char *
resolve(const struct feed_parse_opts *opts, const char *ref)
{
	char *u;

	if (ref == NULL || strlen(ref) > LIMIT_FIELD_BYTES)
		return NULL;
	u = url_resolve(opts->base_url, ref);
	if (u != NULL && !url_is_http(u)) {
		free(u);
		u = NULL;
	}
	return u;
}

static char *
get_url(const struct feed_parse_opts *opts, json_t *obj, const char *key)
{
	char *s = get_string(obj, key, NULL), *u;

	u = resolve(opts, s);
	free(s);
	return u;
}

static int64_t
get_date(const struct feed_parse_opts *opts, json_t *obj, const char *key)
{
	size_t n;
	char *s = get_string(obj, key, &n);
	int64_t t = DATE_UNSET;

	if (s != NULL && n <= DATE_MAX_BYTES && date_parse(s, opts->default_tz, &t) < 0)
		t = DATE_UNSET;
	free(s);
	return t;
}

/*
 * Sanitized HTML, at most LIMIT_CONTENT_BYTES.  Sanitizing may lengthen
 * the input and a cut in the middle of markup would break it, so an
 * input whose output is too long is cut shorter and sanitized again (as
 * feedxml.c does for the XML formats).
 */
static char *
sanitize_bounded(const char *html, size_t len, const char *base)
{
	char *out;

	if (len > LIMIT_CONTENT_BYTES)
		len = LIMIT_CONTENT_BYTES;
	for (int tries = 0; tries < 4; tries++) {
		size_t olen;

		out = html_sanitize(html, len, base);
		if ((olen = strlen(out)) <= LIMIT_CONTENT_BYTES)
			return feedxml_bound(out, LIMIT_CONTENT_BYTES);
		free(out);
		/* NOTE: deliberate truncation of overlong content */
		len = (size_t)((double)len * LIMIT_CONTENT_BYTES / (double)olen * 0.9);
	}
	return NULL;
}

/*
 * content_text as HTML: escaped, a paragraph per blank-line-separated
 * block, <br> for the other line breaks, so that the article body keeps
 * the paragraphs the text had.
 */
static char *
text_to_html(const char *s, size_t len)
{
	struct buf b;
	size_t i = 0;
	int open = 0;

	buf_init(&b);
	while (i < len && b.len < LIMIT_CONTENT_BYTES - 16) {
		char c = s[i];

		if (c == '\r') {
			i++;
			continue;
		}
		if (c == '\n') {
			size_t j = i + 1;
			int blank = 0;

			while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' ||
			    s[j] == '\n'))
				if (s[j++] == '\n')
					blank = 1;
			if (open && (blank || j == len)) {
				buf_puts(&b, "</p>");
				open = 0;
			} else if (open)
				buf_puts(&b, "<br>");
			i = j;
			continue;
		}
		if (!open) {
			if (c == ' ' || c == '\t') {
				i++;
				continue;
			}
			buf_puts(&b, "<p>");
			open = 1;
		}
		switch (c) {
		case '&': buf_puts(&b, "&amp;"); break;
		case '<': buf_puts(&b, "&lt;"); break;
		case '>': buf_puts(&b, "&gt;"); break;
		case '"': buf_puts(&b, "&quot;"); break;
		default: buf_putc(&b, c); break;
		}
		i++;
	}
	/* NOTE: deliberate truncation of overlong content_text */
	if (open)
		buf_puts(&b, "</p>");
	return feedxml_bound(buf_steal(&b), LIMIT_CONTENT_BYTES);
}

/* The names of an author object (1.0) or an authors list (1.1) into l. */
static void
author_names(json_t *v, struct strlist *l)
{
	size_t i;
	json_t *a;
	char *name;

	if (json_is_object(v)) {
		if ((name = get_line(v, "name", LIMIT_FIELD_BYTES)) != NULL)
			strlist_push(l, name);
		return;
	}
	if (!json_is_array(v))
		return;
	json_array_foreach(v, i, a) {
		if (json_is_object(a) && (name = get_line(a, "name", LIMIT_FIELD_BYTES)) != NULL)
			strlist_push(l, name);
	}
}

/* authors, else author, of obj: distinct names joined with ", ", or NULL. */
static char *
authors_of(json_t *obj)
{
	struct strlist l = { 0 };
	struct buf b;

	author_names(json_object_get(obj, "authors"), &l);
	if (l.n == 0)
		author_names(json_object_get(obj, "author"), &l);
	if (l.n == 0)
		return NULL;
	buf_init(&b);
	for (size_t i = 0; i < l.n; i++) {
		size_t j;

		for (j = 0; j < i && strcmp(l.v[i], l.v[j]) != 0; j++)
			;
		if (j < i)
			continue;
		if (b.len > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, l.v[i]);
	}
	strlist_free(&l);
	return feedxml_bound(buf_steal(&b), LIMIT_FIELD_BYTES);
}

static void
add_categories(json_t *tags, struct feed_item *it)
{
	size_t i, j;
	json_t *t;

	if (!json_is_array(tags))
		return;
	json_array_foreach(tags, i, t) {
		char *s;

		if (!json_is_string(t) || json_string_length(t) == 0)
			continue;
		s = feedxml_bound(text_fold(json_string_value(t), json_string_length(t)),
		    LIMIT_FIELD_BYTES);
		if (s == NULL)
			continue;
		for (j = 0; j < it->ncategories && strcmp(it->categories[j], s) != 0; j++)
			;
		/* NOTE: deliberate truncation at LIMIT_ITEM_CATEGORIES */
		if (j < it->ncategories || it->ncategories >= LIMIT_ITEM_CATEGORIES) {
			free(s);
			continue;
		}
		it->categories = xreallocarray(it->categories, it->ncategories + 1,
		    sizeof(*it->categories));
		it->categories[it->ncategories++] = s;
	}
}

static void
add_enclosures(const struct feed_parse_opts *opts, json_t *atts, struct feed_item *it)
{
	size_t i, j;
	json_t *a, *size;

	if (!json_is_array(atts))
		return;
	json_array_foreach(atts, i, a) {
		struct feed_enclosure *e;
		char *url;

		if (!json_is_object(a) || (url = get_url(opts, a, "url")) == NULL)
			continue;
		for (j = 0; j < it->nenclosures && strcmp(it->enclosures[j].url, url) != 0; j++)
			;
		/* NOTE: deliberate truncation at LIMIT_ITEM_ENCLOSURES */
		if (j < it->nenclosures || it->nenclosures >= LIMIT_ITEM_ENCLOSURES) {
			free(url);
			continue;
		}
		it->enclosures = xreallocarray(it->enclosures, it->nenclosures + 1,
		    sizeof(*it->enclosures));
		e = &it->enclosures[it->nenclosures++];
		e->url = url;
		e->type = get_line(a, "mime_type", LIMIT_FIELD_BYTES);
		size = json_object_get(a, "size_in_bytes");
		e->length = json_is_integer(size) && json_integer_value(size) >= 0 ?
		    (long long)json_integer_value(size) : -1;
	}
}

/* The item's id as text: a string, or a number's decimal form. */
static char *
item_id(json_t *item)
{
	json_t *v = json_object_get(item, "id");

	if (json_is_integer(v))
		return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return get_line(item, "id", LIMIT_FIELD_BYTES);
}

static void
parse_item(const struct feed_parse_opts *opts, json_t *item, const char *feed_author,
    struct feed_item *it)
{
	char *s;
	size_t n;

	memset(it, 0, sizeof(*it));
	it->guid = item_id(item);
	if ((it->url = get_url(opts, item, "url")) == NULL &&
	    (it->url = get_url(opts, item, "external_url")) == NULL &&
	    it->guid != NULL && url_is_http(it->guid))
		it->url = resolve(opts, it->guid);
	it->title = get_line(item, "title", LIMIT_FIELD_BYTES);
	if ((s = get_string(item, "summary", &n)) != NULL) {
		it->summary = feedxml_bound(text_fold(s, n), LIMIT_CONTENT_BYTES);
		free(s);
	}
	if ((s = get_string(item, "content_html", &n)) != NULL) {
		it->content = sanitize_bounded(s, n, opts->base_url);
		free(s);
	}
	if (it->content == NULL && (s = get_string(item, "content_text", &n)) != NULL) {
		it->content = text_to_html(s, n);
		free(s);
	}
	it->author = authors_of(item);
	if (it->author == NULL)
		it->author = xstrdup_or_null(feed_author);
	it->published = get_date(opts, item, "date_published");
	it->updated = get_date(opts, item, "date_modified");
	add_categories(json_object_get(item, "tags"), it);
	add_enclosures(opts, json_object_get(item, "attachments"), it);
}

static int
hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/*
 * Rewrites, in place, every \u escape of a lone UTF-16 surrogate inside a
 * string as \uFFFD (the same length).  NOTE: jansson refuses a whole
 * document over one such escape, which JavaScript serializers emit when
 * they cut a string inside an emoji; one bad title must not cost a feed.
 */
static void
fix_surrogates(char *s, size_t len)
{
	int in_string = 0;
	unsigned hi, lo;

	for (size_t i = 0; i < len; i++) {
		if (!in_string) {
			if (s[i] == '"')
				in_string = 1;
			continue;
		}
		if (s[i] == '"') {
			in_string = 0;
			continue;
		}
		if (s[i] != '\\' || i + 1 >= len)
			continue;
		if (s[i + 1] != 'u' || i + 6 > len || hex4(s + i + 2, &hi) < 0) {
			i++;    /* a two-character escape */
			continue;
		}
		if (hi >= 0xD800 && hi <= 0xDBFF && i + 12 <= len && s[i + 6] == '\\' &&
		    s[i + 7] == 'u' && hex4(s + i + 8, &lo) == 0 && lo >= 0xDC00 &&
		    lo <= 0xDFFF) {
			i += 11;        /* a valid pair */
			continue;
		}
		if (hi >= 0xD800 && hi <= 0xDFFF)
			memcpy(s + i + 2, "FFFD", 4);
		i += 5;
	}
}

int
jsonfeed_parse(const char *data, size_t len, const struct feed_parse_opts *opts,
    struct feed_doc *doc, char *err, size_t errlen)
{
	struct feed_parse_opts noopts = { 0 };
	json_error_t jerr;
	json_t *root, *v, *items, *item;
	char *repaired = NULL, *feed_author = NULL;
	size_t max_items, cap = 0, i, k;

	if (opts == NULL)
		opts = &noopts;
	memset(doc, 0, sizeof(*doc));
	doc->updated = DATE_UNSET;
	doc->format = FEED_FORMAT_JSON;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	/*
	 * NOTE: JSON is UTF-8 (RFC 8259); jansson refuses a document over one
	 * bad byte, so damaged bytes become U+FFFD first, as in the XML path.
	 */
	if (!utf8_valid(data, len))
		repaired = utf8_repair(data, len);
	else if (memmem(data, len, "\\u", 2) != NULL)
		repaired = xstrndup(data, len);
	if (repaired != NULL) {
		/* NOTE: xstrndup stops at a NUL byte, which JSON never has outside strings. */
		len = strlen(repaired);
		fix_surrogates(repaired, len);
		data = repaired;
	}
	root = json_loadb(data, len, JSON_ALLOW_NUL, &jerr);
	free(repaired);
	if (root == NULL) {
		snprintf(err, errlen, "not valid JSON at line %d, column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON Feed (the document is not a JSON object)");
		goto fail;
	}
	v = json_object_get(root, "version");
	if (!json_is_string(v)) {
		snprintf(err, errlen, "not a JSON Feed (no \"version\" string)");
		goto fail;
	}
	for (k = 0; k < ARRAY_LEN(versions) && strcmp(json_string_value(v), versions[k]) != 0; k++)
		;
	if (k == ARRAY_LEN(versions)) {
		snprintf(err, errlen, "not a JSON Feed 1.0 or 1.1 (version \"%.80s\")",
		    json_string_value(v));
		goto fail;
	}
	items = json_object_get(root, "items");
	if (!json_is_array(items)) {
		snprintf(err, errlen, "JSON Feed without an \"items\" list");
		goto fail;
	}
	doc->title = get_line(root, "title", LIMIT_FIELD_BYTES);
	doc->url = get_url(opts, root, "home_page_url");
	feed_author = authors_of(root);
	max_items = opts->max_items > 0 && opts->max_items < LIMIT_FEED_ITEMS ?
	    opts->max_items : LIMIT_FEED_ITEMS;
	json_array_foreach(items, i, item) {
		struct feed_item *it;

		if (!json_is_object(item))
			continue;
		if (doc->nitems >= max_items) {
			doc->items_dropped++;
			continue;
		}
		if (doc->nitems == cap) {
			cap = cap ? cap * 2 : 16;
			doc->items = xreallocarray(doc->items, cap, sizeof(*doc->items));
		}
		it = &doc->items[doc->nitems++];
		parse_item(opts, item, feed_author, it);
		/* NOTE: an item with nothing to identify or show is skipped */
		if (!(it->guid || it->url || it->title || it->summary || it->content)) {
			free(it->author);
			for (size_t j = 0; j < it->ncategories; j++)
				free(it->categories[j]);
			free(it->categories);
			for (size_t j = 0; j < it->nenclosures; j++) {
				free(it->enclosures[j].url);
				free(it->enclosures[j].type);
			}
			free(it->enclosures);
			doc->nitems--;
		}
	}
	free(feed_author);
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	feed_doc_free(doc);
	return -1;
}

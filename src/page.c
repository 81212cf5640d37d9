/*
 * page.c: article HTML bytes -> article fields (see page.h).
 *
 * One pass decides the charset and converts to UTF-8 (pagecharset.c), one
 * libxml2 parse builds the tree, one walk flattens it into element and
 * text-block arrays (pagedom.c); then, without touching the tree again
 * except for small subtrees, pagebody.c finds the related-story links and
 * the main text and pagemeta.c the one-line fields.  This file loads the
 * rules (data files), holds the matching helpers, and runs the steps.
 */
#include "page.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "dates.h"
#include "pagecharset.h"
#include "pageint.h"
#include "text.h"
#include "url.h"
#include "util.h"

/*
 * NOTE: HTML_PARSE_IGNORE_ENC on top of the safe set: the bytes handed to
 * libxml2 are already UTF-8 (pagecharset.c), so a <meta charset> inside
 * them must not make the parser decode them a second time.
 */
#define PAGE_HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
	HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | \
	HTML_PARSE_IGNORE_ENC)
#define RULES_MAX_LINE 1024
#define RULES_MAX_LINES 10000

/* ------------------------------------------------------------------ */
/* Rules                                                               */

/*
 * Reads dir/name: one entry per line, blank lines and lines starting with
 * '#' skipped, surrounding whitespace trimmed.  0, or -1 with err set.
 */
static int
read_lines(const char *dir, const char *name, struct strlist *out, char *err,
    size_t errlen)
{
	char *path = xasprintf("%s/%s", dir, name), line[RULES_MAX_LINE + 2];
	FILE *f = fopen(path, "r");
	int lineno = 0;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t n = strlen(line);
		char *s = line;

		lineno++;
		if (n > RULES_MAX_LINE || (size_t)lineno > RULES_MAX_LINES) {
			snprintf(err, errlen, "%s:%d: line too long or too many lines",
			    path, lineno);
			goto fail;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		    line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		if (!utf8_valid(s, strlen(s))) {
			snprintf(err, errlen, "%s:%d: not UTF-8", path, lineno);
			goto fail;
		}
		strlist_push(out, xstrdup(s));
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	free(path);
	return 0;
fail:
	fclose(f);
	free(path);
	return -1;
}

static char *
trim_dup(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/* "~?Name | alias | alias": the first field is the canonical name. */
static int
load_agencies(struct page_rules *r, const char *dir, char *err, size_t errlen)
{
	struct strlist lines = { 0 };

	if (read_lines(dir, "agencies.txt", &lines, err, errlen) == -1)
		return -1;
	r->agencies = xcalloc(lines.n, sizeof(*r->agencies));
	r->generic = xcalloc(lines.n, sizeof(*r->generic));
	for (size_t i = 0; i < lines.n; i++) {
		const char *p = lines.v[i];
		int first = 1;

		if (*p == '~') {
			r->generic[r->nagencies] = 1;
			p++;
		}
		while (*p) {
			size_t n = strcspn(p, "|");
			char *field = trim_dup(p, n);

			if (field[0] == '\0') {
				free(field);
			} else {
				struct page_alias *al;
				int lower = 0;

				if (first)
					r->agencies[r->nagencies] = xstrdup(field);
				first = 0;
				r->aliases = xreallocarray(r->aliases, r->naliases + 1,
				    sizeof(*r->aliases));
				al = &r->aliases[r->naliases++];
				for (char *c = field; *c; c++)
					if (*c >= 'a' && *c <= 'z')
						lower = 1;
				al->exact = !lower;
				if (lower)
					for (char *c = field; *c; c++)
						if (*c >= 'A' && *c <= 'Z')
							*c = (char)(*c - 'A' + 'a');
				al->text = field;
				al->len = strlen(field);
				al->agency = r->nagencies;
			}
			p += n;
			if (*p == '|')
				p++;
		}
		if (!first)
			r->nagencies++;
	}
	strlist_free(&lines);
	if (r->nagencies == 0) {
		snprintf(err, errlen, "%s/agencies.txt: no agencies", dir);
		return -1;
	}
	return 0;
}

/* Normalized globs; wrap: match anywhere ("*pattern*"). */
static int
load_globs(struct strlist *out, const char *dir, const char *name, int wrap,
    char *err, size_t errlen)
{
	struct strlist lines = { 0 };
	struct buf b;

	if (read_lines(dir, name, &lines, err, errlen) == -1)
		return -1;
	buf_init(&b);
	for (size_t i = 0; i < lines.n; i++) {
		buf_reset(&b);
		if (wrap)
			buf_putc(&b, '*');
		page_norm(lines.v[i], strlen(lines.v[i]), &b);
		if (wrap)
			buf_putc(&b, '*');
		strlist_push(out, xstrdup(b.data));
	}
	buf_free(&b);
	strlist_free(&lines);
	return 0;
}

static int
longest_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

struct page_rules *
page_rules_load(const char *dir, char *err, size_t errlen)
{
	struct page_rules *r = xcalloc(1, sizeof(*r));

	if (load_agencies(r, dir, err, errlen) == -1 ||
	    load_globs(&r->disclaimers, dir, "disclaimers.txt", 1, err, errlen) == -1 ||
	    load_globs(&r->headings, dir, "related-headings.txt", 0, err, errlen) == -1 ||
	    load_globs(&r->boilerplate, dir, "boilerplate.txt", 0, err, errlen) == -1 ||
	    read_lines(dir, "categories.txt", &r->categories, err, errlen) == -1) {
		page_rules_free(r);
		return NULL;
	}
	qsort(r->categories.v, r->categories.n, sizeof(char *), longest_first);
	/* "also read" also opens an inline insert: "Also read: <a>...</a>". */
	for (size_t i = 0; i < r->headings.n; i++)
		if (r->headings.v[i][0] != '*')
			strlist_pushf(&r->inserts, "%s*", r->headings.v[i]);
	return r;
}

void
page_rules_free(struct page_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nagencies; i++)
		free(r->agencies[i]);
	free(r->agencies);
	free(r->generic);
	for (size_t i = 0; i < r->naliases; i++)
		free(r->aliases[i].text);
	free(r->aliases);
	strlist_free(&r->disclaimers);
	strlist_free(&r->headings);
	strlist_free(&r->inserts);
	strlist_free(&r->boilerplate);
	strlist_free(&r->categories);
	free(r);
}

/* ------------------------------------------------------------------ */
/* Matching helpers                                                    */

void
page_norm(const char *s, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int space = 0;
	size_t start = out->len, n;
	char *o;

	/* Output is never longer than the input. */
	buf_reserve(out, len + 1);
	o = out->data;
	n = out->len;
	while (p < end) {
		unsigned char c = *p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			space = 1;
			p++;
			continue;
		}
		if (space && n > start)
			o[n++] = ' ';
		space = 0;
		if (c == 0xE2 && end - p >= 3 && p[1] == 0x80 &&
		    (p[2] == 0x98 || p[2] == 0x99 || p[2] == 0x9B)) {
			o[n++] = '\'';
			p += 3;
		} else if (c == 0xE2 && end - p >= 3 && p[1] == 0x80 &&
		    (p[2] == 0x9C || p[2] == 0x9D)) {
			o[n++] = '"';
			p += 3;
		} else if (c == 0xC2 && end - p >= 2 && p[1] == 0xA0) {
			space = 1;
			p += 2;
		} else {
			o[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			p++;
		}
	}
	out->len = n;
	o[n] = '\0';
}

int
page_glob(const char *p, const char *t)
{
	const char *star = NULL, *ts = NULL;

	while (*t) {
		if (*p == '*') {
			star = p++;
			ts = t;
		} else if (*p == *t) {
			p++;
			t++;
		} else if (star != NULL) {
			p = star + 1;
			t = ++ts;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int
page_match_any(const struct strlist *list, const char *norm)
{
	for (size_t i = 0; i < list->n; i++) {
		const char *pat = list->v[i];

		/* Anchored: the first character must match (or be a '*'). */
		if (pat[0] != '*' && pat[0] != norm[0])
			continue;
		if (page_glob(pat, norm))
			return 1;
	}
	return 0;
}

int
page_disclaimer(const struct page_rules *r, const char *norm)
{
	for (size_t i = 0; i < r->disclaimers.n; i++) {
		const char *pat = r->disclaimers.v[i] + 1;    /* after the '*' */
		size_t k = strcspn(pat, "*");
		char first[128];

		/* A cheap look for the first literal piece before the glob. */
		if (k > 0 && k < sizeof(first)) {
			memcpy(first, pat, k);
			first[k] = '\0';
			if (strstr(norm, first) == NULL)
				continue;
		}
		if (page_glob(r->disclaimers.v[i], norm))
			return 1;
	}
	return 0;
}

static int
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

size_t
page_agencies_in(const struct page_rules *r, const char *s, size_t len,
    size_t *ags, size_t n, size_t max)
{
	struct { size_t pos, agency; } hits[32];
	size_t nhits = 0;
	char *lower = xstrndup(s, len);

	for (char *c = lower; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	for (size_t i = 0; i < r->naliases && nhits < ARRAY_LEN(hits); i++) {
		const struct page_alias *al = &r->aliases[i];
		const char *hay = al->exact ? s : lower, *p = hay, *end = hay + len;

		while (p < end && (p = memmem(p, (size_t)(end - p), al->text, al->len)) != NULL) {
			unsigned char before = p > hay ? (unsigned char)p[-1] : ' ';
			unsigned char after = p + al->len < end ?
			    (unsigned char)p[al->len] : ' ';
			unsigned char first = (unsigned char)al->text[0];
			unsigned char last = (unsigned char)al->text[al->len - 1];

			if (!is_word_byte(before) && !is_word_byte(after) &&
			    (before < 0x80 || first >= 0x80) &&
			    (after < 0x80 || last >= 0x80)) {
				hits[nhits].pos = (size_t)(p - hay);
				hits[nhits].agency = al->agency;
				nhits++;
				break;
			}
			p++;
		}
	}
	free(lower);
	/* In the order they appear (insertion sort: a handful of hits). */
	for (size_t i = 1; i < nhits; i++)
		for (size_t j = i; j > 0 && hits[j - 1].pos > hits[j].pos; j--) {
			size_t tp = hits[j].pos, ta = hits[j].agency;

			hits[j].pos = hits[j - 1].pos;
			hits[j].agency = hits[j - 1].agency;
			hits[j - 1].pos = tp;
			hits[j - 1].agency = ta;
		}
	for (size_t i = 0; i < nhits && n < max; i++) {
		size_t k;

		for (k = 0; k < n && ags[k] != hits[i].agency; k++)
			;
		if (k == n)
			ags[n++] = hits[i].agency;
	}
	return n;
}

size_t
page_glued_category(const struct page_rules *r, const char *text)
{
	for (size_t i = 0; i < r->categories.n; i++) {
		const char *cat = r->categories.v[i];
		size_t n = strlen(cat);
		const unsigned char *next = (const unsigned char *)text + n;
		char last;

		if (strncmp(text, cat, n) != 0)
			continue;
		last = cat[n - 1];
		if (!(last >= 'a' && last <= 'z'))
			continue;
		/*
		 * Upper case, a digit, or an opening quote or bracket before
		 * one: a new title starts ("India's" is not "India" + "'s").
		 */
		if (*next == '"' || *next == '\'' || *next == '(' || *next == '[')
			next++;
		else if (next[0] == 0xE2 && next[1] == 0x80 && (next[2] == 0x98 ||
		    next[2] == 0x9C))
			next += 3;
		if ((*next >= 'A' && *next <= 'Z') || (*next >= '0' && *next <= '9') ||
		    (next[0] == 0xE2 && next[1] == 0x82 && next[2] == 0xB9))
			return n;
	}
	return 0;
}

char *
page_field(const char *s, size_t len)
{
	if (len > PAGE_MAX_FIELD) {
		len = PAGE_MAX_FIELD;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	return xstrndup(s, len);
}

/* ------------------------------------------------------------------ */
/* Extraction                                                          */

/* Binary formats that are sometimes served as text/html. */
static int
is_binary(const unsigned char *p, size_t len, const char *http_charset)
{
	static const struct { const char *magic; size_t n; } magics[] = {
		{ "%PDF-", 5 }, { "\x89PNG", 4 }, { "GIF8", 4 }, { "\xFF\xD8\xFF", 3 },
		{ "PK\x03\x04", 4 }, { "\x1F\x8B", 2 }, { "BZh", 3 },
		{ "\xFD" "7zXZ", 5 }, { "RIFF", 4 }, { "\x7F" "ELF", 4 },
		{ "\x00\x00\x01\x00", 4 }, { "OggS", 4 }, { "ID3", 3 },
	};
	size_t n = len < 1024 ? len : 1024, ctl = 0;
	int utf16 = (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
	    (p[0] == 0xFE && p[1] == 0xFF))) ||
	    (http_charset != NULL && strncasecmp(http_charset, "utf-16", 6) == 0);

	for (size_t i = 0; i < ARRAY_LEN(magics); i++)
		if (len >= magics[i].n && memcmp(p, magics[i].magic, magics[i].n) == 0)
			return 1;
	if (utf16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == 0 || (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r' && p[i] != '\f' && p[i] != 0x1B))
			ctl++;
	/* NOTE: any NUL, or more than 2% control bytes, is not text. */
	return memchr(p, '\0', n) != NULL || ctl * 50 > n;
}

/* Nonzero when s holds at least one tag ("<x", "</x", "<!"). */
static int
has_markup(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (p + 1 < end) {
			char c = p[1];

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    c == '!' || c == '?' || (c == '/' && p + 2 < end &&
			    ((p[2] >= 'a' && p[2] <= 'z') || (p[2] >= 'A' && p[2] <= 'Z'))))
				return 1;
		}
		p++;
	}
	return 0;
}

static void
parse_ldjson(struct page_ctx *c)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < c->d.nldjson; i++) {
		buf_reset(&b);
		for (xmlNode *t = c->d.ldjson[i]->children; t != NULL; t = t->next)
			if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
			    t->content != NULL)
				buf_puts(&b, (const char *)t->content);
		if (b.len > 0)
			page_ld_parse(b.data, b.len, &c->ld);
	}
	buf_free(&b);
}

static void
silent_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/* Evaluates expr on the page; the result object, or NULL. */
static xmlXPathObject *
xpath_run(struct page_ctx *c, const char *expr)
{
	xmlXPathContext *xc;
	xmlXPathObject *res;

	if (expr == NULL || *expr == '\0' || (xc = xmlXPathNewContext(c->doc)) == NULL)
		return NULL;
	xc->error = silent_error;
	xc->opLimit = 10000000;	/* NOTE: bounds a pathological expression */
	res = xmlXPathEvalExpression((const xmlChar *)expr, xc);
	xmlXPathFreeContext(xc);
	return res;
}

size_t
page_xpath_nodes(struct page_ctx *c, const char *expr, uint32_t *nodes, size_t max)
{
	xmlXPathObject *res = xpath_run(c, expr);
	size_t n = 0;

	if (res != NULL && res->type == XPATH_NODESET && res->nodesetval != NULL)
		for (int i = 0; i < res->nodesetval->nodeNr && n < max; i++) {
			uint32_t k = pdom_index(&c->d, res->nodesetval->nodeTab[i]);

			if (k != PEL_NONE)
				nodes[n++] = k;
		}
	xmlXPathFreeObject(res);
	return n;
}

/* The text of the first node, or the string, XPath expr selects; or NULL. */
static char *
xpath_text(struct page_ctx *c, const char *expr)
{
	xmlXPathObject *res = xpath_run(c, expr);
	struct buf b;

	buf_init(&b);
	if (res != NULL && res->type == XPATH_NODESET && res->nodesetval != NULL &&
	    res->nodesetval->nodeNr > 0) {
		xmlNode *n = res->nodesetval->nodeTab[0];

		pdom_node_text(n->type == XML_ATTRIBUTE_NODE ? n->children : n, &b,
		    PAGE_MAX_FIELD);
	} else if (res != NULL && res->type == XPATH_STRING && res->stringval != NULL) {
		char *t = text_fold((const char *)res->stringval,
		    strnlen((const char *)res->stringval, PAGE_MAX_FIELD));

		buf_puts(&b, t);
		free(t);
	}
	xmlXPathFreeObject(res);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* The per-site overrides: they win over everything else found. */
static void
apply_overrides(struct page_ctx *c, struct page_article *a)
{
	const struct page_overrides *o = c->opts->overrides;
	char *s;

	if (o == NULL)
		return;
	if ((s = xpath_text(c, o->title)) != NULL) {
		free(a->title);
		a->title = s;
	}
	if ((s = xpath_text(c, o->byline)) != NULL) {
		char *clean = page_byline_clean(s, strlen(s));

		free(s);
		if (clean != NULL) {
			free(a->byline);
			a->byline = clean;
		}
	}
	if ((s = xpath_text(c, o->published)) != NULL) {
		int64_t t;

		if (date_parse(s, c->opts->default_tz, &t) == 0)
			a->published = t;
		free(s);
	}
}

int
page_extract(const char *html, size_t len, const struct page_opts *opts,
    struct page_article *out, char *err, size_t errlen)
{
	struct page_ctx c;
	struct page_text txt;
	xmlNode *root;

	memset(out, 0, sizeof(*out));
	out->published = out->updated = DATE_UNSET;
	if (opts == NULL || opts->rules == NULL) {
		snprintf(err, errlen, "no extraction rules loaded");
		return -1;
	}
	if (len == 0 || html == NULL) {
		snprintf(err, errlen, "not an HTML document (empty)");
		return -1;
	}
	if (len > PAGE_MAX_BYTES)
		len = PAGE_MAX_BYTES;
	if (is_binary((const unsigned char *)html, len, opts->http_charset)) {
		snprintf(err, errlen, "not an HTML document (binary data)");
		return -1;
	}
	page_charset_decode(html, len, opts->http_charset, &txt);
	if (!has_markup(txt.s, txt.len)) {
		page_text_free(&txt);
		snprintf(err, errlen, "not an HTML document (no markup)");
		return -1;
	}

	memset(&c, 0, sizeof(c));
	c.opts = opts;
	c.rules = opts->rules;
	c.byline_block = c.title_block = c.title_el = c.disclaimer_block = PEL_NONE;
	xmlInitParser();
	c.doc = htmlReadMemory(txt.s, (int)txt.len, opts->url, "UTF-8", PAGE_HTML_OPTIONS);
	page_text_free(&txt);
	if (c.doc == NULL || (root = xmlDocGetRootElement(c.doc)) == NULL) {
		if (c.doc != NULL)
			xmlFreeDoc(c.doc);
		snprintf(err, errlen, "not an HTML document (unparseable)");
		return -1;
	}
	pdom_build(root, &c.d);
	parse_ldjson(&c);

	/* URL first: related links resolve against it. */
	page_meta_early(&c, out);
	page_related(&c);
	page_find_body(&c);
	page_clean_body(&c, out);
	page_meta_late(&c, out);
	page_finish(&c, out);
	apply_overrides(&c, out);

	free(c.link_base);
	free(c.page_url);
	free(c.paras);
	free(c.ld_body_copy);
	page_ld_free(&c.ld);
	pdom_free(&c.d);
	xmlFreeDoc(c.doc);
	return 0;
}

void
page_article_free(struct page_article *a)
{
	if (a == NULL)
		return;
	free(a->url);
	free(a->title);
	free(a->byline);
	free(a->agency);
	free(a->dateline);
	free(a->body);
	free(a->lang);
	for (size_t i = 0; i < a->nrelated; i++) {
		free(a->related[i].url);
		free(a->related[i].title);
		free(a->related[i].category);
	}
	free(a->related);
	memset(a, 0, sizeof(*a));
	a->published = a->updated = DATE_UNSET;
}

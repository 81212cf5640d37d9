/*
 * epindex.c: an e-paper index page -> article links (see epindex.h).
 */
#include "epindex.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "log.h"
#include "pagecharset.h"
#include "text.h"
#include "url.h"
#include "util.h"

/* The article extractor's safe set (page.c); the bytes are UTF-8 already. */
#define EPINDEX_HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
	HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | \
	HTML_PARSE_IGNORE_ENC)
/* NOTE: bytes of an index page parsed; the rest is cut off, as for articles. */
#define EPINDEX_MAX_BYTES (8 * 1024 * 1024)
/* Bytes kept of a link's title. */
#define EPINDEX_TITLE_MAX 1024
/* Highest page number believed. */
#define EPINDEX_PAGE_MAX 9999

/* A small set of strings (open addressing), for links seen once. */
struct seen {
	char **slot;            /* borrowed: from x->links or from spare */
	size_t cap, n;
	struct strlist spare;   /* owns the URLs of links not kept */
};

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Adds s (borrowed); 0 when it was there already. */
static int
seen_add(struct seen *t, const char *s)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap) {
		size_t oldcap = t->cap;
		char **old = t->slot;

		t->cap = oldcap ? oldcap * 2 : 64;
		t->slot = xcalloc(t->cap, sizeof(char *));
		t->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				seen_add(t, old[i]);
		free(old);
	}
	for (i = fnv(s) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->slot[i], s) == 0)
			return 0;
	t->slot[i] = (char *)s;
	t->n++;
	return 1;
}

static void
quiet(void *ctx, const xmlError *err)
{
	(void)ctx;
	(void)err;
}

/* Folded text of node's subtree, bounded; NULL when blank. */
static char *
node_text(xmlNodePtr node)
{
	xmlChar *c = xmlNodeGetContent(node);
	char *t;
	size_t n;

	if (c == NULL)
		return NULL;
	n = strlen((char *)c);
	t = text_fold((char *)c, n > 16 * EPINDEX_TITLE_MAX ? 16 * EPINDEX_TITLE_MAX : n);
	xmlFree(c);
	if (*t == '\0') {
		free(t);
		return NULL;
	}
	if (strlen(t) > EPINDEX_TITLE_MAX) {
		size_t cut = EPINDEX_TITLE_MAX;

		while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
			cut--;
		t[cut] = '\0';
	}
	return t;
}

static char *
attr(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	char *s = v ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

/*
 * What a selected node says: the URL (malloc'd) and, where the node is
 * not the link's text itself, the text that titles it.
 */
static char *
node_ref(xmlNodePtr node, char **title)
{
	xmlChar *c;
	char *s;

	*title = NULL;
	switch (node->type) {
	case XML_ATTRIBUTE_NODE:
		c = xmlNodeGetContent(node);
		s = c ? xstrdup((const char *)c) : NULL;
		xmlFree(c);
		if (node->parent != NULL)
			*title = node_text(node->parent);
		return s;
	case XML_ELEMENT_NODE:
		if ((s = attr(node, "href")) != NULL) {
			*title = node_text(node);
			return s;
		}
		/* FALLTHROUGH */
	default:
		c = xmlNodeGetContent(node);
		s = c ? xstrdup((const char *)c) : NULL;
		xmlFree(c);
		return s;
	}
}

/* ref resolved against base: canonical, on host; else NULL (*offsite set). */
static char *
same_host_link(const char *base, const char *host, const char *ref, int *offsite)
{
	char *abs, *canon, *h;

	*offsite = 0;
	if (ref == NULL || (abs = url_resolve(base, ref)) == NULL)
		return NULL;
	canon = url_canonical(abs);
	free(abs);
	if (canon == NULL)
		return NULL;
	h = url_host(canon);
	if (h == NULL || host == NULL || strcmp(h, host) != 0) {
		*offsite = 1;
		free(canon);
		canon = NULL;
	}
	free(h);
	return canon;
}

/* The first number in s, if a plausible page number; else 0. */
static int
page_of(const char *s)
{
	long n = 0;

	while (*s && (*s < '0' || *s > '9'))
		s++;
	while (*s >= '0' && *s <= '9' && n <= EPINDEX_PAGE_MAX)
		n = n * 10 + (*s++ - '0');
	return n > 0 && n <= EPINDEX_PAGE_MAX ? (int)n : 0;
}

static int
link_page(xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr r;
	xmlChar *s;
	int page = 0;

	if (expr == NULL)
		return 0;
	if ((r = xmlXPathNodeEval(node, (const xmlChar *)expr, ctx)) == NULL)
		return 0;
	if ((s = xmlXPathCastToString(r)) != NULL) {
		page = page_of((const char *)s);
		xmlFree(s);
	}
	xmlXPathFreeObject(r);
	return page;
}

static void
add_link(struct epindex *x, const struct epindex_opts *o, struct seen *seen,
    const char *self, char *url, char *title, int page)
{
	struct epindex_link *l;

	if (strcmp(url, self) == 0 || !seen_add(seen, url)) {
		free(url);
		free(title);
		return;
	}
	/* NOTE: deliberate truncation at max_links (the edition's budget) */
	if (x->nlinks >= o->max_links) {
		x->dropped++;
		free(title);
		strlist_push(&seen->spare, url);
		return;
	}
	x->links = xreallocarray(x->links, x->nlinks + 1, sizeof(*x->links));
	l = &x->links[x->nlinks++];
	l->url = url;
	l->title = title;
	l->page = page;
}

/* The base links resolve against: <base href> if usable, else the URL. */
static char *
page_base(xmlXPathContextPtr ctx, const char *url)
{
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)"//base/@href", ctx);
	char *base = NULL;

	if (r && r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(r->nodesetval->nodeTab[0]);

		if (c != NULL)
			base = url_resolve(url, (const char *)c);
		xmlFree(c);
		if (base != NULL && !url_is_http(base)) {
			free(base);
			base = NULL;
		}
	}
	xmlXPathFreeObject(r);
	return base ? base : xstrdup(url);
}

int
epindex_parse(const char *html, size_t len, const struct epindex_opts *o,
    struct epindex *x, char *err, size_t errlen)
{
	struct page_text txt;
	struct seen seen = { 0 };
	xmlDocPtr doc;
	xmlXPathContextPtr ctx = NULL;
	xmlXPathObjectPtr r = NULL;
	char *base = NULL, *host = NULL, *self = NULL;
	int rc = -1, off;

	memset(x, 0, sizeof(*x));
	if (len == 0) {
		snprintf(err, errlen, "empty index page");
		return -1;
	}
	if (len > EPINDEX_MAX_BYTES)
		len = EPINDEX_MAX_BYTES;
	page_charset_decode(html, len, o->http_charset, &txt);
	xmlInitParser();
	doc = htmlReadMemory(txt.s, (int)txt.len, o->url, "UTF-8", EPINDEX_HTML_OPTIONS);
	page_text_free(&txt);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		snprintf(err, errlen, "not an HTML page");
		goto out;
	}
	if ((ctx = xmlXPathNewContext(doc)) == NULL)
		fatalx("xmlXPathNewContext failed");
	xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)quiet);
	base = page_base(ctx, o->url);
	host = url_host(o->url);
	self = url_canonical(o->url);
	if (self == NULL)
		self = xstrdup(o->url);
	if ((r = xmlXPathEvalExpression((const xmlChar *)o->follow, ctx)) == NULL) {
		snprintf(err, errlen, "'follow' could not be evaluated on this page");
		goto out;
	}
	if (r->type == XPATH_NODESET && r->nodesetval != NULL) {
		for (int i = 0; i < r->nodesetval->nodeNr; i++) {
			xmlNodePtr node = r->nodesetval->nodeTab[i];
			char *title, *ref = node_ref(node, &title), *url;

			url = same_host_link(base, host, ref, &off);
			free(ref);
			x->offsite += (size_t)off;
			if (url == NULL) {
				free(title);
				continue;
			}
			add_link(x, o, &seen, self, url, title,
			    x->nlinks < o->max_links ? link_page(ctx, node, o->page_number) : 0);
		}
	} else if (r->type == XPATH_STRING) {
		char *url = same_host_link(base, host, (const char *)r->stringval, &off);

		x->offsite += (size_t)off;
		if (url != NULL)
			add_link(x, o, &seen, self, url, NULL, 0);
	}
	xmlXPathFreeObject(r);
	r = NULL;
	if (o->next != NULL && (r = xmlXPathEvalExpression((const xmlChar *)o->next, ctx)) != NULL) {
		char *ref = NULL, *title = NULL;

		if (r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr > 0)
			ref = node_ref(r->nodesetval->nodeTab[0], &title);
		else if (r->type == XPATH_STRING && r->stringval && r->stringval[0])
			ref = xstrdup((const char *)r->stringval);
		free(title);
		x->next = same_host_link(base, host, ref, &off);
		free(ref);
		if (x->next != NULL && strcmp(x->next, self) == 0) {
			free(x->next);
			x->next = NULL;
		}
	}
	rc = 0;
out:
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	if (doc)
		xmlFreeDoc(doc);
	strlist_free(&seen.spare);
	free(seen.slot);
	free(base);
	free(host);
	free(self);
	if (rc < 0)
		epindex_free(x);
	return rc;
}

void
epindex_free(struct epindex *x)
{
	for (size_t i = 0; i < x->nlinks; i++) {
		free(x->links[i].url);
		free(x->links[i].title);
	}
	free(x->links);
	free(x->next);
	memset(x, 0, sizeof(*x));
}

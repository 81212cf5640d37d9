/*
 * feedxml.c: the values of feed elements, read from libxml2 nodes.
 *
 * feed.c decides which element means what; this turns one element into
 * the bounded, valid UTF-8 string (or time) that goes into a feed_item.
 */
#include "feedxml.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "dates.h"
#include "bounds.h"
#include "log.h"
#include "text.h"
#include "url.h"
#include "util.h"

/* Cuts s to at most max bytes on a UTF-8 boundary.  NULL for "". */
char *
feedxml_bound(char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return NULL;
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	if ((n = strlen(s)) > max) {
		/* NOTE: deliberate truncation at the field limit */
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		s[n] = '\0';
	}
	return s;
}

/* Appends the UTF-8 form of cp, the value of an HTML entity. */
static void
put_cp(struct buf *b, unsigned cp)
{
	if (cp == 0 || cp > 0xFFFF)
		return;         /* HTML 4 entities are all in the BMP */
	buf_put_utf8(b, cp);
}

/*
 * An entity reference left in the tree (we never substitute entities).
 * NOTE: two cases are worth reading.  An internal entity whose value is
 * plain text (no markup, no further references) is used as is: feeds
 * declare "&nbsp;" and friends that way.  An undeclared name (libxml2 only
 * lets that pass when there is an external DTD it did not load, as in RSS
 * 0.91) is looked up as an HTML entity.  External entities are never
 * loaded, nested ones never expanded: no XXE, no billion laughs.
 */
static void
put_entity_ref(struct buf *b, xmlNodePtr ref)
{
	xmlEntityPtr ent = (xmlEntityPtr)ref->children;
	const htmlEntityDesc *h;

	if (ent != NULL && ent->type == XML_ENTITY_DECL) {
		if (ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content &&
		    strpbrk((const char *)ent->content, "<&") == NULL)
			buf_puts(b, (const char *)ent->content);
		return;
	}
	if (ent == NULL && (h = htmlEntityLookup(ref->name)) != NULL)
		put_cp(b, h->value);
}

/*
 * The text of node's subtree (text, CDATA, readable entity references),
 * at most max bytes.  NOTE: deliberate truncation: input beyond the
 * limit of the field it feeds cannot reach the output anyway.
 */
char *
feedxml_text(xmlNodePtr node, size_t max)
{
	xmlNodePtr cur = node->children;
	struct buf b;

	buf_init(&b);
	while (cur != NULL && b.len < max) {
		if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
			if (cur->content != NULL)
				buf_puts(&b, (const char *)cur->content);
		} else if (cur->type == XML_ENTITY_REF_NODE)
			put_entity_ref(&b, cur);
		else if (cur->type == XML_ELEMENT_NODE && cur->children != NULL) {
			cur = cur->children;
			continue;
		}
		while (cur != NULL && cur->next == NULL) {
			cur = cur->parent;
			if (cur == node)
				cur = NULL;
		}
		if (cur != NULL)
			cur = cur->next;
	}
	if (b.len > max) {
		while (max > 0 && ((unsigned char)b.data[max] & 0xC0) == 0x80)
			max--;
		b.len = max;
		b.data[max] = '\0';
	}
	return buf_steal(&b);
}

static int
has_element_child(xmlNodePtr node)
{
	for (xmlNodePtr c = node->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return 1;
	return 0;
}

/* The children of node serialized as XML (markup inside a feed element). */
static char *
node_inner_xml(xmlNodePtr node, size_t max)
{
	xmlBufferPtr xb = xmlBufferCreate();
	char *s;

	if (xb == NULL)
		fatalx("xmlBufferCreate failed");
	for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
		if (c->type == XML_ENTITY_REF_NODE) {
			struct buf b;

			buf_init(&b);
			put_entity_ref(&b, c);
			if (b.len > 0) {
				xmlChar *esc = xmlEncodeSpecialChars(NULL, (xmlChar *)b.data);

				xmlBufferCat(xb, esc);
				xmlFree(esc);
			}
			buf_free(&b);
		} else
			xmlNodeDump(xb, node->doc, c, 0, 0);
		if ((size_t)xmlBufferLength(xb) >= max)
			break;
	}
	s = xstrndup((const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return s;
}

/*
 * The HTML an element carries: its text (escaped or CDATA HTML, the
 * normal case) or, when it has child elements (unescaped XHTML pasted
 * into a description), its inner markup.
 */
static char *
node_html(xmlNodePtr node, size_t max)
{
	return has_element_child(node) ? node_inner_xml(node, max) : feedxml_text(node, max);
}

/* The value of attribute name (no namespace), or NULL. */
char *
feedxml_attr(xmlNodePtr node, const char *name)
{
	return (char *)xmlGetNoNsProp(node, (const xmlChar *)name);
}

/* Trims ASCII whitespace in place. */
char *
feedxml_trim(char *s)
{
	size_t n;
	char *p = s;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * The base URI of node: the xml:base attributes of it and its ancestors
 * (which stack, each resolved against the one above) on top of the
 * document URL.  Malloc'd, or NULL when there is none.
 */
static char *
node_base(const struct feed_parse_opts *opts, xmlNodePtr node)
{
	xmlNodePtr chain[64];
	size_t n = 0;
	char *base;

	for (xmlNodePtr c = node; c != NULL && c->type == XML_ELEMENT_NODE; c = c->parent)
		if (xmlHasNsProp(c, (const xmlChar *)"base", XML_XML_NAMESPACE) &&
		    n < ARRAY_LEN(chain))
			chain[n++] = c;
	base = xstrdup_or_null(opts->base_url);
	while (n-- > 0) {
		xmlChar *v = xmlGetNsProp(chain[n], (const xmlChar *)"base", XML_XML_NAMESPACE);
		char *next = url_resolve(base, feedxml_trim((char *)v));

		/* a base that does not resolve is ignored, as browsers do */
		if (next != NULL) {
			free(base);
			base = next;
		}
		xmlFree(v);
	}
	return base;
}

/*
 * ref resolved against node's base.  NOTE: only http and https links are
 * kept for items and enclosures: anything else (javascript:, file:, a
 * relative link with no base) could not be fetched or safely shown.
 */
char *
feedxml_link(const struct feed_parse_opts *opts, xmlNodePtr node, const char *ref)
{
	char *base, *url;

	if (ref == NULL || *ref == '\0')
		return NULL;
	base = node_base(opts, node);
	url = url_resolve(base, ref);
	free(base);
	if (url != NULL && !url_is_http(url)) {
		free(url);
		url = NULL;
	}
	return feedxml_bound(url, LIMIT_FIELD_BYTES);
}

/* The date in node, or DATE_UNSET. */
int64_t
feedxml_date(const struct feed_parse_opts *opts, xmlNodePtr node)
{
	char *s = feedxml_trim(feedxml_text(node, 256));
	int64_t t = DATE_UNSET;

	if (*s == '\0' || date_parse(s, opts->default_tz, &t) < 0)
		t = DATE_UNSET;
	free(s);
	return t;
}

enum textkind { TX_TEXT, TX_HTML, TX_XHTML, TX_NONE };

/* How an Atom text construct or content element carries its text. */
static enum textkind
atom_kind(xmlNodePtr node)
{
	char *type = feedxml_attr(node, "type"), *mode = feedxml_attr(node, "mode");
	enum textkind k;

	if (type == NULL || strcmp(type, "text") == 0 || strcmp(type, "text/plain") == 0)
		k = TX_TEXT;
	else if (strcmp(type, "html") == 0 || strcmp(type, "text/html") == 0)
		k = TX_HTML;
	else if (strcmp(type, "xhtml") == 0 || strcmp(type, "application/xhtml+xml") == 0)
		k = TX_XHTML;
	else
		k = TX_NONE;
	/* Atom 0.3: mode="escaped" | "xml" | "base64" */
	if (mode != NULL && k != TX_NONE) {
		if (strcmp(mode, "escaped") == 0)
			k = TX_HTML;
		else if (strcmp(mode, "xml") == 0)
			k = TX_XHTML;
		else if (strcmp(mode, "base64") == 0)
			k = TX_NONE;
	}
	xmlFree(type);
	xmlFree(mode);
	return k;
}

/* The markup of an xhtml construct: the inside of its xhtml:div. */
static char *
xhtml_inner(xmlNodePtr node, size_t max)
{
	for (xmlNodePtr c = node->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "div") == 0)
			return node_inner_xml(c, max);
	return node_inner_xml(node, max);
}

/* Plain text of a title-like (oneline) or summary-like element. */
char *
feedxml_plain(xmlNodePtr node, int atom, int oneline)
{
	size_t max = oneline ? LIMIT_FIELD_BYTES : LIMIT_CONTENT_BYTES;
	enum textkind k = atom ? atom_kind(node) : TX_HTML;
	char *raw, *s;

	switch (k) {
	case TX_TEXT:
		raw = feedxml_text(node, max);
		s = text_fold(raw, strlen(raw));
		break;
	case TX_HTML:
	case TX_XHTML:
		raw = k == TX_XHTML ? xhtml_inner(node, max) : node_html(node, max);
		s = oneline ? text_line_from_html(raw, strlen(raw)) :
		    text_from_html(raw, strlen(raw));
		break;
	default:
		return NULL;
	}
	free(raw);
	return feedxml_bound(s, max);
}

/*
 * Sanitized HTML of html, at most LIMIT_CONTENT_BYTES.  Sanitizing can
 * lengthen its input (resolved URLs, escapes), and cutting HTML in the
 * middle would break it, so an input whose output is too long is cut
 * shorter and sanitized again; libxml2 closes what the cut left open.
 */
static char *
sanitize_bounded(const char *html, size_t len, const char *base)
{
	char *out = NULL;

	for (int tries = 0; tries < 4; tries++) {
		size_t olen;

		out = html_sanitize(html, len, base);
		if ((olen = strlen(out)) <= LIMIT_CONTENT_BYTES)
			return out;
		free(out);
		out = NULL;
		/* NOTE: deliberate truncation of overlong content */
		len = (size_t)((double)len * LIMIT_CONTENT_BYTES / (double)olen * 0.9);
	}
	return NULL;
}

/* Sanitized HTML of an RSS content:encoded or Atom content element. */
char *
feedxml_content(const struct feed_parse_opts *opts, xmlNodePtr node, int atom)
{
	enum textkind k = atom ? atom_kind(node) : TX_HTML;
	char *raw, *base, *out, *src;

	if (atom && (src = feedxml_attr(node, "src")) != NULL) {
		xmlFree(src);   /* out-of-line content: nothing to store */
		return NULL;
	}
	switch (k) {
	case TX_TEXT: {
		char *t = feedxml_text(node, LIMIT_CONTENT_BYTES);
		xmlChar *esc = xmlEncodeSpecialChars(NULL, (xmlChar *)t);

		raw = xstrdup((const char *)esc);
		xmlFree(esc);
		free(t);
		break;
	}
	case TX_HTML:
		raw = node_html(node, LIMIT_CONTENT_BYTES);
		break;
	case TX_XHTML:
		raw = xhtml_inner(node, LIMIT_CONTENT_BYTES);
		break;
	default:
		return NULL;
	}
	base = node_base(opts, node);
	out = sanitize_bounded(raw, strlen(raw), base);
	free(base);
	free(raw);
	return feedxml_bound(out, LIMIT_CONTENT_BYTES);
}



/*
 * sanitize.c: html_sanitize of text.h.
 *
 * Unlike text_from_html this is about safety, not speed: its output is
 * HTML that someone may render.  libxml2's HTML parser builds a real tree
 * (so the structure is what a browser would see, not what a regular
 * expression guesses) and only a whitelist of elements and attributes is
 * written back, with every text and attribute value escaped again.
 */
#include "text.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "url.h"
#include "util.h"

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static int
is_html_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

enum sanact {
	SAN_UNWRAP,     /* element dropped, children kept (the default) */
	SAN_KEEP,       /* element and its allowed attributes kept */
	SAN_DROP,       /* element and everything inside it dropped */
};

/* Attributes an element may keep, besides "title". */
#define A_HREF     0x01
#define A_SRC      0x02         /* with alt, width, height */
#define A_SPAN     0x04         /* colspan, rowspan */
#define A_CITE     0x08
#define A_START    0x10
#define F_VOID     0x100        /* no end tag */
#define F_KEEPEMPTY 0x200       /* kept even when empty */

/*
 * Sorted by name for bsearch.
 *
 * NOTE: embed, source, track, wbr and keygen are void in HTML5 but
 * containers for libxml2 2.9, which nests whatever follows them inside.
 * Such "children" are really the element's next siblings, so these void
 * elements are unwrapped (their own attributes dropped, what follows
 * kept and sanitized like everything else), not dropped.
 */
static const struct sandesc {
	const char *name;
	enum sanact act;
	unsigned flags;
} sandescs[] = {
	{ "a", SAN_KEEP, A_HREF }, { "abbr", SAN_KEEP, 0 },
	{ "applet", SAN_DROP, 0 }, { "area", SAN_UNWRAP, 0 },
	{ "audio", SAN_DROP, 0 }, { "b", SAN_KEEP, 0 },
	{ "base", SAN_UNWRAP, 0 }, { "basefont", SAN_UNWRAP, 0 },
	{ "blockquote", SAN_KEEP, A_CITE }, { "br", SAN_KEEP, F_VOID },
	{ "button", SAN_DROP, 0 }, { "canvas", SAN_DROP, 0 },
	{ "caption", SAN_KEEP, 0 }, { "cite", SAN_KEEP, 0 },
	{ "code", SAN_KEEP, 0 }, { "col", SAN_KEEP, F_VOID | A_SPAN },
	{ "colgroup", SAN_KEEP, A_SPAN }, { "datalist", SAN_DROP, 0 },
	{ "dd", SAN_KEEP, 0 }, { "del", SAN_KEEP, A_CITE },
	{ "dfn", SAN_KEEP, 0 }, { "dialog", SAN_DROP, 0 },
	{ "div", SAN_KEEP, 0 }, { "dl", SAN_KEEP, 0 }, { "dt", SAN_KEEP, 0 },
	{ "em", SAN_KEEP, 0 }, { "embed", SAN_UNWRAP, 0 },
	{ "figcaption", SAN_KEEP, 0 }, { "figure", SAN_KEEP, 0 },
	{ "form", SAN_DROP, 0 }, { "frame", SAN_DROP, 0 },
	{ "frameset", SAN_DROP, 0 }, { "h1", SAN_KEEP, 0 },
	{ "h2", SAN_KEEP, 0 }, { "h3", SAN_KEEP, 0 }, { "h4", SAN_KEEP, 0 },
	{ "h5", SAN_KEEP, 0 }, { "h6", SAN_KEEP, 0 },
	{ "head", SAN_DROP, 0 }, { "hr", SAN_KEEP, F_VOID },
	{ "i", SAN_KEEP, 0 }, { "iframe", SAN_DROP, 0 },
	{ "img", SAN_KEEP, F_VOID | A_SRC }, { "input", SAN_DROP, 0 },
	{ "ins", SAN_KEEP, A_CITE }, { "kbd", SAN_KEEP, 0 },
	{ "li", SAN_KEEP, 0 }, { "link", SAN_UNWRAP, 0 },
	{ "map", SAN_DROP, 0 }, { "mark", SAN_KEEP, 0 },
	{ "math", SAN_DROP, 0 }, { "meta", SAN_UNWRAP, 0 },
	{ "noembed", SAN_DROP, 0 }, { "noframes", SAN_DROP, 0 },
	{ "noscript", SAN_DROP, 0 }, { "object", SAN_DROP, 0 },
	{ "ol", SAN_KEEP, A_START }, { "option", SAN_DROP, 0 },
	{ "p", SAN_KEEP, 0 }, { "param", SAN_UNWRAP, 0 },
	{ "pre", SAN_KEEP, 0 }, { "q", SAN_KEEP, A_CITE },
	{ "s", SAN_KEEP, 0 }, { "samp", SAN_KEEP, 0 },
	{ "script", SAN_DROP, 0 }, { "select", SAN_DROP, 0 },
	{ "small", SAN_KEEP, 0 }, { "source", SAN_UNWRAP, 0 },
	{ "strong", SAN_KEEP, 0 }, { "style", SAN_DROP, 0 },
	{ "sub", SAN_KEEP, 0 }, { "sup", SAN_KEEP, 0 },
	{ "svg", SAN_DROP, 0 }, { "table", SAN_KEEP, 0 },
	{ "tbody", SAN_KEEP, 0 }, { "td", SAN_KEEP, A_SPAN | F_KEEPEMPTY },
	{ "template", SAN_DROP, 0 }, { "textarea", SAN_DROP, 0 },
	{ "tfoot", SAN_KEEP, 0 }, { "th", SAN_KEEP, A_SPAN | F_KEEPEMPTY },
	{ "thead", SAN_KEEP, 0 }, { "title", SAN_DROP, 0 },
	{ "tr", SAN_KEEP, 0 }, { "track", SAN_UNWRAP, 0 },
	{ "u", SAN_KEEP, 0 }, { "ul", SAN_KEEP, 0 },
	{ "var", SAN_KEEP, 0 }, { "video", SAN_DROP, 0 },
};

static int
sandesc_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct sandesc *)elem)->name);
}

static const struct sandesc *
sandesc_find(const char *name)
{
	return bsearch(name, sandescs, ARRAY_LEN(sandescs), sizeof(sandescs[0]),
	    sandesc_cmp);
}

/* Appends s escaped for text (attr = 0) or a double-quoted attribute. */
static void
put_escaped(struct buf *b, const char *s, int attr)
{
	const char *specials = attr ? "&<>\"" : "&<>";
	size_t n;

	for (;;) {
		n = strcspn(s, specials);
		buf_append(b, s, n);
		s += n;
		switch (*s) {
		case '\0': return;
		case '&': buf_append(b, "&amp;", 5); break;
		case '<': buf_append(b, "&lt;", 4); break;
		case '>': buf_append(b, "&gt;", 4); break;
		default: buf_append(b, "&quot;", 6); break;
		}
		s++;
	}
}

/*
 * The URL to write for an href/src/cite value, malloc'd, or NULL when it
 * must go.  Browsers ignore tabs and newlines anywhere in a URL and
 * leading spaces and controls, so "java\tscript:" is javascript: and is
 * checked as such.  Only http, https (and mailto for links) survive;
 * relative references are resolved against base (kept as they are when
 * there is no base: a relative URL cannot carry a script).
 */
static char *
safe_url(const char *v, const char *base, int allow_mailto)
{
	char *clean, *scheme, *res;
	size_t i, n = 0, slen;

	clean = xmalloc(strlen(v) + 1);
	while (*v != '\0' && (unsigned char)*v <= ' ')
		v++;
	for (; *v; v++)
		if (*v != '\t' && *v != '\n' && *v != '\r')
			clean[n++] = *v;
	while (n > 0 && (unsigned char)clean[n - 1] <= ' ')
		n--;
	clean[n] = '\0';
	if (n == 0) {
		free(clean);
		return NULL;
	}
	for (i = 0; i < n && (is_alnum(clean[i]) || clean[i] == '+' ||
	    clean[i] == '-' || clean[i] == '.'); i++)
		;
	if (i > 0 && i < n && clean[i] == ':' && is_alpha(clean[0]))
		res = clean;            /* absolute */
	else {
		res = base ? url_resolve(base, clean) : NULL;
		if (res == NULL)
			return clean;   /* relative, nothing to resolve against */
		free(clean);
	}
	if ((scheme = url_scheme(res)) != NULL) {
		slen = strlen(scheme);
		if ((slen == 4 && strcmp(scheme, "http") == 0) ||
		    (slen == 5 && strcmp(scheme, "https") == 0) ||
		    (allow_mailto && strcmp(scheme, "mailto") == 0)) {
			free(scheme);
			return res;
		}
		free(scheme);
	}
	free(res);
	return NULL;
}

static int
all_digits(const char *s)
{
	if (*s == '\0' || strlen(s) > 9)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/*
 * Writes the start tag of a kept element with its attributes (n name and
 * value pairs, names in lower case, in document order).  Returns -1
 * (nothing written) when the element is pointless without the attribute
 * it lacks: <a> without a safe href is unwrapped, <img> without a safe
 * src dropped.
 */
static int
put_start_tag(struct buf *b, const struct sandesc *d, const char *const *names,
    const char *const *values, size_t n, const char *base)
{
	struct strlist attrs = { 0 };
	int have_url = 0;

	for (size_t i = 0; i < n; i++) {
		const char *an = names[i], *val = values[i];
		char *url = NULL;
		int keep = 0;

		if ((d->flags & A_HREF) && strcmp(an, "href") == 0)
			keep = 2;
		else if ((d->flags & A_SRC) && strcmp(an, "src") == 0)
			keep = 3;
		else if ((d->flags & A_CITE) && strcmp(an, "cite") == 0)
			keep = 4;
		else if (strcmp(an, "title") == 0 ||
		    ((d->flags & A_SRC) && strcmp(an, "alt") == 0))
			keep = 1;
		else if (((d->flags & A_SRC) && (strcmp(an, "width") == 0 ||
		    strcmp(an, "height") == 0)) ||
		    ((d->flags & A_SPAN) && (strcmp(an, "colspan") == 0 ||
		    strcmp(an, "rowspan") == 0 || strcmp(an, "span") == 0)) ||
		    ((d->flags & A_START) && strcmp(an, "start") == 0))
			keep = 5;
		if (!keep || val == NULL)
			continue;
		if (keep >= 2 && keep <= 4) {
			if ((url = safe_url(val, base, keep == 2)) == NULL)
				continue;
			if (keep != 4)
				have_url = 1;
		} else if (keep == 5 && !all_digits(val))
			continue;
		strlist_push(&attrs, xstrdup(an));
		strlist_push(&attrs, url ? url : xstrdup(val));
	}
	if (((d->flags & A_HREF) || (d->flags & A_SRC)) && !have_url) {
		strlist_free(&attrs);
		return -1;
	}
	buf_putc(b, '<');
	buf_puts(b, d->name);
	for (size_t i = 0; i + 1 < attrs.n; i += 2) {
		buf_putc(b, ' ');
		buf_puts(b, attrs.v[i]);
		buf_puts(b, "=\"");
		put_escaped(b, attrs.v[i + 1], 1);
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
	strlist_free(&attrs);
	return 0;
}

/* Nonzero for the attribute names put_start_tag may keep. */
static int
maybe_kept_attr(const char *name)
{
	static const char *const kept[] = { "href", "src", "cite", "title", "alt",
	    "width", "height", "colspan", "rowspan", "span", "start" };

	for (size_t i = 0; i < ARRAY_LEN(kept); i++)
		if (strcmp(name, kept[i]) == 0)
			return 1;
	return 0;
}

/* put_start_tag for a libxml2 element node. */
static int
put_node_start_tag(struct buf *b, xmlNodePtr node, const struct sandesc *d,
    const char *base)
{
	const char *names[16];
	char *values[16];
	size_t n = 0;
	int r;

	/* NOTE: only the first 16 attributes we might keep are looked at */
	for (xmlAttrPtr a = node->properties; a != NULL && n < 16; a = a->next) {
		if (a->ns != NULL || !maybe_kept_attr((const char *)a->name))
			continue;
		names[n] = (const char *)a->name;
		values[n++] = (char *)xmlNodeGetContent((xmlNodePtr)a);
	}
	r = put_start_tag(b, d, names, (const char *const *)values, n, base);
	for (size_t i = 0; i < n; i++)
		xmlFree(values[i]);
	return r;
}

/* One open kept element on the serializer's stack. */
struct openel {
	const struct sandesc *d;        /* NULL: unwrapped */
	size_t tagpos;                  /* where its start tag begins */
	size_t bodypos;                 /* where its content begins */
};

/* Nonzero when s has a character other than ASCII whitespace. */
static int
has_visible(const char *s)
{
	for (; *s; s++)
		if (!is_html_space((unsigned char)*s))
			return 1;
	return 0;
}

/*
 * Writes the whitelisted form of the tree under root.  Iterative, so a
 * deep tree cannot exhaust the stack (libxml2 caps HTML depth at 256
 * anyway).  Kept elements that end up empty (only whitespace inside) are
 * removed again: vis is the output length after the last visible text or
 * void element, so an element is empty when vis did not pass its start.
 */
static void
serialize(struct buf *b, xmlNodePtr root, const char *base)
{
	struct openel *stack = NULL;
	size_t depth = 0, cap = 0, vis = 0;
	xmlNodePtr node = root->children;

	while (node != NULL) {
		int descend = 0;

		if (node->type == XML_ELEMENT_NODE) {
			const struct sandesc *d = sandesc_find((const char *)node->name);
			struct openel el = { NULL, b->len, b->len };

			if (d != NULL && d->act == SAN_DROP)
				goto next;
			if (d != NULL && d->act == SAN_KEEP) {
				if (put_node_start_tag(b, node, d, base) < 0) {
					if (d->flags & A_SRC)
						goto next;
					d = NULL;       /* <a> without href */
				}
			} else
				d = NULL;
			if (d != NULL && (d->flags & F_VOID)) {
				vis = b->len;
				goto next;
			}
			el.d = d;
			el.bodypos = b->len;
			if (node->children == NULL) {
				if (d != NULL && !(d->flags & F_KEEPEMPTY))
					b->len = el.tagpos;
				else if (d != NULL)
					buf_printf(b, "</%s>", d->name);
				/*
				 * NOTE: nothing may have been written yet (an
				 * empty, unknown first element): data is NULL.
				 */
				if (b->data != NULL)
					b->data[b->len] = '\0';
				goto next;
			}
			if (depth == cap) {
				cap = cap ? cap * 2 : 32;
				stack = xreallocarray(stack, cap, sizeof(*stack));
			}
			stack[depth++] = el;
			descend = 1;
		} else if (node->type == XML_TEXT_NODE ||
		    node->type == XML_CDATA_SECTION_NODE) {
			const char *t = (const char *)node->content;

			/*
			 * Whitespace-only text after whitespace is dropped, so
			 * the blank lines around removed elements do not pile up.
			 */
			if (t != NULL && has_visible(t)) {
				put_escaped(b, t, 0);
				vis = b->len;
			} else if (t != NULL && b->len > 0 &&
			    !is_html_space((unsigned char)b->data[b->len - 1]))
				put_escaped(b, t, 0);
		}
next:
		if (descend) {
			node = node->children;
			continue;
		}
		/* climb until a node has a next sibling, closing elements */
		while (node != NULL && node->next == NULL) {
			node = node->parent;
			if (node == root || node == NULL || depth == 0) {
				node = NULL;
				break;
			}
			depth--;
			if (stack[depth].d == NULL)
				continue;
			if (vis <= stack[depth].bodypos &&
			    !(stack[depth].d->flags & F_KEEPEMPTY)) {
				b->len = stack[depth].tagpos;
				b->data[b->len] = '\0';
			} else
				buf_printf(b, "</%s>", stack[depth].d->name);
		}
		if (node != NULL)
			node = node->next;
	}
	free(stack);
}

/* ------------------------------------------------------------------ */
/* Fast path                                                           */

/*
 * Most feed HTML is simple: paragraphs, links, emphasis, a figure, a
 * list, properly nested and closed.  For such a fragment the tree libxml2
 * would build is the one the tags spell, so it is written directly, in
 * one pass and with exactly the output of the libxml2 path (the tests
 * hold both to the same expectations).  Anything else, or anything this
 * is not sure of (comments, unknown or misnested tags, unusual entities,
 * tables, pre), returns -1 and goes through libxml2.  libxml2's HTML
 * parser costs about as much as all the rest of feed parsing together.
 */

enum fastcat {
	FC_INLINE,      /* phrasing content, contains phrasing only */
	FC_VOID,        /* br, img */
	FC_PHRASE,      /* block that contains phrasing only (p, h1..) */
	FC_FLOW,        /* block that contains blocks (div, li, ...) */
	FC_LIST,        /* ul, ol: li only */
	FC_LI,
	FC_HR,
};

/* Sorted by name for bsearch. */
static const struct fastdesc {
	const char *name;
	enum fastcat cat;
} fastdescs[] = {
	{ "a", FC_INLINE }, { "abbr", FC_INLINE }, { "b", FC_INLINE },
	{ "blockquote", FC_FLOW }, { "br", FC_VOID },
	{ "cite", FC_INLINE }, { "code", FC_INLINE },
	{ "div", FC_FLOW }, { "em", FC_INLINE },
	{ "figcaption", FC_PHRASE }, { "figure", FC_FLOW },
	{ "h1", FC_PHRASE }, { "h2", FC_PHRASE }, { "h3", FC_PHRASE },
	{ "h4", FC_PHRASE }, { "h5", FC_PHRASE }, { "h6", FC_PHRASE },
	{ "hr", FC_HR }, { "i", FC_INLINE }, { "img", FC_VOID },
	{ "li", FC_LI }, { "mark", FC_INLINE }, { "ol", FC_LIST },
	{ "p", FC_PHRASE }, { "q", FC_INLINE }, { "s", FC_INLINE },
	{ "small", FC_INLINE }, { "span", FC_INLINE },
	{ "strong", FC_INLINE }, { "sub", FC_INLINE },
	{ "sup", FC_INLINE }, { "u", FC_INLINE }, { "ul", FC_LIST },
};

static int
fastdesc_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct fastdesc *)elem)->name);
}

/* Nonzero when an element of category child may be directly in parent. */
static int
fast_allowed(int parent, enum fastcat child)
{
	switch (parent) {
	case FC_INLINE:
	case FC_PHRASE:
		return child == FC_INLINE || child == FC_VOID;
	case FC_LIST:
		return child == FC_LI;
	default:        /* body, flow, li */
		return child != FC_LI;
	}
}

/*
 * Decodes the reference at s[0] == '&' as libxml2 would, into b.
 * Returns its length, or 0 when it is one this path does not take
 * (no ';', unknown name, a value libxml2 treats specially).
 */
static size_t
fast_ref(const char *s, size_t len, struct buf *b)
{
	size_t j = 1;
	unsigned long v = 0;
	char name[33];

	if (j < len && s[j] == '#') {
		int hex = ++j < len && (s[j] == 'x' || s[j] == 'X');
		size_t start = j += hex;

		for (; j < len && j - start < 7; j++) {
			int d = hex ? (s[j] >= '0' && s[j] <= '9' ? s[j] - '0' :
			    s[j] >= 'a' && s[j] <= 'f' ? s[j] - 'a' + 10 :
			    s[j] >= 'A' && s[j] <= 'F' ? s[j] - 'A' + 10 : -1) :
			    (s[j] >= '0' && s[j] <= '9' ? s[j] - '0' : -1);

			if (d < 0)
				break;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (j == start || j >= len || s[j] != ';' || v < 0x20 ||
		    (v >= 0x7F && v <= 0x9F) || (v >= 0xD800 && v <= 0xDFFF) ||
		    v == 0xFFFE || v == 0xFFFF || v > 0x10FFFF)
			return 0;
	} else {
		const htmlEntityDesc *e;

		while (j < len && j < sizeof(name) && is_alnum((unsigned char)s[j]))
			j++;
		if (j == 1 || j >= len || s[j] != ';')
			return 0;
		memcpy(name, s + 1, j - 1);
		name[j - 1] = '\0';
		/* the commonest first: htmlEntityLookup is a linear scan */
		if (strcmp(name, "amp") == 0)
			v = '&';
		else if (strcmp(name, "nbsp") == 0)
			v = 0xA0;
		else if (strcmp(name, "rsquo") == 0)
			v = 0x2019;
		else if ((e = htmlEntityLookup((const xmlChar *)name)) == NULL)
			return 0;
		else
			v = e->value;
	}
	buf_put_utf8(b, v);
	return j + 1;
}

/* s[0..len) with its references decoded into b (reset first); -1 if unsure. */
static int
fast_decode(const char *s, size_t len, struct buf *b)
{
	size_t i = 0, run, n;

	buf_reset(b);
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);

		run = amp ? (size_t)(amp - s) : len;
		buf_append(b, s + i, run - i);
		if ((i = run) >= len)
			break;
		if ((n = fast_ref(s + i, len - i, b)) == 0)
			return -1;
		i += n;
	}
	if (b->data == NULL)
		buf_append(b, "", 0);
	return 0;
}

/* One open element of the fast path. */
struct fastel {
	const struct fastdesc *fd;
	const struct sandesc *d;        /* kept as, or NULL when unwrapped */
	size_t tagpos, bodypos;
};

#define FAST_DEPTH 32
#define FAST_ATTRS 16

/* Reads a tag or attribute name, lower-cased, into name. */
static size_t
fast_name(const char *s, size_t len, size_t i, char *name, size_t size)
{
	size_t n = 0;

	while (i < len && (is_alnum((unsigned char)s[i]) || s[i] == '-' ||
	    s[i] == '_' || s[i] == ':' || s[i] == '.')) {
		if (n + 1 >= size)
			return 0;
		name[n++] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
		i++;
	}
	name[n] = '\0';
	return n ? i : 0;
}

/*
 * Parses the attributes of a start tag from s[i] to its '>'.  Returns the
 * index after the tag, or 0 when this path does not take the tag.
 */
static size_t
fast_attrs(const char *s, size_t len, size_t i, char names[][32],
    struct buf *values, size_t *nattrs)
{
	size_t n = 0, j, start;
	char q;

	for (;;) {
		while (i < len && is_html_space((unsigned char)s[i]))
			i++;
		if (i >= len)
			return 0;
		if (s[i] == '>')
			break;
		if (s[i] == '/' && i + 1 < len && s[i + 1] == '>') {
			i++;
			break;
		}
		if ((j = fast_name(s, len, i, names[n], sizeof(names[n]))) == 0 ||
		    !is_alpha((unsigned char)s[i]))
			return 0;
		i = j;
		while (i < len && is_html_space((unsigned char)s[i]))
			i++;
		if (i >= len || s[i] != '=') {
			if (maybe_kept_attr(names[n]))
				return 0;
			continue;
		}
		i++;
		while (i < len && is_html_space((unsigned char)s[i]))
			i++;
		if (i < len && (s[i] == '"' || s[i] == '\'')) {
			q = s[i];
			start = ++i;
			while (i < len && s[i] != q)
				i++;
			if (i >= len)
				return 0;
			j = i++;
		} else {
			start = i;
			while (i < len && !is_html_space((unsigned char)s[i]) && s[i] != '>') {
				if (strchr("\"'<=`", s[i]))
					return 0;
				i++;
			}
			j = i;
		}
		if (!maybe_kept_attr(names[n]))
			continue;
		for (size_t k = 0; k < n; k++)
			if (strcmp(names[k], names[n]) == 0)
				return 0;
		if (n == FAST_ATTRS || fast_decode(s + start, j - start, &values[n]) < 0)
			return 0;
		n++;
	}
	*nattrs = n;
	return i + 1;
}

/* Closes the top element of the fast path's stack like serialize(). */
static void
fast_close(struct buf *b, struct fastel *el, size_t vis)
{
	if (el->d == NULL)
		return;
	if (vis <= el->bodypos) {
		b->len = el->tagpos;
		b->data[b->len] = '\0';
	} else
		buf_printf(b, "</%s>", el->d->name);
}

static int
fast_sanitize(struct buf *b, const char *s, size_t len, const char *base)
{
	struct fastel stack[FAST_DEPTH], *top;
	struct fastel body = { 0 };
	struct buf values[FAST_ATTRS], text;
	char names[FAST_ATTRS][32], name[32];
	size_t depth = 0, vis = 0, i = 0, j, nattrs;
	int rc = -1, in_a = 0;

	for (size_t k = 0; k < FAST_ATTRS; k++)
		buf_init(&values[k]);
	buf_init(&text);
	while (i < len && is_html_space((unsigned char)s[i]))
		i++;
	if (i + 1 >= len || s[i] != '<' || !is_alpha((unsigned char)s[i + 1]))
		goto out;
	while (i < len) {
		top = depth ? &stack[depth - 1] : &body;
		if (s[i] != '<') {
			const char *lt = memchr(s + i, '<', len - i);
			int blank = 1;

			j = lt ? (size_t)(lt - s) : len;
			for (size_t k = i; k < j && blank; k++)
				blank = is_html_space((unsigned char)s[k]);
			if (blank) {
				/*
				 * libxml2 keeps blank text (keepBlanks) once inside
				 * an element; the serializer drops it after other
				 * whitespace.
				 */
				if (b->len > 0 && !is_html_space((unsigned char)b->data[b->len - 1]))
					buf_append(b, s + i, j - i);
			} else {
				if ((depth > 0 && top->fd->cat == FC_LIST) ||
				    fast_decode(s + i, j - i, &text) < 0)
					goto out;
				put_escaped(b, text.data, 0);
				vis = b->len;
			}
			i = j;
			continue;
		}
		if (i + 1 < len && s[i + 1] == '/') {
			j = fast_name(s, len, i + 2, name, sizeof(name));
			while (j > 0 && j < len && is_html_space((unsigned char)s[j]))
				j++;
			if (j == 0 || j >= len || s[j] != '>' || depth == 0 ||
			    strcmp(name, top->fd->name) != 0)
				goto out;
			fast_close(b, top, vis);
			if (strcmp(name, "a") == 0)
				in_a--;
			depth--;
			i = j + 1;
			continue;
		}
		{
			const struct fastdesc *fd;
			const struct sandesc *d;
			const char *vp[FAST_ATTRS];
			const char *np[FAST_ATTRS];
			size_t tagpos = b->len;

			if ((j = fast_name(s, len, i + 1, name, sizeof(name))) == 0 ||
			    !is_alpha((unsigned char)s[i + 1]) ||
			    (fd = bsearch(name, fastdescs, ARRAY_LEN(fastdescs),
			    sizeof(fastdescs[0]), fastdesc_cmp)) == NULL ||
			    !fast_allowed(depth ? (int)top->fd->cat : FC_FLOW, fd->cat) ||
			    (fd->name[0] == 'a' && fd->name[1] == '\0' && in_a) ||
			    depth == FAST_DEPTH)
				goto out;
			if (j < len && s[j] == '/' && fd->cat == FC_VOID && j + 1 < len &&
			    s[j + 1] == '>') {
				nattrs = 0;
				j += 2;
			} else if ((j = fast_attrs(s, len, j, names, values, &nattrs)) == 0 ||
			    (s[j - 2] == '/' && fd->cat != FC_VOID && fd->cat != FC_HR))
				goto out;
			for (size_t k = 0; k < nattrs; k++) {
				np[k] = names[k];
				vp[k] = values[k].data;
			}
			i = j;
			d = sandesc_find(fd->name);
			if (d != NULL && d->act != SAN_KEEP)
				d = NULL;
			if (d != NULL && put_start_tag(b, d, np, vp, nattrs, base) < 0)
				d = NULL;       /* <img> dropped, <a> unwrapped */
			if (fd->cat == FC_VOID || fd->cat == FC_HR) {
				if (b->len > tagpos)
					vis = b->len;
				continue;
			}
			stack[depth++] = (struct fastel){ fd, d, tagpos, b->len };
			if (strcmp(fd->name, "a") == 0)
				in_a++;
		}
	}
	if (depth == 0)
		rc = 0;
out:
	for (size_t k = 0; k < FAST_ATTRS; k++)
		buf_free(&values[k]);
	buf_free(&text);
	return rc;
}

/* Nonzero when s needs clean_for_parser's changes at all. */
static int
needs_cleaning(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint64_t ctl = 0x2020202020202020ULL, high = 0x8080808080808080ULL;
	size_t i = 0;

	while (i < len) {
		uint64_t w;

		/* eight bytes at a time while none is below 0x20 */
		if (len - i >= 8) {
			memcpy(&w, p + i, 8);
			if (((w - ctl) & ~w & high) == 0) {
				i += 8;
				continue;
			}
		}
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n'))
			return 1;
		i++;
	}
	if (memchr(s, 0x7F, len) != NULL || memmem(s, len, "<![CDATA[", 9) != NULL)
		return 1;
	return !utf8_valid(s, len);
}

/*
 * A copy of s fit for libxml2: valid UTF-8, no NUL or C0 controls but
 * tab and newline, CR and CRLF as newline.
 *
 * NOTE: CDATA markers are removed too.  They reach here when a feed wraps
 * its HTML in CDATA twice; what they enclose is that HTML (text.c reads it
 * the same way), while libxml2 would show the markers as text.
 */
static char *
clean_for_parser(const char *s, size_t len, size_t *outlen)
{
	char *fixed = utf8_valid(s, len) ? NULL : utf8_repair(s, len);
	const char *src = fixed ? fixed : s;
	size_t n = fixed ? strlen(fixed) : len, o = 0;
	char *out = xmalloc(n + 1);
	int cdata = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '<' && n - i >= 9 && memcmp(src + i, "<![CDATA[", 9) == 0) {
			cdata = 1;
			i += 8;
			continue;
		}
		if (cdata && c == ']' && n - i >= 3 && memcmp(src + i, "]]>", 3) == 0) {
			cdata = 0;
			i += 2;
			continue;
		}
		if (c == '\r') {
			if (i + 1 < n && src[i + 1] == '\n')
				continue;
			c = '\n';
		} else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
			continue;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	free(fixed);
	*outlen = o;
	return out;
}

char *
html_sanitize(const char *html, size_t len, const char *base_url)
{
	struct buf b;
	htmlDocPtr doc;
	xmlNodePtr root;
	size_t n, start, end;
	char *in;

	buf_init(&b);
	if (needs_cleaning(html, len))
		in = clean_for_parser(html, len, &n);
	else {
		in = NULL;
		n = len;
		if (n < INT_MAX && fast_sanitize(&b, html, len, base_url) == 0)
			goto done;
		buf_reset(&b);
	}
	if (n > INT_MAX)
		n = INT_MAX;    /* NOTE: libxml2 takes an int; callers bound far lower */
	/*
	 * NOTE: HTML_PARSE_NOIMPLIED is not used: in libxml2 2.9 it nests a
	 * fragment's blocks inside one another and lets a stray <title> or
	 * <meta> swallow the rest.  With the implied <html><body> the
	 * fragment parses as a browser would and only body is written out.
	 */
	doc = n == 0 ? NULL : htmlReadMemory(in ? in : html, (int)n, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC);
	free(in);
	if (doc != NULL && (root = xmlDocGetRootElement(doc)) != NULL) {
		xmlNodePtr body = NULL;

		for (xmlNodePtr c = root->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)c->name, "body") == 0)
				body = c;
		serialize(&b, body ? body : root, base_url);
	}
	xmlFreeDoc(doc);
done:
	if (b.data == NULL)
		return xstrdup("");
	for (start = 0; start < b.len && is_html_space((unsigned char)b.data[start]); start++)
		;
	for (end = b.len; end > start && is_html_space((unsigned char)b.data[end - 1]); end--)
		;
	memmove(b.data, b.data + start, end - start);
	b.data[end - start] = '\0';
	return buf_steal(&b);
}

/*
 * pagedom.c: the one walk over a parsed page (see pagedom.h).
 *
 * The walk is iterative (parent/next pointers, no recursion, no stack):
 * entering an element pushes it on the element array, leaving it adds its
 * text counts to its parent's, so every per-element total is computed in
 * the same single pass.
 */
#include "pagedom.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* How a tag behaves for text and for scoring. */
#define K_INLINE 0x01   /* text flows through it */
#define K_HARD   0x02   /* never text: not descended */
#define K_SOFT   0x04   /* junk by tag: nav, aside, footer, figure, ... */
#define K_PLIKE  0x08   /* its text's container is its parent (p, li, h2) */
#define K_BREAK  0x10   /* ends a block, owns none (br, hr) */

struct tagdesc {
	const char *name;
	uint8_t tag;
	uint8_t kind;
};

/* Sorted by name (strcmp order) for bsearch. */
static const struct tagdesc tags[] = {
	{ "a", T_A, K_INLINE },
	{ "abbr", T_INLINE, K_INLINE },
	{ "acronym", T_INLINE, K_INLINE },
	{ "amp-ad", T_HARD, K_HARD },
	{ "amp-analytics", T_HARD, K_HARD },
	{ "amp-consent", T_HARD, K_HARD },
	{ "amp-embed", T_HARD, K_HARD },
	{ "amp-iframe", T_HARD, K_HARD },
	{ "amp-img", T_IMG, K_INLINE },
	{ "amp-pixel", T_HARD, K_HARD },
	{ "amp-sidebar", T_OTHER, K_SOFT },
	{ "amp-social-share", T_HARD, K_HARD },
	{ "amp-sticky-ad", T_HARD, K_HARD },
	{ "applet", T_HARD, K_HARD },
	{ "article", T_ARTICLE, 0 },
	{ "aside", T_ASIDE, K_SOFT },
	{ "audio", T_HARD, K_HARD },
	{ "b", T_INLINE, K_INLINE },
	{ "base", T_BASE, 0 },
	{ "bdi", T_INLINE, K_INLINE },
	{ "bdo", T_INLINE, K_INLINE },
	{ "big", T_INLINE, K_INLINE },
	{ "blockquote", T_BLOCKQUOTE, K_PLIKE },
	{ "body", T_BODY, 0 },
	{ "br", T_BR, K_BREAK },
	{ "button", T_HARD, K_HARD },
	{ "canvas", T_HARD, K_HARD },
	{ "caption", T_OTHER, K_PLIKE },
	{ "cite", T_INLINE, K_INLINE },
	{ "code", T_INLINE, K_INLINE },
	{ "datalist", T_HARD, K_HARD },
	{ "dd", T_DD, K_PLIKE },
	{ "del", T_INLINE, K_INLINE },
	{ "dfn", T_INLINE, K_INLINE },
	{ "dialog", T_OTHER, K_SOFT },
	{ "div", T_DIV, 0 },
	{ "dt", T_DT, K_PLIKE },
	{ "em", T_INLINE, K_INLINE },
	{ "embed", T_HARD, K_HARD },
	{ "figcaption", T_FIGCAPTION, K_SOFT | K_PLIKE },
	{ "figure", T_FIGURE, K_SOFT },
	{ "font", T_INLINE, K_INLINE },
	{ "footer", T_FOOTER, K_SOFT },
	{ "form", T_FORM, 0 },
	{ "frame", T_HARD, K_HARD },
	{ "frameset", T_HARD, K_HARD },
	{ "h1", T_H1, K_PLIKE },
	{ "h2", T_H2, K_PLIKE },
	{ "h3", T_H3, K_PLIKE },
	{ "h4", T_H4, K_PLIKE },
	{ "h5", T_H5, K_PLIKE },
	{ "h6", T_H6, K_PLIKE },
	{ "head", T_HEAD, 0 },
	{ "header", T_HEADER, K_SOFT },
	{ "hr", T_HR, K_BREAK },
	{ "html", T_HTML, 0 },
	{ "i", T_INLINE, K_INLINE },
	{ "iframe", T_HARD, K_HARD },
	{ "img", T_IMG, K_INLINE },
	{ "input", T_HARD, K_HARD },
	{ "ins", T_INLINE, K_INLINE },
	{ "kbd", T_INLINE, K_INLINE },
	{ "label", T_INLINE, K_INLINE },
	{ "li", T_LI, K_PLIKE },
	{ "link", T_LINK, 0 },
	{ "main", T_MAIN, 0 },
	{ "map", T_HARD, K_HARD },
	{ "mark", T_INLINE, K_INLINE },
	{ "math", T_HARD, K_HARD },
	{ "menu", T_OTHER, K_SOFT },
	{ "meta", T_META, 0 },
	{ "nav", T_NAV, K_SOFT },
	{ "nobr", T_INLINE, K_INLINE },
	{ "noembed", T_HARD, K_HARD },
	{ "noframes", T_HARD, K_HARD },
	{ "noscript", T_HARD, K_HARD },
	{ "object", T_HARD, K_HARD },
	{ "ol", T_OL, 0 },
	{ "optgroup", T_HARD, K_HARD },
	{ "option", T_HARD, K_HARD },
	{ "p", T_P, K_PLIKE },
	{ "param", T_HARD, K_HARD },
	{ "picture", T_INLINE, K_INLINE },
	{ "pre", T_PRE, K_PLIKE },
	{ "q", T_INLINE, K_INLINE },
	{ "rp", T_INLINE, K_INLINE },
	{ "rt", T_INLINE, K_INLINE },
	{ "ruby", T_INLINE, K_INLINE },
	{ "s", T_INLINE, K_INLINE },
	{ "samp", T_INLINE, K_INLINE },
	{ "script", T_SCRIPT, K_HARD },
	{ "section", T_SECTION, 0 },
	{ "select", T_HARD, K_HARD },
	{ "small", T_INLINE, K_INLINE },
	{ "source", T_HARD, K_HARD },
	{ "span", T_SPAN, K_INLINE },
	{ "strike", T_INLINE, K_INLINE },
	{ "strong", T_INLINE, K_INLINE },
	{ "style", T_HARD, K_HARD },
	{ "sub", T_INLINE, K_INLINE },
	{ "sup", T_INLINE, K_INLINE },
	{ "svg", T_HARD, K_HARD },
	{ "table", T_TABLE, 0 },
	{ "td", T_TD, 0 },
	{ "template", T_HARD, K_HARD },
	{ "textarea", T_HARD, K_HARD },
	{ "th", T_TH, K_PLIKE },
	{ "time", T_TIME, K_INLINE },
	{ "title", T_TITLE, K_HARD },
	{ "tr", T_TR, 0 },
	{ "track", T_HARD, K_HARD },
	{ "tt", T_INLINE, K_INLINE },
	{ "u", T_INLINE, K_INLINE },
	{ "ul", T_UL, 0 },
	{ "var", T_INLINE, K_INLINE },
	{ "video", T_HARD, K_HARD },
	{ "wbr", T_INLINE, K_INLINE },
};

/*
 * Class and id words.  A class is split into words at every character
 * that is not a letter or digit and at lower-to-upper case changes
 * ("articleBody", "story__content", "share-bar"), then each word is
 * looked up.  NOTE: whole words, not substrings as Readability does, so
 * "shadow" is not "ad" and "header" is not "head"; the few stems that
 * come with suffixes ("comments", "commentlist", "sharing") are in the
 * prefix table.
 */
struct cword {
	const char *w;
	uint16_t flags;
};

#define J C_JUNK
/* Sorted by word (strcmp order) for bsearch. */
static const struct cword cwords[] = {
	{ "ad", J }, { "ads", J }, { "adv", J }, { "also", J | C_RELATED },
	{ "alsoread", J | C_RELATED }, { "app", J }, { "article", C_POSITIVE },
	{ "articlebody", C_POSITIVE }, { "aside", J | C_NAVISH },
	{ "author", J | C_BYLINE }, { "banner", J }, { "blog", C_POSITIVE },
	{ "body", C_POSITIVE }, { "byline", J | C_BYLINE }, { "caption", J },
	{ "cat", C_CATEGORY }, { "category", C_CATEGORY },
	{ "catname", C_CATEGORY }, { "content", C_POSITIVE }, { "copyright", J },
	{ "credit", J }, { "credits", J }, { "date", J | C_DATE },
	{ "dateline", J | C_DATELINE }, { "dek", J },
	{ "disclaimer", J | C_DISCLAIMER }, { "email", J }, { "entry", C_POSITIVE },
	{ "excerpt", J }, { "eyebrow", C_CATEGORY }, { "follow", J },
	{ "foot", J | C_NAVISH }, { "gallery", J }, { "header", J },
	{ "heading", C_TITLE }, { "headline", C_TITLE }, { "hed", C_TITLE },
	{ "hentry", C_POSITIVE }, { "hidden", J }, { "kicker", J | C_CATEGORY },
	{ "label", C_CATEGORY }, { "location", C_DATELINE }, { "logo", J },
	{ "main", C_POSITIVE }, { "masthead", J | C_NAVISH },
	{ "menu", J | C_NAVISH }, { "meta", J },
	{ "modified", J | C_DATE | C_UPDATED }, { "nav", J | C_NAVISH },
	{ "navigation", J | C_NAVISH }, { "pager", J }, { "pagination", J },
	{ "player", J }, { "popular", J }, { "post", C_POSITIVE },
	{ "posted", J | C_DATE | C_PUBLISHED }, { "print", J },
	{ "prose", C_POSITIVE }, { "pubdate", J | C_DATE | C_PUBLISHED },
	{ "published", J | C_DATE | C_PUBLISHED }, { "reporter", J | C_BYLINE },
	{ "rubric", C_CATEGORY }, { "search", J }, { "section", C_CATEGORY },
	{ "standfirst", J }, { "story", C_POSITIVE }, { "storybody", C_POSITIVE },
	{ "summary", J }, { "synopsis", J }, { "tag", J | C_CATEGORY },
	{ "tags", J }, { "teaser", J }, { "text", C_POSITIVE },
	{ "time", J | C_DATE }, { "timestamp", J | C_DATE }, { "title", C_TITLE },
	{ "toolbar", J }, { "tools", J }, { "topic", C_CATEGORY },
	{ "trending", J }, { "updated", J | C_DATE | C_UPDATED }, { "video", J },
	{ "writer", J | C_BYLINE },
};

/* Words that also match with any suffix ("comments", "sharing"). */
static const struct cword cprefixes[] = {
	{ "adsby", J }, { "advert", J }, { "breadcrumb", J | C_NAVISH },
	{ "comment", J | C_COMMENT }, { "consent", J }, { "cookie", J },
	{ "disqus", J | C_COMMENT }, { "footer", J | C_NAVISH }, { "gdpr", J },
	{ "modal", J }, { "navbar", J | C_NAVISH }, { "newsletter", J },
	{ "outbrain", J }, { "paywall", J }, { "popup", J }, { "promo", J },
	{ "realted", J | C_RELATED }, { "related", J | C_RELATED }, { "share", J },
	{ "sidebar", J | C_NAVISH }, { "signup", J }, { "social", J },
	{ "sponsor", J }, { "subscri", J }, { "taboola", J }, { "widget", J },
};
#undef J

struct walk {
	struct pdom *d;
	uint32_t open;          /* innermost open element */
	uint32_t owner;         /* owner of the block being built */
	int in_link;
	int in_head;
	size_t nodes;
	size_t boff;            /* where the block being built begins */
	uint32_t bchars, blinks, bcommas;
	int space;              /* whitespace pending */
};

static int
tagdesc_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tagdesc *)elem)->name);
}

static const struct tagdesc *
tag_lookup(const xmlChar *name)
{
	static const struct tagdesc other = { "", T_OTHER, 0 };
	const struct tagdesc *t;

	if (name == NULL)
		return &other;
	t = bsearch(name, tags, ARRAY_LEN(tags), sizeof(tags[0]), tagdesc_cmp);
	return t ? t : &other;
}

int
pdom_is_heading(int tag)
{
	return tag >= T_H1 && tag <= T_H6;
}

const char *
pdom_attr(const xmlNode *node, const char *name)
{
	for (const xmlAttr *a = node->properties; a != NULL; a = a->next) {
		if (a->name != NULL && strcasecmp((const char *)a->name, name) == 0) {
			if (a->children != NULL && a->children->content != NULL)
				return (const char *)a->children->content;
			return "";
		}
	}
	return NULL;
}

uint32_t
pdom_index(const struct pdom *d, const xmlNode *node)
{
	uintptr_t v;

	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return PEL_NONE;
	v = (uintptr_t)node->_private;
	if (v == 0 || v > d->nel || d->el[v - 1].node != node)
		return PEL_NONE;
	return (uint32_t)(v - 1);
}

static int
cword_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cword *)elem)->w);
}

/* Flags of one lower-case word. */
static uint16_t
word_flags(const char *w, size_t n)
{
	const struct cword *c;

	c = bsearch(w, cwords, ARRAY_LEN(cwords), sizeof(cwords[0]), cword_cmp);
	if (c != NULL)
		return c->flags;
	for (size_t i = 0; i < ARRAY_LEN(cprefixes); i++) {
		size_t pl;

		/* Sorted: past the first letter, nothing more can match. */
		if (cprefixes[i].w[0] > w[0])
			break;
		if (cprefixes[i].w[0] != w[0])
			continue;
		pl = strlen(cprefixes[i].w);
		if (n >= pl && memcmp(w, cprefixes[i].w, pl) == 0)
			return cprefixes[i].flags;
	}
	return 0;
}

/*
 * Flags and weight of a class or id value.  Weight: +25 when any word is
 * positive, -25 when any is junk (both: 0), as Readability weighs class
 * and id each once.
 */
static uint16_t
class_flags(const char *s, int *weight)
{
	char w[32];
	size_t n = 0;
	uint16_t flags = 0, f;
	int more = 0, read = 0, morekind = 0;
	char prev = '\0';

	if (s == NULL)
		return 0;
	for (const char *p = s;; prev = *p++) {
		char c = *p;
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');
		int camel = n > 0 && c >= 'A' && c <= 'Z' && prev >= 'a' && prev <= 'z';

		if ((!alnum || camel) && n > 0) {
			w[n < sizeof(w) ? n : sizeof(w) - 1] = '\0';
			if (n < sizeof(w)) {
				f = word_flags(w, n);
				flags |= f;
				if (strcmp(w, "more") == 0)
					more = 1;
				else if (strcmp(w, "read") == 0)
					read = 1;
				else if (strcmp(w, "stories") == 0 || strcmp(w, "from") == 0 ||
				    strcmp(w, "news") == 0 || strcmp(w, "articles") == 0)
					morekind = 1;
			}
			n = 0;
		}
		if (c == '\0')
			break;
		if (alnum) {
			if (n < sizeof(w) - 1)
				w[n] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			n++;
		}
	}
	/* "more-stories", "more-from-section", "read-more". */
	if (more && morekind)
		flags |= C_JUNK | C_RELATED;
	else if (more && read)
		flags |= C_JUNK;
	if (flags & C_POSITIVE)
		*weight += 25;
	if (flags & C_JUNK)
		*weight -= 25;
	return flags;
}

/* Nonzero when the space-separated list s holds word (case-insensitive). */
static int
has_token(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (s == NULL)
		return 0;
	while (*s) {
		size_t k;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		for (k = 0; s[k] && s[k] != ' ' && s[k] != '\t' && s[k] != '\n'; k++)
			;
		if (k == n && strncasecmp(s, word, n) == 0)
			return 1;
		s += k;
	}
	return 0;
}

/* Decodes the UTF-8 character at s (valid: libxml2's output). */
static int
utf8_char(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && s[1]) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
		    (s[2] & 0x3F);
		return 3;
	}
	if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
		*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
		    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		return 4;
	}
	*cp = 0xFFFD;
	return 1;
}

/* 1: whitespace, 2: invisible (dropped), 0: a visible character. */
static int
char_class(uint32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
	    cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000)
		return 1;
	if (cp == 0x200B || cp == 0xFEFF || cp == 0xAD || cp == 0x2060 || cp < 0x20)
		return 2;
	return 0;
}

/*
 * Appends s to out with whitespace folded; *space carries a pending space
 * across calls, start is where the current paragraph began (no leading
 * space).  Counts characters and commas.  Stops at max bytes.
 */
static void
fold_append(struct buf *out, const char *s, int *space, size_t start, size_t max,
    uint32_t *chars, uint32_t *commas)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	uint32_t nch = 0, ncom = 0;
	char *o;

	if (out->len >= max)
		return;
	/* Output never exceeds the input plus one pending space. */
	buf_reserve(out, n + 2);
	o = out->data;
	len = out->len;
	while (*p) {
		uint32_t cp;
		int k, cls;

		/* The common case: printable ASCII. */
		if (*p > ' ' && *p < 0x7F) {
			if (len + 5 >= max)
				break;
			if (*space && len > start) {
				o[len++] = ' ';
				nch++;
			}
			*space = 0;
			do {
				ncom += *p == ',';
				o[len++] = (char)*p++;
				nch++;
			} while (*p > ' ' && *p < 0x7F && len + 5 < max);
			continue;
		}
		if (*p < 0x80) {
			cp = *p;
			k = 1;
		} else
			k = utf8_char(p, &cp);
		cls = char_class(cp);
		if (cls == 1) {
			*space = 1;
			p += k;
			continue;
		}
		if (cls == 2) {
			p += k;
			continue;
		}
		if (len + 5 >= max)
			break;
		if (*space && len > start) {
			o[len++] = ' ';
			nch++;
		}
		*space = 0;
		memcpy(o + len, p, (size_t)k);
		len += (size_t)k;
		nch++;
		if (cp == 0x060C || cp == 0x3001 || cp == 0xFF0C)
			ncom++;
		p += k;
	}
	out->len = len;
	o[len] = '\0';
	*chars += nch;
	*commas += ncom;
}

static void
flush(struct walk *w)
{
	struct pdom *d = w->d;
	struct pblock *b;

	if (d->text.len > w->boff && w->owner != PEL_NONE) {
		if (d->nbl == d->blcap) {
			d->blcap = d->blcap ? d->blcap * 2 : 256;
			d->bl = xreallocarray(d->bl, d->blcap, sizeof(*d->bl));
		}
		b = &d->bl[d->nbl++];
		b->el = w->owner;
		b->off = (uint32_t)w->boff;
		b->len = (uint32_t)(d->text.len - w->boff);
		b->chars = w->bchars;
		b->links = w->blinks;
		b->commas = (uint16_t)(w->bcommas > UINT16_MAX ? UINT16_MAX : w->bcommas);
		b->flags = pdom_is_heading(d->el[w->owner].tag) ? B_HEADING : 0;
	} else if (d->text.data != NULL) {
		d->text.len = w->boff;
		d->text.data[d->text.len] = '\0';
	}
	w->boff = d->text.len;
	w->bchars = w->blinks = w->bcommas = 0;
	w->space = 0;
}

static void
walk_text(struct walk *w, const xmlNode *n)
{
	struct pdom *d = w->d;
	uint32_t chars = 0, commas = 0;

	if (w->in_head || n->content == NULL || w->open == PEL_NONE)
		return;
	if (d->text.len >= PAGE_MAX_TEXT) {
		d->truncated = 1;
		return;
	}
	fold_append(&d->text, (const char *)n->content, &w->space, w->boff,
	    PAGE_MAX_TEXT, &chars, &commas);
	w->bchars += chars;
	w->bcommas += commas;
	d->el[w->open].text += chars;
	if (w->in_link) {
		w->blinks += chars;
		d->el[w->open].links += chars;
	}
}

static void
add_cand(uint32_t *list, size_t *n, uint32_t i)
{
	if (*n < PAGE_MAX_CAND)
		list[(*n)++] = i;
}

static char *
title_text(const xmlNode *n)
{
	struct buf b;

	buf_init(&b);
	pdom_node_text(n, &b, 4096);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Microdata: itemprop tokens that matter, first occurrence of each. */
static void
note_itemprop(struct pdom *d, uint32_t i, const char *ip)
{
	if (has_token(ip, "headline") && d->ip_headline == PEL_NONE)
		d->ip_headline = i;
	if (has_token(ip, "articleBody") && d->ip_body == PEL_NONE)
		d->ip_body = i;
	if (has_token(ip, "author") && d->ip_author == PEL_NONE)
		d->ip_author = i;
	if (has_token(ip, "datePublished") && d->ip_published == PEL_NONE)
		d->ip_published = i;
	if (has_token(ip, "dateModified") && d->ip_modified == PEL_NONE)
		d->ip_modified = i;
}

/* Pushes element n; returns nonzero when its children are to be walked. */
static int
enter(struct walk *w, xmlNode *n)
{
	struct pdom *d = w->d;
	const struct tagdesc *td = tag_lookup(n->name);
	const char *cls = NULL, *id = NULL, *itemprop = NULL, *role = NULL,
	    *style = NULL, *href = NULL, *rel = NULL;
	struct pel *e, *parent;
	uint32_t i;
	int weight = 0, hard = (td->kind & K_HARD) != 0;

	if (d->nel == d->elcap) {
		d->elcap = d->elcap ? d->elcap * 2 : 1024;
		d->el = xreallocarray(d->el, d->elcap, sizeof(*d->el));
	}
	i = d->nel++;
	e = &d->el[i];
	memset(e, 0, sizeof(*e));
	e->node = n;
	e->parent = w->open;
	e->junk = PEL_NONE;
	e->owner_save = PEL_NONE;
	e->tag = td->tag;
	n->_private = (void *)(uintptr_t)(i + 1);
	parent = w->open != PEL_NONE ? &d->el[w->open] : NULL;

	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const char *v = a->children && a->children->content ?
		    (const char *)a->children->content : "";
		const char *an = (const char *)a->name;

		if (an == NULL)
			continue;
		if (strcasecmp(an, "class") == 0)
			cls = v;
		else if (strcasecmp(an, "id") == 0)
			id = v;
		else if (strcasecmp(an, "itemprop") == 0)
			itemprop = v;
		else if (strcasecmp(an, "role") == 0)
			role = v;
		else if (strcasecmp(an, "style") == 0)
			style = v;
		else if (strcasecmp(an, "href") == 0)
			href = v;
		else if (strcasecmp(an, "rel") == 0)
			rel = v;
	}
	e->cflags = class_flags(cls, &weight) | class_flags(id, &weight);
	e->weight = (int8_t)weight;
	if ((td->kind & K_SOFT) || (e->cflags & C_JUNK))
		e->flags |= E_SOFTJUNK;
	if (role != NULL && (has_token(role, "navigation") || has_token(role, "banner") ||
	    has_token(role, "contentinfo") || has_token(role, "complementary") ||
	    has_token(role, "menu") || has_token(role, "dialog")))
		e->flags |= E_SOFTJUNK;
	if (style != NULL && (strstr(style, "display:none") != NULL ||
	    strstr(style, "display: none") != NULL))
		e->flags |= E_SOFTJUNK;
	if (!(e->flags & E_SOFTJUNK) && (e->tag == T_H1 || e->tag == T_MAIN ||
	    (role != NULL && has_token(role, "main")) ||
	    (itemprop != NULL && has_token(itemprop, "articleBody"))))
		e->flags |= E_MAIN;

	/* Flags inherited from the ancestors. */
	if (parent != NULL)
		e->flags |= parent->flags & (E_IN_COMMENT | E_IN_RELATED | E_IN_NAV);
	if (e->cflags & C_COMMENT)
		e->flags |= E_IN_COMMENT;
	if (e->cflags & C_RELATED)
		e->flags |= E_IN_RELATED;
	if ((e->cflags & C_NAVISH) || e->tag == T_NAV || e->tag == T_FOOTER ||
	    e->tag == T_ASIDE)
		e->flags |= E_IN_NAV;

	/* Block boundaries. */
	if (td->kind & K_BREAK)
		flush(w);
	else if (!(td->kind & K_INLINE)) {
		flush(w);
		e->flags |= E_BLOCK;
		e->owner_save = w->owner;
		w->owner = i;
	}
	e->bstart = d->nbl;

	switch (e->tag) {
	case T_A:
		if (href != NULL) {
			e->flags |= E_LINK;
			w->in_link++;
			d->nlinks++;
			if (rel != NULL && has_token(rel, "author") &&
			    !(e->flags & (E_IN_COMMENT | E_IN_RELATED)))
				add_cand(d->bylines, &d->nbylines, i);
		}
		break;
	case T_HTML:
		if (d->lang == NULL)
			d->lang = pdom_attr(n, "lang");
		break;
	case T_HEAD:
		w->in_head = 1;
		break;
	case T_TITLE:
		if (d->title == NULL && parent != NULL && parent->tag == T_HEAD)
			d->title = title_text(n);
		break;
	case T_META: {
		const char *key = pdom_attr(n, "property"), *content;

		if (key == NULL)
			key = pdom_attr(n, "name");
		if (key == NULL)
			key = itemprop;
		content = pdom_attr(n, "content");
		if (key != NULL && content != NULL && d->nmeta < PAGE_MAX_META) {
			d->meta[d->nmeta].key = key;
			d->meta[d->nmeta].value = content;
			d->nmeta++;
		}
		break;
	}
	case T_LINK:
		if (rel != NULL && has_token(rel, "canonical") && href != NULL &&
		    d->canonical == NULL)
			d->canonical = href;
		break;
	case T_BASE:
		if (href != NULL && d->base == NULL)
			d->base = href;
		break;
	case T_SCRIPT: {
		const char *type = pdom_attr(n, "type");

		if (type != NULL && strcasestr(type, "ld+json") != NULL &&
		    d->nldjson < PAGE_MAX_LDJSON)
			d->ldjson[d->nldjson++] = n;
		break;
	}
	case T_H1:
		if (d->nh1 < PAGE_MAX_H1)
			d->h1[d->nh1++] = i;
		break;
	default:
		break;
	}
	if (itemprop != NULL && e->tag != T_META)
		note_itemprop(d, i, itemprop);
	if (!(e->flags & (E_IN_COMMENT | E_IN_RELATED))) {
		if (e->cflags & C_BYLINE)
			add_cand(d->bylines, &d->nbylines, i);
		if ((e->cflags & C_DATE) || e->tag == T_TIME)
			add_cand(d->dates, &d->ndates, i);
		if (e->cflags & C_DATELINE)
			add_cand(d->datelines, &d->ndatelines, i);
	}
	if ((e->cflags & C_RELATED) && !(parent != NULL && (parent->flags & E_IN_RELATED)))
		add_cand(d->related, &d->nrelated, i);
	w->open = i;
	return !hard;
}

static void
leave(struct walk *w, uint32_t i)
{
	struct pdom *d = w->d;
	struct pel *e = &d->el[i];

	if (e->flags & E_BLOCK) {
		flush(w);
		w->owner = e->owner_save;
	}
	e->end = d->nel - 1;
	e->bend = d->nbl;
	if (e->flags & E_LINK)
		w->in_link--;
	if (e->tag == T_HEAD)
		w->in_head = 0;
	if (e->parent != PEL_NONE) {
		struct pel *p = &d->el[e->parent];

		p->text += e->text;
		p->links += e->links;
		if (e->flags & (E_MAIN | E_HAS_MAIN))
			p->flags |= E_HAS_MAIN;
	}
	w->open = e->parent;
}

void
pdom_build(xmlNode *root, struct pdom *d)
{
	struct walk w;
	xmlNode *n = root;

	memset(d, 0, sizeof(*d));
	buf_init(&d->text);
	d->ip_headline = d->ip_body = d->ip_author = PEL_NONE;
	d->ip_published = d->ip_modified = PEL_NONE;
	memset(&w, 0, sizeof(w));
	w.d = d;
	w.open = w.owner = PEL_NONE;
	if (root == NULL)
		return;
	for (;;) {
		int descend = 0;

		if (++w.nodes > PAGE_MAX_NODES) {
			d->truncated = 1;
			break;
		}
		if (n->type == XML_ELEMENT_NODE)
			descend = enter(&w, n);
		else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			walk_text(&w, n);
		if (descend && n->children != NULL) {
			n = n->children;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE)
			leave(&w, w.open);
		while (n != root && n->next == NULL) {
			n = n->parent;
			leave(&w, w.open);
		}
		if (n == root)
			break;
		n = n->next;
	}
	while (w.open != PEL_NONE)
		leave(&w, w.open);
	flush(&w);

	/* The innermost junk ancestor of each element, in one pre-order pass. */
	for (uint32_t i = 0; i < d->nel; i++) {
		struct pel *e = &d->el[i];
		int own = (e->flags & E_SOFTJUNK) && !(e->flags & (E_MAIN | E_HAS_MAIN)) &&
		    e->tag != T_BODY && e->tag != T_HTML;

		e->junk = own ? i : e->parent != PEL_NONE ? d->el[e->parent].junk : PEL_NONE;
	}
}

void
pdom_free(struct pdom *d)
{
	free(d->el);
	free(d->bl);
	free(d->title);
	buf_free(&d->text);
	memset(d, 0, sizeof(*d));
}

void
pdom_node_text(const xmlNode *node, struct buf *out, size_t max)
{
	const xmlNode *n = node;
	size_t start = out->len, visited = 0;
	uint32_t chars = 0, commas = 0;
	int space = 0;

	if (node == NULL)
		return;
	if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
		fold_append(out, (const char *)node->content, &space, start,
		    start + max, &chars, &commas);
		return;
	}
	for (;;) {
		int descend = 0;
		const struct tagdesc *td = NULL;

		/* NOTE: bounded like the main walk. */
		if (++visited > PAGE_MAX_NODES || out->len >= start + max)
			break;
		if (n->type == XML_ELEMENT_NODE) {
			td = tag_lookup(n->name);
			descend = !(td->kind & K_HARD) || n == node;
			if (!(td->kind & K_INLINE))
				space = 1;
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    n->content != NULL)
			fold_append(out, (const char *)n->content, &space, start,
			    start + max, &chars, &commas);
		if (descend && n->children != NULL) {
			n = n->children;
			continue;
		}
		if (td != NULL && !(td->kind & K_INLINE))
			space = 1;
		while (n != node && n->next == NULL) {
			n = n->parent;
			if (n->type == XML_ELEMENT_NODE &&
			    !(tag_lookup(n->name)->kind & K_INLINE))
				space = 1;
		}
		if (n == node)
			break;
		n = n->next;
	}
}

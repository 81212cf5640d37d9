/*
 * pagedom.h: one walk over a parsed HTML page, flattening it into the
 * arrays the article extractor works on (pure; part of page.c's module).
 *
 * The walk visits each node once, in document order, and records
 *   - every element, in pre-order, with its parent, the index of the last
 *     element of its subtree, the range of text blocks inside it, how many
 *     characters of text (and of link text) it holds, and what its tag,
 *     class and id say about it;
 *   - every text block: a run of text between two block-level boundaries
 *     (<p>, <div>, <br>, <td>, ...), whitespace folded, in one shared
 *     buffer;
 *   - the metadata found on the way (<title>, <meta>, canonical link,
 *     JSON-LD scripts, microdata, <time>, byline and date candidates).
 * Everything after the walk works on these arrays, so "the blocks inside
 * this element" is an index range and no later step walks the tree again.
 */
#ifndef DATELINE_PAGEDOM_H
#define DATELINE_PAGEDOM_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "util.h"

#define PEL_NONE UINT32_MAX

/*
 * NOTE: bounds on one page, so that a hostile page costs bounded time and
 * memory.  Nodes past PAGE_MAX_NODES are not visited (the walk stops and
 * what was seen is used); text past PAGE_MAX_TEXT is not kept.  libxml2's
 * HTML parser already caps nesting at 256 levels, so ancestor walks are
 * short.
 */
#define PAGE_MAX_NODES 400000
#define PAGE_MAX_TEXT (4 * 1024 * 1024)
#define PAGE_MAX_META 256       /* <meta> tags kept */
#define PAGE_MAX_LDJSON 16      /* JSON-LD scripts kept */
#define PAGE_MAX_CAND 16        /* byline / date / dateline candidates kept */
#define PAGE_MAX_H1 8

/* Tags the extractor tells apart; every other tag is T_OTHER (a block). */
enum ptag {
	T_OTHER, T_A, T_ARTICLE, T_ASIDE, T_BASE, T_BLOCKQUOTE, T_BODY, T_BR,
	T_DD, T_DIV, T_DT, T_FIGCAPTION, T_FIGURE, T_FOOTER, T_FORM, T_H1, T_H2,
	T_H3, T_H4, T_H5, T_H6, T_HEAD, T_HEADER, T_HR, T_HTML, T_IMG, T_LI,
	T_LINK, T_MAIN, T_META, T_NAV, T_OL, T_P, T_PRE, T_SCRIPT, T_SECTION,
	T_SPAN, T_TABLE, T_TD, T_TH, T_TIME, T_TITLE, T_TR, T_UL, T_INLINE,
	T_HARD
};

/* What an element's class and id words say (pel.cflags). */
#define C_JUNK        0x0001  /* navigation, share bar, comments, ads, ... */
#define C_POSITIVE    0x0002  /* article, body, content, story, ... */
#define C_BYLINE      0x0004
#define C_DATE        0x0008
#define C_DATELINE    0x0010
#define C_DISCLAIMER  0x0020
#define C_RELATED     0x0040  /* related stories, also read */
#define C_CATEGORY    0x0080  /* a category label (in related lists) */
#define C_TITLE       0x0100  /* a title / headline element */
#define C_COMMENT     0x0200
#define C_NAVISH      0x0400  /* nav, menu, footer, sidebar, header */
#define C_UPDATED     0x0800  /* "updated", "modified" */
#define C_PUBLISHED   0x1000  /* "published", "posted" */

/* pel.flags */
#define E_MAIN        0x0001  /* h1, <article>, <main>, itemprop=articleBody (not junk) */
#define E_HAS_MAIN    0x0002  /* E_MAIN somewhere inside */
#define E_SCORED      0x0004  /* has a content score */
#define E_LINK        0x0008  /* <a href> */
#define E_BLOCK       0x0010  /* block-level: starts and ends text blocks */
#define E_IN_COMMENT  0x0020  /* inside a comments section */
#define E_IN_RELATED  0x0040  /* inside a related-stories container */
#define E_IN_NAV      0x0080  /* inside nav, footer, sidebar, header */
#define E_SOFTJUNK    0x0100  /* junk by tag or class (before E_HAS_MAIN) */
#define E_TAKEN       0x0200  /* a link already looked at as a related link */

struct pel {
	xmlNode *node;
	uint32_t parent;        /* PEL_NONE for the root */
	uint32_t end;           /* last element index in this subtree */
	uint32_t bstart, bend;  /* blocks begun inside: [bstart, bend) */
	uint32_t text;          /* characters of text in the subtree */
	uint32_t links;         /* of which inside <a href> */
	uint32_t junk;          /* innermost junk ancestor-or-self, or PEL_NONE */
	uint32_t owner_save;    /* block owner to restore on leaving */
	float score;
	uint16_t cflags;
	uint16_t flags;
	uint8_t tag;            /* enum ptag */
	int8_t weight;          /* class/id weight, -50..50 */
};

/* pblock.flags */
#define B_RELATED     0x01    /* part of a related-stories section */
#define B_ALSOREAD    0x02    /* an "Also read: <link>" insert */
#define B_HEADING     0x04    /* owned by h1-h6 */

struct pblock {
	uint32_t el;            /* owner: the innermost block-level element */
	uint32_t off, len;      /* bytes in pdom.text */
	uint32_t chars;         /* characters */
	uint32_t links;         /* characters inside <a href> */
	uint16_t commas;
	uint16_t flags;
};

struct pmeta {
	const char *key;        /* name, property or itemprop (as written) */
	const char *value;      /* content */
};

struct pdom {
	struct pel *el;
	uint32_t nel, elcap;
	struct pblock *bl;
	uint32_t nbl, blcap;
	struct buf text;        /* the blocks' text, back to back */
	int truncated;          /* a bound was hit */

	char *title;            /* <title>, folded; or NULL */
	const char *lang;       /* <html lang> */
	const char *canonical;  /* <link rel=canonical href> */
	const char *base;       /* <base href> */
	struct pmeta meta[PAGE_MAX_META];
	size_t nmeta;
	xmlNode *ldjson[PAGE_MAX_LDJSON];
	size_t nldjson;
	uint32_t h1[PAGE_MAX_H1];
	size_t nh1;
	uint32_t bylines[PAGE_MAX_CAND];   /* class byline/author, rel=author */
	size_t nbylines;
	uint32_t dates[PAGE_MAX_CAND];     /* <time>, class date/time */
	size_t ndates;
	uint32_t datelines[PAGE_MAX_CAND]; /* class dateline/location */
	size_t ndatelines;
	uint32_t related[PAGE_MAX_CAND];   /* class related / also-read */
	size_t nrelated;
	/* Microdata (itemprop), first of each, or PEL_NONE. */
	uint32_t ip_headline, ip_body, ip_author, ip_published, ip_modified;
	size_t nlinks;
};

/* Walks the document rooted at root into d (freed with pdom_free). */
void pdom_build(xmlNode *root, struct pdom *d);
void pdom_free(struct pdom *d);

/* The value of attribute name of node (first text child), or NULL. */
const char *pdom_attr(const xmlNode *node, const char *name);

/*
 * The text of the subtree at node, whitespace folded, with a space where
 * a block-level element begins or ends and none between inline elements
 * (so "<span>A</span><span>B</span>" reads "AB", as on screen), at most
 * max bytes.  Appended to out.
 */
void pdom_node_text(const xmlNode *node, struct buf *out, size_t max);

/* The element index of node (from the walk), or PEL_NONE. */
uint32_t pdom_index(const struct pdom *d, const xmlNode *node);

/* Nonzero for h1-h6. */
int pdom_is_heading(int tag);

/* Block b's text (not NUL-terminated; b->len bytes). */
static inline const char *
pdom_block_text(const struct pdom *d, const struct pblock *b)
{
	return d->text.data + b->off;
}

#endif

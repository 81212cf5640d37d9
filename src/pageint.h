/*
 * pageint.h: what the files of the article extractor (page.c, pagebody.c,
 * pagemeta.c) share.  Not a public contract: page.h is.
 */
#ifndef DATELINE_PAGEINT_H
#define DATELINE_PAGEINT_H

#include <stddef.h>
#include <stdint.h>

#include "page.h"
#include "pagedom.h"
#include "pageld.h"

/*
 * NOTE: bounds beyond those of pagedom.h: the bytes of a page that are
 * parsed (the rest is cut off, as a browser would show a truncated
 * page), related links kept, paragraphs kept, and the length of a
 * one-line field.
 */
#define PAGE_MAX_BYTES (8 * 1024 * 1024)
#define PAGE_MAX_RELATED 200
#define PAGE_MAX_PARAS 2000
#define PAGE_MAX_FIELD 4096

/* A known agency and the ways it is written. */
struct page_alias {
	char *text;             /* as written in the data file */
	size_t len;
	int exact;              /* match case-sensitively (no lower-case letter) */
	size_t agency;          /* index into page_rules.agencies */
};

struct page_rules {
	char **agencies;        /* canonical names */
	int *generic;           /* 1: a generic credit ("Agencies") */
	size_t nagencies;
	struct page_alias *aliases;
	size_t naliases;
	struct strlist disclaimers;     /* normalized globs, matched anywhere */
	struct strlist headings;        /* normalized globs, whole heading */
	struct strlist inserts;         /* heading globs + "*": "Also read: ..." */
	struct strlist boilerplate;     /* normalized globs, whole paragraph */
	struct strlist categories;      /* as printed, longest first */
};

/* A paragraph of the body: text in the page's block buffer, or owned. */
struct page_para {
	const char *s;
	size_t len;
	uint32_t block;         /* the block it came from, or PEL_NONE */
};

/* Everything one extraction works with. */
struct page_ctx {
	const struct page_opts *opts;
	const struct page_rules *rules;
	xmlDoc *doc;
	struct pdom d;
	struct page_ld ld;
	const char *base;       /* base URL for links (owned by link_base) */
	char *link_base;
	char *page_url;         /* the article's URL, for skipping self links */
	uint32_t roots[64];     /* the element(s) holding the body */
	size_t nroots;
	int body_from_ld;       /* the body is JSON-LD articleBody text */
	double root_link_density;
	struct page_para *paras;
	size_t nparas;
	char *ld_body_copy;     /* backing store when paras point into ld.body */
	struct page_link *links;
	size_t nlinks;
	uint32_t byline_block;  /* the visible "By ..." block, or PEL_NONE */
	uint32_t title_block;   /* the h1's block, or PEL_NONE */
	uint32_t title_el;      /* the headline's h1, or PEL_NONE */
	uint32_t disclaimer_block;      /* the disclaimer's block, or PEL_NONE */
};

/* page.c: matching helpers over the rules. */

/* Normalized for matching: ASCII lower case, whitespace folded, curly quotes straight. */
void page_norm(const char *s, size_t len, struct buf *out);
/* Glob match of pattern ('*' = any run) against all of text. */
int page_glob(const char *pat, const char *text);
/* Nonzero when one of list's globs matches all of the normalized text. */
int page_match_any(const struct strlist *list, const char *norm);
/* Nonzero when one of the disclaimer patterns occurs in the normalized text. */
int page_disclaimer(const struct page_rules *r, const char *norm);
/*
 * Appends to ags (indexes into r->agencies, at most max, no repeats) the
 * agencies named in s[0..len) as whole words, in the order they appear;
 * returns the new count.
 */
size_t page_agencies_in(const struct page_rules *r, const char *s, size_t len,
    size_t *ags, size_t n, size_t max);
/*
 * Splits text glued to a known category label ("EntertainmentDocuseries")
 * at the lower-to-upper boundary: returns the category's length, or 0.
 */
size_t page_glued_category(const struct page_rules *r, const char *text);
/* The element indexes XPath expr selects (at most max). */
size_t page_xpath_nodes(struct page_ctx *c, const char *expr, uint32_t *nodes,
    size_t max);
/* A malloc'd copy of s[0..len) cut to PAGE_MAX_FIELD at a character boundary. */
char *page_field(const char *s, size_t len);

/* pagebody.c: related links, main text, paragraphs. */
/* Finds "Related Stories" / "Also read" sections and their links. */
void page_related(struct page_ctx *c);
/* Finds the element(s) holding the article text and their paragraphs. */
void page_find_body(struct page_ctx *c);
/* Drops teasers, disclaimers (setting auto_published), boilerplate. */
void page_clean_body(struct page_ctx *c, struct page_article *a);
/* Joins the paragraphs into a->body, decides a->found, hands over links. */
void page_finish(struct page_ctx *c, struct page_article *a);

/* pagemeta.c: the one-line fields. */
/* url, title, lang and structured dates: what needs no body. */
void page_meta_early(struct page_ctx *c, struct page_article *a);
/* byline, agency, dateline, visible dates: what the body tells. */
void page_meta_late(struct page_ctx *c, struct page_article *a);
/*
 * The place of a leading dateline in text, or NULL; the credit in
 * parentheses at text + *credit_off; *only: nothing follows the dateline.
 * Without a date, a credit must name an agency of r (r may be NULL).
 */
char *page_dateline_parse(const struct page_rules *r, const char *text, size_t len,
    size_t *credit_off, size_t *credit_len, int *only);
/* Byline text cleaned of "By", dates and separators; malloc'd or NULL. */
char *page_byline_clean(const char *s, size_t len);
/* Times found in visible text: labelled "Updated" go to *upd, others to *pub. */
void page_visible_dates(const char *s, size_t len, const char *tz, int64_t *pub,
    int64_t *upd);
/* The meta content for key (case-insensitive), or NULL. */
const char *page_meta(const struct page_ctx *c, const char *key);

#endif

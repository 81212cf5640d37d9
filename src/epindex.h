/*
 * epindex.h: an e-paper index page -> its article links and the next
 * index page (pure).
 *
 * The page is parsed with libxml2's HTML parser (the safe option set, as
 * for article pages); the configured XPath `follow` selects the article
 * links and `next` the next index page.  An expression may select
 * attributes (//a[@class='clip']/@href), elements (an <a> or <area>: its
 * href; anything else: its text) or yield a string.  Links are resolved
 * against the page's <base> or URL; only http(s) links on the index
 * page's own host are kept (off-site links are counted, never followed),
 * each once.
 */
#ifndef DATELINE_EPINDEX_H
#define DATELINE_EPINDEX_H

#include <stddef.h>

struct epindex_link {
	char *url;              /* canonical */
	char *title;            /* the link's text, one line, or NULL */
	int page;               /* the printed page `page_number` gives, or 0 */
};

struct epindex {
	struct epindex_link *links;
	size_t nlinks;
	char *next;             /* the next index page (canonical), or NULL */
	size_t offsite;         /* links to other hosts, left out */
	size_t dropped;         /* links beyond max_links, left out */
};

struct epindex_opts {
	const char *url;            /* the index page's URL (final, after redirects) */
	const char *http_charset;   /* from Content-Type, or NULL */
	const char *follow;         /* XPath of the article links */
	const char *next;           /* XPath of the next index page, or NULL */
	const char *page_number;    /* XPath, relative to a link, of its page number; or NULL */
	size_t max_links;           /* links kept at most */
};

/*
 * Parses html[0..len).  Returns 0 and fills *out (freed with
 * epindex_free), or -1 with a one-line reason in err (not HTML, an
 * expression that fails on this page).
 */
int epindex_parse(const char *html, size_t len, const struct epindex_opts *o,
    struct epindex *out, char *err, size_t errlen);

void epindex_free(struct epindex *x);

#endif

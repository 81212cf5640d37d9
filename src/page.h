/*
 * page.h: article HTML bytes -> article fields (pure once its rules are
 * loaded).
 *
 * Sources, in order of trust: per-site XPath overrides from the config,
 * structured data (JSON-LD NewsArticle/Article, OpenGraph and article:*
 * meta, microdata), then a content-scoring main-text finder in the spirit
 * of Readability.  The HTML is parsed with libxml2's HTML parser with the
 * safe option set (no network); every string returned is valid UTF-8.
 */
#ifndef DATELINE_PAGE_H
#define DATELINE_PAGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Knowledge the extractor reads from data files (not code): known news
 * agencies with their spellings, and auto-publication disclaimer patterns.
 */
struct page_rules;

/*
 * Loads the rules from the folder dir (files agencies.txt and
 * disclaimers.txt; formats documented in each file's header).  Returns
 * NULL with a one-line reason in err.
 */
struct page_rules *page_rules_load(const char *dir, char *err, size_t errlen);
void page_rules_free(struct page_rules *r);

/* XPath expressions from a feed's `extract:` map; any may be NULL. */
struct page_overrides {
	const char *body, *title, *byline, *published, *related;
};

struct page_link {
	char *url;       /* absolute */
	char *title;     /* plain text */
	char *category;  /* plain text, or NULL */
};

struct page_article {
	char *url;           /* canonical (link rel=canonical / og:url), else the given url */
	char *title;
	char *byline;        /* as printed, e.g. "IANS" or "Jane Doe" */
	char *agency;        /* normalized agency name(s), e.g. "IANS" or "IANS/DPA", or NULL */
	char *dateline;      /* the place: "Washington", "New Delhi", or NULL */
	char *body;          /* plain text, paragraphs separated by "\n\n" */
	char *lang;          /* <html lang>, or NULL */
	int64_t published;   /* UTC seconds, or DATE_UNSET */
	int64_t updated;
	int auto_published;  /* an agency auto-publication disclaimer was found */
	struct page_link *related;
	size_t nrelated;
	int found;           /* 1 when main text was found; 0: no article on the page */
};

struct page_opts {
	const char *url;           /* the page's URL, for relative links; may be NULL */
	const char *http_charset;  /* charset from Content-Type, or NULL */
	const char *default_tz;    /* IANA zone for visible times without a zone */
	const struct page_overrides *overrides;   /* or NULL */
	const struct page_rules *rules;
};

/*
 * Extracts the article from html[0..len).  Returns 0 and fills *out (freed
 * with page_article_free) — out->found says whether any article text was
 * there — or -1 with a one-line reason in err when the bytes are not an
 * HTML document at all (binary, empty).
 */
int page_extract(const char *html, size_t len, const struct page_opts *opts,
    struct page_article *out, char *err, size_t errlen);

void page_article_free(struct page_article *a);

#endif

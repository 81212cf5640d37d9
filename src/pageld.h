/*
 * pageld.h: schema.org JSON-LD in an article page -> the article's fields
 * (pure; part of the article extractor, see page.h).
 */
#ifndef DATELINE_PAGELD_H
#define DATELINE_PAGELD_H

#include <stddef.h>

/* What the page's JSON-LD says about its article; strings malloc'd or NULL. */
struct page_ld {
	char *headline;         /* plain text */
	char *author;           /* names: "A", "A and B", "A, B and C" */
	char *body;             /* articleBody, paragraphs separated by "\n\n" */
	char *url;
	char *publisher;        /* publisher name */
	char *published;        /* datePublished as written */
	char *modified;         /* dateModified as written */
	int article;            /* an Article-type object was found */
	int live;               /* ... and it is a LiveBlogPosting */
	int scripts;            /* scripts parsed (valid JSON) */
};

/*
 * Reads one <script type="application/ld+json"> text and fills the fields
 * of ld that are still NULL from the first NewsArticle, Article,
 * ReportageNewsArticle, BlogPosting, LiveBlogPosting (or other *Article)
 * object in it, looking through arrays, @graph and mainEntity, and
 * resolving an author given only by "@id" within the same script.
 * Invalid JSON is skipped (after one attempt with raw control characters
 * blanked, a common fault).
 */
void page_ld_parse(const char *json, size_t len, struct page_ld *ld);

void page_ld_free(struct page_ld *ld);

#endif

/*
 * pagejson.h: an extracted article as the JSON object of `dateline
 * extract` (DESIGN.md).
 */
#ifndef DATELINE_PAGEJSON_H
#define DATELINE_PAGEJSON_H

#include <jansson.h>

#include "page.h"

/*
 * {url, title, byline, agency, dateline, published, updated, body,
 * auto_published, related: [{url, title, category}], entities,
 * content_hash} in that order; absent values are null, times RFC 3339 UTC.
 * Takes over the reference to entities (NULL: an empty list);
 * content_hash may be NULL.
 */
json_t *page_article_to_json(const struct page_article *a, const char *content_hash,
    json_t *entities);

#endif

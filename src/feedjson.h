/*
 * feedjson.h: parsed feeds as the JSON of `dateline parse` (DESIGN.md).
 */
#ifndef DATELINE_FEEDJSON_H
#define DATELINE_FEEDJSON_H

#include <jansson.h>

#include "feed.h"

/* {"feed": {"title", "url", "updated"}}; absent values are null. */
json_t *feed_doc_to_json(const struct feed_doc *doc);

/*
 * {"guid", "url", "title", "summary", "content", "author", "published",
 * "updated", "categories": [..], "enclosures": [{"url","type","length"}]};
 * absent values are null, times RFC 3339 UTC.
 */
json_t *feed_item_to_json(const struct feed_item *item);

#endif

/*
 * jsonfeed.h: JSON Feed 1.0 and 1.1 (jsonfeed.org) bytes -> items (pure;
 * feed.c's helper, reached through feed_parse).
 *
 * The document is parsed whole with jansson (its own nesting limit,
 * JSON_PARSER_MAX_DEPTH, stops deep documents with a clean error) and
 * mapped onto the same struct feed_doc as RSS and Atom:
 *
 *   id -> guid (a number is taken as its decimal text), url (else
 *   external_url, else an id that is an http(s) URL) -> url, title ->
 *   title, summary -> summary, content_html -> content (sanitized),
 *   content_text -> content (escaped into paragraphs) when there is no
 *   content_html, authors (1.1) or author (1.0), the item's else the
 *   feed's -> author, date_published -> published, date_modified ->
 *   updated, tags -> categories, attachments -> enclosures; the feed's
 *   title and home_page_url -> title and url.
 *
 * Relative URLs are resolved against opts->base_url.  Every string is
 * valid UTF-8 (invalid input bytes become U+FFFD) and bounded by
 * bounds.h, as for the XML formats.
 */
#ifndef DATELINE_JSONFEED_H
#define DATELINE_JSONFEED_H

#include <stddef.h>

#include "feed.h"

/*
 * Nonzero when data[0..len) looks like JSON: its first byte after an
 * optional UTF-8 byte order mark and whitespace is '{'.
 */
int jsonfeed_sniff(const char *data, size_t len);

/*
 * Parses a JSON Feed.  Returns 0 and fills *doc (freed with
 * feed_doc_free), or -1 with a one-line reason in err: not valid JSON
 * (with line and column), not a JSON Feed (no or another "version"), no
 * "items" list.
 */
int jsonfeed_parse(const char *data, size_t len, const struct feed_parse_opts *opts,
    struct feed_doc *doc, char *err, size_t errlen);

#endif

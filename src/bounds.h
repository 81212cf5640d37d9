/*
 * bounds.h: every bound on untrusted input, named in one place.
 *
 * Each is documented in dateline.yaml(5) under LIMITS.  Values a user may
 * want to change per feed (bytes per response, timeouts) are config keys
 * whose defaults live here; the rest are fixed.
 */
#ifndef DATELINE_BOUNDS_H
#define DATELINE_BOUNDS_H

/* Decoded bytes accepted per HTTP response (config: max_bytes). */
#define LIMIT_RESPONSE_BYTES_DEFAULT (16LL * 1024 * 1024)
/* Hard upper bound a config may set max_bytes to. */
#define LIMIT_RESPONSE_BYTES_MAX (256LL * 1024 * 1024)
/* Response header bytes accepted (all headers of one response together). */
#define LIMIT_HEADER_BYTES (64 * 1024)
/* Redirect hops followed per fetch. */
#define LIMIT_REDIRECTS 5

/* Items taken from one feed document; the rest are ignored (logged). */
#define LIMIT_FEED_ITEMS 10000
/* Bytes kept of a one-line field (title, author, guid, url, category). */
#define LIMIT_FIELD_BYTES (64 * 1024)
/* Bytes kept of a long field (summary, content). */
#define LIMIT_CONTENT_BYTES (4 * 1024 * 1024)
/* Categories and enclosures kept per item. */
#define LIMIT_ITEM_CATEGORIES 64
#define LIMIT_ITEM_ENCLOSURES 32

/*
 * Spool folders and e-paper editions.  NOTE: documented in
 * docs-epaper-spool.md until dateline.yaml(5) lists them; they take the
 * LIMIT_ prefix (which tests/config checks against the man page) then.
 */
/* Files a spool takes per batch; the rest follow at the next batch. */
#define SPOOL_MAX_FILES 20
/* Directory entries a spool scan looks at. */
#define SPOOL_MAX_LIST 10000
/* Seconds a file that cannot be leased must be unchanged to be taken. */
#define SPOOL_SETTLE_SECONDS 5
/* Editions an e-paper feed may name, and days it may look back. */
#define EPAPER_MAX_EDITIONS 32
#define EPAPER_MAX_BACKFILL_DAYS 31
/* Highest edition_budget: index pages plus article links per edition. */
#define EPAPER_MAX_BUDGET 10000

#endif

/*
 * robots.h: robots.txt (RFC 9309) rules for one host (pure).
 */
#ifndef DATELINE_ROBOTS_H
#define DATELINE_ROBOTS_H

#include <stddef.h>

struct robots;

/* Bytes of a robots.txt read at most (RFC 9309 asks for at least 500 KiB). */
#define ROBOTS_MAX_BYTES (512 * 1024)

/*
 * Parses a robots.txt body and keeps the group that applies to the product
 * token agent ("dateline"): the group naming it, else the "*" group.
 * Never fails: an unreadable file is an empty one (everything allowed).
 */
struct robots *robots_parse(const char *text, size_t len, const char *agent);

/* Everything allowed (robots.txt absent: 4xx) or everything refused (5xx). */
struct robots *robots_allow_all(void);
struct robots *robots_disallow_all(void);

/*
 * Whether path (with its query, starting with "/") may be fetched: the
 * longest matching rule wins, Allow over Disallow on a tie; "*" and a
 * final "$" as in RFC 9309.
 */
int robots_allowed(const struct robots *r, const char *path);

/* Crawl-delay of the applicable group in seconds, or 0. */
double robots_crawl_delay(const struct robots *r);

void robots_free(struct robots *r);

#endif

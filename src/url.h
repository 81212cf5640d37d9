/*
 * url.h: URL resolution and canonical form (pure).
 */
#ifndef DATELINE_URL_H
#define DATELINE_URL_H

/*
 * Resolves ref against base (RFC 3986 section 5).  base may be NULL, then
 * ref must already be absolute.  Leading and trailing whitespace in ref is
 * ignored.  Returns a malloc'd absolute URL, or NULL when the result is not
 * an absolute URL.
 */
char *url_resolve(const char *base, const char *ref);

/*
 * The canonical form used to recognise the same page: scheme and host lower
 * case, default port dropped, empty path made "/", dot segments removed,
 * fragment dropped, tracking parameters dropped from the query (utm_*,
 * fbclid, gclid, mc_cid, mc_eid, ocid, and similar), the remaining query
 * kept in its order.  Returns a malloc'd string, or NULL when url is not an
 * absolute http or https URL.
 */
char *url_canonical(const char *url);

/* Nonzero when url is an absolute http:// or https:// URL with a host. */
int url_is_http(const char *url);

/* The lower-case scheme of url in a malloc'd string, or NULL if none. */
char *url_scheme(const char *url);

/* The lower-case host of an absolute URL in a malloc'd string, or NULL. */
char *url_host(const char *url);

#endif

/*
 * fetch.h: HTTP(S) fetches on a libev loop with libcurl multi.  The only
 * module that speaks libcurl.
 *
 * Every fetch is bounded: protocols http and https only; redirects followed
 * by hand, at most LIMIT_REDIRECTS, each hop re-checked (scheme, no https
 * to http downgrade); every address connected to is classified at connect
 * time and anything but a public address is refused unless the request
 * allows private destinations; connect, low-speed and total timeouts; a
 * cap on decoded bytes enforced while receiving (gzip bombs); TLS peer and
 * host verification always on.
 */
#ifndef DATELINE_FETCH_H
#define DATELINE_FETCH_H

#include <stddef.h>

struct ev_loop;
struct fetcher;
struct fetch;

struct fetch_result {
	int ok;               /* 1: an HTTP response arrived (any status) */
	long status;          /* HTTP status, 0 without a response */
	const char *error;    /* one-line reason when !ok, or NULL */
	const char *body;     /* decoded body (NUL-terminated), never NULL */
	size_t len;
	const char *url;      /* the URL requested first */
	const char *final_url;/* after redirects */
	/* The target of redirects that were all permanent (301/308), or NULL. */
	const char *permanent_url;
	int redirects;        /* hops followed */
	const char *content_type, *etag, *last_modified;  /* or NULL */
	double retry_after;   /* seconds from Retry-After, or -1 when absent */
	double seconds;       /* time taken */
};

struct fetch_request {
	const char *url;
	const char *etag;             /* If-None-Match, or NULL */
	const char *last_modified;    /* If-Modified-Since, or NULL */
	const char *user_agent;
	double timeout;               /* whole fetch, seconds */
	double connect_timeout;
	long long max_bytes;          /* decoded body bytes */
	int allow_private;            /* may connect to loopback/private/... */
	/*
	 * Called exactly once, from the event loop (never from inside
	 * fetcher_start), unless the fetch is cancelled.  res and its strings
	 * are valid only during the call.  The callback may start and cancel
	 * fetches.
	 */
	void (*done)(const struct fetch_result *res, void *arg);
	void *arg;
};

/*
 * A fetcher on loop with at most max_total concurrent connections and
 * max_per_host to one host.  Needs curl_global_init done by main.
 */
struct fetcher *fetcher_new(struct ev_loop *loop, int max_total, int max_per_host);

/* Frees the fetcher, cancelling (without callbacks) every fetch. */
void fetcher_free(struct fetcher *f);

/* Starts a fetch; the request's strings are copied.  Never NULL. */
struct fetch *fetcher_start(struct fetcher *f, const struct fetch_request *req);

/* Stops a fetch that has not completed; its callback is not called. */
void fetcher_cancel(struct fetcher *f, struct fetch *x);

/* Fetches started and not yet completed or cancelled. */
size_t fetcher_active(const struct fetcher *f);

#endif

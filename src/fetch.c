/*
 * fetch.c: libcurl multi driven by libev.
 *
 * The glue follows curl's evhiperfifo.c: one ev_io per socket that libcurl
 * tells us about (CURLMOPT_SOCKETFUNCTION), one ev_timer that libcurl only
 * re-arms (CURLMOPT_TIMERFUNCTION; libcurl is never called from inside
 * it), and both watchers call curl_multi_socket_action and then drain
 * curl_multi_info_read.  Avoided traps: timeouts are converted with
 * 1000.0 (999 ms is not 0 s), and an io watcher is never touched after
 * socket_action returns, since libcurl may have freed it meanwhile.
 */
#include "fetch.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <curl/curl.h>
#include <ev.h>
#include <zlib.h>

#include "bounds.h"
#include "log.h"
#include "netaddr.h"
#include "url.h"
#include "util.h"

#define STR(x) #x
#define XSTR(x) STR(x)

struct fetcher {
	struct ev_loop *loop;
	CURLM *multi;
	ev_timer timer;
	struct fetch *list;       /* every live fetch, for cleanup */
	size_t active;
};

struct fetch {
	struct fetcher *f;
	struct fetch *prev, *next;
	CURL *easy;
	struct curl_slist *headers;
	char *url_first, *url_now, *user_agent;
	char *etag, *last_modified;
	double timeout, connect_timeout, started;
	long long max_bytes;
	int allow_private;
	struct buf body;
	int over_limit;
	/*
	 * Content decoding is ours, not libcurl's: libcurl 7.88 takes a gzip
	 * stream that stops early as complete, so a truncated body would be
	 * parsed as if it were the whole document.
	 */
	enum { DEC_UNKNOWN, DEC_IDENTITY, DEC_INFLATE, DEC_BAD } dec;
	int dec_deflate;          /* the coding is "deflate" (not gzip) */
	int dec_raw;              /* "deflate" sent without its zlib header */
	int dec_end;              /* the compressed stream ended properly */
	z_stream zs;
	char dec_err[96];
	int hops, all_permanent;
	char blocked[160];        /* why the address filter refused, if it did */
	char curl_err[CURL_ERROR_SIZE];
	ev_timer fail_later;      /* delivers a failure that happened at start */
	char *fail_msg;
	void (*done)(const struct fetch_result *, void *);
	void *arg;
};

/* The socket state we hang on each curl socket. */
struct sock {
	ev_io io;
	struct fetcher *f;
};

static void check_multi_info(struct fetcher *f);

/* --- libev <-> libcurl glue --------------------------------------------- */

static void
timer_fired(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fetcher *f = w->data;
	int running;

	(void)loop;
	(void)revents;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_multi_info(f);
}

/* CURLMOPT_TIMERFUNCTION: only re-arms our one timer. */
static int
multi_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct fetcher *f = userp;

	(void)multi;
	ev_timer_stop(f->loop, &f->timer);
	if (timeout_ms >= 0) {
		/* NOTE: 1000.0, not 1000: 999 ms must not become 0 s. */
		ev_timer_set(&f->timer, (double)timeout_ms / 1000.0, 0.);
		ev_timer_start(f->loop, &f->timer);
	}
	return 0;
}

static void
sock_ready(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sock *s = w->data;
	struct fetcher *f = s->f;
	int action = (revents & EV_READ ? CURL_CSELECT_IN : 0) |
	    (revents & EV_WRITE ? CURL_CSELECT_OUT : 0);
	int running;

	(void)loop;
	/* NOTE: s may be freed inside socket_action; do not touch it after. */
	curl_multi_socket_action(f->multi, w->fd, action, &running);
	check_multi_info(f);
}

/* CURLMOPT_SOCKETFUNCTION: one ev_io per socket, re-armed with each mask. */
static int
multi_sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct fetcher *f = userp;
	struct sock *s = socketp;
	int events;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			ev_io_stop(f->loop, &s->io);
			free(s);
			curl_multi_assign(f->multi, fd, NULL);
		}
		return 0;
	}
	events = (what & CURL_POLL_IN ? EV_READ : 0) | (what & CURL_POLL_OUT ? EV_WRITE : 0);
	if (s == NULL) {
		s = xcalloc(1, sizeof(*s));
		s->f = f;
		ev_io_init(&s->io, sock_ready, fd, events);
		s->io.data = s;
		curl_multi_assign(f->multi, fd, s);
	} else {
		ev_io_stop(f->loop, &s->io);
		ev_io_set(&s->io, fd, events);
	}
	ev_io_start(f->loop, &s->io);
	return 0;
}

/* --- per-transfer callbacks ---------------------------------------------- */

/*
 * The decoded-size cap lives here: libcurl 7.88's MAXFILESIZE only checks
 * an announced Content-Length, and a gzip bomb announces a small one.
 */
static int
body_append(struct fetch *x, const char *p, size_t n)
{
	if ((long long)(x->body.len + n) > x->max_bytes) {
		x->over_limit = 1;
		return -1;
	}
	buf_append(&x->body, p, n);
	return 0;
}

/*
 * Picks the decoder from Content-Encoding at the first body byte.  One
 * coding at most: a chain ("gzip, gzip", or the header repeated) is refused
 * rather than unwrapped, so a thousand codings cost nothing.
 */
static void
decoder_start(struct fetch *x)
{
	struct curl_header *h;
	const char *v = NULL;
	size_t count = 0;

	if (curl_easy_header(x->easy, "Content-Encoding", 0, CURLH_HEADER, -1, &h) ==
	    CURLHE_OK) {
		v = h->value;
		count = h->amount;
	}
	x->dec = DEC_IDENTITY;
	if (v == NULL || *v == '\0' || strcasecmp(v, "identity") == 0)
		return;
	if (count > 1 || strchr(v, ',') != NULL) {
		x->dec = DEC_BAD;
		snprintf(x->dec_err, sizeof(x->dec_err),
		    "more than one Content-Encoding refused");
		return;
	}
	if (strcasecmp(v, "gzip") != 0 && strcasecmp(v, "x-gzip") != 0 &&
	    strcasecmp(v, "deflate") != 0) {
		x->dec = DEC_BAD;
		snprintf(x->dec_err, sizeof(x->dec_err), "unsupported Content-Encoding: %.40s", v);
		return;
	}
	x->dec_deflate = strcasecmp(v, "deflate") == 0;
	memset(&x->zs, 0, sizeof(x->zs));
	/* 15 + 32: a zlib or a gzip header, whichever comes. */
	if (inflateInit2(&x->zs, 15 + 32) != Z_OK)
		fatalx("inflateInit2 failed");
	x->dec = DEC_INFLATE;
}

static void
decoder_end(struct fetch *x)
{
	if (x->dec == DEC_INFLATE)
		inflateEnd(&x->zs);
	x->dec = DEC_UNKNOWN;
	x->dec_deflate = 0;
	x->dec_raw = 0;
	x->dec_end = 0;
	x->dec_err[0] = '\0';
}

/* Inflates p[0..n) into the body; -1 on corrupt data or over the cap. */
static int
inflate_some(struct fetch *x, const char *p, size_t n)
{
	char out[16384];
	int rc;

	x->zs.next_in = (Bytef *)(uintptr_t)p;
	x->zs.avail_in = (uInt)n;
	do {
		x->zs.next_out = (Bytef *)out;
		x->zs.avail_out = sizeof(out);
		rc = inflate(&x->zs, Z_NO_FLUSH);
		if (rc == Z_DATA_ERROR && x->dec_deflate && !x->dec_raw &&
		    x->zs.total_out == 0 && x->zs.total_in < 3) {
			/* Some servers send "deflate" without the zlib wrapper. */
			inflateEnd(&x->zs);
			memset(&x->zs, 0, sizeof(x->zs));
			if (inflateInit2(&x->zs, -15) != Z_OK)
				fatalx("inflateInit2 failed");
			x->dec_raw = 1;
			x->zs.next_in = (Bytef *)(uintptr_t)p;
			x->zs.avail_in = (uInt)n;
			continue;
		}
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			snprintf(x->dec_err, sizeof(x->dec_err), "corrupt compressed body (%s)",
			    x->zs.msg ? x->zs.msg : "zlib error");
			return -1;
		}
		if (body_append(x, out, sizeof(out) - x->zs.avail_out) < 0)
			return -1;
		if (rc == Z_STREAM_END)
			x->dec_end = 1;   /* NOTE: bytes after the stream are ignored */
		else if (rc == Z_BUF_ERROR)
			break;
		/* A full output buffer may leave output pending without input. */
	} while ((x->zs.avail_in > 0 || x->zs.avail_out == 0) && !x->dec_end);
	return 0;
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct fetch *x = userdata;
	size_t n = size * nmemb;

	if (x->dec == DEC_UNKNOWN)
		decoder_start(x);
	switch (x->dec) {
	case DEC_INFLATE:
		/* NOTE: a short write makes libcurl abort with CURLE_WRITE_ERROR. */
		return inflate_some(x, ptr, n) < 0 ? 0 : n;
	case DEC_BAD:
		return 0;
	default:
		return body_append(x, ptr, n) < 0 ? 0 : n;
	}
}

/*
 * Connect-time destination filter.  Checking the address the socket is
 * really for (after resolution, for every hop and every address tried)
 * defeats numeric spellings, DNS rebinding and redirects alike.
 */
static curl_socket_t
opensocket_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct fetch *x = clientp;
	enum addr_class c;

	if (purpose == CURLSOCKTYPE_IPCXN && !x->allow_private) {
		c = addr_classify(&a->addr, a->addrlen);
		if (c != ADDR_PUBLIC) {
			char host[64] = "?";
			const void *in = NULL;

			if (a->family == AF_INET)
				in = &((const struct sockaddr_in *)&a->addr)->sin_addr;
			else if (a->family == AF_INET6)
				in = &((const struct sockaddr_in6 *)&a->addr)->sin6_addr;
			if (in)
				inet_ntop(a->family, in, host, sizeof(host));
			snprintf(x->blocked, sizeof(x->blocked),
			    "refused to connect to %s (%s address; allow_private is off)",
			    host, addr_class_name(c));
			return CURL_SOCKET_BAD;
		}
	}
	return socket(a->family, a->socktype, a->protocol);
}

/*
 * The same check before every request, on the connection it will really
 * use: libcurl sends over a kept-alive connection without opening a
 * socket, so a connection opened for a feed that may reach private
 * addresses must not carry the request of a feed that may not.
 */
static int
prereq_cb(void *clientp, char *primary_ip, char *local_ip, int primary_port,
    int local_port)
{
	struct fetch *x = clientp;
	enum addr_class c;

	(void)local_ip;
	(void)primary_port;
	(void)local_port;
	if (x->allow_private)
		return CURL_PREREQFUNC_OK;
	c = addr_classify_string(primary_ip);
	if (c == ADDR_PUBLIC)
		return CURL_PREREQFUNC_OK;
	snprintf(x->blocked, sizeof(x->blocked),
	    "refused to connect to %s (%s address; allow_private is off)", primary_ip,
	    addr_class_name(c));
	return CURL_PREREQFUNC_ABORT;
}

/* --- transfers ------------------------------------------------------------ */

static void
fetch_unlink(struct fetch *x)
{
	struct fetcher *f = x->f;

	if (x->prev)
		x->prev->next = x->next;
	else
		f->list = x->next;
	if (x->next)
		x->next->prev = x->prev;
	f->active--;
}

static void
fetch_free(struct fetch *x)
{
	struct fetcher *f = x->f;

	ev_timer_stop(f->loop, &x->fail_later);
	if (x->easy) {
		curl_multi_remove_handle(f->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	decoder_end(x);
	curl_slist_free_all(x->headers);
	free(x->url_first);
	free(x->url_now);
	free(x->user_agent);
	free(x->etag);
	free(x->last_modified);
	free(x->fail_msg);
	buf_free(&x->body);
	free(x);
}

static const char *
header_value(CURL *easy, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return h->value;
}

/* Hands the outcome to the owner and frees the transfer. */
static void
fetch_finish(struct fetch *x, long status, const char *error)
{
	struct fetch_result r = { 0 };
	curl_off_t retry = 0;
	char *ctype = NULL;

	fetch_unlink(x);
	r.ok = error == NULL;
	r.status = status;
	r.error = error;
	r.body = x->body.data ? x->body.data : "";
	r.len = x->body.len;
	r.url = x->url_first;
	r.final_url = x->url_now;
	r.redirects = x->hops;
	r.permanent_url = x->hops > 0 && x->all_permanent ? x->url_now : NULL;
	r.retry_after = -1;
	r.seconds = now_monotonic() - x->started;
	if (x->easy && r.ok) {
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype);
		r.content_type = ctype;
		r.etag = header_value(x->easy, "ETag");
		r.last_modified = header_value(x->easy, "Last-Modified");
		if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK &&
		    retry > 0)
			r.retry_after = (double)retry;
	}
	x->done(&r, x->arg);
	fetch_free(x);
}

static int
is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 ||
	    status == 308;
}

/*
 * Follows one redirect by hand so that every hop is checked like the first
 * request.  Returns 0 when the transfer was re-added, or -1 with *why.
 */
static int
follow_redirect(struct fetch *x, long status, const char **why)
{
	char *target = NULL, *scheme, *old_scheme;

	curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &target);
	if (target == NULL) {
		*why = "redirect without a usable Location";
		return -1;
	}
	if (x->hops >= LIMIT_REDIRECTS) {
		*why = "too many redirects (limit " XSTR(LIMIT_REDIRECTS) ")";
		return -1;
	}
	scheme = url_scheme(target);
	if (scheme == NULL || (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		free(scheme);
		*why = "redirect to a scheme other than http or https refused";
		return -1;
	}
	old_scheme = url_scheme(x->url_now);
	if (old_scheme && strcmp(old_scheme, "https") == 0 && strcmp(scheme, "http") == 0) {
		free(scheme);
		free(old_scheme);
		*why = "redirect from https to http refused";
		return -1;
	}
	free(scheme);
	free(old_scheme);
	if (status != 301 && status != 308)
		x->all_permanent = 0;
	x->hops++;
	log_debug("%s: HTTP %ld redirect to %s", x->url_now, status, target);
	{
		char *next = xstrdup(target);   /* target belongs to the handle */

		free(x->url_now);
		x->url_now = next;
	}
	curl_multi_remove_handle(x->f->multi, x->easy);
	buf_reset(&x->body);
	decoder_end(x);
	x->over_limit = 0;
	x->blocked[0] = '\0';
	x->curl_err[0] = '\0';
	curl_easy_setopt(x->easy, CURLOPT_URL, x->url_now);
	if (curl_multi_add_handle(x->f->multi, x->easy) != CURLM_OK) {
		*why = "cannot restart the transfer for a redirect";
		return -1;
	}
	return 0;
}

static void
transfer_done(struct fetch *x, CURLcode rc)
{
	long status = 0;
	char msg[512];
	const char *why = NULL;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK && is_redirect(status)) {
		if (follow_redirect(x, status, &why) == 0)
			return;
		snprintf(msg, sizeof(msg), "HTTP %ld from %s: %s", status, x->url_now, why);
		fetch_finish(x, status, msg);
		return;
	}
	if (rc == CURLE_OK && x->dec == DEC_INFLATE && !x->dec_end &&
	    status >= 200 && status <= 299) {
		snprintf(msg, sizeof(msg), "compressed body ends early: truncated (%lu "
		    "bytes received)", (unsigned long)x->zs.total_in);
		fetch_finish(x, 0, msg);
		return;
	}
	if (rc == CURLE_OK) {
		fetch_finish(x, status, NULL);
		return;
	}
	if (x->over_limit)
		snprintf(msg, sizeof(msg), "response body larger than %lld bytes (max_bytes)",
		    x->max_bytes);
	else if (x->blocked[0])
		snprintf(msg, sizeof(msg), "%s", x->blocked);
	else if (x->dec_err[0])
		snprintf(msg, sizeof(msg), "%s", x->dec_err);
	else if (rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(msg, sizeof(msg), "announced body larger than %lld bytes (max_bytes)",
		    x->max_bytes);
	else if (rc == CURLE_OPERATION_TIMEDOUT && (strstr(x->curl_err, " after 0 ms") ||
	    strstr(x->curl_err, " after 0 milliseconds")))
		/*
		 * NOTE: libcurl 7.88 counts the time a transfer waits for one of
		 * the host's max_host_connections in its timeout, and then blames
		 * the phase it was about to start, 0 ms into it ("Resolving timed
		 * out with timeout after 0 ms", "Connection timed out after 0
		 * milliseconds").  Say what happened instead.
		 */
		snprintf(msg, sizeof(msg), "timed out after %.0fs waiting for a free connection "
		    "to the host (max_host_connections are busy)", now_monotonic() - x->started);
	else
		snprintf(msg, sizeof(msg), "%s", x->curl_err[0] ? x->curl_err : curl_easy_strerror(rc));
	if (x->hops > 0) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, " (after %d redirect%s, at %s)", x->hops,
		    x->hops == 1 ? "" : "s", x->url_now);
	}
	fetch_finish(x, 0, msg);
}

static void
check_multi_info(struct fetcher *f)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		struct fetch *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		/* NOTE: m is invalid once the handle is removed; read rc first. */
		transfer_done(x, m->data.result);
	}
}

static void
fail_later_fired(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fetch *x = w->data;
	char *msg = x->fail_msg;

	(void)loop;
	(void)revents;
	x->fail_msg = NULL;
	fetch_finish(x, 0, msg);
	free(msg);
}

static int
setup_easy(struct fetch *x)
{
	CURL *e = x->easy;
	long timeout_ms = (long)(x->timeout * 1000.0);
	long connect_ms = (long)(x->connect_timeout * 1000.0);
	/* "One byte every ten seconds" must fail long before the total timeout. */
	long low_speed_time = x->timeout < 30 ? (long)x->timeout : 30;
	int bad = 0;

	if (low_speed_time < 1)
		low_speed_time = 1;
	bad |= curl_easy_setopt(e, CURLOPT_URL, x->url_now);
	bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	bad |= curl_easy_setopt(e, CURLOPT_MAXREDIRS, 0L);
	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 10L);
	bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, low_speed_time);
	/* Decoded by write_cb (see struct fetch): gzip and deflate only. */
	bad |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
	bad |= curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, x->user_agent);
	bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_bytes);
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, opensocket_cb);
	bad |= curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
	bad |= curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, prereq_cb);
	bad |= curl_easy_setopt(e, CURLOPT_PREREQDATA, x);
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->curl_err);
	if (x->etag) {
		char *h = xasprintf("If-None-Match: %s", x->etag);
		x->headers = curl_slist_append(x->headers, h);
		free(h);
	}
	if (x->last_modified) {
		char *h = xasprintf("If-Modified-Since: %s", x->last_modified);
		x->headers = curl_slist_append(x->headers, h);
		free(h);
	}
	if (x->headers)
		bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	return bad ? -1 : 0;
}

struct fetch *
fetcher_start(struct fetcher *f, const struct fetch_request *req)
{
	struct fetch *x = xcalloc(1, sizeof(*x));
	const char *fail = NULL;

	x->f = f;
	x->url_first = xstrdup(req->url);
	x->url_now = xstrdup(req->url);
	x->user_agent = xstrdup(req->user_agent ? req->user_agent : "dateline/" DATELINE_VERSION);
	x->etag = xstrdup_or_null(req->etag);
	x->last_modified = xstrdup_or_null(req->last_modified);
	x->timeout = req->timeout > 0 ? req->timeout : 60;
	x->connect_timeout = req->connect_timeout > 0 ? req->connect_timeout : 15;
	x->max_bytes = req->max_bytes > 0 ? req->max_bytes : LIMIT_RESPONSE_BYTES_DEFAULT;
	x->allow_private = req->allow_private;
	x->all_permanent = 1;
	x->started = now_monotonic();
	x->done = req->done;
	x->arg = req->arg;
	buf_init(&x->body);
	ev_timer_init(&x->fail_later, fail_later_fired, 0., 0.);
	x->fail_later.data = x;

	x->next = f->list;
	if (f->list)
		f->list->prev = x;
	f->list = x;
	f->active++;

	if (!url_is_http(req->url))
		fail = "not an http or https URL";
	else if ((x->easy = curl_easy_init()) == NULL)
		fail = "cannot create a transfer";
	else if (setup_easy(x) < 0)
		fail = "cannot set up the transfer";
	else if (curl_multi_add_handle(f->multi, x->easy) != CURLM_OK)
		fail = "cannot start the transfer";
	if (fail) {
		/* Failures are reported from the loop, like every other outcome. */
		x->fail_msg = xstrdup(fail);
		ev_timer_start(f->loop, &x->fail_later);
	}
	return x;
}

void
fetcher_cancel(struct fetcher *f, struct fetch *x)
{
	(void)f;
	fetch_unlink(x);
	fetch_free(x);
}

size_t
fetcher_active(const struct fetcher *f)
{
	return f->active;
}

struct fetcher *
fetcher_new(struct ev_loop *loop, int max_total, int max_per_host)
{
	struct fetcher *f = xcalloc(1, sizeof(*f));

	f->loop = loop;
	f->multi = curl_multi_init();
	if (f->multi == NULL)
		fatalx("curl_multi_init failed");
	ev_timer_init(&f->timer, timer_fired, 0., 0.);
	f->timer.data = f;
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, multi_sock_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)max_total);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)max_per_host);
	return f;
}

void
fetcher_free(struct fetcher *f)
{
	if (f == NULL)
		return;
	while (f->list)
		fetcher_cancel(f, f->list);
	ev_timer_stop(f->loop, &f->timer);
	curl_multi_cleanup(f->multi);
	free(f);
}

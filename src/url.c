/*
 * url.c: URL resolution (RFC 3986 section 5) and the canonical form.
 *
 * Written from the RFC rather than on libxml2's xmlBuildURI: in 2.9.14
 * (Debian 12) that keeps the dot segments of an absolute-path reference
 * ("/./g" gives "http://a/./g", RFC 3986 5.4.2 says "http://a/g") and
 * returns NULL for a reference holding a space or a non-ASCII byte, both
 * common in feeds.  The algorithm is short, and the unit tests run every
 * example of section 5.4.
 */
#include "url.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* A URI split into its five components (RFC 3986 appendix B). */
struct uri {
	char *scheme;		/* NULL when absent */
	char *auth;		/* NULL when absent; "" for "file:///x" */
	char *path;		/* never NULL, may be "" */
	char *query;		/* NULL when absent; "" for a bare "?" */
	char *frag;		/* NULL when absent */
};

/* The parts of an authority, pointing into it. */
struct authority {
	const char *userinfo;	/* NULL when absent */
	size_t userinfo_len;
	const char *host;	/* includes the brackets of an IP literal */
	size_t host_len;
	const char *port;	/* NULL when absent; may be empty ("a:") */
	size_t port_len;
};

/*
 * Query parameters that only say how a reader arrived at a page, never
 * which page it is; compared case-insensitively, and every "utm_*" too.
 */
static const char *const tracking_params[] = {
	"_ga", "_gl", "_hsenc", "_hsmi", "cmp", "cmpid", "dclid", "fbclid",
	"gbraid", "gclid", "gclsrc", "icid", "igshid", "mc_cid", "mc_eid",
	"mkt_tok", "msclkid", "ncid", "ocid", "ref_src", "ref_url", "smid",
	"twclid", "wbraid", "xtor", "yclid",
};

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char
to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char
to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int
is_unreserved(int c)
{
	return is_alpha((char)c) || is_digit((char)c) || c == '-' || c == '.' ||
	    c == '_' || c == '~';
}

static char *
lower_dup(const char *s, size_t n)
{
	char *d = xstrndup(s, n);
	char *p;

	for (p = d; *p != '\0'; p++)
		*p = to_lower(*p);
	return d;
}

/*
 * A copy of s without leading and trailing whitespace and without the
 * tabs and line breaks inside it.
 * NOTE: feeds wrap long links across lines; browsers (WHATWG URL) drop
 * those characters, and so do we, so such a link still resolves.
 */
static char *
clean(const char *s)
{
	const char *e;
	struct buf b;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
	    *s == '\f' || *s == '\v')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r' || e[-1] == '\f' || e[-1] == '\v'))
		e--;
	buf_init(&b);
	for (; s < e; s++)
		if (*s != '\t' && *s != '\n' && *s != '\r')
			buf_putc(&b, *s);
	return buf_steal(&b);
}

static void
uri_parse(const char *s, struct uri *u)
{
	const char *p = s, *e;

	memset(u, 0, sizeof(*u));
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	if (is_alpha(*p)) {
		for (e = p + 1; is_alpha(*e) || is_digit(*e) || *e == '+' ||
		    *e == '-' || *e == '.'; e++)
			;
		if (*e == ':') {
			u->scheme = xstrndup(p, (size_t)(e - p));
			p = e + 1;
		}
	}
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		e = p + strcspn(p, "/?#");
		u->auth = xstrndup(p, (size_t)(e - p));
		p = e;
	}
	e = p + strcspn(p, "?#");
	u->path = xstrndup(p, (size_t)(e - p));
	p = e;
	if (*p == '?') {
		p++;
		e = p + strcspn(p, "#");
		u->query = xstrndup(p, (size_t)(e - p));
		p = e;
	}
	if (*p == '#')
		u->frag = xstrdup(p + 1);
}

static void
uri_free(struct uri *u)
{
	free(u->scheme);
	free(u->auth);
	free(u->path);
	free(u->query);
	free(u->frag);
}

/* Cleans and parses s; 0, or -1 when s is NULL. */
static int
uri_parse_clean(const char *s, struct uri *u)
{
	char *c;

	if (s == NULL)
		return -1;
	c = clean(s);
	uri_parse(c, u);
	free(c);
	return 0;
}

/* RFC 3986 5.3: the components back into one string. */
static char *
uri_compose(const struct uri *u)
{
	struct buf b;

	buf_init(&b);
	if (u->scheme != NULL) {
		buf_puts(&b, u->scheme);
		buf_putc(&b, ':');
	}
	if (u->auth != NULL) {
		buf_puts(&b, "//");
		buf_puts(&b, u->auth);
	}
	buf_puts(&b, u->path);
	if (u->query != NULL) {
		buf_putc(&b, '?');
		buf_puts(&b, u->query);
	}
	if (u->frag != NULL) {
		buf_putc(&b, '#');
		buf_puts(&b, u->frag);
	}
	return buf_steal(&b);
}

/* Drops the last segment of out and the "/" before it, if any. */
static void
pop_segment(struct buf *out)
{
	char *slash;

	if (out->len == 0)
		return;
	slash = memrchr(out->data, '/', out->len);
	out->len = slash != NULL ? (size_t)(slash - out->data) : 0;
	out->data[out->len] = '\0';
}

/* RFC 3986 5.2.4, step by step; returns a malloc'd path. */
static char *
remove_dot_segments(const char *path)
{
	char *in = xstrdup(path), *p = in;
	struct buf out;
	size_t n;

	buf_init(&out);
	while (*p != '\0') {
		if (strncmp(p, "../", 3) == 0)
			p += 3;				/* A */
		else if (strncmp(p, "./", 2) == 0)
			p += 2;				/* A */
		else if (strncmp(p, "/./", 3) == 0)
			p += 2;				/* B */
		else if (strcmp(p, "/.") == 0) {
			p[1] = '/';			/* B: "/." -> "/" */
			p += 1;
		} else if (strncmp(p, "/../", 4) == 0) {
			p += 3;				/* C */
			pop_segment(&out);
		} else if (strcmp(p, "/..") == 0) {
			p[2] = '/';			/* C: "/.." -> "/" */
			p += 2;
			pop_segment(&out);
		} else if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0)
			p += strlen(p);			/* D */
		else {
			n = *p == '/' ? 1 : 0;		/* E */
			n += strcspn(p + n, "/");
			buf_append(&out, p, n);
			p += n;
		}
	}
	free(in);
	return buf_steal(&out);
}

/* RFC 3986 5.2.3: ref's path relative to the base's. */
static char *
merge_paths(const struct uri *base, const char *ref_path)
{
	const char *slash;

	if (base->auth != NULL && *base->path == '\0')
		return xasprintf("/%s", ref_path);
	slash = strrchr(base->path, '/');
	if (slash == NULL)
		return xstrdup(ref_path);
	return xasprintf("%.*s%s", (int)(slash - base->path + 1), base->path,
	    ref_path);
}

char *
url_resolve(const char *base, const char *ref)
{
	struct uri b, r, t;
	char *merged, *path, *res = NULL;

	if (uri_parse_clean(ref, &r) == -1)
		return NULL;
	memset(&b, 0, sizeof(b));
	if (r.scheme == NULL &&
	    (uri_parse_clean(base, &b) == -1 || b.scheme == NULL))
		goto done;

	/* RFC 3986 5.2.2, strict: a scheme in ref always wins. */
	memset(&t, 0, sizeof(t));
	if (r.scheme != NULL) {
		t.scheme = r.scheme;
		t.auth = r.auth;
		path = remove_dot_segments(r.path);
		t.query = r.query;
	} else {
		t.scheme = b.scheme;
		if (r.auth != NULL) {
			t.auth = r.auth;
			path = remove_dot_segments(r.path);
			t.query = r.query;
		} else {
			t.auth = b.auth;
			if (*r.path == '\0') {
				path = xstrdup(b.path);
				t.query = r.query != NULL ? r.query : b.query;
			} else {
				if (*r.path == '/')
					path = remove_dot_segments(r.path);
				else {
					merged = merge_paths(&b, r.path);
					path = remove_dot_segments(merged);
					free(merged);
				}
				t.query = r.query;
			}
		}
	}
	t.path = path;
	t.frag = r.frag;
	res = uri_compose(&t);
	free(path);
done:
	uri_free(&b);
	uri_free(&r);
	return res;
}

/*
 * Splits an authority "[userinfo@]host[:port]"; -1 when it is malformed
 * (an IP literal without its "]", or text after it that is not a port).
 */
static int
split_authority(const char *auth, struct authority *a)
{
	const char *at, *h, *e;

	memset(a, 0, sizeof(*a));
	at = strrchr(auth, '@');
	h = at != NULL ? at + 1 : auth;
	if (at != NULL) {
		a->userinfo = auth;
		a->userinfo_len = (size_t)(at - auth);
	}
	if (*h == '[') {
		if ((e = strchr(h, ']')) == NULL)
			return -1;
		e++;
		if (*e != '\0' && *e != ':')
			return -1;
	} else
		e = h + strcspn(h, ":");
	a->host = h;
	a->host_len = (size_t)(e - h);
	if (*e == ':') {
		a->port = e + 1;
		a->port_len = strlen(e + 1);
	}
	return 0;
}

/* Nonzero when s[0..n) holds only bytes above 0x7f and ASCII from allowed. */
static int
chars_ok(const char *s, size_t n, const char *allowed)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c < 0x80 && !is_alpha((char)c) && !is_digit((char)c) &&
		    strchr(allowed, c) == NULL)
			return 0;
	}
	return 1;
}

/*
 * Nonzero when a has a host, and its host and userinfo hold only the
 * characters RFC 3986 3.2 allows there.
 * NOTE: "http://example.com\@evil.example/" is refused rather than read
 * as RFC 3986 reads it (host evil.example): browsers take the "\" for a
 * "/" (host example.com), and a URL two readers disagree on is not one
 * to store or fetch.  Bytes above 0x7f pass, so that an internationalised
 * name that a feed did not convert to punycode still names its host.
 */
static int
authority_ok(const struct authority *a)
{
	if (a->host_len == 0)
		return 0;
	if (a->userinfo != NULL &&
	    !chars_ok(a->userinfo, a->userinfo_len, "-._~%!$&'()*+,;=:"))
		return 0;
	if (a->host[0] == '[')
		return chars_ok(a->host, a->host_len, "-._~%!$&'()*+,;=:[]");
	return chars_ok(a->host, a->host_len, "-._~%!$&'()*+,;=");
}

static int
is_http_scheme(const char *scheme)
{
	return scheme != NULL && (strcasecmp(scheme, "http") == 0 ||
	    strcasecmp(scheme, "https") == 0);
}

/* Characters that never appear raw in a URI (RFC 3986 2, appendix A). */
static int
needs_encoding(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c) != NULL;
}

/* Whether s[0..n) has a "%" not followed by two hex digits before a "/". */
static int
segment_has_stray(const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i] != '/'; i++)
		if (s[i] == '%' && !(i + 2 < n && hex_value(s[i + 1]) >= 0 &&
		    hex_value(s[i + 2]) >= 0))
			return 1;
	return 0;
}

/*
 * Appends s[0..n) with percent-encodings normalised (RFC 3986 6.2.2.2):
 * an encoded unreserved character is decoded ("%7E" -> "~"), every other
 * encoding gets upper-case hex digits ("%2f" -> "%2F"), and a character
 * that may not appear raw (a space, a control, a non-ASCII byte) is
 * encoded, as browsers send it; so "a b", "a%20b" and "a%20b" agree.
 * NOTE: a "%" not followed by two hex digits is left alone: encoding it
 * could change what the server sees.  Next to such a stray "%", encoded
 * hex digits stay encoded: decoding "%3%33" to "%33" would make a new
 * escape, and the canonical form would change when canonicalized again.
 * Strays are looked for per segment: dot-segment removal drops whole
 * segments afterwards, and an escape never spans a "/".
 */
static void
put_normalised(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t i;
	int hi, lo, stray = 0;

	for (i = 0; i < n; i++) {
		if (i == 0 || s[i - 1] == '/')
			stray = segment_has_stray(s + i, n - i);
		c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n &&
		    (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0) {
			if (is_unreserved(hi * 16 + lo) &&
			    !(stray && hex_value((char)(hi * 16 + lo)) >= 0))
				buf_putc(b, (char)(hi * 16 + lo));
			else {
				buf_putc(b, '%');
				buf_putc(b, to_upper(s[i + 1]));
				buf_putc(b, to_upper(s[i + 2]));
			}
			i += 2;
		} else if (needs_encoding(c)) {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		} else
			buf_putc(b, (char)c);
	}
}

static int
is_tracking_param(const char *name, size_t n)
{
	size_t i;

	if (n >= 4 && strncasecmp(name, "utm_", 4) == 0)
		return 1;
	for (i = 0; i < ARRAY_LEN(tracking_params); i++)
		if (strlen(tracking_params[i]) == n &&
		    strncasecmp(name, tracking_params[i], n) == 0)
			return 1;
	return 0;
}

/* Appends "?query" without tracking and empty parameters, if any remain. */
static void
put_query(struct buf *out, const char *query)
{
	struct buf param;
	const char *p = query, *e;
	int first = 1;

	buf_init(&param);
	for (;;) {
		e = p + strcspn(p, "&");
		buf_reset(&param);
		put_normalised(&param, p, (size_t)(e - p));
		if (param.len > 0 &&
		    !is_tracking_param(param.data, strcspn(param.data, "="))) {
			buf_putc(out, first ? '?' : '&');
			buf_append(out, param.data, param.len);
			first = 0;
		}
		if (*e == '\0')
			break;
		p = e + 1;
	}
	buf_free(&param);
}

/*
 * NOTE: userinfo is dropped: credentials in a feed's links do not make a
 * different page, and must not end up in the database.  The fragment is
 * dropped too, "#!" included: fragments never reach the server.
 */
char *
url_canonical(const char *url)
{
	struct uri u;
	struct authority a;
	struct buf out, path;
	char *dots, *res = NULL;
	size_t i;
	long port = -1;

	if (uri_parse_clean(url, &u) == -1)
		return NULL;
	if (!is_http_scheme(u.scheme) || u.auth == NULL ||
	    split_authority(u.auth, &a) == -1 || !authority_ok(&a))
		goto done;
	if (a.port != NULL && a.port_len > 0) {
		port = 0;
		for (i = 0; i < a.port_len; i++) {
			if (!is_digit(a.port[i]))
				goto done;
			port = port * 10 + (a.port[i] - '0');
			if (port > 65535)
				goto done;
		}
	}

	buf_init(&out);
	for (i = 0; u.scheme[i] != '\0'; i++)
		buf_putc(&out, to_lower(u.scheme[i]));
	buf_puts(&out, "://");
	for (i = 0; i < a.host_len; i++)
		buf_putc(&out, to_lower(a.host[i]));
	if (port >= 0 && !(port == 80 && strcasecmp(u.scheme, "http") == 0) &&
	    !(port == 443 && strcasecmp(u.scheme, "https") == 0))
		buf_printf(&out, ":%ld", port);

	buf_init(&path);
	put_normalised(&path, u.path, strlen(u.path));
	dots = remove_dot_segments(path.data != NULL ? path.data : "");
	buf_free(&path);
	buf_puts(&out, *dots == '\0' ? "/" : dots);
	free(dots);

	if (u.query != NULL)
		put_query(&out, u.query);
	res = buf_steal(&out);
done:
	uri_free(&u);
	return res;
}

int
url_is_http(const char *url)
{
	struct uri u;
	struct authority a;
	int ok;

	if (uri_parse_clean(url, &u) == -1)
		return 0;
	ok = is_http_scheme(u.scheme) && u.auth != NULL &&
	    split_authority(u.auth, &a) == 0 && authority_ok(&a);
	uri_free(&u);
	return ok;
}

char *
url_scheme(const char *url)
{
	struct uri u;
	char *s = NULL;

	if (uri_parse_clean(url, &u) == -1)
		return NULL;
	if (u.scheme != NULL)
		s = lower_dup(u.scheme, strlen(u.scheme));
	uri_free(&u);
	return s;
}

/*
 * NOTE: an IPv6 literal comes back with its brackets ("[::1]"), as RFC
 * 3986 spells the host, so that "host:port" stays unambiguous.
 */
char *
url_host(const char *url)
{
	struct uri u;
	struct authority a;
	char *h = NULL;

	if (uri_parse_clean(url, &u) == -1)
		return NULL;
	if (u.scheme != NULL && u.auth != NULL &&
	    split_authority(u.auth, &a) == 0 && authority_ok(&a))
		h = lower_dup(a.host, a.host_len);
	uri_free(&u);
	return h;
}

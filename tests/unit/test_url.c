/*
 * test_url.c: RFC 3986 resolution and the canonical form.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "url.h"
#include "util.h"

#define RFC_BASE "http://a/b/c/d;p?q"

struct pair {
	const char *in;
	const char *want;	/* NULL: no result */
};

/* RFC 3986 5.4.1 */
static const struct pair rfc_normal[] = {
	{ "g:h", "g:h" },
	{ "g", "http://a/b/c/g" },
	{ "./g", "http://a/b/c/g" },
	{ "g/", "http://a/b/c/g/" },
	{ "/g", "http://a/g" },
	{ "//g", "http://g" },
	{ "?y", "http://a/b/c/d;p?y" },
	{ "g?y", "http://a/b/c/g?y" },
	{ "#s", "http://a/b/c/d;p?q#s" },
	{ "g#s", "http://a/b/c/g#s" },
	{ "g?y#s", "http://a/b/c/g?y#s" },
	{ ";x", "http://a/b/c/;x" },
	{ "g;x", "http://a/b/c/g;x" },
	{ "g;x?y#s", "http://a/b/c/g;x?y#s" },
	{ "", "http://a/b/c/d;p?q" },
	{ ".", "http://a/b/c/" },
	{ "./", "http://a/b/c/" },
	{ "..", "http://a/b/" },
	{ "../", "http://a/b/" },
	{ "../g", "http://a/b/g" },
	{ "../..", "http://a/" },
	{ "../../", "http://a/" },
	{ "../../g", "http://a/g" },
};

/* RFC 3986 5.4.2 */
static const struct pair rfc_abnormal[] = {
	{ "../../../g", "http://a/g" },
	{ "../../../../g", "http://a/g" },
	{ "/./g", "http://a/g" },
	{ "/../g", "http://a/g" },
	{ "g.", "http://a/b/c/g." },
	{ ".g", "http://a/b/c/.g" },
	{ "g..", "http://a/b/c/g.." },
	{ "..g", "http://a/b/c/..g" },
	{ "./../g", "http://a/b/g" },
	{ "./g/.", "http://a/b/c/g/" },
	{ "g/./h", "http://a/b/c/g/h" },
	{ "g/../h", "http://a/b/c/h" },
	{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
	{ "g;x=1/../y", "http://a/b/c/y" },
	{ "g?y/./x", "http://a/b/c/g?y/./x" },
	{ "g?y/../x", "http://a/b/c/g?y/../x" },
	{ "g#s/./x", "http://a/b/c/g#s/./x" },
	{ "g#s/../x", "http://a/b/c/g#s/../x" },
	{ "http:g", "http:g" },		/* strict parser */
};

static const struct pair canonical[] = {
	{ "HTTP://WWW.Example.COM/Path", "http://www.example.com/Path" },
	{ "HTTPS://EXAMPLE.COM/A/B/", "https://example.com/A/B/" },
	{ "http://example.com", "http://example.com/" },
	{ "http://example.com?a=1", "http://example.com/?a=1" },
	{ "http://example.com:80/a", "http://example.com/a" },
	{ "https://example.com:443/a", "https://example.com/a" },
	{ "http://example.com:443/a", "http://example.com:443/a" },
	{ "https://example.com:80/a", "https://example.com:80/a" },
	{ "http://example.com:8080/a", "http://example.com:8080/a" },
	{ "http://example.com:/a", "http://example.com/a" },
	{ "http://example.com:0080/a", "http://example.com/a" },
	{ "http://example.com:00000000008080/a", "http://example.com:8080/a" },
	{ "https://example.com:65535/a", "https://example.com:65535/a" },
	{ "https://example.com:65536/a", NULL },
	{ "http://example.com/a/./b/../c", "http://example.com/a/c" },
	{ "http://example.com/../a", "http://example.com/a" },
	{ "http://example.com/a/%2E%2E/b", "http://example.com/b" },
	{ "http://example.com/a#frag", "http://example.com/a" },
	{ "http://example.com/#!/story/1", "http://example.com/" },
	{ "http://example.com/a?utm_source=rss&utm_medium=feed",
	    "http://example.com/a" },
	{ "http://example.com/a?id=5&utm_source=rss&page=2",
	    "http://example.com/a?id=5&page=2" },
	{ "http://example.com/a?fbclid=IwAR0xyz", "http://example.com/a" },
	{ "http://example.com/a?gclid=1&b=2&mc_cid=3&mc_eid=4&ocid=5",
	    "http://example.com/a?b=2" },
	{ "http://example.com/a?msclkid=1&dclid=2&igshid=3&_ga=4&yclid=5&x=6",
	    "http://example.com/a?x=6" },
	{ "http://example.com/a?UTM_Source=x&q=1", "http://example.com/a?q=1" },
	{ "http://example.com/a?utm%5Fsource=x&q=1", "http://example.com/a?q=1" },
	{ "http://example.com/a?xtor=RSS-1&id=2", "http://example.com/a?id=2" },
	{ "http://example.com/?utm_campaign", "http://example.com/" },
	{ "http://example.com/a?utm_source=x#utm_medium=y", "http://example.com/a" },
	{ "http://example.com/a?", "http://example.com/a" },
	{ "http://example.com/a?&&b=1&", "http://example.com/a?b=1" },
	{ "http://example.com/a?b=1&a=2", "http://example.com/a?b=1&a=2" },
	{ "http://example.com/a?ref=home", "http://example.com/a?ref=home" },
	{ "http://example.com/a?q=a+b&utm_term=x", "http://example.com/a?q=a+b" },
	{ "http://example.com/a?q=%e2%82%ac", "http://example.com/a?q=%E2%82%AC" },
	{ "http://example.com/%7Euser/%2fa%2Fb", "http://example.com/~user/%2Fa%2Fb" },
	{ "http://user:pass@example.com/a", "http://example.com/a" },
	{ "http://user@Example.com:8080/a", "http://example.com:8080/a" },
	{ "http://[::1]:8080/a", "http://[::1]:8080/a" },
	{ "http://[2001:DB8::1]/", "http://[2001:db8::1]/" },
	{ "http://[::1]:80/", "http://[::1]/" },
	{ "  https://example.com/a\n", "https://example.com/a" },
	{ "http://example.com/news/\n  india/story",
	    "http://example.com/news/%20%20india/story" },
	{ "http://example.com/a b?q=x y", "http://example.com/a%20b?q=x%20y" },
	{ "http://example.com/a%20b?q=x%20y", "http://example.com/a%20b?q=x%20y" },
	{ "http://example.com/caf\xc3\xa9", "http://example.com/caf%C3%A9" },
	{ "http://example.com/caf%c3%a9", "http://example.com/caf%C3%A9" },
	{ "http://example.com/a?q=\"x\"&r=<y>", "http://example.com/a?q=%22x%22&r=%3Cy%3E" },
	{ "http://example.com/50%off", "http://example.com/50%off" },
	{ "http://B\xc3\xbc" "CHER.example/", "http://b\xc3\xbc" "cher.example/" },
	{ "http://example.com/news/\nindia/story", "http://example.com/news/india/story" },
	{ "ftp://example.com/a", NULL },
	{ "mailto:desk@example.com", NULL },
	{ "javascript:alert(1)", NULL },
	{ "file:///etc/passwd", NULL },
	{ "http:///a", NULL },
	{ "http:/a", NULL },
	{ "http://user@/a", NULL },
	{ "/relative/path", NULL },
	{ "//example.com/a", NULL },
	{ "", NULL },
	{ "http://example.com:99999/", NULL },
	{ "http://example.com:8o/", NULL },
	{ "http://[::1/", NULL },
	{ "http://[::1]x/", NULL },
	{ "http://exa mple.com/", NULL },
	{ "http://example.com\\@evil.example/", NULL },
	{ "http://exa<mple.com/", NULL },
};

/* s with line breaks escaped, so that a TAP line stays one line. */
static const char *
show(const char *s)
{
	static char out[2][256];
	static int which;
	char *o = out[which ^= 1];
	size_t n = 0;

	if (s == NULL)
		return "NULL";
	for (; *s != '\0' && n < sizeof(out[0]) - 3; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t') {
			o[n++] = '\\';
			o[n++] = *s == '\n' ? 'n' : *s == '\r' ? 'r' : 't';
		} else
			o[n++] = *s;
	}
	o[n] = '\0';
	return o;
}

static void
check_resolve(const char *base, const char *ref, const char *want)
{
	char *got = url_resolve(base, ref);

	is_str(got, want, "resolve(%s, \"%s\")", show(base), show(ref));
	free(got);
}

static void
test_rfc(void)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(rfc_normal); i++)
		check_resolve(RFC_BASE, rfc_normal[i].in, rfc_normal[i].want);
	for (i = 0; i < ARRAY_LEN(rfc_abnormal); i++)
		check_resolve(RFC_BASE, rfc_abnormal[i].in, rfc_abnormal[i].want);
}

static void
test_resolve_more(void)
{
	char *a, *b, *c;

	/* An Atom feed's xml:base chain: document URL, feed, entry, link. */
	a = url_resolve("https://www.example.com/news/india/feed.xml", "/feeds/");
	is_str(a, "https://www.example.com/feeds/", "xml:base 1: absolute path");
	b = url_resolve(a, "entries/2024/");
	is_str(b, "https://www.example.com/feeds/entries/2024/",
	    "xml:base 2: relative path");
	c = url_resolve(b, "../../img/a.jpg?w=640#top");
	is_str(c, "https://www.example.com/feeds/img/a.jpg?w=640#top",
	    "xml:base 3: dot segments");
	free(a);
	free(b);
	free(c);

	/* An xml:base that moves to another host, then a relative link. */
	a = url_resolve("http://a.example/b/", "https://cdn.example.org/x/");
	b = url_resolve(a, "y.png");
	is_str(b, "https://cdn.example.org/x/y.png", "xml:base to another host");
	free(a);
	free(b);
	a = url_resolve("https://www.example.com/a/b", "//cdn.example.org/p.jpg");
	is_str(a, "https://cdn.example.org/p.jpg", "scheme-relative keeps https");
	free(a);

	check_resolve("http://example.com", "story", "http://example.com/story");
	check_resolve("http://example.com", "?page=2", "http://example.com?page=2");
	check_resolve("http://example.com/a/b", "", "http://example.com/a/b");
	check_resolve("http://example.com/a/b#top", "", "http://example.com/a/b");
	check_resolve("http://example.com/a/b#top", "#end",
	    "http://example.com/a/b#end");
	check_resolve("http://example.com/a/b?x=1", "?", "http://example.com/a/b?");
	check_resolve("http://example.com/a/", "b c", "http://example.com/a/b c");
	check_resolve("http://example.com/a/", "  story.html \n",
	    "http://example.com/a/story.html");
	check_resolve("http://example.com/a/", "\thttp://other.example/x\r\n",
	    "http://other.example/x");
	check_resolve("http://example.com/a/", "very/long/\npath",
	    "http://example.com/a/very/long/path");
	check_resolve("http://example.com/a/", "mailto:desk@example.com",
	    "mailto:desk@example.com");
	check_resolve("HTTP://Example.COM/a/", "b", "HTTP://Example.COM/a/b");
	check_resolve("http://example.com/a/", "http://other.example/./x/../y",
	    "http://other.example/y");
	check_resolve(NULL, "https://example.com/x", "https://example.com/x");
	check_resolve(NULL, "story.html", NULL);
	check_resolve(NULL, "#frag", NULL);
	check_resolve("relative/base/", "story.html", NULL);
	check_resolve("relative/base/", "https://example.com/x",
	    "https://example.com/x");
	check_resolve("", "g", NULL);
	check_resolve("http://a/b", NULL, NULL);
}

static void
test_canonical(void)
{
	char *got, *again;
	size_t i;

	for (i = 0; i < ARRAY_LEN(canonical); i++) {
		got = url_canonical(canonical[i].in);
		is_str(got, canonical[i].want, "canonical(\"%s\")",
		    show(canonical[i].in));
		if (got != NULL) {
			again = url_canonical(got);
			is_str(again, got, "canonical is idempotent on \"%s\"",
			    got);
			free(again);
		}
		free(got);
	}
	ok(url_canonical(NULL) == NULL, "canonical(NULL)");
}

static void
check_str(char *got, const char *want, const char *what, const char *in)
{
	is_str(got, want, "%s(\"%s\")", what, show(in));
	free(got);
}

static void
test_accessors(void)
{
	ok(url_is_http("http://a/"), "is_http http");
	ok(url_is_http("HTTPS://a"), "is_http HTTPS, no path");
	ok(url_is_http(" https://example.com/x "), "is_http with spaces");
	ok(url_is_http("http://[::1]:8080/"), "is_http IPv6 literal");
	ok(!url_is_http("https:///x"), "is_http: empty host");
	ok(!url_is_http("http:/a"), "is_http: no authority");
	ok(!url_is_http("http://user@/a"), "is_http: only userinfo");
	ok(!url_is_http("ftp://a/"), "is_http: ftp");
	ok(!url_is_http("file:///etc/passwd"), "is_http: file");
	ok(!url_is_http("gopher://a/"), "is_http: gopher");
	ok(!url_is_http("javascript:alert(1)"), "is_http: javascript");
	ok(!url_is_http("//a/b"), "is_http: scheme-relative");
	ok(!url_is_http("/a/b"), "is_http: path");
	ok(!url_is_http(""), "is_http: empty");
	ok(!url_is_http(NULL), "is_http: NULL");
	ok(!url_is_http("httpx://a/"), "is_http: httpx");
	ok(!url_is_http("http://exa mple.com/"), "is_http: space in host");
	ok(!url_is_http("http://a\\@127.0.0.1/"), "is_http: backslash in userinfo");

	check_str(url_scheme("HTTP://a/"), "http", "scheme", "HTTP://a/");
	check_str(url_scheme("Mailto:x@y"), "mailto", "scheme", "Mailto:x@y");
	check_str(url_scheme("a+b.c-d:x"), "a+b.c-d", "scheme", "a+b.c-d:x");
	check_str(url_scheme("/a:b"), NULL, "scheme", "/a:b");
	check_str(url_scheme("1http://a/"), NULL, "scheme", "1http://a/");
	check_str(url_scheme("a b:c"), NULL, "scheme", "a b:c");
	check_str(url_scheme(""), NULL, "scheme", "");
	ok(url_scheme(NULL) == NULL, "scheme(NULL)");

	check_str(url_host("http://WWW.Example.com:8080/a"), "www.example.com",
	    "host", "http://WWW.Example.com:8080/a");
	check_str(url_host("https://user:pw@Example.com/"), "example.com",
	    "host", "https://user:pw@Example.com/");
	check_str(url_host("http://[::1]:8080/"), "[::1]", "host",
	    "http://[::1]:8080/");
	check_str(url_host("ftp://ftp.Example.org/pub"), "ftp.example.org",
	    "host", "ftp://ftp.Example.org/pub");
	check_str(url_host("https://example.com?x"), "example.com", "host",
	    "https://example.com?x");
	check_str(url_host("/a"), NULL, "host", "/a");
	check_str(url_host("//example.com/a"), NULL, "host", "//example.com/a");
	check_str(url_host("mailto:x@y"), NULL, "host", "mailto:x@y");
	check_str(url_host("http:///a"), NULL, "host", "http:///a");
	check_str(url_host("file:///etc/passwd"), NULL, "host",
	    "file:///etc/passwd");
	ok(url_host(NULL) == NULL, "host(NULL)");
}

int
main(void)
{
	test_rfc();
	test_resolve_more();
	test_canonical();
	test_accessors();
	return tap_done();
}

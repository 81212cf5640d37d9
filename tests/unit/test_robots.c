/*
 * test_robots.c: robots.txt parsing and matching (RFC 9309 examples).
 */
#include <stdlib.h>
#include <string.h>

#include "robots.h"
#include "tap.h"
#include "util.h"

static struct robots *
parse(const char *text)
{
	return robots_parse(text, strlen(text), "dateline");
}

int
main(void)
{
	struct robots *r;

	r = parse("User-agent: *\nDisallow: /private/\nAllow: /private/ok\n");
	ok(robots_allowed(r, "/news/1"), "unlisted path allowed");
	ok(!robots_allowed(r, "/private/x"), "disallowed prefix");
	ok(robots_allowed(r, "/private/ok.html"), "longer allow wins");
	ok(robots_allowed(r, "/robots.txt"), "robots.txt itself always allowed");
	robots_free(r);

	r = parse("User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /a\n");
	ok(robots_allowed(r, "/b") && !robots_allowed(r, "/a/1"), "star group when not named");
	robots_free(r);

	r = parse("User-agent: *\nDisallow: /\n\nuser-agent: Dateline/0.1\nDisallow: /x\nCrawl-delay: 2.5\n");
	ok(robots_allowed(r, "/b") && !robots_allowed(r, "/x"), "our group wins over star");
	ok(robots_crawl_delay(r) == 2.5, "crawl-delay of our group");
	robots_free(r);

	r = parse("User-agent: a\nUser-agent: dateline\nDisallow: /shared\n");
	ok(!robots_allowed(r, "/shared/1"), "group with several agents");
	robots_free(r);

	r = parse("User-agent: *\nDisallow: /*.php$\nDisallow: /fish*food\n");
	ok(!robots_allowed(r, "/index.php"), "$ anchors: match");
	ok(robots_allowed(r, "/index.php?x=1"), "$ anchors: query makes it differ");
	ok(!robots_allowed(r, "/fish/and/food"), "* wildcard");
	ok(robots_allowed(r, "/fishy"), "wildcard needs the rest");
	robots_free(r);

	r = parse("User-agent: *\nDisallow: /page\nAllow: /page\n");
	ok(robots_allowed(r, "/page"), "tie: allow wins");
	robots_free(r);

	r = parse("User-agent: *\nDisallow:\n");
	ok(robots_allowed(r, "/anything"), "empty disallow allows all");
	robots_free(r);

	r = parse("\xff\xfe garbage\n<html>not robots</html>\nDisallow /x\n");
	ok(robots_allowed(r, "/x"), "garbage means no rules");
	robots_free(r);

	r = parse("# comment\nUser-Agent: * # all\r\nDISALLOW: /c # no\r\n");
	ok(!robots_allowed(r, "/c"), "comments, CRLF, case-insensitive keys");
	robots_free(r);

	r = robots_disallow_all();
	ok(!robots_allowed(r, "/"), "disallow-all (server error)");
	robots_free(r);
	r = robots_allow_all();
	ok(robots_allowed(r, "/x"), "allow-all (no robots.txt)");
	robots_free(r);

	{
		/* A hostile file: many rules, long wildcard patterns: bounded. */
		struct buf b;
		buf_init(&b);
		buf_puts(&b, "User-agent: *\n");
		for (int i = 0; i < 100000; i++)
			buf_puts(&b, "Disallow: /a*a*a*a*a*a*a*a*a*a*a*a*b\n");
		r = robots_parse(b.data, b.len, "dateline");
		ok(robots_allowed(r, "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "hostile file: bounded and correct");
		robots_free(r);
		buf_free(&b);
	}
	return tap_done();
}

/*
 * test_editions.c: the pure parts of e-paper editions: URL templates,
 * schedules, index pages, continued clips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "clips.h"
#include "dates.h"
#include "epindex.h"
#include "schedule.h"
#include "tap.h"
#include "template.h"
#include "util.h"

static void
test_template(void)
{
	char err[256], *u;
	int has;

	is_int(template_check("https://e.example.com/{edition}/{date:%Y-%m-%d}/", &has, err,
	    sizeof(err)), 0, "template with both placeholders");
	is_int(has, 1, "has {edition}");
	u = template_expand("https://e.example.com/{edition}/{date:%Y-%m-%d}/p1.html",
	    "Navi Mumbai/2", 2024, 6, 9);
	is_str(u, "https://e.example.com/Navi%20Mumbai%2F2/2024-06-09/p1.html",
	    "edition percent-encoded, date formatted");
	free(u);
	u = template_expand("https://e.example.com/{date:%d%b%Y}/{date:%a}/{date:%j}?d={date:%F}",
	    NULL, 2024, 3, 1);
	is_str(u, "https://e.example.com/01Mar2024/Fri/061?d=2024-03-01",
	    "C-locale names, day of year, several dates");
	free(u);
	is_int(template_check("https://e.example.com/{date:%d}/", &has, err, sizeof(err)), 0,
	    "date only");
	is_int(has, 0, "no {edition}");
	is_int(template_check("https://e.example.com/static/", &has, err, sizeof(err)), 0,
	    "no placeholders at all");

	is_int(template_check("https://e.example.com/{city}/", &has, err, sizeof(err)), -1,
	    "unknown placeholder");
	is_str(err, "unknown placeholder '{city}' (expected {edition} or {date:FORMAT})",
	    "says which");
	is_int(template_check("https://e.example.com/{date:%H}/", &has, err, sizeof(err)), -1,
	    "time conversion");
	ok(strstr(err, "'%H' in {date:%H} is not a date conversion") != NULL, "says why: %s", err);
	is_int(template_check("https://e.example.com/{date:}/", &has, err, sizeof(err)), -1,
	    "empty format");
	is_int(template_check("https://e.example.com/{date:%Y/", &has, err, sizeof(err)), -1,
	    "unclosed");
	is_str(err, "'{' without '}' at character 23", "says where");
	is_int(template_check("https://e.example.com/}/", &has, err, sizeof(err)), -1, "stray }");
	is_int(template_check("https://e.example.com/{date:%Y%}/", &has, err, sizeof(err)), -1,
	    "trailing %%");
	is_int(template_check("{edition}/{date:%Y}", &has, err, sizeof(err)), -1, "not a URL");
	is_str(err, "not an absolute http or https URL once expanded", "says so");
	ok(template_has_placeholders("https://x/{edition}") &&
	    template_has_placeholders("https://x/{date:%Y}") &&
	    !template_has_placeholders("https://x/{other}"), "placeholders spotted");
}

/* The instant of a UTC time. */
static int64_t
utc(const char *s)
{
	int64_t t = 0;

	if (date_parse(s, NULL, &t) < 0)
		abort();
	return t;
}

static void
test_schedule(void)
{
	struct edition_schedule s;
	struct edition_date d[8];
	char buf[64], ds[EDITION_DATE_LEN];
	size_t n;

	is_int(schedule_parse("daily 05:00", &s), 0, "daily");
	is_int(s.days, 0x7f, "every day");
	is_int(s.minute, 300, "05:00");
	schedule_format(&s, buf, sizeof(buf));
	is_str(buf, "daily 05:00", "canonical");
	is_int(schedule_parse("mon-sat 6:30", &s), 0, "a range, one-digit hour");
	schedule_format(&s, buf, sizeof(buf));
	is_str(buf, "mon-sat 06:30", "range written back");
	is_int(schedule_parse("Mon,Wed,fri,sun 23:59", &s), 0, "a list");
	schedule_format(&s, buf, sizeof(buf));
	is_str(buf, "mon,wed,fri,sun 23:59", "list written back");
	is_int(schedule_parse("sat-mon 00:00", &s), 0, "a range over the weekend");
	schedule_format(&s, buf, sizeof(buf));
	is_str(buf, "mon,sat,sun 00:00", "Sunday follows Saturday");
	is_int(schedule_parse("mon,tue 07:15", &s), 0, "two days");
	schedule_format(&s, buf, sizeof(buf));
	is_str(buf, "mon,tue 07:15", "two days are a list");
	ok(schedule_parse("weekly 05:00", &s) < 0, "unknown word");
	ok(schedule_parse("daily 24:00", &s) < 0, "hour out of range");
	ok(schedule_parse("daily 5", &s) < 0, "no minutes");
	ok(schedule_parse("daily", &s) < 0, "no time");
	ok(schedule_parse("mon- 05:00", &s) < 0, "half a range");
	ok(schedule_parse("mon, 05:00", &s) < 0, "trailing comma");
	ok(schedule_parse("daily 05:00 extra", &s) < 0, "trailing words");
	ok(schedule_parse(" daily 05:00", &s) < 0, "leading space");

	/* 2024-06-19 is a Wednesday; 05:00 in Kolkata is 23:30 UTC the day before. */
	schedule_parse("daily 05:00", &s);
	n = schedule_due(&s, "Asia/Kolkata", 2, utc("2024-06-18T23:29:00Z"), d, 8);
	is_int(n, 2, "before 05:00 local: only the backfill days");
	edition_date_format(&d[0], ds);
	is_str(ds, "2024-06-18", "yesterday (local) first");
	n = schedule_due(&s, "Asia/Kolkata", 2, utc("2024-06-18T23:30:00Z"), d, 8);
	is_int(n, 3, "from 05:00 local: today too");
	edition_date_format(&d[0], ds);
	is_str(ds, "2024-06-19", "today's date is local, not UTC");
	edition_date_format(&d[2], ds);
	is_str(ds, "2024-06-17", "newest first");
	n = schedule_due(&s, "Asia/Kolkata", 0, utc("2024-06-19T10:00:00Z"), d, 8);
	is_int(n, 1, "no backfill: today only");
	is_int(schedule_due(&s, "Asia/Kolkata", 5, utc("2024-06-19T10:00:00Z"), d, 2), 2,
	    "bounded by max");
	schedule_parse("mon-fri 05:00", &s);
	n = schedule_due(&s, "UTC", 6, utc("2024-06-24T06:00:00Z"), d, 8);    /* Monday */
	is_int(n, 5, "weekend days skipped");
	is_int(schedule_due(&s, "No/Such_Zone", 1, utc("2024-06-24T06:00:00Z"), d, 8), 0,
	    "unknown zone: nothing due");

	schedule_parse("daily 05:00", &s);
	ok(schedule_next(&s, "Asia/Kolkata", utc("2024-06-18T23:00:00Z")) == 1800,
	    "next edition in half an hour");
	ok(schedule_next(&s, "Asia/Kolkata", utc("2024-06-18T23:30:00Z")) == 86400,
	    "just released: the next is a day away");
	schedule_parse("sat 05:00", &s);
	ok(schedule_next(&s, "UTC", utc("2024-06-22T06:00:00Z")) == 7 * 86400 - 3600,
	    "weekly: a week away");
	/* America/New_York springs forward at 02:00 on 2024-03-10: 02:30 does not exist. */
	schedule_parse("daily 02:30", &s);
	n = schedule_due(&s, "America/New_York", 0, utc("2024-03-10T07:31:00Z"), d, 8);
	is_int(n, 1, "a time in a DST gap still comes");
}

static void
cut(const char *in, const char *want, int want_to, int want_from, const char *name)
{
	int to, from;
	char *s = clips_cut_jumps(in, &to, &from);

	is_str(s, want, "%s: text", name);
	ok(to == want_to && from == want_from, "%s: to %d (want %d), from %d (want %d)", name,
	    to, want_to, from, want_from);
	free(s);
}

static void
test_jumps(void)
{
	cut("First para.\n\nSecond para. Continued on page 4", "First para.\n\nSecond para.",
	    4, 0, "at the end of the last paragraph");
	cut("Text.\n\nContd. on P5", "Text.", 5, 0, "Contd. on P5, own paragraph");
	cut("Text here (Continued on Page 12)", "Text here", 12, 0, "in brackets");
	cut("Text here - CONTINUED ON PAGE 3 >>", "Text here", 3, 0, "upper case, arrows");
	cut("Text. Turn to Page 9", "Text.", 9, 0, "turn to");
	cut("Text. Cont'd on p. 7", "Text.", 7, 0, "cont'd on p.");
	cut("Text. Contd on pg 11.", "Text.", 11, 0, "pg");
	cut("Continued from page 1\n\nThe rest of it.", "The rest of it.", 0, 1,
	    "continued from, own paragraph");
	cut("Contd from P1 The rest.", "The rest.", 0, 1, "glued to the text");
	cut("From Page 1: The rest.", "The rest.", 0, 1, "from page");
	cut("(Continued from page 2) Middle part. Continued on page 6", "Middle part.", 6, 2,
	    "both ends");
	cut("He visited 4 pages of records. See page 4 of the report for details.",
	    "He visited 4 pages of records. See page 4 of the report for details.", 0, 0,
	    "a page reference inside a sentence is text");
	cut("The page count was 4", "The page count was 4", 0, 0, "no jump word");
	cut("Continued on page 4000", "Continued on page 4000", 0, 0, "implausible page");
	cut("Continued on page", "Continued on page", 0, 0, "no number");
	cut("", "", 0, 0, "empty");
	cut("Continued on page 4", "", 4, 0, "nothing but the jump");
}

static void
test_chain(void)
{
	struct clip c[] = {
		/* page 1: two stories jumping to page 4, one to page 5 */
		{ 1, 0, "Metro line to open in August", "Metro one.", 4, 0 },
		{ 1, 1, "Rains lash city, trains delayed", "Rains one.", 4, 0 },
		{ 1, 2, "Budget session from July", "Budget one.", 5, 0 },
		/* page 4: the two continuations, in the other order */
		{ 4, 3, "Rains lash city", "Rains two.", 9, 1 },
		{ 4, 4, "Metro line", "Metro two.", 0, 1 },
		/* page 9: rains goes on */
		{ 9, 5, "Rains", "Rains three.", 0, 4 },
		/* page 5: says it comes from page 2: no pair */
		{ 5, 6, "Budget", "Budget two.", 0, 2 },
		/* a clip continued from itself is ignored */
		{ 7, 7, "Loop", "Loop.", 7, 7 },
	};
	long next[ARRAY_LEN(c)];
	char *s;

	clips_chain(c, ARRAY_LEN(c), next);
	is_int(next[0], 4, "metro pairs by title, not order");
	is_int(next[1], 3, "rains pairs by title");
	is_int(next[3], 5, "and goes on to page 9");
	is_int(next[2], -1, "budget's continuation names another page");
	is_int(next[7], -1, "no clip continues itself");
	s = clips_join(c, next, 1, 1000);
	is_str(s, "Rains one.\n\nRains two.\n\nRains three.", "a chain of three joined");
	free(s);
	s = clips_join(c, next, 1, 22);
	is_str(s, "Rains one.\n\nRains two.", "bounded at a paragraph");
	free(s);

	/* Without telling titles: pairs in page order. */
	struct clip d[] = {
		{ 1, 0, "A", "a1", 2, 0 }, { 1, 1, "B", "b1", 2, 0 },
		{ 2, 2, "X", "a2", 0, 1 }, { 2, 3, "Y", "b2", 0, 1 },
	};
	long dn[4];

	clips_chain(d, 4, dn);
	ok(dn[0] == 2 && dn[1] == 3, "first with first, second with second");

	/* A cycle is refused: 1 -> 2 -> 1. */
	struct clip e[] = { { 1, 0, "Same", "x", 2, 2 }, { 2, 1, "Same", "y", 1, 1 } };
	long en[2];

	clips_chain(e, 2, en);
	ok((en[0] == 1) + (en[1] == 0) == 1, "one of the two links, never both");
}

static const char index_html[] =
    "<html><head><title>Mumbai edition</title></head><body>"
    "<div class='page' data-page='3'>"
    "<a class='clip' href='/mumbai/2024-06-19/a1.html'>Metro line <b>to open</b></a>"
    "<a class='clip' href='a2.html#top'>Rains</a>"
    "<a class='clip' href='a2.html'>Rains again</a>"
    "<a class='clip' href='https://elsewhere.example/x.html'>Off site</a>"
    "<a class='clip' href='javascript:alert(1)'>Script</a>"
    "<a class='clip' href='index.html'>Self</a>"
    "<a class='clip' href='a3.html'>Three</a>"
    "</div><a rel='next' href='page4.html'>Next</a></body></html>";

static void
test_index(void)
{
	struct epindex_opts o = { 0 };
	struct epindex x;
	char err[256];

	o.url = "https://epaper.example.com/mumbai/2024-06-19/index.html";
	o.follow = "//a[@class='clip']/@href";
	o.next = "//a[@rel='next']";
	o.page_number = "ancestor::div[@data-page][1]/@data-page";
	o.max_links = 100;
	is_int(epindex_parse(index_html, strlen(index_html), &o, &x, err, sizeof(err)), 0,
	    "parses");
	is_int(x.nlinks, 3, "three links kept");
	is_str(x.nlinks > 0 ? x.links[0].url : NULL,
	    "https://epaper.example.com/mumbai/2024-06-19/a1.html", "resolved");
	is_str(x.nlinks > 0 ? x.links[0].title : NULL, "Metro line to open", "titled");
	is_int(x.nlinks > 0 ? x.links[0].page : -1, 3, "page number from the page's div");
	is_str(x.nlinks > 1 ? x.links[1].url : NULL,
	    "https://epaper.example.com/mumbai/2024-06-19/a2.html", "fragment dropped, once");
	is_int(x.offsite, 1, "the off-site link counted, not kept");
	is_str(x.next, "https://epaper.example.com/mumbai/2024-06-19/page4.html", "next page");
	epindex_free(&x);

	o.max_links = 2;
	o.page_number = NULL;
	is_int(epindex_parse(index_html, strlen(index_html), &o, &x, err, sizeof(err)), 0,
	    "parses with a small budget");
	is_int(x.nlinks, 2, "budget kept");
	is_int(x.dropped, 1, "the rest counted");
	is_int(x.links[0].page, 0, "no page_number: unknown");
	epindex_free(&x);

	o.follow = "//a[@class='none']/@href";
	is_int(epindex_parse(index_html, strlen(index_html), &o, &x, err, sizeof(err)), 0,
	    "nothing matched is not an error");
	is_int(x.nlinks, 0, "no links");
	epindex_free(&x);

	o.follow = "count(//a)";
	is_int(epindex_parse(index_html, strlen(index_html), &o, &x, err, sizeof(err)), 0,
	    "a number is no link");
	is_int(x.nlinks, 0, "none");
	epindex_free(&x);

	o.follow = "//a[unknown-function()]";
	is_int(epindex_parse(index_html, strlen(index_html), &o, &x, err, sizeof(err)), -1,
	    "an expression that fails is an error");
	is_str(err, "'follow' could not be evaluated on this page", "says so");
	is_int(epindex_parse("", 0, &o, &x, err, sizeof(err)), -1, "empty page");
}

int
main(void)
{
	xmlInitParser();
	test_template();
	test_schedule();
	test_jumps();
	test_chain();
	test_index();
	return tap_done();
}

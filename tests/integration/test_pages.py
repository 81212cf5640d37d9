#!/usr/bin/env python3
"""Article pages: datelined --once fetches each new item's page, politely,
and stores the full body, byline, agency, dateline and related links."""
import time

from fixture import FixtureServer, Response, Workdir, feed_yaml, main, rss, run_once

PARAS = [
    "NEW DELHI, June 20 (IANS) The Union Cabinet on Thursday approved a new scheme "
    "for rooftop solar panels covering ten million households, officials said.",
    "The scheme, with an outlay of Rs 75,000 crore, will give households a subsidy "
    "of up to Rs 78,000 for panels of three kilowatts, the Minister said at a briefing.",
    "\"This will cut electricity bills and create jobs in every district,\" he said, "
    "adding that states would be asked to clear applications within a month.",
    "The opposition welcomed the scheme but asked for a timeline for the payments.",
]


def page(n, title, paras, related=()):
    rel = "".join('<li><a href="%s"><span class="cat">%s</span>%s</a></li>' % r
                  for r in related)
    body = "".join("<p>%s</p>" % p for p in paras)
    return ("""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>%s | Outlet</title>
<link rel="canonical" href="https://outlet.example/national/story-%d">
</head><body>
<nav><a href="/">Home</a> <a href="/city">City</a> <a href="/epaper">Epaper</a></nav>
<article>
<h1>%s</h1>
<div class="byline">By IANS | Updated: June 20, 2024 11:05 IST</div>
<div class="story-body">%s</div>
<p class="disclaimer">Disclaimer: This post has been auto-published from an agency feed
without any modifications to the text and has not been reviewed by an editor</p>
</article>
<div class="related"><h2>Related Stories</h2><ul>%s</ul></div>
<footer>Copyright Outlet. All rights reserved.</footer>
</body></html>""" % (title, n, title, body, rel)).encode("utf-8")


def setup(srv, n_pages=4, robots=None, delay=0.0):
    items = []
    for i in range(n_pages):
        path = "/national/story-%d" % i
        items.append({"guid": "g%d" % i, "link": srv.url(path),
                      "title": "Story %d" % i, "description": "Teaser %d ..." % i})
        srv.route(path, Response(page(i, "Story %d" % i, PARAS + ["Story number %d." % i],
                                      related=[(srv.url("/national/story-%d" % ((i + 1) % n_pages)),
                                                "National", "Story %d" % ((i + 1) % n_pages))]),
                                 content_type="text/html; charset=utf-8", delay=delay))
    srv.route("/feed.xml", Response(rss(items)))
    if robots is not None:
        srv.route("/robots.txt", Response(robots.encode(), content_type="text/plain"))
    return items


def test_pages_stored(t):
    srv = FixtureServer()
    w = Workdir()
    setup(srv, robots="User-agent: *\nDisallow: /national/story-3\n", delay=0.2)
    srv.route("/national/missing", Response(b"no", status=404, content_type="text/html"))
    w.write_config([feed_yaml("outlet", srv.url("/feed.xml"), fetch_articles=True,
                              keep_html=True)],
                   extra="page_delay: 0s\npage_host_connections: 1")
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    rows = w.sql("SELECT guid, page_state, byline, agency, dateline, auto_published "
                 "FROM articles ORDER BY guid")
    t.is_eq(rows[:3], [("g%d" % i, "done", "IANS", "IANS", "New Delhi", 1) for i in range(3)],
            "pages fetched: byline, agency, dateline, auto_published stored")
    body = w.sql("SELECT body FROM articles WHERE guid='g1'")[0][0]
    t.ok(body.startswith("NEW DELHI, June 20 (IANS) The Union Cabinet") and
         "Story number 1." in body and "Epaper" not in body and "Disclaimer" not in body
         and "\n\n" in body, "full body stored without boilerplate", body)
    t.is_eq(w.sql("SELECT feed_text FROM articles WHERE guid='g1'"), [("Teaser 1 ...",)],
            "the feed's own text is kept apart")
    t.is_eq(w.sql("SELECT page_state, page_error, body FROM articles WHERE guid='g3'"),
            [("failed", "disallowed by robots.txt", "Teaser 3 ...")],
            "robots.txt disallow respected: article keeps the feed's text")
    t.is_eq(len(srv.requests_for("/national/story-3")), 0, "disallowed page never requested")
    t.is_eq(len(srv.requests_for("/robots.txt")), 1, "robots.txt fetched once per host")
    links = w.sql("SELECT l.url, l.title, l.category, l.target_article_id IS NOT NULL "
                  "FROM links l JOIN articles a ON a.id = l.article_id WHERE a.guid = 'g0'")
    t.is_eq(links, [(srv.url("/national/story-1"), "Story 1", "National", 1)],
            "related link stored apart from its category and resolved to the stored article")
    t.is_eq(w.sql("SELECT count(*), sum(size > 0) FROM pages"), [(3, 3)],
            "keep_html keeps each fetched page")
    with srv.lock:
        peak = srv.max_active
    t.ok(peak <= 1, "never more than one request at a time to the host (peak %d)" % peak)
    t.is_eq(w.sql("SELECT count(DISTINCT story_id) FROM articles"), [(4,)],
            "each article its own story")
    t.ok(w.fts_ok(), "the search index has the page bodies")
    t.is_eq(w.sql("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'rooftop'"),
            [(3,)], "page bodies are searchable")
    # A second run fetches nothing again.
    before = len(srv.requests)
    run_once(w)
    page_reqs = [p for p, _ in srv.requests[before:] if p.startswith("/national/")]
    t.is_eq(page_reqs, [], "stored pages are not fetched again")
    srv.close()
    w.cleanup()


def test_page_failures(t):
    srv = FixtureServer()
    w = Workdir()
    items = [{"guid": "a", "link": srv.url("/gone"), "title": "Gone", "description": "Gone teaser"},
             {"guid": "b", "link": srv.url("/pdf"), "title": "PDF", "description": "PDF teaser"},
             {"guid": "c", "link": srv.url("/err"), "title": "Err", "description": "Err teaser"},
             {"guid": "d", "link": srv.url("/empty"), "title": "Empty", "description": "Empty teaser"}]
    srv.route("/feed.xml", Response(rss(items)))
    srv.route("/gone", Response(b"nope", status=404, content_type="text/html"))
    srv.route("/pdf", Response(b"%PDF-1.4 binary", content_type="application/pdf"))
    srv.route("/err", Response(b"oops", status=503, content_type="text/html"))
    srv.route("/empty", Response(b"<html><body><nav>Home</nav></body></html>",
                                 content_type="text/html"))
    w.write_config([feed_yaml("f", srv.url("/feed.xml"), fetch_articles=True, robots=False,
                              page_retries=2)],
                   defaults={"retry_min": "1s"}, extra="page_delay: 0s")
    rc, _ = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    st = {r[0]: r[1:] for r in w.sql("SELECT guid, page_state, page_error, page_attempts, body "
                                     "FROM articles")}
    t.is_eq(st["a"], ("failed", "HTTP 404", 1, "Gone teaser"), "404: final, feed text kept")
    t.is_eq(st["b"][:2], ("failed", "not an HTML page (application/pdf)"), "PDF refused")
    t.is_eq(st["c"][:3], ("pending", "HTTP 503", 1), "503: retried later")
    t.is_eq(st["d"][:2], ("failed", "no article text found on the page"), "page without article")
    t.is_eq(len(srv.requests_for("/robots.txt")), 0, "robots: false skips robots.txt")
    time.sleep(1.2)
    run_once(w)
    t.is_eq(w.sql("SELECT page_state, page_attempts FROM articles WHERE guid='c'"),
            [("failed", 2)], "retries are bounded by page_retries")
    t.is_eq(len(srv.requests_for("/gone")), 1, "a 404 page is not retried")
    srv.close()
    w.cleanup()


def test_page_budget(t):
    srv = FixtureServer()
    w = Workdir()
    setup(srv, n_pages=6)
    w.write_config([feed_yaml("f", srv.url("/feed.xml"), fetch_articles=True, robots=False,
                              page_budget=2)], extra="page_delay: 0s")
    run_once(w)
    t.is_eq(w.sql("SELECT count(*) FROM articles WHERE page_state = 'done'"), [(2,)],
            "at most page_budget pages per poll")
    run_once(w)
    t.is_eq(w.sql("SELECT count(*) FROM articles WHERE page_state = 'done'"), [(4,)],
            "the rest follow at the next polls")
    srv.close()
    w.cleanup()


if __name__ == "__main__":
    main([test_pages_stored, test_page_failures, test_page_budget])

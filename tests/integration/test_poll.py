#!/usr/bin/env python3
"""datelined --once against a fixture server: storing, conditional GET,
updates in place, shared stories, and every kind of failing feed."""
import email.utils
import time

from fixture import (Response, FixtureServer, Workdir, feed_yaml, gzip_bytes, main,
                     rss, run_once)

ITEMS = [
    {"guid": "a-1", "link": "https://news.example.com/a/1?utm_source=rss#top",
     "title": "NATO chief eyes Indo-Pacific cooperation",
     "pubDate": "Wed, 19 Jun 2024 06:35:00 +0530",
     "description": "Washington, June 19 (IANS/DPA) NATO Secretary General Jens "
                    "Stoltenberg stressed the importance of expanding cooperation."},
    {"guid": "a-2", "link": "https://news.example.com/a/2",
     "title": "Second story", "pubDate": "Wed, 19 Jun 2024 07:00:00 GMT",
     "description": "<p>Second &amp; body.</p>"},
]


def test_store_and_conditional_get(t):
    srv = FixtureServer()
    w = Workdir()
    body = rss(ITEMS)
    etag = '"v1"'
    lm = "Wed, 19 Jun 2024 02:00:00 GMT"

    def feed(h):
        if h.headers.get("If-None-Match") == etag:
            return Response(b"", status=304, content_type=None)
        return Response(body, headers={"ETag": etag, "Last-Modified": lm})
    srv.route("/feed.xml", feed)
    w.write_config([feed_yaml("one", srv.url("/feed.xml"), agency="IANS")])
    rc, err = run_once(w)
    t.is_eq(rc, 0, "first --once exits 0")
    rows = w.sql("SELECT guid, url, title, published_at, agency FROM articles ORDER BY guid")
    t.is_eq(rows, [("a-1", "https://news.example.com/a/1", ITEMS[0]["title"],
                    "2024-06-19T01:05:00Z", "IANS"),
                   ("a-2", "https://news.example.com/a/2", "Second story",
                    "2024-06-19T07:00:00Z", "IANS")],
            "first poll stores both items with canonical urls and UTC times")
    t.is_eq(w.sql("SELECT body FROM articles WHERE guid='a-2'"), [("Second & body.",)],
            "body is plain text with entities decoded")
    t.is_eq(w.sql("SELECT etag, last_modified, last_status, last_error, consecutive_errors "
                  "FROM feeds"), [(etag, lm, 200, None, 0)], "validators and state recorded")
    h = w.sql("SELECT count(*) FROM articles WHERE content_hash GLOB "
              "'[0-9a-f]*' AND length(content_hash) = 64 AND story_id IS NOT NULL")
    t.is_eq(h, [(2,)], "every article has a content hash and a story")

    rc, err = run_once(w)
    t.is_eq(rc, 0, "second --once exits 0")
    reqs = srv.requests_for("/feed.xml")
    t.is_eq(len(reqs), 2, "two requests made")
    t.is_eq((reqs[1].get("If-None-Match"), reqs[1].get("If-Modified-Since")), (etag, lm),
            "second poll is conditional")
    t.ok("dateline/" in reqs[0].get("User-Agent", ""), "User-Agent names dateline")
    t.is_eq(w.sql("SELECT last_status, last_error, polls FROM feeds"), [(304, None, 2)],
            "304 recorded as a successful poll")
    t.is_eq(w.sql("SELECT count(*) FROM articles"), [(2,)], "nothing duplicated")
    srv.close()
    w.cleanup()


def test_update_in_place(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/f.xml", Response(rss(ITEMS)))
    w.write_config([feed_yaml("f", srv.url("/f.xml"))])
    run_once(w)
    before = w.sql("SELECT id, first_seen_at FROM articles WHERE guid='a-2'")
    changed = [dict(ITEMS[0]), dict(ITEMS[1], title="Second story, updated",
                                    description="<p>A new body.</p>")]
    srv.route("/f.xml", Response(rss(changed)))
    rc, _ = run_once(w)
    t.is_eq(rc, 0, "re-poll exits 0")
    after = w.sql("SELECT id, first_seen_at, title, body, changed_at IS NOT NULL "
                  "FROM articles WHERE guid='a-2'")
    t.is_eq(after, [(before[0][0], before[0][1], "Second story, updated", "A new body.", 1)],
            "changed item updated in place (same row, new text, changed_at set)")
    t.is_eq(w.sql("SELECT count(*) FROM articles"), [(2,)], "no duplicate rows")
    t.is_eq(w.sql("SELECT changed_at FROM articles WHERE guid='a-1'"), [(None,)],
            "unchanged item untouched")
    t.is_eq(w.sql("SELECT count(*) FROM stories"), [(2,)], "the old text's story is dropped")
    t.ok(w.fts_ok(), "the search index follows the update")
    t.is_eq(w.sql("SELECT a.guid FROM articles_fts f JOIN articles a ON a.id = f.rowid "
                  "WHERE articles_fts MATCH 'updated'"), [("a-2",)],
            "the new title is searchable")
    t.is_eq(w.sql("SELECT count(*) FROM article_revisions r JOIN articles a ON "
                  "a.id = r.article_id WHERE a.guid = 'a-2' AND r.body = 'Second & body.'"),
            [(1,)], "the previous text is kept as a revision")
    srv.close()
    w.cleanup()


def test_shared_story(t):
    srv = FixtureServer()
    w = Workdir()
    text = ("Washington, June 19 (IANS) The same agency text, published verbatim "
            "by two outlets.")
    srv.route("/x.xml", Response(rss([{"guid": "x1", "link": "https://x.example/1",
                                       "title": "Title at X", "description": text}])))
    srv.route("/y.xml", Response(rss([{"guid": "y1", "link": "https://y.example/story",
                                       "title": "Another title at Y",
                                       "description": "  " + text.replace(" ", "\n ") + " "}])))
    srv.route("/z.xml", Response(rss([{"guid": "z1", "link": "https://z.example/1",
                                       "title": "Different", "description": "Another text."}])))
    w.write_config([feed_yaml("x", srv.url("/x.xml")), feed_yaml("y", srv.url("/y.xml")),
                    feed_yaml("z", srv.url("/z.xml"))])
    rc, _ = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    rows = w.sql("SELECT f.name, a.story_id FROM articles a JOIN feeds f ON f.id = a.feed_id "
                 "ORDER BY f.name")
    ids = dict(rows)
    t.ok(ids["x"] == ids["y"] and ids["x"] != ids["z"],
         "the same text in two feeds shares one story", rows)
    t.is_eq(w.sql("SELECT copies, outlets FROM story_copies WHERE story_id = ?", (ids["x"],)),
            [(2, 2)], "story_copies counts both copies")
    srv.close()
    w.cleanup()


def test_failing_feeds(t):
    """Every failing feed gets its own error while healthy feeds in the same
    run are stored."""
    srv = FixtureServer()
    slow = FixtureServer()   # its own host:port, so the stall holds none of srv's slots
    w = Workdir()
    srv.route("/ok1.xml", Response(rss(ITEMS[:1])))
    srv.route("/ok2.xml", Response(rss(ITEMS[1:])))
    srv.route("/500.xml", Response(b"oops", status=500, content_type="text/plain"))
    srv.route("/429.xml", Response(b"slow down", status=429, headers={"Retry-After": "120"},
                                   content_type="text/plain"))
    srv.route("/503.xml", Response(b"", status=503,
                                   headers={"Retry-After": "31536000000"},
                                   content_type="text/plain"))
    srv.route("/410.xml", Response(b"gone", status=410, content_type="text/plain"))
    bomb = gzip_bytes(b"\0" * (64 * 1024 * 1024))
    srv.route("/bomb.xml", Response(bomb, headers={"Content-Encoding": "gzip"}))
    srv.route("/loop1.xml", Response(b"", status=302, headers={"Location": "/loop2.xml"}))
    srv.route("/loop2.xml", Response(b"", status=302, headers={"Location": "/loop1.xml"}))
    srv.route("/broken.xml", Response(b"<rss version='2.0'><channel><title>Broken</title>"
                                      b"<link>https://example.com/</lin></channel></rss>"))
    srv.route("/html.xml", Response(b"<!doctype html><html><body>Not a feed</body></html>",
                                    content_type="text/html"))
    slow.route("/stall.xml", Response(rss(ITEMS), delay=30))
    feeds = [feed_yaml("ok1", srv.url("/ok1.xml")), feed_yaml("ok2", srv.url("/ok2.xml")),
             feed_yaml("e500", srv.url("/500.xml")), feed_yaml("e429", srv.url("/429.xml")),
             feed_yaml("e503", srv.url("/503.xml")), feed_yaml("e410", srv.url("/410.xml")),
             feed_yaml("bomb", srv.url("/bomb.xml"), max_bytes="1M"),
             feed_yaml("loop", srv.url("/loop1.xml")),
             feed_yaml("broken", srv.url("/broken.xml")),
             feed_yaml("html", srv.url("/html.xml")),
             feed_yaml("stall", slow.url("/stall.xml"), timeout="2s")]
    w.write_config(feeds, defaults={"retry_min": "10s", "retry_max": "1h"})
    start = time.time()
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0 despite failing feeds")
    state = {r[0]: r[1:] for r in w.sql(
        "SELECT name, last_status, last_error, consecutive_errors, gone_at, "
        "strftime('%s', next_poll_at) - strftime('%s', last_polled_at) FROM feeds")}
    stored = dict(w.sql("SELECT f.name, count(a.id) FROM feeds f LEFT JOIN articles a "
                        "ON a.feed_id = f.id GROUP BY f.name"))
    t.is_eq((stored["ok1"], stored["ok2"]), (1, 1), "healthy feeds stored")
    t.is_eq((state["ok1"][1], state["ok2"][1]), (None, None), "healthy feeds have no error")

    def err_has(name, text, status=None):
        s = state[name]
        good = s[1] is not None and text in s[1] and s[2] == 1
        if status is not None:
            good = good and s[0] == status
        t.ok(good, "%s: recorded error mentions %r" % (name, text), s)
    err_has("e500", "HTTP 500", 500)
    err_has("e429", "HTTP 429", 429)
    err_has("e503", "HTTP 503", 503)
    err_has("e410", "410 Gone", 410)
    err_has("bomb", "larger than 1048576 bytes")
    err_has("loop", "too many redirects")
    err_has("broken", "XML")
    err_has("html", "not an RSS or Atom feed: the server sent an HTML page")
    err_has("stall", "imed out")
    t.ok(state["e410"][3] is not None, "410 marks the feed gone")
    delay429 = state["e429"][4]
    t.ok(delay429 is not None and 120 <= delay429 <= 133,
         "Retry-After: 120 honoured (next poll in %s s)" % delay429)
    delay503 = state["e503"][4]
    t.ok(delay503 is not None and 3600 <= delay503 <= 3960,
         "absurd Retry-After clamped to retry_max (next poll in %s s)" % delay503)
    delay500 = state["e500"][4]
    t.ok(delay500 is not None and 9 <= delay500 <= 11,
         "first error backs off retry_min (next poll in %s s)" % delay500)
    for name in ("e500", "e429", "bomb", "loop", "broken", "stall"):
        t.ok(("feed %s:" % name) in err, "one log line names feed %s" % name)
    t.ok(time.time() - start < 25, "the stalled feed did not hold up the run")
    slow.close()
    srv.close()
    w.cleanup()


def test_failure_keeps_stored(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/f.xml", Response(rss(ITEMS)))
    w.write_config([feed_yaml("f", srv.url("/f.xml"))])
    run_once(w)
    before = w.sql("SELECT * FROM articles ORDER BY id")
    for resp in (Response(b"<rss><channel><item>", status=200),
                 Response(b"", status=500, content_type="text/plain"),
                 Response(rss([]), status=200)):
        srv.route("/f.xml", resp)
        run_once(w)
        t.is_eq(w.sql("SELECT * FROM articles ORDER BY id"), before,
                "stored articles untouched after a %d response" % resp.status)
    errs = w.sql("SELECT consecutive_errors, last_error IS NULL FROM feeds")
    t.is_eq(errs, [(0, 1)], "an empty but valid feed is a success")
    srv.close()
    w.cleanup()


def test_backoff_grows(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/f.xml", Response(b"", status=500, content_type="text/plain"))
    w.write_config([feed_yaml("f", srv.url("/f.xml"))],
                   defaults={"retry_min": "10s", "retry_max": "35s"})
    delays = []
    for _ in range(4):
        run_once(w)
        delays.append(w.sql("SELECT strftime('%s', next_poll_at) - "
                            "strftime('%s', last_polled_at) FROM feeds")[0][0])
    ok = (9 <= delays[0] <= 11 and 18 <= delays[1] <= 22 and 31 <= delays[2] <= 39
          and 31 <= delays[3] <= 39)
    t.ok(ok, "backoff doubles from retry_min and is capped at retry_max: %r" % delays)
    t.is_eq(w.sql("SELECT consecutive_errors FROM feeds"), [(4,)], "errors counted")
    srv.route("/f.xml", Response(rss(ITEMS)))
    run_once(w)
    t.is_eq(w.sql("SELECT consecutive_errors, last_error FROM feeds"), [(0, None)],
            "a success clears the error state")
    srv.close()
    w.cleanup()


def test_permanent_redirect(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/old.xml", Response(b"", status=301, headers={"Location": "/new.xml"}))
    srv.route("/tmp.xml", Response(b"", status=302, headers={"Location": "/new.xml"}))
    srv.route("/new.xml", Response(rss(ITEMS)))
    w.write_config([feed_yaml("moved", srv.url("/old.xml")),
                    feed_yaml("temp", srv.url("/tmp.xml"))])
    urls = []
    for _ in range(3):
        rc, _ = run_once(w)
        urls.append(w.sql("SELECT fetch_url FROM feeds WHERE name='moved'")[0][0])
    t.is_eq(urls, [None, None, srv.url("/new.xml")],
            "301 seen three times in a row moves the feed")
    t.is_eq(w.sql("SELECT fetch_url, redirect_count FROM feeds WHERE name='temp'"),
            [(None, 0)], "302 never moves the feed")
    run_once(w)
    t.is_eq(len(srv.requests_for("/old.xml")), 3, "the moved feed polls its new address")
    t.is_eq(w.sql("SELECT count(*) FROM articles"), [(2,)], "articles stored once")
    srv.close()
    w.cleanup()


def test_host_queue(t):
    """Feeds waiting for one of a host's connections are told so, and one
    slow server is not mistaken for a lost network."""
    srv = FixtureServer()
    w = Workdir()
    for i in range(4):
        srv.route("/s%d.xml" % i, Response(rss([]), delay=3))
    w.write_config([feed_yaml("s%d" % i, srv.url("/s%d.xml" % i), timeout="2s")
                    for i in range(4)], extra="max_host_connections: 1")
    rc, err = run_once(w)
    errors = [e for (e,) in w.sql("SELECT last_error FROM feeds ORDER BY name")]
    t.ok(sum(1 for e in errors if e and "waiting for a free connection" in e) >= 2,
         "a feed that timed out in the host's queue says so", errors)
    t.ok("local outage" not in err, "one slow server is not a local outage", err)
    t.is_eq(w.sql("SELECT min(consecutive_errors) FROM feeds"), [(1,)],
            "its feeds' failures are counted")
    srv.close()
    w.cleanup()


if __name__ == "__main__":
    main([test_store_and_conditional_get, test_update_in_place, test_shared_story,
          test_failing_feeds, test_failure_keeps_stored, test_backoff_grows,
          test_permanent_redirect, test_host_queue])

#!/usr/bin/env python3
"""JSON Feed polled over HTTP like RSS and Atom: items stored with their
links resolved against the feed's URL, conditional GET, malformed JSON a
recorded error that keeps what was stored."""
import json

from fixture import FixtureServer, Response, Workdir, feed_yaml, main, run_once


def feed(items):
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Wire",
                       "home_page_url": "/", "items": items}).encode()


ITEMS = [
    {"id": "j1", "url": "/world/nato.html?utm_source=feed", "title": "NATO to deepen ties",
     "content_html": "<p>Washington, June 19 (IANS) NATO will deepen its cooperation with "
                     "four Indo-Pacific partners, its chief said.</p><script>x()</script>",
     "date_published": "2024-06-19T01:05:00+05:30", "authors": [{"name": "IANS"}],
     "tags": ["World"]},
    {"id": "j2", "url": "/india/monsoon.html", "title": "Monsoon reaches Kerala",
     "content_text": "Thiruvananthapuram, June 8 (PTI) The monsoon reached Kerala.\n\n"
                     "Rains will spread north."},
]


def test_json_poll(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/feed.json", Response(feed(ITEMS), content_type="application/feed+json",
                                     headers={"ETag": '"v1"'}))
    w.write_config([feed_yaml("wire", srv.url("/feed.json"))])
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    rows = w.sql("SELECT guid, url, title, byline, published_at, categories FROM articles "
                 "ORDER BY guid")
    t.is_eq(rows, [
        ("j1", srv.url("/world/nato.html"), "NATO to deepen ties", "IANS",
         "2024-06-18T19:35:00Z", '["World"]'),
        ("j2", srv.url("/india/monsoon.html"), "Monsoon reaches Kerala", None, None, None)],
        "items stored, URLs resolved against the feed and made canonical")
    body = w.sql("SELECT body, content_html FROM articles WHERE guid = 'j2'")[0]
    t.is_eq(body[0], "Thiruvananthapuram, June 8 (PTI) The monsoon reached Kerala.\n\n"
            "Rains will spread north.", "content_text keeps its paragraphs")
    t.ok("<script" not in (w.sql("SELECT content_html FROM articles WHERE guid='j1'")[0][0]),
         "content_html sanitized")
    t.is_eq(w.sql("SELECT title, site_url, etag, last_error FROM feeds"),
            [("Wire", srv.url("/"), '"v1"', None)], "the feed row")

    # Malformed JSON: an error on the feed, the stored items untouched.
    srv.route("/feed.json", Response(b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
                                     content_type="application/feed+json"))
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0 on a malformed feed")
    last = w.sql("SELECT last_error, consecutive_errors FROM feeds")[0]
    t.ok(last[0] is not None and last[0].startswith("not valid JSON at line 1") and last[1] == 1,
         "the error is recorded", last)
    t.is_eq(w.sql("SELECT count(*) FROM articles"), [(2,)], "nothing lost")
    srv.close()
    w.cleanup()


if __name__ == "__main__":
    main([test_json_poll])

#!/usr/bin/env python3
"""E-paper editions (kind: epaper with follow:): a fixture e-paper site on
127.0.0.1 with two editions over three days, paginated index pages and an
article continued on another page.  datelined --once reads the right
editions and pages, joins the continued article, records edition, page
and date, and never fetches an indexed edition again."""
import datetime
import zoneinfo

from fixture import Daemon, FixtureServer, Response, Workdir, main, run_once, wait_for

TZ = "Asia/Kolkata"
HTML = "text/html; charset=utf-8"


def today():
    return datetime.datetime.now(zoneinfo.ZoneInfo(TZ)).date()


def clip_page(title, paras, canonical=None):
    body = "".join("<p>%s</p>" % p for p in paras)
    canon = '<link rel="canonical" href="%s">' % canonical if canonical else ""
    return ("""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>%s | City Times ePaper</title>%s</head><body>
<div class="toolbar"><a href="/">ePaper home</a> <a href="/archive">Archive</a></div>
<article><h1>%s</h1><div class="story-body">%s</div></article>
<footer>City Times ePaper. All rights reserved.</footer></body></html>"""
            % (title, canon, title, body)).encode()


def index_page(edition, date, n, clips, next_href=None, extra=""):
    links = "".join('<li><a class="clip" href="%s">%s</a></li>' % c for c in clips)
    nxt = '<a rel="next" href="%s">Next page</a>' % next_href if next_href else ""
    return ("""<!doctype html><html><head><title>%s %s page %d</title></head><body>
<h1>City Times, %s edition, %s</h1><ul class="clips">%s</ul>%s
<div class="footer"><a href="/about">About</a> %s</div></body></html>"""
            % (edition, date, n, edition, date, links, extra, nxt)).encode()


def metro_one(ed, d):
    return ["%s, %s: The new metro line between Andheri and Ghatkopar will open to "
            "passengers in August, the corporation said on Tuesday." % (ed.title(), d),
            "Trial runs have been completed on the whole stretch and the safety "
            "commissioner is expected to inspect the line next month, officials said."]


def metro_two(ed, d):
    return ["The line will run trains every four minutes at peak hours, and fares will "
            "range from ten to forty rupees, the corporation's %s office said." % ed,
            "Work on the extension to the airport will begin in December."]


def edition_site(srv, edition, d, national):
    """Three index pages; the metro story runs from page 1 to page 3."""
    base = "/%s/%s" % (edition, d)
    ed = edition
    routes = {
        base + "/a/metro.html": clip_page("Metro line to open in August",
                                          metro_one(ed, d) + ["Continued on page 3"]),
        base + "/a/rains.html": clip_page("Rains lash %s, trains delayed" % ed.title(), [
            "%s, %s: Heavy rain lashed the city on Tuesday and suburban trains ran late "
            "by up to forty minutes, railway officials said." % (ed.title(), d),
            "The weather office has forecast more rain for the next two days."]),
        base + "/a/photo.html": (b"<!doctype html><html><head><title>Photo</title></head>"
                                 b"<body><div class='clip'><img src='/img/clip-7.jpg' "
                                 b"alt=''></div></body></html>"),
        base + "/b/markets.html": clip_page("Markets close higher", [
            "Mumbai, %s: Stocks closed higher on Tuesday as banks and IT companies "
            "gained, with the %s edition's market desk reporting steady buying." % (d, ed)]),
        base + "/c/metro-contd.html": clip_page("Metro line",
                                                ["Contd from P1"] + metro_two(ed, d)),
        base + "/c/civic.html": clip_page("Civic body clears budget", [
            "%s, %s: The civic body cleared its budget for the year on Tuesday after a "
            "debate of six hours in the %s general body." % (ed.title(), d, ed)]),
    }
    for path, body in routes.items():
        srv.route(path, Response(body, content_type=HTML))
    srv.route(base + "/index.html", Response(index_page(edition, d, 1, [
        ("a/metro.html", "Metro line to open in August"),
        ("a/rains.html", "Rains lash the city"),
        ("a/photo.html", "Photo"),
        ("http://127.0.0.2:%d/elsewhere.html" % srv.port, "Off-site"),
        (national, "PM to address the nation"),
    ], next_href="page-2.html"), content_type=HTML))
    srv.route(base + "/page-2.html", Response(index_page(edition, d, 2, [
        ("b/markets.html", "Markets close higher")], next_href="page-3.html"),
        content_type=HTML))
    srv.route(base + "/page-3.html", Response(index_page(edition, d, 3, [
        ("c/metro-contd.html", "Metro line"),
        ("c/civic.html", "Civic body clears budget")]), content_type=HTML))
    return [base + p for p in ("/index.html", "/page-2.html", "/page-3.html")]


def national(srv, d):
    path = "/national/%s/pm-address.html" % d
    srv.route(path, Response(clip_page("PM to address the nation", [
        "New Delhi, %s (PTI) The Prime Minister will address the nation on Wednesday "
        "evening, his office said in a statement on Tuesday." % d]), content_type=HTML))
    return srv.url(path)


def epaper_config(w, srv, extra_feed=(), **kw):
    feed = ["  - name: city-times",
            "    kind: epaper",
            "    url: %s" % srv.url("/{edition}/{date:%Y-%m-%d}/index.html"),
            "    editions: [mumbai, delhi]",
            "    schedule: daily 00:00",
            "    backfill: %s" % kw.get("backfill", "2d"),
            "    timezone: %s" % TZ,
            "    follow: \"//ul[@class='clips']//a[@class='clip']/@href\"",
            "    next: \"//a[@rel='next']/@href\"",
            "    page_budget: 500",
            "    edition_budget: %d" % kw.get("budget", 100)]
    w.write_config(feed + list(extra_feed), extra="page_delay: 0s")


def index_requests(srv):
    with srv.lock:
        return sorted(p for p, _ in srv.requests if "index.html" in p or "/page-" in p)


def test_editions(t):
    srv = FixtureServer()
    w = Workdir()
    days = [today() - datetime.timedelta(days=k) for k in range(3)]
    ds = [d.isoformat() for d in days]
    indexes = {}
    for k, d in enumerate(ds):
        nat = national(srv, d)
        indexes[("mumbai", d)] = edition_site(srv, "mumbai", d, nat)
        if k < 2:      # the Delhi edition began yesterday
            indexes[("delhi", d)] = edition_site(srv, "delhi", d, nat)
    epaper_config(w, srv)
    rc, err = run_once(w, timeout=120)
    t.is_eq(rc, 0, "--once exits 0")
    eds = w.sql("SELECT edition, date, state, index_pages, articles, links_offsite, "
                "last_error IS NOT NULL FROM editions ORDER BY edition, date")
    want = sorted([("delhi", ds[2], "pending", 0, 0, 0, 1)] +
                  [("delhi", d, "done", 3, 7, 1, 0) for d in ds[:2]] +
                  [("mumbai", d, "done", 3, 7, 1, 0) for d in ds])
    t.is_eq(eds, want, "five editions read and done over three days; the one not "
            "published stays pending")
    t.ok("not published yet (HTTP 404" in (w.sql(
        "SELECT last_error FROM editions WHERE edition='delhi' AND date=?", (ds[2],))[0][0] or ""),
        "with the reason")
    want_index = sorted(p for key, ps in indexes.items() for p in ps)
    got_index = index_requests(srv)
    missing = "/delhi/%s/index.html" % ds[2]
    t.is_eq([p for p in got_index if p != missing], want_index,
            "every index page of every edition fetched once")

    rows = w.sql("SELECT edition, edition_date, page, title FROM epaper_articles "
                 "WHERE edition = 'mumbai' AND edition_date = ? AND continuation_of IS NULL "
                 "ORDER BY page, position", (ds[0],))
    t.is_eq([(r[2], r[3]) for r in rows],
            [(1, "Metro line to open in August"), (1, "Rains lash Mumbai, trains delayed"),
             (1, "Photo"), (1, "PM to address the nation"), (2, "Markets close higher"),
             (3, "Civic body clears budget")],
            "what ran on each page of today's Mumbai edition (page from the index order)")
    page1 = w.sql("SELECT count(*) FROM epaper_articles WHERE edition = 'mumbai' AND "
                  "edition_date = ? AND page = 1 AND continuation_of IS NULL", (ds[1],))
    t.is_eq(page1, [(4,)], "page 1 of yesterday's Mumbai edition: four articles")

    head = w.sql("SELECT a.id, a.body, a.story_id, a.jump_to, a.page_state FROM articles a "
                 "WHERE a.url = ?", (srv.url("/mumbai/%s/a/metro.html" % ds[0]),))
    tail = w.sql("SELECT a.id, a.continuation_of, a.story_id, a.jump_from, a.clip_text "
                 "FROM articles a WHERE a.url = ?",
                 (srv.url("/mumbai/%s/c/metro-contd.html" % ds[0]),))
    t.ok(head and tail, "both parts stored", (head, tail))
    if head and tail:
        body = head[0][1] or ""
        t.ok(metro_one("mumbai", ds[0])[0] in body and metro_two("mumbai", ds[0])[1] in body,
             "the article continued on page 3 is joined into one body", body)
        t.ok(body.index("Trial runs") < body.index("every four minutes"),
             "in page order", body)
        t.ok("Continued" not in body and "Contd" not in body, "jump lines cut", body)
        t.is_eq(head[0][3], 3, "the first part jumps to page 3")
        t.is_eq(tail[0][1], head[0][0], "the continuation points at the article")
        t.is_eq(tail[0][2], None, "and has no story of its own")
        t.is_eq(tail[0][3], 1, "it came from page 1")
        t.ok(tail[0][4] and tail[0][4].startswith("The line will run trains"),
             "its own text is kept without the jump line", tail[0][4])
        t.ok(head[0][2] is not None, "the joined article has its story")
    joined = w.sql("SELECT count(*) FROM articles WHERE continuation_of IS NOT NULL")
    t.is_eq(joined, [(5,)], "one continued article joined in each edition")
    photo = w.sql("SELECT page_state, page_error FROM articles WHERE url LIKE '%/a/photo.html'")
    t.ok(len(photo) == 5 and all(p == ("failed", "no article text found on the page (an "
                                        "image-only clip)") for p in photo),
         "image-only clips: kept with a clear reason", photo)
    nat = w.sql("SELECT count(DISTINCT a.id), count(*) FROM epaper_articles e JOIN articles a "
                "ON a.id = e.article_id WHERE a.url LIKE '%/national/%'")
    t.is_eq(nat, [(3, 5)], "a page shared by both editions is one article that ran in each")
    t.is_eq(w.sql("SELECT count(*) FROM articles WHERE url LIKE '%127.0.0.2%'"), [(0,)],
            "off-site links not followed")
    with srv.lock:
        offsite = [p for p, _ in srv.requests if "elsewhere" in p]
    t.is_eq(offsite, [], "nor requested")
    clip_reqs = sorted(p for p, _ in srv.requests if "/a/" in p or "/b/" in p or "/c/" in p
                       or "/national/" in p)
    t.is_eq(len(clip_reqs), len(set(clip_reqs)), "each article page fetched once")
    t.ok(w.fts_ok(), "the search index is consistent")
    t.is_eq(w.sql("SELECT last_error, consecutive_errors FROM feeds"), [(None, 0)],
            "the feed is healthy")

    # The next run: indexed editions are not fetched again; the missing
    # one is looked for again (and is there now).
    before = len(srv.requests)
    indexes[("delhi", ds[2])] = edition_site(srv, "delhi", ds[2], national(srv, ds[2]))
    rc, err = run_once(w, timeout=120)
    t.is_eq(rc, 0, "second --once exits 0")
    with srv.lock:
        again = [p for p, _ in srv.requests[before:] if p != "/robots.txt"]
    t.ok(all(p.startswith("/delhi/%s/" % ds[2]) or p.startswith("/national/%s/" % ds[2])
             for p in again) and ("/delhi/%s/index.html" % ds[2]) in again,
         "only the edition that was missing is fetched", again)
    t.is_eq(w.sql("SELECT state FROM editions WHERE edition='delhi' AND date=?", (ds[2],)),
            [("done",)], "and it is done now")
    t.is_eq(w.sql("SELECT attempts FROM editions WHERE edition='mumbai' AND date=?", (ds[0],)),
            [(1,)], "an indexed edition is never looked for again")
    before = len(srv.requests)
    run_once(w, timeout=60)
    with srv.lock:
        third = [p for p, _ in srv.requests[before:]]
    t.is_eq(third, [], "a third run fetches nothing at all")
    srv.close()
    w.cleanup()


def test_bounded(t):
    """An index page linking to thousands of pages, a next link looping back,
    and an edition not due yet: bounded work, clear reasons."""
    srv = FixtureServer()
    w = Workdir()
    d = today().isoformat()
    base = "/huge/%s" % d
    clips = [("c/%d.html" % i, "Clip %d" % i) for i in range(5000)]
    srv.route(base + "/index.html", Response(index_page("huge", d, 1, clips,
                                                        next_href="index.html"),
                                             content_type=HTML))
    for i in range(30):
        srv.route(base + "/c/%d.html" % i, Response(clip_page("Clip %d" % i, [
            "Mumbai, %s: Clip number %d of a very large edition, with enough words to "
            "count as an article on its own page." % (d, i)]), content_type=HTML))
    feed = ["  - name: huge",
            "    kind: epaper",
            "    url: %s" % srv.url("/{edition}/{date:%Y-%m-%d}/index.html"),
            "    editions: [huge]",
            "    timezone: %s" % TZ,
            "    follow: \"//a[@class='clip']/@href\"",
            "    next: \"//a[@rel='next']/@href\"",
            "    page_budget: 500",
            "    edition_budget: 20",
            "  - name: later",
            "    kind: epaper",
            "    url: %s" % srv.url("/later/{date:%Y%m%d}.html"),
            "    timezone: %s" % TZ,
            # A minute before now in the feed's zone would already be due:
            # the edition of a schedule two hours ahead is not due yet.
            "    schedule: daily %s" % (datetime.datetime.now(zoneinfo.ZoneInfo(TZ)) +
                                        datetime.timedelta(hours=2)).strftime("%H:%M"),
            "    follow: \"//a/@href\""]
    w.write_config(feed, extra="page_delay: 0s")
    rc, err = run_once(w, timeout=120)
    t.is_eq(rc, 0, "--once exits 0")
    ed = w.sql("SELECT state, index_pages, articles, links_skipped, last_error FROM editions "
               "WHERE edition = 'huge'")
    t.ok(ed and ed[0][0] == "done" and ed[0][1] == 1 and ed[0][2] == 19 and
         ed[0][3] == 4981 and "edition_budget (20) spent" in (ed[0][4] or ""),
         "5000 links: 19 recorded within the budget of 20, the rest counted", ed)
    with srv.lock:
        clip_reqs = [p for p, _ in srv.requests if "/c/" in p]
        index_reqs = [p for p, _ in srv.requests if p.endswith("index.html")]
    t.ok(len(clip_reqs) == 19, "only those pages fetched (%d)" % len(clip_reqs))
    t.is_eq(len(index_reqs), 1, "a next link back to the same page is not followed")
    hour = (datetime.datetime.now(zoneinfo.ZoneInfo(TZ)) + datetime.timedelta(hours=2)).hour
    if hour >= 2:      # not past midnight: today's edition is still ahead
        t.is_eq(w.sql("SELECT count(*) FROM editions WHERE feed_id = (SELECT id FROM feeds "
                      "WHERE name = 'later')"), [(0,)], "an edition not due yet is not looked for")
        with srv.lock:
            t.is_eq([p for p, _ in srv.requests if p.startswith("/later/")], [],
                    "nor requested")
    else:
        t.ok(True, "skipped near midnight: no edition due check")
        t.ok(True, "skipped near midnight: no request check")
    srv.close()
    w.cleanup()


def test_daemon(t):
    """The running daemon: an edition appears after the first look, is found
    at the next poll, and is done once its pages are fetched."""
    srv = FixtureServer()
    w = Workdir()
    d = today().isoformat()
    feed = ["  - name: city-times",
            "    kind: epaper",
            "    url: %s" % srv.url("/{edition}/{date:%Y-%m-%d}/index.html"),
            "    editions: [mumbai]",
            "    timezone: %s" % TZ,
            "    interval: 2s",
            "    min_interval: 1s",
            "    follow: \"//ul[@class='clips']//a[@class='clip']/@href\"",
            "    next: \"//a[@rel='next']/@href\""]
    w.write_config(feed, extra="page_delay: 0s")
    dm = Daemon(w)
    try:
        t.ok(wait_for(lambda: w.sql("SELECT state FROM editions") == [("pending",)], 20),
             "not published yet: pending")
        edition_site(srv, "mumbai", d, national(srv, d))
        t.ok(wait_for(lambda: w.sql("SELECT state FROM editions") == [("done",)], 30),
             "published: found at a later poll and done", dm.log()[-3000:])
        t.is_eq(w.sql("SELECT count(*) FROM articles WHERE continuation_of IS NOT NULL"),
                [(1,)], "the continued article joined")
        before = len(srv.requests)
        t.ok(not wait_for(lambda: any("index.html" in p for p, _ in srv.requests[before:]), 5),
             "no index page fetched again while the daemon runs")
    finally:
        t.is_eq(dm.stop(), 0, "daemon stops cleanly")
    log = dm.log()
    t.ok("AddressSanitizer" not in log and "runtime error" not in log, "sanitizers quiet",
         log[-2000:])
    srv.close()
    w.cleanup()


if __name__ == "__main__":
    main([test_editions, test_bounded, test_daemon])

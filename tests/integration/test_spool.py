#!/usr/bin/env python3
"""Spool folders (kind: spool): files dropped into a folder are ingested
through the same pipeline as polled feeds, then moved to done/ or failed/
(with the reason in NAME.err).  Half-written files are never read; a
running daemon takes a file as soon as it is closed or renamed into
place.  Nothing here uses the network."""
import os
import shutil
import subprocess
import time

from fixture import (DATELINE, TOP, Daemon, Workdir, clean_env, main, rss, run_once,
                     wait_for)

BODY = [
    "New Delhi, June 20 (IANS) The Union Cabinet on Thursday approved a scheme to put "
    "rooftop solar panels on one crore households, with an outlay of Rs 75,021 crore.",
    "Households will get a subsidy of up to Rs 78,000 for systems of three kilowatts, "
    "and banks will offer loans for the rest at low interest, the Minister said.",
    "The scheme is expected to add 30 gigawatts of solar capacity and to create about "
    "17 lakh jobs in manufacturing, installation and maintenance.",
]
OTHER = [
    "Mumbai, June 20 (IANS) The India Meteorological Department forecast heavy rain over "
    "the Konkan coast for the next five days and issued an orange alert for Mumbai.",
    "Fishermen have been advised not to venture into the sea until Monday, as strong "
    "winds are likely along the coast, the department said in its daily bulletin.",
]


def html_content(paras):
    return "".join("<p>%s</p>" % p for p in paras)


def agency_rss():
    return rss([
        {"guid": "ians-1", "link": "https://wire.example/solar", "title": "Cabinet approves solar scheme",
         "content": html_content(BODY)},
        {"guid": "ians-2", "link": "https://wire.example/rain", "title": "Heavy rain forecast",
         "content": html_content(OTHER)},
    ], title="IANS wire")


def outlet_page(url, paras):
    return ("""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Solar scheme cleared | Herald</title><link rel="canonical" href="%s"></head>
<body><nav><a href="/">Home</a> <a href="/city">City</a></nav><article>
<h1>Cabinet clears solar scheme</h1><div class="byline">By IANS</div>
<div class="story-body">%s</div></article><footer>Copyright Herald</footer>
</body></html>""" % (url, html_content(paras))).encode()


def json_feed(items):
    import json
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Metro",
                       "items": items}).encode()


def spool_config(w, feeds, interval="1h", extra=""):
    """Spool feeds: (name, path, settings dict)."""
    lines = ["database: dateline.db", extra, "defaults:", "  interval: %s" % interval,
             "  retry_min: 1s", "  retry_max: 1h", "feeds:"]
    for name, path, settings in feeds:
        lines += ["  - name: %s" % name, "    kind: spool", "    path: %s" % path]
        lines += ["    %s: %s" % kv for kv in settings.items()]
    with open(w.config, "w") as f:
        f.write("\n".join(lines) + "\n")


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def listing(d):
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def test_spool_once(t):
    w = Workdir()
    spool = os.path.join(w.path, "wire")
    os.makedirs(os.path.join(spool, "sub"))
    spool_config(w, [("wire", "wire", {"max_bytes": "64K"})])
    write(os.path.join(spool, "agency.xml"), agency_rss())
    # The same stories from two other outlets: a JSON Feed and an article page.
    write(os.path.join(spool, "metro.json"), json_feed([
        {"id": "m-1", "url": "https://metro.example/rain-alert", "title": "Orange alert",
         "content_html": html_content(OTHER)}]))
    write(os.path.join(spool, "herald.html"),
          outlet_page("https://herald.example/nation/solar-77", BODY))
    write(os.path.join(spool, "broken.xml"), b"<rss><channel><title>cut off")
    write(os.path.join(spool, "huge.xml"), b"<rss>" + b" " * 70000 + b"</rss>")
    write(os.path.join(spool, "empty.json"), b"")
    write(os.path.join(spool, ".incoming.xml"), agency_rss())
    write(os.path.join(spool, "partial.xml.tmp"), b"<rss>")
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    t.is_eq(listing(os.path.join(spool, "done")), ["agency.xml", "herald.html", "metro.json"],
            "ingested files moved to done/")
    t.is_eq(listing(os.path.join(spool, "failed")),
            ["broken.xml", "broken.xml.err", "empty.json", "empty.json.err", "huge.xml",
             "huge.xml.err"], "unusable files moved to failed/ with a reason each")
    reasons = {n: open(os.path.join(spool, "failed", n + ".err")).read()
               for n in ("broken.xml", "empty.json", "huge.xml")}
    t.ok(reasons["broken.xml"].startswith("not well-formed XML") and
         reasons["broken.xml"].endswith("\n") and reasons["broken.xml"].count("\n") == 1,
         "the malformed file's reason is one line", reasons["broken.xml"])
    t.is_eq(reasons["empty.json"], "empty file\n", "an empty file's reason")
    t.is_eq(reasons["huge.xml"], "larger than max_bytes (65536 bytes)\n",
            "an oversized file is refused unread")
    t.is_eq(listing(spool), [".incoming.xml", "done", "failed", "partial.xml.tmp", "sub"],
            "files still being written (dot names, .tmp) and folders are left alone")
    rows = w.sql("SELECT url, story_id FROM articles ORDER BY url")
    t.ok(len(rows) == 4, "four articles", rows)
    story = dict(rows)
    t.is_eq(story.get("https://herald.example/nation/solar-77"),
            story.get("https://wire.example/solar"),
            "the outlet's page of the agency story is a copy (same story)")
    t.is_eq(story.get("https://metro.example/rain-alert"), story.get("https://wire.example/rain"),
            "the JSON Feed copy is a copy (same story)")
    t.ok(story.get("https://wire.example/solar") != story.get("https://wire.example/rain"),
         "two stories")
    page = w.sql("SELECT guid, byline, page_state, body FROM articles "
                 "WHERE url = 'https://herald.example/nation/solar-77'")
    t.ok(page and page[0][0] == "spool:wire/herald.html" and page[0][1] == "IANS" and
         page[0][2] == "done" and page[0][3].startswith("New Delhi, June 20 (IANS)") and
         "Copyright" not in page[0][3], "the page went through the extractor", page)
    t.is_eq(w.sql("SELECT url, kind, last_error, consecutive_errors FROM feeds"),
            [("file://" + spool, "spool", None, 0)], "the feed row names the folder")
    t.ok(w.fts_ok(), "the search index is consistent")

    # The same document again, under the same name: a new name in done/,
    # nothing new in the store.
    write(os.path.join(spool, "agency.xml"), agency_rss())
    run_once(w)
    t.is_eq(listing(os.path.join(spool, "done")),
            ["agency.1.xml", "agency.xml", "herald.html", "metro.json"],
            "a name taken in done/ gets a number: nothing is overwritten")
    t.is_eq(w.sql("SELECT count(*) FROM articles"), [(4,)], "nothing duplicated")

    # A copy under another name with its own guid and url: a new article
    # of the same story (a spool carries many sources).
    write(os.path.join(spool, "again.xml"), rss([
        {"guid": "x-9", "link": "https://other.example/solar-copy", "title": "Copy",
         "content": html_content(BODY)}]))
    run_once(w)
    t.is_eq(w.sql("SELECT count(*) FROM articles WHERE story_id = "
                  "(SELECT story_id FROM articles WHERE url = 'https://wire.example/solar')"),
            [(3,)], "a duplicate dropped later joins the story as one more copy")
    w.cleanup()


def test_spool_garbage(t):
    """A spool full of garbage: every file refused with its reason, bounded
    work per batch, the good file among them still ingested."""
    w = Workdir()
    spool = os.path.join(w.path, "junk")
    os.makedirs(spool)
    spool_config(w, [("junk", "junk", {})])
    garbage = {
        "binary.xml": bytes(range(256)) * 40,
        "deep.json": b'{"version": "https://jsonfeed.org/version/1.1", "items": ' +
                     b"[" * 100000 + b"]" * 100000 + b"}",
        "not-a-feed.json": b'{"hello": "world"}',
        "html-no-text.html": b"<html><body><nav>Home</nav></body></html>",
        "laughs.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                      b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                      b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>',
        "text.txt": b"just some words\n",
        "nul.xml": b"\0" * 5000,
    }
    for name, data in garbage.items():
        write(os.path.join(spool, name), data)
    os.mkfifo(os.path.join(spool, "fifo.xml"))
    os.symlink("/etc/passwd", os.path.join(spool, "link.xml"))
    write(os.path.join(spool, "good.xml"), agency_rss())
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    failed = listing(os.path.join(spool, "failed"))
    names = sorted(list(garbage) + ["fifo.xml", "link.xml"])
    t.is_eq([n for n in failed if not n.endswith(".err")], names, "every bad file in failed/")
    t.is_eq(sorted(n[:-4] for n in failed if n.endswith(".err")), names, "each with its reason")
    reasons = {n: open(os.path.join(spool, "failed", n + ".err")).read().strip() for n in names}
    t.ok(reasons["deep.json"].startswith("not valid JSON") and
         "maximum parsing depth" in reasons["deep.json"], "deep JSON: jansson's depth limit",
         reasons["deep.json"])
    t.is_eq(reasons["fifo.xml"], "not a regular file", "a FIFO is not read")
    t.is_eq(reasons["link.xml"], "a symbolic link (links are not followed)", "nor a link")
    t.ok(reasons["html-no-text.html"] == "no article text found on the page",
         "an HTML page without an article", reasons["html-no-text.html"])
    t.ok(os.path.islink(os.path.join(spool, "failed", "link.xml")),
         "the link itself moved, its target untouched")
    t.is_eq(listing(os.path.join(spool, "done")), ["good.xml"], "the good file ingested")
    t.is_eq(w.sql("SELECT count(*) FROM articles"), [(2,)], "with its two items")
    t.is_eq(w.sql("SELECT last_error FROM feeds"), [(None,)], "bad files are not the feed's error")
    # More files than a batch: --once takes one batch, the rest stay.
    for i in range(25):
        write(os.path.join(spool, "g%02d.xml" % i), b"garbage %d" % i)
    run_once(w)
    left = [n for n in listing(spool) if n.endswith(".xml")]
    t.is_eq(len(left), 5, "one batch of 20 per scan; the rest wait for the next")
    w.cleanup()


def test_spool_missing_folder(t):
    w = Workdir()
    spool_config(w, [("gone", "no-such-folder", {}), ("ok", "in", {})])
    os.makedirs(os.path.join(w.path, "in"))
    write(os.path.join(w.path, "in", "a.xml"), agency_rss())
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0 with a missing folder")
    t.is_eq(w.sql("SELECT name, last_error IS NOT NULL, consecutive_errors FROM feeds ORDER BY name"),
            [("gone", 1, 1), ("ok", 0, 0)], "the missing folder is the feed's error, not the others'")
    t.ok("cannot read the spool folder" in (w.sql("SELECT last_error FROM feeds WHERE name='gone'")[0][0] or ""),
         "the error says why")
    t.is_eq(w.sql("SELECT count(*) FROM articles"), [(2,)], "the other spool was read")
    w.cleanup()


def test_spool_daemon(t):
    """A running daemon rescanning every second: a file written slowly is
    not read before it is closed; a malformed one fails with its reason."""
    w = Workdir()
    spool = os.path.join(w.path, "wire")
    os.makedirs(spool)
    spool_config(w, [("wire", "wire", {})], interval="1s")
    d = Daemon(w)
    try:
        t.ok(d.wait_log("feed wire: no new files", timeout=20) or
             d.wait_log("dateline 0.1.0", timeout=1), "daemon started", d.log())
        data = json_feed([{"id": "slow-%d" % i, "url": "https://metro.example/slow-%d" % i,
                           "title": "Slow %d" % i, "content_text": "Paragraph %d." % i}
                          for i in range(40)])
        chunks = [data[i:i + len(data) // 6 + 1] for i in range(0, len(data), len(data) // 6 + 1)]
        path = os.path.join(spool, "slow.json")
        started = time.time()
        with open(path, "wb") as f:
            for c in chunks:
                f.write(c)
                f.flush()
                time.sleep(0.25)
                # While it is open for writing, rescans leave it alone.
                if os.path.exists(os.path.join(spool, "failed", "slow.json")) or \
                        os.path.exists(os.path.join(spool, "done", "slow.json")):
                    break
        t.ok(time.time() - started >= 1.0, "the file took more than a second to write")
        t.ok(wait_for(lambda: os.path.exists(os.path.join(spool, "done", "slow.json")), 5),
             "the slowly written file is ingested once closed", listing(spool))
        t.ok(not os.path.exists(os.path.join(spool, "failed", "slow.json")),
             "it was never read half-written", d.log())
        t.is_eq(w.sql("SELECT count(*) FROM articles WHERE guid LIKE 'slow-%'"), [(40,)],
                "all of its items stored")
        write(os.path.join(spool, "bad.json"), b'{"version": "https://jsonfeed.org/version/1.1", "items": [')
        t.ok(wait_for(lambda: os.path.exists(os.path.join(spool, "failed", "bad.json.err")), 5),
             "a malformed file goes to failed/")
        reason = open(os.path.join(spool, "failed", "bad.json.err")).read()
        t.ok(reason.startswith("not valid JSON at line 1"), "with its reason", reason)
    finally:
        t.is_eq(d.stop(), 0, "daemon stops cleanly")
    log = d.log()
    t.ok("ERROR: AddressSanitizer" not in log and "runtime error" not in log,
         "sanitizers quiet", log[-2000:])
    w.cleanup()


def test_spool_inotify(t):
    """With an hour between rescans, a file renamed into place is taken
    within a second or two: inotify, not the rescan."""
    w = Workdir()
    spool = os.path.join(w.path, "in")
    os.makedirs(spool)
    spool_config(w, [("wire", "in", {})], interval="1h")
    d = Daemon(w)
    try:
        t.ok(d.wait_log("feed wire: no new files", timeout=20) or
             d.wait_log("dateline 0.1.0", timeout=1), "daemon started", d.log())
        time.sleep(0.3)
        tmp = os.path.join(spool, ".agency.xml.tmp")
        write(tmp, agency_rss())
        start = time.time()
        os.rename(tmp, os.path.join(spool, "agency.xml"))
        t.ok(wait_for(lambda: w.sql("SELECT count(*) FROM articles")[0][0] == 2, 2),
             "a file renamed into place is ingested within two seconds")
        took = time.time() - start
        t.ok(os.path.exists(os.path.join(spool, "done", "agency.xml")), "and moved to done/")
        print("# rename to stored: %.2f s" % took)
        # Written and closed in place.
        write(os.path.join(spool, "page.html"), outlet_page("https://herald.example/x", BODY))
        t.ok(wait_for(lambda: w.sql("SELECT count(*) FROM articles")[0][0] == 3, 2),
             "a file closed after writing is ingested within two seconds")
        # A burst larger than a batch: every file is taken, in batches.
        for i in range(45):
            write(os.path.join(spool, ".b%d.tmp" % i), rss([{"guid": "b%d" % i,
                  "link": "https://burst.example/%d" % i, "title": "Burst %d" % i,
                  "description": "Item %d of a burst." % i}]))
            os.rename(os.path.join(spool, ".b%d.tmp" % i), os.path.join(spool, "b%02d.xml" % i))
        t.ok(wait_for(lambda: w.sql("SELECT count(*) FROM articles WHERE guid LIKE 'b%'")[0][0]
                      == 45, 10), "a burst of 45 files is taken in batches")
        t.is_eq(len([n for n in listing(spool) if n.endswith(".xml")]), 0, "none left behind")
    finally:
        t.is_eq(d.stop(), 0, "daemon stops cleanly")
    w.cleanup()


def test_offline_sample(t):
    """etc/dateline-offline.yaml on a copy of etc/spool-sample: every file
    ingested, the agency stories recognised in every outlet's format."""
    w = Workdir()
    etc = os.path.join(w.path, "etc")
    os.makedirs(etc)
    shutil.copy(os.path.join(TOP, "etc", "dateline-offline.yaml"), etc)
    shutil.copytree(os.path.join(TOP, "etc", "spool-sample"),
                    os.path.join(w.path, "build", "offline-spool"))
    cfg = os.path.join(etc, "dateline-offline.yaml")
    p = subprocess.run([DATELINE, "check-config", "-c", cfg], capture_output=True,
                       env=clean_env())
    t.is_eq((p.returncode, p.stderr), (0, b""), "etc/dateline-offline.yaml is valid")
    w.config = cfg
    w.db = os.path.join(w.path, "dateline-offline.db")
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once on the sample exits 0")
    left = []
    for root, dirs, files in os.walk(os.path.join(w.path, "build", "offline-spool")):
        if os.path.basename(root) != "done":
            left += files
    t.is_eq(left, [], "every sample file ingested (none failed or left)")
    rows = w.sql("SELECT copies, outlets FROM story_copies ORDER BY copies DESC, story_id")
    t.ok(rows[:2] == [(3, 3), (3, 3)], "two agency stories, each carried by three outlets", rows)
    formats = w.sql("SELECT count(DISTINCT f.name) FROM articles a JOIN feeds f ON f.id = a.feed_id")
    t.is_eq(formats, [(4,)], "RSS, Atom, JSON Feed and an article page all ingested")
    w.cleanup()


if __name__ == "__main__":
    main([test_spool_once, test_spool_garbage, test_spool_missing_folder, test_spool_daemon,
          test_spool_inotify, test_offline_sample])

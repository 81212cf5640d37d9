#!/usr/bin/env python3
"""Feed health, adaptive polling, local outages, metrics, retention and
backups, through the real daemon, a real store and the dateline CLI."""
import json
import os
import socket
import sqlite3
import subprocess
import threading
import time

from fixture import (DATELINE, Daemon, FixtureServer, Response, Workdir, clean_env,
                     feed_yaml, main, rss, run_once, wait_for)


def items(prefix, n=3, start=0):
    return [{"guid": "%s-%d" % (prefix, i), "link": "https://%s.example/%d" % (prefix, i),
             "title": "%s %d" % (prefix, i), "description": "Text of %s %d." % (prefix, i)}
            for i in range(start, start + n)]


def health(w):
    return dict(w.sql("SELECT name, state FROM feed_health"))


def cli(*args):
    p = subprocess.run([DATELINE] + list(args), capture_output=True, text=True, env=clean_env())
    return p.returncode, p.stdout, p.stderr


def test_health_states(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/ok.xml", Response(rss(items("ok"))))
    srv.route("/fail.xml", Response(b"", status=500, content_type="text/plain"))
    srv.route("/gone.xml", Response(b"", status=410, content_type="text/plain"))
    srv.route("/stale.xml", Response(rss(items("st", 2))))
    w.write_config([feed_yaml(n, srv.url("/%s.xml" % n)) for n in ("ok", "fail", "gone", "stale")])
    run_once(w)
    time.sleep(1.1)
    srv.route("/stale.xml", Response(rss(items("st", 3))))   # one more item: a gap is known
    run_once(w)
    gap = w.sql("SELECT item_gap FROM feeds WHERE name='stale'")[0][0]
    t.ok(gap is not None and 0.5 < gap < 5, "usual gap between new items learnt (%s s)" % gap)
    time.sleep(max(4 * gap + 0.5 - 0.1, 0.5))
    run_once(w)   # succeeds, nothing new for more than 4 gaps
    t.is_eq(health(w), {"ok": "ok", "fail": "failing", "gone": "gone", "stale": "stale"},
            "feed_health: ok, failing, gone, stale")
    rc, out, err = cli("feeds", "--db", w.db, "--json")
    rows = [json.loads(l) for l in out.splitlines()]
    t.ok(rc == 0 and {r["name"]: r["state"] for r in rows} ==
         {"ok": "ok", "fail": "failing", "gone": "gone", "stale": "stale"},
         "dateline feeds --json", err)
    t.ok(all(isinstance(r["errors"], int) and isinstance(r["articles"], int) for r in rows),
         "numbers are JSON numbers")
    rc, out, err = cli("feeds", "--db", w.db)
    lines = out.splitlines()
    t.ok(rc == 0 and lines[0].split()[:3] == ["name", "state", "articles"] and len(lines) == 5,
         "dateline feeds prints an aligned table", out + err)
    rc, out, err = cli("feeds", "--db", w.db, "--csv", "--utc")
    t.ok(rc == 0 and out.startswith("name,state,articles,") and "Z," in out,
         "dateline feeds --csv --utc", out + err)
    # recovery
    srv.route("/fail.xml", Response(rss(items("f"))))
    srv.route("/stale.xml", Response(rss(items("st", 4))))
    run_once(w)
    h = health(w)
    t.is_eq((h["fail"], h["stale"], h["gone"]), ("ok", "ok", "gone"),
            "a failing and a stale feed recover; a gone feed stays gone")
    t.is_eq(len(srv.requests_for("/gone.xml")), 1, "a gone feed is not polled again")
    rc, out, err = cli("feeds", "--db", os.path.join(w.path, "nope.db"))
    t.ok(rc == 1 and "no such database" in err, "missing database: one clear line", err)
    srv.close()
    w.cleanup()


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_local_outage(t):
    w = Workdir()
    w.write_config([feed_yaml("dead%d" % i, "http://127.0.0.1:%d/f.xml" % closed_port())
                    for i in range(5)])
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    t.is_eq(w.sql("SELECT sum(consecutive_errors) FROM feeds"), [(0,)],
            "when every feed fails to connect at once, no feed is blamed")
    t.ok(err.count("local outage") == 1, "the outage is logged once", err)
    # Mixed: healthy feeds answer, so the dead ones are counted.
    srv = FixtureServer()
    srv.route("/f.xml", Response(rss(items("h"))))
    w.write_config([feed_yaml("dead%d" % i, "http://127.0.0.1:%d/f.xml" % closed_port())
                    for i in range(2)] +
                   [feed_yaml("live%d" % i, srv.url("/f.xml")) for i in range(3)])
    rc, err = run_once(w)
    t.is_eq(w.sql("SELECT name, consecutive_errors FROM feeds WHERE name LIKE 'dead%' "
                  "AND name IN ('dead0','dead1') ORDER BY name"),
            [("dead0", 1), ("dead1", 1)], "feeds failing while others answer are counted")
    t.ok("local outage" not in err, "and no outage is reported", err)
    srv.close()
    w.cleanup()


def test_adaptive_interval(t):
    srv = FixtureServer()
    w = Workdir()
    counter = {"n": 0}
    lock = threading.Lock()

    def busy(h):
        with lock:
            counter["n"] += 1
            n = counter["n"]
        # every poll: a window of five items none of which was seen before
        return Response(rss(items("busy", 5, start=n * 5)))

    def quiet(h):
        if h.headers.get("If-None-Match") == '"q"':
            return Response(b"", status=304, content_type=None)
        return Response(rss(items("quiet")), headers={"ETag": '"q"'})
    srv.route("/busy.xml", busy)
    srv.route("/quiet.xml", quiet)
    w.write_config([feed_yaml("busy", srv.url("/busy.xml"), interval="4s"),
                    feed_yaml("quiet", srv.url("/quiet.xml"), interval="1s")],
                   defaults={"min_interval": "1s", "max_interval": "10s"})
    d = Daemon(w)
    wait_for(lambda: w.sql("SELECT count(*) FROM feeds")[0][0] == 2)
    seen = {"busy": [], "quiet": []}
    end = time.time() + 16
    while time.time() < end and d.proc.poll() is None:
        for name, iv in w.sql("SELECT name, cur_interval FROM feeds"):
            if iv is not None and (not seen[name] or seen[name][-1] != iv):
                seen[name].append(iv)
        time.sleep(0.2)
    d.stop()
    print("# busy feed interval evolution (s): %s" % seen["busy"])
    print("# quiet feed interval evolution (s): %s" % seen["quiet"])
    t.ok(seen["busy"] and seen["busy"][-1] == 1.0,
         "a feed whose window overflows speeds up to min_interval: %r" % seen["busy"])
    t.ok(len(seen["busy"]) >= 3 and seen["busy"][0] == 4.0,
         "busy: from the interval, halved at each overflow: %r" % seen["busy"])
    t.ok(len(seen["quiet"]) >= 3 and seen["quiet"][-1] >= 2.25 and
         all(b > a for a, b in zip(seen["quiet"], seen["quiet"][1:])),
         "a feed with nothing new slows down: %r" % seen["quiet"])
    t.ok(max(seen["quiet"]) <= 10, "never beyond max_interval")
    srv.close()
    w.cleanup()


def test_metrics_file(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/f.xml", Response(rss(items("m", 4))))
    srv.route("/e.xml", Response(b"", status=500, content_type="text/plain"))
    w.write_config([feed_yaml("f", srv.url("/f.xml")), feed_yaml("e", srv.url("/e.xml"))],
                   extra="metrics_file: metrics.prom")
    run_once(w)
    with open(os.path.join(w.path, "metrics.prom")) as f:
        m = f.read()
    t.ok('dateline_polls_total{result="ok"} 1' in m and
         'dateline_polls_total{result="error"} 1' in m, "poll counters", m)
    t.ok("dateline_articles_new_total 4" in m and "dateline_stories 4" in m and
         "dateline_articles 4" in m, "article and story counts", m)
    t.ok('dateline_fetch_seconds_bucket{le="+Inf"} 2' in m and
         "dateline_fetch_seconds_count 2" in m, "fetch latency histogram", m)
    t.ok(not os.path.exists(os.path.join(w.path, "metrics.prom.tmp")), "written atomically")
    srv.close()
    w.cleanup()


def test_retention(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/f.xml", Response(rss(items("r", 6))))
    w.write_config([feed_yaml("f", srv.url("/f.xml"))])
    run_once(w)
    con = sqlite3.connect(w.db)
    con.execute("UPDATE articles SET first_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', "
                "'-2 days') WHERE guid IN ('r-0', 'r-1')")
    con.execute("UPDATE articles SET first_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', "
                "'-5 days') WHERE guid IN ('r-2', 'r-3')")
    con.commit()
    con.close()
    srv.route("/f.xml", Response(rss([])))   # nothing comes back to refill the store
    w.write_config([feed_yaml("f", srv.url("/f.xml"))],
                   extra="retention:\n  bodies: 1d\n  articles: 3d")
    d = Daemon(w)
    t.ok(d.wait_log("retention:"), "retention ran", d.log())
    d.stop()
    rows = dict(w.sql("SELECT guid, body IS NULL FROM articles"))
    t.is_eq(rows, {"r-0": 1, "r-1": 1, "r-4": 0, "r-5": 0},
            "texts older than 1 day pruned, articles older than 3 days deleted")
    t.is_eq(w.sql("SELECT count(*) FROM stories WHERE NOT EXISTS (SELECT 1 FROM articles a "
                  "WHERE a.story_id = stories.id)"), [(0,)], "no story left without copies")
    t.is_eq(w.sql("PRAGMA integrity_check"), [("ok",)], "integrity ok")
    t.ok(w.fts_ok(), "the search index follows the pruning")
    srv.close()
    w.cleanup()


def test_backup_while_ingesting(t):
    srv = FixtureServer()
    w = Workdir()
    n = {"i": 0}

    def growing(h):
        n["i"] += 1
        return Response(rss(items("b%d" % n["i"], 30)))
    for i in range(4):
        srv.route("/g%d.xml" % i, growing)
    w.write_config([feed_yaml("g%d" % i, srv.url("/g%d.xml" % i)) for i in range(4)],
                   defaults={"interval": "1s", "min_interval": "1s"})
    d = Daemon(w)
    t.ok(wait_for(lambda: w.sql("SELECT count(*) FROM stories")[0][0] >= 120), "ingesting",
         d.log())
    before = set(r[0] for r in w.sql("SELECT content_hash FROM stories"))
    dest = os.path.join(w.path, "copy.db")
    rc, out, err = cli("backup", "--db", w.db, dest)
    d.stop()
    t.is_eq((rc, err), (0, ""), "dateline backup while the daemon writes")
    con = sqlite3.connect(dest)
    t.is_eq(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)],
            "the copy passes integrity_check")
    after = set(r[0] for r in con.execute("SELECT content_hash FROM stories"))
    con.close()
    t.ok(before <= after, "the copy has every story committed before it started "
         "(%d before, %d in the copy)" % (len(before), len(after)))
    rc, out, err = cli("backup", "--db", w.db, dest)
    t.ok(rc == 1 and "already exists" in err, "an existing file is never overwritten", err)
    srv.close()
    w.cleanup()


if __name__ == "__main__":
    main([test_health_states, test_local_outage, test_adaptive_interval, test_metrics_file,
          test_retention, test_backup_while_ingesting])

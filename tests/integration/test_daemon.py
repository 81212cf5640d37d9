#!/usr/bin/env python3
"""datelined as a daemon: reload on SIGHUP, clean stop on SIGTERM, and the
connect-time destination filter."""
import os
import signal
import time

from fixture import (Daemon, FixtureServer, Response, Workdir, feed_yaml, main, rss,
                     run_once, wait_for)


def items(prefix, n=2):
    return [{"guid": "%s-%d" % (prefix, i), "link": "https://%s.example/%d" % (prefix, i),
             "title": "%s story %d" % (prefix, i),
             "description": "Body of %s story %d." % (prefix, i)} for i in range(n)]


def count(w, feed):
    return w.sql("SELECT count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id "
                 "WHERE f.name = ?", (feed,))[0][0]


def test_reload(t):
    srv = FixtureServer()
    w = Workdir()
    for name in ("a", "b", "c"):
        srv.route("/%s.xml" % name, Response(rss(items(name))))
    w.write_config([feed_yaml("b", srv.url("/b.xml"))])
    d = Daemon(w)
    t.ok(wait_for(lambda: count(w, "b") == 2), "daemon polls its feed", d.log())
    # Add a: a new feed is polled at once; b keeps its schedule (1h).
    w.write_config([feed_yaml("a", srv.url("/a.xml")), feed_yaml("b", srv.url("/b.xml"))])
    d.signal(signal.SIGHUP)
    t.ok(wait_for(lambda: count(w, "a") == 2), "SIGHUP adds a feed", d.log())
    t.is_eq(len(srv.requests_for("/b.xml")), 1,
            "an unchanged feed keeps its schedule (not re-polled by a reload)")
    # A new list: b stays, a goes, c comes.
    w.write_config([feed_yaml("b", srv.url("/b.xml")), feed_yaml("c", srv.url("/c.xml"))])
    d.signal(signal.SIGHUP)
    t.ok(wait_for(lambda: count(w, "c") == 2), "SIGHUP adds another feed", d.log())
    t.ok(wait_for(lambda: w.sql("SELECT name, active FROM feeds ORDER BY name") ==
                  [("a", 0), ("b", 1), ("c", 1)]), "removed feed marked inactive")
    t.is_eq(count(w, "a"), 2, "removed feed's articles kept")
    # A broken file: reported, running config kept.
    with open(w.config, "a") as f:
        f.write("  - name: broken\n    url: gopher://example.com/\n    intervall: 5m\n")
    d.signal(signal.SIGHUP)
    t.ok(d.wait_log("keeping the running configuration"), "broken reload reported", d.log())
    log = d.log()
    t.ok("dateline.yaml:" in log and "gopher" in log and "intervall" in log,
         "each error reported with file:line:col", log)
    t.ok(d.proc.poll() is None, "daemon still running after a broken reload")
    t.is_eq(w.sql("SELECT name FROM feeds WHERE name='broken'"), [],
            "nothing from the broken file applied")
    # A burst of SIGHUPs with a valid file is survived.
    w.write_config([feed_yaml("b", srv.url("/b.xml")), feed_yaml("c", srv.url("/c.xml"))])
    for _ in range(100):
        d.signal(signal.SIGHUP)
    time.sleep(0.5)
    t.ok(d.proc.poll() is None, "100 SIGHUPs in a burst survived")
    rc = d.stop()
    t.is_eq(rc, 0, "SIGTERM exits 0")
    t.ok("stopped" in d.log(), "stop logged")
    srv.close()
    w.cleanup()


def test_sigterm_mid_poll(t):
    srv = FixtureServer()
    w = Workdir()
    srv.route("/ok.xml", Response(rss(items("ok", 20))))
    srv.route("/slow.xml", Response(rss(items("slow")), delay=8))
    w.write_config([feed_yaml("ok", srv.url("/ok.xml")),
                    feed_yaml("slow", srv.url("/slow.xml"), timeout="30s")],
                   defaults={"interval": "2s"})
    d = Daemon(w)
    t.ok(wait_for(lambda: len(srv.requests_for("/slow.xml")) >= 1 and count(w, "ok") == 20),
         "slow fetch in flight", d.log())
    start = time.time()
    rc = d.stop()
    took = time.time() - start
    t.is_eq(rc, 0, "SIGTERM during a fetch exits 0")
    t.ok(took < 5, "and promptly (%.1fs)" % took)
    t.is_eq(w.sql("PRAGMA integrity_check"), [("ok",)], "integrity_check ok")
    t.is_eq(count(w, "ok"), 20, "committed articles present")
    srv.close()
    w.cleanup()


def test_destination_filter(t):
    """With allow_private off, every spelling of a loopback or unspecified
    address is refused at connect time: the server never sees a request."""
    srv = FixtureServer()
    w = Workdir()
    srv.route("/f.xml", Response(rss(items("f"))))
    port = srv.port
    spellings = {
        "plain": "http://127.0.0.1:%d/f.xml",
        "short": "http://127.1:%d/f.xml",
        "decimal": "http://2130706433:%d/f.xml",
        "hex": "http://0x7f.1:%d/f.xml",
        "octal": "http://0177.0.0.1:%d/f.xml",
        "v6": "http://[::1]:%d/f.xml",
        "mapped": "http://[::ffff:127.0.0.1]:%d/f.xml",
        "any": "http://0.0.0.0:%d/f.xml",
        "any6": "http://[::]:%d/f.xml",
        "localhost": "http://localhost:%d/f.xml",
    }
    w.write_config([feed_yaml(k, v % port, allow_private=False)
                    for k, v in spellings.items()] +
                   [feed_yaml("allowed", srv.url("/f.xml"), allow_private=True)])
    rc, err = run_once(w)
    t.is_eq(rc, 0, "--once exits 0")
    errors = dict(w.sql("SELECT name, last_error FROM feeds"))
    for k in spellings:
        e = errors.get(k) or ""
        t.ok("refused to connect" in e and "allow_private is off" in e,
             "%s spelling refused at connect time" % k, e)
    t.is_eq(errors["allowed"], None, "allow_private: true reaches loopback")
    t.is_eq(len(srv.requests_for("/f.xml")), 1, "only the allowed feed reached the server")
    srv.close()
    w.cleanup()


def test_notify(t):
    """READY, STATUS, WATCHDOG, RELOADING and STOPPING reach $NOTIFY_SOCKET."""
    import socket
    srv = FixtureServer()
    w = Workdir()
    srv.route("/f.xml", Response(rss(items("f"))))
    w.write_config([feed_yaml("f", srv.url("/f.xml"))])
    path = os.path.join(w.path, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    d = Daemon(w, env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"})
    msgs = []

    def drain(until, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            try:
                msgs.append(sock.recv(4096).decode())
            except socket.timeout:
                pass
            if any(until in m for m in msgs):
                return True
        return False
    t.ok(drain("READY=1"), "READY=1 sent", msgs)
    t.ok(drain("WATCHDOG=1"), "WATCHDOG=1 sent", msgs)
    t.ok(any(m.startswith("STATUS=") and "feed" in m for m in msgs), "STATUS= line", msgs)
    d.signal(signal.SIGHUP)
    t.ok(drain("RELOADING=1"), "RELOADING=1 on SIGHUP", msgs)
    d.stop()
    t.ok(drain("STOPPING=1"), "STOPPING=1 on SIGTERM", msgs)
    sock.close()
    srv.close()
    w.cleanup()


def test_once_without_feeds(t):
    w = Workdir()
    w.write_config([])
    rc, err = run_once(w, timeout=20)
    t.is_eq(rc, 0, "--once with no feeds finishes at once")
    t.is_eq(w.sql("PRAGMA user_version")[0][0] >= 1, True, "and leaves a ready store")
    w.cleanup()


def test_bad_config_refused(t):
    w = Workdir()
    with open(w.config, "w") as f:
        f.write("database: dateline.db\nfeeds:\n  - name: x\n    url: file:///etc/passwd\n")
    rc, err = run_once(w)
    t.is_eq(rc, 1, "a config with errors: exit 1")
    t.ok("dateline.yaml:4:" in err and "scheme" in err, "error has file:line:col", err)
    t.ok(not os.path.exists(w.db), "nothing started: no database created")
    w.cleanup()


if __name__ == "__main__":
    main([test_reload, test_sigterm_mid_poll, test_destination_filter, test_notify,
          test_once_without_feeds, test_bad_config_refused])

"""Shared fixtures for dateline's integration tests.

A test starts a FixtureServer (a real HTTP server on 127.0.0.1), writes a
real configuration file, runs the real datelined against it, and reads the
real SQLite file.  Output is TAP ("ok N - name" / "not ok N - name"),
counted by tests/run.sh.

Nothing here connects anywhere but 127.0.0.1.
"""
import contextlib
import gzip
import http.server
import io
import os
import signal
import sqlite3
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import traceback

BUILD = os.environ.get("DATELINE_BUILD") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build")
TOP = os.environ.get("DATELINE_TOP") or os.path.join(os.path.dirname(__file__), "..", "..")
DATELINED = os.path.join(BUILD, "datelined")
DATELINE = os.path.join(BUILD, "dateline")


class Response:
    """What a route answers.  body may be bytes or a callable(handler)."""

    def __init__(self, body=b"", status=200, headers=None, delay=0.0,
                 content_type="application/rss+xml; charset=utf-8"):
        self.body = body
        self.status = status
        self.headers = dict(headers or {})
        self.delay = delay
        if content_type and "Content-Type" not in self.headers:
            self.headers["Content-Type"] = content_type


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output clean
        pass

    def do_GET(self):
        srv = self.server.fixture
        path = self.path
        with srv.lock:
            srv.requests.append((path, dict(self.headers.items())))
            srv.active[path] = srv.active.get(path, 0) + 1
            srv.max_active = max(srv.max_active, sum(srv.active.values()))
        try:
            route = srv.routes.get(path)
            if route is None:
                self._send(Response(b"not found", status=404, content_type="text/plain"))
                return
            if callable(route):
                route = route(self)
                if route is None:
                    return
            if route.delay:
                time.sleep(route.delay)
            self._send(route)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with srv.lock:
                srv.active[path] -= 1

    def _send(self, r):
        body = r.body(self) if callable(r.body) else r.body
        self.send_response(r.status)
        for k, v in r.headers.items():
            if isinstance(v, list):
                for one in v:
                    self.send_header(k, one)
            else:
                self.send_header(k, v)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients that give up (timeouts, size caps) reset connections on
        # purpose; that is what the tests provoke, not a server fault.
        pass


class FixtureServer:
    """An HTTP server on 127.0.0.1 with a mutable route table."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        self.active = {}
        self.max_active = 0
        self.lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.fixture = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def route(self, path, response):
        self.routes[path] = response

    def requests_for(self, path):
        with self.lock:
            return [h for p, h in self.requests if p == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(items, title="Fixture feed", link="https://example.com/"):
    """An RSS 2.0 document; items are dicts with guid, link, title, description, pubDate."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           "<channel><title>%s</title><link>%s</link>" % (title, link)]
    for it in items:
        out.append("<item>")
        for k in ("title", "link", "guid", "pubDate", "author"):
            if k in it:
                out.append("<%s>%s</%s>" % (k, it[k], k))
        if "description" in it:
            out.append("<description><![CDATA[%s]]></description>" % it["description"])
        if "content" in it:
            out.append("<content:encoded><![CDATA[%s]]></content:encoded>" % it["content"])
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def feed_yaml(name, url, **settings):
    lines = ["  - name: %s" % name, "    url: %s" % url]
    for k, v in settings.items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        lines.append("    %s: %s" % (k, v))
    return "\n".join(lines)


class Workdir:
    """A temporary folder with a config and a database."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="dateline-test-")
        self.path = self.tmp.name
        self.config = os.path.join(self.path, "dateline.yaml")
        self.db = os.path.join(self.path, "dateline.db")

    def write_config(self, feeds, defaults=None, extra=""):
        d = {"interval": "1h", "timeout": "5s", "allow_private": True,
             "retry_min": "1s", "retry_max": "1h"}
        d.update(defaults or {})
        lines = ["database: dateline.db", extra, "defaults:"]
        for k, v in d.items():
            if isinstance(v, bool):
                v = "true" if v else "false"
            lines.append("  %s: %s" % (k, v))
        lines.append("feeds:" if feeds else "feeds: []")
        lines.extend(feeds)
        with open(self.config, "w") as f:
            f.write("\n".join(lines) + "\n")

    def sql(self, query, args=()):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def fts_ok(self):
        """Whether the search index matches the articles exactly."""
        con = sqlite3.connect(self.db)
        try:
            con.execute("INSERT INTO articles_fts (articles_fts, rank) "
                        "VALUES ('integrity-check', 1)")
            return True
        except sqlite3.Error:
            return False
        finally:
            con.close()

    def cleanup(self):
        self.tmp.cleanup()


def clean_env():
    env = dict(os.environ)
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
              "all_proxy", "NOTIFY_SOCKET", "WATCHDOG_USEC"):
        env.pop(k, None)
    return env


def run_once(work, timeout=60, args=()):
    """Runs datelined --once; returns (exit status, stderr text)."""
    p = subprocess.run([DATELINED, "-c", work.config, "--once"] + list(args),
                       capture_output=True, timeout=timeout, env=clean_env())
    return p.returncode, p.stderr.decode("utf-8", "replace")


class Daemon:
    """datelined running in the background on a workdir."""

    def __init__(self, work, args=(), env=None):
        self.errfile = open(os.path.join(work.path, "datelined.log"), "w+b")
        e = clean_env()
        e.update(env or {})
        self.proc = subprocess.Popen([DATELINED, "-c", work.config] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=self.errfile, env=e)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def log(self):
        self.errfile.seek(0)
        return self.errfile.read().decode("utf-8", "replace")

    def wait_log(self, text, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if text in self.log():
                return True
            if self.proc.poll() is not None:
                return text in self.log()
            time.sleep(0.05)
        return False

    def stop(self, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def wait_for(pred, timeout=20, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if pred():
                return True
        except (sqlite3.Error, IndexError):
            pass
        time.sleep(step)
    return False


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, detail=None):
        self.n += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, name), flush=True)
        if not cond:
            self.failed += 1
            if detail:
                for line in str(detail).splitlines()[-40:]:
                    print("#   " + line, flush=True)
        return cond

    def is_eq(self, got, want, name):
        return self.ok(got == want, name, "got:  %r\nwant: %r" % (got, want))


def main(tests):
    """Runs each test(tap) and exits 1 if any check failed."""
    tap = Tap()
    for t in tests:
        try:
            t(tap)
        except Exception:
            tap.ok(False, "%s raised" % t.__name__, traceback.format_exc())
    sys.exit(1 if tap.failed else 0)

"""Servers that misbehave on purpose, for the hostile-input, soak and
crash tests.

http.server cannot misbehave enough (lie about lengths, reset a
connection, stall between bytes, never accept), so RawServer speaks HTTP
on raw sockets: it reads one request, hands it to a route function, and
the route writes whatever bytes it likes.  Every server listens on an
address in 127.0.0.0/8 only, counts requests per path and open
connections (so a test can assert "at most N at once" server-side), and
has a `hostile` switch: off, every route answers a healthy feed, so a
first poll can store articles that the hostile poll must leave alone.

Nothing here connects anywhere but 127.0.0.1.
"""
import gzip
import io
import os
import select
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import zlib

# --------------------------------------------------------------------------
# Documents


def rss_items(items, title="Hostile fixture", extra_head=b"", encoding=None,
              decl=True):
    """RSS 2.0 bytes; items are dicts of already-escaped text (str or bytes)."""
    def b(v):
        return v if isinstance(v, bytes) else v.encode("utf-8")
    out = []
    if decl:
        out.append(b'<?xml version="1.0" encoding="%s"?>\n' % b(encoding or "utf-8"))
    out.append(extra_head)
    out.append(b'<rss version="2.0"><channel><title>' + b(title) +
               b'</title><link>https://hostile.example/</link>\n')
    for it in items:
        out.append(b"<item>")
        for k in ("title", "link", "guid", "pubDate", "description"):
            if k in it:
                out.append(b"<%s>%s</%s>" % (k.encode(), b(it[k]), k.encode()))
        out.append(b"</item>\n")
    out.append(b"</channel></rss>\n")
    return b"".join(out)


def healthy_feed(name, gen=0, n=2, size=0):
    """A valid feed whose items are named after the feed and generation."""
    items = []
    for i in range(n):
        g = "%s-g%d-%d" % (name, gen, i)
        body = "Text of %s." % g
        if size:
            body += " " + ("lorem ipsum %s " % g) * (size // (len(g) + 14) + 1)
        items.append({"guid": g, "link": "https://%s.example/%s" % (name, g),
                      "title": "Story %s" % g, "description": body})
    return rss_items(items, title="Feed %s" % name)


# --------------------------------------------------------------------------
# The raw server


class Request:
    def __init__(self, method, path, headers):
        self.method = method
        self.path = path
        self.headers = headers


class RawServer:
    """A threaded HTTP/1.1 server on raw sockets; every response closes its
    connection.  routes maps a path to fn(server, conn, request)."""

    def __init__(self, host="127.0.0.1", backlog=128, tls=None):
        assert host.startswith("127.")
        self.host = host
        self.routes = {}
        self.hostile = False
        self.lock = threading.Lock()
        self.requests = []          # paths, in arrival order
        self.connections = 0        # accepted
        self.open = 0
        self.max_open = 0
        # Requests read and not yet answered: a sound lower bound of the
        # client's concurrent connections (a closing socket is not counted).
        self.inflight = 0
        self.max_inflight = 0
        self.handshake_failures = 0
        self.accepting = threading.Event()
        self.accepting.set()
        self.closing = False
        self.tls = tls              # an ssl.SSLContext, or None
        self.held = []              # connections kept open on purpose
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(backlog)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.thread.start()

    def url(self, path, scheme=None):
        return "%s://%s:%d%s" % (scheme or ("https" if self.tls else "http"),
                                 self.host, self.port, path)

    def route(self, path, fn):
        self.routes[path] = fn

    def count(self, path):
        with self.lock:
            return sum(1 for p in self.requests if p == path)

    def _accept_loop(self):
        while not self.closing:
            if not self.accepting.is_set():
                # Not calling accept(): the kernel's queue fills, then SYNs
                # are dropped and connects hang (a black hole).
                time.sleep(0.05)
                continue
            try:
                r, _, _ = select.select([self.sock], [], [], 0.1)
            except (OSError, ValueError):
                return
            if not r or not self.accepting.is_set():
                continue
            try:
                conn, _ = self.sock.accept()
            except OSError:
                if self.closing:
                    return
                continue
            with self.lock:
                self.connections += 1
                self.open += 1
                self.max_open = max(self.max_open, self.open)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def answered(self, req):
        """Called by a route just before it answers (else when it returns)."""
        with self.lock:
            if not getattr(req, "done", False):
                req.done = True
                self.inflight -= 1

    def _serve(self, conn):
        keep = False
        req = None
        try:
            conn.settimeout(30)
            if self.tls:
                try:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    with self.lock:
                        self.handshake_failures += 1
                    return
            req = read_request(conn)
            if req is None:
                return
            with self.lock:
                self.requests.append(req.path)
                self.inflight += 1
                self.max_inflight = max(self.max_inflight, self.inflight)
            fn = self.routes.get(req.path.split("?")[0])
            if fn is None:
                self.answered(req)
                send(conn, 404, b"not found", ctype="text/plain")
            else:
                keep = fn(self, conn, req) == "keep"
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            if req is not None:
                self.answered(req)
            if keep:
                self.held.append(conn)
            else:
                try:
                    conn.close()
                except OSError:
                    pass
            with self.lock:
                self.open -= 1

    def close(self):
        self.closing = True
        self.accepting.set()
        try:
            self.sock.close()
        except OSError:
            pass
        for c in self.held:
            try:
                c.close()
            except OSError:
                pass
        self.thread.join(2)


def read_request(conn, limit=65536):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > limit:
            return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    parts = head[0].split(" ")
    if len(parts) < 2:
        return None
    headers = {}
    for line in head[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return Request(parts[0], parts[1], headers)


def send(conn, status, body=b"", headers=(), ctype="application/rss+xml; charset=utf-8",
         length=None):
    """Writes a whole response; length overrides Content-Length (None: the
    body's; False: no Content-Length header)."""
    lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Whatever")),
             "Connection: close"]
    if ctype:
        lines.append("Content-Type: " + ctype)
    if length is None:
        length = len(body)
    if length is not False:
        lines.append("Content-Length: %d" % length)
    for h in headers:
        lines.append(h)
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
           307: "Temporary Redirect", 308: "Permanent Redirect", 404: "Not Found",
           410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
           503: "Service Unavailable"}


def reset(conn):
    """Closes with RST instead of FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


# --------------------------------------------------------------------------
# Routes.  Each is a factory: name -> fn(server, conn, req).  When the
# server is not hostile every route serves healthy_feed(name).


def healthy(name, gen=lambda: 0, n=2, size=0, delay=0.0):
    def fn(srv, conn, req):
        if delay:
            time.sleep(delay)
        body = healthy_feed(name, gen(), n, size)
        srv.answered(req)
        send(conn, 200, body)
    return fn


def hostile(name, bad):
    """Healthy until the server turns hostile, then bad(srv, conn, req)."""
    def fn(srv, conn, req):
        if not srv.hostile:
            send(conn, 200, healthy_feed(name))
            return None
        return bad(srv, conn, req)
    return fn


def body_route(body, status=200, headers=(), ctype="application/rss+xml; charset=utf-8",
               length=None):
    def bad(srv, conn, req):
        send(conn, status, body, headers, ctype, length)
    return bad


def truncated_body(srv, conn, req):
    body = healthy_feed("truncated-body", 1, 20)
    # Announces the whole document, sends a third of it, closes (FIN).
    send(conn, 200, body[:len(body) // 3], length=len(body))


def reset_mid_transfer(srv, conn, req):
    body = healthy_feed("reset", 1, 20)
    head = ("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            "Content-Length: %d\r\n\r\n" % len(body)).encode()
    conn.sendall(head + body[:len(body) // 2])
    time.sleep(0.2)
    reset(conn)
    return "keep"    # already closed; the server must not touch it


def truncated_gzip(srv, conn, req):
    z = gzip_bytes(healthy_feed("truncated-gzip", 1, 50, size=2000))
    cut = z[:len(z) // 2]
    send(conn, 200, cut, ["Content-Encoding: gzip"])


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def _bomb_block():
    """One raw-deflate block that inflates to 1 MiB of spaces.  After a full
    flush the compressor starts afresh, so the same block repeated is a
    valid deflate stream: the bomb is streamed, never built."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(b" " * (1 << 20))
    return c.flush(zlib.Z_FULL_FLUSH)


BOMB_BLOCK = _bomb_block()
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def gzip_bomb(decoded_gib=10):
    """10 MB on the wire that would inflate to decoded_gib GiB: a feed
    start, then blocks of spaces (whitespace inside the channel)."""
    blocks = decoded_gib * 1024

    def bad(srv, conn, req):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        start = c.compress(b'<?xml version="1.0"?><rss version="2.0"><channel>') + \
            c.flush(zlib.Z_FULL_FLUSH)
        length = len(GZIP_HEADER) + len(start) + blocks * len(BOMB_BLOCK)
        head = ("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                "Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % length).encode()
        conn.sendall(head + GZIP_HEADER + start)
        sent = 0
        try:
            for _ in range(blocks):
                conn.sendall(BOMB_BLOCK)
                sent += 1
        finally:
            srv.bomb_blocks_sent = getattr(srv, "bomb_blocks_sent", 0) + sent
    return bad


def chained_encodings(n=1000):
    def bad(srv, conn, req):
        body = gzip_bytes(healthy_feed("chained", 1))
        send(conn, 200, body, ["Content-Encoding: gzip"] * n)
    return bad


def redirect(location, status=302):
    def bad(srv, conn, req):
        send(conn, status, b"", ["Location: " + location], ctype=None)
    return bad


def stall_after_headers(srv, conn, req):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                 b"Content-Length: 5000\r\n\r\n<?xml version=\"1.0\"?>")
    wait_closed(conn, 60)


def accept_never_answer(srv, conn, req):
    wait_closed(conn, 60)


def one_byte_every(seconds):
    def bad(srv, conn, req):
        body = healthy_feed("drip", 1)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body))
        for i in range(len(body)):
            conn.sendall(body[i:i + 1])
            if wait_closed(conn, seconds):
                return
    return bad


def endless_chunked(rate=None):
    """A chunked body that never ends; rate: bytes per second, None: fast."""
    def bad(srv, conn, req):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        first = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        conn.sendall(b"%x\r\n%s\r\n" % (len(first), first))
        piece = b"<!-- " + b"x" * (200 if rate else 16000) + b" -->"
        deadline = time.time() + 120
        while time.time() < deadline:
            conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            if rate and wait_closed(conn, len(piece) / rate):
                return
    return bad


def wait_closed(conn, seconds):
    """Sleeps up to seconds; True as soon as the peer has closed."""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([conn], [], [], min(0.2, max(0, end - time.time())))
        if r:
            try:
                if not conn.recv(4096, socket.MSG_PEEK):
                    return True
            except OSError:
                return True
            # The client sent more (a pipelined request?): ignore it.
            try:
                conn.recv(4096)
            except OSError:
                return True
    return False


# --------------------------------------------------------------------------
# Hostile documents


def xxe_doc(entity_url):
    return (b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
            b'<!ENTITY remote SYSTEM "' + entity_url.encode() + b'">\n]>\n'
            b'<rss version="2.0"><channel><title>XXE</title>'
            b'<link>https://xxe.example/</link>'
            b'<item><guid>xxe-1</guid><link>https://xxe.example/1</link>'
            b'<title>Before[&xxe;]after</title>'
            b'<description>Remote[&remote;]end</description></item>'
            b'</channel></rss>\n')


def external_dtd_doc(dtd_url, pe_url):
    return (b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<!DOCTYPE rss SYSTEM "' + dtd_url.encode() + b'" [\n'
            b'<!ENTITY % pe SYSTEM "' + pe_url.encode() + b'">\n%pe;\n]>\n'
            b'<rss version="2.0"><channel><title>DTD</title>'
            b'<link>https://dtd.example/</link>'
            b'<item><guid>dtd-1</guid><link>https://dtd.example/1</link>'
            b'<title>External DTD item</title></item></channel></rss>\n')


def billion_laughs_doc():
    ents = [b'<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        ents.append(b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1)
                                                           for _ in range(10))))
    return (b'<?xml version="1.0"?>\n<!DOCTYPE rss [' + b"\n".join(ents) + b']>\n'
            b'<rss version="2.0"><channel><title>&lol9;</title>'
            b'<item><title>&lol9;</title><link>https://laughs.example/1</link></item>'
            b'</channel></rss>\n')


def quadratic_doc():
    # One 50 KB entity referenced 20000 times: 1 GB if expanded.
    big = b"A" * 50000
    refs = b"&a;" * 20000
    return (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + big + b'">]>\n'
            b'<rss version="2.0"><channel><title>Quadratic</title><item>'
            b'<link>https://quadratic.example/1</link><description>' + refs +
            b'</description></item></channel></rss>\n')


def deep_doc(depth=10 ** 6):
    return (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Deep</title>'
            b'<item><link>https://deep.example/1</link><title>Deep</title>' +
            b"<a>" * depth + b"</a>" * depth + b"</item></channel></rss>\n")


def huge_text_doc(mb=12):
    return (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Huge</title>'
            b'<item><link>https://huge.example/1</link><title>Huge text</title>'
            b'<description>' + b"x" * (mb * 1024 * 1024) +
            b'</description></item></channel></rss>\n')


# --------------------------------------------------------------------------
# TLS material, made at test time


class TestCA:
    """A CA and leaf certificates for 127.0.0.1 made with the openssl
    command; folder is removed by cleanup()."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="dateline-tls-")
        self.ca_key = os.path.join(self.dir, "ca.key")
        self.ca_crt = os.path.join(self.dir, "ca.crt")
        self._run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.ca_key,
                   "-out", self.ca_crt, "-days", "2", "-subj", "/CN=dateline test CA",
                   "-addext", "basicConstraints=critical,CA:TRUE",
                   "-addext", "keyUsage=critical,keyCertSign,cRLSign"])

    @staticmethod
    def available():
        return shutil.which("openssl") is not None

    def _run(self, args):
        subprocess.run(["openssl"] + args, check=True, capture_output=True, cwd=self.dir)

    def leaf(self, name, ip="127.0.0.1", expired=False):
        """(certfile, keyfile) for ip, signed by the CA; expired: valid only
        in the past."""
        key = os.path.join(self.dir, name + ".key")
        csr = os.path.join(self.dir, name + ".csr")
        crt = os.path.join(self.dir, name + ".crt")
        ext = os.path.join(self.dir, name + ".ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:%s\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n" % ip)
        self._run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
                   "-subj", "/CN=%s" % ip])
        if not expired:
            self._run(["x509", "-req", "-in", csr, "-CA", self.ca_crt, "-CAkey", self.ca_key,
                       "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext])
        else:
            # `openssl ca` is the one command that takes explicit dates.
            db = os.path.join(self.dir, "index.txt")
            open(db, "a").close()
            conf = os.path.join(self.dir, "ca.cnf")
            with open(conf, "w") as f:
                f.write("[ca]\ndefault_ca=test\n[test]\ndatabase=%s\nnew_certs_dir=%s\n"
                        "serial=%s\ndefault_md=sha256\npolicy=any\ncopy_extensions=none\n"
                        "unique_subject=no\n[any]\ncommonName=supplied\n"
                        % (db, self.dir, os.path.join(self.dir, "serial")))
            with open(os.path.join(self.dir, "serial"), "w") as f:
                f.write("1000\n")
            self._run(["ca", "-batch", "-config", conf, "-cert", self.ca_crt,
                       "-keyfile", self.ca_key, "-in", csr, "-out", crt, "-notext",
                       "-startdate", "20200101000000Z", "-enddate", "20200201000000Z",
                       "-extfile", ext])
        return crt, key

    def self_signed(self, name, ip="127.0.0.1"):
        key = os.path.join(self.dir, name + ".key")
        crt = os.path.join(self.dir, name + ".crt")
        self._run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                   "-out", crt, "-days", "2", "-subj", "/CN=%s" % ip,
                   "-addext", "subjectAltName=IP:%s" % ip])
        return crt, key

    @staticmethod
    def context(crt, key):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        return ctx

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def can_bind_mount():
    """Whether `unshare -m` with a bind mount works here (root, no seccomp
    in the way): the TLS tests trust their CA only inside such a private
    mount namespace, never on the machine."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    p = subprocess.run(["unshare", "-m", "sh", "-c",
                        "mount --bind /dev/null /dev/null && echo yes"],
                       capture_output=True, timeout=10)
    return p.returncode == 0 and b"yes" in p.stdout


SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def trusting_ca(argv, ca_crt):
    """argv run so that libcurl trusts ca_crt: libcurl (Debian's) reads its
    compiled-in bundle and ignores CURL_CA_BUNDLE/SSL_CERT_FILE, so a
    private mount namespace shows it a bundle that is just the test CA.
    unshare(1) execs the command: the pid stays the daemon's."""
    script = 'mount --bind "$0" %s && exec "$@"' % SYSTEM_BUNDLE
    return ["unshare", "-m", "sh", "-c", script, ca_crt] + list(argv)


def peak_rss_kib(pid):
    """VmHWM of a running process in KiB, or 0."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

#!/usr/bin/python3
"""`make bench`: dateline side by side with the programs people would pick
instead, on the same machine in the same run.

usage: bench.py --build DIR [--quick] [--work DIR] [--out FILE] [--only NAMES]

Runs every benchmark several times and prints, for each, the median and
range of ours, the median of the peer measured in the same run and the
ratio; writes the table with the date and the machine to bench/RESULTS.md
(--quick: a smaller corpus and fewer repetitions, written to
WORK/RESULTS-quick.md so the full results are not overwritten).

  parse     feed_parse in one process (bench/parse.c) and `dateline parse`
            per file, vs sfeed on the same bytes as one stream, vs Python
            feedparser, vs a bare libxml2 xmlReader walk (bench/walk.c)
  ingest    datelined --once over the corpus served by nginx on 127.0.0.1
            vs newsboat -x reload over the same URLs
  articles  page_extract (bench/extract.c) and `dateline extract` vs
            Mozilla Readability under jsdom (bench/readability.js), one core;
            body token F1 of both on the generated site and on tests/pages
  steady    10,000 feeds answering 304, 60 s interval: CPU per poll, RSS
  growth    a generated store of 10k / 100k / 1M articles: ingest rate,
            near-variant lookup, raw SQLite ceiling (bench/growth.c)
  stories   stories/s ingesting the articles of a 4,000-feed corpus (20 %
            syndicated); entity extraction articles/s and its share of
            ingest time
            (bench/pipeline.c)

Rates are per CPU-second of the measured process (user + system) unless a
row says otherwise: this machine is shared, and CPU time is what the load
of other processes disturbs least.  Wall-clock figures are given next to
them.  Nothing here connects beyond 127.0.0.1.
"""
import argparse
import collections
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(os.path.dirname(TOP), "shared", "bench", "gen_corpus.py")
NODE_DIR = os.path.join(TOP, "build", "node")
NODE_PKGS = ["@mozilla/readability@0.6.0", "jsdom@29"]
DEB_PEERS = ["sfeed", "newsboat", "python3-feedparser", "nginx-light", "curl"]
SYS_PYTHON = "/usr/bin/python3"     # Debian's python3-feedparser lives here

ROWS = []          # the results table
NOTES = []         # lines under the table
LOG = []


def say(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------------------
# running and measuring

def run(cmd, cwd=None, env=None, stdout=None, stdin=None, check=True, cpu=None):
    """Runs cmd; returns (wall seconds, CPU seconds, max RSS KiB, returncode).
    cpu: a CPU number to pin the process to (taskset)."""
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu)] + list(cmd)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout or subprocess.DEVNULL,
                         stdin=stdin, stderr=subprocess.PIPE)
    err = b""
    if p.stderr:
        err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    if check and p.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace")[-3000:])
        raise SystemExit("bench: %s exited %d" % (" ".join(cmd[:4]), p.returncode))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode


def run_json(cmd, cwd=None, env=None, cpu=None):
    """Runs a harness that prints one JSON object per line; returns them."""
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu)] + list(cmd)
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace")[-3000:])
        raise SystemExit("bench: %s exited %d" % (" ".join(cmd[:3]), p.returncode))
    out = [json.loads(line) for line in p.stdout.decode().splitlines() if line.startswith("{")]
    return out


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt(x, unit=""):
    if x is None or x != x:
        return "n/a"
    if abs(x) >= 100:
        s = "{:,.0f}".format(x)
    elif abs(x) >= 10:
        s = "%.1f" % x
    elif abs(x) >= 1:
        s = "%.2f" % x
    else:
        s = "%.3g" % x
    return s + unit


def row(bench, metric, ours, peer_name=None, peer=None, target=None, met=None,
        higher_better=True, unit="", note=""):
    """ours: list of repetitions (or one value); peer: list or value."""
    ours_l = ours if isinstance(ours, list) else [ours]
    peer_l = peer if isinstance(peer, list) else ([peer] if peer is not None else [])
    om = med(ours_l)
    pm = med(peer_l) if peer_l else None
    ratio = None
    if pm:
        ratio = om / pm if higher_better else pm / om
    rng = ""
    if len(ours_l) > 1:
        rng = "%s–%s" % (fmt(min(ours_l)), fmt(max(ours_l)))
    r = collections.OrderedDict(
        bench=bench, metric=metric, ours=fmt(om, unit), range=rng, n=len(ours_l),
        peer=(peer_name or ""), peer_value=(fmt(pm, unit) if pm is not None else ""),
        peer_n=len(peer_l), ratio=("%.2f×" % ratio if ratio is not None else ""),
        target=target or "", met=("yes" if met else "no") if met is not None else "",
        note=note)
    ROWS.append(r)
    say("  %-10s %-44s ours %s [%s] | %s %s | ratio %s | %s %s" % (
        bench, metric, r["ours"], rng, r["peer"], r["peer_value"], r["ratio"],
        r["target"], ("MET" if met else "NOT MET") if met is not None else ""))
    return om, pm, ratio


# ---------------------------------------------------------------------------
# set-up: peers, corpus, nginx

def ensure_peers():
    missing = []
    for p in DEB_PEERS:
        q = subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        if b"install ok installed" not in q.stdout:
            missing.append(p)
    if missing:
        say("bench: installing missing Debian packages: %s" % " ".join(missing))
        if os.geteuid() != 0:
            raise SystemExit("bench: run as root, or: sudo apt-get install %s" % " ".join(missing))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update"], env=env,
                       check=False, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y"] + missing,
                       env=env, check=True, stdout=subprocess.DEVNULL)
    else:
        say("bench: Debian peers present: %s" % " ".join(DEB_PEERS))
    have = all(os.path.exists(os.path.join(NODE_DIR, "node_modules", m, "package.json"))
               for m in ("@mozilla/readability", "jsdom"))
    if not have:
        say("bench: installing npm packages into build/node: %s" % " ".join(NODE_PKGS))
        os.makedirs(NODE_DIR, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", NODE_DIR]
                       + NODE_PKGS, check=True, stdout=subprocess.DEVNULL)
    else:
        say("bench: npm peers present in build/node: @mozilla/readability, jsdom")


def gen_corpus(work, name, args):
    """Generates (once; cached by generator hash and arguments) a corpus."""
    out = os.path.join(work, name)
    if not os.path.exists(GEN):
        raise SystemExit("bench: the corpus generator %s is missing: make bench expects the "
                         "shared/ folder next to the source tree" % GEN)
    with open(GEN, "rb") as f:
        stamp = hashlib.sha256(f.read() + repr(args).encode()).hexdigest()
    sf = os.path.join(out, ".stamp")
    if os.path.exists(sf) and open(sf).read() == stamp:
        return out
    if os.path.exists(out):
        shutil.rmtree(out)
    say("bench: generating %s (%s)" % (name, " ".join(args)))
    t0 = time.monotonic()
    subprocess.run([SYS_PYTHON, GEN, "--out", out] + args, check=True,
                   stderr=subprocess.DEVNULL)
    with open(sf, "w") as f:
        f.write(stamp)
    say("bench: %s generated in %.0fs" % (name, time.monotonic() - t0))
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Nginx:
    def __init__(self, work, root, steady_root, access_log):
        self.run = os.path.join(work, "nginx")
        os.makedirs(os.path.join(self.run, "tmp"), exist_ok=True)
        self.port = free_port()
        with open(os.path.join(TOP, "bench", "nginx.conf.in")) as f:
            conf = f.read()
        conf = (conf.replace("@RUN@", self.run).replace("@ROOT@", root)
                .replace("@PORT@", str(self.port)).replace("@ACCESS_LOG@", access_log))
        # The steady-state feeds live in their own folder.
        conf = conf.replace("\t\troot %s;\n" % root,
                            "\t\troot %s;\n\t\tlocation /steady/ {\n\t\t\talias %s/;\n\t\t}\n"
                            % (root, steady_root))
        self.conf = os.path.join(self.run, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.p = subprocess.Popen(["nginx", "-p", self.run, "-c", self.conf],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("bench: nginx did not start (see %s)" % self.run)
        self.base = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGQUIT)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    return {"nproc": os.cpu_count(), "cpu": model, "mem_mb": mem,
            "kernel": platform.release(), "load": os.getloadavg()}


def versions():
    v = {}

    def out(cmd):
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            return p.stdout.decode("utf-8", "replace").strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    for p in ("sfeed", "newsboat", "python3-feedparser", "nginx-light", "curl", "libcurl4",
              "libxml2", "libsqlite3-0", "nodejs"):
        v[p] = out(["dpkg-query", "-W", "-f=${Version}", p])
    for m in ("@mozilla/readability", "jsdom"):
        try:
            with open(os.path.join(NODE_DIR, "node_modules", m, "package.json")) as f:
                v[m] = json.load(f)["version"]
        except OSError:
            v[m] = "?"
    return v


# ---------------------------------------------------------------------------
# 1. parse

def bench_parse(a, feeds):
    say("== parse: %s" % feeds)
    lst = os.path.join(feeds, "feed_files.txt")
    files = [l for l in open(lst).read().split("\n") if l]
    allxml = os.path.join(feeds, "all.xml")
    if not os.path.exists(allxml):
        with open(allxml + ".tmp", "wb") as o:
            for f in files:
                with open(os.path.join(feeds, f), "rb") as i:
                    o.write(i.read())
        os.rename(allxml + ".tmp", allxml)
    # feedparser is slow: a fixed subset, rates per item.
    fp_files = files[::max(1, len(files) // a.feedparser_feeds)][:a.feedparser_feeds]
    fp_list = os.path.join(a.work, "feedparser-files.txt")
    with open(fp_list, "w") as f:
        f.write("\n".join(os.path.join(feeds, x) for x in fp_files) + "\n")

    ours, ours_json, walk, sfeed, fparser, cli = [], [], [], [], [], []
    ours_w, walk_w, sfeed_w = [], [], []
    items = None
    for rep in range(a.reps):
        r = run_json([a.prog("parse"), lst, feeds], cpu=a.cpu)[0]
        items = r["items"]
        ours.append(r["items"] / r["cpu_seconds"])
        ours_w.append(r["items"] / r["seconds"])
        r = run_json([a.prog("parse"), "--json", lst, feeds], cpu=a.cpu)[0]
        ours_json.append(r["items"] / r["cpu_seconds"])
        r = run_json([a.prog("walk"), lst, feeds], cpu=a.cpu)[0]
        walk.append(r["items"] / r["cpu_seconds"])
        walk_w.append(r["items"] / r["seconds"])
        with open(allxml, "rb") as inp:
            out = os.path.join(a.work, "sfeed.tsv")
            with open(out, "wb") as o:
                w, c, _, _ = run(["sfeed"], stdin=inp, stdout=o, cpu=a.cpu)
        n = sum(1 for _ in open(out, "rb"))
        sfeed.append(n / c)
        sfeed_w.append(n / w)
        if rep < a.peer_reps:
            r = run_json([SYS_PYTHON, os.path.join(TOP, "bench", "feedparser_bench.py"),
                          fp_list], cpu=a.cpu)[0]
            fparser.append(r["items"] / r["cpu_seconds"])
        if rep < a.cli_reps:
            tw = tc = 0.0
            n = 0
            for f in files[:a.cli_files]:
                w, c, _, _ = run([a.prog("dateline"), "parse", os.path.join(feeds, f)])
                tw += w
                tc += c
                n += a.items
            cli.append(n / tc)
    say("  %d items, sfeed read %d" % (items, n))
    sf = med(sfeed)
    wk = med(walk)
    row("parse", "items/s, feed_parse in one process", ours, "sfeed (one stream)", sfeed,
        target="≥ sfeed", met=med(ours) >= sf)
    row("parse", "items/s, feed_parse in one process", ours, "bare xmlReader walk", walk,
        target="≥ ½ walk", met=med(ours) >= wk / 2)
    row("parse", "items/s, feed_parse + JSON output", ours_json, "sfeed (one stream)", sfeed)
    row("parse", "items/s, `dateline parse` one process per file", cli, "sfeed (one stream)",
        sfeed, note="%d files, process start-up included" % a.cli_files)
    row("parse", "items/s, feed_parse in one process", ours,
        "feedparser %s" % versions_cache.get("python3-feedparser", "?"), fparser,
        note="feedparser on %d of the feeds" % len(fp_files))
    row("parse", "items/s wall clock, feed_parse", ours_w, "sfeed, wall clock", sfeed_w)
    NOTES.append("parse: %d feeds, %d items, %.0f MB; sfeed reads the files concatenated "
                 "from one file on stdin; our harness and the walk read the files into "
                 "memory before the clock starts." % (len(files), items,
                                                      os.path.getsize(allxml) / 1e6))


# ---------------------------------------------------------------------------
# 2. ingest end to end

def daemon_config(path, db, urls, data, extra_defaults="", top=""):
    with open(path, "w") as f:
        f.write("database: %s\nlog_level: warning\ndata_dir: %s\n%s" % (db, data, top))
        f.write("defaults:\n  kind: site\n  allow_private: true\n  fetch_articles: false\n"
                "  timezone: Asia/Kolkata\n%s" % extra_defaults)
        f.write("feeds:\n")
        for i, u in enumerate(urls):
            f.write("  - name: f%05d\n    url: %s\n" % (i, u))


def bench_ingest(a, feeds, nginx):
    say("== ingest: datelined --once vs newsboat -x reload")
    files = [l for l in open(os.path.join(feeds, "feed_files.txt")).read().split("\n") if l]
    urls = ["%s/%s" % (nginx.base, f[len("www/"):]) for f in files]
    d = os.path.join(a.work, "ingest")
    os.makedirs(d, exist_ok=True)
    ours, ours_cpu, ours_rss, nb, nb_cpu, nb_rss = [], [], [], [], [], []
    count = nb_count = 0
    # NOTE: the timeouts are large because --once hands every feed to
    # libcurl at once and libcurl counts a transfer's timeout while it
    # waits for a connection slot (see RESULTS.md).
    top = "max_connections: 64\nmax_host_connections: 64\n"
    extra = "  interval: 1h\n  timeout: 1h\n  connect_timeout: 1h\n"
    conf = os.path.join(d, "dateline.yaml")
    daemon_config(conf, "dateline.db", urls, os.path.join(TOP, "data"), extra, top)
    with open(os.path.join(d, "urls"), "w") as f:
        f.write("\n".join(urls) + "\n")
    with open(os.path.join(d, "newsboat.conf"), "w") as f:
        f.write("reload-threads %d\n" % a.newsboat_threads)
    for rep in range(a.reps_slow):
        for x in os.listdir(d):
            if x.startswith("dateline.db") or x.startswith("newsboat.db"):
                os.unlink(os.path.join(d, x))
        w, c, rss, _ = run([a.prog("datelined"), "-c", conf, "--once"], cwd=d)
        db = sqlite3.connect(os.path.join(d, "dateline.db"))
        count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        failed = db.execute("SELECT count(*) FROM feeds WHERE last_status IS NOT 200").fetchone()[0]
        db.close()
        if failed:
            NOTES.append("ingest: %d feeds not polled successfully in repetition %d" % (failed, rep + 1))
        ours.append(count / w)
        ours_cpu.append(count / c)
        ours_rss.append(rss / 1024)
        if rep < a.peer_reps_slow:
            w, c, rss, _ = run(["newsboat", "-u", "urls", "-c", "newsboat.db", "-C",
                                "newsboat.conf", "-x", "reload"], cwd=d,
                               env=dict(os.environ, HOME=d))
            db = sqlite3.connect(os.path.join(d, "newsboat.db"))
            nb_count = db.execute("SELECT count(*) FROM rss_item").fetchone()[0]
            db.close()
            nb.append(nb_count / w)
            nb_cpu.append(nb_count / c)
            nb_rss.append(rss / 1024)
    say("  dateline stored %d articles, newsboat %d items" % (count, nb_count))
    row("ingest", "items/s wall clock, %s feeds over HTTP" % "{:,}".format(len(urls)), ours,
        "newsboat -x reload", nb,
        target="≥ 10× newsboat", met=med(ours) >= 10 * med(nb))
    row("ingest", "items per CPU-second", ours_cpu, "newsboat", nb_cpu)
    row("ingest", "peak RSS (MB)", ours_rss, "newsboat", nb_rss, higher_better=False,
        target="≤ ½ newsboat", met=med(ours_rss) <= med(nb_rss) / 2)
    NOTES.append("ingest: nginx on 127.0.0.1 serves the corpus; datelined: a fresh database, "
                 "max_connections 64, max_host_connections 64, articles not fetched, entities "
                 "of new stories extracted; newsboat %s: reload-threads %d, a fresh cache."
                 % (versions_cache.get("newsboat", "?"), a.newsboat_threads))


# ---------------------------------------------------------------------------
# 3. articles

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return TOKEN.findall(text.lower()) if text else []


def f1(got, want):
    g, w = collections.Counter(tokens(got)), collections.Counter(tokens(want))
    if not g and not w:
        return 1.0
    if not g or not w:
        return 0.0
    common = sum((g & w).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


P_RE = re.compile(r"<p>(.*?)</p>", re.S)
TAG_RE = re.compile(r"<[^>]+>")


def site_gold(path):
    """The generator's body of a site page: the <p> paragraphs it put in
    the story-content div (the credit line included), markup removed."""
    import html as htmlmod
    s = open(path, encoding="utf-8").read()
    i = s.find('<div class="story-content"')
    j = s.find('<div class="tags">', i)
    return "\n\n".join(htmlmod.unescape(TAG_RE.sub("", m)) for m in P_RE.findall(s[i:j]))


def bench_articles(a, site):
    say("== articles: page_extract vs Readability (one core)")
    pages = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(site, "www"))
                   for f in fs if f.endswith(".html"))
    lst = os.path.join(a.work, "pages.txt")
    with open(lst, "w") as f:
        f.write("\n".join(pages) + "\n")
    sub = pages[::max(1, len(pages) // a.readability_pages)][:a.readability_pages]
    sub_lst = os.path.join(a.work, "pages-readability.txt")
    with open(sub_lst, "w") as f:
        f.write("\n".join(sub) + "\n")
    env = dict(os.environ, DATELINE_DATA=os.path.join(TOP, "data"))
    data = os.path.join(TOP, "data")
    ours, cli, rd, ents = [], [], [], []
    out_cli = os.path.join(a.work, "extract.jsonl")
    rd_out = os.path.join(a.work, "readability.jsonl")
    for rep in range(a.reps):
        r = run_json([a.prog("extract"), "--data", data, lst], cpu=a.cpu)[0]
        ours.append(r["pages"] / r["cpu_seconds"])
        r = run_json([a.prog("extract"), "--data", data, "--entities", lst], cpu=a.cpu)[0]
        ents.append(r["found"] / r["entity_cpu_seconds"])
        with open(out_cli, "wb") as o:
            w, c, _, _ = run([a.prog("dateline"), "extract"] + pages, env=env, stdout=o,
                             cpu=a.cpu)
        cli.append(len(pages) / c)
        if rep < a.peer_reps:
            r = run_json(["node", os.path.join(TOP, "bench", "readability.js"),
                          os.path.join(NODE_DIR, "node_modules"), sub_lst, rd_out], cpu=a.cpu)[0]
            rd.append(r["pages"] / r["cpu_seconds"])
    # Body F1 against the generator's paragraphs, on the pages both read.
    got = {}
    with open(out_cli, encoding="utf-8") as f:
        for p, line in zip(pages, f):
            got[p] = json.loads(line).get("body")
    rdb = {}
    with open(rd_out, encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            rdb[j["file"]] = j["body"]
    f_ours = [f1(got.get(p), site_gold(p)) for p in sub]
    f_rd = [f1(rdb.get(p), site_gold(p)) for p in sub]
    f_ours_all = [f1(got.get(p), site_gold(p)) for p in pages]
    # tests/pages: the annotated set.
    tp = os.path.join(TOP, "tests", "pages")
    names = sorted(n[:-5] for n in os.listdir(tp) if n.endswith(".html"))
    tp_lst = os.path.join(a.work, "testpages.txt")
    with open(tp_lst, "w") as f:
        f.write("\n".join(os.path.join(tp, n + ".html") for n in names) + "\n")
    tp_rd = os.path.join(a.work, "readability-testpages.jsonl")
    run_json(["node", os.path.join(TOP, "bench", "readability.js"),
              os.path.join(NODE_DIR, "node_modules"), tp_lst, tp_rd])
    rdt = {}
    with open(tp_rd, encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            rdt[j["file"]] = j["body"]
    tf_ours, tf_rd = [], []
    for n in names:
        want = json.load(open(os.path.join(tp, n + ".json"), encoding="utf-8")).get("body")
        args = []
        if os.path.exists(os.path.join(tp, n + ".args")):
            import shlex
            args = shlex.split(open(os.path.join(tp, n + ".args")).read())
        p = subprocess.run([a.prog("dateline"), "extract"] + args + [os.path.join(tp, n + ".html")],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        body = json.loads(p.stdout.decode()).get("body") if p.returncode == 0 else None
        tf_ours.append(f1(body, want))
        tf_rd.append(f1(rdt.get(os.path.join(tp, n + ".html")), want))
    rdm = med(rd)
    row("articles", "pages/s, page_extract, one core", ours, "Readability + jsdom", rd,
        target="≥ 20× Readability", met=med(ours) >= 20 * rdm)
    row("articles", "pages/s, `dateline extract` (JSON, entities, hash)", cli,
        "Readability + jsdom", rd, target="≥ 20× Readability", met=med(cli) >= 20 * rdm)
    mo, mr = statistics.mean(f_ours), statistics.mean(f_rd)
    row("articles", "body F1, generated site (%d pages)" % len(sub), mo, "Readability", mr,
        target="≥ Readability", met=mo >= mr,
        note="ours on all %d pages: %.3f" % (len(pages), statistics.mean(f_ours_all)))
    mo, mr = statistics.mean(tf_ours), statistics.mean(tf_rd)
    row("articles", "body F1, tests/pages (%d annotated)" % len(names), mo, "Readability", mr,
        target="≥ Readability", met=mo >= mr)
    row("entities", "articles/s, entity extraction (site pages), one core", ents,
        note="see the stories rows for its share of ingest time")
    NOTES.append("articles: %d generated pages (%d outlets); Readability runs on %d of them "
                 "(every %dth), its time measured inside node around the jsdom parse and "
                 "Readability.parse (start-up and file reading not counted); ours: the "
                 "files read into memory first.  Both pinned to CPU %d.  The gold body of a "
                 "generated page is the paragraphs the generator wrote into its "
                 "story-content div." % (len(pages), len({p.split(os.sep)[-3] for p in pages}),
                                         len(sub),
                                         max(1, len(pages) // a.readability_pages), a.cpu))


# ---------------------------------------------------------------------------
# 4. steady state (304)

def make_steady_feeds(work, n):
    d = os.path.join(work, "steady")
    stamp = os.path.join(d, ".stamp")
    if os.path.exists(stamp) and open(stamp).read() == str(n):
        return d
    if os.path.exists(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for i in range(n):
        items = "".join(
            "<item><title>Steady feed %d item %d</title>"
            "<link>http://127.0.0.1/steady/%d/%d.html</link>"
            "<guid isPermaLink=\"false\">steady-%d-%d</guid>"
            "<pubDate>Mon, 24 Nov 2025 0%d:00:00 +0530</pubDate>"
            "<description>The item %d of feed %d, a short teaser of a story that is "
            "not going to change while the benchmark runs.</description></item>"
            % (i, k, i, k, i, k, k, k, i) for k in range(3))
        with open(os.path.join(d, "%05d.xml" % i), "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                    "<title>Steady %d</title><link>http://127.0.0.1/</link>"
                    "<description>steady</description>%s</channel></rss>\n" % (i, items))
    with open(stamp, "w") as f:
        f.write(str(n))
    return d


def proc_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    tck = os.sysconf("SC_CLK_TCK")
    return (int(parts[11]) + int(parts[12])) / tck


def proc_mem(pid):
    rss = hwm = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    return rss, hwm


class Steady:
    """The daemon polling N feeds that answer 304, started in the
    background so that the growth benchmark can run meanwhile."""

    def __init__(self, a, nginx):
        self.a = a
        n = a.steady_feeds
        make_steady_feeds(a.work, n)
        self.d = os.path.join(a.work, "steadyrun")
        if os.path.exists(self.d):
            shutil.rmtree(self.d)
        os.makedirs(self.d)
        urls = ["%s/steady/%05d.xml" % (nginx.base, i) for i in range(n)]
        conf = os.path.join(self.d, "dateline.yaml")
        daemon_config(conf, "dateline.db", urls, os.path.join(TOP, "data"),
                      "  interval: 60s\n  min_interval: 60s\n  max_interval: 60s\n",
                      "max_connections: 64\nmax_host_connections: 64\n")
        self.db = os.path.join(self.d, "dateline.db")
        self.log = open(os.path.join(self.d, "datelined.log"), "wb")
        self.p = subprocess.Popen([a.prog("datelined"), "-c", conf], cwd=self.d,
                                  stdout=self.log, stderr=subprocess.STDOUT)
        self.n = n
        self.url = urls[0]
        self.samples = []
        self.t_start = time.monotonic()
        self.warm = None

    def curl_floor(self, requests=5000, reps=3):
        """The peer: the curl program asking for one feed with its ETag
        over one kept-alive connection, every answer a 304: CPU µs per
        request of libcurl alone, with no scheduling and no store."""
        import urllib.request
        etag = urllib.request.urlopen(self.url, timeout=10).headers["ETag"]
        cfg = os.path.join(self.d, "curl.cfg")
        with open(cfg, "w") as f:
            for _ in range(requests):
                f.write('url = "%s"\noutput = "/dev/null"\n' % self.url)
        us = []
        for _ in range(reps):
            _, cpu, _, _ = run(["curl", "-s", "-K", cfg, "-H", "If-None-Match: %s" % etag])
            us.append(cpu / requests * 1e6)
        return us

    def polls(self):
        try:
            db = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=30)
            r = db.execute("SELECT coalesce(sum(polls), 0), count(*) FILTER (WHERE polls > 0),"
                           " count(*) FILTER (WHERE last_status = 304) FROM feeds").fetchone()
            db.close()
            return r
        except sqlite3.Error:
            return (0, 0, 0)

    def sample(self):
        """Called about every few seconds; returns True when done."""
        if self.p.poll() is not None:
            raise SystemExit("bench: datelined (steady state) exited; see %s" % self.d)
        now = time.monotonic()
        if self.warm is None:
            total, polled, _ = self.polls()
            # Warm-up: every feed polled once (a 200), then one more interval
            # so that the first 304 round is under way.
            if polled >= self.n:
                self.warm = now
                self.next = now + 60
                self.samples.append((now, proc_cpu(self.p.pid), total) + proc_mem(self.p.pid))
            elif now - self.t_start > 600:
                raise SystemExit("bench: steady state: feeds not all polled after 10 min")
            return False
        if now >= self.next:
            total, _, _ = self.polls()
            self.samples.append((now, proc_cpu(self.p.pid), total) + proc_mem(self.p.pid))
            self.next += 60
            say("  steady: minute %d: %d polls, CPU %.2fs, RSS %.1f MB" % (
                len(self.samples) - 1, total - self.samples[-2][2],
                self.samples[-1][1] - self.samples[-2][1], self.samples[-1][3]))
        return len(self.samples) > self.a.steady_minutes

    def finish(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.log.close()
        s = self.samples
        per_poll = []
        for i in range(1, len(s)):
            dp = s[i][2] - s[i - 1][2]
            if dp > 0:
                per_poll.append((s[i][1] - s[i - 1][1]) / dp * 1e6)
        _, _, n304 = self.polls()
        rss = [x[3] for x in s]
        hwm = max(x[4] for x in s)
        total_polls = s[-1][2] - s[0][2]
        floor = self.curl_floor()
        row("steady", "CPU µs per poll (%d feeds, 304, 60 s)" % self.n, per_poll,
            "curl program, 304s on one connection", floor,
            higher_better=False, target="≤ 100 µs", met=med(per_poll) <= 100,
            note="per-minute windows; %d polls in %d min; the peer is libcurl's own "
            "cost per request, the floor for any libcurl poller" % (total_polls, len(s) - 1))
        row("steady", "RSS MB (VmRSS per minute)", rss, higher_better=False,
            target="≤ 64 MB", met=max(rss) <= 64,
            note="peak VmHWM %.1f MB including the warm-up (first polls: 200)" % hwm)
        NOTES.append("steady: %d feeds of 3 items each on nginx (ETag/If-None-Match), "
                     "interval, min_interval and max_interval 60 s; measured after every feed "
                     "had its first poll; CPU is utime+stime of datelined from /proc, polls "
                     "are sum(feeds.polls); %d feeds answered 304 last; run alongside the "
                     "growth benchmark (the daemon needs a few per cent of one core)."
                     % (self.n, n304))


# ---------------------------------------------------------------------------
# 5. growth

def bench_growth(a, steady):
    say("== growth: %s articles" % a.growth_sizes)
    d = os.path.join(a.work, "growth")
    if os.path.exists(d):
        shutil.rmtree(d)
    os.makedirs(d)
    cmd = [a.prog("growth"), "--data", os.path.join(TOP, "data"), "--sizes", a.growth_sizes,
           "--window", str(a.growth_window), "--windows", str(a.growth_windows),
           "--lookups", "300", d]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.set_blocking(p.stdout.fileno(), False)
    buf = b""
    res = []
    while True:
        if steady is not None:
            steady.sample()
        try:
            chunk = p.stdout.read()
        except BlockingIOError:
            chunk = None
        if chunk:
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"{"):
                    r = json.loads(line)
                    res.append(r)
                    say("  growth: %d articles (%d stories) filled in %.0fs; ingest %.0f/s; "
                        "lookup %.0f µs" % (r["articles"], r["stories"], r["fill_seconds"],
                                            r["window"] / med(r["ingest_cpu_seconds"]),
                                            r["lookup_median_seconds"] * 1e6))
        if p.poll() is not None and not chunk:
            break
        time.sleep(2)
    rest = p.stdout.read() or b""
    for line in (buf + rest).split(b"\n"):
        if line.startswith(b"{"):
            res.append(json.loads(line))
    if p.returncode != 0:
        sys.stderr.write(p.stderr.read().decode("utf-8", "replace")[-3000:])
        raise SystemExit("bench: growth exited %d" % p.returncode)
    while steady is not None and not steady.sample():
        time.sleep(5)
    shutil.rmtree(d, ignore_errors=True)
    first = res[0]
    for r in res:
        rates = [r["window"] / c for c in r["ingest_cpu_seconds"]]
        raw = r["window"] / r["raw_cpu_seconds"]
        row("growth", "ingest articles/s at %s articles (%s stories)" % (
            "{:,}".format(r["articles"]), "{:,}".format(r["stories"])), rates,
            "raw SQLite inserts", raw,
            note="our share of the ceiling %.1f %%; wall %.0f/s" % (
                100 * med(rates) / raw, r["window"] / med(r["ingest_seconds"])))
    for r in res:
        row("growth", "near-variant lookup µs at %s articles" % "{:,}".format(r["articles"]),
            r["lookup_median_seconds"] * 1e6, higher_better=False,
            note="p90 %.0f µs; %d of %d found their story; %.1f candidates a lookup; "
            "with mmap_size = 1 GB: %.0f µs" % (
                r["lookup_p90_seconds"] * 1e6, r["lookups_found"], r["lookups"],
                r["lookup_candidates"], r["lookup_median_seconds_mmap"] * 1e6))
    last = res[-1]
    r0 = first["window"] / med(first["ingest_cpu_seconds"])
    r1 = last["window"] / med(last["ingest_cpu_seconds"])
    row("growth", "ingest rate at %s ÷ at %s" % ("{:,}".format(last["articles"]),
                                                  "{:,}".format(first["articles"])),
        r1 / r0, target="> 0.5", met=r1 / r0 > 0.5)
    l0, l1 = first["lookup_median_seconds"], last["lookup_median_seconds"]
    row("growth", "lookup time at %s ÷ at %s" % ("{:,}".format(last["articles"]),
                                                  "{:,}".format(first["articles"])),
        l1 / l0, higher_better=False, target="≤ 2", met=l1 / l0 <= 2)
    NOTES.append("growth: the store is generated (bench/growth.c: prepared INSERTs of what "
                 "the daemon writes: articles with ~1.8 KB bodies, the search index, stories "
                 "with signatures and LSH keys, entities; 20 %% copies); at each size %d windows "
                 "of %d new articles go through syndicate_fingerprint, entities_extract (new "
                 "stories) and store_article_upsert, 50 per transaction; the lookup is "
                 "store.c's LSH candidate query plus the similarity of the candidates for a "
                 "near-variant (one word changed) of a stored story, on a read-only "
                 "connection with the store's 8 MB page cache, timed after as many "
                 "untimed lookups of other stories (the daemon's connection is long-lived); "
                 "the raw ceiling inserts "
                 "the same row shape into a plain table grown to the same size, one prepared "
                 "statement in one transaction." % (a.growth_windows, a.growth_window))


# ---------------------------------------------------------------------------
# 6. stories and entities

def bench_stories(a, corpus):
    say("== stories: pipeline over %s" % corpus)
    d = os.path.join(a.work, "pipeline")
    os.makedirs(d, exist_ok=True)
    # NOTE: the generator's outlet names repeat in a large corpus, so some
    # of its feeds are written to the same file; each file is read once.
    with open(os.path.join(corpus, "feed_files.txt")) as f:
        names = list(dict.fromkeys(line.strip() for line in f if line.strip()))
    lst = os.path.join(a.work, "pipeline-files.txt")
    with open(lst, "w") as f:
        f.write("".join(n + "\n" for n in names))
    db = os.path.join(d, "p.db")
    for x in os.listdir(d):
        os.unlink(os.path.join(d, x))
    r = run_json([a.prog("pipeline"), "--data", os.path.join(TOP, "data"), db, lst, corpus,
                  "http://127.0.0.1:8080"], cpu=a.cpu)[0]
    for x in os.listdir(d):
        os.unlink(os.path.join(d, x))
    if r["failed_feeds"]:
        raise SystemExit("bench: pipeline: %d feed files failed" % r["failed_feeds"])
    row("stories", "stories/s ingesting %s articles (20 %% syndicated)" % "{:,}".format(r["articles"]),
        r["stories"] / r["cpu_seconds"],
        note="%d feed files, %d items, %d stories; %.0f articles/s per CPU-s; wall %.0f "
        "stories/s" % (r["feeds"], r["items"], r["stories"], r["articles"] / r["cpu_seconds"],
                       r["stories"] / r["seconds"]))
    ent_rate = r["entity_calls"] / r["entity_cpu_seconds"]
    share = r["entity_cpu_seconds"] / r["cpu_seconds"]
    row("entities", "articles/s, entity extraction (feed texts), one core", ent_rate,
        note="%d calls (one per new story with full text; teasers get none)"
        % r["entity_calls"])
    row("entities", "share of per-article ingest time", share * 100, higher_better=False,
        unit=" %", target="not the bottleneck", met=share < 0.5,
        note="entity CPU ÷ whole ingest CPU over the same articles")
    NOTES.append("stories: bench/pipeline.c runs ingest_feed_document (parse, normalize, "
                 "fingerprint, entities of new stories, store; one transaction per feed) on "
                 "every feed file of a %d-feed corpus into a fresh database, no network; "
                 "entity time is measured in a second pass repeating only the "
                 "entities_extract calls the ingest made." % r["feeds"])


# ---------------------------------------------------------------------------

def write_results(a, m, v, t0, out):
    lines = []
    lines.append("# dateline benchmarks%s" % (" (quick run)" if a.quick else ""))
    lines.append("")
    lines.append("Written by `make bench%s` on %s (%.0f minutes)." % (
        " BENCH_QUICK=1" if a.quick else "",
        datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        (time.monotonic() - t0) / 60))
    lines.append("")
    lines.append("Machine: %d CPUs (`nproc`), %s, %d MB RAM, Linux %s; load average at the "
                 "start %.1f %.1f %.1f (a shared machine: other work runs alongside)." % (
                     m["nproc"], m["cpu"], m["mem_mb"], m["kernel"], *m["load"]))
    lines.append("")
    rev = subprocess.run(["git", "-C", TOP, "describe", "--always", "--dirty"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip()
    lines.append("Tree: %s, built with `-O2 -g` (no sanitizers)." % (rev or "?"))
    lines.append("")
    lines.append("Peers: " + ", ".join("%s %s" % (k, v[k]) for k in v) + ".")
    lines.append("")
    lines.append("Ours: median of n repetitions [min–max]; peer: median of its "
                 "repetitions in the same run; ratio: ours ÷ peer for rates, peer ÷ ours "
                 "for costs (above 1 is better for us).  Rates are per CPU-second of the "
                 "measured process unless the row says wall clock.")
    lines.append("")
    lines.append("| benchmark | metric | ours | range (n) | peer | peer value (n) | ratio | "
                 "target | met | note |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in ROWS:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["bench"], r["metric"], r["ours"],
            ("%s (%d)" % (r["range"], r["n"])) if r["range"] else "(%d)" % r["n"],
            r["peer"], ("%s (%d)" % (r["peer_value"], r["peer_n"])) if r["peer_value"] else "",
            r["ratio"], r["target"], r["met"], r["note"]))
    lines.append("")
    lines.append("## How each figure was measured")
    lines.append("")
    for n in NOTES:
        lines.append("- " + n)
    lines.append("")
    with open(out, "w") as f:
        f.write("\n".join(lines))
    say("bench: wrote %s" % out)


versions_cache = {}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/rel")
    ap.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")))
    ap.add_argument("--work", default=os.path.join(TOP, "build", "bench"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default="parse,ingest,articles,growth,steady,stories")
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    a.prog = lambda n: os.path.join(a.build, n if n.startswith("datelin") else "bench/" + n)
    os.makedirs(a.work, exist_ok=True)
    a.cpu = os.cpu_count() - 1
    if a.quick:
        a.feeds, a.items = 200, 50
        a.reps, a.peer_reps, a.cli_reps, a.reps_slow, a.peer_reps_slow = 3, 2, 1, 1, 1
        a.feedparser_feeds, a.cli_files, a.readability_pages = 20, 100, 60
        a.site = ["--feeds", "20", "--items", "15", "--feeds-per-outlet", "1"]
        a.steady_feeds, a.steady_minutes = 2000, 2
        a.growth_sizes, a.growth_window, a.growth_windows = "10000,50000,100000", 1000, 2
        a.stories_feeds = 400
    else:
        a.feeds, a.items = 1000, 50
        a.reps, a.peer_reps, a.cli_reps, a.reps_slow, a.peer_reps_slow = 5, 3, 2, 2, 2
        a.feedparser_feeds, a.cli_files, a.readability_pages = 100, 1000, 250
        a.site = ["--feeds", "40", "--items", "25", "--feeds-per-outlet", "1"]
        a.steady_feeds, a.steady_minutes = 10000, 5
        a.growth_sizes, a.growth_window, a.growth_windows = "10000,100000,1000000", 2000, 3
        a.stories_feeds = 4000
    a.newsboat_threads = 8
    out = a.out or (os.path.join(a.work, "RESULTS-quick.md") if a.quick
                    else os.path.join(TOP, "bench", "RESULTS.md"))
    only = set(a.only.split(","))
    t0 = time.monotonic()
    m = machine()
    say("bench: %d CPUs, %s; load %.1f; %s run" % (m["nproc"], m["cpu"], m["load"][0],
                                                   "quick" if a.quick else "full"))
    ensure_peers()
    versions_cache.update(versions())
    base = "http://127.0.0.1:8080"
    feeds = gen_corpus(a.work, "corpus-feeds-%d" % a.feeds,
                       ["--mode", "feeds", "--feeds", str(a.feeds), "--items", str(a.items),
                        "--base-url", base])
    site = gen_corpus(a.work, "corpus-site", ["--mode", "site", "--base-url", base] + a.site)
    big = None
    if "stories" in only:
        big = gen_corpus(a.work, "corpus-feeds-%d" % a.stories_feeds,
                         ["--mode", "feeds", "--feeds", str(a.stories_feeds), "--items", "50",
                          "--base-url", base])
    steady_dir = make_steady_feeds(a.work, a.steady_feeds)
    nginx = Nginx(a.work, os.path.join(feeds, "www"), steady_dir, "off")
    try:
        if "parse" in only:
            bench_parse(a, feeds)
        if "articles" in only:
            bench_articles(a, site)
        if "stories" in only:
            bench_stories(a, big)
        if "ingest" in only:
            bench_ingest(a, feeds, nginx)
        steady = Steady(a, nginx) if "steady" in only else None
        if steady:
            say("== steady: %d feeds, 304, 60 s interval (in the background)" % a.steady_feeds)
        if "growth" in only:
            bench_growth(a, steady)
        if steady:
            while not steady.sample():
                time.sleep(5)
            steady.finish()
    finally:
        nginx.stop()
    write_results(a, m, versions_cache, t0, out)


if __name__ == "__main__":
    main()

"""The syndication corpus: seven outlets' feeds and article pages, served on
127.0.0.1, and the annotated truth (annotations.tsv).

Shared by tests/integration/test_syndication.py and tests/syndication/eval.py.
Files under site/ are served at the same path; "@BASE@" in them becomes the
server's http://127.0.0.1:PORT, so feed items link to the fixture server
while the pages' own canonical and related links name the outlets' hosts.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "site")
ANNOTATIONS = os.path.join(HERE, "annotations.tsv")
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from fixture import Response, feed_yaml  # noqa: E402

# name, feed path, fetch_articles.  The wire carries full text in its feed.
OUTLETS = [
    ("dailyherald", "/dailyherald/rss/latest.xml", True),
    ("metrotimes", "/metrotimes/feeds/topstories.atom", True),
    ("northstar", "/northstar/rss.xml", True),
    ("bizline", "/bizline/feeds/all.atom", True),
    ("capitalpost", "/capitalpost/rss/latest.xml", True),
    ("easternchronicle", "/easternchronicle/feed.xml", True),
    ("ianswire", "/ianswire/atom.xml", False),
]

# Eastern Chronicle declares its charset only in a <meta> element.
PLAIN_HTML = ("easternchronicle",)


def content_type(path):
    if path.endswith(".atom") or path == "/ianswire/atom.xml":
        return "application/atom+xml; charset=utf-8"
    if path.endswith(".xml"):
        return "application/rss+xml; charset=utf-8"
    if path.split("/")[1] in PLAIN_HTML:
        return "text/html"
    return "text/html; charset=utf-8"


def files():
    """Every served path (/outlet/...) and its file, sorted."""
    out = []
    for root, _, names in os.walk(SITE):
        for n in names:
            full = os.path.join(root, n)
            out.append(("/" + os.path.relpath(full, SITE).replace(os.sep, "/"), full))
    return sorted(out)


def read(srv, path):
    """The bytes served at path, with @BASE@ resolved."""
    with open(os.path.join(SITE, path.lstrip("/")), "rb") as f:
        return f.read().replace(b"@BASE@", srv.url("").encode())


def serve(srv):
    """Routes the whole corpus on a FixtureServer."""
    for path, _ in files():
        srv.route(path, Response(read(srv, path), content_type=content_type(path)))


def feeds_yaml(srv, outlets=None):
    """Config lines for the corpus feeds (all of them by default)."""
    out = []
    for name, path, fetch in OUTLETS:
        if outlets is None or name in outlets:
            extra = {"kind": "agency", "agency": "IANS"} if name == "ianswire" else {"kind": "site"}
            out.append(feed_yaml(name, srv.url(path), fetch_articles=fetch, robots=False, **extra))
    return out


EXTRA = "page_delay: 0s\npage_host_connections: 4"


class Item:
    def __init__(self, outlet, path, story, family, note):
        self.outlet, self.path, self.story, self.family, self.note = \
            outlet, path, story, family, note

    def __repr__(self):
        return "%s %s" % (self.outlet, self.path)


def annotations():
    """The annotated items, in file order."""
    items = []
    with open(ANNOTATIONS, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            outlet, path, story, family, note = line.split("\t")
            items.append(Item(outlet, path, story, family, note))
    return items


def db_articles(work, srv):
    """{path: (article id, story id, family id)} from the database."""
    prefix = srv.url("")
    out = {}
    for aid, url, story, family in work.sql(
            "SELECT a.id, a.url, a.story_id, s.family_id FROM articles a"
            " LEFT JOIN stories s ON s.id = a.story_id"):
        if url and url.startswith(prefix):
            out[url[len(prefix):]] = (aid, story, family)
    return out


def pairs(keys):
    """All unordered pairs of the list's indexes where keys agree."""
    same = set()
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            if keys[i] is not None and keys[i] == keys[j]:
                same.add((i, j))
    return same


def scores(truth, got):
    """Pairwise precision and recall of got against truth (sets of pairs)."""
    tp = len(truth & got)
    p = tp / len(got) if got else 1.0
    r = tp / len(truth) if truth else 1.0
    return p, r, tp, len(got), len(truth)

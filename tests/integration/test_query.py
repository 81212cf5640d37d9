#!/usr/bin/env python3
"""The query side: the dateline CLI's listings (table, JSON Lines, CSV)
against golden files, read-only access while the daemon writes, and the
README's sqlite3 recipes, all on a fixture store built by the real daemon.

REGEN=1 rewrites the golden files in tests/query/ (review the diff)."""
import os
import re
import shutil
import sqlite3
import subprocess
import time

from fixture import (DATELINE, TOP, FixtureServer, Response, Workdir, clean_env, feed_yaml,
                     main, rss, run_once)

GOLDEN = os.path.join(TOP, "tests", "query")

NATO = ("NATO Secretary General Jens Stoltenberg stressed the importance of expanding "
        "cooperation between the Western military alliance and partners in the Indo-Pacific "
        "region, amid a visit to North Korea by Russian President Vladimir Putin.</p><p>"
        "\"This also demonstrates that our security is not regional. It's global,\" "
        "Stoltenberg said at a joint press conference with US Secretary of State Antony "
        "Blinken in Washington on Tuesday, adding that Moscow was looking to Pyongyang "
        "for support in its war against Ukraine.")
RBI = ("The Reserve Bank of India on Thursday kept the benchmark repo rate unchanged at "
       "6.5 per cent for the eighth consecutive time, citing sticky food inflation and strong "
       "domestic growth.</p><p>Governor Shaktikanta Das said the Monetary Policy Committee "
       "voted four to two in favour of holding the rate, and that the central bank retained "
       "its growth projection of 7.2 per cent for the current fiscal year in Mumbai.")
RAIN = ("Heavy rain lashed Mumbai for the third day on Wednesday, flooding low-lying areas "
        "and disrupting suburban train services, officials of the Brihanmumbai Municipal "
        "Corporation said.</p><p>The India Meteorological Department has issued an orange "
        "alert for the city and the neighbouring Thane district for the next two days, and "
        "asked fishermen not to venture into the Arabian Sea until Saturday.")


def item(guid, title, body, prefix=""):
    return {"guid": guid, "link": "https://news.example/%s" % guid, "title": title,
            "description": "Teaser.", "content": "<p>%s%s</p>" % (prefix, body)}


def build_store(srv, w):
    """Three outlets: one agency story carried by all three, two own stories,
    a failing feed, and an update that leaves a revision."""
    srv.route("/a.xml", Response(rss([
        item("a1", "NATO chief eyes Indo-Pacific cooperation", NATO,
             "Washington, June 19 (IANS) "),
        item("a2", "RBI keeps repo rate unchanged", RBI, "MUMBAI: ")])))
    srv.route("/b.xml", Response(rss([
        item("b1", "Stoltenberg: security is global", NATO, "WASHINGTON, June 19 (IANS) - "),
        item("b2", "Mumbai rain: trains hit, orange alert", RAIN)])))
    srv.route("/c.xml", Response(rss([
        item("c1", "NATO looks to Asia as Putin visits Pyongyang", NATO + " (IANS)"),
        item("c2", "Rain batters Mumbai", RAIN.replace("third day", "third straight day"))])))
    srv.route("/d.xml", Response(b"", status=503, content_type="text/plain"))
    srv.route("/e.xml", Response(rss([{"guid": "e1", "link": srv.url("/e/rbi"),
                                       "title": "RBI holds rates", "description": "The RBI..."}])))
    srv.route("/e/rbi", Response(("<html><body><article><h1>RBI holds rates</h1>"
                                  "<p class='byline'>By PTI</p><p>%s</p><p>Disclaimer: This "
                                  "post has been auto-published from an agency feed without "
                                  "any modifications to the text.</p></article></body></html>"
                                  % RBI).encode(), content_type="text/html; charset=utf-8"))
    feeds = [feed_yaml("alpha", srv.url("/a.xml"), agency="IANS"),
             feed_yaml("bravo", srv.url("/b.xml"), agency="IANS"),
             feed_yaml("charlie", srv.url("/c.xml"), agency="IANS"),
             feed_yaml("delta", srv.url("/d.xml")),
             feed_yaml("echo", srv.url("/e.xml"), fetch_articles=True, robots=False)]
    for n in range(1, len(feeds) + 1):   # one feed more per run: ids in a fixed order
        w.write_config(feeds[:n], extra="page_delay: 0s")
        run_once(w)
    srv.route("/b.xml", Response(rss([
        item("b1", "Stoltenberg: security is global", NATO, "WASHINGTON, June 19 (IANS) - "),
        item("b2", "Mumbai rain: trains hit, orange alert",
             RAIN.replace("third day", "fourth day"))])))
    w.write_config(feeds, extra="page_delay: 0s")
    run_once(w)


def fix_times(db):
    """Pins every time in a copy of the store, for golden files."""
    con = sqlite3.connect(db)
    con.executescript("""
        UPDATE articles SET first_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ',
            '2024-06-19 01:00:00', '+' || (id * 7) || ' minutes'),
            changed_at = CASE WHEN changed_at IS NULL THEN NULL ELSE '2024-06-19T03:00:00Z' END;
        UPDATE stories SET first_seen_at = (SELECT min(first_seen_at) FROM articles a
            WHERE a.story_id = stories.id);
        UPDATE feeds SET last_polled_at = '2024-06-19T04:00:00Z',
            last_success_at = CASE WHEN last_success_at IS NULL THEN NULL
                ELSE '2024-06-19T04:00:00Z' END,
            last_new_item_at = CASE WHEN last_new_item_at IS NULL THEN NULL
                ELSE '2024-06-19T02:00:00Z' END,
            next_poll_at = '2024-06-19T04:10:00Z', item_gap = NULL;
        UPDATE article_revisions SET revised_at = '2024-06-19T03:00:00Z';
    """)
    con.commit()
    con.close()


def cli(*args):
    env = clean_env()
    env["TZ"] = "UTC"
    p = subprocess.run([DATELINE] + list(args), capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


CASES = [
    ("feeds.txt", ["feeds"]),
    ("feeds.jsonl", ["feeds", "--json"]),
    ("feeds.csv", ["feeds", "--csv", "--utc"]),
    ("stories.txt", ["stories", "--utc"]),
    ("stories.jsonl", ["stories", "--json"]),
    ("stories-min2.csv", ["stories", "--min-copies", "2", "--csv"]),
    ("stories-agency.jsonl", ["stories", "--agency", "ians", "--json"]),
    ("story1.txt", ["story", "1", "--utc"]),
    ("story1.jsonl", ["story", "1", "--json"]),
    ("search.txt", ["search", "stoltenberg"]),
    ("search.jsonl", ["search", "repo AND rate", "--json"]),
    ("search-feed.jsonl", ["search", "nato", "--feed", "bravo", "--json"]),
    ("entities.txt", ["entities", "--top", "8"]),
    ("entities-person.jsonl", ["entities", "--kind", "person", "--json"]),
    ("entities.csv", ["entities", "--kind", "place", "--csv"]),
    ("entity.jsonl", ["entity", "jens stoltenberg", "--json"]),
    ("entity.txt", ["entity", "Mumbai"]),
]


def test_cli_goldens(t):
    srv = FixtureServer()
    w = Workdir()
    build_store(srv, w)
    pinned = os.path.join(w.path, "pinned.db")
    con = sqlite3.connect(w.db)
    con.execute("VACUUM INTO ?", (pinned,))
    con.close()
    fix_times(pinned)
    regen = os.environ.get("REGEN")
    for name, args in CASES:
        rc, out, err = cli(*(args + ["--db", pinned]))
        out = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", out)   # the server's port varies
        path = os.path.join(GOLDEN, name)
        if regen:
            with open(path, "w") as f:
                f.write(out)
        want = open(path).read() if os.path.exists(path) else None
        t.ok(rc == 0 and err == "" and out == want, "dateline %s" % " ".join(args),
             "rc=%d err=%s\n--- got\n%s--- want\n%s" % (rc, err, out, want))
    # errors: one clear line, non-zero exit
    for args, text in ((["story", "999"], "no story 999"),
                       (["entity", "Nobody Anywhere"], "no stories name"),
                       (["search", "AND OR"], "bad search query"),
                       (["stories", "--since", "yesterday"], "bad duration"),
                       (["entities", "--kind", "animal"], "person, org or place")):
        rc, out, err = cli(*(args + ["--db", pinned]))
        t.ok(rc != 0 and text in err and err.count("\n") == 1,
             "dateline %s: one clear error line" % " ".join(args), err)
    srv.close()
    w.cleanup()


def test_readonly_while_writing(t):
    srv = FixtureServer()
    w = Workdir()
    build_store(srv, w)
    writer = sqlite3.connect(w.db, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE feeds SET polls = polls + 1")
    start = time.time()
    rc, out, err = cli("feeds", "--db", w.db, "--json")
    took = time.time() - start
    t.ok(rc == 0 and out.count("\n") == 5, "dateline reads while a writer holds a transaction",
         err)
    t.ok(took < 5, "without waiting for the writer (%.2fs)" % took)
    rc, out, err = cli("backup", "--db", w.db, os.path.join(w.path, "b.db"))
    t.is_eq((rc, err), (0, ""), "backup while a writer holds a transaction")
    writer.rollback()
    writer.close()
    before = os.stat(w.db).st_mtime_ns
    cli("stories", "--db", w.db)
    t.is_eq(os.stat(w.db).st_mtime_ns, before, "listing commands never write the database")
    srv.close()
    w.cleanup()


def readme_recipes():
    text = open(os.path.join(TOP, "README.md")).read()
    sec = text[text.index("### Ten recipes for sqlite3"):]
    block = sec[sec.index("```sh") + 5:]
    block = block[:block.index("```")]
    recipes = []
    for m in re.finditer(r'^# (\d+)\. ([^\n]*)\n(sqlite3 dateline\.db "(?:[^"\\]|\\.)*")', block,
                         re.M | re.S):
        recipes.append((m.group(1), m.group(2), m.group(3)))
    return recipes


def test_readme_recipes(t):
    srv = FixtureServer()
    w = Workdir()
    build_store(srv, w)
    recipes = readme_recipes()
    t.is_eq(len(recipes), 10, "the README has ten sqlite3 recipes")
    for num, what, cmd in recipes:
        sql = cmd[len('sqlite3 dateline.db "'):-1]
        p = subprocess.run(["sqlite3", "-bail", w.db, sql], capture_output=True, text=True)
        t.ok(p.returncode == 0 and p.stderr == "" and p.stdout.strip() != "",
             "README recipe %s (%s) runs and finds something" % (num, what),
             "rc=%d\n%s%s" % (p.returncode, p.stderr, p.stdout))
    srv.close()
    w.cleanup()


def test_migration_builds_search_index(t):
    """A store of schema version 1 (as first released: before full-text
    search, story entities and shingle counts) is migrated when datelined
    opens it: its existing articles become searchable, its stories get the
    entities their copies had, and new stories can be stored."""
    w = Workdir()
    con = sqlite3.connect(w.db)
    con.executescript(open(os.path.join(TOP, "sql", "schema.sql")).read())
    con.execute("INSERT INTO feeds (name, url, kind, created_at) VALUES "
                "('old', 'https://old.example/feed', 'agency', '2024-01-01T00:00:00Z')")
    con.execute("INSERT INTO stories (content_hash, first_seen_at) VALUES "
                "('%s', '2024-01-01T00:00:00Z')" % ("ab" * 32))
    con.execute("INSERT INTO articles (feed_id, story_id, url, title, body, first_seen_at) "
                "VALUES (1, 1, 'https://old.example/1', 'An old article', 'Stored before "
                "search existed, in São Paulo.', '2024-01-01T00:00:00Z')")
    con.execute("INSERT INTO entities (name, kind) VALUES ('São Paulo', 'place')")
    con.execute("INSERT INTO article_entities (article_id, entity_id, mentions) VALUES (1, 1, 2)")
    con.commit()
    con.close()
    t.is_eq(w.sql("PRAGMA user_version"), [(1,)], "a version 1 store")
    w.write_config([])
    rc, err = run_once(w)
    t.ok(rc == 0 and "migrating schema to version 2" in err, "datelined migrates it", err)
    t.ok(w.sql("PRAGMA user_version")[0][0] >= 2, "to the current version")
    t.is_eq(w.sql("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'sao AND paulo'"),
            [(1,)], "old articles are searchable, diacritics folded")
    t.ok(w.fts_ok(), "the rebuilt index is consistent")
    t.is_eq(w.sql("SELECT story_id, entity_id, mentions FROM story_entities"), [(1, 1, 2)],
            "the old story has the entities its copy had")
    t.is_eq(w.sql("SELECT shingles FROM stories"), [(None,)],
            "an old story's shingle count is unknown")
    srv = FixtureServer()
    srv.route("/f.xml", Response(rss([item("n1", "NATO chief eyes Indo-Pacific", NATO)])))
    w.write_config([feed_yaml("new", srv.url("/f.xml"))])
    rc, err = run_once(w)
    t.ok(rc == 0 and w.sql("SELECT count(*) FROM stories WHERE shingles > 0")[0][0] == 1,
         "a new story is stored in the migrated store, with its shingle count", err)
    t.ok(w.sql("SELECT count(*) FROM story_entities se JOIN entities e ON e.id = se.entity_id"
               " WHERE e.name = 'Jens Stoltenberg'")[0][0] == 1, "and its entities")
    srv.close()
    t.is_eq(w.sql("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name"),
            [("entity_mentions",), ("epaper_articles",), ("feed_health",),
             ("latest_articles",), ("story_copies",)],
            "the views are there")
    w.cleanup()


if __name__ == "__main__":
    main([test_cli_goldens, test_readonly_while_writing, test_readme_recipes,
          test_migration_builds_search_index])

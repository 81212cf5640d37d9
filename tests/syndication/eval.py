#!/usr/bin/env python3
"""Scores story and family assignment on the syndication corpus.

usage: eval.py [-v] [BUILDDIR]

Serves tests/syndication/site on 127.0.0.1, runs BUILDDIR/datelined --once
on a fresh database, and compares the stories and families it stored with
annotations.tsv over every pair of annotated articles:

  same story    pairs with one story_id, against pairs annotated with one story
  same family   pairs with one stories.family_id, against one annotated family
  variants      the same-family pairs whose annotated stories differ (the
                near-variants alone: recall, and how many were merged as
                exact copies, which would be wrong), then each variant story

and prints pairwise precision and recall of each.  -v lists the pairs that
were missed or wrongly made.  Targets: same story precision 1.00 and recall
>= 0.98; same family precision >= 0.98 and recall >= 0.90.  Exits 0 either
way (it measures; the tests enforce).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
args = [a for a in sys.argv[1:] if a != "-v"]
verbose = "-v" in sys.argv[1:]
if args:
    os.environ["DATELINE_BUILD"] = os.path.abspath(args[0])
os.environ.setdefault("DATELINE_DATA", os.path.join(HERE, "..", "..", "data"))
sys.path.insert(0, HERE)

import corpus  # noqa: E402
from fixture import FixtureServer, Workdir, run_once  # noqa: E402


def main():
    srv = FixtureServer()
    work = Workdir()
    try:
        corpus.serve(srv)
        work.write_config(corpus.feeds_yaml(srv), extra=corpus.EXTRA)
        rc, err = run_once(work, timeout=300)
        if rc != 0:
            print("datelined --once exited %d\n%s" % (rc, err), file=sys.stderr)
            return 1
        items = corpus.annotations()
        got = corpus.db_articles(work, srv)
        missing = [it for it in items if it.path not in got]
        row = [got.get(it.path, (None, None, None)) for it in items]
        t_story = corpus.pairs([it.story for it in items])
        t_family = corpus.pairs([it.family for it in items])
        g_story = corpus.pairs([r[1] for r in row])
        g_family = corpus.pairs([r[2] for r in row])
        t_variant = t_family - t_story
        outlets = len({it.outlet for it in items})
        stories = len({it.story for it in items})
        families = len({it.family for it in items})
        print("syndication corpus: %d outlets, %d articles, %d stories, %d families, "
              "%d article pairs" % (outlets, len(items), stories, families,
                                    len(items) * (len(items) - 1) // 2))
        if missing:
            print("  not stored: %d (%s)" % (len(missing), ", ".join(map(repr, missing))))
        for name, truth, pred in (("same story", t_story, g_story),
                                  ("same family", t_family, g_family)):
            p, r, tp, ng, nt = corpus.scores(truth, pred)
            print("  %-12s precision %.3f (%d/%d)  recall %.3f (%d/%d)" %
                  (name, p, tp, ng, r, tp, nt))
        vr = len(t_variant & g_family) / len(t_variant) if t_variant else 1.0
        merged = len(t_variant & g_story)
        print("  %-12s recall %.3f (%d/%d); merged as exact copies: %d" %
              ("variants", vr, len(t_variant & g_family), len(t_variant), merged))
        print("  variant stories (joined: in one family with every copy of the original):")
        for story in sorted({it.story for it in items if it.story != it.family}):
            idx = [i for i, it in enumerate(items) if it.story == story]
            want = {tuple(sorted((i, j))) for i in idx for j in range(len(items))
                    if items[j].story == items[i].family}
            found = len(want & g_family)
            print("    %-14s %-8s %2d/%-2d  %s" % (story, "joined" if found == len(want) else "apart",
                                                  found, len(want), items[idx[0]].note))
        if verbose:
            def show(title, ps):
                for i, j in sorted(ps):
                    a, b = items[i], items[j]
                    print("    %s: %s/%s (%s) ~ %s/%s (%s)" % (
                        title, a.outlet, a.story, row[i][1], b.outlet, b.story, row[j][1]))
            show("story missed", t_story - g_story)
            show("story wrong", g_story - t_story)
            show("family missed", t_family - g_family)
            show("family wrong", g_family - t_family)
        return 0
    finally:
        srv.close()
        work.cleanup()


if __name__ == "__main__":
    sys.exit(main())

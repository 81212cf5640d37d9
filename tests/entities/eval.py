#!/usr/bin/env python3
"""eval.py: scores dateline's entity extractor, and the npm library
compromise side by side, on the hand-annotated development set.

    python3 tests/entities/eval.py [--build DIR] [--verbose] [--strict]

The set: every NAME.txt here (first line the title, a blank line, the
body) with NAME.ann, the truth, one "kind<TAB>canonical name" per line
(kind person, org or place), annotated by reading the article; the
conventions are in README.

dateline: `BUILD/dateline entities-of NAME.txt`.

compromise: its people(), places() and organizations() on the same text
(title, blank line, body), run with node from build/node (installed there
with `npm install compromise` when missing and npm is available).  To
score it fairly with the same canonical names, each name it returns is
cleaned (possessive "'s", surrounding quotes and punctuation, a leading
"the" dropped) and mapped through the SAME alias table dateline loads
(data/entities/*.txt: "U.S." -> "United States", "Kremlin" -> "Kremlin");
a name listed for several entities is given the benefit of the doubt (the
one in the truth, if any).  Its names are also tidied the way dateline's
patterns tidy theirs, with the same lexicon (data/entities/lexicon.txt):
lists are split at commas, slashes and parentheses ("Iran, North Korea",
"(IANS) The Reserve Bank"), leading title cues and
demonyms are dropped ("President Vladimir Putin", "Russian news agency
Interfax"), and so are lower-case words at either end ("Indo-Pacific
region").  Its people get the same within-article
resolution dateline does: a one-word name that is the first or last word
of a longer person name it found in the same article is that person.  The
kind is compromise's own.

Scoring: per article, the set of (kind, canonical name) pairs, compared
with the truth; micro precision, recall and F1 per kind and overall over
all articles.  Mention counts are not scored.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
KINDS = ("person", "org", "place")

# Targets of issue 5.
TARGET_F1 = 0.85
TARGET_KIND_F1 = 0.75


def load_articles():
    arts = []
    for txt in sorted(glob.glob(os.path.join(HERE, "*.txt"))):
        name = os.path.basename(txt)[:-4]
        ann = txt[:-4] + ".ann"
        if not os.path.exists(ann):
            continue
        gold = set()
        with open(ann, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                kind, _, canon = line.partition("\t")
                if kind not in KINDS or not canon:
                    sys.exit("%s:%d: want kind<TAB>name" % (ann, n))
                gold.add((kind, canon))
        with open(txt, encoding="utf-8") as f:
            text = f.read()
        arts.append({"name": name, "path": txt, "text": text, "gold": gold})
    return arts


def load_aliases():
    """name -> [canonical, ...] from the gazetteers dateline loads."""
    aliases = {}
    folder = os.path.join(TOP, "data", "entities")
    for path in sorted(glob.glob(os.path.join(folder, "*.txt"))):
        if os.path.basename(path) == "lexicon.txt":
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or line.startswith("%"):
                    continue
                names = [n.strip().lstrip("!").strip() for n in line.split("|")]
                canon = names[0]
                for n in names:
                    lst = aliases.setdefault(n, [])
                    if canon not in lst:
                        lst.append(canon)
    folded = {}
    for n, lst in aliases.items():
        folded.setdefault(n.lower(), lst)
    return aliases, folded


def load_lexicon():
    """Lower-cased cue phrases and demonyms of lexicon.txt."""
    drop = set()
    section = None
    with open(os.path.join(TOP, "data", "entities", "lexicon.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("%"):
                section = line[1:]
                continue
            if section in ("cue", "demonym"):
                for w in line.split("|"):
                    drop.add(w.strip().lower())
    return drop


def tidy(name, drop):
    """Drops leading cues and demonyms and lower-case words at the ends."""
    words = name.split()
    changed = True
    while changed and words:
        changed = False
        for k in (4, 3, 2, 1):
            if len(words) > k and " ".join(words[:k]).lower().rstrip(".") in drop:
                words = words[k:]
                changed = True
                break
        if words and words[0][:1].islower() and len(words) > 1:
            words = words[1:]
            changed = True
    while len(words) > 1 and words[-1][:1].islower():
        words = words[:-1]
    return " ".join(words)


def clean(name):
    name = name.replace("\u2019", "'").replace("\u2018", "'")
    name = re.sub(r"\s+", " ", name).strip()
    name = name.strip(" \"'.,;:!?()[]")
    name = re.sub(r"'s$", "", name)
    name = re.sub(r"'$", "", name)
    name = re.sub(r"^(the|The) ", "", name)
    return name.strip(" \"'.,;:!?()[]")


def canonical(name, kind, gold, aliases, folded):
    lst = aliases.get(name) or folded.get(name.lower())
    if not lst:
        return name
    for c in lst:
        if (kind, c) in gold:
            return c
    return lst[0]


def resolve_people(pairs):
    """One-word people that are the first or last word of a longer one."""
    full = [n for k, n in pairs if k == "person" and " " in n]
    out = set()
    for k, n in pairs:
        if k == "person" and " " not in n:
            longer = [f for f in full if f.split()[-1] == n or f.split()[0] == n]
            if longer:
                n = longer[0]
        out.add((k, n))
    return out


def run_dateline(build, arts):
    prog = os.path.join(build, "dateline")
    if not os.access(prog, os.X_OK):
        sys.exit("eval: %s not found: run make first" % prog)
    for a in arts:
        p = subprocess.run([prog, "entities-of", "--data", os.path.join(TOP, "data"),
                            a["path"]], capture_output=True,
                           text=True, cwd=TOP)
        if p.returncode != 0:
            sys.exit("eval: dateline entities-of %s failed: %s" % (a["path"], p.stderr.strip()))
        a["dateline"] = set()
        for line in p.stdout.splitlines():
            e = json.loads(line)
            a["dateline"].add((e["kind"], e["name"]))


NODE_SCRIPT = r"""
const nlp = require('compromise');
let input = '';
process.stdin.on('data', d => input += d);
process.stdin.on('end', () => {
  const texts = JSON.parse(input);
  const out = texts.map(t => {
    const doc = nlp(t);
    return {
      person: doc.people().out('array'),
      place: doc.places().out('array'),
      org: doc.organizations().out('array'),
    };
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def compromise_dir():
    return os.path.join(TOP, "build", "node")


def ensure_compromise():
    """Returns None when usable, else the reason it is not."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    mod = os.path.join(compromise_dir(), "node_modules", "compromise")
    if os.path.isdir(mod):
        return None
    if shutil.which("npm") is None:
        return "npm is not installed, and compromise is not in build/node"
    os.makedirs(compromise_dir(), exist_ok=True)
    p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix",
                        compromise_dir(), "compromise@14"], capture_output=True, text=True)
    if p.returncode != 0 or not os.path.isdir(mod):
        return "npm install compromise failed: " + (p.stderr.strip().splitlines() or ["?"])[-1]
    return None


def run_compromise(arts, aliases, folded):
    why = ensure_compromise()
    if why:
        return why
    texts = []
    for a in arts:
        title, _, body = a["text"].partition("\n")
        texts.append(title + "\n\n" + body.lstrip("\n"))
    script = os.path.join(compromise_dir(), "entities.js")
    with open(script, "w", encoding="utf-8") as f:
        f.write(NODE_SCRIPT)
    p = subprocess.run(["node", script], input=json.dumps(texts), capture_output=True,
                       text=True, cwd=compromise_dir())
    if p.returncode != 0:
        return "node failed: " + p.stderr.strip()[-300:]
    version = "?"
    try:
        with open(os.path.join(compromise_dir(), "node_modules", "compromise",
                               "package.json"), encoding="utf-8") as f:
            version = json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        pass
    drop = load_lexicon()
    for a, res in zip(arts, json.loads(p.stdout)):
        pairs = set()
        for kind in KINDS:
            for raw in res[kind]:
                for part in re.split(r"[,()/]", raw):
                    n = tidy(clean(part), drop)
                    n = clean(n)
                    if not n:
                        continue
                    pairs.add((kind, canonical(n, kind, a["gold"], aliases, folded)))
        a["compromise"] = resolve_people(pairs)
    return "version " + version


def score(arts, key):
    tp = {k: 0 for k in KINDS}
    fp = dict(tp)
    fn = dict(tp)
    for a in arts:
        got, gold = a[key], a["gold"]
        for k, n in got:
            if (k, n) in gold:
                tp[k] += 1
            else:
                fp[k] += 1
        for k, n in gold:
            if (k, n) not in got:
                fn[k] += 1
    rows = {}
    for k in KINDS + ("overall",):
        t = sum(tp.values()) if k == "overall" else tp[k]
        p_ = sum(fp.values()) if k == "overall" else fp[k]
        n_ = sum(fn.values()) if k == "overall" else fn[k]
        prec = t / (t + p_) if t + p_ else 0.0
        rec = t / (t + n_) if t + n_ else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows[k] = (prec, rec, f1, t, p_, n_)
    return rows


def print_table(title, rows):
    print(title)
    print("  %-8s %9s %7s %7s %6s %6s %6s" % ("kind", "precision", "recall", "F1", "tp", "fp", "fn"))
    for k in KINDS + ("overall",):
        prec, rec, f1, t, p_, n_ = rows[k]
        print("  %-8s %9.3f %7.3f %7.3f %6d %6d %6d" % (k, prec, rec, f1, t, p_, n_))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list each article's misses and false entities")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 unless dateline meets the targets and beats compromise")
    ap.add_argument("--no-compromise", action="store_true")
    args = ap.parse_args()

    arts = load_articles()
    if not arts:
        sys.exit("eval: no articles in " + HERE)
    aliases, folded = load_aliases()
    run_dateline(args.build, arts)
    gold_n = sum(len(a["gold"]) for a in arts)
    print("entity evaluation: %d articles, %d annotated entities" % (len(arts), gold_n))
    print("note: this is the development set: dateline's rules and gazetteers were")
    print("written while looking at its errors here, so expect lower scores on unseen")
    print("text; compromise never saw it.")
    print()
    d = score(arts, "dateline")
    print_table("dateline (entities-of)", d)
    status = "skipped"
    c = None
    if not args.no_compromise:
        status = run_compromise(arts, aliases, folded)
        if all("compromise" in a for a in arts):
            c = score(arts, "compromise")
    print()
    if c is not None:
        print_table("compromise %s (people/places/organizations, same alias table)"
                    % status.replace("version ", ""), c)
    else:
        print("compromise: NOT RUN: %s" % status)
    if args.verbose:
        for a in arts:
            print()
            print("== %s" % a["name"])
            for key in ("dateline", "compromise"):
                if key not in a:
                    continue
                miss = sorted(a["gold"] - a[key])
                extra = sorted(a[key] - a["gold"])
                print("  %s missed: %s" % (key, "; ".join("%s %s" % x for x in miss) or "-"))
                print("  %s false:  %s" % (key, "; ".join("%s %s" % x for x in extra) or "-"))
    ok = d["overall"][2] >= TARGET_F1 and all(d[k][2] >= TARGET_KIND_F1 for k in KINDS)
    beats = c is None or d["overall"][2] > c["overall"][2]
    print()
    print("targets: overall F1 >= %.2f, every kind >= %.2f: %s" %
          (TARGET_F1, TARGET_KIND_F1, "met" if ok else "NOT met"))
    if c is not None:
        print("dateline vs compromise, overall F1: %.3f vs %.3f: %s" %
              (d["overall"][2], c["overall"][2], "dateline higher" if beats else "dateline NOT higher"))
    if args.strict and not (ok and beats and c is not None):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

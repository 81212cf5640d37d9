#!/usr/bin/env python3
"""make install / make uninstall: the tree they write and remove, the
configuration they never overwrite, and an installed datelined that finds
its installed data files.  The systemd unit is checked with systemd-analyze
(verify, and the offline security score) when the tool exists.

Two installs:

- the build under test (DATELINE_BUILD) into a DESTDIR with PREFIX=/usr,
  exactly as a package would lay it out, without rebuilding anything
  (make -o all: those objects carry flags this make call does not know);
- a fresh build with PREFIX inside a temporary folder, so the paths
  compiled into the programs are the installed ones, run from there.
"""
import filecmp
import os
import re
import shutil
import stat
import subprocess
import tempfile

from fixture import (BUILD, TOP, FixtureServer, Response, Workdir, clean_env, feed_yaml,
                     main, rss)

SERVICE_DB = "/var/lib/dateline/dateline.db"
MAX_EXPOSURE = 2.0


def make_env():
    """The environment for make: nothing inherited that would change
    where or how it builds (make check's own MAKEFLAGS included)."""
    env = clean_env()
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "O", "SANITIZE",
              "PREFIX", "DESTDIR", "BINDIR", "SBINDIR", "MANDIR", "DATADIR", "SYSCONFDIR",
              "SYSTEMDUNITDIR", "SYSUSERSDIR", "DATELINE_DATA"):
        env.pop(k, None)
    return env


def make(*args, timeout=120):
    p = subprocess.run(["make", "--no-print-directory", "-C", TOP] + list(args),
                       capture_output=True, text=True, timeout=timeout, env=make_env())
    return p.returncode, p.stdout + p.stderr


def files_under(root):
    """Every non-directory below root, as paths relative to it."""
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), root))
    return out


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def skip(t, name, reason):
    t.n += 1
    print("ok %d - %s # SKIP %s" % (t.n, name, reason), flush=True)


def source_files(folder):
    """Files below TOP/folder, relative to it."""
    return files_under(os.path.join(TOP, folder))


def man_pages():
    return sorted(n for n in os.listdir(os.path.join(TOP, "man"))
                  if re.search(r"\.[1-8]$", n))


def sql_files():
    out = ["sql/schema.sql", "sql/views.sql"]
    mig = os.path.join(TOP, "sql", "migrations")
    if os.path.isdir(mig):
        out += sorted("sql/migrations/" + n for n in os.listdir(mig) if n.endswith(".sql"))
    return out


def expected_tree(prefix, sysconfdir):
    """{installed path: mode} of what install must write."""
    want = {
        prefix + "/sbin/datelined": 0o755,
        prefix + "/bin/dateline": 0o755,
        prefix + "/lib/systemd/system/datelined.service": 0o644,
        prefix + "/lib/sysusers.d/dateline.conf": 0o644,
        sysconfdir + "/dateline/dateline.yaml": 0o644,
        sysconfdir + "/dateline/dateline.yaml.example": 0o644,
    }
    for page in man_pages():
        want["%s/share/man/man%s/%s" % (prefix, page[-1], page)] = 0o644
    for f in sql_files():
        want[prefix + "/share/dateline/" + f] = 0o644
    for f in source_files("data"):
        want[prefix + "/share/dateline/" + f] = 0o644
    return want


def service_config():
    """etc/dateline.yaml with the database in the service's state folder."""
    with open(os.path.join(TOP, "etc", "dateline.yaml")) as f:
        return re.sub(r"(?m)^database:.*$", "database: " + SERVICE_DB, f.read())


def read(path):
    with open(path) as f:
        return f.read()


def check_tree(t, label, root, destdir, prefix, sysconfdir, build):
    """Checks what install put below root: the files of PREFIX and
    SYSCONFDIR, found at DESTDIR + path."""
    want = {os.path.relpath(destdir + f, root): m
            for f, m in expected_tree(prefix, sysconfdir).items()}
    got = files_under(root)
    t.ok(set(want) <= got, label + "every file is installed",
         "missing: %s" % sorted(set(want) - got))
    t.ok(got <= set(want), label + "nothing else is installed",
         "extra: %s" % sorted(got - set(want)))
    wrong = ["%s: %o, want %o" % (f, mode(os.path.join(root, f)), m)
             for f, m in sorted(want.items())
             if f in got and mode(os.path.join(root, f)) != m]
    t.ok(not wrong, label + "modes: programs 0755, everything else 0644", "\n".join(wrong))
    p = destdir + prefix
    same = (filecmp.cmp(os.path.join(build, "datelined"), p + "/sbin/datelined", shallow=False)
            and filecmp.cmp(os.path.join(build, "dateline"), p + "/bin/dateline", shallow=False))
    t.ok(same, label + "the installed programs are the built ones")
    data = [f for f in source_files("data") if not filecmp.cmp(
        os.path.join(TOP, "data", f), os.path.join(p, "share/dateline", f), shallow=False)]
    t.ok(not data, label + "data files installed unchanged", "differ: %s" % data)
    conf = destdir + sysconfdir + "/dateline"
    t.is_eq(read(conf + "/dateline.yaml.example"), service_config(),
            label + "example config: etc/dateline.yaml with database: " + SERVICE_DB)
    t.ok(filecmp.cmp(conf + "/dateline.yaml", conf + "/dateline.yaml.example", shallow=False),
         label + "first install: dateline.yaml is the example")
    unit = read(p + "/lib/systemd/system/datelined.service")
    t.ok("ExecStart=%s/sbin/datelined -c %s/dateline/dateline.yaml\n" % (prefix, sysconfdir)
         in unit and not re.search(r"@[A-Z_]+@", unit),
         label + "unit: install paths filled in", unit)
    need = ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
            "User=dateline", "Group=dateline", "StateDirectory=dateline",
            "StateDirectoryMode=0750", "UMask=0027", "ConfigurationDirectory=dateline"]
    missing = [x for x in need if not re.search(r"(?m)^%s$" % re.escape(x), unit)]
    t.ok(not missing, label + "unit: notify, reload, restart, user, state and config dirs",
         "missing: %s" % missing)
    t.ok(re.search(r"(?m)^WatchdogSec=\S+$", unit), label + "unit: WatchdogSec")
    t.ok(re.search(r"(?m)^u dateline\s", read(p + "/lib/sysusers.d/dateline.conf")),
         label + "sysusers.d: user dateline")
    stale = [page for page in man_pages() if prefix != "/usr/local" and re.search(
        r"/usr/local/(etc|share/dateline)\b",
        read("%s/share/man/man%s/%s" % (p, page[-1], page)))]
    t.ok(not stale, label + "installed man pages name the installed paths", stale)


def security_score(t, unit):
    if shutil.which("systemd-analyze") is None:
        skip(t, "systemd-analyze security", "systemd-analyze not installed")
        return
    p = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--no-pager", unit],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for datelined\.service: (\d+\.\d+)", p.stdout)
    score = float(m.group(1)) if m else None
    t.ok(score is not None and score <= MAX_EXPOSURE,
         "systemd-analyze security --offline=yes: exposure %s <= %.1f" % (score, MAX_EXPOSURE),
         p.stdout + p.stderr)


def verify_unit(t, unit, mandir):
    """systemd-analyze verify checks the programs the unit runs exist, so
    this is the unit of the install whose paths are real on this machine."""
    if shutil.which("systemd-analyze") is None:
        skip(t, "systemd-analyze verify", "systemd-analyze not installed")
        return
    env = clean_env()
    args = ["systemd-analyze", "verify"]
    if shutil.which("man"):
        env["MANPATH"] = mandir  # Documentation= pages are looked up there
    else:
        args.append("--man=no")
    p = subprocess.run(args + [unit], capture_output=True, text=True, timeout=60, env=env)
    t.is_eq((p.returncode, p.stdout + p.stderr), (0, ""), "systemd-analyze verify")


def test_destdir(t):
    """The build under test, packaged: DESTDIR with PREFIX=/usr."""
    tmp = tempfile.mkdtemp(prefix="dateline-install-")
    try:
        dest = os.path.join(tmp, "dest")
        args = ["-o", "all", "install", "O=" + BUILD, "DESTDIR=" + dest, "PREFIX=/usr"]
        rc, out = make(*args)
        if not t.is_eq(rc, 0, "make install DESTDIR=... PREFIX=/usr"):
            print("#   " + out.replace("\n", "\n#   "))
            return
        check_tree(t, "DESTDIR: ", dest, dest, "/usr", "/etc", BUILD)
        security_score(t, os.path.join(dest, "usr/lib/systemd/system/datelined.service"))

        conf = os.path.join(dest, "etc/dateline/dateline.yaml")
        changed = read(conf).replace("max_connections: 16", "max_connections: 8")
        changed += "# changed by the admin\n"
        with open(conf, "w") as f:
            f.write(changed)
        rc, out = make(*args)
        t.ok(rc == 0 and read(conf) == changed, "a second install keeps a changed config", out)
        t.ok("kept" in out, "a second install says it kept the config", out)
        t.is_eq(read(conf + ".example"), service_config(),
                "a second install refreshes dateline.yaml.example")

        rc, out = make("uninstall", "DESTDIR=" + dest, "PREFIX=/usr")
        t.is_eq(rc, 0, "make uninstall")
        t.is_eq(sorted(files_under(dest)), ["etc/dateline/dateline.yaml"],
                "uninstall removes everything but the changed config")
        t.is_eq(read(conf), changed, "the changed config is untouched")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_prefix(t):
    """A build for PREFIX=<tmp>/usr, installed there and run from there:
    no data_dir, no DATELINE_DATA, so the programs find their data only
    through the compiled-in DATADIR."""
    tmp = tempfile.mkdtemp(prefix="dateline-prefix-")
    srv = FixtureServer()
    work = Workdir()
    try:
        root = os.path.join(tmp, "root")
        prefix = os.path.join(root, "usr")
        build = os.path.join(tmp, "build")
        args = ["O=" + build, "PREFIX=" + prefix]
        rc, out = make(*(args + ["install"]), timeout=900)
        if not t.is_eq(rc, 0, "make PREFIX=<tmp>/usr install (builds first)"):
            print("#   " + out.replace("\n", "\n#   "))
            return
        t.ok("warning" not in out, "no warning when built and installed with one PREFIX", out)
        check_tree(t, "PREFIX: ", root, "", prefix, prefix + "/etc", build)
        verify_unit(t, os.path.join(prefix, "lib/systemd/system/datelined.service"),
                    os.path.join(prefix, "share/man"))

        env = make_env()
        datelined = os.path.join(prefix, "sbin/datelined")
        dateline = os.path.join(prefix, "bin/dateline")
        p = subprocess.run([dateline, "check-config"], capture_output=True, text=True,
                           timeout=60, env=env)
        t.is_eq((p.returncode, p.stderr), (0, ""),
                "installed dateline reads the installed config by default")

        srv.route("/feed.xml", Response(rss([{
            "guid": "a1", "link": srv.url("/a1.html"), "title": "Installed",
            "description": "Washington, June 19 (IANS) The minister met officials.",
            "pubDate": "Wed, 19 Jun 2024 01:05:00 +0530"}])))
        work.write_config([feed_yaml("installed", srv.url("/feed.xml"))])
        p = subprocess.run([datelined, "-c", work.config, "--once"], capture_output=True,
                           text=True, timeout=120, env=env)
        t.is_eq((p.returncode, "cannot find" in p.stderr), (0, False),
                "installed datelined --once finds its installed data files")
        t.is_eq(work.sql("SELECT count(*) FROM articles"), [(1,)], "and stores the item")

        page = os.path.join(work.path, "page.html")
        with open(page, "w") as f:
            f.write("<html><head><title>Installed</title></head><body><article>"
                    "<p>Washington, June 19 (IANS) The minister met officials of the "
                    "State Department on Wednesday.</p></article></body></html>")
        p = subprocess.run([dateline, "extract", page], capture_output=True, text=True,
                           timeout=60, env=env)
        t.is_eq(p.returncode, 0, "installed dateline extract finds its installed data files")

        # The control: without the installed data, both programs say so.
        data = os.path.join(prefix, "share/dateline")
        os.rename(data, data + ".away")
        p = subprocess.run([datelined, "-c", work.config, "--once"], capture_output=True,
                           text=True, timeout=60, env=env)
        t.ok(p.returncode != 0 and "agencies.txt" in p.stderr,
             "without them datelined refuses to start", p.stderr)
        os.rename(data + ".away", data)

        rc, out = make(*(args + ["uninstall"]))
        t.is_eq(rc, 0, "make uninstall PREFIX=<tmp>/usr")
        t.is_eq(sorted(files_under(root)), [],
                "uninstall leaves no file behind (the config was the example)")
    finally:
        srv.close()
        work.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main([test_destdir, test_prefix])

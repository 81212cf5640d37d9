/*
 * test_config.c: config_parse_duration, resolution of feed settings
 * (built-in < defaults < feed), database path resolution, the config_write
 * round trip, and the shape of error messages.
 *
 * The error messages of each kind of bad file are covered by the golden
 * files under tests/config/; these tests look at values.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "bounds.h"
#include "log.h"
#include "tap.h"
#include "util.h"

static char tmpdir[] = "/tmp/test_config.XXXXXX";

/* Writes text to tmpdir/name; returns the malloc'd path. */
static char *
write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
		printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return path;
}

/* Loads text saved as tmpdir/name; prints the errors on failure. */
static struct config *
load_text(const char *name, const char *text)
{
	struct strlist errors = { 0 };
	struct config *cfg;
	char *path = write_file(name, text);

	cfg = config_load(path, &errors);
	for (size_t i = 0; i < errors.n; i++)
		printf("# %s\n", errors.v[i]);
	strlist_free(&errors);
	free(path);
	return cfg;
}

static void
test_durations(void)
{
	static const struct {
		const char *s;
		double want;
	} good[] = {
		{ "30s", 30 }, { "10m", 600 }, { "1h", 3600 }, { "1d", 86400 },
		{ "1h30m", 5400 }, { "90s", 90 }, { "1d2h3m4s", 93784 },
		{ "0s", 0 }, { "05m", 300 }, { "1h90m", 9000 }, { "2d12h", 216000 },
		{ "2147483647s", 2147483647.0 },
	};
	static const char *const bad[] = {
		"", "30", "-5s", "+5s", "s", "m1", "1m1h", "1h1h", "1s1m", "1.5h",
		"10 m", " 10m", "10m ", "10M", "10H", "1w", "1y", "10ms", "1e3s",
		"0x10s", "10m-", "2147483648s", "24856d", "99999999999999999999s",
		"1d\t", "10mm",
	};
	double d;

	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		d = -1;
		is_int(config_parse_duration(good[i].s, &d), 0, "duration '%s' parses",
		    good[i].s);
		ok(d == good[i].want, "duration '%s' is %.0f s (got %.0f)", good[i].s,
		    good[i].want, d);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		d = 12345;
		is_int(config_parse_duration(bad[i], &d), -1,
		    "duration '%s' is refused", bad[i]);
		ok(d == 12345, "refused duration '%s' leaves the output alone", bad[i]);
	}
	is_int(config_parse_duration(NULL, &d), -1, "NULL duration is refused");
}

static void
test_builtin_defaults(void)
{
	struct config *cfg = load_text("builtin.yaml",
	    "database: /var/lib/dateline/dateline.db\n"
	    "feeds:\n"
	    "  - name: plain\n"
	    "    url: https://example.com/rss\n");
	const struct feed_conf *f;

	if (!ok(cfg != NULL, "minimal config loads"))
		return;
	is_str(cfg->database, "/var/lib/dateline/dateline.db",
	    "absolute database path kept");
	is_str(cfg->user_agent,
	    "dateline/" DATELINE_VERSION " (+https://github.com/dateline/dateline)",
	    "default user_agent");
	is_int(cfg->max_connections, 16, "default max_connections");
	is_int(cfg->max_host_connections, 2, "default max_host_connections");
	is_str(cfg->log_level, "info", "default log_level");
	is_int(cfg->nfeeds, 1, "one feed");
	f = &cfg->feeds[0];
	is_str(f->name, "plain", "name");
	is_str(f->url, "https://example.com/rss", "url");
	is_int(f->kind, FEED_KIND_AGENCY, "default kind");
	ok(f->interval == 600, "default interval 10m");
	ok(f->timeout == 60, "default timeout 60s");
	ok(f->connect_timeout == 15, "default connect_timeout 15s");
	is_int(f->fetch_articles, 0, "default fetch_articles false");
	is_str(f->timezone, "UTC", "default timezone");
	is_str(f->agency, NULL, "default agency none");
	is_int(f->enabled, 1, "default enabled true");
	is_int(f->allow_private, 0, "default allow_private false");
	is_int(f->max_bytes, LIMIT_RESPONSE_BYTES_DEFAULT, "default max_bytes");
	ok(f->retry_min == 60, "default retry_min 1m");
	ok(f->retry_max == 6 * 3600, "default retry_max 6h");
	is_int(f->line, 3, "feed line");
	is_int(f->column, 5, "feed column");
	config_free(cfg);
}

static void
test_resolution(void)
{
	struct config *cfg = load_text("resolve.yaml",
	    "database: a.db\n"
	    "max_connections: 100\n"
	    "max_host_connections: 4\n"
	    "log_level: debug\n"
	    "user_agent: test-agent/1\n"
	    "feeds:\n"
	    "  - name: inherits\n"
	    "    url: https://example.com/a\n"
	    "  - name: overrides\n"
	    "    url: https://example.com/b\n"
	    "    kind: site\n"
	    "    interval: 1h\n"
	    "    timezone: UTC\n"
	    "    agency: AFP\n"
	    "    fetch_articles: false\n"
	    "    enabled: true\n"
	    "    max_bytes: 1048576\n"
	    "    retry_min: 10s\n"
	    "  - name: partly\n"
	    "    url: http://127.0.0.1:8080/feed\n"
	    "    allow_private: true\n"
	    "    retry_max: 20m\n"
	    /* defaults after the feeds: order in the file does not matter */
	    "defaults:\n"
	    "  kind: epaper\n"
	    "  interval: 5m\n"
	    "  timeout: 2m\n"
	    "  connect_timeout: 5s\n"
	    "  fetch_articles: true\n"
	    "  timezone: Asia/Kolkata\n"
	    "  agency: IANS\n"
	    "  enabled: false\n"
	    "  max_bytes: 512K\n"
	    "  retry_min: 2m\n"
	    "  retry_max: 1d\n");
	const struct feed_conf *a, *b, *c;

	if (!ok(cfg != NULL, "config with defaults loads"))
		return;
	is_int(cfg->max_connections, 100, "max_connections set");
	is_int(cfg->max_host_connections, 4, "max_host_connections set");
	is_str(cfg->log_level, "debug", "log_level set");
	is_str(cfg->user_agent, "test-agent/1", "user_agent set");
	a = config_feed(cfg, "inherits");
	b = config_feed(cfg, "overrides");
	c = config_feed(cfg, "partly");
	ok(config_feed(cfg, "absent") == NULL, "config_feed of an unknown name");
	if (!ok(a && b && c, "config_feed finds each feed"))
		goto out;
	ok(a == &cfg->feeds[0] && b == &cfg->feeds[1] && c == &cfg->feeds[2],
	    "feeds keep file order");

	is_int(a->kind, FEED_KIND_EPAPER, "defaults: kind");
	ok(a->interval == 300, "defaults: interval");
	ok(a->timeout == 120, "defaults: timeout");
	ok(a->connect_timeout == 5, "defaults: connect_timeout");
	is_int(a->fetch_articles, 1, "defaults: fetch_articles");
	is_str(a->timezone, "Asia/Kolkata", "defaults: timezone");
	is_str(a->agency, "IANS", "defaults: agency");
	is_int(a->enabled, 0, "defaults: enabled");
	is_int(a->allow_private, 0, "built-in: allow_private");
	is_int(a->max_bytes, 512 * 1024, "defaults: max_bytes");
	ok(a->retry_min == 120, "defaults: retry_min");
	ok(a->retry_max == 86400, "defaults: retry_max");

	is_int(b->kind, FEED_KIND_SITE, "feed: kind");
	ok(b->interval == 3600, "feed: interval");
	ok(b->timeout == 120, "feed without timeout: defaults");
	is_str(b->timezone, "UTC", "feed: timezone");
	is_str(b->agency, "AFP", "feed: agency");
	is_int(b->fetch_articles, 0, "feed: fetch_articles false beats defaults");
	is_int(b->enabled, 1, "feed: enabled true beats defaults");
	is_int(b->max_bytes, 1048576, "feed: max_bytes in bytes");
	ok(b->retry_min == 10, "feed: retry_min");
	ok(b->retry_max == 86400, "feed without retry_max: defaults");

	is_int(c->allow_private, 1, "feed: allow_private");
	ok(c->retry_min == 120 && c->retry_max == 1200,
	    "retry_min from defaults, retry_max from the feed");
	is_str(feed_kind_name(a->kind), "epaper", "feed_kind_name epaper");
	is_str(feed_kind_name(FEED_KIND_AGENCY), "agency", "feed_kind_name agency");
	is_str(feed_kind_name(FEED_KIND_SITE), "site", "feed_kind_name site");
out:
	config_free(cfg);
}

static void
test_database_paths(void)
{
	struct strlist errors = { 0 };
	struct config *cfg;
	char *path, *want, *cwd;

	cfg = load_text("rel.yaml", "database: state/x.db\n");
	want = xasprintf("%s/state/x.db", tmpdir);
	if (ok(cfg != NULL, "relative database loads"))
		is_str(cfg->database, want, "relative database: config's folder");
	free(want);
	config_free(cfg);

	cfg = load_text("dots.yaml", "database: ../x.db\n");
	want = xasprintf("%s/../x.db", tmpdir);
	if (ok(cfg != NULL, "database with .. loads"))
		is_str(cfg->database, want, "'..' is left to the file system");
	free(want);
	config_free(cfg);

	/* A relative config path: the folder is taken from the cwd. */
	if ((cwd = getcwd(NULL, 0)) == NULL || chdir("/tmp") != 0) {
		ok(0, "chdir /tmp");
		free(cwd);
		return;
	}
	path = xasprintf("%s/rel.yaml", tmpdir + strlen("/tmp/"));
	cfg = config_load(path, &errors);
	want = xasprintf("%s/state/x.db", tmpdir);
	if (ok(cfg != NULL, "relative config path loads"))
		is_str(cfg->database, want, "relative config path: absolute database");
	free(want);
	free(path);
	config_free(cfg);
	if (chdir(tmpdir) == 0) {
		cfg = config_load("rel.yaml", &errors);
		want = xasprintf("%s/state/x.db", tmpdir);
		if (ok(cfg != NULL, "config in the cwd loads"))
			is_str(cfg->database, want, "config in the cwd: cwd's folder");
		free(want);
		config_free(cfg);
	}
	if (chdir(cwd) != 0)
		ok(0, "chdir back");
	free(cwd);
	strlist_free(&errors);
}

/* Loads src, writes it, loads the output, writes again: same text. */
static void
test_round_trip(void)
{
	struct strlist errors = { 0 };
	struct config *a, *b;
	struct buf out1, out2;
	char *path;

	a = load_text("trip.yaml",
	    "database: trip.db\n"
	    "user_agent: 'odd \"agent\" \\ with ünïcödé'\n"
	    "max_connections: 1024\n"
	    "max_host_connections: 64\n"
	    "log_level: warning\n"
	    "defaults:\n"
	    "  interval: 90s\n"
	    "  agency: \"PTI\"\n"
	    "feeds:\n"
	    "  - name: \"quote \\\" backslash \\\\ line\\u2028sep\"\n"
	    "    url: https://example.com/a?x=1&y=2#frag\n"
	    "    interval: 1h30m\n"
	    "    timeout: 2147483647s\n"
	    "    connect_timeout: 1d2h3m4s\n"
	    "    max_bytes: 1000000\n"
	    "    retry_min: 1s\n"
	    "    retry_max: 1s\n"
	    "  - name: '123'\n"
	    "    url: http://127.0.0.1/\n"
	    "    kind: epaper\n"
	    "    fetch_articles: true\n"
	    "    enabled: false\n"
	    "    allow_private: true\n"
	    "    timezone: America/New_York\n"
	    "    max_bytes: 256M\n"
	    "  - name: yes\n"
	    "    url: https://example.org/\n"
	    "    kind: site\n"
	    "    max_bytes: 1K\n");
	if (!ok(a != NULL, "round trip: source loads"))
		return;
	buf_init(&out1);
	buf_init(&out2);
	config_write(a, &out1);
	path = write_file("trip.ok", out1.data);
	b = config_load(path, &errors);
	for (size_t i = 0; i < errors.n; i++)
		printf("# %s\n", errors.v[i]);
	strlist_free(&errors);
	free(path);
	if (!ok(b != NULL, "round trip: written config loads")) {
		printf("# %s", out1.data);
		goto out;
	}
	config_write(b, &out2);
	is_str(out2.data, out1.data, "round trip: written twice, same text");
	is_str(b->database, a->database, "round trip: database");
	is_str(b->user_agent, a->user_agent, "round trip: user_agent");
	is_int(b->max_connections, a->max_connections, "round trip: max_connections");
	is_int(b->max_host_connections, a->max_host_connections,
	    "round trip: max_host_connections");
	is_str(b->log_level, a->log_level, "round trip: log_level");
	if (!ok(b->nfeeds == a->nfeeds, "round trip: number of feeds"))
		goto out;
	for (size_t i = 0; i < a->nfeeds; i++) {
		const struct feed_conf *x = &a->feeds[i], *y = &b->feeds[i];

		is_str(y->name, x->name, "round trip: feed %zu name", i);
		is_str(y->url, x->url, "round trip: feed %zu url", i);
		ok(y->kind == x->kind && y->interval == x->interval &&
		    y->timeout == x->timeout &&
		    y->connect_timeout == x->connect_timeout &&
		    y->fetch_articles == x->fetch_articles &&
		    y->enabled == x->enabled && y->allow_private == x->allow_private &&
		    y->max_bytes == x->max_bytes && y->retry_min == x->retry_min &&
		    y->retry_max == x->retry_max,
		    "round trip: feed %zu settings", i);
		is_str(y->timezone, x->timezone, "round trip: feed %zu timezone", i);
		is_str(y->agency, x->agency, "round trip: feed %zu agency", i);
	}
	is_str(a->feeds[0].name, "quote \" backslash \\ line\xe2\x80\xa8sep",
	    "escapes decoded");
	is_str(a->feeds[2].name, "yes", "a plain 'yes' is a fine string");
	ok(strstr(out1.data, "interval: 1h30m\n") != NULL, "1h30m written as such");
	ok(strstr(out1.data, "interval: 1m30s\n") != NULL, "90s written as 1m30s");
	ok(strstr(out1.data, "max_bytes: 1000000\n") != NULL, "odd size in bytes");
	ok(strstr(out1.data, "max_bytes: 256M\n") != NULL, "256M written as such");
	ok(strstr(out1.data, "database: \"trip.db\"\n") != NULL,
	    "database written relative to the config's folder");
out:
	config_free(a);
	config_free(b);
	buf_free(&out1);
	buf_free(&out2);
}

static void
test_empty_feeds(void)
{
	struct config *cfg;
	struct buf out;

	cfg = load_text("idle.yaml", "database: idle.db\nfeeds: []\n");
	if (ok(cfg != NULL, "empty feeds list loads"))
		is_int(cfg->nfeeds, 0, "no feeds");
	config_free(cfg);
	cfg = load_text("idle2.yaml", "database: idle.db\nfeeds:\ndefaults:\n");
	if (ok(cfg != NULL, "null feeds and defaults load")) {
		buf_init(&out);
		config_write(cfg, &out);
		ok(strstr(out.data, "feeds: []\n") != NULL, "written as feeds: []");
		buf_free(&out);
	}
	config_free(cfg);
	cfg = load_text("idle3.yaml", "database: idle.db\n");
	if (ok(cfg != NULL, "missing feeds loads"))
		is_int(cfg->nfeeds, 0, "no feeds either");
	config_free(cfg);
}

static void
test_errors(void)
{
	struct strlist errors = { 0 };
	struct config *cfg;
	char *path, *want;

	path = write_file("bad.yaml",
	    "database: x.db\n"
	    "feeds:\n"
	    "  - name: a\n"
	    "    url: file:///etc/passwd\n"
	    "    enabled: no\n");
	cfg = config_load(path, &errors);
	ok(cfg == NULL, "bad config: NULL");
	if (ok(errors.n == 2, "bad config: two errors (got %zu)", errors.n)) {
		want = xasprintf("%s:4:10: bad URL scheme 'file' "
		    "(only http and https are allowed)", path);
		is_str(errors.v[0], want, "first error, in file order");
		free(want);
		want = xasprintf("%s:5:14: 'enabled' must be true or false, not 'no'",
		    path);
		is_str(errors.v[1], want, "second error");
		free(want);
	}
	strlist_free(&errors);
	free(path);

	/* Errors are appended to what the list already holds. */
	strlist_push(&errors, xstrdup("earlier"));
	path = xasprintf("%s/absent.yaml", tmpdir);
	cfg = config_load(path, &errors);
	ok(cfg == NULL, "missing file: NULL");
	if (ok(errors.n == 2, "missing file: one error appended (got %zu)",
	    errors.n)) {
		want = xasprintf("%s: cannot open: %s", path, strerror(ENOENT));
		is_str(errors.v[1], want, "missing file: FILE: message");
		free(want);
	}
	strlist_free(&errors);
	free(path);
}

static void
cleanup(void)
{
	static const char *const names[] = {
		"builtin.yaml", "resolve.yaml", "rel.yaml", "dots.yaml",
		"trip.yaml", "trip.ok", "idle.yaml", "idle2.yaml", "idle3.yaml",
		"bad.yaml",
	};
	char *p;

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		p = xasprintf("%s/%s", tmpdir, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(tmpdir);
}

int
main(void)
{
	log_init("test_config", LOG_LEVEL_WARNING);
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_durations();
	test_builtin_defaults();
	test_resolution();
	test_database_paths();
	test_round_trip();
	test_empty_feeds();
	test_errors();
	cleanup();
	return tap_done();
}

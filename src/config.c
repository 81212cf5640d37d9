/*
 * config.c: the YAML configuration -> struct config (libyaml events).
 *
 * The file is read whole (it is small, and bounded below), handed to
 * libyaml's event parser, and walked by a reader that knows the schema:
 * a top-level map, a `defaults` map of feed settings and a `feeds` list of
 * feed maps.  No document tree is built, so nothing an attacker writes
 * (aliases, deep nesting, huge files) can make memory grow beyond the
 * file's own size.
 *
 * Every problem becomes one error with the 1-based line and column of the
 * offending node; errors are collected for the whole file, sorted by
 * position, and any error refuses the file.  Only a problem that stops the
 * parse (a syntax error, nesting beyond CONFIG_MAX_DEPTH, too many errors)
 * ends the walk early.
 *
 * Decisions worth knowing (also in dateline.yaml(5)):
 *  - anchors, aliases and tags (`!!str`, `!foo`) are errors: a config has
 *    no use for them, and refusing them is the simplest defence against
 *    alias bombs and surprising type conversions;
 *  - booleans are `true` and `false` only, integers plain decimal digits,
 *    a quoted "16" is a string; YAML 1.1's yes/no/on/off and octal or hex
 *    integers are errors, never guessed at;
 *  - a missing or empty `feeds` (and an empty `defaults`) is allowed: the
 *    daemon then idles;
 *  - errors that have no position (the file cannot be read) are written
 *    "FILE: message".
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xpath.h>
#include <yaml.h>

#include "dates.h"
#include "bounds.h"
#include "log.h"
#include "template.h"
#include "url.h"

/*
 * Bounds of the configuration reader itself (dateline.yaml(5), LIMITS).
 * NOTE: the schema nests three deep (top map, feeds list, feed map); 32
 * leaves room for error reports on misplaced structure while stopping a
 * pathological document long before libyaml's own stacks grow large.
 */
#define CONFIG_MAX_BYTES  (16 * 1024 * 1024)
#define CONFIG_MAX_DEPTH  32
#define CONFIG_MAX_ERRORS 20
/* Longest duration accepted, in seconds (about 68 years). */
#define DURATION_MAX      INT32_MAX
/* Bytes of a value quoted in an error message. */
#define MSG_VALUE_BYTES   60

#define DEFAULT_USER_AGENT \
	"dateline/" DATELINE_VERSION " (+https://github.com/dateline/dateline)"

enum key {
	/* top level */
	KEY_DATABASE,
	KEY_USER_AGENT,
	KEY_MAX_CONNECTIONS,
	KEY_MAX_HOST_CONNECTIONS,
	KEY_LOG_LEVEL,
	KEY_PAGE_HOST_CONNECTIONS,
	KEY_PAGE_DELAY,
	KEY_DATA_DIR,
	KEY_METRICS_FILE,
	KEY_RETENTION,
	KEY_DEFAULTS,
	KEY_FEEDS,
	/* a feed only */
	KEY_NAME,
	KEY_URL,
	KEY_PATH,
	/* a feed or `defaults` */
	KEY_KIND,
	KEY_INTERVAL,
	KEY_TIMEOUT,
	KEY_CONNECT_TIMEOUT,
	KEY_FETCH_ARTICLES,
	KEY_TIMEZONE,
	KEY_AGENCY,
	KEY_ENABLED,
	KEY_ALLOW_PRIVATE,
	KEY_MAX_BYTES,
	KEY_RETRY_MIN,
	KEY_RETRY_MAX,
	KEY_ROBOTS,
	KEY_KEEP_HTML,
	KEY_PAGE_BUDGET,
	KEY_PAGE_RETRIES,
	KEY_EXTRACT,
	KEY_MIN_INTERVAL,
	KEY_MAX_INTERVAL,
	/* a feed or `defaults`; kind epaper only */
	KEY_EDITIONS,
	KEY_SCHEDULE,
	KEY_BACKFILL,
	KEY_FOLLOW,
	KEY_NEXT,
	KEY_PAGE_NUMBER,
	KEY_EDITION_BUDGET,
	KEY_COUNT
};

enum scope {
	SCOPE_TOP,
	SCOPE_FEED,     /* a feed, never `defaults` */
	SCOPE_SETTING,  /* a feed or `defaults` */
};

static const struct keydef {
	const char *name;
	enum scope scope;
} keydefs[KEY_COUNT] = {
	[KEY_DATABASE] = { "database", SCOPE_TOP },
	[KEY_USER_AGENT] = { "user_agent", SCOPE_TOP },
	[KEY_MAX_CONNECTIONS] = { "max_connections", SCOPE_TOP },
	[KEY_MAX_HOST_CONNECTIONS] = { "max_host_connections", SCOPE_TOP },
	[KEY_LOG_LEVEL] = { "log_level", SCOPE_TOP },
	[KEY_PAGE_HOST_CONNECTIONS] = { "page_host_connections", SCOPE_TOP },
	[KEY_PAGE_DELAY] = { "page_delay", SCOPE_TOP },
	[KEY_DATA_DIR] = { "data_dir", SCOPE_TOP },
	[KEY_METRICS_FILE] = { "metrics_file", SCOPE_TOP },
	[KEY_RETENTION] = { "retention", SCOPE_TOP },
	[KEY_DEFAULTS] = { "defaults", SCOPE_TOP },
	[KEY_FEEDS] = { "feeds", SCOPE_TOP },
	[KEY_NAME] = { "name", SCOPE_FEED },
	[KEY_URL] = { "url", SCOPE_FEED },
	[KEY_PATH] = { "path", SCOPE_FEED },
	[KEY_KIND] = { "kind", SCOPE_SETTING },
	[KEY_INTERVAL] = { "interval", SCOPE_SETTING },
	[KEY_TIMEOUT] = { "timeout", SCOPE_SETTING },
	[KEY_CONNECT_TIMEOUT] = { "connect_timeout", SCOPE_SETTING },
	[KEY_FETCH_ARTICLES] = { "fetch_articles", SCOPE_SETTING },
	[KEY_TIMEZONE] = { "timezone", SCOPE_SETTING },
	[KEY_AGENCY] = { "agency", SCOPE_SETTING },
	[KEY_ENABLED] = { "enabled", SCOPE_SETTING },
	[KEY_ALLOW_PRIVATE] = { "allow_private", SCOPE_SETTING },
	[KEY_MAX_BYTES] = { "max_bytes", SCOPE_SETTING },
	[KEY_RETRY_MIN] = { "retry_min", SCOPE_SETTING },
	[KEY_RETRY_MAX] = { "retry_max", SCOPE_SETTING },
	[KEY_ROBOTS] = { "robots", SCOPE_SETTING },
	[KEY_KEEP_HTML] = { "keep_html", SCOPE_SETTING },
	[KEY_PAGE_BUDGET] = { "page_budget", SCOPE_SETTING },
	[KEY_PAGE_RETRIES] = { "page_retries", SCOPE_SETTING },
	[KEY_EXTRACT] = { "extract", SCOPE_SETTING },
	[KEY_MIN_INTERVAL] = { "min_interval", SCOPE_SETTING },
	[KEY_MAX_INTERVAL] = { "max_interval", SCOPE_SETTING },
	[KEY_EDITIONS] = { "editions", SCOPE_SETTING },
	[KEY_SCHEDULE] = { "schedule", SCOPE_SETTING },
	[KEY_BACKFILL] = { "backfill", SCOPE_SETTING },
	[KEY_FOLLOW] = { "follow", SCOPE_SETTING },
	[KEY_NEXT] = { "next", SCOPE_SETTING },
	[KEY_PAGE_NUMBER] = { "page_number", SCOPE_SETTING },
	[KEY_EDITION_BUDGET] = { "edition_budget", SCOPE_SETTING },
};

/* The keys of e-paper editions, refused in a feed of another kind. */
static const enum key epaper_keys[] = { KEY_EDITIONS, KEY_SCHEDULE, KEY_BACKFILL,
    KEY_FOLLOW, KEY_NEXT, KEY_PAGE_NUMBER, KEY_EDITION_BUDGET };

#define KEY_BIT(k) (1ull << (k))

static const struct feed_conf builtin_feed = {
	.kind = FEED_KIND_AGENCY,
	.interval = 10 * 60,
	.timeout = 60,
	.connect_timeout = 15,
	.fetch_articles = false,
	.timezone = "UTC",
	.agency = NULL,
	.enabled = true,
	.allow_private = false,
	.max_bytes = LIMIT_RESPONSE_BYTES_DEFAULT,
	.retry_min = 60,
	.retry_max = 6 * 60 * 60,
	.robots = true,
	.keep_html = false,
	.page_budget = 50,
	.page_retries = 3,
	.schedule = { 0x7f, 0 },
	.backfill = 0,
	.edition_budget = 200,
};

static const char *const kind_names[] = {
	[FEED_KIND_AGENCY] = "agency",
	[FEED_KIND_EPAPER] = "epaper",
	[FEED_KIND_SITE] = "site",
	[FEED_KIND_SPOOL] = "spool",
};

struct pos {
	int line, col;  /* 1-based; 0 when the error has no position */
};

struct error {
	struct pos at;
	size_t seq;     /* order of detection, to keep the sort stable */
	char *msg;
};

/* The settings one map (`defaults` or a feed) gives, before resolution. */
struct settings {
	struct feed_conf v;         /* the values given; strings owned */
	unsigned long long set;     /* KEY_BIT of each key given validly */
	struct pos at[KEY_COUNT];   /* where each given value is */
	struct pos start;           /* the map itself */
	unsigned long long given;   /* KEY_BIT of each key given, even invalid */
};

struct loader {
	const char *path;           /* as given, for messages */
	char *file;                 /* the file as read */
	const char *text;           /* the YAML in it (after a BOM) */
	size_t len;
	yaml_parser_t parser;
	yaml_event_t ev;            /* the current event */
	bool have_ev;
	int depth;                  /* collections open */
	bool stopped;               /* the walk cannot go on */
	bool too_many;
	struct error *errs;
	size_t nerrs, caperrs;

	struct config *cfg;         /* top-level values; database unresolved */
	struct pos database_at;
	struct pos data_dir_at;
	struct pos metrics_at;
	struct settings defaults;
	struct settings *feeds;
	size_t nfeeds, capfeeds;
};

static struct pos
mark_pos(yaml_mark_t m)
{
	struct pos p;

	p.line = m.line >= INT32_MAX ? INT32_MAX : (int)m.line + 1;
	p.col = m.column >= INT32_MAX ? INT32_MAX : (int)m.column + 1;
	return p;
}

static struct pos
ev_pos(const struct loader *ld)
{
	return mark_pos(ld->ev.start_mark);
}

/*
 * Records one error.  At the error after CONFIG_MAX_ERRORS the walk stops:
 * a generated or garbled file should not produce megabytes of messages.
 */
__attribute__((format(printf, 3, 4))) static void
errorf(struct loader *ld, struct pos at, const char *fmt, ...)
{
	va_list ap;

	if (ld->too_many)
		return;
	if (ld->nerrs == CONFIG_MAX_ERRORS) {
		ld->too_many = true;
		ld->stopped = true;
		return;
	}
	if (ld->nerrs == ld->caperrs) {
		ld->caperrs = ld->caperrs ? ld->caperrs * 2 : 8;
		ld->errs = xreallocarray(ld->errs, ld->caperrs, sizeof(*ld->errs));
	}
	va_start(ap, fmt);
	ld->errs[ld->nerrs].msg = xvasprintf(fmt, ap);
	va_end(ap);
	ld->errs[ld->nerrs].at = at;
	ld->errs[ld->nerrs].seq = ld->nerrs;
	ld->nerrs++;
}

/*
 * A value as it may appear inside a message: control characters escaped,
 * cut to MSG_VALUE_BYTES (on a UTF-8 boundary) with "..." appended.
 */
static char *
msg_value(const char *s, size_t n)
{
	struct buf b;
	size_t i, cut = n;

	if (n > MSG_VALUE_BYTES) {
		cut = MSG_VALUE_BYTES;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
	}
	buf_init(&b);
	for (i = 0; i < cut; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			buf_printf(&b, "\\x%02x", c);
		else
			buf_putc(&b, (char)c);
	}
	if (cut < n)
		buf_puts(&b, "...");
	return buf_steal(&b);
}

static const char *
scalar_value(const yaml_event_t *ev)
{
	return (const char *)ev->data.scalar.value;
}

static bool
scalar_plain(const yaml_event_t *ev)
{
	return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A plain scalar that YAML reads as null: "", "~", "null", "Null", "NULL". */
static bool
scalar_null(const yaml_event_t *ev)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	const char *v = scalar_value(ev);

	if (ev->type != YAML_SCALAR_EVENT || !scalar_plain(ev))
		return false;
	for (size_t i = 0; i < ARRAY_LEN(nulls); i++)
		if (strcmp(v, nulls[i]) == 0)
			return true;
	return false;
}

/* What the current node is, for "must be X, not Y" messages. */
static char *
describe(const yaml_event_t *ev)
{
	char *v, *s;

	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
		return xstrdup("a map");
	case YAML_SEQUENCE_START_EVENT:
		return xstrdup("a list");
	case YAML_SCALAR_EVENT:
		if (scalar_null(ev))
			return scalar_value(ev)[0] == '\0' ? xstrdup("empty") :
			    xasprintf("null ('%s')", scalar_value(ev));
		v = msg_value(scalar_value(ev), ev->data.scalar.length);
		s = scalar_plain(ev) ? xasprintf("'%s'", v) :
		    xasprintf("the string \"%s\"", v);
		free(v);
		return s;
	default:
		return xstrdup("an alias");
	}
}

/* "!!str" for the core schema's tags, the tag itself otherwise. */
static char *
tag_text(const yaml_char_t *tag)
{
	static const char core[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;
	char *v, *s;

	if (strncmp(t, core, sizeof(core) - 1) == 0) {
		v = msg_value(t + sizeof(core) - 1, strlen(t) - (sizeof(core) - 1));
		s = xasprintf("!!%s", v);
		free(v);
		return s;
	}
	return msg_value(t, strlen(t));
}

static void
check_node_props(struct loader *ld, const yaml_char_t *anchor,
    const yaml_char_t *tag)
{
	char *t;

	if (anchor != NULL)
		errorf(ld, ev_pos(ld), "anchors and aliases are not allowed");
	if (tag != NULL) {
		t = tag_text(tag);
		errorf(ld, ev_pos(ld), "tags are not allowed ('%s')", t);
		free(t);
	}
}

/* The line and column of byte offset off in the file (reader errors). */
static struct pos
offset_pos(const struct loader *ld, size_t off)
{
	struct pos p = { 1, 1 };

	if (off > ld->len)
		off = ld->len;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)ld->text[i];

		if (c == '\n' || (c == '\r' && (i + 1 >= ld->len ||
		    ld->text[i + 1] != '\n'))) {
			p.line++;
			p.col = 1;
		} else if ((c & 0xC0) != 0x80 && c != '\r')
			p.col++;
	}
	return p;
}

/* The byte at a 1-based line and column (counted in characters), or -1. */
static int
char_at(const struct loader *ld, struct pos at)
{
	size_t i = 0;
	int line = 1, col = 1;

	while (i < ld->len && line < at.line) {
		if (ld->text[i] == '\n')
			line++;
		i++;
	}
	while (i < ld->len && col < at.col && ld->text[i] != '\n') {
		i++;
		while (i < ld->len && ((unsigned char)ld->text[i] & 0xC0) == 0x80)
			i++;
		col++;
	}
	return i < ld->len ? (unsigned char)ld->text[i] : -1;
}

static void
syntax_error(struct loader *ld)
{
	yaml_parser_t *p = &ld->parser;
	const char *problem = p->problem ? p->problem : "syntax error";
	const char *hint;
	struct pos at, ctx;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		fatalx("libyaml: out of memory");
	case YAML_READER_ERROR:
		errorf(ld, offset_pos(ld, p->problem_offset), "%s", problem);
		return;
	default:
		break;
	}
	at = mark_pos(p->problem_mark);
	/*
	 * NOTE: libyaml's message for a tab used as indentation ("found
	 * character that cannot start any token") does not say "tab", and
	 * that is by far the most common cause; name it.
	 */
	hint = char_at(ld, at) == '\t' && strstr(problem, "tab") == NULL ?
	    "; YAML indents with spaces, not tabs" : "";
	if (p->context == NULL)
		errorf(ld, at, "%s%s", problem, hint);
	else if ((ctx = mark_pos(p->context_mark)).line == at.line &&
	    ctx.col == at.col)
		errorf(ld, at, "%s (%s)%s", problem, p->context, hint);
	else
		errorf(ld, at, "%s (%s at %d:%d)%s", problem, p->context,
		    ctx.line, ctx.col, hint);
}

/*
 * Moves to the next event, reporting anchors, aliases and tags and keeping
 * the nesting depth.  Returns 0, or -1 when the walk has to stop.
 */
static int
next(struct loader *ld)
{
	yaml_event_t *ev = &ld->ev;

	if (ld->stopped)
		return -1;
	if (ld->have_ev) {
		yaml_event_delete(ev);
		ld->have_ev = false;
	}
	if (!yaml_parser_parse(&ld->parser, ev)) {
		syntax_error(ld);
		ld->stopped = true;
		return -1;
	}
	ld->have_ev = true;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		errorf(ld, ev_pos(ld), "anchors and aliases are not allowed");
		break;
	case YAML_SCALAR_EVENT:
		/* NOTE: libyaml sets a tag only when the file writes one. */
		check_node_props(ld, ev->data.scalar.anchor, ev->data.scalar.tag);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ev->type == YAML_SEQUENCE_START_EVENT)
			check_node_props(ld, ev->data.sequence_start.anchor,
			    ev->data.sequence_start.tag);
		else
			check_node_props(ld, ev->data.mapping_start.anchor,
			    ev->data.mapping_start.tag);
		if (++ld->depth > CONFIG_MAX_DEPTH) {
			errorf(ld, ev_pos(ld), "nesting deeper than %d levels",
			    CONFIG_MAX_DEPTH);
			ld->stopped = true;
		}
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		ld->depth--;
		break;
	default:
		break;
	}
	return ld->stopped ? -1 : 0;
}

/*
 * With a node's first event current, consumes the node so that its last
 * event is current.  Iterative: the depth bound is next()'s business.
 */
static int
skip_node(struct loader *ld)
{
	int depth = 0;

	for (;;) {
		switch (ld->ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (depth <= 0)
			return 0;
		if (next(ld) < 0)
			return -1;
	}
}

/*
 * Reports "'key' must be EXPECT, not WHAT" for the current node and skips
 * it.  An alias was reported when it was read and is skipped silently.
 * Returns -1 always (so callers can `return wrong(...)`).
 */
static int
wrong(struct loader *ld, const char *key, const char *expect)
{
	char *what;

	if (ld->ev.type != YAML_ALIAS_EVENT) {
		what = describe(&ld->ev);
		errorf(ld, ev_pos(ld), "'%s' must be %s, not %s", key, expect, what);
		free(what);
	}
	skip_node(ld);
	return -1;
}

/* The current node as a non-null scalar's value, or NULL. */
static const char *
scalar_or_null(const struct loader *ld)
{
	if (ld->ev.type != YAML_SCALAR_EVENT || scalar_null(&ld->ev))
		return NULL;
	return scalar_value(&ld->ev);
}

/*
 * Reads a string: any scalar but null, not empty, with no control
 * characters (C0, DEL, C1: they would end up in HTTP headers, logs and
 * file names).  Returns 0 and a malloc'd *out, or -1 once reported.
 */
static int
read_string(struct loader *ld, const char *key, char **out)
{
	const unsigned char *v;
	size_t n;

	if (scalar_or_null(ld) == NULL)
		return wrong(ld, key, "a string");
	v = (const unsigned char *)scalar_value(&ld->ev);
	n = ld->ev.data.scalar.length;
	if (n == 0) {
		errorf(ld, ev_pos(ld), "'%s' must not be empty", key);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] < 0x20 || v[i] == 0x7f || (v[i] == 0xC2 && i + 1 < n &&
		    v[i + 1] >= 0x80 && v[i + 1] <= 0x9F)) {
			errorf(ld, ev_pos(ld),
			    "'%s' must not contain control characters", key);
			return -1;
		}
	}
	*out = xstrndup((const char *)v, n);
	return 0;
}

static int
read_bool(struct loader *ld, const char *key, bool *out)
{
	const char *v = scalar_or_null(ld);

	/*
	 * NOTE: YAML 1.1 also reads yes/no/on/off/y/n as booleans, YAML 1.2
	 * does not; accepting only true/false makes the file mean the same
	 * to every reader (the "Norway problem").
	 */
	if (v != NULL && scalar_plain(&ld->ev)) {
		if (strcmp(v, "true") == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(v, "false") == 0) {
			*out = false;
			return 0;
		}
	}
	return wrong(ld, key, "true or false");
}

/*
 * A plain decimal integer in [min, max].  NOTE: leading zeros are refused
 * because YAML 1.1 reads "010" as octal 8.
 */
static int
read_int(struct loader *ld, const char *key, int min, int max, int *out)
{
	const char *v = scalar_or_null(ld);
	char expect[64];
	long n = 0;
	size_t len;

	if (v != NULL && scalar_plain(&ld->ev)) {
		len = strlen(v);
		if (len > 0 && len <= 9 && strspn(v, "0123456789") == len &&
		    (v[0] != '0' || len == 1)) {
			n = strtol(v, NULL, 10);
			if (n >= min && n <= max) {
				*out = (int)n;
				return 0;
			}
		}
	}
	snprintf(expect, sizeof(expect), "an integer from %d to %d", min, max);
	return wrong(ld, key, expect);
}

int
config_parse_duration(const char *s, double *seconds)
{
	static const struct {
		char unit;
		long long mult;
	} units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	size_t u = 0, i;
	long long total = 0, n;
	int parts = 0;

	if (s == NULL)
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		for (n = 0; *s >= '0' && *s <= '9'; s++) {
			n = n * 10 + (*s - '0');
			if (n > DURATION_MAX)
				return -1;
		}
		/* Units in descending order, each at most once. */
		for (i = u; i < ARRAY_LEN(units) && units[i].unit != *s; i++)
			;
		if (i == ARRAY_LEN(units))
			return -1;
		if (n > (DURATION_MAX - total) / units[i].mult)
			return -1;
		total += n * units[i].mult;
		u = i + 1;
		s++;
		parts++;
	}
	if (parts == 0)
		return -1;
	*seconds = (double)total;
	return 0;
}

/* Writes secs as "1d2h3m4s" with zero components left out ("0s" for 0). */
static void
format_duration(double secs, char *out, size_t size)
{
	static const struct {
		char unit;
		long long mult;
	} units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	/* NOTE: config durations are whole seconds; others are rounded. */
	long long s = secs > 0 ? (long long)(secs + 0.5) : 0;
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(units); i++) {
		long long n = s / units[i].mult;

		if (n == 0)
			continue;
		s -= n * units[i].mult;
		len += (size_t)snprintf(out + len, len < size ? size - len : 0,
		    "%lld%c", n, units[i].unit);
	}
	if (len == 0)
		snprintf(out, size, "0s");
}

static int
read_duration(struct loader *ld, const char *key, double min, double *out)
{
	const char *v = scalar_or_null(ld);
	char mins[32];
	char *q;
	double d;

	if (v == NULL)
		return wrong(ld, key, "a duration such as 30s, 10m or 1h");
	if (config_parse_duration(v, &d) < 0) {
		q = msg_value(v, ld->ev.data.scalar.length);
		errorf(ld, ev_pos(ld),
		    "bad duration '%s' (use e.g. 30s, 10m, 1h, 1d)", q);
		free(q);
		return -1;
	}
	if (d < min) {
		format_duration(min, mins, sizeof(mins));
		errorf(ld, ev_pos(ld), "'%s' must be at least %s, not '%s'",
		    key, mins, v);
		return -1;
	}
	*out = d;
	return 0;
}

/* Parses "1048576", "512K", "16M", "1G" (K, M, G: powers of 1024). */
static int
parse_size(const char *s, long long *out)
{
	/*
	 * Saturates far above any limit (but low enough that cap * 1G cannot
	 * overflow), so a huge value is "out of range", not "bad size".
	 */
	const long long cap = 1LL << 32;
	long long n = 0;
	const char *p = s;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((n = n * 10 + (*p - '0')) > cap)
			n = cap;
	switch (*p) {
	case '\0':
		break;
	case 'K': case 'k': n *= 1024; p++; break;
	case 'M': case 'm': n *= 1024 * 1024; p++; break;
	case 'G': case 'g': n *= 1024 * 1024 * 1024; p++; break;
	default: return -1;
	}
	if (*p != '\0')
		return -1;
	*out = n;
	return 0;
}

static void
format_size(long long n, char *out, size_t size)
{
	if (n > 0 && n % (1024 * 1024 * 1024) == 0)
		snprintf(out, size, "%lldG", n / (1024 * 1024 * 1024));
	else if (n > 0 && n % (1024 * 1024) == 0)
		snprintf(out, size, "%lldM", n / (1024 * 1024));
	else if (n > 0 && n % 1024 == 0)
		snprintf(out, size, "%lldK", n / 1024);
	else
		snprintf(out, size, "%lld", n);
}

static int
read_size(struct loader *ld, const char *key, long long min, long long max,
    long long *out)
{
	const char *v = scalar_or_null(ld);
	char mins[32], maxs[32];
	long long n;
	char *q;

	if (v == NULL)
		return wrong(ld, key, "a size such as 512K or 16M");
	q = msg_value(v, ld->ev.data.scalar.length);
	if (parse_size(v, &n) < 0) {
		errorf(ld, ev_pos(ld),
		    "bad size '%s' (use e.g. 512K, 16M, 1G or a number of bytes)", q);
		free(q);
		return -1;
	}
	if (n < min || n > max) {
		format_size(min, mins, sizeof(mins));
		format_size(max, maxs, sizeof(maxs));
		errorf(ld, ev_pos(ld), "'%s' must be from %s to %s, not '%s'",
		    key, mins, maxs, q);
		free(q);
		return -1;
	}
	free(q);
	*out = n;
	return 0;
}

static int
read_kind(struct loader *ld, enum feed_kind *out)
{
	const char *v = scalar_or_null(ld);
	char *q;

	if (v == NULL)
		return wrong(ld, "kind", "agency, epaper, site or spool");
	for (size_t i = 0; i < ARRAY_LEN(kind_names); i++) {
		if (strcmp(v, kind_names[i]) == 0) {
			*out = (enum feed_kind)i;
			return 0;
		}
	}
	q = msg_value(v, ld->ev.data.scalar.length);
	errorf(ld, ev_pos(ld), "unknown kind '%s' (expected agency, epaper, site or spool)", q);
	free(q);
	return -1;
}

static int
read_log_level(struct loader *ld, char **out)
{
	const char *expect = "error, warning, notice, info or debug";
	const char *v = scalar_or_null(ld);
	char *q;

	if (v == NULL)
		return wrong(ld, "log_level", expect);
	if (log_level_parse(v) < 0) {
		q = msg_value(v, ld->ev.data.scalar.length);
		errorf(ld, ev_pos(ld), "unknown log_level '%s' (expected %s)", q, expect);
		free(q);
		return -1;
	}
	*out = xstrdup(v);
	return 0;
}

static int
read_timezone(struct loader *ld, char **out)
{
	struct pos at = ev_pos(ld);
	char *q;

	if (read_string(ld, "timezone", out) < 0)
		return -1;
	if (!date_tz_exists(*out)) {
		q = msg_value(*out, strlen(*out));
		errorf(ld, at, "unknown time zone '%s'", q);
		free(q);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int
read_url(struct loader *ld, char **out)
{
	struct pos at = ev_pos(ld);
	char *scheme, *q;

	if (read_string(ld, "url", out) < 0)
		return -1;
	/* NOTE: a template ({edition}, {date:...}) is checked with its kind. */
	if (url_is_http(*out) || template_has_placeholders(*out))
		return 0;
	scheme = url_scheme(*out);
	if (scheme != NULL && strcmp(scheme, "http") != 0 &&
	    strcmp(scheme, "https") != 0) {
		q = msg_value(scheme, strlen(scheme));
		errorf(ld, at, "bad URL scheme '%s' (only http and https are allowed)", q);
	} else {
		q = msg_value(*out, strlen(*out));
		errorf(ld, at, "bad URL '%s' (expected an absolute http or https URL)", q);
	}
	free(q);
	free(scheme);
	free(*out);
	*out = NULL;
	return -1;
}

/*
 * Moves to the next key of the current map.  Returns 1 with a malloc'd
 * *key, its position in *at, and the value's first event current; 0 with
 * the map's end current; -1 when the walk stops.  Keys that are not
 * scalars are reported and skipped together with their values.
 */
static int
map_next(struct loader *ld, char **key, struct pos *at)
{
	char *what;

	for (;;) {
		if (next(ld) < 0)
			return -1;
		if (ld->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		*at = ev_pos(ld);
		if (ld->ev.type == YAML_SCALAR_EVENT) {
			/*
			 * NOTE: the key is kept in its message form (escaped,
			 * cut short): no known key has control characters or
			 * is long, so matching is unaffected and an unknown
			 * key can be quoted as is.
			 */
			*key = msg_value(scalar_value(&ld->ev), ld->ev.data.scalar.length);
			if (next(ld) < 0) {
				free(*key);
				return -1;
			}
			return 1;
		}
		if (ld->ev.type != YAML_ALIAS_EVENT) {
			what = describe(&ld->ev);
			errorf(ld, *at, "keys must be strings, not %s", what);
			free(what);
		}
		if (skip_node(ld) < 0 || next(ld) < 0 || skip_node(ld) < 0)
			return -1;
	}
}

static int
key_lookup(const char *name)
{
	for (int k = 0; k < KEY_COUNT; k++)
		if (strcmp(keydefs[k].name, name) == 0)
			return k;
	return -1;
}

/*
 * Checks a key against those already seen in its map.  Returns 0 when it
 * is new (and records it), -1 after reporting a duplicate.
 */
static int
key_first(struct loader *ld, const char *key, int k, struct pos at,
    bool *seen, struct pos *seen_at)
{
	if (seen[k]) {
		errorf(ld, at, "duplicate key '%s' (first at %d:%d)", key,
		    seen_at[k].line, seen_at[k].col);
		return -1;
	}
	seen[k] = true;
	seen_at[k] = at;
	return 0;
}

static void
extract_free(struct extract_xpaths *x)
{
	free(x->body);
	free(x->title);
	free(x->byline);
	free(x->published);
	free(x->related);
	memset(x, 0, sizeof(*x));
}

static void
extract_copy(struct extract_xpaths *to, const struct extract_xpaths *from)
{
	to->body = xstrdup_or_null(from->body);
	to->title = xstrdup_or_null(from->title);
	to->byline = xstrdup_or_null(from->byline);
	to->published = xstrdup_or_null(from->published);
	to->related = xstrdup_or_null(from->related);
}

/* Silences libxml2 while an expression is compiled only to be checked. */
static void
xpath_quiet(void *ctx, const xmlError *err)
{
	(void)ctx;
	(void)err;
}

/*
 * Reads one XPath expression and compiles it, so that a typo is a config
 * error with its position rather than a silent miss on every page.
 */
static int
read_xpath(struct loader *ld, const char *prefix, const char *key, char **out)
{
	xmlXPathCompExprPtr comp;
	struct pos at = ev_pos(ld);
	char *v;

	if (read_string(ld, key, &v) < 0)
		return -1;
	xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)xpath_quiet);
	comp = xmlXPathCompile((const xmlChar *)v);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (comp == NULL) {
		char *q = msg_value(v, strlen(v));

		errorf(ld, at, "'%s%s' is not a valid XPath expression: '%s'", prefix, key, q);
		free(q);
		free(v);
		return -1;
	}
	xmlXPathFreeCompExpr(comp);
	*out = v;
	return 0;
}

/* Reads an `extract:` map of XPath expressions, its first event current. */
static int
read_extract(struct loader *ld, struct extract_xpaths *x)
{
	static const char *const names[] = { "body", "title", "byline", "published", "related" };
	char **slots[] = { &x->body, &x->title, &x->byline, &x->published, &x->related };
	bool seen[ARRAY_LEN(names)] = { false };
	struct pos seen_at[ARRAY_LEN(names)], at;
	char *key;
	int r, bad = 0;

	if (ld->ev.type != YAML_MAPPING_START_EVENT)
		return wrong(ld, "extract", "a map of XPath expressions (body, title, "
		    "byline, published, related)");
	while ((r = map_next(ld, &key, &at)) == 1) {
		size_t i;

		for (i = 0; i < ARRAY_LEN(names); i++)
			if (strcmp(names[i], key) == 0)
				break;
		if (i == ARRAY_LEN(names)) {
			errorf(ld, at, "unknown key '%s' in 'extract' (body, title, byline, "
			    "published, related)", key);
			bad = 1;
			skip_node(ld);
		} else if (seen[i]) {
			errorf(ld, at, "duplicate key '%s' (first at %d:%d)", key,
			    seen_at[i].line, seen_at[i].col);
			bad = 1;
			skip_node(ld);
		} else {
			seen[i] = true;
			seen_at[i] = at;
			if (read_xpath(ld, "extract.", names[i], slots[i]) < 0)
				bad = 1;
		}
		free(key);
	}
	if (r < 0)
		return -1;
	return bad ? -1 : 0;
}

static void
editions_free(struct feed_conf *c)
{
	for (size_t i = 0; i < c->neditions; i++)
		free(c->editions[i]);
	free(c->editions);
	free(c->follow);
	free(c->next);
	free(c->page_number);
	c->editions = NULL;
	c->neditions = 0;
	c->follow = c->next = c->page_number = NULL;
}

/* `editions:` a list of distinct names, its first event current. */
static int
read_editions(struct loader *ld, struct feed_conf *v)
{
	struct pos at;
	char *name, *q;
	int bad = 0;

	if (ld->ev.type != YAML_SEQUENCE_START_EVENT)
		return wrong(ld, "editions", "a list of edition names");
	at = ev_pos(ld);
	for (;;) {
		if (next(ld) < 0)
			return -1;
		if (ld->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (ld->ev.type != YAML_SCALAR_EVENT) {
			wrong(ld, "editions", "a list of edition names");
			bad = 1;
			continue;
		}
		at = ev_pos(ld);
		if (read_string(ld, "editions", &name) < 0) {
			bad = 1;
			continue;
		}
		for (size_t i = 0; i < v->neditions; i++) {
			if (strcmp(v->editions[i], name) == 0) {
				q = msg_value(name, strlen(name));
				errorf(ld, at, "duplicate edition '%s'", q);
				free(q);
				bad = 1;
			}
		}
		if (v->neditions == EPAPER_MAX_EDITIONS) {
			errorf(ld, at, "more than %d editions", EPAPER_MAX_EDITIONS);
			bad = 1;
		}
		if (bad) {
			free(name);
			continue;
		}
		v->editions = xreallocarray(v->editions, v->neditions + 1, sizeof(*v->editions));
		v->editions[v->neditions++] = name;
	}
	if (!bad && v->neditions == 0) {
		errorf(ld, at, "'editions' must name at least one edition");
		bad = 1;
	}
	if (bad) {
		for (size_t i = 0; i < v->neditions; i++)
			free(v->editions[i]);
		free(v->editions);
		v->editions = NULL;
		v->neditions = 0;
	}
	return bad ? -1 : 0;
}

static int
read_schedule(struct loader *ld, struct edition_schedule *out)
{
	const char *v = scalar_or_null(ld);
	char *q;

	if (v == NULL)
		return wrong(ld, "schedule", "a schedule such as 'daily 05:00'");
	if (schedule_parse(v, out) < 0) {
		q = msg_value(v, ld->ev.data.scalar.length);
		errorf(ld, ev_pos(ld), "unknown schedule '%s' (expected e.g. 'daily 05:00', "
		    "'mon-sat 06:30' or 'mon,wed,fri 05:00')", q);
		free(q);
		return -1;
	}
	return 0;
}

/* `backfill:` whole days, 0d to EPAPER_MAX_BACKFILL_DAYS. */
static int
read_backfill(struct loader *ld, int *out)
{
	const char *v = scalar_or_null(ld);
	struct pos at = ev_pos(ld);
	double d;
	char *q;

	if (read_duration(ld, "backfill", 0, &d) < 0)
		return -1;
	if (d != (double)((long long)d / 86400 * 86400) ||
	    d > EPAPER_MAX_BACKFILL_DAYS * 86400.0) {
		q = msg_value(v, strlen(v));
		errorf(ld, at, "'backfill' must be whole days from 0d to %dd, not '%s'",
		    EPAPER_MAX_BACKFILL_DAYS, q);
		free(q);
		return -1;
	}
	*out = (int)(d / 86400);
	return 0;
}

static void
settings_free(struct settings *s)
{
	free(s->v.name);
	free(s->v.url);
	free(s->v.path);
	free(s->v.timezone);
	free(s->v.agency);
	extract_free(&s->v.extract);
	editions_free(&s->v);
	memset(s, 0, sizeof(*s));
}

/* Reads the current value into s as key k; the value is then consumed. */
static void
read_setting(struct loader *ld, struct settings *s, enum key k)
{
	const char *name = keydefs[k].name;
	struct feed_conf *v = &s->v;
	struct pos at = ev_pos(ld);
	int rc;

	switch (k) {
	case KEY_NAME:
		rc = read_string(ld, name, &v->name);
		break;
	case KEY_URL:
		rc = read_url(ld, &v->url);
		break;
	case KEY_PATH:
		rc = read_string(ld, name, &v->path);
		break;
	case KEY_KIND:
		rc = read_kind(ld, &v->kind);
		break;
	case KEY_INTERVAL:
	case KEY_TIMEOUT:
	case KEY_CONNECT_TIMEOUT:
	case KEY_RETRY_MIN:
	case KEY_RETRY_MAX:
	case KEY_MIN_INTERVAL:
	case KEY_MAX_INTERVAL:
		rc = read_duration(ld, name, 1, k == KEY_INTERVAL ? &v->interval :
		    k == KEY_TIMEOUT ? &v->timeout :
		    k == KEY_CONNECT_TIMEOUT ? &v->connect_timeout :
		    k == KEY_RETRY_MIN ? &v->retry_min :
		    k == KEY_MIN_INTERVAL ? &v->min_interval :
		    k == KEY_MAX_INTERVAL ? &v->max_interval : &v->retry_max);
		break;
	case KEY_FETCH_ARTICLES:
		rc = read_bool(ld, name, &v->fetch_articles);
		break;
	case KEY_ENABLED:
		rc = read_bool(ld, name, &v->enabled);
		break;
	case KEY_ALLOW_PRIVATE:
		rc = read_bool(ld, name, &v->allow_private);
		break;
	case KEY_TIMEZONE:
		rc = read_timezone(ld, &v->timezone);
		break;
	case KEY_AGENCY:
		rc = read_string(ld, name, &v->agency);
		break;
	case KEY_MAX_BYTES:
		rc = read_size(ld, name, 1024, LIMIT_RESPONSE_BYTES_MAX,
		    &v->max_bytes);
		break;
	case KEY_ROBOTS:
		rc = read_bool(ld, name, &v->robots);
		break;
	case KEY_KEEP_HTML:
		rc = read_bool(ld, name, &v->keep_html);
		break;
	case KEY_PAGE_BUDGET:
		rc = read_int(ld, name, 0, 100000, &v->page_budget);
		break;
	case KEY_PAGE_RETRIES:
		rc = read_int(ld, name, 1, 100, &v->page_retries);
		break;
	case KEY_EXTRACT:
		rc = read_extract(ld, &v->extract);
		break;
	case KEY_EDITIONS:
		rc = read_editions(ld, v);
		break;
	case KEY_SCHEDULE:
		rc = read_schedule(ld, &v->schedule);
		break;
	case KEY_BACKFILL:
		rc = read_backfill(ld, &v->backfill);
		break;
	case KEY_FOLLOW:
		rc = read_xpath(ld, "", name, &v->follow);
		break;
	case KEY_NEXT:
		rc = read_xpath(ld, "", name, &v->next);
		break;
	case KEY_PAGE_NUMBER:
		rc = read_xpath(ld, "", name, &v->page_number);
		break;
	case KEY_EDITION_BUDGET:
		rc = read_int(ld, name, 1, EPAPER_MAX_BUDGET, &v->edition_budget);
		break;
	default:
		fatalx("read_setting: key %d", (int)k);
	}
	if (rc == 0) {
		s->set |= KEY_BIT(k);
		s->at[k] = at;
	}
}

/*
 * Reads a map of feed settings (a feed when is_feed, else `defaults`) with
 * its MAPPING_START current.  Returns 0 with its end current, -1 when the
 * walk stops.
 */
static int
read_settings_map(struct loader *ld, struct settings *s, bool is_feed)
{
	bool seen[KEY_COUNT] = { false };
	struct pos seen_at[KEY_COUNT], at;
	char *key;
	int k, r;

	s->start = ev_pos(ld);
	s->v.line = s->start.line;
	s->v.column = s->start.col;
	while ((r = map_next(ld, &key, &at)) == 1) {
		k = key_lookup(key);
		if (k < 0)
			errorf(ld, at, "unknown key '%s'", key);
		else if (keydefs[k].scope == SCOPE_TOP)
			errorf(ld, at, "unknown key '%s' (it belongs at the top level)", key);
		else if (keydefs[k].scope == SCOPE_FEED && !is_feed)
			errorf(ld, at, "'%s' is allowed only in a feed, not in 'defaults'", key);
		else if (key_first(ld, key, k, at, seen, seen_at) == 0) {
			free(key);
			read_setting(ld, s, (enum key)k);
			continue;
		}
		free(key);
		skip_node(ld);
	}
	if (r < 0)
		return -1;
	/*
	 * NOTE: whether 'url' or 'path' is required depends on the kind,
	 * which `defaults` may give further down the file: check_kind_keys.
	 */
	for (k = 0; k < KEY_COUNT; k++)
		if (seen[k])
			s->given |= KEY_BIT(k);
	if (is_feed && !seen[KEY_NAME])
		errorf(ld, s->start, "missing required key 'name'");
	return 0;
}

/* `retention:` {bodies: DURATION, articles: DURATION}, its first event current. */
static int
read_retention(struct loader *ld, struct config *cfg)
{
	bool seen[2] = { false };
	struct pos seen_at[2], at;
	char *key;
	int r, i;

	if (ld->ev.type != YAML_MAPPING_START_EVENT)
		return wrong(ld, "retention", "a map with 'bodies' and/or 'articles'");
	while ((r = map_next(ld, &key, &at)) == 1) {
		i = strcmp(key, "bodies") == 0 ? 0 : strcmp(key, "articles") == 0 ? 1 : -1;
		if (i < 0) {
			errorf(ld, at, "unknown key '%s' in 'retention' (bodies, articles)", key);
			skip_node(ld);
		} else if (seen[i]) {
			errorf(ld, at, "duplicate key '%s' (first at %d:%d)", key,
			    seen_at[i].line, seen_at[i].col);
			skip_node(ld);
		} else {
			seen[i] = true;
			seen_at[i] = at;
			read_duration(ld, i == 0 ? "bodies" : "articles", 86400,
			    i == 0 ? &cfg->retention_bodies : &cfg->retention_articles);
		}
		free(key);
	}
	return r < 0 ? -1 : 0;
}

static int
read_defaults(struct loader *ld)
{
	if (ld->ev.type == YAML_SCALAR_EVENT && scalar_null(&ld->ev))
		return 0;       /* `defaults:` with nothing under it */
	if (ld->ev.type != YAML_MAPPING_START_EVENT)
		return wrong(ld, "defaults", "a map of feed settings");
	return read_settings_map(ld, &ld->defaults, false);
}

static int
read_feeds(struct loader *ld)
{
	struct settings s;
	char *what;

	if (ld->ev.type == YAML_SCALAR_EVENT && scalar_null(&ld->ev))
		return 0;       /* `feeds:` with nothing under it: idle */
	if (ld->ev.type != YAML_SEQUENCE_START_EVENT)
		return wrong(ld, "feeds", "a list of feeds");
	for (;;) {
		if (next(ld) < 0)
			return -1;
		if (ld->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (ld->ev.type != YAML_MAPPING_START_EVENT) {
			if (ld->ev.type != YAML_ALIAS_EVENT) {
				what = describe(&ld->ev);
				errorf(ld, ev_pos(ld),
				    "each feed must be a map with 'name' and 'url', not %s",
				    what);
				free(what);
			}
			if (skip_node(ld) < 0)
				return -1;
			continue;
		}
		memset(&s, 0, sizeof(s));
		if (read_settings_map(ld, &s, true) < 0) {
			settings_free(&s);
			return -1;
		}
		if (ld->nfeeds == ld->capfeeds) {
			ld->capfeeds = ld->capfeeds ? ld->capfeeds * 2 : 16;
			ld->feeds = xreallocarray(ld->feeds, ld->capfeeds,
			    sizeof(*ld->feeds));
		}
		ld->feeds[ld->nfeeds++] = s;
	}
}

/* Reads the top-level map, its MAPPING_START current. */
static int
read_top(struct loader *ld)
{
	struct config *cfg = ld->cfg;
	bool seen[KEY_COUNT] = { false };
	struct pos seen_at[KEY_COUNT], at, start = ev_pos(ld);
	char *key, *s;
	int k, r;

	while ((r = map_next(ld, &key, &at)) == 1) {
		k = key_lookup(key);
		if (k >= 0 && keydefs[k].scope != SCOPE_TOP) {
			errorf(ld, at, "unknown key '%s' (feed settings belong in "
			    "'defaults' or in a feed)", key);
			k = -1;
		} else if (k < 0)
			errorf(ld, at, "unknown key '%s'", key);
		else if (key_first(ld, key, k, at, seen, seen_at) < 0)
			k = -1;
		free(key);
		switch (k) {
		case KEY_DATABASE:
			ld->database_at = ev_pos(ld);
			read_string(ld, "database", &cfg->database);
			break;
		case KEY_USER_AGENT:
			if (read_string(ld, "user_agent", &s) == 0) {
				free(cfg->user_agent);
				cfg->user_agent = s;
			}
			break;
		case KEY_MAX_CONNECTIONS:
			read_int(ld, "max_connections", 1, 1024, &cfg->max_connections);
			break;
		case KEY_MAX_HOST_CONNECTIONS:
			read_int(ld, "max_host_connections", 1, 64,
			    &cfg->max_host_connections);
			break;
		case KEY_LOG_LEVEL:
			if (read_log_level(ld, &s) == 0) {
				free(cfg->log_level);
				cfg->log_level = s;
			}
			break;
		case KEY_PAGE_HOST_CONNECTIONS:
			read_int(ld, "page_host_connections", 1, 16,
			    &cfg->page_host_connections);
			break;
		case KEY_PAGE_DELAY:
			read_duration(ld, "page_delay", 0, &cfg->page_delay);
			break;
		case KEY_DATA_DIR:
			ld->data_dir_at = ev_pos(ld);
			if (read_string(ld, "data_dir", &s) == 0) {
				free(cfg->data_dir);
				cfg->data_dir = s;
			}
			break;
		case KEY_METRICS_FILE:
			ld->metrics_at = ev_pos(ld);
			if (read_string(ld, "metrics_file", &s) == 0) {
				free(cfg->metrics_file);
				cfg->metrics_file = s;
			}
			break;
		case KEY_RETENTION:
			read_retention(ld, cfg);
			break;
		case KEY_DEFAULTS:
			read_defaults(ld);
			break;
		case KEY_FEEDS:
			read_feeds(ld);
			break;
		default:
			skip_node(ld);
			break;
		}
		if (ld->stopped)
			return -1;
	}
	if (r < 0)
		return -1;
	if (!seen[KEY_DATABASE])
		errorf(ld, start, "missing required key 'database'");
	return 0;
}

static void
read_stream(struct loader *ld)
{
	char *what;

	if (next(ld) < 0 || next(ld) < 0)       /* stream start, document */
		return;
	if (ld->ev.type == YAML_STREAM_END_EVENT) {
		errorf(ld, (struct pos){ 1, 1 }, "the top level must be a map, not empty");
		return;
	}
	if (next(ld) < 0)
		return;
	if (ld->ev.type == YAML_MAPPING_START_EVENT) {
		if (read_top(ld) < 0)
			return;
	} else {
		if (ld->ev.type != YAML_ALIAS_EVENT) {
			what = describe(&ld->ev);
			errorf(ld, ev_pos(ld), "the top level must be a map, not %s", what);
			free(what);
		}
		if (skip_node(ld) < 0)
			return;
	}
	if (next(ld) < 0 || next(ld) < 0)       /* document end, then? */
		return;
	/*
	 * NOTE: libyaml announces the next document before parsing any of
	 * it, so a second document is refused without being read at all.
	 */
	if (ld->ev.type == YAML_DOCUMENT_START_EVENT)
		errorf(ld, ev_pos(ld), "multiple documents are not allowed");
}

/* The folder relative database paths resolve against; malloc'd. */
static char *
config_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *cwd, *dir;

	if (path[0] == '/')
		return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return NULL;
	if (slash == NULL)
		return cwd;
	dir = xasprintf("%s%s%.*s", cwd, strcmp(cwd, "/") == 0 ? "" : "/",
	    (int)(slash - path), path);
	free(cwd);
	return dir;
}

static char *
path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return xasprintf("%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name);
}

/* Reports a retry_max below retry_min among the values s itself sets. */
static void
check_retry(struct loader *ld, const struct settings *s, double min, double max)
{
	char mins[32], maxs[32];
	struct pos at;

	if (max >= min)
		return;
	if (s->set & KEY_BIT(KEY_RETRY_MAX))
		at = s->at[KEY_RETRY_MAX];
	else if (s->set & KEY_BIT(KEY_RETRY_MIN))
		at = s->at[KEY_RETRY_MIN];
	else
		return;         /* inherited: reported where it was set */
	format_duration(min, mins, sizeof(mins));
	format_duration(max, maxs, sizeof(maxs));
	errorf(ld, at, "'retry_max' (%s) must not be less than 'retry_min' (%s)",
	    maxs, mins);
}

static int
settings_cmp_name(const void *a, const void *b)
{
	const struct settings *x = *(const struct settings *const *)a;
	const struct settings *y = *(const struct settings *const *)b;
	int c = strcmp(x->v.name, y->v.name);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Reports every feed whose name an earlier feed already has. */
static void
check_names(struct loader *ld)
{
	struct settings **idx = xcalloc(ld->nfeeds, sizeof(*idx));
	size_t n = 0, i, first = 0;
	char *q;

	for (i = 0; i < ld->nfeeds; i++)
		if (ld->feeds[i].v.name != NULL)
			idx[n++] = &ld->feeds[i];
	if (n > 1)
		qsort(idx, n, sizeof(*idx), settings_cmp_name);
	for (i = 1; i < n; i++) {
		if (strcmp(idx[i]->v.name, idx[first]->v.name) != 0) {
			first = i;
			continue;
		}
		q = msg_value(idx[i]->v.name, strlen(idx[i]->v.name));
		errorf(ld, idx[i]->at[KEY_NAME],
		    "duplicate feed name '%s' (first at %d:%d)", q,
		    idx[first]->at[KEY_NAME].line, idx[first]->at[KEY_NAME].col);
		free(q);
	}
	free(idx);
}

/*
 * Adaptive polling bounds: given ones win; otherwise a quarter and four
 * times the interval (never below a second).
 */
static double
pick_min_interval(const struct settings *f, const struct settings *d, double interval)
{
	if (f->set & KEY_BIT(KEY_MIN_INTERVAL))
		return f->v.min_interval;
	if (d->set & KEY_BIT(KEY_MIN_INTERVAL))
		return d->v.min_interval;
	return interval / 4 >= 1 ? (double)(long long)(interval / 4) : 1;
}

static double
pick_max_interval(const struct settings *f, const struct settings *d, double interval)
{
	if (f->set & KEY_BIT(KEY_MAX_INTERVAL))
		return f->v.max_interval;
	if (d->set & KEY_BIT(KEY_MAX_INTERVAL))
		return d->v.max_interval;
	return interval * 4;
}

#define PICK(f, d, key, field) \
	((f)->set & KEY_BIT(key) ? (f)->v.field : \
	 (d)->set & KEY_BIT(key) ? (d)->v.field : builtin_feed.field)

/*
 * Reports a feed whose resolved min_interval > interval or max_interval <
 * interval: at the feed's own key when it sets one, else at the feed.
 */
static void
check_intervals(struct loader *ld, const struct settings *f, const struct settings *d)
{
	double iv = PICK(f, d, KEY_INTERVAL, interval);
	double lo = pick_min_interval(f, d, iv), hi = pick_max_interval(f, d, iv);
	char a[32], b[32];
	struct pos at;

	if (lo > iv) {
		format_duration(lo, a, sizeof(a));
		format_duration(iv, b, sizeof(b));
		at = f->set & KEY_BIT(KEY_MIN_INTERVAL) ? f->at[KEY_MIN_INTERVAL] :
		    f->set & KEY_BIT(KEY_INTERVAL) ? f->at[KEY_INTERVAL] : f->start;
		errorf(ld, at, "'min_interval' (%s) must not be more than 'interval' (%s)",
		    a, b);
	}
	if (hi < iv) {
		format_duration(hi, a, sizeof(a));
		format_duration(iv, b, sizeof(b));
		at = f->set & KEY_BIT(KEY_MAX_INTERVAL) ? f->at[KEY_MAX_INTERVAL] :
		    f->set & KEY_BIT(KEY_INTERVAL) ? f->at[KEY_INTERVAL] : f->start;
		errorf(ld, at, "'max_interval' (%s) must not be less than 'interval' (%s)",
		    a, b);
	}
}

/*
 * The e-paper keys: refused in a feed of another kind (`defaults` may
 * give them to every e-paper feed); an e-paper feed that uses any of
 * them, or placeholders in its url, is read as editions and needs
 * `follow`; its url must then be a valid template, with {edition}
 * exactly when it names editions.
 */
static void
check_epaper_keys(struct loader *ld, const struct settings *f, const struct settings *d,
    enum feed_kind kind)
{
	const struct settings *ed;
	char err[256];
	int own = 0, has_edition;

	for (size_t i = 0; i < ARRAY_LEN(epaper_keys); i++) {
		if (!(f->set & KEY_BIT(epaper_keys[i])))
			continue;
		own = 1;
		if (kind != FEED_KIND_EPAPER)
			errorf(ld, f->at[epaper_keys[i]], "'%s' applies only to kind epaper",
			    keydefs[epaper_keys[i]].name);
	}
	if (!(f->set & KEY_BIT(KEY_URL)) || !template_has_placeholders(f->v.url))
		;
	else if (kind != FEED_KIND_EPAPER) {
		errorf(ld, f->at[KEY_URL], "placeholders in 'url' ({edition}, {date:...}) "
		    "apply only to kind epaper");
		return;
	} else
		own = 1;
	if (kind != FEED_KIND_EPAPER)
		return;
	if (PICK(f, d, KEY_FOLLOW, follow) == NULL) {
		if (own && !((f->given | d->given) & KEY_BIT(KEY_FOLLOW)))
			errorf(ld, f->start, "missing required key 'follow' (the XPath of the "
			    "article links on an e-paper index page)");
		return;
	}
	if ((f->set & KEY_BIT(KEY_FETCH_ARTICLES)) && !f->v.fetch_articles)
		errorf(ld, f->at[KEY_FETCH_ARTICLES], "an e-paper feed read as editions always "
		    "fetches its articles ('fetch_articles: false' does not apply)");
	if (!(f->set & KEY_BIT(KEY_URL)))
		return;
	if (template_check(f->v.url, &has_edition, err, sizeof(err)) < 0) {
		errorf(ld, f->at[KEY_URL], "bad url template: %s", err);
		return;
	}
	ed = f->set & KEY_BIT(KEY_EDITIONS) ? f : d->set & KEY_BIT(KEY_EDITIONS) ? d : NULL;
	if (has_edition && ed == NULL && !((f->given | d->given) & KEY_BIT(KEY_EDITIONS)))
		errorf(ld, f->start, "missing required key 'editions' (the url has {edition})");
	else if (!has_edition && ed != NULL)
		errorf(ld, ed == f ? f->at[KEY_EDITIONS] : f->at[KEY_URL], "'editions' given but "
		    "'url' has no {edition} placeholder");
}

/*
 * Reports what the feed's kind requires or refuses: a spool reads a
 * folder ('path'), every other kind a URL.
 */
static void
check_kind_keys(struct loader *ld, const struct settings *f, const struct settings *d)
{
	enum feed_kind kind = PICK(f, d, KEY_KIND, kind);

	if (kind == FEED_KIND_SPOOL) {
		if (f->set & KEY_BIT(KEY_URL))
			errorf(ld, f->at[KEY_URL], "'url' does not apply to kind spool "
			    "(it reads the folder given by 'path')");
		if (!(f->given & KEY_BIT(KEY_PATH)))
			errorf(ld, f->start, "missing required key 'path' (the folder a "
			    "spool reads)");
	} else {
		if (f->set & KEY_BIT(KEY_PATH))
			errorf(ld, f->at[KEY_PATH], "'path' applies only to kind spool");
		if (!(f->given & KEY_BIT(KEY_URL)))
			errorf(ld, f->start, "missing required key 'url'");
	}
	check_epaper_keys(ld, f, d, kind);
}

/* Checks what needs every value read: names, kinds, retry bounds. */
static void
check_resolved(struct loader *ld)
{
	const struct settings *d = &ld->defaults, *f;

	check_names(ld);
	check_retry(ld, d, PICK(d, d, KEY_RETRY_MIN, retry_min),
	    PICK(d, d, KEY_RETRY_MAX, retry_max));
	for (size_t i = 0; i < ld->nfeeds; i++) {
		f = &ld->feeds[i];
		check_kind_keys(ld, f, d);
		check_retry(ld, f, PICK(f, d, KEY_RETRY_MIN, retry_min),
		    PICK(f, d, KEY_RETRY_MAX, retry_max));
		check_intervals(ld, f, d);
	}
}

/* Moves the feeds into ld->cfg with every setting resolved. */
static void
resolve_feeds(struct loader *ld)
{
	const struct settings *d = &ld->defaults;
	struct config *cfg = ld->cfg;

	cfg->feeds = xcalloc(ld->nfeeds, sizeof(*cfg->feeds));
	for (size_t i = 0; i < ld->nfeeds; i++) {
		struct settings *f = &ld->feeds[i];
		struct feed_conf *c = &cfg->feeds[i];

		c->name = f->v.name;
		c->url = f->v.url;
		c->path = f->v.path;
		f->v.name = f->v.url = f->v.path = NULL;
		c->kind = PICK(f, d, KEY_KIND, kind);
		if (c->kind == FEED_KIND_SPOOL)
			c->url = xasprintf("file://%s", c->path);
		c->interval = PICK(f, d, KEY_INTERVAL, interval);
		c->min_interval = pick_min_interval(f, d, c->interval);
		c->max_interval = pick_max_interval(f, d, c->interval);
		c->timeout = PICK(f, d, KEY_TIMEOUT, timeout);
		c->connect_timeout = PICK(f, d, KEY_CONNECT_TIMEOUT, connect_timeout);
		c->fetch_articles = PICK(f, d, KEY_FETCH_ARTICLES, fetch_articles);
		c->timezone = xstrdup(PICK(f, d, KEY_TIMEZONE, timezone));
		c->agency = xstrdup_or_null(PICK(f, d, KEY_AGENCY, agency));
		c->enabled = PICK(f, d, KEY_ENABLED, enabled);
		c->allow_private = PICK(f, d, KEY_ALLOW_PRIVATE, allow_private);
		c->max_bytes = PICK(f, d, KEY_MAX_BYTES, max_bytes);
		c->retry_min = PICK(f, d, KEY_RETRY_MIN, retry_min);
		c->retry_max = PICK(f, d, KEY_RETRY_MAX, retry_max);
		c->robots = PICK(f, d, KEY_ROBOTS, robots);
		c->keep_html = PICK(f, d, KEY_KEEP_HTML, keep_html);
		c->page_budget = PICK(f, d, KEY_PAGE_BUDGET, page_budget);
		c->page_retries = PICK(f, d, KEY_PAGE_RETRIES, page_retries);
		extract_copy(&c->extract, f->set & KEY_BIT(KEY_EXTRACT) ? &f->v.extract :
		    d->set & KEY_BIT(KEY_EXTRACT) ? &d->v.extract : &builtin_feed.extract);
		if (c->kind == FEED_KIND_EPAPER &&
		    (c->follow = xstrdup_or_null(PICK(f, d, KEY_FOLLOW, follow))) != NULL) {
			const struct settings *ed = f->set & KEY_BIT(KEY_EDITIONS) ? f :
			    d->set & KEY_BIT(KEY_EDITIONS) ? d : NULL;

			c->fetch_articles = true;
			c->next = xstrdup_or_null(PICK(f, d, KEY_NEXT, next));
			c->page_number = xstrdup_or_null(PICK(f, d, KEY_PAGE_NUMBER, page_number));
			c->schedule = PICK(f, d, KEY_SCHEDULE, schedule);
			c->backfill = PICK(f, d, KEY_BACKFILL, backfill);
			c->edition_budget = PICK(f, d, KEY_EDITION_BUDGET, edition_budget);
			if (ed != NULL) {
				c->editions = xcalloc(ed->v.neditions, sizeof(*c->editions));
				for (size_t k = 0; k < ed->v.neditions; k++)
					c->editions[k] = xstrdup(ed->v.editions[k]);
				c->neditions = ed->v.neditions;
			}
		}
		c->line = f->v.line;
		c->column = f->v.column;
	}
	cfg->nfeeds = ld->nfeeds;
}

/* Makes a spool's relative 'path' absolute: relative to the config's folder. */
static void
resolve_path(struct loader *ld, struct settings *f)
{
	char *dir, *abs;

	if (f->v.path == NULL || f->v.path[0] == '/')
		return;
	if ((dir = config_dir(ld->path)) == NULL) {
		errorf(ld, f->at[KEY_PATH], "cannot resolve '%s' against the current "
		    "folder: %s", f->v.path, strerror(errno));
		return;
	}
	abs = path_join(dir, f->v.path);
	free(dir);
	free(f->v.path);
	f->v.path = abs;
}

/* Reads path whole into ld->text.  Returns 0, or -1 after reporting. */
static int
read_file(struct loader *ld)
{
	FILE *f = fopen(ld->path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		errorf(ld, (struct pos){ 0, 0 }, "cannot open: %s", strerror(errno));
		return -1;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > CONFIG_MAX_BYTES) {
			errorf(ld, (struct pos){ 0, 0 }, "larger than %d MiB",
			    CONFIG_MAX_BYTES / (1024 * 1024));
			break;
		}
		buf_append(&b, chunk, n);
	}
	if (ferror(f))
		errorf(ld, (struct pos){ 0, 0 }, "cannot read: %s", strerror(errno));
	fclose(f);
	ld->len = b.len;
	ld->file = buf_steal(&b);
	ld->text = ld->file;
	/*
	 * NOTE: libyaml, told the encoding is UTF-8, takes a UTF-8 byte order
	 * mark for content; skip it here.  Positions do not count it either.
	 */
	if (ld->len >= 3 && memcmp(ld->text, "\xEF\xBB\xBF", 3) == 0) {
		ld->text += 3;
		ld->len -= 3;
	}
	return ld->nerrs > 0 ? -1 : 0;
}

static int
error_cmp(const void *a, const void *b)
{
	const struct error *x = a, *y = b;

	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	if (x->at.col != y->at.col)
		return x->at.col < y->at.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Hands the errors over in file order, each "FILE:LINE:COL: message". */
static void
emit_errors(struct loader *ld, struct strlist *errors)
{
	if (ld->nerrs > 0)
		qsort(ld->errs, ld->nerrs, sizeof(*ld->errs), error_cmp);
	for (size_t i = 0; i < ld->nerrs; i++) {
		struct error *e = &ld->errs[i];

		if (errors == NULL)
			;
		else if (e->at.line == 0)
			strlist_pushf(errors, "%s: %s", ld->path, e->msg);
		else
			strlist_pushf(errors, "%s:%d:%d: %s", ld->path, e->at.line,
			    e->at.col, e->msg);
		free(e->msg);
	}
	if (ld->too_many && errors != NULL)
		strlist_pushf(errors, "%s: too many errors, stopped after %d",
		    ld->path, CONFIG_MAX_ERRORS);
	free(ld->errs);
	ld->errs = NULL;
	ld->nerrs = 0;
}

struct config *
config_load(const char *path, struct strlist *errors)
{
	struct loader ld;
	struct config *cfg = NULL;
	char *dir;

	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.cfg = xcalloc(1, sizeof(*ld.cfg));
	ld.cfg->path = xstrdup(path);
	ld.cfg->user_agent = xstrdup(DEFAULT_USER_AGENT);
	ld.cfg->max_connections = 16;
	ld.cfg->max_host_connections = 2;
	ld.cfg->log_level = xstrdup("info");
	ld.cfg->page_host_connections = 1;
	ld.cfg->page_delay = 1;

	if (read_file(&ld) == 0) {
		if (!yaml_parser_initialize(&ld.parser))
			fatalx("libyaml: cannot initialise the parser");
		yaml_parser_set_input_string(&ld.parser,
		    (const unsigned char *)ld.text, ld.len);
		yaml_parser_set_encoding(&ld.parser, YAML_UTF8_ENCODING);
		read_stream(&ld);
		if (ld.have_ev)
			yaml_event_delete(&ld.ev);
		yaml_parser_delete(&ld.parser);
		check_resolved(&ld);
	}
	if (ld.nerrs == 0 && ld.cfg->metrics_file != NULL && ld.cfg->metrics_file[0] != '/') {
		if ((dir = config_dir(path)) == NULL)
			errorf(&ld, ld.metrics_at, "cannot resolve '%s' against the "
			    "current folder: %s", ld.cfg->metrics_file, strerror(errno));
		else {
			char *m = path_join(dir, ld.cfg->metrics_file);

			free(ld.cfg->metrics_file);
			ld.cfg->metrics_file = m;
			free(dir);
		}
	}
	if (ld.nerrs == 0 && ld.cfg->data_dir != NULL && ld.cfg->data_dir[0] != '/') {
		if ((dir = config_dir(path)) == NULL)
			errorf(&ld, ld.data_dir_at, "cannot resolve '%s' against the "
			    "current folder: %s", ld.cfg->data_dir, strerror(errno));
		else {
			char *dd = path_join(dir, ld.cfg->data_dir);

			free(ld.cfg->data_dir);
			ld.cfg->data_dir = dd;
			free(dir);
		}
	}
	if (ld.nerrs == 0) {
		if (ld.cfg->database[0] != '/') {
			if ((dir = config_dir(path)) == NULL)
				errorf(&ld, ld.database_at, "cannot resolve '%s' "
				    "against the current folder: %s",
				    ld.cfg->database, strerror(errno));
			else {
				char *db = path_join(dir, ld.cfg->database);

				free(ld.cfg->database);
				ld.cfg->database = db;
				free(dir);
			}
		}
	}
	for (size_t i = 0; ld.nerrs == 0 && i < ld.nfeeds; i++)
		resolve_path(&ld, &ld.feeds[i]);
	if (ld.nerrs == 0) {
		resolve_feeds(&ld);
		cfg = ld.cfg;
		ld.cfg = NULL;
	}
	emit_errors(&ld, errors);
	config_free(ld.cfg);
	settings_free(&ld.defaults);
	for (size_t i = 0; i < ld.nfeeds; i++)
		settings_free(&ld.feeds[i]);
	free(ld.feeds);
	free(ld.file);
	return cfg;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->nfeeds; i++) {
		free(cfg->feeds[i].name);
		free(cfg->feeds[i].url);
		free(cfg->feeds[i].path);
		free(cfg->feeds[i].timezone);
		free(cfg->feeds[i].agency);
		extract_free(&cfg->feeds[i].extract);
		editions_free(&cfg->feeds[i]);
	}
	free(cfg->feeds);
	free(cfg->data_dir);
	free(cfg->metrics_file);
	free(cfg->path);
	free(cfg->database);
	free(cfg->user_agent);
	free(cfg->log_level);
	free(cfg);
}

const struct feed_conf *
config_feed(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nfeeds; i++)
		if (strcmp(cfg->feeds[i].name, name) == 0)
			return &cfg->feeds[i];
	return NULL;
}

const char *
feed_kind_name(enum feed_kind k)
{
	if ((size_t)k < ARRAY_LEN(kind_names))
		return kind_names[k];
	return "unknown";
}

/*
 * Writes s as a YAML double-quoted scalar.  Everything libyaml would fold
 * or refuse is escaped (C0, DEL, C1, NEL, LS, PS, BOM), so any string
 * reads back byte for byte.
 */
static void
put_quoted(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	buf_putc(out, '"');
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f)
			buf_printf(out, "\\x%02x", *p);
		else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			buf_printf(out, "\\x%02x", p[1]);
			p++;
		} else if (p[0] == 0xE2 && p[1] == 0x80 &&
		    (p[2] == 0xA8 || p[2] == 0xA9)) {
			buf_puts(out, p[2] == 0xA8 ? "\\L" : "\\P");
			p += 2;
		} else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			buf_puts(out, "\\uFEFF");
			p += 2;
		} else
			buf_putc(out, (char)*p);
	}
	buf_putc(out, '"');
}

/*
 * The database path as written by config_write: relative to the config's
 * folder when it lies inside it, so that the output, saved next to the
 * original, reads back to the same path (and golden files do not depend
 * on where the tree is checked out).
 */
static void
put_relative(struct buf *out, const struct config *cfg, const char *db)
{
	char *dir = config_dir(cfg->path);
	size_t n;

	if (dir != NULL) {
		n = strlen(dir);
		if (n > 0 && dir[n - 1] == '/')
			n--;
		if (strncmp(db, dir, n) == 0 && db[n] == '/' && db[n + 1] != '\0')
			db += n + 1;
		free(dir);
	}
	put_quoted(out, db);
}

static void
put_extract(struct buf *out, const struct extract_xpaths *x)
{
	static const char *const names[] = { "body", "title", "byline", "published", "related" };
	const char *vals[] = { x->body, x->title, x->byline, x->published, x->related };
	int any = 0;

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		if (vals[i] == NULL)
			continue;
		if (!any++)
			buf_puts(out, "    extract:\n");
		buf_printf(out, "      %s: ", names[i]);
		put_quoted(out, vals[i]);
		buf_putc(out, '\n');
	}
}

static void
put_epaper(struct buf *out, const struct feed_conf *f)
{
	char s[64];

	if (f->neditions > 0) {
		buf_puts(out, "    editions: [");
		for (size_t i = 0; i < f->neditions; i++) {
			if (i > 0)
				buf_puts(out, ", ");
			put_quoted(out, f->editions[i]);
		}
		buf_puts(out, "]\n");
	}
	schedule_format(&f->schedule, s, sizeof(s));
	buf_printf(out, "    schedule: \"%s\"\n", s);
	buf_printf(out, "    backfill: %dd\n", f->backfill);
	buf_puts(out, "    follow: ");
	put_quoted(out, f->follow);
	buf_putc(out, '\n');
	if (f->next != NULL) {
		buf_puts(out, "    next: ");
		put_quoted(out, f->next);
		buf_putc(out, '\n');
	}
	if (f->page_number != NULL) {
		buf_puts(out, "    page_number: ");
		put_quoted(out, f->page_number);
		buf_putc(out, '\n');
	}
	buf_printf(out, "    edition_budget: %d\n", f->edition_budget);
}

void
config_write(const struct config *cfg, struct buf *out)
{
	char d[32];

	buf_puts(out, "database: ");
	put_relative(out, cfg, cfg->database);
	buf_puts(out, "\nuser_agent: ");
	put_quoted(out, cfg->user_agent);
	buf_printf(out, "\nmax_connections: %d\n", cfg->max_connections);
	buf_printf(out, "max_host_connections: %d\n", cfg->max_host_connections);
	buf_printf(out, "log_level: %s\n", cfg->log_level);
	buf_printf(out, "page_host_connections: %d\n", cfg->page_host_connections);
	format_duration(cfg->page_delay, d, sizeof(d));
	buf_printf(out, "page_delay: %s\n", d);
	if (cfg->data_dir != NULL) {
		buf_puts(out, "data_dir: ");
		put_relative(out, cfg, cfg->data_dir);
		buf_putc(out, '\n');
	}
	if (cfg->metrics_file != NULL) {
		buf_puts(out, "metrics_file: ");
		put_relative(out, cfg, cfg->metrics_file);
		buf_putc(out, '\n');
	}
	if (cfg->retention_bodies > 0 || cfg->retention_articles > 0) {
		buf_puts(out, "retention:\n");
		if (cfg->retention_bodies > 0) {
			format_duration(cfg->retention_bodies, d, sizeof(d));
			buf_printf(out, "  bodies: %s\n", d);
		}
		if (cfg->retention_articles > 0) {
			format_duration(cfg->retention_articles, d, sizeof(d));
			buf_printf(out, "  articles: %s\n", d);
		}
	}
	if (cfg->nfeeds == 0) {
		buf_puts(out, "feeds: []\n");
		return;
	}
	buf_puts(out, "feeds:\n");
	for (size_t i = 0; i < cfg->nfeeds; i++) {
		const struct feed_conf *f = &cfg->feeds[i];

		buf_puts(out, "  - name: ");
		put_quoted(out, f->name);
		if (f->kind == FEED_KIND_SPOOL) {
			buf_puts(out, "\n    path: ");
			put_relative(out, cfg, f->path);
		} else {
			buf_puts(out, "\n    url: ");
			put_quoted(out, f->url);
		}
		buf_printf(out, "\n    kind: %s\n", feed_kind_name(f->kind));
		format_duration(f->interval, d, sizeof(d));
		buf_printf(out, "    interval: %s\n", d);
		format_duration(f->min_interval, d, sizeof(d));
		buf_printf(out, "    min_interval: %s\n", d);
		format_duration(f->max_interval, d, sizeof(d));
		buf_printf(out, "    max_interval: %s\n", d);
		format_duration(f->timeout, d, sizeof(d));
		buf_printf(out, "    timeout: %s\n", d);
		format_duration(f->connect_timeout, d, sizeof(d));
		buf_printf(out, "    connect_timeout: %s\n", d);
		buf_printf(out, "    fetch_articles: %s\n",
		    f->fetch_articles ? "true" : "false");
		buf_puts(out, "    timezone: ");
		put_quoted(out, f->timezone);
		buf_putc(out, '\n');
		if (f->agency != NULL) {
			buf_puts(out, "    agency: ");
			put_quoted(out, f->agency);
			buf_putc(out, '\n');
		}
		buf_printf(out, "    enabled: %s\n", f->enabled ? "true" : "false");
		buf_printf(out, "    allow_private: %s\n",
		    f->allow_private ? "true" : "false");
		format_size(f->max_bytes, d, sizeof(d));
		buf_printf(out, "    max_bytes: %s\n", d);
		format_duration(f->retry_min, d, sizeof(d));
		buf_printf(out, "    retry_min: %s\n", d);
		format_duration(f->retry_max, d, sizeof(d));
		buf_printf(out, "    retry_max: %s\n", d);
		buf_printf(out, "    robots: %s\n", f->robots ? "true" : "false");
		buf_printf(out, "    keep_html: %s\n", f->keep_html ? "true" : "false");
		buf_printf(out, "    page_budget: %d\n", f->page_budget);
		buf_printf(out, "    page_retries: %d\n", f->page_retries);
		put_extract(out, &f->extract);
		if (f->kind == FEED_KIND_EPAPER && f->follow != NULL)
			put_epaper(out, f);
	}
}

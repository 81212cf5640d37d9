/*
 * robots.c: robots.txt parsing and matching (RFC 9309).
 */
#include "robots.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* NOTE: rules beyond this many per group are ignored (hostile files). */
#define ROBOTS_MAX_RULES 2048

struct rule {
	char *pattern;
	int allow;
};

struct robots {
	struct rule *rules;
	size_t n;
	double crawl_delay;
	int disallow_all;
};

/* One group being read: its agents matched, and its rules. */
struct group {
	int named;          /* names our agent */
	int star;           /* names "*" */
	struct rule *rules;
	size_t n, cap;
	double delay;
};

static void
group_add(struct group *g, const char *pattern, int allow)
{
	if (g->n >= ROBOTS_MAX_RULES)
		return;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->rules = xreallocarray(g->rules, g->cap, sizeof(*g->rules));
	}
	g->rules[g->n].pattern = xstrdup(pattern);
	g->rules[g->n].allow = allow;
	g->n++;
}

static void
group_free(struct group *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->rules[i].pattern);
	free(g->rules);
	memset(g, 0, sizeof(*g));
}

/* Trims spaces from both ends of s[0..*n) in place; returns the start. */
static char *
trim(char *s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)s[*n - 1]))
		(*n)--;
	s[*n] = '\0';
	return s;
}

/* Whether the user-agent line value names agent (case-insensitive prefix token). */
static int
names_agent(const char *value, const char *agent)
{
	size_t n = strlen(agent);

	return strncasecmp(value, agent, n) == 0 &&
	    (value[n] == '\0' || value[n] == '/' || isspace((unsigned char)value[n]));
}

struct robots *
robots_parse(const char *text, size_t len, const char *agent)
{
	struct robots *r = xcalloc(1, sizeof(*r));
	struct group cur = { 0 }, named = { 0 }, star = { 0 };
	int have_named = 0, have_star = 0, in_agents = 0;
	char *copy, *line, *next;

	if (len > ROBOTS_MAX_BYTES)
		len = ROBOTS_MAX_BYTES;   /* NOTE: the rest is ignored (RFC 9309 2.5) */
	copy = xstrndup(text, len);
	for (line = copy; line != NULL; line = next) {
		char *colon, *key, *val, *hash;
		size_t kn, vn;

		next = strpbrk(line, "\r\n");
		if (next)
			*next++ = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		kn = strlen(line);
		key = trim(line, &kn);
		vn = strlen(colon + 1);
		val = trim(colon + 1, &vn);
		if (strcasecmp(key, "user-agent") == 0) {
			if (!in_agents) {
				/* A new group starts: file the finished one. */
				if (cur.named && !have_named) {
					named = cur;
					have_named = 1;
				} else if (cur.star && !have_star) {
					star = cur;
					have_star = 1;
				} else
					group_free(&cur);
				memset(&cur, 0, sizeof(cur));
				in_agents = 1;
			}
			if (names_agent(val, agent))
				cur.named = 1;
			else if (strcmp(val, "*") == 0)
				cur.star = 1;
			continue;
		}
		in_agents = 0;
		if (strcasecmp(key, "allow") == 0 || strcasecmp(key, "disallow") == 0) {
			int allow = strcasecmp(key, "allow") == 0;

			/* An empty Disallow allows everything: no rule needed. */
			if (vn > 0)
				group_add(&cur, val, allow);
		} else if (strcasecmp(key, "crawl-delay") == 0) {
			char *end;
			double d = strtod(val, &end);

			if (end != val && d > 0 && d < 86400)
				cur.delay = d;
		}
	}
	if (cur.named && !have_named) {
		named = cur;
		have_named = 1;
	} else if (cur.star && !have_star) {
		star = cur;
		have_star = 1;
	} else
		group_free(&cur);
	free(copy);
	if (have_named) {
		r->rules = named.rules;
		r->n = named.n;
		r->crawl_delay = named.delay;
		group_free(&star);
	} else if (have_star) {
		r->rules = star.rules;
		r->n = star.n;
		r->crawl_delay = star.delay;
	}
	return r;
}

struct robots *
robots_allow_all(void)
{
	return xcalloc(1, sizeof(struct robots));
}

struct robots *
robots_disallow_all(void)
{
	struct robots *r = xcalloc(1, sizeof(*r));

	r->disallow_all = 1;
	return r;
}

/*
 * Matches pattern against path from their starts: "*" matches any run,
 * "$" at the end anchors.  Returns the pattern's length when it matches,
 * else -1.  NOTE: iterative with backtracking to the last star only, so a
 * hostile pattern costs O(len(pattern) * len(path)) at worst.
 */
static long
match(const char *pattern, const char *path)
{
	const char *p = pattern, *s = path, *star_p = NULL, *star_s = NULL;

	for (;;) {
		if (*p == '$' && p[1] == '\0')
			return *s == '\0' ? (long)strlen(pattern) : -1;
		if (*p == '\0')
			return (long)strlen(pattern);   /* prefix match */
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (*s != '\0' && *p == *s) {
			p++;
			s++;
			continue;
		}
		if (star_p == NULL || *star_s == '\0')
			return -1;
		p = star_p;
		s = ++star_s;
	}
}

int
robots_allowed(const struct robots *r, const char *path)
{
	long best = -1;
	int allow = 1;

	if (r->disallow_all)
		return 0;
	if (strcmp(path, "/robots.txt") == 0)
		return 1;
	for (size_t i = 0; i < r->n; i++) {
		long m = match(r->rules[i].pattern, path);

		if (m < 0)
			continue;
		if (m > best || (m == best && r->rules[i].allow)) {
			best = m;
			allow = r->rules[i].allow;
		}
	}
	return allow;
}

double
robots_crawl_delay(const struct robots *r)
{
	return r->crawl_delay;
}

void
robots_free(struct robots *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rules[i].pattern);
	free(r->rules);
	free(r);
}

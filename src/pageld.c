/*
 * pageld.c: JSON-LD (schema.org) article metadata, read with jansson.
 */
#include "pageld.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "text.h"
#include "util.h"

/*
 * NOTE: bounds: a script larger than LD_MAX_BYTES is skipped, at most
 * LD_MAX_NODES objects of one script are looked at, at most LD_MAX_AUTHORS
 * author names are kept; jansson itself refuses nesting deeper than 2048.
 */
#define LD_MAX_BYTES (2 * 1024 * 1024)
#define LD_MAX_NODES 512
#define LD_MAX_AUTHORS 16
#define LD_MAX_FIELD (64 * 1024)

static const char *const article_types[] = {
	"AnalysisNewsArticle", "Article", "BackgroundNewsArticle", "BlogPosting",
	"LiveBlogPosting", "NewsArticle", "OpinionNewsArticle", "ReportageNewsArticle",
	"ReviewNewsArticle", "SatiricalArticle", "SocialMediaPosting", "TechArticle",
};

struct ldwalk {
	json_t *nodes[LD_MAX_NODES];    /* every object seen, for @id lookups */
	size_t n;
};

static int
type_is(json_t *obj, const char *const *names, size_t nnames, int *live)
{
	json_t *t = json_object_get(obj, "@type"), *v;
	size_t i;

	if (json_is_string(t)) {
		for (i = 0; i < nnames; i++)
			if (strcmp(json_string_value(t), names[i]) == 0) {
				*live = strcmp(names[i], "LiveBlogPosting") == 0;
				return 1;
			}
		return 0;
	}
	if (json_is_array(t)) {
		json_array_foreach(t, i, v) {
			size_t k;

			if (!json_is_string(v))
				continue;
			for (k = 0; k < nnames; k++)
				if (strcmp(json_string_value(v), names[k]) == 0) {
					*live = strcmp(names[k], "LiveBlogPosting") == 0;
					return 1;
				}
		}
	}
	return 0;
}

/* Collects objects breadth-first through arrays, @graph and mainEntity. */
static void
collect(struct ldwalk *w, json_t *root)
{
	size_t head = 0;

	if (json_is_object(root))
		w->nodes[w->n++] = root;
	else if (json_is_array(root)) {
		size_t i;
		json_t *v;

		json_array_foreach(root, i, v)
			if (json_is_object(v) && w->n < LD_MAX_NODES)
				w->nodes[w->n++] = v;
	}
	while (head < w->n) {
		json_t *obj = w->nodes[head++], *g;
		static const char *const keys[] = { "@graph", "mainEntity", "mainEntityOfPage" };

		for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
			g = json_object_get(obj, keys[k]);
			if (json_is_object(g) && w->n < LD_MAX_NODES)
				w->nodes[w->n++] = g;
			else if (json_is_array(g)) {
				size_t i;
				json_t *v;

				json_array_foreach(g, i, v)
					if (json_is_object(v) && w->n < LD_MAX_NODES)
						w->nodes[w->n++] = v;
			}
		}
	}
}

/* Plain text of a JSON-LD string: entities decoded, tags dropped, folded. */
static char *
line_text(const char *s)
{
	size_t n = strnlen(s, LD_MAX_FIELD);
	char *t;

	if (memchr(s, '&', n) != NULL || memchr(s, '<', n) != NULL)
		t = text_line_from_html(s, n);
	else
		t = text_fold(s, n);
	if (t[0] == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

/* articleBody: HTML, or plain text whose lines are paragraphs. */
static char *
body_text(const char *s)
{
	size_t n = strnlen(s, LD_MAX_BYTES);
	struct buf b;
	const char *p = s, *end = s + n;

	if (memchr(s, '<', n) != NULL) {
		char *t = text_from_html(s, n);

		if (t[0] == '\0') {
			free(t);
			return NULL;
		}
		return t;
	}
	buf_init(&b);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = memchr(p, '&', len) ? text_line_from_html(p, len) :
		    text_fold(p, len);

		if (line[0] != '\0') {
			if (b.len > 0)
				buf_puts(&b, "\n\n");
			buf_puts(&b, line);
		}
		free(line);
		p += len + (nl ? 1 : 0);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static json_t *
find_id(struct ldwalk *w, const char *id)
{
	for (size_t i = 0; i < w->n; i++) {
		json_t *v = json_object_get(w->nodes[i], "@id");

		if (json_is_string(v) && strcmp(json_string_value(v), id) == 0 &&
		    json_object_get(w->nodes[i], "name") != NULL)
			return w->nodes[i];
	}
	return NULL;
}

/* The name of a person/organization value: string or {name} or {@id}. */
static const char *
name_of(struct ldwalk *w, json_t *v)
{
	json_t *name;

	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_object(v))
		return NULL;
	name = json_object_get(v, "name");
	if (json_is_string(name))
		return json_string_value(name);
	name = json_object_get(v, "@id");
	if (json_is_string(name) && (v = find_id(w, json_string_value(name))) != NULL) {
		name = json_object_get(v, "name");
		if (json_is_string(name))
			return json_string_value(name);
	}
	return NULL;
}

static char *
authors(struct ldwalk *w, json_t *v)
{
	char *names[LD_MAX_AUTHORS];
	size_t n = 0, i;
	json_t *x;
	struct buf b;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			const char *s = name_of(w, x);
			char *t;

			if (s != NULL && n < LD_MAX_AUTHORS && (t = line_text(s)) != NULL)
				names[n++] = t;
		}
	} else {
		const char *s = name_of(w, v);
		char *t;

		if (s != NULL && (t = line_text(s)) != NULL)
			names[n++] = t;
	}
	if (n == 0)
		return NULL;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, i == n - 1 ? " and " : ", ");
		buf_puts(&b, names[i]);
		free(names[i]);
	}
	return buf_steal(&b);
}

static void
set_str(char **field, json_t *v)
{
	if (*field == NULL && json_is_string(v))
		*field = line_text(json_string_value(v));
}

static void
fill(struct ldwalk *w, json_t *obj, struct page_ld *ld, int live)
{
	json_t *v;

	ld->article = 1;
	if (live)
		ld->live = 1;
	set_str(&ld->headline, json_object_get(obj, "headline"));
	if (ld->headline == NULL)
		set_str(&ld->headline, json_object_get(obj, "name"));
	if (ld->author == NULL && (v = json_object_get(obj, "author")) != NULL)
		ld->author = authors(w, v);
	if (ld->body == NULL && json_is_string(v = json_object_get(obj, "articleBody")))
		ld->body = body_text(json_string_value(v));
	set_str(&ld->url, json_object_get(obj, "url"));
	if (ld->publisher == NULL && (v = json_object_get(obj, "publisher")) != NULL) {
		const char *s = name_of(w, json_is_array(v) ? json_array_get(v, 0) : v);

		if (s != NULL)
			ld->publisher = line_text(s);
	}
	set_str(&ld->published, json_object_get(obj, "datePublished"));
	if (ld->published == NULL)
		set_str(&ld->published, json_object_get(obj, "dateCreated"));
	set_str(&ld->modified, json_object_get(obj, "dateModified"));
}

static json_t *
load(const char *json, size_t len)
{
	json_error_t err;
	json_t *root;
	char *copy;
	size_t a = 0, z = len;

	/* Sites wrap the JSON in comments or CDATA markers. */
	while (a < len && json[a] != '{' && json[a] != '[')
		a++;
	while (z > a && json[z - 1] != '}' && json[z - 1] != ']')
		z--;
	if (z <= a)
		return NULL;
	root = json_loadb(json + a, z - a, JSON_DECODE_ANY, &err);
	if (root != NULL)
		return root;
	/* Raw newlines and tabs inside strings are the usual fault. */
	copy = xstrndup(json + a, z - a);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	root = json_loadb(copy, z - a, JSON_DECODE_ANY, &err);
	free(copy);
	return root;
}

void
page_ld_parse(const char *json, size_t len, struct page_ld *ld)
{
	struct ldwalk *w;
	json_t *root;
	int live = 0;

	if (len > LD_MAX_BYTES || (root = load(json, len)) == NULL)
		return;
	ld->scripts++;
	w = xcalloc(1, sizeof(*w));
	collect(w, root);
	/* The first article object; a second one is usually a teaser of another. */
	for (size_t i = 0; i < w->n; i++)
		if (type_is(w->nodes[i], article_types, ARRAY_LEN(article_types), &live)) {
			fill(w, w->nodes[i], ld, live);
			break;
		}
	free(w);
	json_decref(root);
}

void
page_ld_free(struct page_ld *ld)
{
	free(ld->headline);
	free(ld->author);
	free(ld->body);
	free(ld->url);
	free(ld->publisher);
	free(ld->published);
	free(ld->modified);
	memset(ld, 0, sizeof(*ld));
}

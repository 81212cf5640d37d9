/*
 * pagejson.c: struct page_article -> JSON (jansson).
 */
#include "pagejson.h"

#include "dates.h"
#include "log.h"

static json_t *
str_or_null(const char *s)
{
	json_t *j;

	if (s == NULL)
		return json_null();
	/* page.c promises UTF-8; jansson checks it again, and says no with NULL. */
	if ((j = json_string(s)) == NULL)
		return json_null();
	return j;
}

static json_t *
time_or_null(int64_t t)
{
	char buf[DATE_RFC3339_LEN];

	if (t == DATE_UNSET)
		return json_null();
	date_format(t, buf);
	return json_string(buf);
}

static void
set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		fatalx("out of memory building JSON");
}

json_t *
page_article_to_json(const struct page_article *a, const char *content_hash,
    json_t *entities)
{
	json_t *o = json_object(), *rel = json_array();

	if (o == NULL || rel == NULL)
		fatalx("out of memory building JSON");
	set(o, "url", str_or_null(a->url));
	set(o, "title", str_or_null(a->title));
	set(o, "byline", str_or_null(a->byline));
	set(o, "agency", str_or_null(a->agency));
	set(o, "dateline", str_or_null(a->dateline));
	set(o, "published", time_or_null(a->published));
	set(o, "updated", time_or_null(a->updated));
	set(o, "body", str_or_null(a->body));
	set(o, "auto_published", json_boolean(a->auto_published));
	for (size_t i = 0; i < a->nrelated; i++) {
		json_t *l = json_object();

		if (l == NULL)
			fatalx("out of memory building JSON");
		set(l, "url", str_or_null(a->related[i].url));
		set(l, "title", str_or_null(a->related[i].title));
		set(l, "category", str_or_null(a->related[i].category));
		if (json_array_append_new(rel, l) == -1)
			fatalx("out of memory building JSON");
	}
	set(o, "related", rel);
	set(o, "entities", entities != NULL ? entities : json_array());
	set(o, "content_hash", str_or_null(content_hash));
	return o;
}

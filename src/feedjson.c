/*
 * feedjson.c: parsed feeds as the JSON of `dateline parse` (DESIGN.md).
 *
 * Keys are set in the documented order; with JSON_PRESERVE_ORDER the
 * output is byte-stable, which the golden tests rely on.
 */
#include "feedjson.h"

#include "dates.h"
#include "log.h"

/* A string or null.  Our strings are valid UTF-8, so this cannot fail. */
static json_t *
str_or_null(const char *s)
{
	json_t *j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) == NULL)
		fatalx("json_string: invalid UTF-8 in parsed feed");
	return j;
}

static json_t *
time_or_null(int64_t t)
{
	char s[DATE_RFC3339_LEN];

	if (t == DATE_UNSET)
		return json_null();
	date_format(t, s);
	return json_string(s);
}

static void
set(json_t *obj, const char *key, json_t *val)
{
	if (val == NULL || json_object_set_new(obj, key, val) < 0)
		fatalx("jansson: out of memory");
}

json_t *
feed_doc_to_json(const struct feed_doc *doc)
{
	json_t *feed = json_object(), *top = json_object();

	if (feed == NULL || top == NULL)
		fatalx("jansson: out of memory");
	set(feed, "title", str_or_null(doc->title));
	set(feed, "url", str_or_null(doc->url));
	set(feed, "updated", time_or_null(doc->updated));
	set(top, "feed", feed);
	return top;
}

json_t *
feed_item_to_json(const struct feed_item *item)
{
	json_t *o = json_object(), *cats = json_array(), *encs = json_array();

	if (o == NULL || cats == NULL || encs == NULL)
		fatalx("jansson: out of memory");
	set(o, "guid", str_or_null(item->guid));
	set(o, "url", str_or_null(item->url));
	set(o, "title", str_or_null(item->title));
	set(o, "summary", str_or_null(item->summary));
	set(o, "content", str_or_null(item->content));
	set(o, "author", str_or_null(item->author));
	set(o, "published", time_or_null(item->published));
	set(o, "updated", time_or_null(item->updated));
	for (size_t i = 0; i < item->ncategories; i++)
		if (json_array_append_new(cats, str_or_null(item->categories[i])) < 0)
			fatalx("jansson: out of memory");
	set(o, "categories", cats);
	for (size_t i = 0; i < item->nenclosures; i++) {
		const struct feed_enclosure *e = &item->enclosures[i];
		json_t *ej = json_object();

		if (ej == NULL)
			fatalx("jansson: out of memory");
		set(ej, "url", str_or_null(e->url));
		set(ej, "type", str_or_null(e->type));
		set(ej, "length", e->length < 0 ? json_null() : json_integer(e->length));
		if (json_array_append_new(encs, ej) < 0)
			fatalx("jansson: out of memory");
	}
	set(o, "enclosures", encs);
	return o;
}

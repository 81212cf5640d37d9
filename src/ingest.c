/*
 * ingest.c: one fetched feed document -> articles and stories in one
 * transaction.
 */
#include "ingest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <zlib.h>

#include "clips.h"
#include "dates.h"
#include "entities.h"
#include "feed.h"
#include "bounds.h"
#include "log.h"
#include "page.h"
#include "storeed.h"
#include "syndicate.h"
#include "text.h"
#include "url.h"
#include "util.h"

char *
ingest_charset(const char *content_type)
{
	const char *p;
	size_t n;

	if (content_type == NULL)
		return NULL;
	for (p = content_type; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8) != 0)
			continue;
		p += 8;
		if (*p == '"')
			p++;
		n = strcspn(p, "\"; \t");
		if (n == 0 || n > 40)
			return NULL;
		return xstrndup(p, n);
	}
	return NULL;
}

/* Whether a response that failed to parse as a feed is a web page instead. */
static int
looks_like_html(const struct ingest_doc *doc)
{
	const char *p = doc->body;
	size_t n = doc->len;

	if (doc->content_type && strncasecmp(doc->content_type, "text/html", 9) == 0)
		return 1;
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	return (n >= 9 && strncasecmp(p, "<!doctype", 9) == 0 && n >= 14 &&
	    strncasecmp(p + 10, "html", 4) == 0) || (n >= 5 && strncasecmp(p, "<html", 5) == 0);
}

static char *
json_string_array(char *const *v, size_t n)
{
	json_t *a;
	char *s;

	if (n == 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

static char *
json_enclosures(const struct feed_item *it)
{
	json_t *a;
	char *s;

	if (it->nenclosures == 0)
		return NULL;
	a = json_array();
	for (size_t i = 0; i < it->nenclosures; i++) {
		const struct feed_enclosure *e = &it->enclosures[i];
		json_t *o = json_object();

		json_object_set_new(o, "url", json_string(e->url));
		json_object_set_new(o, "type", e->type ? json_string(e->type) : json_null());
		json_object_set_new(o, "length", e->length >= 0 ? json_integer(e->length) : json_null());
		json_array_append_new(a, o);
	}
	s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(a);
	return s;
}

/* Stores one item; 0 or -1 (err set). */
/*
 * The entities of a story about to be created: extracted only when the
 * store does not know the text yet (once per story, not per copy).
 * Returns l filled (possibly empty), or NULL when nothing is to be done.
 */
static const struct entity_list *
new_story_entities(struct store *st, const struct entity_db *edb,
    const struct syn_fingerprint *fp, const char *title, const char *body,
    struct entity_list *l)
{
	if (edb == NULL || fp == NULL || fp->teaser || store_story_known(st, fp->hash) != 0)
		return NULL;
	entities_extract(edb, title, body, l);
	return l;
}

static int
ingest_item(struct store *st, const struct feed_conf *conf, int64_t feed_id,
    const struct feed_item *it, int64_t now, const struct entity_db *edb,
    struct ingest_stats *stats, char *err, size_t errlen)
{
	struct entity_list ents = { 0 };
	struct article a = { 0 };
	struct syn_fingerprint fp;
	char *url = NULL, *body = NULL, *cats = NULL, *encl = NULL;
	enum store_outcome outcome;
	int rc = -1;

	if (it->url)
		url = url_canonical(it->url);
	if (url == NULL && it->guid == NULL) {
		/* Nothing identifies the item: it could never be updated, only duplicated. */
		stats->skipped++;
		return 0;
	}
	/* The body is the fullest text the feed gives: content, else summary. */
	if (it->content && it->content[0])
		body = text_from_html(it->content, strlen(it->content));
	else if (it->summary)
		body = xstrdup(it->summary);
	cats = json_string_array(it->categories, it->ncategories);
	encl = json_enclosures(it);

	a.guid = it->guid;
	a.url = url;
	a.title = it->title;
	a.byline = it->author;
	a.agency = conf->agency;
	a.summary = it->summary;
	a.feed_text = body;
	a.want_page = conf->fetch_articles;
	a.keep_copies = conf->kind == FEED_KIND_SPOOL;
	a.content_html = it->content;
	a.categories_json = cats;
	a.enclosures_json = encl;
	a.published_at = it->published;
	a.updated_at = it->updated;
	/* A summary without content is short text: a teaser unless long. */
	if (body && syndicate_fingerprint(body, !(it->content && it->content[0]), &fp) == 0)
		a.fp = &fp;
	a.now = now;
	a.entities = new_story_entities(st, edb, a.fp, it->title, body, &ents);

	if (store_article_upsert(st, feed_id, &a, now, &outcome, NULL) < 0) {
		snprintf(err, errlen, "storing item %s: %s", it->guid ? it->guid : url,
		    store_errmsg(st));
		goto out;
	}
	switch (outcome) {
	case STORE_NEW: stats->added++; break;
	case STORE_CHANGED: stats->changed++; break;
	case STORE_UNCHANGED: stats->unchanged++; break;
	}
	rc = 0;
out:
	entity_list_free(&ents);
	free(url);
	free(body);
	free(cats);
	free(encl);
	return rc;
}

int
ingest_feed_document(struct store *st, const struct feed_conf *conf,
    struct feed_state *fs, const struct ingest_doc *doc, int64_t now,
    const struct ingest_feed_opts *o, struct ingest_stats *stats, char *err, size_t errlen)
{
	struct feed_parse_opts opts = { 0 };
	struct feed_doc fd;
	char perr[256];
	char *charset = ingest_charset(doc->content_type);

	memset(stats, 0, sizeof(*stats));
	opts.base_url = doc->url;
	opts.http_charset = charset;
	opts.default_tz = conf->timezone;
	if (feed_parse(doc->body, doc->len, &opts, &fd, perr, sizeof(perr)) < 0) {
		if (looks_like_html(doc))
			snprintf(err, errlen, "not an RSS or Atom feed: the server sent an "
			    "HTML page (%s)", perr);
		else
			snprintf(err, errlen, "%s", perr);
		free(charset);
		return -1;
	}
	free(charset);
	stats->items = fd.nitems;
	stats->partial = fd.partial;
	if (fd.items_dropped)
		log_warnx("feed %s: %zu items beyond the limit of %d ignored", conf->name,
		    fd.items_dropped, LIMIT_FEED_ITEMS);
	if (store_begin(st) < 0) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		feed_doc_free(&fd);
		return -2;
	}
	for (size_t i = 0; i < fd.nitems; i++)
		if (ingest_item(st, conf, fs->id, &fd.items[i], now, o ? o->entities : NULL,
		    stats, err, errlen) < 0)
			goto fail;
	if (stats->added)
		fs->last_new_item_at = now;
	if (fd.title)
		feed_state_set(&fs->title, fd.title);
	if (fd.url)
		feed_state_set(&fs->site_url, fd.url);
	if (o && o->before_save)
		o->before_save(fs, stats, o->arg);
	if (store_feed_save(st, fs) < 0) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto fail;
	}
	if (store_commit(st) < 0) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto fail;
	}
	fs->unsaved_polls = 0;
	feed_doc_free(&fd);
	return 0;
fail:
	store_rollback(st);
	feed_doc_free(&fd);
	return -2;
}

/* Whether a Content-Type is one a page extractor should read. */
static int
is_html_type(const char *ct)
{
	if (ct == NULL)
		return 1;   /* unlabelled: let the extractor judge the bytes */
	return strncasecmp(ct, "text/html", 9) == 0 ||
	    strncasecmp(ct, "application/xhtml+xml", 21) == 0;
}

/* zlib-compresses data; returns a malloc'd buffer or NULL. */
static unsigned char *
compress_page(const char *data, size_t len, size_t *outlen)
{
	uLongf n = compressBound((uLong)len);
	unsigned char *z = xmalloc(n);

	if (compress2(z, &n, (const Bytef *)data, (uLong)len, 6) != Z_OK) {
		free(z);
		return NULL;
	}
	*outlen = n;
	return z;
}

/*
 * Extracts the article of doc.  Returns 0 with *pa filled (and found, with
 * a body), or 1 with err set when the page is not usable.
 */
static int
extract_article(const struct ingest_doc *doc, const struct ingest_page_opts *opts,
    struct page_article *pa, char *err, size_t errlen)
{
	struct page_overrides ov = { 0 };
	struct page_opts po = { 0 };
	char perr[256], *charset;

	if (!is_html_type(doc->content_type)) {
		snprintf(err, errlen, "not an HTML page (%s)", doc->content_type);
		return 1;
	}
	charset = ingest_charset(doc->content_type);
	if (opts->extract) {
		ov.body = opts->extract->body;
		ov.title = opts->extract->title;
		ov.byline = opts->extract->byline;
		ov.published = opts->extract->published;
		ov.related = opts->extract->related;
	}
	po.url = doc->url;
	po.http_charset = charset;
	po.default_tz = opts->timezone;
	po.overrides = &ov;
	po.rules = opts->rules;
	if (page_extract(doc->body, doc->len, &po, pa, perr, sizeof(perr)) < 0) {
		free(charset);
		snprintf(err, errlen, "%s", perr);
		return 1;
	}
	free(charset);
	if (!pa->found || pa->body == NULL || pa->body[0] == '\0') {
		snprintf(err, errlen, "no article text found on the page%s", opts->clip &&
		    memmem(doc->body, doc->len, "<img", 4) != NULL ? " (an image-only clip)" : "");
		page_article_free(pa);
		return 1;
	}
	return 0;
}

/* The page's related links with canonical URLs (each url malloc'd). */
static struct store_link *
article_links(const struct page_article *pa, size_t *n)
{
	struct store_link *links = xcalloc(pa->nrelated ? pa->nrelated : 1, sizeof(*links));

	*n = 0;
	for (size_t i = 0; i < pa->nrelated; i++) {
		char *u = url_canonical(pa->related[i].url);

		if (u == NULL)
			continue;
		links[*n].url = u;
		links[*n].title = pa->related[i].title;
		links[*n].category = pa->related[i].category;
		(*n)++;
	}
	return links;
}

static void
links_free(struct store_link *links, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)links[i].url);
	free(links);
}

/* What the page gave, as the store takes it (strings borrowed from pa). */
static void
page_fields(const struct page_article *pa, const char *canon, struct store_link *links,
    size_t nlinks, struct article_page *ap)
{
	ap->page_url = canon;
	ap->title = pa->title;
	ap->body = pa->body;
	ap->byline = pa->byline;
	ap->agency = pa->agency;
	ap->dateline = pa->dateline;
	ap->auto_published = pa->auto_published;
	ap->published_at = pa->published;
	ap->updated_at = pa->updated;
	ap->links = links;
	ap->nlinks = nlinks;
}

int
ingest_article_page(struct store *st, int64_t article_id, const struct ingest_doc *doc,
    const struct ingest_page_opts *opts, int64_t now, char *err, size_t errlen)
{
	struct page_article pa;
	struct article_page ap = { 0 };
	struct store_link *links;
	struct syn_fingerprint fp;
	struct entity_list ents = { 0 };
	char *canon = NULL, *clip = NULL;
	unsigned char *z = NULL;
	size_t zlen = 0, nlinks = 0;
	int rc = -1;

	if ((rc = extract_article(doc, opts, &pa, err, errlen)) != 0)
		return rc;
	rc = -1;
	if (pa.url)
		canon = url_canonical(pa.url);
	links = article_links(&pa, &nlinks);
	page_fields(&pa, canon, links, nlinks, &ap);
	ap.count_attempt = !opts->reextract;
	if (opts->clip) {
		ap.clip = ap.keep_copies = 1;
		ap.clip_text = clip = clips_cut_jumps(pa.body, &ap.jump_to, &ap.jump_from);
		if (clip[0] == '\0') {
			snprintf(err, errlen, "no article text on the page, only a jump line");
			rc = 1;
			goto out;
		}
		ap.body = clip;
	}
	if (syndicate_fingerprint(ap.body, 0, &fp) == 0)
		ap.fp = &fp;
	ap.entities = new_story_entities(st, opts->entities, ap.fp, pa.title, ap.body, &ents);
	if (opts->keep_html && !opts->reextract && (z = compress_page(doc->body, doc->len, &zlen)) != NULL) {
		ap.html_z = z;
		ap.html_z_len = zlen;
		ap.html_size = doc->len;
		ap.fetched_url = doc->url;
		ap.content_type = doc->content_type;
	}
	if (store_begin(st) < 0 || store_article_page(st, article_id, &ap, now) < 0 ||
	    store_commit(st) < 0) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	rc = 0;
out:
	links_free(links, nlinks);
	free(canon);
	free(z);
	free(clip);
	entity_list_free(&ents);
	page_article_free(&pa);
	return rc;
}

int
ingest_page_document(struct store *st, const struct feed_conf *conf, struct feed_state *fs,
    const struct ingest_doc *doc, const char *guid, const struct ingest_page_opts *opts,
    int64_t now, struct ingest_stats *stats, char *err, size_t errlen)
{
	struct page_article pa;
	struct article a = { 0 };
	struct article_page ap = { 0 };
	struct store_link *links;
	struct syn_fingerprint fp;
	struct entity_list ents = { 0 };
	enum store_outcome outcome;
	int64_t id;
	char *canon = NULL;
	size_t nlinks = 0;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = extract_article(doc, opts, &pa, err, errlen)) != 0)
		return rc;
	rc = -1;
	stats->items = 1;
	/*
	 * NOTE: the page's own canonical URL (link rel=canonical, og:url)
	 * identifies it when it declares one; a file has no URL of its own
	 * otherwise, and only guid does.
	 */
	if (pa.url)
		canon = url_canonical(pa.url);
	links = article_links(&pa, &nlinks);
	if (syndicate_fingerprint(pa.body, 0, &fp) == 0)
		a.fp = ap.fp = &fp;
	a.guid = guid;
	a.url = canon;
	a.title = pa.title;
	a.byline = pa.byline;
	a.agency = pa.agency ? pa.agency : conf->agency;
	a.dateline = pa.dateline;
	a.feed_text = pa.body;
	a.auto_published = pa.auto_published;
	a.published_at = pa.published;
	a.updated_at = pa.updated;
	a.keep_copies = conf->kind == FEED_KIND_SPOOL;
	a.now = now;
	a.entities = new_story_entities(st, opts->entities, a.fp, pa.title, pa.body, &ents);
	page_fields(&pa, canon, links, nlinks, &ap);
	ap.agency = a.agency;
	ap.entities = a.entities;
	ap.keep_copies = a.keep_copies;
	if (store_begin(st) < 0)
		goto store_failed;
	if (store_article_upsert(st, fs->id, &a, now, &outcome, &id) < 0 ||
	    store_article_page(st, id, &ap, now) < 0)
		goto store_failed;
	switch (outcome) {
	case STORE_NEW: stats->added++; break;
	case STORE_CHANGED: stats->changed++; break;
	case STORE_UNCHANGED: stats->unchanged++; break;
	}
	if (stats->added)
		fs->last_new_item_at = now;
	if (store_feed_save(st, fs) < 0 || store_commit(st) < 0)
		goto store_failed;
	fs->unsaved_polls = 0;
	rc = 0;
	goto out;
store_failed:
	snprintf(err, errlen, "store: %s", store_errmsg(st));
	store_rollback(st);
out:
	links_free(links, nlinks);
	free(canon);
	entity_list_free(&ents);
	page_article_free(&pa);
	return rc;
}

enum ingest_kind
ingest_classify(const char *name, const struct ingest_doc *doc)
{
	static const char *const page_ext[] = { ".html", ".htm", ".xhtml" };
	size_t n = strlen(name), k;

	for (size_t i = 0; i < ARRAY_LEN(page_ext); i++)
		if (n > (k = strlen(page_ext[i])) && strcasecmp(name + n - k, page_ext[i]) == 0)
			return INGEST_PAGE;
	return looks_like_html(doc) ? INGEST_PAGE : INGEST_FEED;
}

int
ingest_edition_join(struct store *st, int64_t edition_id, const struct entity_db *edb,
    int64_t now, char *err, size_t errlen)
{
	struct edition_outcome done = { EDITION_DONE, 0, 0, 0, NULL };
	struct edition_clip *ec = NULL;
	struct clip *c = NULL;
	long *next = NULL;
	size_t n = 0;
	int joined = 0;

	if (store_begin(st) < 0)
		goto store_failed;
	if (store_edition_clips(st, edition_id, &ec, &n) < 0)
		goto store_failed;
	c = xcalloc(n ? n : 1, sizeof(*c));
	next = xcalloc(n ? n : 1, sizeof(*next));
	for (size_t i = 0; i < n; i++) {
		c[i].page = ec[i].page;
		c[i].position = ec[i].position;
		c[i].title = ec[i].title;
		c[i].text = ec[i].clip_text;
		c[i].jump_to = ec[i].jump_to;
		c[i].jump_from = ec[i].jump_from;
	}
	clips_chain(c, n, next);
	for (size_t i = 0; i < n; i++) {
		struct entity_list ents = { 0 };
		struct syn_fingerprint fp;
		const struct syn_fingerprint *fpp = NULL;
		int head = next[i] >= 0, rc = 0;
		char *body;

		/* A chain starts at a clip that no other continues. */
		for (size_t j = 0; j < n && head; j++)
			if (next[j] == (long)i)
				head = 0;
		if (!head)
			continue;
		body = clips_join(c, next, i, LIMIT_CONTENT_BYTES);
		if (syndicate_fingerprint(body, 0, &fp) == 0)
			fpp = &fp;
		rc = store_article_joined(st, ec[i].article_id, body, fpp,
		    new_story_entities(st, edb, fpp, ec[i].title, body, &ents), now);
		entity_list_free(&ents);
		free(body);
		if (rc < 0)
			goto store_failed;
		for (long x = next[i], hops = 0; x >= 0 && hops < CLIPS_MAX_CHAIN; x = next[x], hops++)
			if (store_article_continues(st, ec[x].article_id, ec[i].article_id) < 0)
				goto store_failed;
		joined++;
	}
	if (store_edition_update(st, edition_id, &done, now) < 0 || store_commit(st) < 0)
		goto store_failed;
	edition_clips_free(ec, n);
	free(c);
	free(next);
	return joined;
store_failed:
	snprintf(err, errlen, "store: %s", store_errmsg(st));
	store_rollback(st);
	edition_clips_free(ec, n);
	free(c);
	free(next);
	return -1;
}

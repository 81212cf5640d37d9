/*
 * feed.c: RSS 0.9x/1.0/2.0 and Atom 1.0/0.3 bytes -> items (pure).
 *
 * The document is read with libxml2's xmlReader, one item at a time: the
 * reader walks the containers (rss, channel, rdf:RDF, feed) node by node,
 * and each item or feed-level field is expanded into a small subtree,
 * read, and freed as the reader moves on, so memory stays proportional to
 * the largest item, not to the document.
 *
 * Elements are matched by namespace URI and local name, never by prefix
 * (except for the undeclared prefixes of broken feeds, see el_lookup).
 *
 * A document that is not well-formed is read a second time in libxml2's
 * recovery mode.  The reader stops at the first error even then, so that
 * pass builds the whole tree and walks it with xmlReaderWalker through the
 * same code.
 */
#include "feed.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "dates.h"
#include "feedenc.h"
#include "feedxml.h"
#include "jsonfeed.h"
#include "bounds.h"
#include "log.h"
#include "text.h"
#include "url.h"
#include "util.h"

#define NS_RSS10   "http://purl.org/rss/1.0/"
#define NS_RSS090  "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RSS2A   "http://backend.userland.com/rss2"
#define NS_RSS2B   "http://blogs.law.harvard.edu/tech/rss"
#define NS_ATOM    "http://www.w3.org/2005/Atom"
#define NS_ATOM03  "http://purl.org/atom/ns#"
#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_MEDIA   "http://search.yahoo.com/mrss/"
#define NS_RDF     "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

enum vocab {
	V_NONE,
	V_RSS,          /* no namespace, RSS 1.0 / 0.90 / the RSS 2 namespaces */
	V_ATOM,         /* Atom 1.0 and 0.3 */
	V_DC,
	V_DCTERMS,
	V_CONTENT,
	V_MEDIA,
	V_RDF,
};

/*
 * The elements we read.  Where several elements give one field, the
 * order here is the preference (sfeed's trick): lower wins.
 */
enum el {
	EL_OTHER,
	/* containers */
	EL_RSS, EL_RDF, EL_FEED, EL_CHANNEL, EL_ITEM, EL_ENTRY,
	/* published */
	EL_PUBDATE, EL_A_PUBLISHED, EL_A_ISSUED, EL_DC_DATE,
	/* updated */
	EL_A_UPDATED, EL_A_MODIFIED, EL_DCT_MODIFIED, EL_LASTBUILDDATE,
	/* title */
	EL_TITLE, EL_A_TITLE, EL_DC_TITLE,
	/* summary */
	EL_DESCRIPTION, EL_A_SUMMARY, EL_DC_DESCRIPTION,
	/* content */
	EL_CONTENT_ENCODED, EL_A_CONTENT,
	/* the rest */
	EL_LINK, EL_A_LINK, EL_GUID, EL_A_ID, EL_AUTHOR, EL_DC_CREATOR,
	EL_A_AUTHOR, EL_A_NAME, EL_CATEGORY, EL_DC_SUBJECT, EL_A_CATEGORY,
	EL_ENCLOSURE, EL_MEDIA_CONTENT, EL_MEDIA_GROUP,
	EL_COUNT
};

static const struct eldesc {
	enum vocab vocab;
	const char *name;
	enum el el;
} eldescs[] = {
	{ V_RSS, "rss", EL_RSS }, { V_RSS, "channel", EL_CHANNEL },
	{ V_RSS, "item", EL_ITEM }, { V_RSS, "title", EL_TITLE },
	{ V_RSS, "link", EL_LINK }, { V_RSS, "description", EL_DESCRIPTION },
	{ V_RSS, "guid", EL_GUID }, { V_RSS, "pubDate", EL_PUBDATE },
	{ V_RSS, "lastBuildDate", EL_LASTBUILDDATE },
	{ V_RSS, "author", EL_AUTHOR }, { V_RSS, "category", EL_CATEGORY },
	{ V_RSS, "enclosure", EL_ENCLOSURE },
	{ V_RDF, "RDF", EL_RDF },
	{ V_ATOM, "feed", EL_FEED }, { V_ATOM, "entry", EL_ENTRY },
	{ V_ATOM, "title", EL_A_TITLE }, { V_ATOM, "link", EL_A_LINK },
	{ V_ATOM, "id", EL_A_ID }, { V_ATOM, "published", EL_A_PUBLISHED },
	{ V_ATOM, "issued", EL_A_ISSUED }, { V_ATOM, "updated", EL_A_UPDATED },
	{ V_ATOM, "modified", EL_A_MODIFIED },
	{ V_ATOM, "summary", EL_A_SUMMARY }, { V_ATOM, "content", EL_A_CONTENT },
	{ V_ATOM, "author", EL_A_AUTHOR }, { V_ATOM, "name", EL_A_NAME },
	{ V_ATOM, "category", EL_A_CATEGORY },
	{ V_DC, "date", EL_DC_DATE }, { V_DC, "title", EL_DC_TITLE },
	{ V_DC, "description", EL_DC_DESCRIPTION },
	{ V_DC, "creator", EL_DC_CREATOR }, { V_DC, "subject", EL_DC_SUBJECT },
	{ V_DCTERMS, "modified", EL_DCT_MODIFIED },
	{ V_CONTENT, "encoded", EL_CONTENT_ENCODED },
	{ V_MEDIA, "content", EL_MEDIA_CONTENT },
	{ V_MEDIA, "group", EL_MEDIA_GROUP },
};

static enum vocab
vocab_of_ns(const char *ns)
{
	static const struct {
		const char *uri;
		enum vocab vocab;
	} nss[] = {
		{ NS_ATOM, V_ATOM }, { NS_DC, V_DC }, { NS_CONTENT, V_CONTENT },
		{ NS_RSS10, V_RSS }, { NS_MEDIA, V_MEDIA }, { NS_RDF, V_RDF },
		{ NS_DCTERMS, V_DCTERMS }, { NS_ATOM03, V_ATOM },
		{ NS_RSS090, V_RSS }, { NS_RSS2A, V_RSS }, { NS_RSS2B, V_RSS },
	};

	if (ns == NULL)
		return V_RSS;
	for (size_t i = 0; i < ARRAY_LEN(nss); i++)
		if (strcmp(ns, nss[i].uri) == 0)
			return nss[i].vocab;
	return V_NONE;
}

/*
 * The element node is.  NOTE: a feed that uses a prefix without declaring
 * it ("dc:creator" with no xmlns:dc) is still read: libxml2 reports a
 * namespace error, leaves the element without a namespace and keeps the
 * prefix in its name, and the usual prefixes are mapped here.
 */
static enum el
el_lookup(xmlNodePtr node)
{
	static const struct {
		const char *prefix;
		enum vocab vocab;
	} prefixes[] = {
		{ "dc:", V_DC }, { "content:", V_CONTENT }, { "atom:", V_ATOM },
		{ "media:", V_MEDIA }, { "dcterms:", V_DCTERMS }, { "rdf:", V_RDF },
	};
	const char *name = (const char *)node->name, *colon;
	enum vocab v;

	if (node->type != XML_ELEMENT_NODE || name == NULL)
		return EL_OTHER;
	if (node->ns != NULL)
		v = vocab_of_ns((const char *)node->ns->href);
	else if ((colon = strchr(name, ':')) != NULL) {
		v = V_NONE;
		for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
			if (strncmp(name, prefixes[i].prefix, (size_t)(colon - name) + 1) == 0) {
				v = prefixes[i].vocab;
				break;
			}
		}
		name = colon + 1;
	} else
		v = V_RSS;
	if (v == V_NONE)
		return EL_OTHER;
	for (size_t i = 0; i < ARRAY_LEN(eldescs); i++)
		if (eldescs[i].vocab == v && strcmp(eldescs[i].name, name) == 0)
			return eldescs[i].el;
	return EL_OTHER;
}

/* ------------------------------------------------------------------ */
/* Reading nodes                                                       */

struct parser {
	const struct feed_parse_opts *opts;
	struct feed_doc *doc;
	size_t max_items;
	size_t items_cap;
	char *feed_author;      /* Atom feed-level author, for entries without */
	int url_rank;           /* of the atom:link that set doc->url, or 0 */
	int updated_rank;       /* of the element that set doc->updated, or 0 */
};

/* ------------------------------------------------------------------ */
/* Items                                                               */

/* Adds an enclosure unless its URL is unusable, known, or over the limit. */
static void
add_enclosure(const struct parser *p, struct feed_item *it, xmlNodePtr node,
    const char *urlattr, const char *lenattr)
{
	char *ref = feedxml_attr(node, urlattr), *url, *type, *len, *end;
	struct feed_enclosure *e;
	long long n = -1;

	url = ref ? feedxml_link(p->opts, node, feedxml_trim(ref)) : NULL;
	xmlFree(ref);
	if (url == NULL)
		return;
	for (size_t i = 0; i < it->nenclosures; i++) {
		if (strcmp(it->enclosures[i].url, url) == 0) {
			free(url);
			return;
		}
	}
	/* NOTE: deliberate truncation at LIMIT_ITEM_ENCLOSURES */
	if (it->nenclosures >= LIMIT_ITEM_ENCLOSURES) {
		free(url);
		return;
	}
	type = feedxml_attr(node, "type");
	if ((len = feedxml_attr(node, lenattr)) != NULL) {
		feedxml_trim(len);
		n = strtoll(len, &end, 10);
		if (*len < '0' || *len > '9' || *end != '\0' || n < 0)
			n = -1;
		xmlFree(len);
	}
	it->enclosures = xreallocarray(it->enclosures, it->nenclosures + 1,
	    sizeof(*it->enclosures));
	e = &it->enclosures[it->nenclosures++];
	e->url = url;
	e->type = type ? feedxml_bound(text_fold(type, strlen(type)), LIMIT_FIELD_BYTES) : NULL;
	e->length = n;
	xmlFree(type);
}

static void
add_category(struct feed_item *it, char *cat)
{
	if ((cat = feedxml_bound(cat, LIMIT_FIELD_BYTES)) == NULL)
		return;
	for (size_t i = 0; i < it->ncategories; i++) {
		if (strcmp(it->categories[i], cat) == 0) {
			free(cat);
			return;
		}
	}
	/* NOTE: deliberate truncation at LIMIT_ITEM_CATEGORIES */
	if (it->ncategories >= LIMIT_ITEM_CATEGORIES) {
		free(cat);
		return;
	}
	it->categories = xreallocarray(it->categories, it->ncategories + 1,
	    sizeof(*it->categories));
	it->categories[it->ncategories++] = cat;
}

/*
 * RSS <author> is an e-mail address, by convention "addr (Full Name)":
 * the name is what people mean by author, so it is taken when present.
 */
static char *
rss_author(char *s)
{
	char *open = strchr(s, '('), *name;
	size_t n = strlen(s);

	if (open == NULL || open == s || n == 0 || s[n - 1] != ')')
		return s;
	if (memchr(s, '@', (size_t)(open - s)) == NULL ||
	    memchr(s, ' ', (size_t)(open - s - 1)) != NULL)
		return s;
	name = xstrndup(open + 1, (size_t)(s + n - 1 - open - 1));
	free(s);
	return feedxml_trim(name);
}

/* Joins distinct names with ", "; NULL when there are none. */
static char *
join_names(const struct strlist *l)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < l->n; i++) {
		size_t j;

		for (j = 0; j < i && strcmp(l->v[i], l->v[j]) != 0; j++)
			;
		if (j < i)
			continue;
		if (b.len > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, l->v[i]);
	}
	return feedxml_bound(buf_steal(&b), LIMIT_FIELD_BYTES);
}

/* The names of an Atom person construct (author) into l. */
static void
atom_person(xmlNodePtr node, struct strlist *l)
{
	for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
		if (el_lookup(c) == EL_A_NAME) {
			char *raw = feedxml_text(c, LIMIT_FIELD_BYTES), *name;

			name = feedxml_bound(text_fold(raw, strlen(raw)), LIMIT_FIELD_BYTES);
			free(raw);
			if (name != NULL)
				strlist_push(l, name);
			return;
		}
	}
}

/*
 * How good an Atom link is as "the" link of an entry or feed: alternate
 * (the default rel) HTML first, then alternate without a type, then any
 * other alternate; 0 when it is not an alternate link.
 */
static int
alternate_rank(xmlNodePtr link)
{
	char *rel = feedxml_attr(link, "rel"), *type = feedxml_attr(link, "type");
	int rank = 0;

	if (rel == NULL || strcmp(feedxml_trim(rel), "alternate") == 0) {
		if (type == NULL)
			rank = 2;
		else if (strcmp(feedxml_trim(type), "text/html") == 0 ||
		    strcmp(type, "application/xhtml+xml") == 0)
			rank = 3;
		else
			rank = 1;
	}
	xmlFree(rel);
	xmlFree(type);
	return rank;
}

static int
is_rel(xmlNodePtr link, const char *want)
{
	char *rel = feedxml_attr(link, "rel");
	int r = rel != NULL && strcmp(feedxml_trim(rel), want) == 0;

	xmlFree(rel);
	return r;
}

/* The first of the given elements that yields a date, or DATE_UNSET. */
static int64_t
first_date(const struct parser *p, xmlNodePtr *first, const enum el *els, size_t n)
{
	int64_t t;

	for (size_t i = 0; i < n; i++)
		if (first[els[i]] != NULL && (t = feedxml_date(p->opts, first[els[i]])) != DATE_UNSET)
			return t;
	return DATE_UNSET;
}

/* The first of the given elements present, or NULL. */
static xmlNodePtr
first_of(xmlNodePtr *first, enum el a, enum el b, enum el c)
{
	return first[a] ? first[a] : first[b] ? first[b] : first[c];
}

/*
 * NOTE: an RSS item whose description is full HTML and that has no
 * content:encoded keeps content NULL: description is by definition the
 * summary, and its plain text goes to summary.  Only content:encoded and
 * atom:content fill content.
 */
static void
parse_item(struct parser *p, xmlNodePtr item, struct feed_item *it)
{
	static const enum el pub[] = { EL_PUBDATE, EL_A_PUBLISHED, EL_A_ISSUED, EL_DC_DATE };
	static const enum el upd[] = { EL_A_UPDATED, EL_A_MODIFIED, EL_DCT_MODIFIED };
	struct strlist dc_creators = { 0 }, atom_authors = { 0 }, rss_authors = { 0 };
	xmlNodePtr first[EL_COUNT] = { 0 }, link = NULL, n;
	int link_rank = 0, rank;
	char *s;

	memset(it, 0, sizeof(*it));
	for (xmlNodePtr c = item->children; c != NULL; c = c->next) {
		enum el e = el_lookup(c);

		if (e == EL_OTHER)
			continue;
		if (first[e] == NULL)
			first[e] = c;
		switch (e) {
		case EL_A_LINK:
			if ((rank = alternate_rank(c)) > link_rank) {
				link = c;
				link_rank = rank;
			} else if (rank == 0 && is_rel(c, "enclosure"))
				add_enclosure(p, it, c, "href", "length");
			break;
		case EL_ENCLOSURE:
			add_enclosure(p, it, c, "url", "length");
			break;
		case EL_MEDIA_CONTENT:
			add_enclosure(p, it, c, "url", "fileSize");
			break;
		case EL_MEDIA_GROUP:
			for (xmlNodePtr m = c->children; m != NULL; m = m->next)
				if (el_lookup(m) == EL_MEDIA_CONTENT)
					add_enclosure(p, it, m, "url", "fileSize");
			break;
		case EL_CATEGORY:
		case EL_DC_SUBJECT:
			add_category(it, feedxml_plain(c, 0, 1));
			break;
		case EL_A_CATEGORY:
			if ((s = feedxml_attr(c, "label")) == NULL || *feedxml_trim(s) == '\0') {
				xmlFree(s);
				s = feedxml_attr(c, "term");
			}
			if (s != NULL)
				add_category(it, text_fold(s, strlen(s)));
			xmlFree(s);
			break;
		case EL_DC_CREATOR:
			if ((s = feedxml_plain(c, 0, 1)) != NULL)
				strlist_push(&dc_creators, s);
			break;
		case EL_AUTHOR:
			if ((s = feedxml_plain(c, 0, 1)) != NULL)
				strlist_push(&rss_authors, rss_author(s));
			break;
		case EL_A_AUTHOR:
			atom_person(c, &atom_authors);
			break;
		default:
			break;
		}
	}

	if ((n = first[EL_GUID] ? first[EL_GUID] : first[EL_A_ID]) != NULL) {
		s = feedxml_text(n, LIMIT_FIELD_BYTES);
		it->guid = feedxml_bound(text_fold(s, strlen(s)), LIMIT_FIELD_BYTES);
		free(s);
	} else if ((s = (char *)xmlGetNsProp(item, (const xmlChar *)"about",
	    (const xmlChar *)NS_RDF)) != NULL) {
		it->guid = feedxml_bound(text_fold(s, strlen(s)), LIMIT_FIELD_BYTES);
		xmlFree(s);
	}

	if (first[EL_LINK] != NULL) {
		s = feedxml_trim(feedxml_text(first[EL_LINK], LIMIT_FIELD_BYTES));
		it->url = feedxml_link(p->opts, first[EL_LINK], s);
		free(s);
	}
	if (it->url == NULL && link != NULL) {
		s = feedxml_attr(link, "href");
		it->url = s ? feedxml_link(p->opts, link, feedxml_trim(s)) : NULL;
		xmlFree(s);
	}
	if (it->url == NULL && first[EL_GUID] != NULL && it->guid != NULL) {
		s = feedxml_attr(first[EL_GUID], "isPermaLink");
		if ((s == NULL || strcasecmp(feedxml_trim(s), "false") != 0) && url_is_http(it->guid))
			it->url = feedxml_link(p->opts, first[EL_GUID], it->guid);
		xmlFree(s);
	}

	if ((n = first_of(first, EL_TITLE, EL_A_TITLE, EL_DC_TITLE)) != NULL)
		it->title = feedxml_plain(n, n == first[EL_A_TITLE], 1);
	if ((n = first_of(first, EL_DESCRIPTION, EL_A_SUMMARY, EL_DC_DESCRIPTION)) != NULL)
		it->summary = feedxml_plain(n, n == first[EL_A_SUMMARY], 0);
	if ((n = first[EL_CONTENT_ENCODED]) != NULL || (n = first[EL_A_CONTENT]) != NULL)
		it->content = feedxml_content(p->opts, n, n == first[EL_A_CONTENT]);

	it->author = join_names(dc_creators.n ? &dc_creators :
	    atom_authors.n ? &atom_authors : &rss_authors);
	if (it->author == NULL && p->doc->format == FEED_FORMAT_ATOM)
		it->author = xstrdup_or_null(p->feed_author);
	strlist_free(&dc_creators);
	strlist_free(&atom_authors);
	strlist_free(&rss_authors);

	it->published = first_date(p, first, pub, ARRAY_LEN(pub));
	it->updated = first_date(p, first, upd, ARRAY_LEN(upd));
}

static void
item_free(struct feed_item *it)
{
	free(it->guid);
	free(it->url);
	free(it->title);
	free(it->summary);
	free(it->content);
	free(it->author);
	for (size_t i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
	for (size_t i = 0; i < it->nenclosures; i++) {
		free(it->enclosures[i].url);
		free(it->enclosures[i].type);
	}
	free(it->enclosures);
}

/* ------------------------------------------------------------------ */
/* Feed-level fields                                                   */

/* Rank of el as the source of the feed's updated time; 0 = not one. */
static int
feed_updated_rank(enum el e)
{
	switch (e) {
	case EL_LASTBUILDDATE: return 5;
	case EL_A_UPDATED: return 4;
	case EL_A_MODIFIED: return 3;
	case EL_DC_DATE: return 2;
	case EL_PUBDATE: return 1;
	default: return 0;
	}
}

static void
parse_feed_field(struct parser *p, xmlNodePtr node, enum el e)
{
	struct feed_doc *doc = p->doc;
	int rank;
	char *s;

	switch (e) {
	case EL_TITLE:
	case EL_A_TITLE:
	case EL_DC_TITLE:
		if (doc->title == NULL)
			doc->title = feedxml_plain(node, e == EL_A_TITLE, 1);
		break;
	case EL_LINK:
		if (doc->url == NULL) {
			s = feedxml_trim(feedxml_text(node, LIMIT_FIELD_BYTES));
			doc->url = feedxml_link(p->opts, node, s);
			free(s);
		}
		break;
	case EL_A_LINK:
		/* an RSS channel's <link> wins over its atom:link */
		if ((rank = alternate_rank(node)) > p->url_rank &&
		    (doc->url == NULL || p->url_rank > 0)) {
			s = feedxml_attr(node, "href");
			if (s != NULL) {
				char *url = feedxml_link(p->opts, node, feedxml_trim(s));

				if (url != NULL) {
					free(doc->url);
					doc->url = url;
					p->url_rank = rank;
				}
			}
			xmlFree(s);
		}
		break;
	case EL_A_AUTHOR:
		if (p->feed_author == NULL) {
			struct strlist l = { 0 };

			atom_person(node, &l);
			p->feed_author = join_names(&l);
			strlist_free(&l);
		}
		break;
	default:
		if ((rank = feed_updated_rank(e)) > p->updated_rank) {
			int64_t t = feedxml_date(p->opts, node);

			if (t != DATE_UNSET) {
				doc->updated = t;
				p->updated_rank = rank;
			}
		}
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Walking the document                                                */

#define WALK_OK         0
#define WALK_XMLERROR   (-1)
#define WALK_NOTFEED    (-2)
#define WALK_NOROOT     (-3)

/*
 * Reads the document from r (a streaming reader or a walker over a
 * recovered tree).  On WALK_NOTFEED, err says what the root was.
 */
static int
walk(struct parser *p, xmlTextReaderPtr r, char *err, size_t errlen)
{
	struct feed_doc *doc = p->doc;
	struct feed_item *it;
	xmlNodePtr root, node;
	int ret, depth;
	enum el e;

	while ((ret = xmlTextReaderRead(r)) == 1 &&
	    xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
		;
	if (ret != 1)
		return ret == 0 ? WALK_NOROOT : WALK_XMLERROR;
	root = xmlTextReaderCurrentNode(r);
	switch (el_lookup(root)) {
	case EL_RSS: doc->format = FEED_FORMAT_RSS; break;
	case EL_RDF: doc->format = FEED_FORMAT_RDF; break;
	case EL_FEED: doc->format = FEED_FORMAT_ATOM; break;
	default:
		snprintf(err, errlen, "not an RSS, RDF or Atom feed (root element <%.40s>)",
		    (const char *)root->name);
		return WALK_NOTFEED;
	}
	ret = xmlTextReaderRead(r);
	while (ret == 1) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		node = xmlTextReaderCurrentNode(r);
		depth = xmlTextReaderDepth(r);
		e = el_lookup(node);
		if (doc->format != FEED_FORMAT_ATOM && depth == 1 && e == EL_CHANNEL) {
			ret = xmlTextReaderRead(r);     /* into the channel */
			continue;
		}
		if ((e == EL_ENTRY && depth == 1 && doc->format == FEED_FORMAT_ATOM) ||
		    (e == EL_ITEM && doc->format != FEED_FORMAT_ATOM && (depth == 1 ||
		    (depth == 2 && el_lookup(node->parent) == EL_CHANNEL)))) {
			if (doc->nitems >= p->max_items) {
				doc->items_dropped++;
			} else {
				if ((node = xmlTextReaderExpand(r)) == NULL)
					return WALK_XMLERROR;
				if (doc->nitems == p->items_cap) {
					p->items_cap = p->items_cap ? p->items_cap * 2 : 16;
					doc->items = xreallocarray(doc->items, p->items_cap,
					    sizeof(*doc->items));
				}
				it = &doc->items[doc->nitems];
				parse_item(p, node, it);
				/* NOTE: an item with nothing to identify or show is skipped */
				if (it->guid || it->url || it->title || it->summary || it->content)
					doc->nitems++;
				else
					item_free(it);
			}
		} else if (e != EL_OTHER && ((doc->format == FEED_FORMAT_ATOM && depth == 1) ||
		    (doc->format != FEED_FORMAT_ATOM && depth == 2 &&
		    el_lookup(node->parent) == EL_CHANNEL))) {
			if ((node = xmlTextReaderExpand(r)) == NULL)
				return WALK_XMLERROR;
			parse_feed_field(p, node, e);
		}
		ret = xmlTextReaderNext(r);
	}
	if (ret < 0)
		return WALK_XMLERROR;
	if (doc->format == FEED_FORMAT_ATOM && p->feed_author != NULL)
		for (size_t i = 0; i < doc->nitems; i++)
			if (doc->items[i].author == NULL)
				doc->items[i].author = xstrdup(p->feed_author);
	return WALK_OK;
}

/* ------------------------------------------------------------------ */
/* API                                                                 */

#define READ_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC)

/*
 * The first (preferably fatal) error libxml2 reported, or the first that
 * hit one of its limits (depth, text node size, entity loops): a document
 * that does that is hostile, not sloppy, and is not read in recovery mode.
 */
struct xmlerr {
	int have, fatal, limit, line;
	char msg[160];
};

static void
on_xml_error(void *arg, xmlErrorPtr e)
{
	struct xmlerr *xe = arg;
	size_t n;

	int limit;

	if (e == NULL || e->level < XML_ERR_ERROR || e->message == NULL)
		return;
	limit = e->code == XML_ERR_NO_MEMORY || e->code == XML_ERR_INTERNAL_ERROR ||
	    e->code == XML_ERR_ENTITY_LOOP;
	if (xe->limit || (xe->have && !limit && (xe->fatal || e->level != XML_ERR_FATAL)))
		return;
	xe->have = 1;
	xe->limit = limit;
	xe->fatal = e->level == XML_ERR_FATAL;
	xe->line = e->line;
	snprintf(xe->msg, sizeof(xe->msg), "%s", e->message);
	n = strlen(xe->msg);
	while (n > 0 && (xe->msg[n - 1] == '\n' || xe->msg[n - 1] == ' '))
		xe->msg[--n] = '\0';
}

static xmlParserInputPtr
deny_entity_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* Discards libxml2's messages that have no parser context to go to. */
static void
silent_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void
feed_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_entity_loader);
	xmlSetGenericErrorFunc(NULL, silent_error);
}

static void
doc_clear(struct feed_doc *doc)
{
	for (size_t i = 0; i < doc->nitems; i++)
		item_free(&doc->items[i]);
	free(doc->items);
	free(doc->title);
	free(doc->url);
	memset(doc, 0, sizeof(*doc));
	doc->updated = DATE_UNSET;
}

static int
is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c >= 0x80;
}

/*
 * Length of the character or entity reference at s[0] == '&' (through
 * its ';'), or 0 when there is none.
 */
static size_t
ref_len(const char *s, size_t len, size_t *namelen)
{
	size_t j = 1;

	if (j < len && s[j] == '#') {
		j++;
		if (j < len && s[j] == 'x')
			j++;
		while (j < len && ((s[j] >= '0' && s[j] <= '9') ||
		    (s[j] >= 'a' && s[j] <= 'f') || (s[j] >= 'A' && s[j] <= 'F')))
			j++;
		*namelen = 0;
		return j < len && s[j] == ';' && j > 2 ? j + 1 : 0;
	}
	while (j < len && is_name_char((unsigned char)s[j]))
		j++;
	*namelen = j - 1;
	return j > 1 && j < len && s[j] == ';' ? j + 1 : 0;
}

/*
 * For the recovery pass over a UTF-8 document: a copy in which every '&'
 * that starts no reference is escaped and every reference to an HTML
 * entity the document cannot have declared (&nbsp; &eacute;) is a
 * character reference.  Those are the two commonest errors in feeds, and
 * libxml2's recovery would drop the '&' together with the text after it
 * ("a=1&b=2" becomes "a=1=2").  CDATA sections and comments are copied
 * as they are.
 */
static char *
recovery_fixup(const char *s, size_t len, size_t *outlen)
{
	static const char *const predefined[] = { "amp", "lt", "gt", "quot", "apos" };
	const htmlEntityDesc *h;
	struct buf b;
	size_t i = 0, start = 0, n, namelen;
	const char *q;

	buf_init(&b);
	buf_reserve(&b, len + len / 16);
	while (i < len) {
		if (s[i] == '<' && len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			q = memmem(s + i, len - i, "]]>", 3);
			i = q ? (size_t)(q - s) + 3 : len;
			continue;
		}
		if (s[i] == '<' && len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			q = memmem(s + i, len - i, "-->", 3);
			i = q ? (size_t)(q - s) + 3 : len;
			continue;
		}
		if (s[i] != '&') {
			i++;
			continue;
		}
		buf_append(&b, s + start, i - start);
		if ((n = ref_len(s + i, len - i, &namelen)) == 0) {
			buf_puts(&b, "&amp;");
			start = ++i;
			continue;
		}
		start = i;
		i += n;
		if (namelen == 0 || namelen > 32)
			continue;
		{
			char name[33];
			size_t k;

			memcpy(name, s + start + 1, namelen);
			name[namelen] = '\0';
			for (k = 0; k < ARRAY_LEN(predefined) && strcmp(name, predefined[k]) != 0; k++)
				;
			if (k == ARRAY_LEN(predefined) &&
			    (h = htmlEntityLookup((const xmlChar *)name)) != NULL) {
				buf_printf(&b, "&#%u;", h->value);
				start = i;
			}
		}
	}
	buf_append(&b, s + start, len - start);
	*outlen = b.len;
	return buf_steal(&b);
}

/* Parses with a fresh parser state; returns a WALK_* code. */
static int
parse_pass(const struct feed_parse_opts *opts, const struct feedenc *fe,
    int recover, struct feed_doc *doc, struct xmlerr *xe, char *err, size_t errlen)
{
	struct parser p = { .opts = opts, .doc = doc };
	xmlTextReaderPtr r;
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr xdoc = NULL;
	int rc;

	p.max_items = opts->max_items > 0 && opts->max_items < LIMIT_FEED_ITEMS ?
	    opts->max_items : LIMIT_FEED_ITEMS;
	doc_clear(doc);
	if (!recover) {
		r = xmlReaderForMemory(fe->data, (int)fe->len, NULL, fe->encoding, READ_OPTIONS);
		if (r != NULL)
			xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, xe);
	} else {
		const char *data = fe->data;
		size_t len = fe->len;
		char *fixed = NULL;

		if (fe->encoding == NULL) {
			fixed = recovery_fixup(fe->data, fe->len, &len);
			data = fixed;
		}
		if ((ctxt = xmlNewParserCtxt()) == NULL)
			fatalx("xmlNewParserCtxt failed");
		xdoc = len > INT_MAX ? NULL : xmlCtxtReadMemory(ctxt, data, (int)len,
		    NULL, fe->encoding, READ_OPTIONS | XML_PARSE_RECOVER);
		free(fixed);
		r = xdoc ? xmlReaderWalker(xdoc) : NULL;
	}
	rc = r ? walk(&p, r, err, errlen) : WALK_XMLERROR;
	xmlFreeTextReader(r);
	xmlFreeDoc(xdoc);
	xmlFreeParserCtxt(ctxt);
	free(p.feed_author);
	return rc;
}

int
feed_parse(const char *data, size_t len, const struct feed_parse_opts *opts,
    struct feed_doc *doc, char *err, size_t errlen)
{
	struct feed_parse_opts noopts = { 0 };
	struct xmlerr xe = { 0 };
	struct feedenc fe;
	size_t i;
	int rc;

	if (opts == NULL)
		opts = &noopts;
	if (jsonfeed_sniff(data, len))
		return jsonfeed_parse(data, len, opts, doc, err, errlen);
	memset(doc, 0, sizeof(*doc));
	doc->updated = DATE_UNSET;
	feedenc_prepare(data, len, opts->http_charset, &fe);
	for (i = 0; i < fe.len && (fe.data[i] == ' ' || fe.data[i] == '\t' ||
	    fe.data[i] == '\r' || fe.data[i] == '\n'); i++)
		;
	if (i == fe.len) {
		snprintf(err, errlen, "empty document");
		feedenc_free(&fe);
		return -1;
	}
	if (fe.encoding == NULL && fe.data[i] != '<') {
		snprintf(err, errlen, "not XML (the document starts with text, not '<')");
		feedenc_free(&fe);
		return -1;
	}
	if (fe.len > INT_MAX) {
		snprintf(err, errlen, "document too large (%zu bytes)", fe.len);
		feedenc_free(&fe);
		return -1;
	}
	rc = parse_pass(opts, &fe, 0, doc, &xe, err, errlen);
	if (rc == WALK_XMLERROR && xe.limit)
		snprintf(err, errlen, "parser limit exceeded at line %d: %s", xe.line, xe.msg);
	else if (rc == WALK_XMLERROR || rc == WALK_NOROOT) {
		char nerr[200];
		int rrc = parse_pass(opts, &fe, 1, doc, &xe, nerr, sizeof(nerr));

		if (rrc == WALK_OK && doc->nitems > 0) {
			doc->partial = 1;
			rc = WALK_OK;
		} else if (rrc == WALK_NOTFEED)
			snprintf(err, errlen, "%s", nerr);
		else if (rc == WALK_NOROOT)
			snprintf(err, errlen, "no root element");
		else if (xe.have)
			snprintf(err, errlen, "not well-formed XML at line %d: %s",
			    xe.line, xe.msg);
		else
			snprintf(err, errlen, "not well-formed XML");
	}
	feedenc_free(&fe);
	if (rc != WALK_OK) {
		doc_clear(doc);
		return -1;
	}
	return 0;
}

void
feed_doc_free(struct feed_doc *doc)
{
	if (doc != NULL)
		doc_clear(doc);
}

const char *
feed_format_name(enum feed_format f)
{
	switch (f) {
	case FEED_FORMAT_RSS: return "rss";
	case FEED_FORMAT_RDF: return "rdf";
	case FEED_FORMAT_ATOM: return "atom";
	case FEED_FORMAT_JSON: return "json";
	default: return "unknown";
	}
}

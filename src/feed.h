/*
 * feed.h: RSS 0.9x/1.0/2.0, Atom 1.0 and JSON Feed 1.0/1.1 bytes -> items
 * (pure).
 *
 * A document whose first byte (after a byte order mark and whitespace) is
 * '{' is read as a JSON Feed (jsonfeed.h); anything else as XML.
 *
 * XML parsing is streaming (libxml2's xmlReader) with the safe option set:
 * no network, no DTD loading, no entity substitution, and a deny-all
 * external entity loader installed by feed_init.  Every returned string is
 * valid UTF-8 and bounded by bounds.h.
 */
#ifndef DATELINE_FEED_H
#define DATELINE_FEED_H

#include <stddef.h>
#include <stdint.h>

enum feed_format {
	FEED_FORMAT_UNKNOWN,
	FEED_FORMAT_RSS,   /* RSS 0.9x and 2.0 */
	FEED_FORMAT_RDF,   /* RSS 1.0 (and 0.90) */
	FEED_FORMAT_ATOM,  /* Atom 1.0 (and 0.3) */
	FEED_FORMAT_JSON,  /* JSON Feed 1.0 and 1.1 */
};

struct feed_enclosure {
	char *url;           /* absolute */
	char *type;          /* MIME type or NULL */
	long long length;    /* bytes, or -1 when unknown */
};

struct feed_item {
	char *guid;          /* guid / atom:id / rdf:about, or NULL */
	char *url;           /* absolute link (Atom: rel="alternate"), or NULL */
	char *title;         /* plain text, one line, or NULL */
	char *summary;       /* plain text (description / atom:summary), or NULL */
	char *content;       /* sanitized HTML (content:encoded / atom:content), or NULL */
	char *author;        /* plain text (author / dc:creator / atom:author/name), or NULL */
	int64_t published;   /* UTC seconds, or DATE_UNSET */
	int64_t updated;     /* UTC seconds, or DATE_UNSET */
	char **categories;   /* plain text, one line each */
	size_t ncategories;
	struct feed_enclosure *enclosures;
	size_t nenclosures;
};

struct feed_doc {
	enum feed_format format;
	char *title;         /* plain text, or NULL */
	char *url;           /* the site link (absolute), or NULL */
	int64_t updated;     /* UTC seconds, or DATE_UNSET */
	struct feed_item *items;
	size_t nitems;
	int partial;         /* 1 when recovered from a malformed document */
	size_t items_dropped;/* items beyond LIMIT_FEED_ITEMS */
};

struct feed_parse_opts {
	const char *base_url;      /* the document's URL, for relative links; may be NULL */
	const char *http_charset;  /* charset from Content-Type, or NULL */
	const char *default_tz;    /* IANA zone for times without a zone, or NULL (UTC) */
	size_t max_items;          /* 0 means LIMIT_FEED_ITEMS */
};

/* Once per process, before any parse: installs the deny-all entity loader. */
void feed_init(void);

/*
 * Parses data[0..len).  Returns 0 and fills *doc (which the caller frees
 * with feed_doc_free) or -1 with a one-line reason in err.  A malformed
 * XML document is retried once in recovery mode; if that yields items,
 * the result is returned with doc->partial set.  Malformed JSON is an
 * error.
 */
int feed_parse(const char *data, size_t len, const struct feed_parse_opts *opts,
    struct feed_doc *doc, char *err, size_t errlen);

void feed_doc_free(struct feed_doc *doc);

const char *feed_format_name(enum feed_format f);

#endif

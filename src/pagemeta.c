/*
 * pagemeta.c: the one-line fields of an article page: URL, title, byline,
 * agency, dateline, and publication times.
 *
 * Each field takes the most trusted source that has it: the per-site
 * override (applied last, in page.c), JSON-LD, meta tags and microdata,
 * then what the page shows (byline and date elements, the leading
 * dateline of the text).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "pageint.h"
#include "text.h"
#include "url.h"
#include "util.h"

#define MAX_AGENCIES 8
#define NEAR_TITLE_BLOCKS 12    /* blocks after the headline looked at for "By ..." */

static int
prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static const char *const published_keys[] = {
	"article:published_time", "og:article:published_time", "datePublished",
	"publish-date", "publish_date", "pubdate", "article.published",
	"dc.date.issued", "dcterms.created", "dc.date", "sailthru.date",
	"parsely-pub-date", "date",
};

static const char *const modified_keys[] = {
	"article:modified_time", "og:updated_time", "dateModified",
	"article.updated", "dcterms.modified", "modified-date", "modified_date",
	"last-modified",
};

static const char *const author_keys[] = {
	"author", "article:author", "byline", "dc.creator", "parsely-author",
	"sailthru.author",
};

/*
 * Words that end in a colon at the start of a paragraph without being a
 * place ("Disclaimer: ...", "Watch: ...").  NOTE: a dateline written
 * "Place:" is only believed when the place is not one of these.
 */
static const char *const not_places[] = {
	"advertisement", "also", "also read", "analysis", "background", "breaking",
	"by", "caption", "clarification", "context", "correction", "disclaimer",
	"editor's note", "exclusive", "file photo", "highlights", "image",
	"key highlights", "listen", "live", "note", "opinion", "photo", "posted",
	"published", "q", "a", "quote", "read", "read more", "representative image",
	"source", "sources", "summary", "tags", "update", "updated", "video",
	"warning", "watch",
};

const char *
page_meta(const struct page_ctx *c, const char *key)
{
	for (size_t i = 0; i < c->d.nmeta; i++)
		if (strcasecmp(c->d.meta[i].key, key) == 0 && c->d.meta[i].value[0] != '\0')
			return c->d.meta[i].value;
	return NULL;
}

static char *
fold_dup(const char *s)
{
	char *t;

	if (s == NULL)
		return NULL;
	t = text_fold(s, strnlen(s, PAGE_MAX_FIELD));
	if (t[0] == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

static char *
elem_text(const struct page_ctx *c, uint32_t i)
{
	struct buf b;

	buf_init(&b);
	pdom_node_text(c->d.el[i].node, &b, PAGE_MAX_FIELD);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* hAtom's machine-readable time: <abbr class="published" title="ISO">. */
static const char *
abbr_title(const xmlNode *n)
{
	if (n->name == NULL || strcmp((const char *)n->name, "abbr") != 0)
		return NULL;
	return pdom_attr(n, "title");
}

/* The value of a microdata element: content, datetime, or its text. */
static char *
itemprop_value(const struct page_ctx *c, uint32_t i)
{
	const char *v;

	if (i == PEL_NONE)
		return NULL;
	if ((v = pdom_attr(c->d.el[i].node, "content")) != NULL ||
	    (v = pdom_attr(c->d.el[i].node, "datetime")) != NULL ||
	    (v = abbr_title(c->d.el[i].node)) != NULL)
		return fold_dup(v);
	return elem_text(c, i);
}

static int
parse_time(const char *s, const char *tz, int64_t *out)
{
	return s != NULL && date_parse(s, tz, out) == 0;
}

/* ------------------------------------------------------------------ */
/* Title                                                               */

static int
ends_with_ci(const char *s, size_t n, const char *tail, size_t tn)
{
	return n >= tn && strncasecmp(s + n - tn, tail, tn) == 0;
}

/*
 * A <title> or og:title without the site's name: "Headline | Site",
 * "Headline - Site", "Site | Headline".
 */
static char *
strip_site(char *t, const char *site)
{
	static const char *const seps[] = { " | ", " - ", " \xE2\x80\x93 ",
	    " \xE2\x80\x94 ", " :: ", " \xC2\xB7 " };
	size_t n = strlen(t), sl = site ? strlen(site) : 0;

	for (size_t i = 0; i < ARRAY_LEN(seps); i++) {
		size_t k = strlen(seps[i]);

		if (sl > 0 && n > sl + k && ends_with_ci(t, n, site, sl) &&
		    strncmp(t + n - sl - k, seps[i], k) == 0) {
			t[n - sl - k] = '\0';
			return t;
		}
		if (sl > 0 && n > sl + k && strncasecmp(t, site, sl) == 0 &&
		    strncmp(t + sl, seps[i], k) == 0) {
			memmove(t, t + sl + k, n - sl - k + 1);
			return t;
		}
	}
	/* No site name to go by: only the unambiguous " | " tail. */
	if (sl == 0) {
		char *bar = strstr(t, " | ");

		if (bar != NULL && bar > t && strlen(bar + 3) <= 40)
			*bar = '\0';
	}
	return t;
}

/*
 * Without an h1: the block whose text is og:title or one part of <title>
 * ("Site :: Headline") is the visible headline.  NOTE: only the first
 * 400 blocks are looked at: a headline comes early.
 */
static char *
headline_block(struct page_ctx *c, const char *og)
{
	static const char *const seps[] = { " | ", " :: ", " - ", " \xE2\x80\x93 ",
	    " \xE2\x80\x94 ", " : " };
	const struct pdom *d = &c->d;
	const char *cands[8];
	size_t lens[8], n = 0;

	if (og != NULL) {
		cands[n] = og;
		lens[n++] = strlen(og);
	}
	if (d->title != NULL) {
		const char *p = d->title;

		cands[n] = p;
		lens[n++] = strlen(p);
		for (size_t i = 0; i < ARRAY_LEN(seps) && n < ARRAY_LEN(cands) - 1; i++) {
			const char *sep = strstr(p, seps[i]);

			if (sep != NULL) {
				cands[n] = p;
				lens[n++] = (size_t)(sep - p);
				cands[n] = sep + strlen(seps[i]);
				lens[n++] = strlen(sep + strlen(seps[i]));
				break;
			}
		}
	}
	for (uint32_t b = 0; b < d->nbl && b < 400; b++) {
		const struct pblock *bl = &d->bl[b];

		if (bl->links * 2 > bl->chars || d->el[bl->el].junk != PEL_NONE)
			continue;
		for (size_t i = 0; i < n; i++)
			if (lens[i] >= 10 && bl->len == lens[i] &&
			    memcmp(pdom_block_text(d, bl), cands[i], lens[i]) == 0) {
				c->title_block = b;
				return xstrndup(cands[i], lens[i]);
			}
	}
	return NULL;
}

static void
find_title(struct page_ctx *c, struct page_article *a)
{
	const struct pdom *d = &c->d;
	const char *og = page_meta(c, "og:title"), *site = page_meta(c, "og:site_name");
	char *h1 = NULL, *t = NULL;

	if (og == NULL)
		og = page_meta(c, "twitter:title");
	if (site == NULL)
		site = c->ld.publisher;
	/*
	 * The visible headline: the h1 that says what the structured data
	 * says (a page may carry the next story too), else the first h1 not
	 * in junk and not a logo link.
	 */
	for (size_t i = 0; i < d->nh1; i++) {
		const struct pel *e = &d->el[d->h1[i]];
		const char *want = c->ld.headline ? c->ld.headline : og ? og : d->title;
		char *x;

		if (e->junk != PEL_NONE || e->links * 2 > e->text ||
		    (x = elem_text(c, d->h1[i])) == NULL)
			continue;
		if (h1 == NULL || (want != NULL && strncasecmp(want, x, strlen(x)) == 0)) {
			free(h1);
			h1 = x;
			c->title_block = e->bstart;
			c->title_el = d->h1[i];
			if (want != NULL && strncasecmp(want, x, strlen(x)) == 0)
				break;
		} else
			free(x);
	}
	if (c->ld.headline != NULL)
		t = xstrdup(c->ld.headline);
	else if (d->ip_headline != PEL_NONE)
		t = itemprop_value(c, d->ip_headline);
	if (t == NULL && h1 != NULL) {
		t = h1;
		h1 = NULL;
	}
	if (t == NULL)
		t = headline_block(c, og);
	if (t == NULL && og != NULL && (t = fold_dup(og)) != NULL)
		t = strip_site(t, site);
	if (t == NULL && d->title != NULL)
		t = strip_site(xstrdup(d->title), site);
	free(h1);
	if (t != NULL && t[0] != '\0')
		a->title = page_field(t, strlen(t));
	free(t);
}

/* ------------------------------------------------------------------ */
/* Times                                                               */

struct label {
	const char *text;
	int updated;
};

/* Longest first, so "last updated on" wins over "updated". */
static const struct label labels[] = {
	{ "first published on", 0 }, { "last updated on", 1 }, { "last updated at", 1 },
	{ "first published", 0 }, { "published on", 0 }, { "published at", 0 },
	{ "last modified", 1 }, { "last updated", 1 }, { "modified on", 1 },
	{ "updated on", 1 }, { "updated at", 1 }, { "created on", 0 },
	{ "posted on", 0 }, { "posted at", 0 }, { "published", 0 }, { "modified", 1 },
	{ "updated", 1 }, { "edited", 1 }, { "posted", 0 }, { "date", 0 },
};

static int
word_at(const char *s, size_t len, size_t i, size_t n)
{
	unsigned char before = i > 0 ? (unsigned char)s[i - 1] : ' ';
	unsigned char after = i + n < len ? (unsigned char)s[i + n] : ' ';

	return !((before | 0x20) >= 'a' && (before | 0x20) <= 'z') &&
	    !((after | 0x20) >= 'a' && (after | 0x20) <= 'z');
}

/* One segment of a date line ("Updated: June 19, 2024 06:35 IST"). */
static void
segment_dates(const char *s, size_t len, const char *tz, int64_t *pub, int64_t *upd)
{
	char *seg = xstrndup(s, len), *lower = xstrndup(s, len);
	int labelled = 0;
	int64_t t;

	for (char *q = lower; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	for (size_t l = 0; l < ARRAY_LEN(labels); l++) {
		size_t n = strlen(labels[l].text);
		const char *hit;

		for (hit = strstr(lower, labels[l].text); hit != NULL;
		    hit = strstr(hit + 1, labels[l].text)) {
			size_t i = (size_t)(hit - lower);
			const char *p;

			if (!word_at(lower, len, i, n))
				continue;
			labelled = 1;
			p = seg + i + n;
			while (*p == ':' || *p == ' ' || *p == '-')
				p++;
			if (date_parse(p, tz, &t) == 0) {
				int64_t *dst = labels[l].updated ? upd : pub;

				if (*dst == DATE_UNSET)
					*dst = t;
			}
			/* "updated" is not read again as "date". */
			memset(lower + i, ' ', n);
			break;
		}
	}
	if (!labelled && date_parse(seg, tz, &t) == 0 && *pub == DATE_UNSET)
		*pub = t;
	free(seg);
	free(lower);
}

void
page_visible_dates(const char *s, size_t len, const char *tz, int64_t *pub,
    int64_t *upd)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i, k;

		while (j < len && s[j] != '|' && s[j] != '\n' &&
		    !(j + 1 < len && (unsigned char)s[j] == 0xC2 && (unsigned char)s[j + 1] == 0xB7) &&
		    !(j + 2 < len && (unsigned char)s[j] == 0xE2 && (unsigned char)s[j + 1] == 0x80 &&
		    (unsigned char)s[j + 2] == 0xA2))
			j++;
		k = j;
		while (k > i && s[k - 1] == ' ')
			k--;
		while (i < k && s[i] == ' ')
			i++;
		if (k > i && k - i < 200)
			segment_dates(s + i, k - i, tz, pub, upd);
		if (j >= len)
			break;
		i = j + ((unsigned char)s[j] == 0xC2 ? 2 : (unsigned char)s[j] == 0xE2 ? 3 : 1);
	}
}

static void
structured_dates(struct page_ctx *c, struct page_article *a)
{
	const char *tz = c->opts->default_tz;
	char *v;

	if (!parse_time(c->ld.published, tz, &a->published))
		for (size_t i = 0; i < ARRAY_LEN(published_keys); i++)
			if (parse_time(page_meta(c, published_keys[i]), tz, &a->published))
				break;
	if (a->published == DATE_UNSET && (v = itemprop_value(c, c->d.ip_published)) != NULL) {
		parse_time(v, tz, &a->published);
		free(v);
	}
	if (!parse_time(c->ld.modified, tz, &a->updated))
		for (size_t i = 0; i < ARRAY_LEN(modified_keys); i++)
			if (parse_time(page_meta(c, modified_keys[i]), tz, &a->updated))
				break;
	if (a->updated == DATE_UNSET && (v = itemprop_value(c, c->d.ip_modified)) != NULL) {
		parse_time(v, tz, &a->updated);
		free(v);
	}
}

/* What the page shows: <time>, date elements, the byline line. */
static void
visible_dates(struct page_ctx *c, struct page_article *a)
{
	const struct pdom *d = &c->d;
	const char *tz = c->opts->default_tz;
	int64_t pub = DATE_UNSET, upd = DATE_UNSET;

	for (size_t i = 0; i < d->ndates; i++) {
		const struct pel *e = &d->el[d->dates[i]];
		const char *dt = e->tag == T_TIME ? pdom_attr(e->node, "datetime") :
		    abbr_title(e->node);
		int64_t t;

		if (dt != NULL && date_parse(dt, tz, &t) == 0) {
			int64_t p2 = DATE_UNSET, u2 = DATE_UNSET;
			int updated = (e->cflags & C_UPDATED) != 0;

			/* Unclassed: the label in the line around it decides. */
			if (!(e->cflags & (C_UPDATED | C_PUBLISHED)) && e->bstart < d->nbl) {
				const struct pblock *b = &d->bl[e->bstart];

				page_visible_dates(pdom_block_text(d, b), b->len, tz, &p2, &u2);
				updated = u2 != DATE_UNSET && p2 == DATE_UNSET;
			}
			if (updated && upd == DATE_UNSET)
				upd = t;
			else if (!updated && pub == DATE_UNSET)
				pub = t;
		} else {
			char *s = elem_text(c, d->dates[i]);

			if (s != NULL) {
				int64_t p2 = DATE_UNSET, u2 = DATE_UNSET;

				page_visible_dates(s, strlen(s), tz, &p2, &u2);
				/* A bare time in an element classed "updated". */
				if ((e->cflags & C_UPDATED) && p2 != DATE_UNSET && u2 == DATE_UNSET) {
					u2 = p2;
					p2 = DATE_UNSET;
				}
				if (pub == DATE_UNSET)
					pub = p2;
				if (upd == DATE_UNSET)
					upd = u2;
				free(s);
			}
		}
	}
	for (size_t i = 0; i < d->nbylines; i++) {
		char *s = elem_text(c, d->bylines[i]);

		if (s != NULL) {
			page_visible_dates(s, strlen(s), tz, &pub, &upd);
			free(s);
		}
	}
	if (c->title_block != PEL_NONE)
		for (uint32_t b = c->title_block + 1; b < d->nbl &&
		    b <= c->title_block + NEAR_TITLE_BLOCKS; b++)
			if (d->bl[b].chars < 200)
				page_visible_dates(pdom_block_text(d, &d->bl[b]), d->bl[b].len,
				    tz, &pub, &upd);
	if (a->published == DATE_UNSET)
		a->published = pub;
	if (a->updated == DATE_UNSET)
		a->updated = upd;
}

/* ------------------------------------------------------------------ */
/* Byline                                                              */

char *
page_byline_clean(const char *s, size_t len)
{
	static const char *const prefixes[] = {
		"written by", "reported by", "posted by", "story by", "words by",
		"edited by", "compiled by", "authored by", "author:", "authors:",
		"byline:", "by:", "by",
	};
	static const char *const stops[] = {
		"updated", "published", "last updated", "first published", "posted on",
		"posted:", "posted at",
	};
	char *t = text_fold(s, len < PAGE_MAX_FIELD ? len : PAGE_MAX_FIELD), *p = t, *cut;
	size_t n;
	int64_t when;

	for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
		size_t k = strlen(prefixes[i]);

		if (strncasecmp(p, prefixes[i], k) == 0 &&
		    (p[k] == ' ' || p[k] == ':' || prefixes[i][k - 1] == ':')) {
			p += k;
			while (*p == ' ' || *p == ':')
				p++;
			break;
		}
	}
	if ((cut = strpbrk(p, "|\n")) != NULL)
		*cut = '\0';
	if ((cut = strstr(p, "\xC2\xB7")) != NULL || (cut = strstr(p, "\xE2\x80\xA2")) != NULL)
		*cut = '\0';
	for (size_t i = 0; i < ARRAY_LEN(stops); i++) {
		size_t k = strlen(stops[i]);

		for (char *q = p; *q; q++)
			if (strncasecmp(q, stops[i], k) == 0 && (q == p || q[-1] == ' ')) {
				*q = '\0';
				break;
			}
	}
	/* "Jane Doe on June 19, 2024" and "Jane Doe, June 19, 2024". */
	for (char *q = p; *q; q++)
		if ((strncmp(q, " on ", 4) == 0 && date_parse(q + 4, NULL, &when) == 0) ||
		    (strncmp(q, ", ", 2) == 0 && date_parse(q + 2, NULL, &when) == 0)) {
			*q = '\0';
			break;
		}
	n = strlen(p);
	while (n > 0 && strchr(" ,;:-/", p[n - 1]) != NULL)
		n--;
	while (n >= 3 && (unsigned char)p[n - 3] == 0xE2 && (unsigned char)p[n - 2] == 0x80 &&
	    ((unsigned char)p[n - 1] == 0x93 || (unsigned char)p[n - 1] == 0x94)) {
		n -= 3;
		while (n > 0 && p[n - 1] == ' ')
			n--;
	}
	p[n] = '\0';
	if (n == 0 || n > 150 || strncasecmp(p, "http", 4) == 0 ||
	    date_parse(p, NULL, &when) == 0) {
		free(t);
		return NULL;
	}
	p = page_field(p, n);
	free(t);
	return p;
}

static char *
credit_line(const struct page_ctx *c, const struct pblock *bl)
{
	const char *t = pdom_block_text(&c->d, bl);
	int64_t pub = DATE_UNSET, upd = DATE_UNSET;
	size_t n, words = 1;

	if (bl->chars > 150 || bl->links * 2 > bl->chars || !(t[0] >= 'A' && t[0] <= 'Z'))
		return NULL;
	for (n = 0; n < bl->len && t[n] != '|'; n++) {
		if (t[n] >= '0' && t[n] <= '9')
			return NULL;
		if (t[n] == ' ')
			words++;
	}
	if (n >= bl->len || n > 60 || words > 7)
		return NULL;
	page_visible_dates(t + n + 1, bl->len - n - 1, c->opts->default_tz, &pub, &upd);
	if (pub == DATE_UNSET && upd == DATE_UNSET)
		return NULL;
	return page_byline_clean(t, n);
}

/* The byline from JSON-LD, microdata or meta tags, or NULL. */
static char *
structured_byline(struct page_ctx *c)
{
	const struct pdom *d = &c->d;
	char *s, *b;

	if (c->ld.author != NULL && (b = page_byline_clean(c->ld.author,
	    strlen(c->ld.author))) != NULL)
		return b;
	if (d->ip_author != PEL_NONE) {
		uint32_t i = d->ip_author, name = PEL_NONE;

		/* itemprop="author" itemscope with itemprop="name" inside. */
		for (uint32_t j = i + 1; j <= d->el[i].end && j < i + 32; j++) {
			const char *ip = pdom_attr(d->el[j].node, "itemprop");

			if (ip != NULL && strcmp(ip, "name") == 0) {
				name = j;
				break;
			}
		}
		if ((s = itemprop_value(c, name != PEL_NONE ? name : i)) != NULL) {
			b = page_byline_clean(s, strlen(s));
			free(s);
			if (b != NULL)
				return b;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(author_keys); i++) {
		const char *v = page_meta(c, author_keys[i]);

		if (v != NULL && strncasecmp(v, "http", 4) != 0 &&
		    (b = page_byline_clean(v, strlen(v))) != NULL)
			return b;
	}
	return NULL;
}

/* The byline the page shows, remembering its block; or NULL. */
static char *
visible_byline(struct page_ctx *c)
{
	const struct pdom *d = &c->d;
	char *s, *b;

	for (size_t i = 0; i < d->nbylines; i++) {
		if ((s = elem_text(c, d->bylines[i])) == NULL)
			continue;
		b = page_byline_clean(s, strlen(s));
		free(s);
		if (b != NULL) {
			c->byline_block = d->el[d->bylines[i]].bstart;
			return b;
		}
	}
	/* A "By ..." line under the headline. */
	if (c->title_block != PEL_NONE)
		for (uint32_t k = c->title_block + 1; k < d->nbl &&
		    k <= c->title_block + NEAR_TITLE_BLOCKS; k++) {
			const struct pblock *bl = &d->bl[k];
			const char *t = pdom_block_text(d, bl);

			if (bl->chars < 150 && bl->len > 4 && strncasecmp(t, "by ", 3) == 0 &&
			    t[3] >= 'A' && t[3] <= 'Z' && (b = page_byline_clean(t, bl->len)) != NULL) {
				c->byline_block = k;
				return b;
			}
		}
	/*
	 * "Eastern Herald News Service | Published: 24 June 2024": a credit
	 * line under the headline, a name before a separator and a time.
	 */
	if (c->title_block != PEL_NONE)
		for (uint32_t k = c->title_block + 1; k < d->nbl && k <= c->title_block + 3; k++)
			if ((b = credit_line(c, &d->bl[k])) != NULL) {
				c->byline_block = k;
				return b;
			}
	return NULL;
}

/*
 * Structured data is trusted first; the visible byline is looked for in
 * any case, so that its line is kept out of the text.
 */
static char *
find_byline(struct page_ctx *c)
{
	char *shown = visible_byline(c), *b = structured_byline(c);

	if (b == NULL)
		return shown;
	free(shown);
	return b;
}

/* ------------------------------------------------------------------ */
/* Dateline and agency                                                 */

static int
is_dash_at(const char *s, size_t len, size_t i, size_t *n)
{
	if (i < len && s[i] == '-') {
		*n = (i + 1 < len && s[i + 1] == '-') ? 2 : 1;
		return 1;
	}
	if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
		*n = 3;
		return 1;
	}
	return 0;
}

/* Devanagari danda, which ends a Hindi dateline. */
static int
is_danda_at(const char *s, size_t len, size_t i)
{
	return i + 2 < len && (unsigned char)s[i] == 0xE0 &&
	    (unsigned char)s[i + 1] == 0xA5 && (unsigned char)s[i + 2] == 0xA4;
}

static char *
place_name(const char *s, size_t n)
{
	char *p = xstrndup(s, n);
	int lower = 0, start = 1;

	for (char *q = p; *q; q++)
		if (*q >= 'a' && *q <= 'z')
			lower = 1;
	if (!lower) {
		/* "NEW DELHI" -> "New Delhi". */
		for (char *q = p; *q; q++) {
			if (*q >= 'A' && *q <= 'Z' && !start)
				*q = (char)(*q - 'A' + 'a');
			start = *q == ' ' || *q == '-' || *q == '.' || *q == '\'' || *q == '(';
		}
	}
	return p;
}

char *
page_dateline_parse(const struct page_rules *r, const char *s, size_t len, size_t *coff,
    size_t *clen, int *only)
{
	size_t i, pend, p, n, words = 1;
	int lower = 0, date = 0, credit = 0, sep = 0, colon = 0, caps_words = 1;
	unsigned char c0;

	*coff = *clen = 0;
	*only = 0;
	if (len == 0)
		return NULL;
	c0 = (unsigned char)s[0];
	if (!((c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80))
		return NULL;
	for (i = 0; i < len && i < 48; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == ',' || ch == '(' || ch == ':' || ch == '[' || is_danda_at(s, len, i))
			break;
		if (ch == ' ' && (is_dash_at(s, len, i + 1, &n) || (i + 1 < len &&
		    (s[i + 1] == '(' || s[i + 1] == '['))))
			break;
		if (ch == ' ') {
			words++;
			if (i + 1 < len && !((s[i + 1] >= 'A' && s[i + 1] <= 'Z') ||
			    (unsigned char)s[i + 1] >= 0x80))
				caps_words = 0;
			continue;
		}
		if (ch >= 0x80)
			continue;
		if (ch >= 'a' && ch <= 'z')
			lower = 1;
		else if (!((ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '\'' || ch == '-'))
			return NULL;
	}
	if (i == 0 || i >= len || i == 48 || words > 5)
		return NULL;
	pend = i;
	while (pend > 0 && s[pend - 1] == ' ')
		pend--;
	p = i;
	/*
	 * Qualifiers before the date: "Mumbai (Maharashtra) [India], June 21
	 * (ANI):".  A parenthesis not followed by a date is the credit:
	 * "NEW DELHI (Reuters) -".
	 */
	for (int groups = 0; groups < 3; groups++) {
		const char *close;
		char open;

		while (p < len && s[p] == ' ')
			p++;
		if (p >= len || (s[p] != '[' && s[p] != '('))
			break;
		open = s[p];
		close = memchr(s + p, open == '[' ? ']' : ')', len - p < 48 ? len - p : 48);
		if (close == NULL)
			return NULL;
		if (open == '(') {
			*coff = p + 1;
			*clen = (size_t)(close - s) - p - 1;
			credit = 1;
		}
		p = (size_t)(close - s) + 1;
	}
	while (p < len && s[p] == ' ')
		p++;
	if (p < len && s[p] == ',') {
		size_t q = ++p, digits = 0;

		credit = 0;     /* that was a qualifier; the credit follows the date */
		*coff = *clen = 0;
		while (q < len && q - p < 32 && s[q] != '(' && s[q] != ':' &&
		    !is_danda_at(s, len, q) && !(s[q] == ' ' && is_dash_at(s, len, q + 1, &n))) {
			if (s[q] >= '0' && s[q] <= '9')
				digits++;
			q++;
		}
		if (digits == 0 || digits > 8 || (q - p >= 32 && q < len))
			return NULL;
		date = 1;
		p = q;
		while (p < len && s[p] == ' ')
			p++;
	}
	if (date && p < len && s[p] == '(') {
		const char *close = memchr(s + p, ')', len - p < 48 ? len - p : 48);

		if (close == NULL)
			return NULL;
		*coff = p + 1;
		*clen = (size_t)(close - s) - p - 1;
		credit = 1;
		p = (size_t)(close - s) + 1;
		while (p < len && s[p] == ' ')
			p++;
	}
	if (p < len && s[p] == ':') {
		sep = colon = 1;
		p++;
	} else if (is_dash_at(s, len, p, &n)) {
		sep = 1;
		p += n;
	} else if (is_danda_at(s, len, p)) {
		sep = 1;
		p += 3;
	}
	if (!date && !credit) {
		char *place;
		int stop = 0;

		if (!sep)
			return NULL;
		if (colon && words > 4)
			return NULL;
		if (!colon && lower)
			return NULL;    /* "LONDON -": capitals only */
		if (colon && lower && !caps_words)
			return NULL;
		place = xstrndup(s, pend);
		for (size_t k = 0; k < ARRAY_LEN(not_places); k++)
			if (strcasecmp(place, not_places[k]) == 0)
				stop = 1;
		free(place);
		if (stop)
			return NULL;
	} else if (date && !credit && !sep && p < len)
		return NULL;
	else if (!date && credit && lower) {
		/*
		 * "Paris (AFP) -" but not "The Indian Space Research
		 * Organisation (ISRO) will": without a date, the parenthesis
		 * must name an agency (or the place be in capitals).
		 */
		size_t ags[1];

		if (r == NULL || page_agencies_in(r, s + *coff, *clen, ags, 0, 1) == 0)
			return NULL;
	}
	while (p < len && s[p] == ' ')
		p++;
	*only = p >= len;
	return place_name(s, pend);
}

static void
add_agencies(struct page_ctx *c, const char *s, size_t len, size_t *ags, size_t *n)
{
	if (s != NULL && len > 0)
		*n = page_agencies_in(c->rules, s, len, ags, *n, MAX_AGENCIES);
}

/*
 * Agencies in the credits of the text: short closing lines ("--IANS ab/cd",
 * "(With inputs from PTI)"), a tail after a dash ("... said. — Reuters").
 */
static void
credit_agencies(struct page_ctx *c, size_t *ags, size_t *n)
{
	for (size_t i = 0; i < c->nparas; i++) {
		const struct page_para *p = &c->paras[i];
		int closing = i + 3 >= c->nparas;

		if ((closing && p->len <= 100) || (p->len <= 200 &&
		    (prefix_ci(p->s, "(with inputs from") || prefix_ci(p->s, "with inputs from"))))
			add_agencies(c, p->s, p->len, ags, n);
	}
	if (c->nparas > 0) {
		const struct page_para *p = &c->paras[c->nparas - 1];
		size_t from = p->len > 40 ? p->len - 40 : 0;

		for (size_t k = p->len; k > from; k--) {
			size_t dn;

			if (is_dash_at(p->s, p->len, k - 1, &dn) && k >= 2 && p->s[k - 2] == ' ') {
				add_agencies(c, p->s + k, p->len - k, ags, n);
				break;
			}
		}
	}
}

/* "Source: IANS" or "Agency: PTI" in the byline area, up to a '|'. */
static void
source_in(struct page_ctx *c, const char *t, size_t len, size_t *ags, size_t *n)
{
	static const char *const labels_src[] = { "source:", "source -", "agency:", "inputs:" };

	for (size_t l = 0; l < ARRAY_LEN(labels_src); l++) {
		size_t k = strlen(labels_src[l]);

		for (size_t i = 0; i + k <= len; i++)
			if (strncasecmp(t + i, labels_src[l], k) == 0 &&
			    (i == 0 || t[i - 1] == ' ' || t[i - 1] == '|')) {
				const char *v = t + i + k, *bar = memchr(v, '|', len - i - k);

				add_agencies(c, v, bar ? (size_t)(bar - v) : len - i - k, ags, n);
				break;
			}
	}
}

static void
source_agencies(struct page_ctx *c, size_t *ags, size_t *n)
{
	const struct pdom *d = &c->d;

	for (size_t i = 0; i < d->nbylines; i++) {
		const struct pel *e = &d->el[d->bylines[i]];

		for (uint32_t b = e->bstart; b < e->bend && b < e->bstart + 4; b++)
			source_in(c, pdom_block_text(d, &d->bl[b]), d->bl[b].len, ags, n);
	}
	if (c->title_block != PEL_NONE)
		for (uint32_t b = c->title_block + 1; b < d->nbl &&
		    b <= c->title_block + NEAR_TITLE_BLOCKS; b++)
			if (d->bl[b].chars < 200)
				source_in(c, pdom_block_text(d, &d->bl[b]), d->bl[b].len, ags, n);
}

static void
dateline_and_agency(struct page_ctx *c, struct page_article *a)
{
	const struct pdom *d = &c->d;
	size_t ags[MAX_AGENCIES], nags = 0, coff = 0, clen = 0;
	int only = 0, specific = 0;
	struct buf b;

	/* A dateline the site prints apart from the text. */
	for (size_t i = 0; i < d->ndatelines && a->dateline == NULL; i++) {
		const struct pel *e = &d->el[d->datelines[i]];
		char *t;

		if (e->text == 0 || e->text > 60 || (t = elem_text(c, d->datelines[i])) == NULL)
			continue;
		if ((a->dateline = page_dateline_parse(c->rules, t, strlen(t), &coff, &clen, &only)) != NULL)
			add_agencies(c, t + coff, clen, ags, &nags);
		else {
			size_t n = strcspn(t, ",:(");

			while (n > 0 && t[n - 1] == ' ')
				n--;
			if (n > 0 && n < 40 && !(t[0] >= 'a' && t[0] <= 'z') &&
			    !(t[0] >= '0' && t[0] <= '9'))
				a->dateline = place_name(t, n);
		}
		free(t);
	}
	if (c->nparas > 0) {
		const struct page_para *p = &c->paras[0];
		char *place = page_dateline_parse(c->rules, p->s, p->len, &coff, &clen, &only);

		if (place != NULL) {
			add_agencies(c, p->s + coff, clen, ags, &nags);
			if (a->dateline == NULL) {
				a->dateline = place;
				place = NULL;
			}
			/* A paragraph that is only "NEW DELHI:" is printed apart. */
			if (only && c->nparas > 1) {
				memmove(c->paras, c->paras + 1, (c->nparas - 1) * sizeof(*c->paras));
				c->nparas--;
			}
		}
		free(place);
	}
	add_agencies(c, a->byline, a->byline ? strlen(a->byline) : 0, ags, &nags);
	source_agencies(c, ags, &nags);
	credit_agencies(c, ags, &nags);
	if (c->disclaimer_block != PEL_NONE) {
		const struct pblock *bl = &d->bl[c->disclaimer_block];

		add_agencies(c, pdom_block_text(d, bl), bl->len, ags, &nags);
	}
	/* On an agency's own site the publisher is the agency. */
	if (nags == 0 && c->ld.publisher != NULL)
		add_agencies(c, c->ld.publisher, strlen(c->ld.publisher), ags, &nags);
	for (size_t i = 0; i < nags; i++)
		if (!c->rules->generic[ags[i]])
			specific = 1;
	buf_init(&b);
	for (size_t i = 0; i < nags; i++) {
		/* "(With inputs from agencies)" only when no agency is named. */
		if (specific && c->rules->generic[ags[i]])
			continue;
		if (b.len > 0)
			buf_putc(&b, '/');
		buf_puts(&b, c->rules->agencies[ags[i]]);
	}
	a->agency = b.len > 0 ? buf_steal(&b) : NULL;
	buf_free(&b);
}

/* ------------------------------------------------------------------ */

void
page_meta_early(struct page_ctx *c, struct page_article *a)
{
	const struct page_opts *o = c->opts;
	const char *og = page_meta(c, "og:url");
	char *u = NULL;

	if (c->d.canonical != NULL)
		u = url_resolve(o->url, c->d.canonical);
	if (u == NULL && og != NULL)
		u = url_resolve(o->url, og);
	if (u == NULL && c->ld.url != NULL)
		u = url_resolve(o->url, c->ld.url);
	if (u != NULL && !url_is_http(u)) {
		free(u);
		u = NULL;
	}
	if (u == NULL && o->url != NULL)
		u = xstrdup(o->url);
	a->url = u;
	c->page_url = xstrdup_or_null(u);
	if (c->d.base != NULL)
		c->link_base = url_resolve(o->url ? o->url : u, c->d.base);
	if (c->link_base == NULL)
		c->link_base = xstrdup_or_null(o->url ? o->url : u);
	c->base = c->link_base;

	if (c->d.lang != NULL && c->d.lang[0] != '\0' && strlen(c->d.lang) < 36 &&
	    strspn(c->d.lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
	    == strlen(c->d.lang))
		a->lang = xstrdup(c->d.lang);
	find_title(c, a);
	structured_dates(c, a);
	a->byline = find_byline(c);
	if (a->published == DATE_UNSET || a->updated == DATE_UNSET)
		visible_dates(c, a);
}

void
page_meta_late(struct page_ctx *c, struct page_article *a)
{
	dateline_and_agency(c, a);
}

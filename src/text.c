/*
 * text.c: text and HTML normalization (pure).
 *
 * text_from_html is a single-pass scanner in the spirit of sfeed's
 * tokenizer: no tree, one output buffer, a table for the tags that matter.
 * It runs on every summary and title of every feed, so it must be fast;
 * it only has to get the *text* right, not the structure.
 *
 * html_sanitize (sanitize.c) makes the opposite trade-off.
 */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "util.h"

#define REPLACEMENT 0xFFFD

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */

/*
 * Decodes the sequence at s (n > 0 bytes available).  Returns its length
 * and sets *cp, or returns -k when the first k bytes are an invalid
 * sequence (the "maximal subpart" of Unicode 3.9, so a truncated
 * three-byte sequence costs one U+FFFD, not two).
 */
static int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	uint32_t v;
	int need, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;      /* overlong */
		else if (c == 0xED)
			hi = 0x9F;      /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;      /* overlong */
		else if (c == 0xF4)
			hi = 0x8F;      /* above U+10FFFF */
	} else
		return -1;
	for (i = 1; i <= need; i++) {
		if ((size_t)i >= n || s[i] < lo || s[i] > hi)
			return -i;
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

/* Appends cp (a valid scalar value) as UTF-8. */

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	int n;

	while (i < len) {
		if (p[i] < 0x80) {
			/* eight ASCII bytes at a time */
			while (len - i >= 8) {
				uint64_t w;

				memcpy(&w, p + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			if (i < len && p[i] < 0x80)
				i++;
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) < 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

char *
utf8_repair(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	size_t i = 0, run;
	uint32_t cp;
	int n;

	buf_init(&b);
	buf_reserve(&b, len);
	b.data[0] = '\0';
	while (i < len) {
		for (run = i; run < len && p[run] < 0x80; run++)
			;
		if (run > i) {
			buf_append(&b, s + i, run - i);
			i = run;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (n > 0)
			buf_append(&b, s + i, (size_t)n);
		else
			buf_put_utf8(&b, REPLACEMENT);
		i += (size_t)(n > 0 ? n : -n);
	}
	return buf_steal(&b);
}

/* ------------------------------------------------------------------ */
/* Text output with whitespace folding                                 */

struct textout {
	struct buf b;
	int oneline;    /* paragraph breaks become spaces */
	int space;      /* whitespace pending */
	int para;       /* paragraph break pending */
};

/* Writes the pending separator before a visible character. */
static inline void
out_sep(struct textout *t)
{
	if ((t->para | t->space) == 0)
		return;
	if (t->b.len > 0) {
		if (t->para && !t->oneline)
			buf_append(&t->b, "\n\n", 2);
		else
			buf_putc(&t->b, ' ');
	}
	t->para = t->space = 0;
}

/* Nonzero for the code points folded into one plain space. */
static int
is_space_cp(uint32_t cp)
{
	switch (cp) {
	case ' ': case '\t': case '\n': case '\r': case '\f': case 0x0B:
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return 1;
	}
	return cp >= 0x2000 && cp <= 0x200A;
}

/*
 * NOTE: besides the C0 controls of text.h, DEL, the C1 controls and a
 * stray byte order mark are dropped too: in feed text they are always
 * debris of a wrong conversion, never content.
 */
static void
out_cp(struct textout *t, uint32_t cp)
{
	if (is_space_cp(cp)) {
		t->space = 1;
		return;
	}
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF)
		return;
	out_sep(t);
	buf_put_utf8(&t->b, cp);
}

/* Byte classes for the scanner's fast path. */
enum {
	BC_PLAIN,       /* printable ASCII, copied as is */
	BC_SPACE,       /* ASCII whitespace */
	BC_CTRL,        /* dropped */
	BC_MARKUP,      /* '<' or '&' (only in HTML mode) */
	BC_HIGH,        /* start of a multi-byte sequence */
};

static const unsigned char byteclass[256] = {
	[0x00 ... 0x08] = BC_CTRL,
	[0x09 ... 0x0D] = BC_SPACE,     /* \t \n \v \f \r */
	[0x0E ... 0x1F] = BC_CTRL,
	[' '] = BC_SPACE,
	['&'] = BC_MARKUP,
	['<'] = BC_MARKUP,
	[0x7F] = BC_CTRL,
	[0x80 ... 0xFF] = BC_HIGH,
};

/*
 * Copies plain text s[i..) up to the next markup byte (when html) into t.
 * Returns the index where it stopped.
 */
static size_t
out_text(struct textout *t, const char *s, size_t len, size_t i, int html)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run;
	uint32_t cp;
	int n;

	while (i < len) {
		switch (byteclass[p[i]]) {
		case BC_PLAIN:
			for (run = i + 1; run < len &&
			    byteclass[p[run]] == BC_PLAIN; run++)
				;
			out_sep(t);
			buf_append(&t->b, s + i, run - i);
			i = run;
			break;
		case BC_SPACE:
			t->space = 1;
			i++;
			break;
		case BC_CTRL:
			i++;
			break;
		case BC_MARKUP:
			if (html)
				return i;
			out_sep(t);
			buf_putc(&t->b, (char)p[i++]);
			break;
		default:
			n = utf8_decode(p + i, len - i, &cp);
			if (n < 0) {
				out_cp(t, REPLACEMENT);
				i += (size_t)-n;
			} else {
				out_cp(t, cp);
				i += (size_t)n;
			}
			break;
		}
	}
	return i;
}

char *
text_fold(const char *s, size_t len)
{
	struct textout t = { .oneline = 1 };

	buf_init(&t.b);
	out_text(&t, s, len, 0, 0);
	return buf_steal(&t.b);
}

/* ------------------------------------------------------------------ */
/* Character references                                                */

/* HTML5's remapping of &#128;-&#159; (windows-1252); 0 = keep as is. */
static const uint16_t c1_remap[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* Common entities first: htmlEntityLookup is a linear scan. */
static const struct {
	const char *name;
	uint32_t cp;
} common_entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xA0 }, { "rsquo", 0x2019 },
	{ "lsquo", 0x2018 }, { "rdquo", 0x201D }, { "ldquo", 0x201C },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 },
};

static int
entity_lookup(const char *name, uint32_t *cp)
{
	const htmlEntityDesc *e;
	size_t i;

	for (i = 0; i < ARRAY_LEN(common_entities); i++) {
		if (strcmp(name, common_entities[i].name) == 0) {
			*cp = common_entities[i].cp;
			return 0;
		}
	}
	if ((e = htmlEntityLookup((const xmlChar *)name)) == NULL)
		return -1;
	*cp = e->value;
	return 0;
}

static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes the character reference at s[i] == '&'.  Returns the number of
 * bytes it spans and sets *cp, or 0 when it is not a reference (the '&'
 * is then text).
 *
 * NOTE: HTML5-ish, kept simple.  Numeric references: 0, surrogates and
 * values above U+10FFFF become U+FFFD, 128-159 are read as windows-1252,
 * the ';' is optional.  Named references use libxml2's HTML 4 table; a
 * name without ';' is accepted only when it is one of the legacy Latin-1
 * names (value < 256, e.g. "&amp" "&nbsp" "&copy"), and only as a whole
 * word: HTML5's longest-prefix rule ("&notit;" = "¬it;") is not copied.
 */
static size_t
decode_ref(const char *s, size_t len, size_t i, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t j = i + 1, start;
	uint32_t v = 0;
	char name[40];
	int d;

	if (j < len && p[j] == '#') {
		j++;
		if (j < len && (p[j] == 'x' || p[j] == 'X')) {
			j++;
			start = j;
			while (j < len && (d = hexval(p[j])) >= 0) {
				v = v > 0x10FFFF ? v : v * 16 + (uint32_t)d;
				j++;
			}
		} else {
			start = j;
			while (j < len && p[j] >= '0' && p[j] <= '9') {
				v = v > 0x10FFFF ? v : v * 10 + (p[j] - '0');
				j++;
			}
		}
		if (j == start)
			return 0;
		if (j < len && p[j] == ';')
			j++;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = REPLACEMENT;
		else if (v >= 0x80 && v <= 0x9F && c1_remap[v - 0x80])
			v = c1_remap[v - 0x80];
		*cp = v;
		return j - i;
	}
	start = j;
	while (j < len && is_alnum(p[j]) && j - start < sizeof(name) - 1)
		j++;
	if (j == start || (j < len && is_alnum(p[j])))
		return 0;
	memcpy(name, s + start, j - start);
	name[j - start] = '\0';
	if (entity_lookup(name, &v) < 0)
		return 0;
	if (j < len && p[j] == ';')
		j++;
	else if (v >= 256)
		return 0;
	*cp = v;
	return j - i;
}

/* ------------------------------------------------------------------ */
/* HTML to text                                                        */

enum tagkind {
	TK_INLINE,      /* ignored */
	TK_BLOCK,       /* ends a paragraph */
	TK_CELL,        /* table cell: a space */
	TK_RAW,         /* raw text element: content dropped unparsed */
	TK_DROP,        /* container whose content is dropped */
	TK_BODY,        /* <body>: ends an unclosed <head> */
};

/* Sorted by name for bsearch. */
static const struct tagdesc {
	const char *name;
	enum tagkind kind;
} tagdescs[] = {
	{ "address", TK_BLOCK }, { "article", TK_BLOCK },
	{ "aside", TK_BLOCK }, { "blockquote", TK_BLOCK },
	{ "body", TK_BODY }, { "br", TK_BLOCK }, { "caption", TK_BLOCK },
	{ "center", TK_BLOCK }, { "dd", TK_BLOCK }, { "details", TK_BLOCK },
	{ "dialog", TK_BLOCK }, { "dir", TK_BLOCK }, { "div", TK_BLOCK },
	{ "dl", TK_BLOCK }, { "dt", TK_BLOCK }, { "fieldset", TK_BLOCK },
	{ "figcaption", TK_BLOCK }, { "figure", TK_BLOCK },
	{ "footer", TK_BLOCK }, { "form", TK_BLOCK }, { "h1", TK_BLOCK },
	{ "h2", TK_BLOCK }, { "h3", TK_BLOCK }, { "h4", TK_BLOCK },
	{ "h5", TK_BLOCK }, { "h6", TK_BLOCK }, { "head", TK_DROP },
	{ "header", TK_BLOCK }, { "hgroup", TK_BLOCK }, { "hr", TK_BLOCK },
	{ "html", TK_BLOCK }, { "iframe", TK_RAW }, { "legend", TK_BLOCK },
	{ "li", TK_BLOCK }, { "main", TK_BLOCK }, { "math", TK_DROP },
	{ "menu", TK_BLOCK }, { "nav", TK_BLOCK }, { "noembed", TK_RAW },
	{ "noframes", TK_RAW }, { "noscript", TK_RAW },
	{ "object", TK_DROP }, { "ol", TK_BLOCK }, { "p", TK_BLOCK },
	{ "pre", TK_BLOCK }, { "script", TK_RAW }, { "section", TK_BLOCK },
	{ "select", TK_DROP }, { "style", TK_RAW }, { "summary", TK_BLOCK },
	{ "svg", TK_DROP }, { "table", TK_BLOCK }, { "tbody", TK_BLOCK },
	{ "td", TK_CELL }, { "template", TK_DROP }, { "textarea", TK_RAW },
	{ "tfoot", TK_BLOCK }, { "th", TK_CELL }, { "thead", TK_BLOCK },
	{ "title", TK_RAW }, { "tr", TK_BLOCK }, { "ul", TK_BLOCK },
};

static int
tagdesc_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tagdesc *)elem)->name);
}

static enum tagkind
tag_kind(const char *name)
{
	const struct tagdesc *d;

	d = bsearch(name, tagdescs, ARRAY_LEN(tagdescs), sizeof(tagdescs[0]),
	    tagdesc_cmp);
	return d ? d->kind : TK_INLINE;
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_html_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Finds needle (n bytes) in s[i..len); returns its index or len. */
static size_t
find(const char *s, size_t len, size_t i, const char *needle, size_t n)
{
	const char *q;

	if (i >= len)
		return len;
	q = memmem(s + i, len - i, needle, n);
	return q ? (size_t)(q - s) : len;
}

/*
 * Index just past the end tag "</name" (case-insensitive, followed by
 * space, '/' or '>') of a raw text element whose content starts at i, or
 * len when there is none.
 */
static size_t
skip_raw(const char *s, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name);
	const char *q;

	while (i < len && (q = memchr(s + i, '<', len - i)) != NULL) {
		i = (size_t)(q - s) + 1;
		/* s[i + 1 + n] is read: it must lie inside s[0..len). */
		if (i + 1 + n < len && s[i] == '/' &&
		    strncasecmp(s + i + 1, name, n) == 0 &&
		    (is_html_space((unsigned char)s[i + 1 + n]) ||
		    s[i + 1 + n] == '/' || s[i + 1 + n] == '>')) {
			q = memchr(s + i, '>', len - i);
			return q ? (size_t)(q - s) + 1 : len;
		}
	}
	return len;
}

struct tag {
	char name[16];  /* lower case; longer names are cut (none we know is) */
	int end;        /* </name> */
	int selfclose;  /* <name/> */
};

/*
 * Parses the tag at s[i] == '<' whose name starts at i + 1 (+ 2 for an end
 * tag).  Returns the index after its '>', or len when the input ends
 * inside the tag (HTML drops such a tag).
 */
static size_t
parse_tag(const char *s, size_t len, size_t i, struct tag *tag)
{
	size_t j = i + 1, n = 0;
	char q;

	tag->end = tag->selfclose = 0;
	if (s[j] == '/') {
		tag->end = 1;
		j++;
	}
	while (j < len && !is_html_space((unsigned char)s[j]) && s[j] != '/' &&
	    s[j] != '>') {
		if (n < sizeof(tag->name) - 1) {
			char c = s[j];
			tag->name[n++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
		}
		j++;
	}
	tag->name[n] = '\0';
	while (j < len) {
		switch (s[j]) {
		case '>':
			return j + 1;
		case '/':
			if (j + 1 < len && s[j + 1] == '>') {
				tag->selfclose = 1;
				return j + 2;
			}
			j++;
			break;
		case '=':
			j++;
			while (j < len && is_html_space((unsigned char)s[j]))
				j++;
			if (j < len && (s[j] == '"' || s[j] == '\'')) {
				q = s[j];
				j = find(s, len, j + 1, &q, 1);
				if (j < len)
					j++;
			}
			break;
		default:
			j++;
		}
	}
	return len;
}

struct scan {
	struct textout t;
	int drop;       /* depth inside dropped containers */
	int in_cdata;   /* inside a CDATA section */
};

static void scan_html(struct scan *, const char *, size_t, size_t);

/*
 * Handles markup at s[i] == '<'.  Returns the index after it; when '<'
 * does not start markup it is written as text.
 */
static size_t
scan_markup(struct scan *sc, const char *s, size_t len, size_t i)
{
	unsigned char c = i + 1 < len ? (unsigned char)s[i + 1] : 0;
	enum tagkind kind;
	struct tag tag;
	size_t j, end;

	if (c == '!') {
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			j = i + 4;
			/* "<!-->" and "<!--->" are complete comments */
			if (j < len && s[j] == '>')
				return j + 1;
			if (j + 1 < len && s[j] == '-' && s[j + 1] == '>')
				return j + 2;
			j = find(s, len, j, "-->", 3);
			return j < len ? j + 3 : len;
		}
		/*
		 * NOTE: HTML treats CDATA outside foreign content as a bogus
		 * comment; it reaches us when a feed wraps its HTML in CDATA
		 * twice, so what it encloses is read as that HTML.  Nested
		 * once only (recursion bound); deeper markers are text.
		 */
		if (len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			j = i + 9;
			end = find(s, len, j, "]]>", 3);
			if (sc->in_cdata)
				out_text(&sc->t, s, end, j, 0);
			else {
				sc->in_cdata = 1;
				scan_html(sc, s, end, j);
				sc->in_cdata = 0;
			}
			return end < len ? end + 3 : len;
		}
		j = find(s, len, i, ">", 1);
		return j < len ? j + 1 : len;
	}
	if (c == '?' || (c == '/' && (i + 2 >= len || !is_alpha(s[i + 2])))) {
		/* bogus comment (and "</>", which is ignored) */
		j = find(s, len, i, ">", 1);
		return j < len ? j + 1 : len;
	}
	if (!is_alpha(c) && c != '/') {
		if (!sc->drop) {
			out_sep(&sc->t);
			buf_putc(&sc->t.b, '<');
		}
		return i + 1;
	}
	j = parse_tag(s, len, i, &tag);
	kind = tag_kind(tag.name);
	if (sc->drop && kind != TK_DROP && kind != TK_BODY && kind != TK_RAW)
		return j;
	switch (kind) {
	case TK_INLINE:
		break;
	case TK_BLOCK:
		sc->t.para = 1;
		break;
	case TK_CELL:
		sc->t.space = 1;
		break;
	case TK_RAW:
		/*
		 * NOTE: "<script .../>" is not self-closing in HTML, but in
		 * feed markup it always means an empty element; honouring it
		 * keeps one such tag from swallowing the rest of the text.
		 */
		if (!tag.end && !tag.selfclose)
			j = skip_raw(s, len, j, tag.name);
		break;
	case TK_DROP:
		if (tag.end) {
			if (sc->drop > 0)
				sc->drop--;
		} else if (!tag.selfclose)
			sc->drop++;
		break;
	case TK_BODY:
		sc->drop = 0;
		sc->t.para = 1;
		break;
	}
	return j;
}

/* Scans s[i..len) as HTML into sc. */
static void
scan_html(struct scan *sc, const char *s, size_t len, size_t i)
{
	const char *q;
	size_t n;
	uint32_t cp;

	while (i < len) {
		if (sc->drop) {
			q = memchr(s + i, '<', len - i);
			if (q == NULL)
				break;
			i = (size_t)(q - s);
		}
		if (s[i] == '<')
			i = scan_markup(sc, s, len, i);
		else if (s[i] == '&') {
			if ((n = decode_ref(s, len, i, &cp)) > 0) {
				out_cp(&sc->t, cp);
				i += n;
			} else {
				out_sep(&sc->t);
				buf_putc(&sc->t.b, '&');
				i++;
			}
		} else
			i = out_text(&sc->t, s, len, i, 1);
	}
}

static char *
html_to_text(const char *s, size_t len, int oneline)
{
	struct scan sc = { .t = { .oneline = oneline } };

	buf_init(&sc.t.b);
	buf_reserve(&sc.t.b, len < 1024 ? len : len / 2);
	sc.t.b.data[0] = '\0';
	scan_html(&sc, s, len, 0);
	return buf_steal(&sc.t.b);
}

char *
text_from_html(const char *html, size_t len)
{
	return html_to_text(html, len, 0);
}

char *
text_line_from_html(const char *html, size_t len)
{
	return html_to_text(html, len, 1);
}

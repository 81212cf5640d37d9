/*
 * pagecharset.c: decide a page's charset and convert it to UTF-8, once.
 *
 * NOTE: the extractor always hands libxml2 valid UTF-8 and says so,
 * instead of passing the page's own charset name to the parser.  Two
 * behaviours of libxml2 2.9.14 force this: on the first invalid UTF-8
 * sequence its HTML parser switches the rest of the document to
 * ISO-8859-1 (double-decoding every later multibyte character), and an
 * iconv conversion error (windows-1252 has five unassigned bytes) ends
 * the parse.  Converting here costs one copy of non-UTF-8 pages and none
 * for valid UTF-8 ones, and lets us guard against lying labels first.
 */
#include "pagecharset.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define PRESCAN_BYTES 4096
#define REPLACEMENT 0xFFFD

/* windows-1252 0x80-0x9F; the rest of the upper half is ISO-8859-1. */
static const uint16_t cp1252_high[32] = {
	0x20AC, REPLACEMENT, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, REPLACEMENT, 0x017D, REPLACEMENT,
	REPLACEMENT, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, REPLACEMENT, 0x017E, 0x0178,
};

/*
 * Labels the WHATWG Encoding Standard maps to windows-1252: browsers
 * decode "ISO-8859-1" and "US-ASCII" pages as windows-1252, and so do the
 * pages' authors, who put curly quotes in 0x91-0x94.
 */
static const char *const cp1252_labels[] = {
	"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
	"iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1",
	"iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
	"x-cp1252", "x-user-defined",
};

static const char *const utf8_labels[] = {
	"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
	"x-unicode20utf8",
};

struct u8stats {
	size_t multibyte;   /* valid sequences of two or more bytes */
	size_t invalid;     /* invalid sequences */
	size_t controls;    /* NUL and C0 controls other than tab, LF, FF, CR */
};

/*
 * Length of the valid UTF-8 sequence at s (n > 0 bytes available) with its
 * code point in *cp, or -k when the first k bytes are an invalid sequence
 * (Unicode's "maximal subpart", so a truncated sequence costs one U+FFFD).
 */
static int
u8_decode(const unsigned char *s, size_t n, uint32_t *cp)
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
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
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

static int
is_bad_control(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r';
}

static void
u8_scan(const unsigned char *p, size_t len, struct u8stats *st)
{
	size_t i = 0;
	uint32_t cp;
	int n;

	memset(st, 0, sizeof(*st));
	while (i < len) {
		/* Eight ASCII bytes at a time, none of them a control. */
		if (i + 8 <= len) {
			uint64_t v;

			memcpy(&v, p + i, 8);
			if ((v & 0x8080808080808080ULL) == 0 &&
			    ((v - 0x2020202020202020ULL) & ~v & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			if (is_bad_control(p[i]))
				st->controls++;
			i++;
			continue;
		}
		n = u8_decode(p + i, len - i, &cp);
		if (n > 0) {
			st->multibyte++;
			i += (size_t)n;
		} else {
			st->invalid++;
			i += (size_t)-n;
		}
	}
}

static void
put_cp(struct buf *b, uint32_t cp)
{
	if (cp < 0x80 && is_bad_control((unsigned char)cp))
		return;
	buf_put_utf8(b, cp);
}

/* UTF-8 with invalid sequences as U+FFFD and controls dropped. */
static void
from_utf8(const unsigned char *p, size_t len, struct buf *b)
{
	size_t i = 0, run;
	uint32_t cp;
	int n;

	while (i < len) {
		for (run = i; run < len && p[run] < 0x80 && !is_bad_control(p[run]); run++)
			;
		if (run > i) {
			buf_append(b, p + i, run - i);
			i = run;
			continue;
		}
		if (p[i] < 0x80) {
			i++;    /* a control */
			continue;
		}
		n = u8_decode(p + i, len - i, &cp);
		if (n > 0)
			buf_append(b, p + i, (size_t)n);
		else
			put_cp(b, REPLACEMENT);
		i += (size_t)(n > 0 ? n : -n);
	}
}

static void
from_cp1252(const unsigned char *p, size_t len, struct buf *b)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x80)
			put_cp(b, p[i]);
		else if (p[i] < 0xA0)
			put_cp(b, cp1252_high[p[i] - 0x80]);
		else
			put_cp(b, p[i]);
	}
}

static void
from_utf16(const unsigned char *p, size_t len, int big_endian, struct buf *b)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		uint32_t u = big_endian ? (uint32_t)(p[i] << 8 | p[i + 1]) :
		    (uint32_t)(p[i + 1] << 8 | p[i]);

		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
			uint32_t lo = big_endian ? (uint32_t)(p[i + 2] << 8 | p[i + 3]) :
			    (uint32_t)(p[i + 3] << 8 | p[i + 2]);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				put_cp(b, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
				i += 2;
				continue;
			}
		}
		put_cp(b, (u >= 0xD800 && u <= 0xDFFF) ? REPLACEMENT : u);
	}
	if (i < len)
		put_cp(b, REPLACEMENT);
}

/*
 * Any other charset through iconv(3).  An undecodable byte becomes U+FFFD
 * and decoding goes on after it.  Returns -1 if iconv does not know name.
 */
static int
from_iconv(const char *name, const char *p, size_t len, struct buf *b)
{
	struct buf tmp;
	iconv_t cd;
	char *in = (char *)p, *out;
	size_t inleft = len, outleft, done;

	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return -1;
	buf_init(&tmp);
	buf_reserve(&tmp, len * 2 + 16);
	while (inleft > 0) {
		out = tmp.data + tmp.len;
		outleft = tmp.cap - tmp.len - 1;
		done = iconv(cd, &in, &inleft, &out, &outleft);
		tmp.len = (size_t)(out - tmp.data);
		if (done != (size_t)-1)
			break;
		if (errno == E2BIG)
			buf_reserve(&tmp, inleft * 2 + 16);
		else if (errno == EILSEQ) {
			buf_append(&tmp, "\xEF\xBF\xBD", 3);
			in++;
			inleft--;
		} else {
			buf_append(&tmp, "\xEF\xBF\xBD", 3);
			break;
		}
	}
	iconv_close(cd);
	/* iconv's output is UTF-8, but may carry NULs and controls. */
	from_utf8((const unsigned char *)(tmp.data ? tmp.data : ""), tmp.len, b);
	buf_free(&tmp);
	return 0;
}

static int
in_list(const char *label, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(label, list[i]) == 0)
			return 1;
	return 0;
}

int
page_charset_canonical(const char *label, char *out, size_t outlen)
{
	char l[32];
	size_t n = 0;
	iconv_t cd;

	while (*label == ' ' || *label == '\t' || *label == '"' || *label == '\'')
		label++;
	for (; *label && *label != '"' && *label != '\'' && *label != ';' &&
	    *label != ' ' && *label != '\t'; label++) {
		char c = *label;

		if (n + 1 >= sizeof(l))
			return -1;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == ':'))
			return -1;
		l[n++] = c;
	}
	l[n] = '\0';
	if (n == 0)
		return -1;
	if (in_list(l, utf8_labels, ARRAY_LEN(utf8_labels)))
		snprintf(out, outlen, "UTF-8");
	else if (in_list(l, cp1252_labels, ARRAY_LEN(cp1252_labels)))
		snprintf(out, outlen, "windows-1252");
	else if (strcmp(l, "utf-16") == 0 || strcmp(l, "utf-16le") == 0)
		snprintf(out, outlen, "UTF-16LE");
	else if (strcmp(l, "utf-16be") == 0)
		snprintf(out, outlen, "UTF-16BE");
	else {
		if ((cd = iconv_open("UTF-8", l)) == (iconv_t)-1)
			return -1;
		iconv_close(cd);
		snprintf(out, outlen, "%s", l);
	}
	return 0;
}

static int
lower_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static const char *
find_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

/* The charset= parameter of a Content-Type value in s[0..len). */
static int
content_charset(const char *s, size_t len, char *label, size_t labellen)
{
	const char *p = find_ci(s, len, "charset"), *end = s + len;
	size_t n = 0;

	if (p == NULL)
		return -1;
	p += 7;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != '=')
		return -1;
	p++;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '"' || *p == '\''))
		p++;
	while (p < end && *p != '"' && *p != '\'' && *p != ';' && *p != ' ' &&
	    n + 1 < labellen)
		label[n++] = *p++;
	label[n] = '\0';
	return n > 0 ? 0 : -1;
}

int
page_charset_prescan(const char *s, size_t len, char *label, size_t labellen)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *charset = NULL, *content = NULL;
		size_t charset_len = 0, content_len = 0;
		int http_equiv = 0;

		if (lt == NULL)
			break;
		p = lt + 1;
		if (end - p >= 3 && memcmp(p, "!--", 3) == 0) {
			const char *close = find_ci(p + 3, (size_t)(end - p - 3), "-->");

			if (close == NULL)
				break;
			p = close + 3;
			continue;
		}
		if (end - p < 5 || strncasecmp(p, "meta", 4) != 0 ||
		    !(p[4] == ' ' || p[4] == '\t' || p[4] == '\n' || p[4] == '\r' ||
		    p[4] == '/'))
			continue;
		p += 4;
		/* Attributes up to '>': name[=value], value quoted or not. */
		while (p < end && *p != '>') {
			const char *name, *value = NULL;
			size_t nlen, vlen = 0;

			while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
			    *p == '\r' || *p == '/'))
				p++;
			name = p;
			while (p < end && *p != '=' && *p != '>' && *p != ' ' &&
			    *p != '\t' && *p != '\n' && *p != '\r' && *p != '/')
				p++;
			nlen = (size_t)(p - name);
			while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
				p++;
			if (p < end && *p == '=') {
				p++;
				while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
					p++;
				if (p < end && (*p == '"' || *p == '\'')) {
					char q = *p++;

					value = p;
					while (p < end && *p != q)
						p++;
					vlen = (size_t)(p - value);
					if (p < end)
						p++;
				} else {
					value = p;
					while (p < end && *p != '>' && *p != ' ' && *p != '\t' &&
					    *p != '\n' && *p != '\r')
						p++;
					vlen = (size_t)(p - value);
				}
			}
			if (nlen == 0) {
				if (p < end && *p != '>')
					p++;
				continue;
			}
			if (value == NULL)
				continue;
			if (lower_eq(name, nlen, "charset")) {
				charset = value;
				charset_len = vlen;
			} else if (lower_eq(name, nlen, "http-equiv"))
				http_equiv = lower_eq(value, vlen, "content-type");
			else if (lower_eq(name, nlen, "content")) {
				content = value;
				content_len = vlen;
			}
		}
		if (charset != NULL && charset_len > 0) {
			size_t n = charset_len < labellen - 1 ? charset_len : labellen - 1;

			memcpy(label, charset, n);
			label[n] = '\0';
			return 0;
		}
		if (http_equiv && content != NULL &&
		    content_charset(content, content_len, label, labellen) == 0)
			return 0;
	}
	return -1;
}

void
page_charset_decode(const char *html, size_t len, const char *http_charset,
    struct page_text *out)
{
	const unsigned char *p = (const unsigned char *)html;
	char label[64];
	struct u8stats st;
	struct buf b;
	int utf16 = 0;

	memset(out, 0, sizeof(*out));
	out->source = PAGE_CS_SNIFF;
	snprintf(out->charset, sizeof(out->charset), "UTF-8");
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		out->source = PAGE_CS_BOM;
		p += 3;
		len -= 3;
	} else if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
	    (p[0] == 0xFE && p[1] == 0xFF))) {
		out->source = PAGE_CS_BOM;
		snprintf(out->charset, sizeof(out->charset), "%s",
		    p[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
		p += 2;
		len -= 2;
	} else {
		if (http_charset != NULL && page_charset_canonical(http_charset,
		    out->charset, sizeof(out->charset)) == 0) {
			out->source = PAGE_CS_HTTP;
			/* A UTF-16 label on bytes without NULs is a lie. */
			if (strncmp(out->charset, "UTF-16", 6) == 0 &&
			    memchr(p, '\0', len < 512 ? len : 512) == NULL) {
				out->source = PAGE_CS_SNIFF;
				snprintf(out->charset, sizeof(out->charset), "UTF-8");
			}
		}
		if (out->source == PAGE_CS_SNIFF &&
		    page_charset_prescan((const char *)p, len < PRESCAN_BYTES ? len :
		    PRESCAN_BYTES, label, sizeof(label)) == 0 &&
		    page_charset_canonical(label, out->charset, sizeof(out->charset)) == 0) {
			out->source = PAGE_CS_META;
			/* A <meta> that could be read as ASCII is not UTF-16. */
			if (strncmp(out->charset, "UTF-16", 6) == 0)
				snprintf(out->charset, sizeof(out->charset), "UTF-8");
		}
	}
	utf16 = strncmp(out->charset, "UTF-16", 6) == 0;

	if (!utf16) {
		u8_scan(p, len, &st);
		if (out->source == PAGE_CS_SNIFF) {
			/*
			 * NOTE: a few stray bytes in a page full of UTF-8 are
			 * damage, not windows-1252: decode as UTF-8 when valid
			 * sequences outnumber invalid ones two to one.
			 */
			snprintf(out->charset, sizeof(out->charset), "%s",
			    st.invalid == 0 || st.multibyte >= 2 * st.invalid ?
			    "UTF-8" : "windows-1252");
		} else if (out->source != PAGE_CS_BOM &&
		    strcmp(out->charset, "UTF-8") != 0 && st.invalid == 0 &&
		    st.multibyte > 0) {
			/*
			 * NOTE: declared single-byte (or any non-UTF-8
			 * charset) but every high byte forms valid multibyte
			 * UTF-8: the label lies.  Decoding it as declared
			 * would double-decode every such character.
			 */
			snprintf(out->charset, sizeof(out->charset), "UTF-8");
			out->source = PAGE_CS_OVERRULED;
		} else if (out->source != PAGE_CS_BOM &&
		    strcmp(out->charset, "UTF-8") == 0 && st.invalid > 0 &&
		    st.multibyte == 0) {
			/* Declared UTF-8 without one valid sequence. */
			snprintf(out->charset, sizeof(out->charset), "windows-1252");
			out->source = PAGE_CS_OVERRULED;
		}
		if (strcmp(out->charset, "UTF-8") == 0 && st.invalid == 0 &&
		    st.controls == 0) {
			out->s = (const char *)p;
			out->len = len;
			return;
		}
	}

	buf_init(&b);
	buf_reserve(&b, len + len / 2 + 16);
	if (strcmp(out->charset, "UTF-8") == 0)
		from_utf8(p, len, &b);
	else if (strcmp(out->charset, "windows-1252") == 0)
		from_cp1252(p, len, &b);
	else if (utf16)
		from_utf16(p, len, strcmp(out->charset, "UTF-16BE") == 0, &b);
	else if (from_iconv(out->charset, (const char *)p, len, &b) == -1) {
		snprintf(out->charset, sizeof(out->charset), "windows-1252");
		from_cp1252(p, len, &b);
	}
	out->len = b.len;
	out->owned = buf_steal(&b);
	out->s = out->owned;
}

void
page_text_free(struct page_text *t)
{
	free(t->owned);
	t->owned = NULL;
	t->s = NULL;
	t->len = 0;
}

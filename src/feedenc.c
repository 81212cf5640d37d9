/*
 * feedenc.c: which encoding a feed document is really in.  The rules are
 * in feedenc.h.
 */
#include "feedenc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/encoding.h>

#include "util.h"

/* What a scan of the bytes found. */
struct bytestats {
	size_t multibyte;       /* valid multi-byte UTF-8 sequences */
	size_t invalid;         /* invalid UTF-8 sequences */
	size_t controls;        /* C0 controls other than \t \n \r */
};

static int
is_control(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/*
 * Length of the valid UTF-8 sequence at s (lead byte >= 0x80), or minus
 * the length of the invalid one (Unicode's "maximal subpart": a cut
 * three-byte sequence is one error, not two).
 */
static int
utf8_seqlen(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	int need, i;

	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return -1;
	for (i = 1; i <= need; i++) {
		if ((size_t)i >= n || s[i] < lo || s[i] > hi)
			return -i;
		lo = 0x80;
		hi = 0xBF;
	}
	return need + 1;
}

/*
 * One pass over the bytes.  Eight ASCII bytes at a time while none is a
 * control: a feed is mostly ASCII markup, so this is nearly memory speed.
 */
static void
scan_bytes(const char *s, size_t len, struct bytestats *st)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint64_t high = 0x8080808080808080ULL, ctl = 0x2020202020202020ULL;
	size_t i = 0;
	uint64_t w;
	int n;

	memset(st, 0, sizeof(*st));
	while (i < len) {
		if (len - i >= 8) {
			memcpy(&w, p + i, 8);
			/*
			 * No high bit set and no byte below 0x20 (the
			 * "haszero" trick: no false negatives).
			 */
			if ((w & high) == 0 && ((w - ctl) & ~w & high) == 0) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			if (is_control(p[i]))
				st->controls++;
			i++;
		} else if ((n = utf8_seqlen(p + i, len - i)) > 0) {
			st->multibyte++;
			i += (size_t)n;
		} else {
			st->invalid++;
			i += (size_t)-n;
		}
	}
}

/* windows-1252 0x80-0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/*
 * windows-1252 to UTF-8 (undefined bytes as U+FFFD), without controls.
 * Returns a malloc'd copy and its length.
 */
static char *
from_cp1252(const char *s, size_t len, size_t *outlen)
{
	char *out = xmalloc(len * 3 + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp;

		if (c < 0x80) {
			if (!is_control(c))
				*o++ = (char)c;
			continue;
		}
		cp = c;
		if (c < 0xA0)
			cp = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
		if (cp < 0x800) {
			*o++ = (char)(0xC0 | (cp >> 6));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xE0 | (cp >> 12));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

/*
 * A malloc'd copy of s without C0 controls but \t \n \r and, when
 * repair is set, with each invalid UTF-8 sequence replaced by U+FFFD.
 */
static char *
clean_utf8(const char *s, size_t len, int repair, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(repair ? len * 3 + 1 : len + 1), *o = out;
	size_t i = 0;
	int n;

	while (i < len) {
		if (p[i] < 0x80) {
			if (!is_control(p[i]))
				*o++ = s[i];
			i++;
		} else if (!repair) {
			*o++ = s[i++];
		} else if ((n = utf8_seqlen(p + i, len - i)) > 0) {
			memcpy(o, s + i, (size_t)n);
			o += n;
			i += (size_t)n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i += (size_t)-n;
		}
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

/*
 * Copies the encoding name of the XML declaration at s into name.
 * Returns 0, or -1 when there is no declaration or no encoding in it.
 */
static int
declared_encoding(const char *s, size_t len, char *name, size_t namelen)
{
	const char *end, *p;
	size_t n;
	char q;

	if (len < 6 || memcmp(s, "<?xml", 5) != 0)
		return -1;
	/* NOTE: a declaration longer than 512 bytes is not looked into */
	if (len > 512)
		len = 512;
	if ((end = memmem(s, len, "?>", 2)) == NULL)
		return -1;
	if ((p = memmem(s, (size_t)(end - s), "encoding", 8)) == NULL)
		return -1;
	p += 8;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= end || *p++ != '=')
		return -1;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return -1;
	q = *p++;
	for (n = 0; p + n < end && p[n] != q; n++)
		;
	if (p + n >= end || n == 0 || n >= namelen)
		return -1;
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

enum encclass {
	ENC_UTF8,
	ENC_LATIN,      /* read as windows-1252 */
	ENC_OTHER,      /* for libxml2 and iconv */
};

static enum encclass
classify(const char *name)
{
	static const char *const utf8[] = { "utf-8", "utf8", "unicode-1-1-utf-8" };
	static const char *const wide[] = { "utf-16", "utf-16le", "utf-16be",
	    "utf16", "utf-32", "utf-32le", "utf-32be", "ucs-2", "ucs-4",
	    "iso-10646-ucs-2", "iso-10646-ucs-4", "unicode" };
	static const char *const latin[] = { "iso-8859-1", "iso8859-1",
	    "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
	    "cp819", "ibm819", "windows-1252", "cp1252", "x-cp1252",
	    "us-ascii", "ascii", "ansi_x3.4-1968", "iso-ir-100", "csisolatin1" };
	xmlCharEncodingHandlerPtr h;
	size_t i;

	if (name == NULL)
		return ENC_UTF8;
	for (i = 0; i < ARRAY_LEN(utf8); i++)
		if (strcasecmp(name, utf8[i]) == 0)
			return ENC_UTF8;
	/* without a BOM and readable as ASCII: not really UTF-16/32 */
	for (i = 0; i < ARRAY_LEN(wide); i++)
		if (strcasecmp(name, wide[i]) == 0)
			return ENC_UTF8;
	for (i = 0; i < ARRAY_LEN(latin); i++)
		if (strcasecmp(name, latin[i]) == 0)
			return ENC_LATIN;
	if ((h = xmlFindCharEncodingHandler(name)) == NULL)
		return ENC_UTF8;
	xmlCharEncCloseFunc(h);
	return ENC_OTHER;
}

/* Nonzero when name is a plausible encoding name (no quotes, spaces...). */
static int
sane_name(const char *name)
{
	if (name == NULL || *name == '\0' || strlen(name) > 40)
		return 0;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') ||
		    (*name >= '0' && *name <= '9') || strchr("-_.:()", *name)))
			return 0;
	return 1;
}

void
feedenc_prepare(const char *data, size_t len, const char *http_charset,
    struct feedenc *fe)
{
	const unsigned char *u = (const unsigned char *)data;
	char declared[64];
	const char *name = NULL;
	struct bytestats st;
	enum encclass cls;
	int bom8 = 0;
	size_t n, i;

	memset(fe, 0, sizeof(*fe));
	fe->data = data;
	fe->len = len;
	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		fe->data += 2;
		fe->len -= 2;
		fe->encoding = "UTF-16LE";
		fe->rule = "BOM UTF-16LE";
		return;
	}
	if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		fe->data += 2;
		fe->len -= 2;
		fe->encoding = "UTF-16BE";
		fe->rule = "BOM UTF-16BE";
		return;
	}
	if (len >= 4 && memcmp(data, "<\0?\0", 4) == 0) {
		fe->encoding = "UTF-16LE";
		fe->rule = "UTF-16LE without BOM";
		return;
	}
	if (len >= 4 && memcmp(data, "\0<\0?", 4) == 0) {
		fe->encoding = "UTF-16BE";
		fe->rule = "UTF-16BE without BOM";
		return;
	}
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		fe->data += 3;
		fe->len -= 3;
		bom8 = 1;
	}
	for (i = 0; i < fe->len && (fe->data[i] == ' ' || fe->data[i] == '\t' ||
	    fe->data[i] == '\r' || fe->data[i] == '\n'); i++)
		;
	if (i > 0 && fe->len - i >= 5 && memcmp(fe->data + i, "<?xml", 5) == 0) {
		fe->data += i;
		fe->len -= i;
	}

	if (!bom8 && declared_encoding(fe->data, fe->len, declared, sizeof(declared)) == 0)
		name = declared;
	else if (!bom8 && sane_name(http_charset))
		name = http_charset;
	cls = bom8 ? ENC_UTF8 : classify(name);
	scan_bytes(fe->data, fe->len, &st);

	if (st.invalid == 0 && (cls == ENC_UTF8 || st.multibyte > 0 ||
	    (cls == ENC_LATIN && st.controls == 0))) {
		/* UTF-8 (or plain ASCII) as it is */
		fe->rule = cls == ENC_UTF8 ? "UTF-8" : st.multibyte ?
		    "valid UTF-8 despite declared encoding" : "ASCII";
		if (st.controls > 0) {
			fe->owned = clean_utf8(fe->data, fe->len, 0, &n);
			fe->data = fe->owned;
			fe->len = n;
		}
		return;
	}
	if (cls == ENC_OTHER) {
		snprintf(fe->name, sizeof(fe->name), "%s", name);
		fe->encoding = fe->name;
		fe->rule = "declared encoding via iconv";
		return;
	}
	if (cls == ENC_LATIN || (!bom8 && st.invalid > st.multibyte)) {
		fe->owned = from_cp1252(fe->data, fe->len, &n);
		fe->rule = cls == ENC_LATIN ? "windows-1252" :
		    "invalid UTF-8 read as windows-1252";
	} else {
		fe->owned = clean_utf8(fe->data, fe->len, 1, &n);
		fe->rule = "invalid UTF-8 repaired";
	}
	fe->data = fe->owned;
	fe->len = n;
}

void
feedenc_free(struct feedenc *fe)
{
	free(fe->owned);
	memset(fe, 0, sizeof(*fe));
}

/*
 * feedenc.h: which encoding a feed document is really in (feed.c's helper).
 *
 * Feeds lie about their encoding.  This decides it from the bytes before
 * libxml2 sees them, so that libxml2 is told exactly one thing and never
 * second-guesses it (it parses with XML_PARSE_IGNORE_ENC).  The rules, in
 * order:
 *
 *   1. A byte order mark wins (UTF-8, UTF-16LE, UTF-16BE); UTF-16 is also
 *      recognised without a BOM from "<?" in either byte order.
 *   2. Otherwise the encoding of the XML declaration, else the HTTP
 *      charset, else UTF-8.  A declaration of UTF-16/UTF-32/UCS-* that we
 *      could read as ASCII is a lie and counts as UTF-8.
 *   3. Bytes that are valid UTF-8 and contain multi-byte sequences are
 *      UTF-8 whatever was declared: 8-bit text in any real legacy encoding
 *      is practically never valid UTF-8, so this never double-decodes.
 *   4. ISO-8859-1, Latin-1, US-ASCII and windows-1252 are all decoded as
 *      windows-1252 (as browsers do), by a table here rather than iconv,
 *      so that its five undefined bytes cannot fail the whole document.
 *   5. UTF-8 (declared or defaulted) that is not valid UTF-8: when the
 *      invalid sequences outnumber the valid multi-byte ones the document
 *      is 8-bit text mislabelled as UTF-8 and is decoded as windows-1252;
 *      otherwise it is UTF-8 with some damage and each invalid sequence
 *      becomes U+FFFD.  With a UTF-8 BOM it is always the latter.
 *   6. Any other encoding libxml2 knows (ISO-8859-x, KOI8-R, Shift_JIS,
 *      GB2312, ...) is passed to libxml2, which converts with iconv; an
 *      encoding it does not know is treated as UTF-8 (rule 5 applies).
 *
 * For the UTF-8 results, C0 controls other than tab, newline and carriage
 * return are removed (they are never allowed in XML 1.0 and would
 * otherwise fail a whole feed over one stray byte), leading whitespace
 * before the XML declaration is dropped (PHP scripts emit it), and the
 * BOM is removed.
 */
#ifndef DATELINE_FEEDENC_H
#define DATELINE_FEEDENC_H

#include <stddef.h>

struct feedenc {
	const char *data;       /* the bytes to parse */
	size_t len;
	const char *encoding;   /* for libxml2; NULL means UTF-8 */
	const char *rule;       /* which rule decided, for tests and debug logs */
	char *owned;            /* the copy data points into, or NULL */
	char name[64];          /* storage for encoding */
};

/* Decides the encoding of data[0..len) (see above).  Never fails. */
void feedenc_prepare(const char *data, size_t len, const char *http_charset,
    struct feedenc *fe);

void feedenc_free(struct feedenc *fe);

#endif

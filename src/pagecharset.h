/*
 * pagecharset.h: which charset an HTML page is in, and its bytes as UTF-8
 * (pure; part of the article extractor, see page.h).
 */
#ifndef DATELINE_PAGECHARSET_H
#define DATELINE_PAGECHARSET_H

#include <stddef.h>

/* Where the decision came from. */
enum page_cs_source {
	PAGE_CS_BOM,      /* a byte order mark */
	PAGE_CS_HTTP,     /* the Content-Type charset */
	PAGE_CS_META,     /* <meta charset> or http-equiv in the first 4 KB */
	PAGE_CS_SNIFF,    /* nothing declared: the bytes decided */
	PAGE_CS_OVERRULED /* declared, but the bytes proved the label wrong */
};

/* A page's text: always valid UTF-8 without NUL bytes. */
struct page_text {
	const char *s;          /* the UTF-8 text (input or owned) */
	size_t len;
	char *owned;            /* non-NULL when s had to be converted */
	char charset[32];       /* "UTF-8", "windows-1252", "UTF-16LE", ... */
	enum page_cs_source source;
};

/*
 * Decides the charset of html[0..len) -- byte order mark, then
 * http_charset (may be NULL), then <meta> in the first 4 KB, then
 * windows-1252 when the bytes are not UTF-8, else UTF-8 -- overruling a
 * declared single-byte charset when the bytes are valid multibyte UTF-8,
 * and converts the bytes to UTF-8 exactly once.  Never fails: undecodable
 * bytes become U+FFFD.  Free with page_text_free.
 */
void page_charset_decode(const char *html, size_t len, const char *http_charset,
    struct page_text *out);

void page_text_free(struct page_text *t);

/*
 * The charset label of the first <meta charset> or <meta http-equiv=
 * "Content-Type" content="...; charset=..."> in s[0..len) (the caller
 * passes at most the first 4 KB), copied into label; 0, or -1 if none.
 */
int page_charset_prescan(const char *s, size_t len, char *label, size_t labellen);

/*
 * The canonical name for a charset label ("latin1" -> "windows-1252",
 * "utf8" -> "UTF-8"), written into out; 0, or -1 when the label is not a
 * charset this system can decode.
 */
int page_charset_canonical(const char *label, char *out, size_t outlen);

#endif

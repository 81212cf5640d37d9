/*
 * text.h: text and HTML normalization (pure).
 *
 * Every function returns valid UTF-8 whatever it is given: invalid byte
 * sequences become U+FFFD, NUL bytes and C0 controls other than tab and
 * newline are dropped.
 */
#ifndef DATELINE_TEXT_H
#define DATELINE_TEXT_H

#include <stddef.h>

/* Nonzero when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t len);

/* A malloc'd copy of s[0..len) with invalid sequences replaced by U+FFFD. */
char *utf8_repair(const char *s, size_t len);

/*
 * Plain text from an HTML fragment (or from plain text, which passes
 * through): tags removed, script/style/template contents dropped, character
 * references decoded (named HTML entities too), whitespace folded to single
 * spaces within a paragraph, block elements (p, div, br, li, h1-h6,
 * blockquote, tr, ...) ending paragraphs, paragraphs separated by exactly
 * one blank line ("\n\n"), no leading or trailing whitespace.  Returns a
 * malloc'd string, possibly empty.
 */
char *text_from_html(const char *html, size_t len);

/*
 * Like text_from_html but folds everything onto one line (for titles,
 * authors, categories).
 */
char *text_line_from_html(const char *html, size_t len);

/* Folds whitespace runs to single spaces and trims; malloc'd. */
char *text_fold(const char *s, size_t len);

/*
 * Sanitized HTML: only a safe set of elements (p, br, a, em, strong, b, i,
 * ul, ol, li, blockquote, h1-h6, img, figure, figcaption, pre, code, table
 * parts, ...) and attributes (href, src, alt, title, ...) survive; scripts,
 * styles, event handlers, forms, iframes and javascript:/data: URLs are
 * removed; relative href/src are resolved against base_url (may be NULL).
 * Returns a malloc'd string, possibly empty.
 */
char *html_sanitize(const char *html, size_t len, const char *base_url);

#endif

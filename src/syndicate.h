/*
 * syndicate.h: recognising one story in many copies (pure).
 *
 * The content hash is the lowercase hex SHA-256 of an article's text after
 * normalization, so copies of one agency story published by different
 * outlets share it.  Normalization here: whitespace folded, ASCII case
 * folded; later refinements (Unicode folding, datelines and agency credits
 * removed) change syndicate_normalize only.
 */
#ifndef DATELINE_SYNDICATE_H
#define DATELINE_SYNDICATE_H

#include <stddef.h>

#define CONTENT_HASH_LEN 65   /* 64 hex digits and NUL */

/* The text the hash is computed over; malloc'd. */
char *syndicate_normalize(const char *text);

/*
 * Writes the content hash of text into out and returns 0, or returns -1
 * when the normalized text is empty (an article without text has no story).
 */
int syndicate_content_hash(const char *text, char out[CONTENT_HASH_LEN]);

#endif

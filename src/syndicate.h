/*
 * syndicate.h: recognising one story in many copies (pure).
 *
 * Exact copies share a content hash: the lowercase hex SHA-256 of the
 * article body after normalization (syndicate_normalize: HTML and
 * entities gone; the leading dateline and trailing agency credits, slug
 * lines and disclaimers removed; NFKC and case folding; quotes, dashes
 * and spaces unified; zero-width characters dropped; whitespace folded).
 * A teaser (the feed's shortened text) hashes apart from any full text,
 * so it is never merged with full copies on its own strength.
 *
 * Near-variants (a sentence added or dropped, a word changed) share a
 * family: a MinHash signature over word 3-shingles, banded for
 * locality-sensitive lookup, estimates the Jaccard similarity of two
 * texts without comparing them.
 */
#ifndef DATELINE_SYNDICATE_H
#define DATELINE_SYNDICATE_H

#include <stddef.h>
#include <stdint.h>

#define CONTENT_HASH_LEN 65     /* 64 hex digits and NUL */
#define SYN_MINHASH 60          /* signature length */
/*
 * LSH bands of SYN_MINHASH / SYN_BANDS rows.  NOTE: 4 rows a band keeps a
 * band key selective enough that unrelated stories rarely share one as the
 * store grows (3 rows let the candidates grow with the store).
 */
#define SYN_BANDS 15
/* Texts with fewer normalized words get no signature (too short to judge). */
#define SYN_MIN_WORDS 30
/* Estimated Jaccard similarity from which two texts are one family. */
#define SYN_FAMILY_SIMILARITY 0.7
/*
 * Or: the shorter text at least this much contained in the longer (a
 * brief of the first paragraphs, an update adding paragraphs), when the
 * similarity is at least SYN_FAMILY_FLOOR.
 */
#define SYN_FAMILY_CONTAINMENT 0.8
#define SYN_FAMILY_FLOOR 0.4

struct syn_fingerprint {
	char hash[CONTENT_HASH_LEN];
	int teaser;                 /* hashed apart: a teaser, not a full text */
	int has_minhash;            /* enough words for a signature */
	uint32_t minhash[SYN_MINHASH];
	int64_t bands[SYN_BANDS];   /* LSH keys, one per band */
	size_t shingles;            /* word 3-shingles of the text */
};

/* The text the hash is computed over; malloc'd. */
char *syndicate_normalize(const char *text);

/*
 * Whether text looks like a teaser: it ends in an ellipsis ("...", "…",
 * "[…]") or a "Read more" prompt.
 */
int syndicate_is_teaser(const char *text);

/*
 * Fingerprints text (plain text).  short_text: the text came from a feed
 * summary, so a short one counts as a teaser too.  Returns 0, or -1 when
 * the normalized text is empty (no story).
 */
int syndicate_fingerprint(const char *text, int short_text, struct syn_fingerprint *fp);

/* Fills out with the content hash of text; -1 when it normalizes to nothing. */
int syndicate_content_hash(const char *text, char out[CONTENT_HASH_LEN]);

/* Estimated Jaccard similarity of two signatures, in [0, 1]. */
double syndicate_similarity(const uint32_t *a, const uint32_t *b);

/*
 * Whether two texts of similarity j (syndicate_similarity) and na and nb
 * distinct shingles are one family: j >= SYN_FAMILY_SIMILARITY, or the
 * shorter is mostly contained in the longer.  Containment is estimated
 * from j and the sizes: |A n B| = j (|A| + |B|) / (1 + j).
 */
int syndicate_same_family(double j, size_t na, size_t nb);

#endif

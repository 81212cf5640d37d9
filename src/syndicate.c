/*
 * syndicate.c: content hashes and near-variant signatures.
 */
#include "syndicate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <utf8proc.h>

#include "text.h"
#include "util.h"

/* --- paragraphs ------------------------------------------------------------ */

struct paras {
	char **v;
	size_t n;
};

/* Splits text at newlines into trimmed, non-empty paragraphs (in place). */
static void
split_paras(char *text, struct paras *p)
{
	size_t cap = 0;
	char *s = text;

	p->v = NULL;
	p->n = 0;
	while (s && *s) {
		char *nl = strchr(s, '\n'), *e;

		if (nl)
			*nl = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = '\0';
		if (*s) {
			if (p->n == cap) {
				cap = cap ? cap * 2 : 16;
				p->v = xreallocarray(p->v, cap, sizeof(*p->v));
			}
			p->v[p->n++] = s;
		}
		s = nl ? nl + 1 : NULL;
	}
}

static int
has_word_ci(const char *s, const char *w)
{
	return strcasestr(s, w) != NULL;
}

/* An agency auto-publication disclaimer, or a "Disclaimer:" paragraph. */
static int
is_disclaimer(const char *p)
{
	static const char *const words[] = {
		"auto-published", "auto published", "auto-generated", "auto generated",
		"syndicated feed", "agency feed", "has not been edited", "not been reviewed by",
		"disclaimer:",
	};

	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (has_word_ci(p, words[i]))
			return 1;
	return 0;
}

/*
 * A slug or credit line on its own: a few tokens of letters and slashes,
 * no sentence ("sd/arm", "PTI NKD HVA", "--IANS", "(IANS)",
 * "(With inputs from agencies)").
 */
static int
is_credit_line(const char *p)
{
	size_t len = strlen(p), tokens = 0;
	int in_tok = 0;

	if (len == 0 || len > 60)
		return 0;
	if (p[0] == '(' && p[len - 1] == ')')
		return len < 60;
	for (const char *s = p; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalpha(c) || c == '/') {
			if (!in_tok)
				tokens++;
			in_tok = 1;
		} else if (c == ' ' || c == '-' || c == 0xE2 || c == 0x80 || c == 0x93 ||
		    c == 0x94) {
			in_tok = 0;     /* spaces and (UTF-8) dashes between tokens */
		} else
			return 0;
	}
	return tokens >= 1 && tokens <= 5;
}

/* Removes a trailing "(IANS)", "(With inputs from ...)", "--IANS" from p. */
static void
strip_trailing_credit(char *p)
{
	size_t n = strlen(p);
	char *open, *q;

	while (n > 0 && p[n - 1] == ' ')
		p[--n] = '\0';
	if (n > 2 && p[n - 1] == ')' && (open = strrchr(p, '(')) != NULL &&
	    (size_t)(p + n - open) <= 60) {
		int ok = strncasecmp(open + 1, "with inputs", 11) == 0;

		if (!ok) {
			/* "(IANS)", "(IANS/DPA)", "(Reuters)": capitalized tokens and slashes. */
			ok = isupper((unsigned char)open[1]);
			for (q = open + 1; ok && q < p + n - 1; q++)
				if (!isalpha((unsigned char)*q) && *q != '/' && *q != '.')
					ok = 0;
		}
		if (ok) {
			*open = '\0';
			n = (size_t)(open - p);
		}
	}
	while (n > 0 && p[n - 1] == ' ')
		p[--n] = '\0';
	/* "--IANS", "-- PTI" at the very end */
	q = p + n;
	while (q > p && isalpha((unsigned char)q[-1]))
		q--;
	if (q < p + n && isupper((unsigned char)*q) && p + n - q <= 12) {
		char *d = q;

		while (d > p && d[-1] == ' ')
			d--;
		if (d - p >= 2 && d[-1] == '-' && d[-2] == '-') {
			d -= 2;
			while (d > p && d[-1] == ' ')
				d--;
			*d = '\0';
		}
	}
}

/* Whether s[0..n) is a plausible agency credit: capitalized words and slashes. */
static int
agency_like(const char *s, size_t n)
{
	int tokens = 0, in_tok = 0;

	if (n == 0 || n > 40 || !isupper((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalpha(c)) {
			if (!in_tok && ++tokens > 4)
				return 0;
			in_tok = 1;
		} else if (c == '/' || c == ' ' || c == '.' || c == '-')
			in_tok = 0;
		else
			return 0;
	}
	return tokens > 0;
}

/* Whether s[0..n) is a month name or its abbreviation ("June", "Jun.", "Sept"). */
static int
is_month(const char *s, size_t n)
{
	static const char *const months[] = {
		"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december", "jan", "feb", "mar", "apr",
		"jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	};

	if (n > 0 && s[n - 1] == '.')
		n--;
	for (size_t i = 0; i < ARRAY_LEN(months); i++)
		if (strlen(months[i]) == n && strncasecmp(s, months[i], n) == 0)
			return 1;
	return 0;
}

/* The length of a run of letters (and '.') at s. */
static size_t
word_len(const char *s)
{
	size_t n = 0;

	while (isalpha((unsigned char)s[n]) || s[n] == '.')
		n++;
	return n;
}

/* The length of a run of 1 or 2 digits at s that ends there, or 0. */
static size_t
day_len(const char *s)
{
	size_t n = 0;

	while (n < 3 && isdigit((unsigned char)s[n]))
		n++;
	return n >= 1 && n <= 2 ? n : 0;
}

/*
 * The length of a date at s: "June 19", "Jun 7", "19 June", each with an
 * optional ", 2024"; 0 when there is none.
 */
static size_t
date_len(const char *s)
{
	size_t n = 0, w, d;

	if ((w = word_len(s)) > 0 && is_month(s, w) && s[w] == ' ' &&
	    (d = day_len(s + w + 1)) > 0)
		n = w + 1 + d;
	else if ((d = day_len(s)) > 0 && s[d] == ' ' && (w = word_len(s + d + 1)) > 0 &&
	    is_month(s + d + 1, w))
		n = d + 1 + w;
	else
		return 0;
	if (s[n] == ',' && s[n + 1] == ' ' && isdigit((unsigned char)s[n + 2]) &&
	    isdigit((unsigned char)s[n + 3]) && isdigit((unsigned char)s[n + 4]) &&
	    isdigit((unsigned char)s[n + 5]) && !isalnum((unsigned char)s[n + 6]))
		n += 6;
	return n;
}

/*
 * The length of a place name at s: one to four capitalized words ("New
 * Delhi", "WASHINGTON", "Port of Spain", "São Paulo"), short lowercase
 * joining words allowed between them; 0 when there is none.
 */
static size_t
place_len(const char *s)
{
	size_t n = 0, last = 0;
	int words = 0;

	for (;;) {
		const unsigned char *w = (const unsigned char *)s + n;
		size_t k = 0;
		int upper = isupper(w[0]) || w[0] >= 0x80;

		while (isalpha(w[k]) || w[k] >= 0x80 || ((w[k] == '.' || w[k] == '\'' ||
		    w[k] == '-') && k > 0))
			k++;
		if (k == 0 || (!upper && (k > 3 || words == 0)))
			break;
		n += k;
		if (upper) {
			last = n;
			if (++words == 4)
				break;
		}
		if (s[n] != ' ')
			break;
		n++;
	}
	return last <= 40 ? last : 0;
}

/* Skips a dateline's separator at s: spaces, then ":", "-", "--", "–" or "—". */
static const char *
skip_separator(const char *s, int *had)
{
	*had = 0;
	while (*s == ' ')
		s++;
	if (*s == ':' || *s == '-') {
		*had = 1;
		while (*s == '-' || *s == ':')
			s++;
	} else if (strncmp(s, "\xE2\x80\x93", 3) == 0 || strncmp(s, "\xE2\x80\x94", 3) == 0) {
		*had = 1;
		s += 3;
		if (*s == ':')
			s++;
	}
	while (*s == ' ')
		s++;
	return s;
}

/* Whether the text after a dateline starts like a sentence. */
static int
starts_sentence(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return isupper(c) || isdigit(c) || c == '"' || c == '\'' || c >= 0x80;
}

/*
 * Whether p[0..end) holds the end of a sentence or a quotation, which a
 * dateline never does: a ". " after a word of three letters or more that
 * is not a month ("Jun. 19", "St. Louis" and "U.S. " are no sentence end).
 */
static int
sentence_before(const char *p, const char *end)
{
	for (const char *s = p; s < end; s++) {
		if (*s == '"')
			return 1;
		if (*s == '.' && s[1] == ' ') {
			const char *w = s;

			while (w > p && isalpha((unsigned char)w[-1]))
				w--;
			if (s - w >= 3 && !is_month(w, (size_t)(s - w)))
				return 1;
		}
	}
	return 0;
}

/*
 * Removes a leading dateline and returns where the text starts:
 * "Washington, June 19 (IANS/DPA) ", "MUMBAI, June 20 (Reuters) - ",
 * "Bengaluru (Karnataka) [India], June 20 (ANI/PNN): ", "NEW DELHI: ",
 * "Jaipur: ", "Chandigarh, May 10: ".  What follows must start like a
 * sentence (a capital, a digit or a quote), so "Alstone Industries (AIL)
 * on Thursday" keeps its words.
 */
static char *
strip_dateline(char *p)
{
	const char *s, *open, *close;
	size_t n;
	int had;

	if (!isupper((unsigned char)p[0]))
		return p;
	/*
	 * A credit in parentheses: the first one the text after which starts
	 * a sentence, with no sentence before it.
	 */
	for (open = strchr(p, '('); open != NULL && open - p <= 100;
	    open = strchr(open + 1, '(')) {
		if (sentence_before(p, open))
			break;
		if ((close = strchr(open, ')')) == NULL)
			break;
		if (!agency_like(open + 1, (size_t)(close - open - 1)))
			continue;
		s = skip_separator(close + 1, &had);
		if (starts_sentence(s))
			return (char *)s;
	}
	/* "NEW DELHI: ", "Jaipur: ", "Chandigarh, May 10: ", "NEW DELHI, June 20 - " */
	if ((n = place_len(p)) > 0) {
		size_t d = 0;

		if (p[n] == ',' && p[n + 1] == ' ' && (d = date_len(p + n + 2)) > 0)
			n += 2 + d;
		s = skip_separator(p + n, &had);
		if (had && (p[n] == ':' || d > 0) && s > p + n + 1 && s[-1] == ' ' &&
		    starts_sentence(s))
			return (char *)s;
	}
	return p;
}

/* --- Unicode ------------------------------------------------------------- */

/* The code point quotes, dashes and spaces are unified to, else cp. */
static int32_t
unify(int32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x0060:
	case 0x00B4: case 0x02BC:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
	case 0x00BB:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
		return '-';
	}
	if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v')
		return ' ';
	if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS)
		return ' ';
	return cp;
}

/* Appends cp after unify(), dropping zero-width characters and folding spaces. */
static void
put_folded(struct buf *b, int32_t cp, int *space)
{
	utf8proc_uint8_t enc[4];

	cp = unify(cp);
	if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF)
		return;
	if (cp == ' ') {
		*space = b->len > 0;
		return;
	}
	if (*space) {
		buf_putc(b, ' ');
		*space = 0;
	}
	if (cp < 0x80)
		buf_putc(b, (char)cp);
	else
		buf_append(b, enc, (size_t)utf8proc_encode_char(cp, enc));
}

/* NFKC, case folding and default-ignorables dropped over s[0..n), then put_folded. */
static int
fold_span(struct buf *b, const char *s, size_t n, int *space)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t m;

	m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	    UTF8PROC_IGNORE);
	if (m < 0)
		return -1;
	for (utf8proc_ssize_t i = 0; i < m;) {
		int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(mapped + i, m - i, &cp);

		if (k <= 0)
			break;
		i += k;
		put_folded(b, cp, space);
	}
	free(mapped);
	return 0;
}

/*
 * NFKC, case folding, default-ignorables dropped, unify(), spaces folded.
 * NOTE: ASCII needs none of utf8proc's work (NFKC leaves it as it is,
 * case folding is A-Z to a-z, nothing in it is ignorable), and news text
 * is mostly ASCII, so only the runs of non-ASCII characters go through
 * utf8proc, each with the ASCII character before it: a combining mark
 * composes with the character it follows, and no character composes with
 * an ASCII character that follows it.  The result is the same as mapping
 * the whole text at once, at a fraction of the cost.
 */
static char *
fold_unicode(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = strlen(s);
	struct buf b;
	int space = 0;

	buf_init(&b);
	buf_reserve(&b, n);
	while (i < n) {
		size_t j = i;

		if (p[i] < 0x80) {
			while (j < n && p[j] < 0x80)
				j++;
			/* The last ASCII character before non-ASCII goes with it. */
			if (j < n)
				j--;
			/*
			 * put_folded() for ASCII, inline: at most one byte out
			 * per byte in, plus a space held from before.
			 */
			buf_reserve(&b, j - i + 1);
			for (; i < j; i++) {
				unsigned char c = p[i];

				if (c >= 'A' && c <= 'Z')
					c = (unsigned char)(c + ('a' - 'A'));
				else if (c == '`')
					c = '\'';
				else if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
					c = ' ';
				if (c == ' ') {
					space = b.len > 0;
					continue;
				}
				if (space) {
					b.data[b.len++] = ' ';
					space = 0;
				}
				b.data[b.len++] = (char)c;
			}
			b.data[b.len] = '\0';
			if (i == n)
				break;
			j = i + 1;
		}
		while (j < n && p[j] >= 0x80)
			j++;
		if (fold_span(&b, s + i, j - i, &space) < 0) {
			/* text_from_html output is valid UTF-8: not reached */
			buf_free(&b);
			return xstrdup("");
		}
		i = j;
	}
	return buf_steal(&b);
}

char *
syndicate_normalize(const char *text)
{
	char *copy = xstrdup(text), *out;
	struct paras p;
	struct buf b;

	/*
	 * Bodies are plain text with one paragraph per line; any markup or
	 * entity left in a paragraph is removed paragraph by paragraph, so the
	 * paragraph structure the trailing rules need survives.
	 */
	split_paras(copy, &p);
	for (size_t i = 0; i < p.n; i++)
		p.v[i] = text_line_from_html(p.v[i], strlen(p.v[i]));
	free(copy);
	{
		/* Markup may have emptied paragraphs: drop them. */
		size_t k = 0;

		for (size_t i = 0; i < p.n; i++) {
			if (p.v[i][0] == '\0')
				free(p.v[i]);
			else
				p.v[k++] = p.v[i];
		}
		p.n = k;
	}
	/* Trailing disclaimers, slug lines and credit lines, as many as there are. */
	while (p.n > 0) {
		strip_trailing_credit(p.v[p.n - 1]);
		if (p.v[p.n - 1][0] == '\0' || is_disclaimer(p.v[p.n - 1]) ||
		    is_credit_line(p.v[p.n - 1]))
			free(p.v[--p.n]);
		else
			break;
	}
	buf_init(&b);
	for (size_t i = 0; i < p.n; i++) {
		const char *para = i == 0 ? strip_dateline(p.v[0]) : p.v[i];

		if (b.len)
			buf_putc(&b, ' ');
		buf_puts(&b, para);
		free(p.v[i]);
	}
	free(p.v);
	out = fold_unicode(b.data ? b.data : "");
	buf_free(&b);
	return out;
}

int
syndicate_is_teaser(const char *text)
{
	static const char *const ends[] = {
		"...", "\xE2\x80\xA6", "[\xE2\x80\xA6]", "[...]", "read more", "read more \xC2\xBB",
		"continue reading", "read full story", "(more)",
	};
	size_t n = strlen(text);

	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	for (size_t i = 0; i < ARRAY_LEN(ends); i++) {
		size_t k = strlen(ends[i]);

		if (n >= k && strncasecmp(text + n - k, ends[i], k) == 0)
			return 1;
	}
	return 0;
}

/*
 * Texts with fewer distinct word 3-shingles than a text of SYN_MIN_WORDS
 * words has (one word or phrase over and over) get no signature either.
 */
#define SYN_MIN_SHINGLES (SYN_MIN_WORDS - 2)

/* --- hashing ---------------------------------------------------------------- */

static int
sha256_hex(const char *s, size_t n, char out[CONTENT_HASH_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(s, n, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		return -1;
	for (unsigned int i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

static uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* splitmix64: the hash family's multipliers and addends, fixed forever. */
static uint64_t
splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * MinHash over word 3-shingles.  Words are runs of letters and digits of
 * the normalized text (punctuation does not make two copies differ).
 * NOTE: the multipliers derive from a fixed seed: changing them changes
 * every stored signature.  Returns the number of words; *distinct is the
 * number of distinct shingles, counted up to SYN_MIN_SHINGLES.
 */
static size_t
minhash(const char *norm, uint32_t sig[SYN_MINHASH], size_t *distinct)
{
	static uint64_t mul[SYN_MINHASH], add[SYN_MINHASH];
	static int ready;
	uint64_t w[3] = { 0, 0, 0 }, seen[SYN_MIN_SHINGLES];
	size_t words = 0, nseen = 0;
	const unsigned char *s = (const unsigned char *)norm;

	if (!ready) {
		uint64_t st = 0x6461746c696e65ULL;   /* "dateline" */

		for (int i = 0; i < SYN_MINHASH; i++) {
			mul[i] = splitmix(&st) | 1;
			add[i] = splitmix(&st);
		}
		ready = 1;
	}
	for (int i = 0; i < SYN_MINHASH; i++)
		sig[i] = UINT32_MAX;
	while (*s) {
		const unsigned char *start;
		uint64_t h;

		while (*s && !(isalnum(*s) || *s >= 0x80))
			s++;
		if (!*s)
			break;
		start = s;
		while (*s && (isalnum(*s) || *s >= 0x80))
			s++;
		w[0] = w[1];
		w[1] = w[2];
		w[2] = fnv1a(0xcbf29ce484222325ULL, start, (size_t)(s - start));
		if (++words < 3)
			continue;
		h = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ULL, &w[0], 8), &w[1], 8), &w[2], 8);
		if (nseen < SYN_MIN_SHINGLES) {
			size_t k = 0;

			while (k < nseen && seen[k] != h)
				k++;
			if (k == nseen)
				seen[nseen++] = h;
		}
		for (int i = 0; i < SYN_MINHASH; i++) {
			uint32_t v = (uint32_t)((mul[i] * h + add[i]) >> 32);

			if (v < sig[i])
				sig[i] = v;
		}
	}
	*distinct = nseen;
	return words;
}

int
syndicate_fingerprint(const char *text, int short_text, struct syn_fingerprint *fp)
{
	char *norm;
	size_t words, distinct;
	struct buf b;

	memset(fp, 0, sizeof(*fp));
	if (text == NULL)
		return -1;
	norm = syndicate_normalize(text);
	if (norm[0] == '\0') {
		free(norm);
		return -1;
	}
	words = minhash(norm, fp->minhash, &distinct);
	/*
	 * Judged on the normalized text too, after trailing credits are gone:
	 * a copy that ends "... (IANS)" is no less a teaser than one ending
	 * "...".  (The text as given keeps "Read more »", whose guillemet
	 * normalization turns into a quotation mark.)
	 */
	fp->teaser = syndicate_is_teaser(text) || syndicate_is_teaser(norm) ||
	    (short_text && words < 50);
	buf_init(&b);
	if (fp->teaser)
		buf_puts(&b, "teaser\n");   /* never the hash of a full text */
	buf_puts(&b, norm);
	free(norm);
	if (sha256_hex(b.data, b.len, fp->hash) < 0) {
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	/* One word or phrase over and over is no evidence of a story. */
	fp->has_minhash = !fp->teaser && words >= SYN_MIN_WORDS && distinct >= SYN_MIN_SHINGLES;
	/* NOTE: all shingles, not only distinct ones: repeats are rare in news text. */
	fp->shingles = words >= 3 ? words - 2 : 0;
	if (fp->has_minhash) {
		int rows = SYN_MINHASH / SYN_BANDS;

		for (int i = 0; i < SYN_BANDS; i++) {
			uint64_t h = fnv1a(0xcbf29ce484222325ULL, &i, sizeof(i));

			h = fnv1a(h, &fp->minhash[i * rows], (size_t)rows * sizeof(uint32_t));
			fp->bands[i] = (int64_t)(h >> 1);
		}
	}
	return 0;
}

int
syndicate_content_hash(const char *text, char out[CONTENT_HASH_LEN])
{
	struct syn_fingerprint fp;

	if (syndicate_fingerprint(text, 0, &fp) < 0)
		return -1;
	memcpy(out, fp.hash, CONTENT_HASH_LEN);
	return 0;
}

double
syndicate_similarity(const uint32_t *a, const uint32_t *b)
{
	int same = 0;

	for (int i = 0; i < SYN_MINHASH; i++)
		same += a[i] == b[i];
	return (double)same / SYN_MINHASH;
}

int
syndicate_same_family(double j, size_t na, size_t nb)
{
	size_t small = na < nb ? na : nb;
	double contained;

	if (j >= SYN_FAMILY_SIMILARITY)
		return 1;
	if (j < SYN_FAMILY_FLOOR || small == 0)
		return 0;
	contained = j * (double)(na + nb) / ((1.0 + j) * (double)small);
	return contained >= SYN_FAMILY_CONTAINMENT;
}

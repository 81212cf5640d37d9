/*
 * clips.c: e-paper articles continued on another page (see clips.h).
 */
#include "clips.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Bytes from a paragraph's end searched for the start of a jump line. */
#define JUMP_SEARCH 160
/* Title words shorter than this say nothing about a pairing. */
#define TITLE_WORD_MIN 4

static int
is_alpha(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

/*
 * Matches the word w (ASCII, lower case) at *p, case-insensitively and as
 * a whole word, then an optional '.' and spaces.  Advances *p on success.
 */
static int
word(const char **p, const char *e, const char *w)
{
	size_t n = strlen(w);
	const char *q = *p;

	if ((size_t)(e - q) < n || strncasecmp(q, w, n) != 0)
		return 0;
	q += n;
	if (q < e && is_alpha((unsigned char)*q))
		return 0;
	if (q < e && *q == '.')
		q++;
	while (q < e && *q == ' ')
		q++;
	*p = q;
	return 1;
}

/* Skips spaces and the punctuation that surrounds jump lines. */
static const char *
skip_punct(const char *p, const char *e)
{
	for (;;) {
		if (p < e && strchr(" ()[]*.:|->", *p) != NULL && *p != '\0')
			p++;
		else if (e - p >= 3 && (memcmp(p, "\xE2\x80\x94", 3) == 0 ||    /* em dash */
		    memcmp(p, "\xE2\x80\xBA", 3) == 0 || memcmp(p, "\xE2\x80\xA6", 3) == 0))
			p += 3;         /* single guillemet, ellipsis */
		else if (e - p >= 2 && memcmp(p, "\xC2\xBB", 2) == 0)
			p += 2;         /* guillemet */
		else
			return p;
	}
}

/*
 * A jump line at s: "continued on page N" (from = 0) or "continued from
 * page N" (from = 1), in their many spellings.  Returns N (1..999) and
 * sets *end after the number and what closes it, or returns 0.
 */
static int
match_jump(const char *s, const char *e, int from, const char **end)
{
	static const char *const opens[] = { "continued", "contd", "cont'd",
	    "cont\xE2\x80\x99" "d", "cont" };
	const char *p = skip_punct(s, e);
	int opened = 0, n = 0, digits = 0;

	for (size_t i = 0; i < ARRAY_LEN(opens) && !opened; i++)
		opened = word(&p, e, opens[i]);
	if (from) {
		if (!word(&p, e, "from"))
			return 0;
	} else if (opened) {
		if (!word(&p, e, "on") && !word(&p, e, "to") && !word(&p, e, "at"))
			(void)word(&p, e, "in");
	} else if (!((word(&p, e, "turn") && word(&p, e, "to")) ||
	    (word(&p, e, "more") && word(&p, e, "on")) || word(&p, e, "see")))
		return 0;
	if (!word(&p, e, "page") && !word(&p, e, "pg")) {
		/* "P5", "p.5", "P 5": the letter is glued or followed by '.' */
		if (p < e && (*p == 'p' || *p == 'P') && p + 1 < e &&
		    (isdigit((unsigned char)p[1]) || p[1] == '.' || p[1] == ' ')) {
			p++;
			while (p < e && (*p == '.' || *p == ' '))
				p++;
		} else
			return 0;
	}
	(void)word(&p, e, "no");
	while (p < e && isdigit((unsigned char)*p) && digits < 4) {
		n = n * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || digits > 3 || n == 0 || (p < e && isalnum((unsigned char)*p)))
		return 0;
	*end = skip_punct(p, e);
	return n;
}

/* Start of the last paragraph of text[0..len). */
static size_t
last_para(const char *text, size_t len)
{
	for (size_t i = len; i >= 2; i--)
		if (text[i - 1] == '\n' && text[i - 2] == '\n')
			return i;
	return 0;
}

char *
clips_cut_jumps(const char *text, int *jump_to, int *jump_from)
{
	size_t len = strlen(text), start = 0, stop, lp, from;
	const char *end;
	int n;

	*jump_to = *jump_from = 0;
	/* Leading: "Continued from page 1" opens the first paragraph. */
	while (start < len && (text[start] == ' ' || text[start] == '\n'))
		start++;
	if ((n = match_jump(text + start, text + len, 1, &end)) > 0) {
		*jump_from = n;
		start = (size_t)(end - text);
		while (start < len && (text[start] == ' ' || text[start] == '\n'))
			start++;
	}
	/* Trailing: "Continued on page 4" closes the last paragraph. */
	stop = len;
	while (stop > start && (text[stop - 1] == ' ' || text[stop - 1] == '\n'))
		stop--;
	lp = last_para(text, stop);
	if (lp < start)
		lp = start;
	from = stop - lp > JUMP_SEARCH ? stop - JUMP_SEARCH : lp;
	for (size_t i = from; i < stop; i++) {
		if (i > lp && is_alpha((unsigned char)text[i - 1]))
			continue;       /* not at a word's start */
		if ((n = match_jump(text + i, text + stop, 0, &end)) > 0 && end == text + stop) {
			*jump_to = n;
			stop = i;
			/* What led up to it: spaces, dashes, an opening bracket. */
			while (stop > start && strchr(" ([-\n", text[stop - 1]) != NULL)
				stop--;
			break;
		}
	}
	return xstrndup(text + start, stop > start ? stop - start : 0);
}

/* Distinct words of at least TITLE_WORD_MIN letters the titles share. */
static int
title_overlap(const char *a, const char *b)
{
	int shared = 0;

	if (a == NULL || b == NULL)
		return 0;
	for (const char *p = a; *p;) {
		const char *q = p, *r;
		size_t n;

		while (*q && is_alpha((unsigned char)*q))
			q++;
		n = (size_t)(q - p);
		if (n >= TITLE_WORD_MIN) {
			int seen = 0;

			/* Counted once: skip if it occurred earlier in a. */
			for (r = a; r < p && !seen; r++)
				seen = (r == a || !is_alpha((unsigned char)r[-1])) &&
				    strncasecmp(r, p, n) == 0 && !is_alpha((unsigned char)r[n]);
			for (r = b; *r && !seen; r++) {
				if ((r == b || !is_alpha((unsigned char)r[-1])) &&
				    strncasecmp(r, p, n) == 0 && !is_alpha((unsigned char)r[n])) {
					shared++;
					break;
				}
			}
		}
		p = *q ? q + 1 : q;
	}
	return shared;
}

struct pair {
	size_t from, to;
	int score;
};

static const struct clip *pair_clips;

static int
pair_cmp(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	const struct clip *c = pair_clips;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (c[a->from].page != c[b->from].page)
		return c[a->from].page < c[b->from].page ? -1 : 1;
	if (c[a->from].position != c[b->from].position)
		return c[a->from].position < c[b->from].position ? -1 : 1;
	if (c[a->to].position != c[b->to].position)
		return c[a->to].position < c[b->to].position ? -1 : 1;
	return 0;
}

void
clips_chain(const struct clip *c, size_t n, long *next)
{
	struct pair *pairs = NULL;
	long *prev = xcalloc(n ? n : 1, sizeof(*prev));
	size_t np = 0, cap = 0;

	for (size_t i = 0; i < n; i++)
		next[i] = prev[i] = -1;
	for (size_t i = 0; i < n; i++) {
		if (c[i].jump_to <= 0 || c[i].page <= 0)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j == i || c[j].page != c[i].jump_to || c[j].jump_from != c[i].page)
				continue;
			if (np == cap) {
				cap = cap ? cap * 2 : 16;
				pairs = xreallocarray(pairs, cap, sizeof(*pairs));
			}
			pairs[np].from = i;
			pairs[np].to = j;
			pairs[np].score = title_overlap(c[i].title, c[j].title);
			np++;
		}
	}
	/* NOTE: qsort has no context argument; the clips are passed aside. */
	pair_clips = c;
	if (np > 1)
		qsort(pairs, np, sizeof(*pairs), pair_cmp);
	pair_clips = NULL;
	for (size_t k = 0; k < np; k++) {
		size_t i = pairs[k].from, j = pairs[k].to, len = 0;
		long x;

		if (next[i] >= 0 || prev[j] >= 0)
			continue;
		/* The chain would be i's start..i, then j..j's end: no cycle, bounded. */
		for (x = (long)i; x >= 0 && len <= CLIPS_MAX_CHAIN; x = prev[x], len++)
			if (x == (long)j)
				break;
		if (x == (long)j)
			continue;
		for (x = (long)j; x >= 0 && len <= CLIPS_MAX_CHAIN; x = next[x], len++)
			if (x == (long)i)
				break;
		if (x == (long)i || len > CLIPS_MAX_CHAIN)
			continue;
		next[i] = (long)j;
		prev[j] = (long)i;
	}
	free(pairs);
	free(prev);
}

char *
clips_join(const struct clip *c, const long *next, size_t head, size_t max)
{
	struct buf b;
	long x = (long)head;

	buf_init(&b);
	for (int hops = 0; x >= 0 && hops < CLIPS_MAX_CHAIN; x = next[x], hops++) {
		const char *t = c[x].text;
		size_t n, room;

		if (t == NULL || *t == '\0')
			continue;
		n = strlen(t);
		room = max > b.len + (b.len ? 2 : 0) ? max - b.len - (b.len ? 2 : 0) : 0;
		if (room == 0)
			break;
		if (b.len)
			buf_puts(&b, "\n\n");
		if (n > room) {
			/* NOTE: deliberate truncation at max, on a paragraph if there is one */
			size_t cut = room;
			const char *pp;

			while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
				cut--;
			for (pp = t + cut; pp > t + 1 && !(pp[-1] == '\n' && pp[-2] == '\n'); pp--)
				;
			if (pp > t + 1)
				cut = (size_t)(pp - t) - 2;
			buf_append(&b, t, cut);
			break;
		}
		buf_append(&b, t, n);
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return buf_steal(&b);
}

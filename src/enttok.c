/*
 * enttok.c: the entity extractor's text layer: normalization, tokens,
 * lookup keys, and the string map its tables are made of.
 */
#include <stdlib.h>
#include <string.h>

#include "entint.h"
#include "util.h"

uint32_t
ent_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;       /* FNV-1a */

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void
strmap_init(struct strmap *m, size_t hint)
{
	size_t cap = 16;

	while (cap < hint * 2)
		cap *= 2;
	m->keys = xcalloc(cap, sizeof(*m->keys));
	m->hashes = xcalloc(cap, sizeof(*m->hashes));
	m->vals = xcalloc(cap, sizeof(*m->vals));
	m->cap = cap;
	m->n = 0;
}

void
strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->hashes);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* The slot of key: where it is, or the empty slot where it would go. */
static size_t
strmap_find(const struct strmap *m, uint32_t h, const char *key, size_t n)
{
	size_t i = h & (m->cap - 1);

	while (m->keys[i] != NULL) {
		if (m->hashes[i] == h && strncmp(m->keys[i], key, n) == 0 &&
		    m->keys[i][n] == '\0')
			return i;
		i = (i + 1) & (m->cap - 1);
	}
	return i;
}

int
strmap_get(const struct strmap *m, const char *key, size_t n)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	i = strmap_find(m, ent_hash(key, n), key, n);
	return m->keys[i] != NULL ? m->vals[i] : -1;
}

static void
strmap_grow(struct strmap *m)
{
	struct strmap bigger;

	strmap_init(&bigger, m->cap);
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (m->keys[i] == NULL)
			continue;
		j = m->hashes[i] & (bigger.cap - 1);
		while (bigger.keys[j] != NULL)
			j = (j + 1) & (bigger.cap - 1);
		bigger.keys[j] = m->keys[i];
		bigger.hashes[j] = m->hashes[i];
		bigger.vals[j] = m->vals[i];
		bigger.n++;
	}
	free(m->keys);
	free(m->hashes);
	free(m->vals);
	*m = bigger;
}

int *
strmap_slot(struct strmap *m, const char *key, size_t n)
{
	uint32_t h = ent_hash(key, n);
	size_t i;

	if (m->cap == 0)
		strmap_init(m, 8);
	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	i = strmap_find(m, h, key, n);
	if (m->keys[i] == NULL) {
		m->keys[i] = xstrndup(key, n);
		m->hashes[i] = h;
		m->vals[i] = -1;
		m->n++;
	}
	return &m->vals[i];
}

void
ent_fold(const char *s, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
}

size_t
ent_key(const char *text, const struct tok *v, size_t k, int fold, char *key)
{
	size_t len = 0;

	for (size_t i = 0; i < k; i++) {
		const char *s = v[i].shape == SH_PUNCT ? &v[i].c : text + v[i].off;
		size_t n = v[i].shape == SH_PUNCT ? 1 : v[i].len;

		if (len + n + 1 >= ENT_KEY_MAX)
			return 0;
		if (i > 0)
			key[len++] = ' ';
		if (fold)
			ent_fold(s, n, key + len);
		else
			memcpy(key + len, s, n);
		len += n;
	}
	key[len] = '\0';
	return len;
}

/* ------------------------------------------------------------------ */
/* UTF-8 */

/* Decodes one character; returns its length, or 0 if s is not UTF-8. */
static size_t
utf8_get(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

void
ent_normalize(const char *src, size_t n, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0;

	buf_reserve(out, n + 1);
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_get(s + i, n - i, &cp);
		const char *rep = NULL;

		if (len == 0) {                 /* invalid byte */
			buf_putc(out, ' ');
			i++;
			continue;
		}
		if (cp >= 0x20 && cp < 0x7F) {
			/* a run of plain ASCII in one copy */
			size_t j = i + 1;

			while (j < n && s[j] >= 0x20 && s[j] < 0x7F)
				j++;
			buf_append(out, s + i, j - i);
			i = j;
			continue;
		}
		if (cp < 0x80) {
			if (cp == '\r' || cp == '\t' || cp == '\f' || cp == '\v')
				buf_putc(out, ' ');
			else if (cp < 0x20 && cp != '\n')
				buf_putc(out, ' ');
			else
				buf_putc(out, (char)cp);
			i += len;
			continue;
		}
		switch (cp) {
		case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x2032:
			rep = "'";
			break;
		case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
		case 0x2033:
			rep = "\"";
			break;
		case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
			rep = "-";
			break;
		case 0x2014: case 0x2015:
			rep = " ; ";
			break;
		case 0x00A0: case 0x202F: case 0x205F: case 0x3000: case 0x200B:
		case 0xFEFF:
			rep = " ";
			break;
		case 0x00AD:                    /* soft hyphen */
			rep = "";
			break;
		case 0x2026:
			rep = "...";
			break;
		default:
			if (cp >= 0x2000 && cp <= 0x200A)
				rep = " ";
			break;
		}
		if (rep != NULL)
			buf_puts(out, rep);
		else
			buf_append(out, s + i, len);
		i += len;
	}
}

/* ------------------------------------------------------------------ */
/* Tokens */

enum cclass { C_SPACE, C_NL, C_PUNCT, C_UPPER, C_LOWER, C_DIGIT, C_CASELESS };

/* Case of the Latin letters we know (Latin-1, Latin Extended-A). */
static enum cclass
latin_case(uint32_t c)
{
	if (c >= 0xC0 && c <= 0xDE)
		return C_UPPER;
	if (c >= 0xDF && c <= 0xFF)
		return C_LOWER;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return (c & 1) ? C_LOWER : C_UPPER;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? C_UPPER : C_LOWER;
	if (c == 0x178)
		return C_UPPER;
	return C_LOWER;                 /* 0x138, 0x149, 0x17F, Extended-B */
}

static enum cclass
cp_class(uint32_t c)
{
	if (c < 0x80) {
		if (c == '\n')
			return C_NL;
		if (c == ' ')
			return C_SPACE;
		if (c >= 'A' && c <= 'Z')
			return C_UPPER;
		if (c >= 'a' && c <= 'z')
			return C_LOWER;
		if (c >= '0' && c <= '9')
			return C_DIGIT;
		return C_PUNCT;
	}
	if (c <= 0xBF || c == 0xD7 || c == 0xF7)
		return C_PUNCT;
	if (c <= 0x24F)
		return latin_case(c);
	if (c >= 0x300 && c <= 0x36F)   /* combining marks go with their letter */
		return C_LOWER;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F) ||
	    (c >= 0xFF1A && c <= 0xFF20) || c >= 0x1F000)
		return C_PUNCT;
	/* Indic joiners stay inside words */
	return C_CASELESS;
}

static int
is_word(enum cclass k)
{
	return k == C_UPPER || k == C_LOWER || k == C_DIGIT || k == C_CASELESS;
}

/* Class of the character at text[i] (C_SPACE past the end), its length in len. */
static enum cclass
class_at(const char *text, size_t n, size_t i, size_t *len)
{
	uint32_t cp;
	size_t l;

	if (i >= n) {
		if (len)
			*len = 0;
		return C_SPACE;
	}
	l = utf8_get((const unsigned char *)text + i, n - i, &cp);
	if (l == 0) {
		if (len)
			*len = 1;
		return C_PUNCT;
	}
	if (len)
		*len = l;
	return cp_class(cp);
}

/* Words after which a period is an abbreviation's, not a full stop. */
static const char *const abbrevs[] = {
	"Adm", "Apr", "Aug", "Brig", "Capt", "Cmdr", "Co", "Col", "Corp", "Dec",
	"Dept", "Dr", "Feb", "Fr", "Ft", "Gen", "Gov", "Govt", "Hon", "Inc",
	"Jan", "Jr", "Jul", "Jun", "Lt", "Ltd", "Maj", "Mar", "Mr", "Mrs", "Ms",
	"Mt", "No", "Nov", "Oct", "Prof", "Rep", "Rev", "Rs", "Sen", "Sep",
	"Sept", "Sgt", "Smt", "Sr", "St", "al", "approx", "etc", "vs",
};

static int
is_abbrev(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(abbrevs); i++)
		if (strlen(abbrevs[i]) == n && memcmp(abbrevs[i], s, n) == 0)
			return 1;
	return 0;
}

/* Tails cut off compounds ("BJP-led", "Mumbai-based"). */
static const char *const tails[] = {
	"affiliated", "backed", "based", "born", "bound", "bred", "centric",
	"controlled", "dominated", "educated", "era", "focused", "friendly",
	"funded", "governed", "headquartered", "held", "inspired", "leaning",
	"led", "like", "linked", "listed", "made", "occupied", "origin",
	"owned", "registered", "ruled", "run", "sponsored", "style", "trained",
	"wide",
};

static int
is_tail(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(tails); i++)
		if (strlen(tails[i]) == n && memcmp(tails[i], s, n) == 0)
			return 1;
	return 0;
}

/* Prefixes that keep a name capitalized: "al-Assad", "el-Sisi". */
static int
is_name_prefix(const char *s, size_t n)
{
	static const char *const p[] = { "al", "el", "ul", "ud", "ad", "as", "ash", "az", "at", "an" };

	for (size_t i = 0; i < ARRAY_LEN(p); i++)
		if (strlen(p[i]) == n && memcmp(p[i], s, n) == 0)
			return 1;
	return 0;
}

static uint8_t
shape_of(const char *s, size_t n)
{
	size_t i = 0, l;
	int upper = 0, lower = 0, digit = 0, caseless = 0, dot = 0, first = -1;

	while (i < n) {
		enum cclass k = class_at(s, n, i, &l);

		if (k == C_UPPER)
			upper++;
		else if (k == C_LOWER)
			lower++;
		else if (k == C_DIGIT)
			digit++;
		else if (k == C_CASELESS)
			caseless++;
		else if (s[i] == '.')
			dot = 1;
		if (first < 0 && k != C_PUNCT)
			first = (int)k;
		i += l;
	}
	if (caseless)
		return SH_OTHER;
	if (first == C_DIGIT)
		return SH_NUM;
	if (first == C_LOWER) {
		const char *h = memchr(s, '-', n);

		if (h != NULL && is_name_prefix(s, (size_t)(h - s)) &&
		    class_at(s, n, (size_t)(h - s) + 1, NULL) == C_UPPER)
			return SH_CAP;
		return SH_LOWER;
	}
	if (first != C_UPPER)
		return SH_OTHER;
	if (dot && lower == 0)
		return SH_INITIAL;
	if (lower > 0)
		return SH_CAP;
	return SH_UPPER;
}

/* State of the sentence-start tracking. */
struct tokstate {
	int sstart;             /* the next word starts a sentence */
	int segwords;           /* words so far in this segment */
	int segfirst;           /* the next token is its segment's first */
	int paren_early;        /* an open '(' began among the first words */
};

static size_t
push(struct tok *v, size_t nv, size_t max, const struct tok *t)
{
	if (nv < max)
		v[nv++] = *t;
	return nv;
}

/* Scans a word starting at text[i]; returns the index after it. */
static size_t
scan_word(const char *text, size_t n, size_t i, struct tok *t)
{
	size_t start = i, l;

	for (;;) {
		enum cclass k = class_at(text, n, i, &l);

		if (is_word(k)) {
			i += l;
			continue;
		}
		if (text[i] == '\'' && i + 1 < n) {
			/* possessive "'s" at the end of a word */
			if ((text[i + 1] == 's' || text[i + 1] == 'S') &&
			    !is_word(class_at(text, n, i + 2, NULL))) {
				t->flags |= T_POSS;
				t->len = (uint16_t)(i - start);
				return i + 2;
			}
			if (is_word(class_at(text, n, i + 1, NULL))) {
				i++;
				continue;
			}
			/* "Reuters' report" */
			if (i > start && (text[i - 1] == 's')) {
				t->flags |= T_POSS;
				t->len = (uint16_t)(i - start);
				return i + 1;
			}
			break;
		}
		if ((text[i] == '-' || text[i] == '&') && i > start &&
		    is_word(class_at(text, n, i + 1, NULL))) {
			i++;
			continue;
		}
		if (text[i] == '.' && i > start) {
			/* initials: "J.", "A.P.J.", "U.S."; a capital, then a period */
			size_t wl = i - start;
			int single = class_at(text, n, start, NULL) == C_UPPER &&
			    (wl == 1 || (wl >= 2 && text[i - 2] == '.'));

			if (single) {
				i++;
				if (class_at(text, n, i, NULL) == C_UPPER &&
				    text[i + 1 < n ? i + 1 : i] == '.')
					continue;
				break;
			}
			if (is_abbrev(text + start, wl)) {
				t->flags |= T_ABBREV;
				t->len = (uint16_t)wl;
				return i + 1;
			}
		}
		break;
	}
	t->len = (uint16_t)(i - start);
	return i;
}

size_t
ent_tokenize(const char *text, size_t n, uint32_t seg, struct tok *v, size_t max)
{
	struct tokstate st = { 1, 0, 1, 0 };
	size_t i = 0, nv = 0, l;

	while (i < n && nv < max) {
		enum cclass k = class_at(text, n, i, &l);
		struct tok t = { 0 };

		if (k == C_SPACE) {
			i += l;
			continue;
		}
		if (k == C_NL) {
			seg++;
			st.sstart = 1;
			st.segwords = 0;
			st.segfirst = 1;
			st.paren_early = 0;
			i++;
			continue;
		}
		t.off = (uint32_t)i;
		t.seg = seg;
		if (st.segfirst)
			t.flags |= T_SEGSTART;
		st.segfirst = 0;
		if (k == C_PUNCT) {
			char c = l == 1 ? text[i] : '~';

			t.shape = SH_PUNCT;
			t.c = c;
			t.len = (uint16_t)l;
			if (c == '.' || c == '!' || c == '?' || c == ':')
				st.sstart = 1;
			else if (c == '"' && (i == 0 || text[i - 1] == ' ' ||
			    text[i - 1] == '\n' || text[i - 1] == '(')) {
				t.flags |= T_OPENQ;
				st.sstart = 1;
			} else if (c == '(' && st.segwords < 16)
				st.paren_early = 1;
			else if (c == ')' && st.paren_early) {
				/* the end of a dateline: "Washington, June 19 (IANS)" */
				st.paren_early = 0;
				st.sstart = 1;
			}
			nv = push(v, nv, max, &t);
			i += l;
			continue;
		}
		i = scan_word(text, n, i, &t);
		if (t.len == 0) {               /* cannot happen; never loop */
			i++;
			continue;
		}
		if (st.sstart)
			t.flags |= T_SSTART;
		st.sstart = 0;
		st.segwords++;
		/* "BJP-led": the name, then its tail as a word of its own */
		{
			const char *s = text + t.off;
			const char *h = NULL;

			for (size_t j = t.len; j > 0; j--)
				if (s[j - 1] == '-') {
					h = s + j - 1;
					break;
				}
			if (h != NULL && h > s && is_tail(h + 1, (size_t)(s + t.len - h - 1)) &&
			    !(t.flags & T_POSS)) {
				struct tok tail = t;

				tail.off = (uint32_t)(h + 1 - text);
				tail.len = (uint16_t)(s + t.len - h - 1);
				tail.flags = 0;
				tail.shape = SH_LOWER;
				t.len = (uint16_t)(h - s);
				t.flags |= T_SPLIT;
				t.shape = shape_of(text + t.off, t.len);
				nv = push(v, nv, max, &t);
				nv = push(v, nv, max, &tail);
				continue;
			}
		}
		t.shape = shape_of(text + t.off, t.len);
		nv = push(v, nv, max, &t);
	}
	return nv;
}

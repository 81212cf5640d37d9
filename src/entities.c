/*
 * entities.c: the people, organizations and places a text names.
 *
 * One pass over the tokens of title and body finds mentions: names from
 * the gazetteers (longest match), and names the gazetteers cannot know,
 * from patterns: a title cue before a capitalized sequence ("Secretary of
 * State Antony Blinken"), organization and place heads ("... Bank",
 * "... of India", "... Airport"), context words ("said" after a person,
 * "in" before a place).  Then mentions become entities: ambiguous
 * gazetteer names are decided by the countries the text names, surnames
 * and short forms join the full name they follow ("Stoltenberg"), acronyms
 * defined in the text ("the Monetary Policy Committee (MPC)") join their
 * expansion.  Last, lines whose capitals prove nothing (headlines in
 * Title Case, text in capitals, long capitalized runs) are scanned for
 * the gazetteers' names and the names already found, and nothing else.
 *
 * Everything is linear in the text, which is bounded (ENT_SCAN_BYTES).
 */
#include <stdlib.h>
#include <string.h>

#include "entint.h"
#include "util.h"

/* How a token is read. */
enum mode { MODE_NORMAL, MODE_KNOWN, MODE_SHOUT };

/* Mention types. */
enum mtype {
	M_GAZ,          /* a gazetteer name; sense chain in sense */
	M_NAME,         /* a name found by pattern, kind guessed */
	M_SINGLE,       /* one capitalized word, to resolve */
	M_ACRO,         /* one unknown all-capitals word, to resolve */
};

/* Mention context. */
#define X_CUE       0x0001
#define X_REPORT    0x0002
#define X_LOC       0x0004
#define X_PLACENEXT 0x0008
#define X_ORGNEXT   0x0010
#define X_SSTART    0x0020
#define X_AFTERGAZ  0x0040      /* right after a gazetteer name, no cue */
#define X_PLACEOF   0x0080
#define X_THE       0x0100

struct mention {
	uint32_t a, b;          /* tokens [a, b) */
	int sense;              /* M_GAZ, or a weak sense of M_SINGLE; else -1 */
	int ent;                /* resolved entity, or -1 */
	uint8_t type;
	uint8_t kind;
	uint16_t ctx;
};

struct ent_rec {
	char *name;
	int canon;              /* gazetteer entity, or -1 */
	int votes[3];
	int mentions;
};

/* A person a short form may stand for, and where that person was named. */
struct shortref {
	int ent;
	uint32_t pos;
	int next;
};

struct xstate {
	const struct entity_db *db;
	const char *text;
	struct tok *tok;
	size_t ntok;
	uint8_t *mode;          /* per token */
	struct mention *m;
	size_t nm, capm;
	struct ent_rec *e;
	size_t ne, cape;
	struct strmap names;    /* entity name -> entity */
	struct strmap known;    /* folded entity name -> entity */
	struct strmap shorts;   /* folded short form -> shortref chain */
	struct shortref *sr;
	size_t nsr, capsr;
	struct strmap acr;      /* acronym defined in the text -> entity */
	uint32_t *acrdef;       /* pairs: mention, acronym token */
	size_t nacrdef, capacrdef;
	int *score;             /* per canon: mentions of that country */
};

static const char *const function_words[] = {
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from",
	"in", "into", "is", "it", "its", "no", "nor", "not", "of", "off", "on",
	"or", "out", "over", "per", "so", "than", "that", "the", "this", "to",
	"up", "via", "vs", "was", "with", "yet", "amid", "after",
};

/* ------------------------------------------------------------------ */
/* Small helpers */

static const char *
ttext(const struct xstate *x, size_t i)
{
	return x->text + x->tok[i].off;
}

static int
is_wordtok(const struct tok *t)
{
	return t->shape != SH_PUNCT;
}

static int
namelike(const struct tok *t)
{
	return t->shape == SH_CAP || t->shape == SH_UPPER || t->shape == SH_INITIAL;
}

static int
tok_is(const struct xstate *x, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i < x->ntok && is_wordtok(&x->tok[i]) && x->tok[i].len == n &&
	    strncasecmp(ttext(x, i), w, n) == 0;
}

/* Lexicon bits of the phrase of k tokens at i (0 if any is not a word). */
static int
lex_bits(const struct xstate *x, size_t i, size_t k)
{
	char key[ENT_KEY_MAX];
	size_t len;
	int v;

	if (i + k > x->ntok)
		return 0;
	for (size_t j = i; j < i + k; j++)
		if (!is_wordtok(&x->tok[j]) || x->tok[j].seg != x->tok[i].seg ||
		    (j > i && (x->tok[j - 1].flags & T_POSS)))
			return 0;
	if ((len = ent_key(x->text, &x->tok[i], k, 1, key)) == 0)
		return 0;
	v = strmap_get(&x->db->lex, key, len);
	return v < 0 ? 0 : v;
}

/* Most words of a lexicon phrase starting with token i (0: none). */
static size_t
lex_start(const struct xstate *x, size_t i)
{
	char key[ENT_KEY_MAX];
	const struct tok *t = &x->tok[i];
	int v;

	if (i >= x->ntok || !is_wordtok(t) || t->len >= ENT_KEY_MAX)
		return 0;
	ent_fold(ttext(x, i), t->len, key);
	v = strmap_get(&x->db->lexstarts, key, t->len);
	return v < 0 ? 0 : (size_t)v;
}

/* Length of the longest lexicon phrase with bit starting at i, or 0. */
static size_t
lex_phrase(const struct xstate *x, size_t i, int bit)
{
	for (size_t k = lex_start(x, i); k > 0; k--)
		if (lex_bits(x, i, k) & bit)
			return k;
	return 0;
}

/* Whether a phrase with bit ends at token i - 1. */
static int
lex_before(const struct xstate *x, size_t i, int bit)
{
	for (size_t k = 1; k <= (size_t)x->db->lexwords && k <= i; k++)
		if (lex_start(x, i - k) >= k && (lex_bits(x, i - k, k) & bit))
			return 1;
	return 0;
}

/*
 * The longest gazetteer name at token i: returns its length in tokens
 * and its sense chain in *sense, or 0.
 */
static size_t
gaz_match(const struct xstate *x, size_t i, int fold, int *sense)
{
	const struct entity_db *db = x->db;
	const struct tok *t = &x->tok[i];
	char key[ENT_KEY_MAX];
	size_t maxw, len;
	int v;

	if (!is_wordtok(t) || t->len >= ENT_KEY_MAX)
		return 0;
	if (fold) {
		ent_fold(ttext(x, i), t->len, key);
		v = strmap_get(&db->fstarts, key, t->len);
	} else
		v = strmap_get(&db->starts, ttext(x, i), t->len);
	if (v <= 0)
		return 0;
	maxw = (size_t)v;
	if (maxw > x->ntok - i)
		maxw = x->ntok - i;
	/* a name never runs into another line */
	for (size_t k = 1; k < maxw; k++)
		if (x->tok[i + k].seg != t->seg) {
			maxw = k;
			break;
		}
	for (size_t k = maxw; k > 0; k--) {
		if ((len = ent_key(x->text, t, k, fold, key)) == 0)
			continue;
		v = strmap_get(fold ? &db->folded : &db->exact, key, len);
		if (v < 0)
			continue;
		if ((db->sense[v].flags & SN_NOSTART) && (t->flags & T_SSTART))
			continue;
		*sense = v;
		return k;
	}
	return 0;
}

static void
add_mention(struct xstate *x, uint32_t a, uint32_t b, enum mtype type,
    enum entity_kind kind, int sense, unsigned ctx)
{
	struct mention *m;

	if (x->nm >= ENT_MAX_MENTIONS)
		return;
	if (x->nm == x->capm) {
		x->capm = x->capm ? x->capm * 2 : 64;
		x->m = xreallocarray(x->m, x->capm, sizeof(*x->m));
	}
	m = &x->m[x->nm++];
	m->a = a;
	m->b = b;
	m->type = (uint8_t)type;
	m->kind = (uint8_t)kind;
	m->sense = sense;
	m->ent = -1;
	m->ctx = (uint16_t)ctx;
}

/* "NAME (ACR)": remembers ACR as defined by the mention just added. */
static void
note_acronym(struct xstate *x, size_t end)
{
	if (x->nm == 0 || end + 2 >= x->ntok || x->tok[end].shape != SH_PUNCT ||
	    x->tok[end].c != '(' || x->tok[end + 2].shape != SH_PUNCT ||
	    x->tok[end + 2].c != ')' || !namelike(&x->tok[end + 1]))
		return;
	if (x->nacrdef + 2 > x->capacrdef) {
		x->capacrdef = x->capacrdef ? x->capacrdef * 2 : 32;
		x->acrdef = xreallocarray(x->acrdef, x->capacrdef, sizeof(*x->acrdef));
	}
	x->acrdef[x->nacrdef++] = (uint32_t)(x->nm - 1);
	x->acrdef[x->nacrdef++] = (uint32_t)(end + 1);
}

/* ------------------------------------------------------------------ */
/* Segments: which lines' capitals mean something */

static int
is_function_word(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(function_words); i++)
		if (strlen(function_words[i]) == n && strncasecmp(function_words[i], s, n) == 0)
			return 1;
	return 0;
}

static void
classify_segments(struct xstate *x)
{
	size_t i = 0;

	while (i < x->ntok) {
		size_t j = i, words = 0, content = 0, capcontent = 0;
		size_t upper = 0, lower = 0, run = 0;
		uint32_t seg = x->tok[i].seg;
		enum mode mode = MODE_NORMAL;
		const struct tok *last;

		for (; j < x->ntok && x->tok[j].seg == seg; j++) {
			const struct tok *t = &x->tok[j];
			const char *s = ttext(x, j);

			if (!is_wordtok(t))
				continue;
			words++;
			for (size_t k = 0; k < t->len; k++)
				if (s[k] >= 'A' && s[k] <= 'Z')
					upper++;
				else if (s[k] >= 'a' && s[k] <= 'z')
					lower++;
			if (t->shape == SH_NUM || is_function_word(s, t->len))
				continue;
			content++;
			if (namelike(t))
				capcontent++;
		}
		last = &x->tok[j - 1];
		if (words >= 2 && upper >= 6 && upper * 10 > (upper + lower) * 8)
			mode = MODE_SHOUT;
		else if (seg == 0 && content >= 3 && capcontent * 4 >= content * 3)
			mode = MODE_KNOWN;
		else if (seg != 0 && content >= 2 && words <= 20 &&
		    capcontent * 4 >= content * 3 &&
		    !(last->shape == SH_PUNCT && strchr(".!?\"'", last->c) != NULL))
			mode = MODE_KNOWN;
		for (size_t k = i; k < j; k++)
			x->mode[k] = (uint8_t)mode;
		/* NOTE: a long run of capitalized words is a table or a
		 * headline inside the text: its capitals prove nothing either */
		if (mode == MODE_NORMAL)
			for (size_t k = i; k <= j; k++) {
				if (k < j && namelike(&x->tok[k])) {
					run++;
					continue;
				}
				if (run > ENT_LONG_RUN)
					for (size_t r = k - run; r < k; r++)
						x->mode[r] = MODE_KNOWN;
				run = 0;
			}
		i = j;
	}
}

/* ------------------------------------------------------------------ */
/* Pass one: patterns over normal text */

/*
 * The end of the name that starts at p: capitalized words, particles
 * between them ("bin", "de la"), and connectors inside organization
 * names ("Bank of India", "Association for Democratic Reforms").  The
 * first skip tokens are taken as they are (a gazetteer name).
 */
/* Whether [p, q) are capitalized words that are no stop word and do not
 * begin a sentence ("Free", not "Rival" or "Opposition"). */
static int
plain_words(const struct xstate *x, size_t p, size_t q)
{
	for (size_t i = p; i < q; i++)
		if ((x->tok[i].flags & T_SSTART) || (lex_bits(x, i, 1) & LX_STOP))
			return 0;
	return 1;
}

static size_t
chunk_end(const struct xstate *x, size_t p, size_t skip)
{
	size_t q = p + skip, end = p + skip;
	int head = 0, connected = 0, of = 0, lasthead = 0;

	if (skip > 0 && (lex_bits(x, q - 1, 1) & (LX_ORGHEAD | LX_PLACEHEAD)))
		head = 1;
	if (skip > 0 && (x->tok[q - 1].flags & (T_POSS | T_SPLIT)))
		return end;
	while (q < x->ntok && x->mode[q] == MODE_NORMAL && x->tok[q].seg == x->tok[p].seg) {
		const struct tok *t = &x->tok[q];
		int bits, sense;
		size_t k;

		if (namelike(t)) {
			if (q > p && connected && (k = gaz_match(x, q, 0, &sense)) > 0) {
				/* "Reserve Bank of India": the place is part of it */
				q += k;
				end = q;
				if (x->tok[q - 1].flags & (T_POSS | T_SPLIT))
					break;
				continue;
			}
			bits = lex_bits(x, q, 1);
			if (q > p) {
				size_t cl = lex_phrase(x, q, LX_CUE);

				/* "Court of Justice"; "Shahjahan Sheikh, who" */
				if (cl > 0 && !connected && !(cl == 1 && !head &&
				    !(q + 1 < x->ntok && namelike(&x->tok[q + 1]))))
					break;
				if (lex_phrase(x, q, LX_DEMONYM))
					break;
				if ((bits & LX_STOP) &&
				    !(bits & (LX_ORGHEAD | LX_PLACEHEAD | LX_MODIFIER)))
					break;
				/* "Assembly Suvendu Adhikari": a name ends at its head */
				if (lasthead && !connected &&
				    !(bits & (LX_ORGHEAD | LX_PLACEHEAD)))
					break;
				if ((k = gaz_match(x, q, 0, &sense)) > 0) {
					const struct entity_db *db = x->db;
					const struct ent_canon *e = &db->canon[db->sense[sense].canon];

					if (db->sense[sense].flags & SN_WEAK) {
						/* "Ashima Goyal": not Piyush Goyal */
					} else if (k == 1 && e->kind == ENTITY_PLACE && !head &&
					    q + 1 < x->ntok && namelike(&x->tok[q + 1]) &&
					    !(x->tok[q].flags & T_POSS) &&
					    gaz_match(x, q + 1, 0, &sense) == 0 &&
					    !lex_phrase(x, q + 1, LX_CUE)) {
						/* "Madhabi Puri Buch" */
					} else if (e->kind == ENTITY_ORG && !head &&
					    (lex_bits(x, q + k - 1, 1) & LX_ORGHEAD) &&
					    plain_words(x, p, q)) {
						/* "Free Democratic Party" */
						q += k;
						end = q;
						break;
					} else
						break;
				}
			}
			if (t->shape == SH_UPPER && q > p && !(bits & LX_ORGHEAD))
				break;
			lasthead = (bits & (LX_ORGHEAD | LX_PLACEHEAD)) != 0;
			if (lasthead)
				head = 1;
			q++;
			end = q;
			if (t->flags & (T_POSS | T_SPLIT))
				break;
			continue;
		}
		if (q > p && q + 1 < x->ntok && namelike(&x->tok[q + 1]) &&
		    x->tok[q + 1].seg == t->seg && is_wordtok(t)) {
			bits = lex_bits(x, q, 1);
			if ((bits & LX_PARTICLE) && t->shape == SH_LOWER) {
				q++;
				continue;
			}
			if ((bits & LX_CONNECT) && (head || connected) &&
			    t->shape == SH_LOWER) {
				int is_and = tok_is(x, q, "and");

				/* "X of Y and Z", never "X Gas and Y Solutions" */
				if (is_and && !of)
					break;
				if (!is_and && !tok_is(x, q, "the"))
					of = 1;
				connected = 1;
				q++;
				continue;
			}
		}
		if (t->shape == SH_PUNCT && t->c == '&' && of &&
		    q + 1 < x->ntok && namelike(&x->tok[q + 1])) {
			connected = 1;
			q++;
			continue;
		}
		/* "de la Fuente": a run of particles */
		if (q > p && is_wordtok(t) && t->shape == SH_LOWER &&
		    (lex_bits(x, q, 1) & LX_PARTICLE) && q + 2 < x->ntok &&
		    (lex_bits(x, q + 1, 1) & LX_PARTICLE) && namelike(&x->tok[q + 2])) {
			q += 2;
			continue;
		}
		break;
	}
	return end;
}

static unsigned
context_after(const struct xstate *x, size_t c)
{
	unsigned ctx = 0;
	size_t i = c;

	if (c > 0 && (x->tok[c - 1].flags & T_POSS))
		return 0;
	if (i < x->ntok && x->tok[i].shape == SH_PUNCT && x->tok[i].c == ',' &&
	    tok_is(x, i + 1, "who"))
		return X_REPORT;
	if (i >= x->ntok || !is_wordtok(&x->tok[i]) || x->tok[i].shape != SH_LOWER)
		return 0;
	if (lex_bits(x, i, 1) & LX_REPORT)
		ctx |= X_REPORT;
	if (lex_phrase(x, i, LX_PLACENEXT))
		ctx |= X_PLACENEXT;
	if (lex_phrase(x, i, LX_ORGNEXT))
		ctx |= X_ORGNEXT;
	return ctx;
}

static unsigned
context_before(const struct xstate *x, size_t p)
{
	unsigned ctx = 0;

	if (x->tok[p].flags & T_SSTART)
		ctx |= X_SSTART;
	if (p == 0 || !(x->tok[p - 1].shape == SH_LOWER ||
	    (x->tok[p - 1].shape == SH_CAP && (x->tok[p - 1].flags & T_SSTART))))
		return ctx;
	if (lex_bits(x, p - 1, 1) & LX_LOCATIVE)
		ctx |= X_LOC;
	if (lex_before(x, p, LX_PLACEOF))
		ctx |= X_PLACEOF;
	if (tok_is(x, p - 1, "the"))
		ctx |= X_THE;
	return ctx;
}

/* Words of [p, c) that are capitalized. */
static size_t
count_names(const struct xstate *x, size_t p, size_t c)
{
	size_t n = 0;

	for (size_t i = p; i < c; i++)
		if (namelike(&x->tok[i]))
			n++;
	return n;
}

/* Lexicon bits of the last word (or two words: "Air Force") of [p, c). */
static int
head_bits(const struct xstate *x, size_t p, size_t c)
{
	int bits = lex_bits(x, c - 1, 1);

	if (c - p >= 2)
		bits |= lex_bits(x, c - 2, 2);
	return bits;
}

/* Whether a word of [p, c) has a digit ("Sword-2024A", "IAM District 751"). */
static int
has_digit(const struct xstate *x, size_t p, size_t c)
{
	for (size_t i = p; i < c; i++)
		for (size_t j = 0; j < x->tok[i].len; j++)
			if (ttext(x, i)[j] >= '0' && ttext(x, i)[j] <= '9')
				return 1;
	return 0;
}

/*
 * Head bits of a word of [p, c) followed by a connector: "Ministry" of
 * "Ministry of Health and Family Welfare".
 */
static int
inner_head(const struct xstate *x, size_t p, size_t c)
{
	for (size_t i = p; i + 1 < c; i++)
		if (namelike(&x->tok[i]) && ((x->tok[i + 1].shape == SH_LOWER &&
		    (lex_bits(x, i + 1, 1) & LX_CONNECT)) ||
		    (x->tok[i + 1].shape == SH_PUNCT && x->tok[i + 1].c == '&')))
			return lex_bits(x, i, 1) & (LX_ORGHEAD | LX_PLACEHEAD | LX_DROPHEAD);
	return 0;
}

/* Decides what the unknown name [p, c) is and records it. */
static void
classify_chunk(struct xstate *x, size_t p, size_t c, int cue, int aftergaz)
{
	size_t words = count_names(x, p, c);
	unsigned ctx = context_before(x, p) | context_after(x, c);
	int head, first;

	if (words == 0 || words > ENT_MAX_CHUNK)
		return;
	if (cue)
		ctx |= X_CUE;
	head = head_bits(x, p, c);
	first = lex_bits(x, p, 1);
	if (head & LX_DROPHEAD)
		return;
	if (!(head & (LX_ORGHEAD | LX_PLACEHEAD)))
		head |= inner_head(x, p, c);
	if (head & LX_DROPHEAD)
		return;
	if (words >= 2 && (head & LX_ORGHEAD)) {
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_ORG, -1, ctx);
		note_acronym(x, c);
		return;
	}
	if (words >= 2 && (head & LX_PLACEHEAD)) {
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_PLACE, -1, ctx);
		return;
	}
	if (words == 1) {
		if (aftergaz && !cue)
			ctx |= X_AFTERGAZ;
		if (first & (LX_STOP | LX_ORGHEAD | LX_PLACEHEAD | LX_DEMONYM))
			return;
		add_mention(x, (uint32_t)p, (uint32_t)c,
		    x->tok[p].shape == SH_UPPER ? M_ACRO : M_SINGLE, ENTITY_PERSON, -1, ctx);
		note_acronym(x, c);
		return;
	}
	for (size_t i = p; i < c; i++)
		if (x->tok[i].shape == SH_UPPER)
			return;         /* "IAM District": not a name we can read */
	if (has_digit(x, p, c))
		return;
	if (aftergaz && !cue && !(ctx & X_REPORT))
		return;                 /* "Kolkata Knight Riders" */
	if (cue || ((ctx & X_REPORT) && words < 4))
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_PERSON, -1, ctx);
	else if (words >= 4 && words == c - p)
		/* four capitalized words with no "bin" or "de" in them: an
		 * organization's name more often than a person's */
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_ORG, -1, ctx);
	else if (ctx & (X_PLACENEXT | X_PLACEOF))
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_PLACE, -1, ctx);
	else if (ctx & (X_ORGNEXT | X_THE))
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_ORG, -1, ctx);
	else if ((ctx & X_LOC) && !tok_is(x, p - 1, "from"))
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_PLACE, -1, ctx);
	else
		add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_PERSON, -1, ctx);
	note_acronym(x, c);
}

/*
 * "India-Pakistan", "US-China": a compound of gazetteer names is each of
 * them.  Returns p + 1 when it was one, else p.
 */
static size_t
compound(struct xstate *x, size_t p)
{
	const struct tok *t = &x->tok[p];
	const char *s = ttext(x, p), *end = s + t->len, *h;
	int senses[4];
	size_t n = 0;

	if (memchr(s, '-', t->len) == NULL)
		return p;
	while (s < end && n < ARRAY_LEN(senses)) {
		int v;

		h = memchr(s, '-', (size_t)(end - s));
		if (h == NULL)
			h = end;
		if ((v = strmap_get(&x->db->exact, s, (size_t)(h - s))) < 0)
			return p;
		senses[n++] = v;
		s = h + 1;
	}
	if (s < end)
		return p;
	for (size_t i = 0; i < n; i++)
		add_mention(x, (uint32_t)p, (uint32_t)p + 1, M_GAZ,
		    x->db->canon[x->db->sense[senses[i]].canon].kind, senses[i], 0);
	return p + 1;
}

/*
 * Reads the capitalized material at p; returns where it stopped (> p).
 * *cue carries a title cue to the name after it.
 */
static size_t
scan_caps(struct xstate *x, size_t p, int *cue, int aftergaz)
{
	const struct entity_db *db = x->db;
	size_t k, cuelen, c;
	int sense, bits;

	k = gaz_match(x, p, 0, &sense);
	cuelen = lex_phrase(x, p, LX_CUE);
	if (k > 0 && k >= cuelen) {
		const struct ent_canon *e = &db->canon[db->sense[sense].canon];
		size_t q = p + k;

		if ((db->sense[sense].flags & SN_WEAK) && q < x->ntok &&
		    namelike(&x->tok[q]) && !(x->tok[q - 1].flags & T_POSS) &&
		    !lex_phrase(x, q, LX_CUE) && gaz_match(x, q, 0, &sense) == 0) {
			/* "Adani Total Gas": the surname begins a longer name */
			c = chunk_end(x, p, 1);
			classify_chunk(x, p, c, *cue, aftergaz);
			*cue = 0;
			return c;
		}
		if (db->sense[sense].flags & SN_WEAK) {
			/* a surname: decided with the other single words */
			add_mention(x, (uint32_t)p, (uint32_t)q, M_SINGLE, ENTITY_PERSON,
			    sense, context_before(x, p) | context_after(x, q) |
			    (*cue ? X_CUE : 0));
			*cue = 0;
			return q;
		}
		if (!(x->tok[q - 1].flags & (T_POSS | T_SPLIT)) && q < x->ntok &&
		    x->mode[q] == MODE_NORMAL) {
			/* "Delhi Police", "Punjab National Bank", "Paris Agreement" */
			if (e->kind == ENTITY_PLACE && namelike(&x->tok[q]) &&
			    !lex_phrase(x, q, LX_CUE) && gaz_match(x, q, 0, &sense) == 0) {
				int head;

				c = chunk_end(x, p, k);
				head = head_bits(x, p, c) | inner_head(x, q, c);
				if (c > q && (head & LX_DROPHEAD))
					return c;
				if (c > q && (head & (LX_ORGHEAD | LX_PLACEHEAD))) {
					add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME,
					    (head & LX_ORGHEAD) ? ENTITY_ORG : ENTITY_PLACE, -1, 0);
					note_acronym(x, c);
					return c;
				}
				if (c > q && k == 1 && count_names(x, q, c) <= 2 &&
				    (*cue || (context_after(x, c) & X_REPORT))) {
					/* "Victoria Nuland said" */
					add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME,
					    ENTITY_PERSON, -1, X_CUE);
					*cue = 0;
					return c;
				}
				if (c > q && k == 1 && count_names(x, q, c) <= 3 && !*cue &&
				    !(db->sense[sense].flags & SN_ACRONYM) &&
				    !lex_phrase(x, c, LX_CUE) && !has_digit(x, q, c) &&
				    !(c < x->ntok && namelike(&x->tok[c]))) {
					/* "Porto Alegre", "Rio Grande do Sul": a longer
					 * place, unless the text says otherwise; not
					 * "Delhi Environment Minister" */
					unsigned ctx = context_before(x, p) | context_after(x, c);

					add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME,
					    (ctx & (X_THE | X_ORGNEXT)) && !(ctx & X_PLACENEXT) ?
					    ENTITY_ORG : ENTITY_PLACE, -1, ctx);
					note_acronym(x, c);
					*cue = 0;
					return c;
				}
			}
			/* "Taiwan Defence Ministry": a country's own ministry */
			if (e->kind == ENTITY_PLACE && namelike(&x->tok[q]) &&
			    !(db->sense[sense].flags & SN_ACRONYM)) {
				int s2;
				size_t k2 = gaz_match(x, q, 0, &s2);

				if (k2 > 0 && db->canon[db->sense[s2].canon].kind == ENTITY_ORG &&
				    (lex_bits(x, q + k2 - 1, 1) & LX_ORGHEAD) &&
				    !(x->tok[q].flags & T_SSTART)) {
					add_mention(x, (uint32_t)p, (uint32_t)(q + k2), M_NAME,
					    ENTITY_ORG, -1, 0);
					*cue = 0;
					return q + k2;
				}
			}
			/* "Election Commission of Pakistan" */
			if (e->kind == ENTITY_ORG && tok_is(x, q, "of") && q + 1 < x->ntok &&
			    namelike(&x->tok[q + 1]) &&
			    (lex_bits(x, q - 1, 1) & LX_ORGHEAD)) {
				c = chunk_end(x, p, k);
				if (c > q + 1) {
					add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME,
					    ENTITY_ORG, -1, 0);
					note_acronym(x, c);
					return c;
				}
			}
		}
		add_mention(x, (uint32_t)p, (uint32_t)q, M_GAZ, e->kind, sense, 0);
		note_acronym(x, q);
		/* "Ambassador to Nepal Naveen Srivastava": the cue was for the
		 * name after the place */
		*cue = *cue == 2 && e->kind == ENTITY_PLACE && q < x->ntok &&
		    namelike(&x->tok[q]) ? 1 : 0;
		return q;
	}
	if (cuelen > 0) {
		*cue = 1;
		return p + cuelen;
	}
	if ((k = lex_phrase(x, p, LX_DEMONYM)) > 0) {
		/* "Russian Foreign Ministry" is an organization; "Russian
		 * President" names nobody yet */
		c = chunk_end(x, p + k, 0);
		if (c > p + k && ((head_bits(x, p + k, c) | inner_head(x, p + k, c)) & LX_ORGHEAD) &&
		    !lex_phrase(x, p + k, LX_CUE)) {
			add_mention(x, (uint32_t)p, (uint32_t)c, M_NAME, ENTITY_ORG, -1, 0);
			note_acronym(x, c);
			return c;
		}
		return p + k;
	}
	bits = lex_bits(x, p, 1);
	if (bits & LX_DROPSTART)
		return chunk_end(x, p, 1);
	if ((bits & LX_STOP) && !(bits & (LX_ORGHEAD | LX_PLACEHEAD))) {
		/* "Central Bank of Nigeria", "National Stock Exchange" */
		if ((bits & LX_MODIFIER) && (c = chunk_end(x, p, 1)) > p + 1 &&
		    (((head_bits(x, p, c) | inner_head(x, p, c)) & (LX_ORGHEAD | LX_PLACEHEAD)) ||
		    *cue || (context_after(x, c) & (X_REPORT | X_PLACENEXT | X_ORGNEXT)))) {
			/* "Finance Minister Christian Lindner", "East
			 * Azerbaijan province" */
			classify_chunk(x, p, c, *cue, aftergaz);
			*cue = 0;
			return c;
		}
		return p + 1;
	}
	if ((c = compound(x, p)) > p)
		return c;
	c = chunk_end(x, p, 0);
	if (c <= p)
		c = p + 1;
	classify_chunk(x, p, c, *cue, aftergaz);
	*cue = 0;
	return c;
}

static void
scan_normal(struct xstate *x)
{
	size_t i = 0;
	int cue = 0;
	size_t gaz_end = (size_t)-1;    /* where the last gazetteer name ended */

	while (i < x->ntok) {
		const struct tok *t = &x->tok[i];
		size_t k, nm;

		if (x->mode[i] != MODE_NORMAL || t->shape == SH_PUNCT) {
			cue = 0;
			i++;
			continue;
		}
		if (!namelike(t)) {
			if ((k = lex_phrase(x, i, LX_CUE)) > 0) {
				cue = 1;
				i += k;
			} else {
				cue = cue && (tok_is(x, i, "to") || tok_is(x, i, "of") ||
				    tok_is(x, i, "for")) ? 2 : 0;
				i++;
			}
			continue;
		}
		nm = x->nm;
		k = scan_caps(x, i, &cue, gaz_end == i);
		gaz_end = (x->nm > nm && x->m[x->nm - 1].type == M_GAZ &&
		    x->m[x->nm - 1].b == k &&
		    !(x->tok[k - 1].flags & (T_POSS | T_SPLIT))) ? k : (size_t)-1;
		i = k;
	}
}

/* ------------------------------------------------------------------ */
/* Entities */

static int
entity_get(struct xstate *x, const char *name, size_t n, int canon)
{
	int *slot = strmap_slot(&x->names, name, n);
	struct ent_rec *e;

	if (*slot >= 0)
		return *slot;
	if (x->ne >= ENT_MAX_ENTITIES)
		return -1;
	if (x->ne == x->cape) {
		x->cape = x->cape ? x->cape * 2 : 32;
		x->e = xreallocarray(x->e, x->cape, sizeof(*x->e));
	}
	e = &x->e[x->ne];
	memset(e, 0, sizeof(*e));
	e->name = xstrndup(name, n);
	e->canon = canon;
	*slot = (int)x->ne;
	return (int)x->ne++;
}

static void
entity_count(struct xstate *x, int ent, enum entity_kind kind, int weight)
{
	if (ent < 0)
		return;
	x->e[ent].mentions++;
	x->e[ent].votes[kind] += weight;
}

static int
canon_entity(struct xstate *x, int canon)
{
	const struct ent_canon *c = &x->db->canon[canon];
	int ent = entity_get(x, c->name, strlen(c->name), canon);

	if (ent >= 0 && x->e[ent].canon < 0)
		x->e[ent].canon = canon;
	return ent;
}

/* The text of the mention's tokens, as written. */
static void
mention_text(const struct xstate *x, const struct mention *m, const char **s, size_t *n)
{
	const struct tok *a = &x->tok[m->a], *b = &x->tok[m->b - 1];

	*s = x->text + a->off;
	*n = b->off + b->len - a->off;
}

/* The sense of the chain that the text's countries favour. */
static int
pick_sense(const struct xstate *x, int sense)
{
	const struct entity_db *db = x->db;
	int best = sense, bestscore = -1;

	for (int s = sense; s >= 0; s = db->sense[s].next) {
		int country = db->canon[db->sense[s].canon].country;
		/* NOTE: a sense tied to no country beats one whose country
		 * the text never names (ICC: the court, unless India is in
		 * the story) */
		int score = country >= 0 ? 2 * x->score[country] : 1;

		if (score > bestscore) {
			best = s;
			bestscore = score;
		}
	}
	return best;
}

static void
add_short(struct xstate *x, const char *s, size_t n, int ent, uint32_t pos)
{
	char key[ENT_KEY_MAX];
	int *slot;

	if (n == 0 || n >= ENT_KEY_MAX)
		return;
	ent_fold(s, n, key);
	slot = strmap_slot(&x->shorts, key, n);
	for (int r = *slot; r >= 0; r = x->sr[r].next)
		if (x->sr[r].ent == ent) {
			if (x->sr[r].pos > pos)
				x->sr[r].pos = pos;
			return;
		}
	if (x->nsr == x->capsr) {
		x->capsr = x->capsr ? x->capsr * 2 : 32;
		x->sr = xreallocarray(x->sr, x->capsr, sizeof(*x->sr));
	}
	x->sr[x->nsr].ent = ent;
	x->sr[x->nsr].pos = pos;
	x->sr[x->nsr].next = *slot;
	*slot = (int)x->nsr++;
}

/* Registers the short forms of a person's full name: its words, and the
 * runs of words that end it ("Biren Singh" of "N. Biren Singh"). */
static void
register_person(struct xstate *x, int ent, uint32_t pos)
{
	const char *name = x->e[ent].name;
	const char *sp = strchr(name, ' ');
	const char *end = name + strlen(name);
	size_t words = 1;

	if (sp == NULL)
		return;
	for (const char *s = name; *s; s++)
		if (*s == ' ')
			words++;
	/* the first word, unless an initial ("J.") */
	if (!(sp - name <= 2 && sp[-1] == '.') && memchr(name, '.', (size_t)(sp - name)) == NULL)
		add_short(x, name, (size_t)(sp - name), ent, pos);
	/* every proper suffix */
	for (const char *s = sp; s != NULL; s = strchr(s + 1, ' ')) {
		const char *w = s + 1;

		/* "bin Salman" is a suffix too, "Salman" the last */
		if ((size_t)(end - w) >= 2)
			add_short(x, w, (size_t)(end - w), ent, pos);
	}
	(void)words;
}

/* The person a short form stands for at token pos, or -1. */
static int
short_lookup(const struct xstate *x, const char *s, size_t n, uint32_t pos, int except)
{
	char key[ENT_KEY_MAX];
	int r, best = -1, first = -1;
	uint32_t bestpos = 0, firstpos = UINT32_MAX;

	if (n == 0 || n >= ENT_KEY_MAX)
		return -1;
	ent_fold(s, n, key);
	if ((r = strmap_get(&x->shorts, key, n)) < 0)
		return -1;
	for (; r >= 0; r = x->sr[r].next) {
		const struct shortref *sr = &x->sr[r];

		if (sr->ent == except)
			continue;
		if (sr->pos <= pos && (best < 0 || sr->pos >= bestpos)) {
			best = sr->ent;
			bestpos = sr->pos;
		}
		if (sr->pos < firstpos) {
			first = sr->ent;
			firstpos = sr->pos;
		}
	}
	return best >= 0 ? best : first;
}

/* Whether mentions a and b are next to each other in a list ("X, Y and Z"). */
static int
listed(const struct xstate *x, const struct mention *a, const struct mention *b)
{
	size_t gap = b->a - a->b;

	if (a->b > b->a || x->tok[a->b].seg != x->tok[b->a].seg ||
	    (x->tok[a->b - 1].flags & T_POSS))
		return 0;
	if (gap == 1)
		return (x->tok[a->b].shape == SH_PUNCT && x->tok[a->b].c == ',') ||
		    tok_is(x, a->b, "and") || tok_is(x, a->b, "or");
	if (gap == 2)
		return x->tok[a->b].shape == SH_PUNCT && x->tok[a->b].c == ',' &&
		    (tok_is(x, a->b + 1, "and") || tok_is(x, a->b + 1, "or"));
	return 0;
}

/*
 * "at Neamatighat, Tezpur and Dhubri": single words listed with places
 * and no person are places.
 */
static void
place_lists(struct xstate *x)
{
	size_t i = 0;

	while (i < x->nm) {
		size_t j = i + 1;
		int place = 0, person = 0;

		while (j < x->nm && listed(x, &x->m[j - 1], &x->m[j]))
			j++;
		for (size_t k = i; k < j; k++) {
			const struct mention *m = &x->m[k];

			if (m->ent >= 0 && m->kind == ENTITY_PLACE)
				place = 1;
			if ((m->ent >= 0 && m->kind == ENTITY_PERSON) || (m->ctx & X_CUE))
				person = 1;
		}
		if (j - i >= 2 && place && !person)
			for (size_t k = i; k < j; k++) {
				struct mention *m = &x->m[k];
				const char *s;
				size_t n;

				if (m->ent >= 0 || m->type != M_SINGLE || m->sense >= 0)
					continue;
				mention_text(x, m, &s, &n);
				m->kind = ENTITY_PLACE;
				m->ent = entity_get(x, s, n, -1);
			}
		i = j;
	}
}

static void
resolve(struct xstate *x)
{
	const struct entity_db *db = x->db;
	char key[ENT_KEY_MAX];

	/* 1. the countries the text names, from its unambiguous names */
	for (size_t i = 0; i < x->nm; i++) {
		const struct mention *m = &x->m[i];
		const struct ent_canon *c;

		if (m->type != M_GAZ || db->sense[m->sense].next >= 0)
			continue;
		c = &db->canon[db->sense[m->sense].canon];
		if (c->is_country)
			x->score[db->sense[m->sense].canon]++;
		if (c->country >= 0)
			x->score[c->country]++;
	}
	/* 2. gazetteer names and names found by pattern */
	for (size_t i = 0; i < x->nm; i++) {
		struct mention *m = &x->m[i];
		const char *s;
		size_t n;
		int v;

		if (m->type == M_GAZ) {
			m->sense = pick_sense(x, m->sense);
			m->ent = canon_entity(x, db->sense[m->sense].canon);
			m->kind = (uint8_t)db->canon[db->sense[m->sense].canon].kind;
			continue;
		}
		if (m->type != M_NAME)
			continue;
		mention_text(x, m, &s, &n);
		/* a name the gazetteer knows under another spelling */
		if (n < ENT_KEY_MAX && (v = strmap_get(&db->exact, s, n)) >= 0) {
			m->sense = pick_sense(x, v);
			m->ent = canon_entity(x, db->sense[m->sense].canon);
			m->kind = (uint8_t)db->canon[db->sense[m->sense].canon].kind;
			m->type = M_GAZ;
			continue;
		}
		m->ent = entity_get(x, s, n, -1);
	}
	/* 3. people's full names give their short forms */
	for (size_t i = 0; i < x->nm; i++) {
		struct mention *m = &x->m[i];

		if (m->ent >= 0 && m->kind == ENTITY_PERSON)
			register_person(x, m->ent, m->a);
	}
	/* 4. a name that is the short form of a longer one is that one */
	for (size_t i = 0; i < x->nm; i++) {
		struct mention *m = &x->m[i];
		int ent;

		if (m->ent < 0 || m->type != M_NAME)
			continue;
		ent = short_lookup(x, x->e[m->ent].name, strlen(x->e[m->ent].name), m->a, m->ent);
		if (ent >= 0 && strlen(x->e[ent].name) > strlen(x->e[m->ent].name)) {
			m->ent = ent;
			m->kind = ENTITY_PERSON;
		}
	}
	/* 5. acronyms defined in the text */
	for (size_t i = 0; i + 1 < x->nacrdef; i += 2) {
		const struct mention *m = &x->m[x->acrdef[i]];
		const struct tok *t = &x->tok[x->acrdef[i + 1]];
		int *slot;

		if (m->ent < 0)
			continue;
		slot = strmap_slot(&x->acr, x->text + t->off, t->len);
		if (*slot < 0)
			*slot = m->ent;
	}
	/* 6. single words: short forms, acronyms, surnames we know, then
	 * context; then lists of places; those without evidence only if
	 * named otherwise */
	for (int round = 0; round < 3; round++) {
		if (round == 2)
			place_lists(x);
		for (size_t i = 0; i < x->nm; i++) {
			struct mention *m = &x->m[i];
			const char *s;
			size_t n;
			int ent, v;

			if (m->ent >= 0 || (m->type != M_SINGLE && m->type != M_ACRO))
				continue;
			mention_text(x, m, &s, &n);
			if ((ent = short_lookup(x, s, n, m->a, -1)) >= 0) {
				m->ent = ent;
				m->kind = ENTITY_PERSON;
				continue;
			}
			if ((v = strmap_get(&x->acr, s, n)) >= 0) {
				m->ent = v;
				m->kind = (uint8_t)ENTITY_ORG;
				continue;
			}
			if (m->sense >= 0) {
				m->ent = canon_entity(x, db->sense[m->sense].canon);
				m->kind = ENTITY_PERSON;
				continue;
			}
			if (m->type == M_ACRO)
				continue;
			if (round > 0) {
				/* "Kharkiv" again, found with evidence earlier */
				if ((v = strmap_get(&x->names, s, n)) >= 0 &&
				    !(m->ctx & X_AFTERGAZ)) {
					m->ent = v;
					m->kind = 0xFF;
				}
				continue;
			}
			if (m->ctx & (X_SSTART | X_AFTERGAZ))
				continue;
			if (m->ctx & X_CUE)
				m->kind = ENTITY_PERSON;
			else if (m->ctx & (X_PLACEOF | X_PLACENEXT))
				m->kind = ENTITY_PLACE;
			else if (m->ctx & X_ORGNEXT)
				m->kind = ENTITY_ORG;
			else if (m->ctx & X_REPORT)
				m->kind = ENTITY_PERSON;
			else if ((m->ctx & X_LOC) && !(m->ctx & X_THE))
				m->kind = ENTITY_PLACE;
			else
				continue;
			m->ent = entity_get(x, s, n, -1);
		}
	}
	/* 7. count */
	for (size_t i = 0; i < x->nm; i++) {
		struct mention *m = &x->m[i];
		int w;

		if (m->ent < 0)
			continue;
		if (m->kind == 0xFF) {  /* whatever the entity turns out to be */
			x->e[m->ent].mentions++;
			continue;
		}
		w = m->type == M_GAZ ? 100 : (m->ctx & X_CUE) ? 3 : 1;
		entity_count(x, m->ent, (enum entity_kind)m->kind, w);
	}
	/* the names found so far, for the lines read in pass two */
	for (size_t i = 0; i < x->ne; i++) {
		size_t n = strlen(x->e[i].name);

		if (n >= ENT_KEY_MAX)
			continue;
		ent_fold(x->e[i].name, n, key);
		*strmap_slot(&x->known, key, n) = (int)i;
	}
}

/* ------------------------------------------------------------------ */
/* Pass two: headlines, capitals, tables */

static void
scan_known(struct xstate *x)
{
	const struct entity_db *db = x->db;
	char key[ENT_KEY_MAX];
	size_t i = 0;

	while (i < x->ntok) {
		const struct tok *t = &x->tok[i];
		int shout = x->mode[i] == MODE_SHOUT, sense = -1, ent = -1;
		size_t k = 0, len;

		if (x->mode[i] == MODE_NORMAL || !namelike(t)) {
			i++;
			continue;
		}
		/* a gazetteer name; in capitals, acronyms only where they
		 * cannot be words ("US", "WHO" can) */
		if ((k = gaz_match(x, i, 0, &sense)) > 0 && shout &&
		    (db->sense[sense].flags & SN_ACRONYM) &&
		    (t->len < 3 || (lex_bits(x, i, 1) & LX_STOP)))
			k = 0;
		if (k == 0 && shout)
			k = gaz_match(x, i, 1, &sense);
		if (k > 0) {
			sense = pick_sense(x, sense);
			if (db->sense[sense].flags & SN_WEAK) {
				const char *s = ttext(x, i);

				ent = short_lookup(x, s, t->len, (uint32_t)i, -1);
			}
			if (ent < 0)
				ent = canon_entity(x, db->sense[sense].canon);
			entity_count(x, ent, db->canon[db->sense[sense].canon].kind, 100);
			i += k;
			continue;
		}
		/* a name found in the text, or a person's short form */
		for (k = 4; k > 0; k--) {
			int v;

			if (i + k > x->ntok || x->tok[i + k - 1].seg != t->seg ||
			    !namelike(&x->tok[i + k - 1]))
				continue;
			if ((len = ent_key(x->text, t, k, 1, key)) == 0)
				continue;
			if ((v = strmap_get(&x->known, key, len)) >= 0) {
				ent = v;
				break;
			}
			if ((v = short_lookup(x, key, len, (uint32_t)i, -1)) >= 0) {
				ent = v;
				break;
			}
		}
		if (ent >= 0 && k > 0) {
			x->e[ent].mentions++;
			i += k;
		} else
			i++;
	}
}

/* ------------------------------------------------------------------ */

static enum entity_kind
entity_kind_of(const struct xstate *x, const struct ent_rec *e)
{
	if (e->canon >= 0)
		return x->db->canon[e->canon].kind;
	if (e->votes[ENTITY_ORG] > e->votes[ENTITY_PERSON] &&
	    e->votes[ENTITY_ORG] >= e->votes[ENTITY_PLACE])
		return ENTITY_ORG;
	if (e->votes[ENTITY_PLACE] > e->votes[ENTITY_PERSON])
		return ENTITY_PLACE;
	return ENTITY_PERSON;
}

static int
cmp_entity(const void *pa, const void *pb)
{
	const struct entity *a = pa, *b = pb;

	if (a->mentions != b->mentions)
		return a->mentions > b->mentions ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Appends text to the scan buffer, cut at a character boundary. */
static void
append_text(struct buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	ent_normalize(s, n, b);
}

void
entities_extract(const struct entity_db *db, const char *title, const char *body,
    struct entity_list *out)
{
	struct xstate x;
	struct buf text;
	size_t maxtok, title_end, cap;

	memset(out, 0, sizeof(*out));
	if (db == NULL)
		return;
	memset(&x, 0, sizeof(x));
	x.db = db;
	buf_init(&text);
	if (title != NULL)
		append_text(&text, title, ENT_TITLE_BYTES);
	title_end = text.len;
	for (size_t i = 0; i < title_end; i++)
		if (text.data[i] == '\n')
			text.data[i] = ' ';
	buf_putc(&text, '\n');
	if (body != NULL)
		append_text(&text, body, ENT_SCAN_BYTES);
	x.text = text.data;
	/* a token takes at least two bytes (a character and a space) */
	maxtok = text.len / 2 + 2;
	if (maxtok > ENT_MAX_TOKENS)
		maxtok = ENT_MAX_TOKENS;
	x.tok = xreallocarray(NULL, maxtok, sizeof(*x.tok));
	x.ntok = ent_tokenize(text.data, text.len, 0, x.tok, maxtok);
	x.mode = xcalloc(x.ntok + 1, 1);
	x.score = xcalloc(db->ncanon + 1, sizeof(*x.score));
	strmap_init(&x.names, 64);
	strmap_init(&x.known, 64);
	strmap_init(&x.shorts, 64);
	strmap_init(&x.acr, 8);

	classify_segments(&x);
	scan_normal(&x);
	resolve(&x);
	scan_known(&x);

	cap = 0;
	for (size_t i = 0; i < x.ne; i++)
		if (x.e[i].mentions > 0)
			cap++;
	out->v = xcalloc(cap ? cap : 1, sizeof(*out->v));
	for (size_t i = 0; i < x.ne; i++) {
		if (x.e[i].mentions == 0)
			continue;
		out->v[out->n].name = x.e[i].name;
		x.e[i].name = NULL;
		out->v[out->n].kind = entity_kind_of(&x, &x.e[i]);
		out->v[out->n].mentions = x.e[i].mentions;
		out->n++;
	}
	qsort(out->v, out->n, sizeof(*out->v), cmp_entity);
	while (out->n > ENT_MAX_OUTPUT)
		free(out->v[--out->n].name);

	for (size_t i = 0; i < x.ne; i++)
		free(x.e[i].name);
	free(x.e);
	free(x.m);
	free(x.sr);
	free(x.acrdef);
	free(x.tok);
	free(x.mode);
	free(x.score);
	strmap_free(&x.names);
	strmap_free(&x.known);
	strmap_free(&x.shorts);
	strmap_free(&x.acr);
	buf_free(&text);
}

void
entity_list_free(struct entity_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const char *
entity_kind_name(enum entity_kind k)
{
	switch (k) {
	case ENTITY_PERSON: return "person";
	case ENTITY_ORG: return "org";
	case ENTITY_PLACE: return "place";
	}
	return "?";
}

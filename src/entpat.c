/*
 * entpat.c: pass one of the entity extractor: gazetteer names and the
 * patterns for names the gazetteers cannot know (title cues, heads,
 * "X of Y", particles, initials, context words), over the lines whose
 * capitals mean something.  See entities.c for the whole.
 */
#include <string.h>
#include <strings.h>

#include "entint.h"
#include "util.h"

#define FW(w) { w, sizeof(w) - 1 }
static const struct {
	const char *w;
	size_t n;
} function_words[] = {
	FW("a"), FW("an"), FW("and"), FW("are"), FW("as"), FW("at"), FW("be"),
	FW("but"), FW("by"), FW("for"), FW("from"), FW("in"), FW("into"), FW("is"),
	FW("it"), FW("its"), FW("no"), FW("nor"), FW("not"), FW("of"), FW("off"),
	FW("on"), FW("or"), FW("out"), FW("over"), FW("per"), FW("so"), FW("than"),
	FW("that"), FW("the"), FW("this"), FW("to"), FW("up"), FW("via"), FW("vs"),
	FW("was"), FW("with"), FW("yet"), FW("amid"), FW("after"),
};
#undef FW
/* The longest of them. */
#define FUNCTION_WORD_MAX 5

/* ------------------------------------------------------------------ */
/* Small helpers */


int
ent_tok_is(const struct xstate *x, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i < x->ntok && is_wordtok(&x->tok[i]) && x->tok[i].len == n &&
	    strncasecmp(ttext(x, i), w, n) == 0;
}

/* Lexicon bits of the phrase of k tokens at i (0 if any is not a word). */
int
ent_lex_bits(const struct xstate *x, size_t i, size_t k)
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
		if (ent_lex_bits(x, i, k) & bit)
			return k;
	return 0;
}

/* Whether a phrase with bit ends at token i - 1. */
static int
lex_before(const struct xstate *x, size_t i, int bit)
{
	for (size_t k = 1; k <= (size_t)x->db->lexwords && k <= i; k++)
		if (lex_start(x, i - k) >= k && (ent_lex_bits(x, i - k, k) & bit))
			return 1;
	return 0;
}

/*
 * The longest gazetteer name at token i: returns its length in tokens
 * and its sense chain in *sense, or 0.
 */
size_t
ent_gaz_match(const struct xstate *x, size_t i, int fold, int *sense)
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

/*
 * Called for every word of every text: the length and the first letter
 * rule out nearly every word before any string is compared.
 */
static int
is_function_word(const char *s, size_t n)
{
	char c;

	if (n == 0 || n > FUNCTION_WORD_MAX)
		return 0;
	c = (char)(s[0] >= 'A' && s[0] <= 'Z' ? s[0] + ('a' - 'A') : s[0]);
	for (size_t i = 0; i < ARRAY_LEN(function_words); i++)
		if (function_words[i].n == n && function_words[i].w[0] == c &&
		    strncasecmp(function_words[i].w, s, n) == 0)
			return 1;
	return 0;
}

void
ent_classify_segments(struct xstate *x)
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
		if ((x->tok[i].flags & T_SSTART) || (ent_lex_bits(x, i, 1) & LX_STOP))
			return 0;
	return 1;
}

static size_t
chunk_end(const struct xstate *x, size_t p, size_t skip)
{
	size_t q = p + skip, end = p + skip;
	int head = 0, connected = 0, of = 0, lasthead = 0;

	if (skip > 0 && (ent_lex_bits(x, q - 1, 1) & (LX_ORGHEAD | LX_PLACEHEAD)))
		head = 1;
	if (skip > 0 && (x->tok[q - 1].flags & (T_POSS | T_SPLIT)))
		return end;
	while (q < x->ntok && x->mode[q] == MODE_NORMAL && x->tok[q].seg == x->tok[p].seg) {
		const struct tok *t = &x->tok[q];
		int bits, sense;
		size_t k;

		if (namelike(t)) {
			if (q > p && connected && (k = ent_gaz_match(x, q, 0, &sense)) > 0) {
				/* "Reserve Bank of India": the place is part of it */
				q += k;
				end = q;
				if (x->tok[q - 1].flags & (T_POSS | T_SPLIT))
					break;
				continue;
			}
			bits = ent_lex_bits(x, q, 1);
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
				if ((k = ent_gaz_match(x, q, 0, &sense)) > 0) {
					const struct entity_db *db = x->db;
					const struct ent_canon *e = &db->canon[db->sense[sense].canon];

					if (db->sense[sense].flags & SN_WEAK) {
						/* "Ashima Goyal": not Piyush Goyal */
					} else if (k == 1 && e->kind == ENTITY_PLACE && !head &&
					    q + 1 < x->ntok && namelike(&x->tok[q + 1]) &&
					    !(x->tok[q].flags & T_POSS) &&
					    ent_gaz_match(x, q + 1, 0, &sense) == 0 &&
					    !lex_phrase(x, q + 1, LX_CUE)) {
						/* "Madhabi Puri Buch" */
					} else if (e->kind == ENTITY_ORG && !head &&
					    (ent_lex_bits(x, q + k - 1, 1) & LX_ORGHEAD) &&
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
			bits = ent_lex_bits(x, q, 1);
			if ((bits & LX_PARTICLE) && t->shape == SH_LOWER) {
				q++;
				continue;
			}
			if ((bits & LX_CONNECT) && (head || connected) &&
			    t->shape == SH_LOWER) {
				int is_and = ent_tok_is(x, q, "and");

				/* "X of Y and Z", never "X Gas and Y Solutions" */
				if (is_and && !of)
					break;
				if (!is_and && !ent_tok_is(x, q, "the"))
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
		    (ent_lex_bits(x, q, 1) & LX_PARTICLE) && q + 2 < x->ntok &&
		    (ent_lex_bits(x, q + 1, 1) & LX_PARTICLE) && namelike(&x->tok[q + 2])) {
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
	    ent_tok_is(x, i + 1, "who"))
		return X_REPORT;
	if (i >= x->ntok || !is_wordtok(&x->tok[i]) || x->tok[i].shape != SH_LOWER)
		return 0;
	if (ent_lex_bits(x, i, 1) & LX_REPORT)
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
	if (ent_lex_bits(x, p - 1, 1) & LX_LOCATIVE)
		ctx |= X_LOC;
	if (lex_before(x, p, LX_PLACEOF))
		ctx |= X_PLACEOF;
	if (ent_tok_is(x, p - 1, "the"))
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
	int bits = ent_lex_bits(x, c - 1, 1);

	if (c - p >= 2)
		bits |= ent_lex_bits(x, c - 2, 2);
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
		    (ent_lex_bits(x, i + 1, 1) & LX_CONNECT)) ||
		    (x->tok[i + 1].shape == SH_PUNCT && x->tok[i + 1].c == '&')))
			return ent_lex_bits(x, i, 1) & (LX_ORGHEAD | LX_PLACEHEAD | LX_DROPHEAD);
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
	first = ent_lex_bits(x, p, 1);
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
	else if ((ctx & X_LOC) && !ent_tok_is(x, p - 1, "from"))
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

	k = ent_gaz_match(x, p, 0, &sense);
	cuelen = lex_phrase(x, p, LX_CUE);
	if (k > 0 && k >= cuelen) {
		const struct ent_canon *e = &db->canon[db->sense[sense].canon];
		size_t q = p + k;

		if ((db->sense[sense].flags & SN_WEAK) && q < x->ntok &&
		    namelike(&x->tok[q]) && !(x->tok[q - 1].flags & T_POSS) &&
		    !lex_phrase(x, q, LX_CUE) && ent_gaz_match(x, q, 0, &sense) == 0) {
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
			    !lex_phrase(x, q, LX_CUE) && ent_gaz_match(x, q, 0, &sense) == 0) {
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
				size_t k2 = ent_gaz_match(x, q, 0, &s2);

				if (k2 > 0 && db->canon[db->sense[s2].canon].kind == ENTITY_ORG &&
				    (ent_lex_bits(x, q + k2 - 1, 1) & LX_ORGHEAD) &&
				    !(x->tok[q].flags & T_SSTART)) {
					add_mention(x, (uint32_t)p, (uint32_t)(q + k2), M_NAME,
					    ENTITY_ORG, -1, 0);
					*cue = 0;
					return q + k2;
				}
			}
			/* "Election Commission of Pakistan" */
			if (e->kind == ENTITY_ORG && ent_tok_is(x, q, "of") && q + 1 < x->ntok &&
			    namelike(&x->tok[q + 1]) &&
			    (ent_lex_bits(x, q - 1, 1) & LX_ORGHEAD)) {
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
	bits = ent_lex_bits(x, p, 1);
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

void
ent_scan_normal(struct xstate *x)
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
				cue = cue && (ent_tok_is(x, i, "to") || ent_tok_is(x, i, "of") ||
				    ent_tok_is(x, i, "for")) ? 2 : 0;
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

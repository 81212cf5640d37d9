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
 * Pass one is in entpat.c, the text layer in enttok.c, loading in
 * entdb.c.  Everything is linear in the text, which is bounded
 * (ENT_SCAN_BYTES).
 */
#include <stdlib.h>
#include <string.h>

#include "entint.h"
#include "util.h"

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
		    ent_tok_is(x, a->b, "and") || ent_tok_is(x, a->b, "or");
	if (gap == 2)
		return x->tok[a->b].shape == SH_PUNCT && x->tok[a->b].c == ',' &&
		    (ent_tok_is(x, a->b + 1, "and") || ent_tok_is(x, a->b + 1, "or"));
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
		if ((k = ent_gaz_match(x, i, 0, &sense)) > 0 && shout &&
		    (db->sense[sense].flags & SN_ACRONYM) &&
		    (t->len < 3 || (ent_lex_bits(x, i, 1) & LX_STOP)))
			k = 0;
		if (k == 0 && shout)
			k = ent_gaz_match(x, i, 1, &sense);
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

	ent_classify_segments(&x);
	ent_scan_normal(&x);
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

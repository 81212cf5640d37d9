/*
 * entint.h: what the parts of the entity extractor share (entities.c,
 * entpat.c, entdb.c, enttok.c).  Not a public contract: see entities.h.
 */
#ifndef DATELINE_ENTINT_H
#define DATELINE_ENTINT_H

#include <stddef.h>
#include <stdint.h>

#include "entities.h"
#include "util.h"

/*
 * Bounds.  NOTE: text past ENT_SCAN_BYTES is not read at all: the names
 * that matter in a story are in its first screens, and this keeps a 5 MB
 * body as cheap as a 256 KB one.
 */
#define ENT_SCAN_BYTES   (256 * 1024)   /* of the body */
#define ENT_TITLE_BYTES  2048           /* of the title */
#define ENT_MAX_TOKENS   65536
#define ENT_MAX_MENTIONS 8192
#define ENT_MAX_ENTITIES 1024           /* distinct names per text */
#define ENT_MAX_OUTPUT   256            /* entities returned, most mentioned */
#define ENT_MAX_WORDS    10             /* tokens in one gazetteer name */
#define ENT_MAX_CHUNK    6              /* words in a name found by pattern */
#define ENT_LONG_RUN     8              /* capitalized words: a table, not a name */
#define ENT_KEY_MAX      256            /* bytes of one lookup key */

/* A string -> int map: open addressing, linear probing, power-of-two size. */
struct strmap {
	char **keys;
	uint32_t *hashes;
	int *vals;
	size_t cap, n;
};

uint32_t ent_hash(const char *s, size_t n);
void strmap_init(struct strmap *m, size_t hint);
void strmap_free(struct strmap *m);
/* Returns the value stored for key, or -1. */
int strmap_get(const struct strmap *m, const char *key, size_t n);
/* Returns a pointer to the value slot, inserting -1 for a new key. */
int *strmap_slot(struct strmap *m, const char *key, size_t n);

/* Token shapes. */
enum tok_shape {
	SH_PUNCT,       /* one punctuation character, in c */
	SH_CAP,         /* Capitalized, with a lower-case letter: "Putin" */
	SH_UPPER,       /* two or more capitals, no lower case: "NATO" */
	SH_INITIAL,     /* capitals with periods: "J.", "A.P.J.", "U.S." */
	SH_LOWER,       /* starts lower case: "the", "al-Assad" */
	SH_NUM,         /* starts with a digit */
	SH_OTHER,       /* a script without case we handle, or mixed junk */
};

/* Token flags. */
#define T_POSS     0x01  /* "'s" or "'" was stripped */
#define T_SSTART   0x02  /* first word of a sentence */
#define T_ABBREV   0x04  /* a period followed that does not end the sentence */
#define T_SEGSTART 0x08  /* first token of its segment (title, line) */
#define T_SPLIT    0x10  /* a "-led"/"-based" tail was cut off after it */
#define T_OPENQ    0x20  /* PUNCT '"' that opens a quotation */

struct tok {
	uint32_t off;           /* into the normalized text */
	uint16_t len;
	uint8_t shape;
	uint8_t flags;
	uint32_t seg;           /* segment number: 0 is the title */
	char c;                 /* SH_PUNCT: the character ('~' for others) */
};

/*
 * Appends src[0..n) (UTF-8) to out with curly quotes made straight, dashes
 * made hyphens, odd spaces made spaces and invalid bytes made spaces.
 */
void ent_normalize(const char *src, size_t n, struct buf *out);
/*
 * Splits text[0..n) into tokens; seg is the segment number of the first
 * line and grows by one at each newline.  Returns the number of tokens
 * stored (at most max).
 */
size_t ent_tokenize(const char *text, size_t n, uint32_t seg, struct tok *v, size_t max);

/* Lexicon classes (lexicon.txt), a bit set per word or phrase. */
#define LX_CUE        0x0001  /* title cue before a person's name */
#define LX_ORGHEAD    0x0002  /* last word of an organization's name */
#define LX_PLACEHEAD  0x0004  /* last word of a place's name */
#define LX_DROPHEAD   0x0008  /* last word of a name that is no entity */
#define LX_DROPSTART  0x0010  /* first word of a name that is no entity */
#define LX_DEMONYM    0x0020
#define LX_PARTICLE   0x0040  /* bin, de, van: inside people's names */
#define LX_STOP       0x0080  /* capitalized, never a name on its own */
#define LX_LOCATIVE   0x0100  /* in, at, near: before places */
#define LX_REPORT     0x0200  /* said, told: after people */
#define LX_PLACENEXT  0x0400  /* district, river: after a place's name */
#define LX_ORGNEXT    0x0800  /* alliance, news agency: after an org's name */
#define LX_CONNECT    0x1000  /* of, for, and: inside organizations' names */
#define LX_PLACEOF    0x2000  /* village, city: "the village of X" */
#define LX_MODIFIER   0x4000  /* National, Central: may begin a longer name */

/* Gazetteer senses. */
#define SN_WEAK     0x01     /* surname alias of a person */
#define SN_NOSTART  0x02     /* not matched as a sentence's first word */
#define SN_ACRONYM  0x04     /* no lower-case letter: exact case only */

struct ent_canon {
	char *name;
	enum entity_kind kind;
	int country;            /* canon index of its %country, or -1 */
	int is_country;         /* from countries.txt */
};

struct ent_sense {
	int canon;
	int next;               /* next sense of the same name, or -1 */
	unsigned flags;
};

struct entity_db {
	struct ent_canon *canon;
	size_t ncanon, capcanon;
	struct ent_sense *sense;
	size_t nsense, capsense;
	struct strmap byname;   /* canonical name -> canon */
	struct strmap exact;    /* key as written -> first sense */
	struct strmap folded;   /* lower-cased key -> first sense */
	struct strmap starts;   /* first word (exact) -> most words of a name */
	struct strmap fstarts;  /* first word (folded) -> most words */
	struct strmap lex;      /* lower-cased word or phrase -> LX_ bits */
	struct strmap lexstarts; /* lower-cased first word -> most words */
	int lexwords;           /* most words of a lexicon phrase */
};

/* Lower-cases ASCII letters of s[0..n) into out (n bytes). */
void ent_fold(const char *s, size_t n, char *out);

/*
 * Builds the lookup key of tokens v[0..k): their texts joined by single
 * spaces, folded when fold is set.  Returns its length, or 0 when it does
 * not fit in ENT_KEY_MAX.
 */
size_t ent_key(const char *text, const struct tok *v, size_t k, int fold, char *key);

/* ------------------------------------------------------------------ */
/* One extraction (entities.c, entpat.c) */

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

static inline const char *
ttext(const struct xstate *x, size_t i)
{
	return x->text + x->tok[i].off;
}

static inline int
is_wordtok(const struct tok *t)
{
	return t->shape != SH_PUNCT;
}

static inline int
namelike(const struct tok *t)
{
	return t->shape == SH_CAP || t->shape == SH_UPPER || t->shape == SH_INITIAL;
}

/* Whether token i is the word w, ignoring case. */
int ent_tok_is(const struct xstate *x, size_t i, const char *w);
/* Lexicon bits of the phrase of k tokens at i (0 if any is not a word). */
int ent_lex_bits(const struct xstate *x, size_t i, size_t k);
/*
 * The longest gazetteer name at token i: returns its length in tokens
 * and its sense chain in *sense, or 0.  fold: ignore case.
 */
size_t ent_gaz_match(const struct xstate *x, size_t i, int fold, int *sense);
/* Sets x->mode: normal text, or lines whose capitals prove nothing. */
void ent_classify_segments(struct xstate *x);
/* Pass one: mentions from the gazetteers and the patterns. */
void ent_scan_normal(struct xstate *x);

#endif

/*
 * entdb.c: loading the entity extractor's data: the gazetteers (every
 * *.txt of the entities folder but lexicon.txt) and the lexicon.  The
 * formats are described in data/entities/README and in lexicon.txt.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "entint.h"
#include "util.h"

#define LINE_MAX_BYTES 4096
#define MAX_FILES      256

struct loader {
	struct entity_db *db;
	const char *path;
	int line;
	char *err;
	size_t errlen;
};

static int
fail(struct loader *ld, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ld->err, ld->errlen, "%s:%d: ", ld->path, ld->line);
	if (n < 0 || (size_t)n >= ld->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	*e = '\0';
	return s;
}

/*
 * Tokenizes a name the way text is tokenized, so that a name and its
 * occurrences give the same key.  Returns the number of tokens (0 if the
 * name is empty or too long).
 */
static size_t
name_tokens(const char *name, struct buf *norm, struct tok *v)
{
	size_t n;

	buf_reset(norm);
	ent_normalize(name, strlen(name), norm);
	if (norm->data == NULL)
		return 0;
	n = ent_tokenize(norm->data, norm->len, 0, v, ENT_MAX_WORDS + 1);
	return n > ENT_MAX_WORDS ? 0 : n;
}

static int
canon_get(struct entity_db *db, const char *name, enum entity_kind kind, int country,
    int is_country)
{
	int *slot = strmap_slot(&db->byname, name, strlen(name));
	struct ent_canon *c;

	if (*slot >= 0) {
		c = &db->canon[*slot];
		if (c->country < 0)
			c->country = country;
		return *slot;
	}
	if (db->ncanon == db->capcanon) {
		db->capcanon = db->capcanon ? db->capcanon * 2 : 256;
		db->canon = xreallocarray(db->canon, db->capcanon, sizeof(*db->canon));
	}
	c = &db->canon[db->ncanon];
	c->name = xstrdup(name);
	c->kind = kind;
	c->country = country;
	c->is_country = is_country;
	*slot = (int)db->ncanon;
	return (int)db->ncanon++;
}

/* Adds sense (canon, flags) to the chain of key in map m. */
static void
add_sense(struct entity_db *db, struct strmap *m, const char *key, size_t klen,
    int canon, unsigned flags)
{
	int *slot = strmap_slot(m, key, klen);

	for (int s = *slot; s >= 0; s = db->sense[s].next)
		if (db->sense[s].canon == canon)
			return;
	if (db->nsense == db->capsense) {
		db->capsense = db->capsense ? db->capsense * 2 : 512;
		db->sense = xreallocarray(db->sense, db->capsense, sizeof(*db->sense));
	}
	db->sense[db->nsense].canon = canon;
	db->sense[db->nsense].flags = flags;
	db->sense[db->nsense].next = -1;
	/* append: the first loaded sense stays first */
	if (*slot < 0)
		*slot = (int)db->nsense;
	else {
		int s = *slot;

		while (db->sense[s].next >= 0)
			s = db->sense[s].next;
		db->sense[s].next = (int)db->nsense;
	}
	db->nsense++;
}

static void
note_start(struct strmap *m, const char *word, size_t n, size_t words)
{
	int *slot = strmap_slot(m, word, n);

	if (*slot < (int)words)
		*slot = (int)words;
}

static int
has_lower(const char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			return 1;
		else if ((unsigned char)*s >= 0xC3 && (unsigned char)*s <= 0xC5)
			return 1;       /* a Latin letter beyond ASCII: treat as a name */
	return 0;
}

static int
add_name(struct loader *ld, char *name, int canon, int weak_ok, struct buf *norm)
{
	struct entity_db *db = ld->db;
	struct tok v[ENT_MAX_WORDS + 1];
	char key[ENT_KEY_MAX];
	unsigned flags = 0;
	size_t nt, klen;

	if (*name == '!') {
		flags |= SN_NOSTART;
		name = trim(name + 1);
	}
	if (*name == '\0')
		return fail(ld, "empty name");
	if ((nt = name_tokens(name, norm, v)) == 0)
		return fail(ld, "name too long or empty: \"%s\"", name);
	if (v[0].shape == SH_PUNCT)
		return fail(ld, "a name must start with a word: \"%s\"", name);
	if (weak_ok && nt == 1 && db->canon[canon].kind == ENTITY_PERSON &&
	    strcmp(db->canon[canon].name, name) != 0)
		flags |= SN_WEAK;
	if (!has_lower(name))
		flags |= SN_ACRONYM;
	if ((klen = ent_key(norm->data, v, nt, 0, key)) == 0)
		return fail(ld, "name too long: \"%s\"", name);
	add_sense(db, &db->exact, key, klen, canon, flags);
	note_start(&db->starts, norm->data + v[0].off, v[0].len, nt);
	if (!(flags & SN_ACRONYM)) {
		klen = ent_key(norm->data, v, nt, 1, key);
		add_sense(db, &db->folded, key, klen, canon, flags);
		ent_fold(norm->data + v[0].off, v[0].len, key);
		note_start(&db->fstarts, key, v[0].len, nt);
	}
	return 0;
}

static int
parse_kind(const char *s, enum entity_kind *k)
{
	if (strcmp(s, "person") == 0)
		*k = ENTITY_PERSON;
	else if (strcmp(s, "org") == 0)
		*k = ENTITY_ORG;
	else if (strcmp(s, "place") == 0)
		*k = ENTITY_PLACE;
	else
		return -1;
	return 0;
}

static int
load_gazetteer(struct loader *ld, FILE *f, int is_countries)
{
	struct entity_db *db = ld->db;
	char line[LINE_MAX_BYTES];
	enum entity_kind kind = ENTITY_PLACE;
	int have_kind = 0, country = -1, rc = 0;
	struct buf norm;

	buf_init(&norm);
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		char *s, *field, *save = NULL;
		int canon = -1;

		ld->line++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			rc = fail(ld, "line too long");
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (strncmp(s, "%kind", 5) == 0) {
			if (parse_kind(trim(s + 5), &kind) < 0)
				rc = fail(ld, "unknown kind \"%s\"", trim(s + 5));
			have_kind = 1;
			continue;
		}
		if (strncmp(s, "%country", 8) == 0) {
			char *name = trim(s + 8);

			country = *name ? canon_get(db, name, ENTITY_PLACE, -1, 0) : -1;
			continue;
		}
		if (*s == '%') {
			rc = fail(ld, "unknown directive \"%s\"", s);
			continue;
		}
		if (!have_kind) {
			rc = fail(ld, "a %%kind line must come first");
			continue;
		}
		for (field = strtok_r(s, "|", &save); field != NULL && rc == 0;
		    field = strtok_r(NULL, "|", &save)) {
			char *name = trim(field);

			if (canon < 0) {
				const char *cname = *name == '!' ? trim(name + 1) : name;

				if (*cname == '\0') {
					rc = fail(ld, "empty canonical name");
					break;
				}
				canon = canon_get(db, cname, kind, country, is_countries);
				if (is_countries)
					db->canon[canon].is_country = 1;
			}
			rc = add_name(ld, name, canon, kind == ENTITY_PERSON, &norm);
		}
	}
	buf_free(&norm);
	return rc;
}

static const struct {
	const char *name;
	int bit;
} lex_sections[] = {
	{ "cue", LX_CUE },
	{ "orghead", LX_ORGHEAD },
	{ "placehead", LX_PLACEHEAD },
	{ "drophead", LX_DROPHEAD },
	{ "dropstart", LX_DROPSTART },
	{ "demonym", LX_DEMONYM },
	{ "particle", LX_PARTICLE },
	{ "stop", LX_STOP },
	{ "locative", LX_LOCATIVE },
	{ "report", LX_REPORT },
	{ "placenext", LX_PLACENEXT },
	{ "orgnext", LX_ORGNEXT },
	{ "connect", LX_CONNECT },
	{ "placeof", LX_PLACEOF },
	{ "modifier", LX_MODIFIER },
};

static int
load_lexicon(struct loader *ld, FILE *f)
{
	struct entity_db *db = ld->db;
	char line[LINE_MAX_BYTES], key[ENT_KEY_MAX];
	struct tok v[ENT_MAX_WORDS + 1];
	struct buf norm;
	int bit = 0, rc = 0;

	buf_init(&norm);
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		char *s, *field, *save = NULL;

		ld->line++;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '%') {
			bit = 0;
			for (size_t i = 0; i < ARRAY_LEN(lex_sections); i++)
				if (strcmp(s + 1, lex_sections[i].name) == 0)
					bit = lex_sections[i].bit;
			if (bit == 0)
				rc = fail(ld, "unknown section \"%s\"", s);
			continue;
		}
		if (bit == 0) {
			rc = fail(ld, "a %%section line must come first");
			continue;
		}
		/* several words or phrases per line, separated by '|' */
		for (field = strtok_r(s, "|", &save); field != NULL;
		    field = strtok_r(NULL, "|", &save)) {
			char *w = trim(field);
			size_t nt, klen;
			int *slot;

			if (*w == '\0')
				continue;
			if ((nt = name_tokens(w, &norm, v)) == 0 ||
			    (klen = ent_key(norm.data, v, nt, 1, key)) == 0) {
				rc = fail(ld, "bad entry \"%s\"", w);
				break;
			}
			slot = strmap_slot(&db->lex, key, klen);
			*slot = (*slot < 0 ? 0 : *slot) | bit;
			ent_fold(norm.data + v[0].off, v[0].len, key);
			note_start(&db->lexstarts, key, v[0].len, nt);
			if ((int)nt > db->lexwords)
				db->lexwords = (int)nt;
		}
	}
	buf_free(&norm);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_file(struct loader *ld, const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	int rc;

	ld->path = path;
	ld->line = 0;
	if (f == NULL) {
		snprintf(ld->err, ld->errlen, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (strcmp(name, "lexicon.txt") == 0)
		rc = load_lexicon(ld, f);
	else
		rc = load_gazetteer(ld, f, strcmp(name, "countries.txt") == 0);
	fclose(f);
	free(path);
	return rc;
}

struct entity_db *
entity_db_load(const char *dir, char *err, size_t errlen)
{
	struct entity_db *db = xcalloc(1, sizeof(*db));
	struct loader ld = { db, NULL, 0, err, errlen };
	char *sub = xasprintf("%s/entities", dir);
	const char *where = dir;
	struct stat sb;
	char *names[MAX_FILES];
	size_t nnames = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0, have_lex = 0;

	/* NOTE: dir is the data folder (data/, with entities/ in it) or the
	 * entities folder itself. */
	if (stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
		where = sub;
	if ((d = opendir(where)) == NULL) {
		snprintf(err, errlen, "%s: %s", where, strerror(errno));
		free(sub);
		free(db);
		return NULL;
	}
	while ((de = readdir(d)) != NULL && nnames < MAX_FILES) {
		size_t n = strlen(de->d_name);

		if (n > 4 && strcmp(de->d_name + n - 4, ".txt") == 0 && de->d_name[0] != '.')
			names[nnames++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, nnames, sizeof(*names), cmp_str);
	strmap_init(&db->byname, 2048);
	strmap_init(&db->exact, 4096);
	strmap_init(&db->folded, 4096);
	strmap_init(&db->starts, 2048);
	strmap_init(&db->fstarts, 2048);
	strmap_init(&db->lex, 1024);
	strmap_init(&db->lexstarts, 1024);
	/* the lexicon first: nothing in it depends on the gazetteers */
	for (size_t i = 0; i < nnames && rc == 0; i++)
		if (strcmp(names[i], "lexicon.txt") == 0) {
			rc = load_file(&ld, where, names[i]);
			have_lex = 1;
		}
	for (size_t i = 0; i < nnames && rc == 0; i++)
		if (strcmp(names[i], "lexicon.txt") != 0)
			rc = load_file(&ld, where, names[i]);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	if (rc == 0 && !have_lex) {
		snprintf(err, errlen, "%s: no lexicon.txt", where);
		rc = -1;
	}
	free(sub);
	if (rc < 0) {
		entity_db_free(db);
		return NULL;
	}
	return db;
}

void
entity_db_free(struct entity_db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->ncanon; i++)
		free(db->canon[i].name);
	free(db->canon);
	free(db->sense);
	strmap_free(&db->byname);
	strmap_free(&db->exact);
	strmap_free(&db->folded);
	strmap_free(&db->starts);
	strmap_free(&db->fstarts);
	strmap_free(&db->lex);
	strmap_free(&db->lexstarts);
	free(db);
}

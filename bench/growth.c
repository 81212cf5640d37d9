/*
 * growth.c: how ingest and the near-variant lookup behave as the store
 * grows, next to the raw SQLite ceiling.
 *
 *   growth [--data DIR] [--sizes N,N,...] [--window N] [--windows N]
 *          [--lookups N] DIR
 *
 * In DIR it creates a dateline store (store_open: the real schema, FTS
 * and all) and grows it to each size in turn with a generated store: one
 * transaction per 50,000 rows of prepared INSERTs of what the daemon
 * would have written for those articles (articles with bodies, the
 * search index, stories with MinHash signatures and their LSH keys,
 * entities of stories and of articles), 20 % of the articles being copies
 * of an earlier story.  Generated signatures are random, except for
 * every 500th story, a probe whose text is fingerprinted for real so
 * that a near-variant of it can be looked up later.
 *
 * At each size it measures, through the daemon's own code:
 *   ingest: --windows windows of --window new articles (generated texts,
 *     20 % copies of stored stories), each article fingerprinted
 *     (syndicate_fingerprint), its entities extracted when its story is
 *     new, and stored with store_article_upsert, 50 per transaction as a
 *     feed poll is; articles per CPU-second and per second;
 *   lookup: --lookups near-variant lookups (a probe story's text with one
 *     word changed, fingerprinted, then the LSH candidate query of
 *     store.c and the similarity of every candidate); the median time of
 *     one and how many found their probe;
 *   raw: the SQLite ceiling: a plain table with the columns of articles
 *     (no index, no search index), grown to the same size, then --window
 *     rows inserted with one prepared statement in one transaction.
 *
 * Prints one JSON line per size.
 */
#include <inttypes.h>
#include <sqlite3.h>

#include <libxml/parser.h>

#include "config.h"
#include "dates.h"
#include "entities.h"
#include "harness.h"
#include "log.h"
#include "store.h"
#include "syndicate.h"

#define NFEEDS 1000
#define FILL_TX 50000
#define PROBE_EVERY 500
#define NENTITIES 5000
/* store_open's page cache (store.c), and memory-mapped reads as an alternative. */
#define CACHE_PRAGMA "PRAGMA cache_size = -8192"
#define MMAP_PRAGMA "PRAGMA mmap_size = 1073741824"

/*
 * The candidate query of store.c (S_LSH_CANDIDATES), rebuilt here for
 * SYN_BANDS keys: keep the two the same.
 */
static char *
lsh_sql(void)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "SELECT DISTINCT s.id, s.minhash, s.family_id, s.shingles FROM story_lsh l"
	    " JOIN stories s ON s.id = l.story_id WHERE l.key IN (");
	for (int i = 1; i <= SYN_BANDS; i++)
		buf_printf(&b, "%s?%d", i > 1 ? ", " : "", i);
	buf_printf(&b, ") AND s.id <> ?%d LIMIT 200", SYN_BANDS + 1);
	return buf_steal(&b);
}

/* --- deterministic text ------------------------------------------------- */

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static const char *const SYL[] = {
	"ba", "ke", "ri", "mo", "tu", "la", "ne", "si", "po", "da", "ga", "hi",
	"ju", "ka", "me", "no", "pa", "ra", "sa", "ta", "vi", "ya", "zo", "che",
	"sha", "tra", "pre", "con", "der", "men", "tion", "ing", "ent", "ver",
	"al", "or", "an", "el", "is", "ut",
};
static const char *const NAMES[] = {
	"Narendra Modi", "Rahul Gandhi", "Amit Shah", "Nirmala Sitharaman",
	"Mamata Banerjee", "Virat Kohli", "Jens Stoltenberg", "Antony Blinken",
	"Vladimir Putin", "Kim Jong Un", "New Delhi", "Mumbai", "Kolkata",
	"Washington", "Pyongyang", "Ukraine", "Russia", "China", "Iran",
	"Supreme Court", "Reserve Bank of India", "NATO", "United Nations",
	"World Bank", "Election Commission", "Indian Railways", "ISRO",
};

/* Word k of the vocabulary (8,000 words of 2-4 syllables). */
static void
word(struct buf *b, uint64_t k)
{
	uint64_t h = mix(k % 8000 + 77);
	int n = 2 + (int)(h % 3);

	for (int i = 0; i < n; i++) {
		h = mix(h);
		buf_puts(b, SYL[h % ARRAY_LEN(SYL)]);
	}
}

/*
 * The text of story seed: 6 paragraphs of 4 sentences of 6-12 words, with
 * names; change_at >= 0 replaces that word with another (a near-variant).
 */
static void
story_text(struct buf *b, uint64_t seed, long change_at)
{
	uint64_t h = mix(seed * 2654435761ULL + 1);
	long w = 0;

	for (int p = 0; p < 6; p++) {
		if (p)
			buf_puts(b, "\n\n");
		for (int s = 0; s < 4; s++) {
			int n = 6 + (int)((h = mix(h)) % 7);

			if (s)
				buf_putc(b, ' ');
			for (int i = 0; i < n; i++, w++) {
				size_t at = b->len;

				if (i)
					buf_putc(b, ' ');
				h = mix(h);
				if (h % 11 == 0)
					buf_puts(b, NAMES[(h >> 8) % ARRAY_LEN(NAMES)]);
				else
					word(b, w == change_at ? (h >> 16) + 1 : h >> 16);
				if (i == 0 && b->data[at] >= 'a' && b->data[at] <= 'z')
					b->data[at] -= 32;
			}
			buf_putc(b, '.');
		}
	}
}

static void
title_text(struct buf *b, uint64_t seed)
{
	uint64_t h = mix(seed + 99);

	for (int i = 0; i < 8; i++) {
		if (i)
			buf_putc(b, ' ');
		h = mix(h);
		word(b, h);
	}
	b->data[0] -= 32;
}

/* --- the generated store ------------------------------------------------ */

struct gen {
	sqlite3 *db;
	sqlite3_stmt *art, *fts, *story, *lsh, *sent, *aent, *raw;
	int64_t narticles;     /* rows in articles (also the last id) */
	int64_t nstories;
	uint64_t *story_seed;  /* story id -> seed of its text */
	size_t seed_cap;
	int64_t *probes;       /* story ids with real signatures */
	size_t nprobes, probe_cap;
	int64_t base_time;
};

static void
check(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench: %s: %s\n", what, sqlite3_errmsg(db));
		exit(2);
	}
}

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;

	check(sqlite3_prepare_v2(db, sql, -1, &s, NULL), db, sql);
	return s;
}

static void
run(sqlite3_stmt *s, sqlite3 *db, const char *what)
{
	check(sqlite3_step(s), db, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static void
exec(sqlite3 *db, const char *sql)
{
	check(sqlite3_exec(db, sql, NULL, NULL, NULL), db, sql);
}

static void
story_seed_set(struct gen *g, int64_t id, uint64_t seed)
{
	if ((size_t)id >= g->seed_cap) {
		g->seed_cap = (size_t)id * 2 + 1024;
		g->story_seed = xreallocarray(g->story_seed, g->seed_cap, sizeof(uint64_t));
	}
	g->story_seed[id] = seed;
}

static void
gen_open(struct gen *g, const char *path)
{
	check(sqlite3_open(path, &g->db), g->db, path);
	exec(g->db, "PRAGMA journal_mode = WAL");
	exec(g->db, "PRAGMA synchronous = NORMAL");
	/* The generator only: a large page cache makes the fill fast. */
	exec(g->db, "PRAGMA cache_size = -262144");
	g->art = prep(g->db, "INSERT INTO articles (id, feed_id, story_id, guid, url, title,"
	    " byline, agency, summary, body, feed_text, categories, content_hash,"
	    " auto_published, published_at, first_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?14)");
	g->fts = prep(g->db, "INSERT INTO articles_fts (rowid, title, body) VALUES (?1, ?2, ?3)");
	g->story = prep(g->db, "INSERT INTO stories (id, content_hash, title, agency,"
	    " first_seen_at, first_article_id, family_id, teaser, minhash, shingles)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?1, 0, ?7, ?8)");
	g->lsh = prep(g->db, "INSERT OR IGNORE INTO story_lsh (key, story_id) VALUES (?1, ?2)");
	g->sent = prep(g->db, "INSERT OR IGNORE INTO story_entities (story_id, entity_id, mentions)"
	    " VALUES (?1, ?2, ?3)");
	g->aent = prep(g->db, "INSERT OR IGNORE INTO article_entities (article_id, entity_id,"
	    " mentions) SELECT ?1, entity_id, mentions FROM story_entities WHERE story_id = ?2");
}

static void
gen_close(struct gen *g)
{
	sqlite3_finalize(g->art);
	sqlite3_finalize(g->fts);
	sqlite3_finalize(g->story);
	sqlite3_finalize(g->lsh);
	sqlite3_finalize(g->sent);
	sqlite3_finalize(g->aent);
	exec(g->db, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(g->db);
	g->db = NULL;
}

static void
hex64(char out[CONTENT_HASH_LEN], uint64_t a)
{
	uint64_t w[4] = { mix(a), mix(a ^ 1), mix(a ^ 2), mix(a ^ 3) };

	for (int i = 0; i < 4; i++)
		snprintf(out + 16 * i, 17, "%016" PRIx64, w[i]);
}

/* One generated story; real = fingerprint its text for real (a probe). */
static int64_t
gen_story(struct gen *g, uint64_t seed, const char *title, const char *when, int real)
{
	struct syn_fingerprint fp;
	unsigned char blob[4 * SYN_MINHASH];
	int64_t id = ++g->nstories;
	char hash[CONTENT_HASH_LEN];

	if (real) {
		struct buf b;

		buf_init(&b);
		story_text(&b, seed, -1);
		if (syndicate_fingerprint(b.data, 0, &fp) < 0 || !fp.has_minhash)
			hdie("probe text has no signature", NULL);
		buf_free(&b);
		memcpy(hash, fp.hash, CONTENT_HASH_LEN);
		if (g->nprobes == g->probe_cap) {
			g->probe_cap = g->probe_cap ? g->probe_cap * 2 : 256;
			g->probes = xreallocarray(g->probes, g->probe_cap, sizeof(*g->probes));
		}
		g->probes[g->nprobes++] = id;
	} else {
		uint64_t h = mix(seed ^ 0xabcdef);

		hex64(hash, seed * 7 + 3);
		fp.has_minhash = 1;
		fp.shingles = 120 + h % 100;
		for (int i = 0; i < SYN_MINHASH; i++)
			fp.minhash[i] = (uint32_t)(h = mix(h));
		for (int i = 0; i < SYN_BANDS; i++)
			fp.bands[i] = (int64_t)((h = mix(h)) >> 1);
	}
	for (int i = 0; i < SYN_MINHASH; i++) {
		blob[4 * i] = (unsigned char)fp.minhash[i];
		blob[4 * i + 1] = (unsigned char)(fp.minhash[i] >> 8);
		blob[4 * i + 2] = (unsigned char)(fp.minhash[i] >> 16);
		blob[4 * i + 3] = (unsigned char)(fp.minhash[i] >> 24);
	}
	sqlite3_bind_int64(g->story, 1, id);
	sqlite3_bind_text(g->story, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(g->story, 3, title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(g->story, 4, "IANS", -1, SQLITE_STATIC);
	sqlite3_bind_text(g->story, 5, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(g->story, 6, g->narticles + 1);
	sqlite3_bind_blob(g->story, 7, blob, sizeof(blob), SQLITE_TRANSIENT);
	sqlite3_bind_int64(g->story, 8, (int64_t)fp.shingles);
	run(g->story, g->db, "story insert");
	for (int i = 0; i < SYN_BANDS; i++) {
		sqlite3_bind_int64(g->lsh, 1, fp.bands[i]);
		sqlite3_bind_int64(g->lsh, 2, id);
		run(g->lsh, g->db, "lsh insert");
	}
	for (int i = 0; i < 6; i++) {
		sqlite3_bind_int64(g->sent, 1, id);
		sqlite3_bind_int64(g->sent, 2, 1 + (int64_t)(mix(seed + (uint64_t)i) % NENTITIES));
		sqlite3_bind_int(g->sent, 3, 1 + i % 3);
		run(g->sent, g->db, "story entity insert");
	}
	story_seed_set(g, id, seed);
	return id;
}

/* Grows the generated store to n articles. */
static void
gen_fill(struct gen *g, int64_t n)
{
	struct buf body, title;
	char when[DATE_RFC3339_LEN], url[160], guid[64], hash[CONTENT_HASH_LEN];

	buf_init(&body);
	buf_init(&title);
	exec(g->db, "BEGIN");
	while (g->narticles < n) {
		int64_t id = g->narticles + 1, story;
		uint64_t r = mix((uint64_t)id * 31 + 5);
		uint64_t seed;
		int copy = g->nstories > 100 && r % 5 == 0;

		date_format(g->base_time + id * 2, when);
		buf_reset(&title);
		if (copy) {
			story = 1 + (int64_t)(mix(r) % (uint64_t)g->nstories);
			seed = g->story_seed[story];
		} else {
			seed = r;
		}
		title_text(&title, r);
		if (!copy)
			story = gen_story(g, seed, title.data, when, (g->nstories + 1) % PROBE_EVERY == 0);
		buf_reset(&body);
		story_text(&body, seed, -1);
		hex64(hash, seed * 7 + 3);
		snprintf(url, sizeof(url), "https://outlet%" PRId64 ".example/news/%s-%" PRId64 ".html",
		    id % NFEEDS, "story", id);
		snprintf(guid, sizeof(guid), "g-%" PRId64, id);
		sqlite3_bind_int64(g->art, 1, id);
		sqlite3_bind_int64(g->art, 2, 1 + id % NFEEDS);
		sqlite3_bind_int64(g->art, 3, story);
		sqlite3_bind_text(g->art, 4, guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(g->art, 5, url, -1, SQLITE_STATIC);
		sqlite3_bind_text(g->art, 6, title.data, (int)title.len, SQLITE_STATIC);
		sqlite3_bind_text(g->art, 7, "IANS", -1, SQLITE_STATIC);
		sqlite3_bind_text(g->art, 8, "IANS", -1, SQLITE_STATIC);
		sqlite3_bind_text(g->art, 9, body.data, body.len < 300 ? (int)body.len : 300,
		    SQLITE_STATIC);
		sqlite3_bind_text(g->art, 10, body.data, (int)body.len, SQLITE_STATIC);
		sqlite3_bind_text(g->art, 11, "[\"India\",\"Politics\"]", -1, SQLITE_STATIC);
		sqlite3_bind_text(g->art, 12, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int(g->art, 13, 1);
		sqlite3_bind_text(g->art, 14, when, -1, SQLITE_STATIC);
		run(g->art, g->db, "article insert");
		sqlite3_bind_int64(g->fts, 1, id);
		sqlite3_bind_text(g->fts, 2, title.data, (int)title.len, SQLITE_STATIC);
		sqlite3_bind_text(g->fts, 3, body.data, (int)body.len, SQLITE_STATIC);
		run(g->fts, g->db, "fts insert");
		sqlite3_bind_int64(g->aent, 1, id);
		sqlite3_bind_int64(g->aent, 2, story);
		run(g->aent, g->db, "article entities");
		g->narticles = id;
		if (id % FILL_TX == 0) {
			exec(g->db, "COMMIT");
			exec(g->db, "BEGIN");
		}
	}
	exec(g->db, "COMMIT");
	buf_free(&body);
	buf_free(&title);
}

/* --- measurements ------------------------------------------------------- */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Ingests n new articles through the daemon's code; returns CPU and wall seconds. */
static void
measure_ingest(struct gen *g, struct store *st, const struct entity_db *edb,
    int64_t *feed_ids, long n, double *cpu, double *wall, long *new_stories)
{
	struct buf body, title;
	struct hclock c;
	char url[160], guid[64];
	int64_t now = g->base_time + (g->narticles + 1) * 2;
	/*
	 * Copies are of stories this window created (their hashes are real),
	 * among the last 400, so that a copy is never in its original's feed
	 * (articles go to feeds round robin).
	 */
	uint64_t ring[400];
	size_t nring = 0;

	buf_init(&body);
	buf_init(&title);
	*new_stories = 0;
	hclock_start(&c);
	for (long i = 0; i < n; i++) {
		int64_t id = g->narticles + 1;
		uint64_t r = mix((uint64_t)id * 31 + 5);
		int copy = r % 5 == 0 && nring > 0;
		uint64_t seed = copy ? ring[mix(r) % (nring < 400 ? nring : 400)] : r;
		struct article a = { 0 };
		struct syn_fingerprint fp;
		struct entity_list ents = { 0 };
		enum store_outcome out;

		if (i % 50 == 0 && store_begin(st) < 0)
			hdie("store_begin", store_errmsg(st));
		buf_reset(&body);
		buf_reset(&title);
		story_text(&body, seed, -1);
		title_text(&title, r);
		snprintf(url, sizeof(url), "https://outlet%" PRId64 ".example/news/%s-%" PRId64 ".html",
		    id % NFEEDS, "story", id);
		snprintf(guid, sizeof(guid), "g-%" PRId64, id);
		a.guid = guid;
		a.url = url;
		a.title = title.data;
		a.byline = "IANS";
		a.agency = "IANS";
		a.summary = NULL;
		a.feed_text = body.data;
		a.now = now;
		a.published_at = now;
		a.updated_at = DATE_UNSET;
		if (syndicate_fingerprint(body.data, 0, &fp) == 0)
			a.fp = &fp;
		if (a.fp && !fp.teaser && store_story_known(st, fp.hash) == 0) {
			entities_extract(edb, a.title, body.data, &ents);
			a.entities = &ents;
			(*new_stories)++;
		}
		if (store_article_upsert(st, feed_ids[id % NFEEDS], &a, now, &out, NULL) < 0)
			hdie("store_article_upsert", store_errmsg(st));
		entity_list_free(&ents);
		g->narticles = id;
		if (!copy && out == STORE_NEW) {
			/* Its story is the newest: remember its seed for copies. */
			story_seed_set(g, ++g->nstories, seed);
			ring[nring++ % 400] = seed;
		}
		if (i % 50 == 49 || i == n - 1) {
			if (store_commit(st) < 0)
				hdie("store_commit", store_errmsg(st));
		}
	}
	hclock_read(&c, wall, cpu);
	buf_free(&body);
	buf_free(&title);
}

/* Median seconds of one near-variant lookup; *found: probes recognised. */
static double
measure_lookups(struct gen *g, const char *path, const char *pragmas, int n, int *found,
    double *p90, double *candidates)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	double *t = hmalloc((size_t)n * sizeof(double)), med;
	char *sql = lsh_sql();
	struct buf b;

	check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), db, path);
	if (pragmas)
		exec(db, pragmas);
	s = prep(db, sql);
	free(sql);
	buf_init(&b);
	*found = 0;
	*candidates = 0;
	/*
	 * The first n lookups (of other stories) are not timed: the daemon's
	 * connection lives for months, and its page cache holds the inner
	 * pages of the LSH index, as a fresh connection's does not.
	 */
	for (int i = -n; i < n; i++) {
		int64_t probe = g->probes[mix((uint64_t)(i + n) + (i < 0 ? 7919 : 17)) % g->nprobes];
		struct syn_fingerprint fp;
		double t0, best = 0;
		int64_t best_id = 0;

		buf_reset(&b);
		story_text(&b, g->story_seed[probe], 20 + i % 40);
		if (syndicate_fingerprint(b.data, 0, &fp) < 0 || !fp.has_minhash)
			hdie("variant has no signature", NULL);
		t0 = hnow_wall();
		for (int k = 0; k < SYN_BANDS; k++)
			sqlite3_bind_int64(s, k + 1, fp.bands[k]);
		sqlite3_bind_int64(s, SYN_BANDS + 1, -1);
		while (sqlite3_step(s) == SQLITE_ROW) {
			const unsigned char *blob = sqlite3_column_blob(s, 1);
			uint32_t other[SYN_MINHASH];
			double sim;

			if (i >= 0)
				*candidates += 1.0 / n;
			if (blob == NULL || sqlite3_column_bytes(s, 1) != (int)sizeof(other))
				continue;
			for (int k = 0; k < SYN_MINHASH; k++)
				other[k] = (uint32_t)blob[4 * k] | (uint32_t)blob[4 * k + 1] << 8 |
				    (uint32_t)blob[4 * k + 2] << 16 | (uint32_t)blob[4 * k + 3] << 24;
			sim = syndicate_similarity(fp.minhash, other);
			if (syndicate_same_family(sim, fp.shingles,
			    (size_t)sqlite3_column_int64(s, 3)) && sim > best) {
				best = sim;
				best_id = sqlite3_column_int64(s, 0);
			}
		}
		sqlite3_reset(s);
		if (i < 0)
			continue;
		t[i] = hnow_wall() - t0;
		*found += best_id == probe;
	}
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	med = t[n / 2];
	*p90 = t[(n * 9) / 10];
	free(t);
	buf_free(&b);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return med;
}

/* The raw ceiling: a plain table of the same row shape. */
static const char RAW_TABLE[] =
    "CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, feed_id INTEGER,"
    " story_id INTEGER, guid TEXT, url TEXT, title TEXT, byline TEXT, agency TEXT,"
    " dateline TEXT, summary TEXT, body TEXT, feed_text TEXT, content_html TEXT,"
    " categories TEXT, enclosures TEXT, content_hash TEXT, auto_published INTEGER,"
    " published_at TEXT, updated_at TEXT, first_seen_at TEXT, changed_at TEXT,"
    " page_state TEXT, page_attempts INTEGER, page_error TEXT, page_next_try_at TEXT,"
    " page_fetched_at TEXT, page_url TEXT)";

static double
raw_insert(sqlite3 *db, sqlite3_stmt *s, int64_t *next, int64_t upto, int timed, double *wall)
{
	struct buf body, title;
	struct hclock c;
	char when[DATE_RFC3339_LEN], url[160], guid[64], hash[CONTENT_HASH_LEN];
	double cpu = 0;

	buf_init(&body);
	buf_init(&title);
	/*
	 * NOTE: the texts are made inside the timed loop, as measure_ingest
	 * makes ours: the same generation cost is on both sides of the ratio.
	 */
	if (timed) {
		hclock_start(&c);
		*wall = 0;
	}
	exec(db, "BEGIN");
	for (; *next <= upto; (*next)++) {
		int64_t id = *next;
		uint64_t r = mix((uint64_t)id * 31 + 5);

		buf_reset(&body);
		buf_reset(&title);
		story_text(&body, r, -1);
		title_text(&title, r);
		date_format(1700000000 + id * 2, when);
		hex64(hash, r);
		snprintf(url, sizeof(url), "https://outlet%" PRId64 ".example/news/%s-%" PRId64 ".html",
		    id % NFEEDS, "story", id);
		snprintf(guid, sizeof(guid), "g-%" PRId64, id);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, 1 + id % NFEEDS);
		sqlite3_bind_int64(s, 3, id);
		sqlite3_bind_text(s, 4, guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, url, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, title.data, (int)title.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, "IANS", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 8, "IANS", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 9, body.data, body.len < 300 ? (int)body.len : 300,
		    SQLITE_STATIC);
		sqlite3_bind_text(s, 10, body.data, (int)body.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 11, "[\"India\",\"Politics\"]", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 12, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 13, 1);
		sqlite3_bind_text(s, 14, when, -1, SQLITE_STATIC);
		check(sqlite3_step(s), db, "raw insert");
		sqlite3_reset(s);
	}
	exec(db, "COMMIT");
	if (timed)
		hclock_read(&c, wall, &cpu);
	buf_free(&body);
	buf_free(&title);
	return cpu;
}

int
main(int argc, char **argv)
{
	const char *data = "data", *dir;
	long sizes[16] = { 10000, 100000, 1000000 }, window = 2000;
	int nsizes = 3, windows = 3, lookups = 300;
	struct entity_db *edb;
	struct gen g = { 0 };
	char path[1024], rawpath[1024], err[512];
	int64_t feed_ids[NFEEDS], raw_next = 1;
	sqlite3 *raw;
	sqlite3_stmt *rs;
	int a = 1;

	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "--data") == 0 && a + 1 < argc)
			data = argv[++a];
		else if (strcmp(argv[a], "--window") == 0 && a + 1 < argc)
			window = atol(argv[++a]);
		else if (strcmp(argv[a], "--windows") == 0 && a + 1 < argc)
			windows = atoi(argv[++a]);
		else if (strcmp(argv[a], "--lookups") == 0 && a + 1 < argc)
			lookups = atoi(argv[++a]);
		else if (strcmp(argv[a], "--sizes") == 0 && a + 1 < argc) {
			char *p = argv[++a];

			for (nsizes = 0; nsizes < 16 && *p; nsizes++) {
				sizes[nsizes] = strtol(p, &p, 10);
				if (*p == ',')
					p++;
			}
		} else
			hdie("unknown option", argv[a]);
	}
	if (a != argc - 1 || window < 50 || windows < 1 || lookups < 1)
		hdie("usage: growth [--data DIR] [--sizes N,...] [--window N] [--windows N] "
		    "[--lookups N] DIR", NULL);
	dir = argv[a];
	snprintf(path, sizeof(path), "%s/growth.db", dir);
	snprintf(rawpath, sizeof(rawpath), "%s/raw.db", dir);
	log_init("growth", LOG_LEVEL_WARNING);
	if ((edb = entity_db_load(data, err, sizeof(err))) == NULL)
		hdie(err, NULL);
	g.base_time = 1700000000;

	/* The schema, the feeds and the entities, through the store. */
	{
		struct store *st = store_open(path, STORE_READWRITE, err, sizeof(err));

		if (st == NULL)
			hdie(err, NULL);
		for (int i = 0; i < NFEEDS; i++) {
			struct feed_conf conf = { 0 };
			struct feed_state fs = { 0 };
			char name[16], url[64];

			snprintf(name, sizeof(name), "outlet%d", i);
			snprintf(url, sizeof(url), "https://outlet%d.example/rss.xml", i);
			conf.name = name;
			conf.url = url;
			conf.kind = FEED_KIND_AGENCY;
			conf.agency = "IANS";
			conf.enabled = true;
			if (store_feed_register(st, &conf, &fs) < 0)
				hdie("store_feed_register", store_errmsg(st));
			feed_ids[i] = fs.id;
			feed_state_free(&fs);
		}
		store_close(st);
	}
	gen_open(&g, path);
	exec(g.db, "BEGIN");
	{
		sqlite3_stmt *s = prep(g.db, "INSERT INTO entities (id, name, kind) VALUES (?1, ?2, ?3)");

		for (int i = 1; i <= NENTITIES; i++) {
			char name[64];
			struct buf b;

			buf_init(&b);
			word(&b, (uint64_t)i * 13);
			snprintf(name, sizeof(name), "%c%s %d", b.data[0] - 32, b.data + 1, i);
			buf_free(&b);
			sqlite3_bind_int(s, 1, i);
			sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 3, i % 3 == 0 ? "person" : i % 3 == 1 ? "org" : "place",
			    -1, SQLITE_STATIC);
			run(s, g.db, "entity insert");
		}
		sqlite3_finalize(s);
	}
	exec(g.db, "COMMIT");

	check(sqlite3_open(rawpath, &raw), raw, rawpath);
	exec(raw, "PRAGMA journal_mode = WAL");
	exec(raw, "PRAGMA synchronous = NORMAL");
	exec(raw, RAW_TABLE);
	rs = prep(raw, "INSERT INTO articles (id, feed_id, story_id, guid, url, title, byline,"
	    " agency, summary, body, feed_text, categories, content_hash, auto_published,"
	    " published_at, first_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?10, ?11, ?12, ?13, ?14, ?14)");

	for (int k = 0; k < nsizes; k++) {
		double fill0 = hnow_wall(), fill_s, cpu[16], wall[16];
		double rcpu, rwall, lk, p90, lk_mmap, unused_p90, cand, unused_cand;
		int unused_found;
		long nstories_new = 0;
		int found;
		struct store *st;
		int64_t at = sizes[k], stories_at;

		if (!g.db)
			gen_open(&g, path);
		gen_fill(&g, at);
		stories_at = g.nstories;
		gen_close(&g);
		fill_s = hnow_wall() - fill0;

		/* With the page cache store_open gives the daemon's connection. */
		lk = measure_lookups(&g, path, CACHE_PRAGMA, lookups, &found, &p90, &cand);
		/* What memory-mapped reads would give instead. */
		lk_mmap = measure_lookups(&g, path, CACHE_PRAGMA "; " MMAP_PRAGMA, lookups,
		    &unused_found, &unused_p90, &unused_cand);

		if ((st = store_open(path, STORE_READWRITE, err, sizeof(err))) == NULL)
			hdie(err, NULL);
		for (int w = 0; w < windows && w < 16; w++) {
			long ns;

			measure_ingest(&g, st, edb, feed_ids, window, &cpu[w], &wall[w], &ns);
			nstories_new += ns;
		}
		store_close(st);

		raw_insert(raw, rs, &raw_next, at, 0, NULL);
		rcpu = raw_insert(raw, rs, &raw_next, raw_next + window - 1, 1, &rwall);

		printf("{\"articles\": %" PRId64 ", \"stories\": %" PRId64 ", \"fill_seconds\": %.1f,"
		    " \"window\": %ld, \"ingest_cpu_seconds\": [", at, stories_at, fill_s, window);
		for (int w = 0; w < windows && w < 16; w++)
			printf("%s%.6f", w ? ", " : "", cpu[w]);
		printf("], \"ingest_seconds\": [");
		for (int w = 0; w < windows && w < 16; w++)
			printf("%s%.6f", w ? ", " : "", wall[w]);
		printf("], \"lookup_median_seconds_mmap\": %.9f, \"lookup_candidates\": %.2f",
		    lk_mmap, cand);
		printf(", \"new_stories\": %ld, \"lookup_median_seconds\": %.9f,"
		    " \"lookup_p90_seconds\": %.9f, \"lookups\": %d, \"lookups_found\": %d,"
		    " \"raw_cpu_seconds\": %.6f, \"raw_seconds\": %.6f}\n",
		    nstories_new, lk, p90, lookups, found, rcpu, rwall);
		fflush(stdout);
	}
	sqlite3_finalize(rs);
	sqlite3_close(raw);
	free(g.story_seed);
	free(g.probes);
	entity_db_free(edb);
	xmlCleanupParser();
	return 0;
}

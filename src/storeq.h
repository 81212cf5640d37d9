/*
 * storeq.h: the store's answers to the dateline CLI: listings as tables,
 * backups, kept pages.  Part of the store (the only layer that speaks SQL).
 */
#ifndef DATELINE_STOREQ_H
#define DATELINE_STOREQ_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "table.h"

/* Every active feed's health (the feed_health view); a new table, or NULL. */
struct table *query_feeds(struct store *st);

/*
 * Stories first seen since since (DATE_UNSET: any time), of agency (NULL:
 * any; case-insensitive), with at least min_copies copies, newest first,
 * at most limit.
 */
struct table *query_stories(struct store *st, int64_t since, const char *agency,
    int min_copies, int limit);

/*
 * One story: every copy (outlet, url, title, first seen, minutes after the
 * first copy) and the other stories of its family (its near-variants).
 * NULL with store_errmsg "no story N" when there is none.
 */
struct table *query_story(struct store *st, int64_t id);

/* Search options; absent filters are NULL / DATE_UNSET. */
struct search_opts {
	const char *query;       /* FTS5 query syntax */
	int64_t since;           /* first seen since */
	const char *feed;        /* feed name */
	const char *agency;      /* case-insensitive */
	int limit;
};

/*
 * Articles matching an FTS5 query, best first (bm25, title weighted over
 * body), each with a snippet whose matches are marked [like this].  NULL
 * with a clear message for a malformed query.
 */
struct table *query_search(struct store *st, const struct search_opts *o);

/*
 * The most-mentioned entities of stories first seen since since, of kind
 * (NULL: any), at most top.
 */
struct table *query_entities(struct store *st, int64_t since, const char *kind, int top);

/* The stories naming the entity called name (any kind), newest first. */
struct table *query_entity(struct store *st, const char *name, int limit);

/*
 * Copies the database to path (which must not exist) with SQLite's online
 * backup: a consistent snapshot while the daemon goes on writing.
 * Returns 0, or -1 with the reason in store_errmsg.
 */
int store_backup(struct store *st, const char *path);

/* Ids of the articles whose raw page is kept, oldest first. */
int store_kept_page_ids(struct store *st, int64_t **ids, size_t *n);

struct kept_page {
	char *html;          /* decompressed, NUL-terminated */
	size_t len;
	char *url, *content_type;
	char *feed_name;     /* the feed of the article */
};

/* Reads and decompresses one kept page.  0, 1 when there is none, -1 on error. */
int store_kept_page(struct store *st, int64_t article_id, struct kept_page *kp);
void kept_page_free(struct kept_page *kp);

#endif

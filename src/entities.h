/*
 * entities.h: the people, organizations and places a text names (pure
 * once its gazetteers are loaded).
 *
 * Gazetteers and alias tables are data files (not code), loaded once;
 * names the gazetteers cannot know are found with patterns (title cues,
 * capitalized sequences, initials, particles, acronyms, "X of Y"
 * organizations).  Within one text a surname or short form after a full
 * name counts as the same entity.
 */
#ifndef DATELINE_ENTITIES_H
#define DATELINE_ENTITIES_H

#include <stddef.h>

enum entity_kind {
	ENTITY_PERSON,
	ENTITY_ORG,
	ENTITY_PLACE,
};

struct entity {
	char *name;              /* canonical name, e.g. "United States" */
	enum entity_kind kind;
	int mentions;            /* in title and body together */
};

struct entity_list {
	struct entity *v;        /* most mentioned first, then by name */
	size_t n;
};

struct entity_db;

/*
 * Loads the gazetteers and alias tables from the folder dir.  Returns NULL
 * with a one-line reason in err.
 */
struct entity_db *entity_db_load(const char *dir, char *err, size_t errlen);
void entity_db_free(struct entity_db *db);

/*
 * Finds the entities of an article.  title and body are plain UTF-8 text
 * (either may be NULL); body paragraphs are separated by blank lines.
 * Work is bounded whatever the input size.
 */
void entities_extract(const struct entity_db *db, const char *title, const char *body,
    struct entity_list *out);

void entity_list_free(struct entity_list *l);

/* "person", "org", "place". */
const char *entity_kind_name(enum entity_kind k);

#endif

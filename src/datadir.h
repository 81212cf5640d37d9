/*
 * datadir.h: where the data files (agencies.txt, disclaimers.txt, ...)
 * are.
 */
#ifndef DATELINE_DATADIR_H
#define DATELINE_DATADIR_H

/*
 * The first folder holding agencies.txt of: explicit_dir (may be NULL),
 * $DATELINE_DATA, "data" next to the folder of the running binary (so
 * build/dateline finds the source tree's data/), DATELINE_DATADIR (the
 * install path).  Returns a static string, or NULL when none has it.
 */
const char *datadir_find(const char *explicit_dir);

#endif

/*
 * spool.h: a local folder other systems drop documents into (kind:
 * spool).  The only module that reads and moves those files.
 *
 * A file is taken only once it is complete: when inotify reports it
 * closed after writing (IN_CLOSE_WRITE) or renamed into the folder
 * (IN_MOVED_TO), or, on a rescan, when no process has it open for writing
 * (a read lease can be had) -- or, for files of another owner, where no
 * lease can be had, when it has not changed for SPOOL_SETTLE_SECONDS.
 * Names starting with '.' and ending in ".tmp", ".part" or '~' are never
 * taken (the usual way to write a file and rename it into place), nor
 * anything but regular files.
 *
 * Each file taken is read whole (at most max_bytes) and handed to the
 * handler; then it is moved into done/ (ingested) or failed/ (with the
 * reason in a sidecar failed/NAME.err), or left where it is to be tried
 * again at the next scan.  A name already taken in done/ or failed/ gets
 * a number (report.xml -> report.1.xml), so nothing is overwritten.
 * Work is bounded: at most SPOOL_MAX_FILES files per batch, the rest at
 * the next batch; at most SPOOL_MAX_LIST directory entries per scan.
 */
#ifndef DATELINE_SPOOL_H
#define DATELINE_SPOOL_H

#include <stddef.h>

#include "bounds.h"

struct ev_loop;
struct spool;

/* What became of a file. */
enum spool_verdict {
	SPOOL_DONE,      /* ingested: moved to done/ */
	SPOOL_FAILED,    /* unusable: moved to failed/ with the reason */
	SPOOL_RETRY,     /* not now (the store failed): left for the next scan */
};

struct spool_file {
	const char *name;        /* the file's name in the folder */
	const char *data;        /* its bytes, NUL-terminated */
	size_t len;
};

/*
 * Decides what becomes of a complete file; for SPOOL_FAILED and
 * SPOOL_RETRY writes a one-line reason into why.
 */
typedef enum spool_verdict (*spool_handler)(const struct spool_file *f, void *arg,
    char *why, size_t whylen);

/* What one scan did. */
struct spool_stats {
	size_t done, failed, retried;
	size_t busy;             /* files still being written: skipped */
	int more;                /* complete files left for the next batch */
	double settle_in;        /* > 0: a file settles in so many seconds */
};

/*
 * A spool on the folder dir.  With a loop, the folder is watched and new
 * files are handled as they arrive (from the loop, in batches); without
 * one (--once) only spool_scan takes files.  Never fails: a folder that
 * cannot be watched yet is watched from the next successful scan on.
 */
struct spool *spool_new(struct ev_loop *loop, const char *dir, long long max_bytes,
    spool_handler handler, void *arg);

/*
 * Takes the complete files in the folder now, at most SPOOL_MAX_FILES.
 * Returns 0, or -1 with a one-line reason in err when the folder cannot
 * be read (missing, not a folder, no permission).
 */
int spool_scan(struct spool *s, struct spool_stats *st, char *err, size_t errlen);

/* Stops watching; nothing is called afterwards. */
void spool_free(struct spool *s);

#endif

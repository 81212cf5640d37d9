/*
 * spool.c: a folder files are dropped into (see spool.h).
 *
 * Files are found two ways: inotify names each file as it is closed after
 * writing or renamed in, and a scan (spool_scan, at the feed's interval)
 * lists the folder, which catches what arrived while the daemon was not
 * running and what inotify could not report (queue overflow, a folder
 * that appeared late).  Both end in take_file.
 */
#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "util.h"

/* Events of a burst are handled together this long after the first. */
#define SPOOL_EVENT_DELAY 0.05
/* Numbered names tried in done/ and failed/ before giving up. */
#define SPOOL_MAX_COPIES 1000

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR | IN_DELETE_SELF | \
	IN_MOVE_SELF | IN_EXCL_UNLINK)

struct spool {
	struct ev_loop *loop;    /* NULL: not watched */
	char *dir;
	long long max_bytes;
	spool_handler handler;
	void *arg;
	int ifd;                 /* inotify, or -1 */
	int wd;                  /* the folder's watch, or -1 */
	ev_io io;
	ev_timer batch;
	struct strlist pending;  /* names inotify reported complete */
	int overflow;            /* events were lost: scan the folder */
};

/* A name a writer uses while the file is incomplete, or not ours. */
static int
ignored_name(const char *name)
{
	static const char *const suffixes[] = { ".tmp", ".part", ".partial", "~" };
	size_t n = strlen(name), k;

	if (name[0] == '.' || n == 0)
		return 1;
	for (size_t i = 0; i < ARRAY_LEN(suffixes); i++)
		if (n > (k = strlen(suffixes[i])) && strcmp(name + n - k, suffixes[i]) == 0)
			return 1;
	return 0;
}

/* The reason on one line: control characters become spaces. */
static void
one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/* name with "." n inserted before its extension: report.xml -> report.3.xml */
static char *
numbered(const char *name, int n)
{
	const char *dot = strrchr(name, '.');

	if (n == 0)
		return xstrdup(name);
	if (dot == NULL || dot == name)
		return xasprintf("%s.%d", name, n);
	return xasprintf("%.*s.%d%s", (int)(dot - name), name, n, dot);
}

/*
 * Moves name from the folder dfd into its subfolder sub under a name not
 * taken there yet.  Returns that name (malloc'd), or NULL with errno set.
 */
static char *
move_into(int dfd, const char *name, const char *sub)
{
	int sfd, e = 0;
	char *to = NULL;

	if (mkdirat(dfd, sub, 0777) < 0 && errno != EEXIST)
		return NULL;
	if ((sfd = openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return NULL;
	for (int n = 0; n < SPOOL_MAX_COPIES; n++) {
		to = numbered(name, n);
		if (renameat2(dfd, name, sfd, to, RENAME_NOREPLACE) == 0)
			break;
		e = errno;
		/* NOTE: some filesystems lack RENAME_NOREPLACE: look first, then rename. */
		if ((e == EINVAL || e == ENOSYS) &&
		    faccessat(sfd, to, F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT) {
			if (renameat(dfd, name, sfd, to) == 0)
				break;
			e = errno;
		}
		free(to);
		to = NULL;
		if (e != EEXIST && e != EINVAL && e != ENOSYS)
			break;
	}
	close(sfd);
	if (to == NULL)
		errno = e == EEXIST ? EEXIST : e;
	return to;
}

/* Writes failed/NAME.err with the reason. */
static void
write_reason(int dfd, const char *dir, const char *name, const char *why)
{
	char *path = xasprintf("failed/%s.err", name), *line = xasprintf("%s\n", why);
	int fd = openat(dfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
	size_t len = strlen(line);

	if (fd < 0 || write(fd, line, len) != (ssize_t)len)
		log_warn("spool %s: cannot write %s", dir, path);
	if (fd >= 0)
		close(fd);
	free(line);
	free(path);
}

static void
settle(struct spool *s, int dfd, const char *name, enum spool_verdict v, char *why,
    struct spool_stats *st)
{
	char *to;

	if (v == SPOOL_RETRY) {
		st->retried++;
		log_warnx("spool %s: %s: %s; left for the next scan", s->dir, name, why);
		return;
	}
	if (v == SPOOL_DONE)
		st->done++;
	else
		st->failed++;
	to = move_into(dfd, name, v == SPOOL_DONE ? "done" : "failed");
	if (to == NULL) {
		log_warn("spool %s: cannot move %s into %s/", s->dir, name,
		    v == SPOOL_DONE ? "done" : "failed");
		return;
	}
	if (v == SPOOL_FAILED) {
		one_line(why);
		write_reason(dfd, s->dir, to, why);
		log_warnx("spool %s: %s: %s (moved to failed/%s)", s->dir, name, why, to);
	} else
		log_debug("spool %s: %s ingested (moved to done/%s)", s->dir, name, to);
	free(to);
}

/*
 * Whether no one writes the file now.  NOTE: a read lease is refused
 * (EAGAIN) while any process has the file open for writing; it is
 * released at once, so no break signal is ever waited for.  Where a
 * lease cannot be had at all (a file of another owner, NFS), a file
 * reported by inotify is complete and one found by a scan must be
 * unchanged for SPOOL_SETTLE_SECONDS.  Returns 1 complete, 0 not yet
 * (*wait: seconds until it may be, or 0 when unknown).
 */
static int
complete(int fd, const struct stat *sb, int reported, double *wait)
{
	double age;

	*wait = 0;
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		fcntl(fd, F_SETLEASE, F_UNLCK);
		return 1;
	}
	if (errno == EAGAIN || errno == EBUSY)
		return 0;
	if (reported)
		return 1;
	age = now_wall() - ((double)sb->st_mtim.tv_sec + (double)sb->st_mtim.tv_nsec / 1e9);
	if (age >= SPOOL_SETTLE_SECONDS)
		return 1;
	*wait = SPOOL_SETTLE_SECONDS - (age < 0 ? 0 : age);
	return 0;
}

/* Reads all of fd, at most max bytes.  0, 1 when larger, -1 on error. */
static int
read_all(int fd, long long max, struct buf *b)
{
	char chunk[65536];
	ssize_t n;

	buf_init(b);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if ((long long)(b->len + (size_t)n) > max)
			return 1;
		buf_append(b, chunk, (size_t)n);
	}
	return 0;
}

/*
 * Takes one file if it is complete: hands it to the handler and moves
 * it.  Returns 1 when the file was dealt with (it counts against the
 * batch), 0 when it was skipped.
 */
static int
take_file(struct spool *s, int dfd, const char *name, int reported, struct spool_stats *st)
{
	struct stat sb;
	struct buf b;
	char why[512];
	enum spool_verdict v;
	double wait;
	int fd, rc, e;

	if (ignored_name(name))
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;       /* gone already */
		if (errno == ELOOP || errno == EACCES || errno == ENXIO) {
			snprintf(why, sizeof(why), errno == ELOOP ?
			    "a symbolic link (links are not followed)" : "cannot open: %s",
			    strerror(errno));
			settle(s, dfd, name, SPOOL_FAILED, why, st);
			return 1;
		}
		log_warn("spool %s: %s", s->dir, name);
		return 0;
	}
	if (fstat(fd, &sb) < 0 || S_ISDIR(sb.st_mode)) {
		close(fd);
		return 0;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		settle(s, dfd, name, SPOOL_FAILED, "not a regular file", st);
		return 1;
	}
	if (!complete(fd, &sb, reported, &wait)) {
		close(fd);
		st->busy++;
		if (wait > 0 && (st->settle_in == 0 || wait < st->settle_in))
			st->settle_in = wait;
		log_debug("spool %s: %s is still being written", s->dir, name);
		return 0;
	}
	rc = sb.st_size > s->max_bytes ? 1 : read_all(fd, s->max_bytes, &b);
	e = errno;
	close(fd);
	if (rc != 0) {
		if (rc > 0)
			snprintf(why, sizeof(why), "larger than max_bytes (%lld bytes)",
			    s->max_bytes);
		else
			snprintf(why, sizeof(why), "cannot read: %s", strerror(e));
		if (sb.st_size <= s->max_bytes)
			buf_free(&b);
		settle(s, dfd, name, SPOOL_FAILED, why, st);
		return 1;
	}
	if (b.len == 0) {
		buf_free(&b);
		settle(s, dfd, name, SPOOL_FAILED, "empty file", st);
		return 1;
	}
	why[0] = '\0';
	v = s->handler(&(struct spool_file){ name, b.data, b.len }, s->arg, why, sizeof(why));
	buf_free(&b);
	if (v != SPOOL_DONE && why[0] == '\0')
		snprintf(why, sizeof(why), "not ingested");
	settle(s, dfd, name, v, why, st);
	return 1;
}

static int
open_dir(const struct spool *s, char *err, size_t errlen)
{
	int dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		snprintf(err, errlen, "cannot read the spool folder %s: %s", s->dir,
		    strerror(errno));
	return dfd;
}

static void
watch(struct spool *s)
{
	if (s->ifd < 0 || s->wd >= 0)
		return;
	if ((s->wd = inotify_add_watch(s->ifd, s->dir, WATCH_MASK)) < 0)
		log_debug("spool %s: cannot watch yet: %s", s->dir, strerror(errno));
}

struct entry {
	char *name;
	struct timespec mtime;
};

/* Oldest first, so that files are taken in the order they came. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
spool_scan(struct spool *s, struct spool_stats *st, char *err, size_t errlen)
{
	struct entry *v = NULL;
	size_t n = 0, cap = 0, taken = 0, i;
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int dfd, lfd;

	memset(st, 0, sizeof(*st));
	if ((dfd = open_dir(s, err, errlen)) < 0)
		return -1;
	watch(s);
	if ((lfd = dup(dfd)) < 0 || (d = fdopendir(lfd)) == NULL) {
		snprintf(err, errlen, "cannot list the spool folder %s: %s", s->dir,
		    strerror(errno));
		if (lfd >= 0)
			close(lfd);
		close(dfd);
		return -1;
	}
	/* A scan sees everything: names inotify reported are among them. */
	strlist_free(&s->pending);
	s->overflow = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_type == DT_DIR || ignored_name(de->d_name))
			continue;
		/* NOTE: deliberate truncation at SPOOL_MAX_LIST entries per scan */
		if (n == SPOOL_MAX_LIST) {
			st->more = 1;
			break;
		}
		if (fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].name = xstrdup(de->d_name);
		v[n].mtime = sb.st_mtim;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), entry_cmp);
	for (i = 0; i < n; i++) {
		if (taken == SPOOL_MAX_FILES) {
			st->more = 1;
			break;
		}
		taken += (size_t)take_file(s, dfd, v[i].name, 0, st);
	}
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	close(dfd);
	return 0;
}

/* The batch timer: the files inotify named (or a scan after an overflow). */
static void
batch_due(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct spool *s = w->data;
	struct spool_stats st = { 0 };
	char err[512];
	size_t taken = 0, i;
	int dfd;

	(void)revents;
	if (s->overflow) {
		if (spool_scan(s, &st, err, sizeof(err)) < 0)
			log_warnx("spool %s: %s", s->dir, err);
		else if (st.more) {
			s->overflow = 1;        /* go on with the rest soon */
			ev_timer_set(w, 0., 0.);
			ev_timer_start(loop, w);
		}
		return;
	}
	if ((dfd = open_dir(s, err, sizeof(err))) < 0) {
		log_warnx("spool %s: %s", s->dir, err);
		strlist_free(&s->pending);
		return;
	}
	for (i = 0; i < s->pending.n && taken < SPOOL_MAX_FILES; i++)
		taken += (size_t)take_file(s, dfd, s->pending.v[i], 1, &st);
	close(dfd);
	for (size_t j = 0; j < i; j++)
		free(s->pending.v[j]);
	if (i > 0 && i < s->pending.n)
		memmove(s->pending.v, s->pending.v + i,
		    (s->pending.n - i) * sizeof(*s->pending.v));
	s->pending.n -= i;
	if (s->pending.n > 0) {
		ev_timer_set(w, 0., 0.);
		ev_timer_start(loop, w);
	}
}

static void
queue_name(struct spool *s, const char *name)
{
	for (size_t i = 0; i < s->pending.n; i++)
		if (strcmp(s->pending.v[i], name) == 0)
			return;
	if (s->pending.n >= SPOOL_MAX_LIST) {
		s->overflow = 1;
		return;
	}
	strlist_push(&s->pending, xstrdup(name));
}

static void
events_ready(struct ev_loop *loop, ev_io *w, int revents)
{
	struct spool *s = w->data;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	(void)revents;
	while ((n = read(s->ifd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)p;

			if (e->mask & IN_Q_OVERFLOW)
				s->overflow = 1;
			if (e->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
				/* The folder went: watch it again at the next scan. */
				if (e->wd == s->wd && s->wd >= 0 && !(e->mask & IN_IGNORED))
					inotify_rm_watch(s->ifd, s->wd);
				if (e->wd == s->wd)
					s->wd = -1;
			} else if ((e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && e->len > 0 &&
			    !(e->mask & IN_ISDIR) && e->wd == s->wd)
				queue_name(s, e->name);
			p += sizeof(*e) + e->len;
		}
	}
	if ((s->pending.n > 0 || s->overflow) && !ev_is_active(&s->batch)) {
		ev_timer_set(&s->batch, SPOOL_EVENT_DELAY, 0.);
		ev_timer_start(loop, &s->batch);
	}
}

struct spool *
spool_new(struct ev_loop *loop, const char *dir, long long max_bytes,
    spool_handler handler, void *arg)
{
	struct spool *s = xcalloc(1, sizeof(*s));

	s->loop = loop;
	s->dir = xstrdup(dir);
	s->max_bytes = max_bytes;
	s->handler = handler;
	s->arg = arg;
	s->ifd = s->wd = -1;
	if (loop == NULL)
		return s;
	if ((s->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		log_warn("spool %s: inotify; new files are found by rescans only", dir);
		return s;
	}
	ev_io_init(&s->io, events_ready, s->ifd, EV_READ);
	s->io.data = s;
	ev_io_start(loop, &s->io);
	ev_timer_init(&s->batch, batch_due, SPOOL_EVENT_DELAY, 0.);
	s->batch.data = s;
	watch(s);
	return s;
}

void
spool_free(struct spool *s)
{
	if (s == NULL)
		return;
	if (s->ifd >= 0) {
		ev_io_stop(s->loop, &s->io);
		ev_timer_stop(s->loop, &s->batch);
		close(s->ifd);
	}
	strlist_free(&s->pending);
	free(s->dir);
	free(s);
}

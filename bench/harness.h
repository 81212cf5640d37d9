/*
 * harness.h: what the benchmark programs share: a list of files read into
 * memory before any clock starts, and wall and CPU clocks.
 *
 * Header-only (static functions) so that each harness is one .c file.
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct hfile {
	char *path;
	char *data;
	size_t len;
};

struct hfiles {
	struct hfile *v;
	size_t n;
	size_t bytes;
};

static void
hdie(const char *what, const char *arg)
{
	fprintf(stderr, "bench: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

static void *
hmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		hdie("out of memory", NULL);
	return p;
}

static char *
hread(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, r;
	char *b;

	if (f == NULL) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	b = hmalloc(cap + 1);
	while ((r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			if ((b = realloc(b, cap + 1)) == NULL)
				hdie("out of memory", NULL);
		}
	}
	fclose(f);
	b[n] = '\0';
	*len = n;
	return b;
}

/*
 * Reads every file named in list (one path a line, relative to prefix
 * when not absolute; prefix may be NULL), at most max files (0: all).
 */
static void
hfiles_load(struct hfiles *fs, const char *list, const char *prefix, size_t max)
{
	size_t len, cap = 1024;
	char *text = hread(list, &len), *line, *save = NULL;

	fs->v = hmalloc(cap * sizeof(*fs->v));
	fs->n = 0;
	fs->bytes = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct hfile *f;
		size_t pl;

		if (*line == '\0')
			continue;
		if (max && fs->n == max)
			break;
		if (fs->n == cap) {
			cap *= 2;
			if ((fs->v = realloc(fs->v, cap * sizeof(*fs->v))) == NULL)
				hdie("out of memory", NULL);
		}
		f = &fs->v[fs->n++];
		pl = (prefix && line[0] != '/') ? strlen(prefix) + 1 : 0;
		f->path = hmalloc(pl + strlen(line) + 1);
		if (pl)
			sprintf(f->path, "%s/%s", prefix, line);
		else
			strcpy(f->path, line);
		f->data = hread(f->path, &f->len);
		fs->bytes += f->len;
	}
	free(text);
}

struct hclock {
	struct timespec wall, cpu;
};

static void
hclock_start(struct hclock *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->wall);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c->cpu);
}

static double
hts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Seconds since hclock_start: wall and CPU (this process, all threads). */
static void
hclock_read(const struct hclock *c, double *wall, double *cpu)
{
	struct timespec w, p;

	clock_gettime(CLOCK_MONOTONIC, &w);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p);
	*wall = hts_diff(&c->wall, &w);
	*cpu = hts_diff(&c->cpu, &p);
}

static double
hnow_cpu(void)
{
	struct timespec p;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p);
	return (double)p.tv_sec + (double)p.tv_nsec / 1e9;
}

static double
hnow_wall(void)
{
	struct timespec p;

	clock_gettime(CLOCK_MONOTONIC, &p);
	return (double)p.tv_sec + (double)p.tv_nsec / 1e9;
}

#endif

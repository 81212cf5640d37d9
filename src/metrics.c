/*
 * metrics.c: the Prometheus text exposition format, written to a file.
 */
#include "metrics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const double fetch_bounds[METRICS_FETCH_BUCKETS] = {
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
};

void
metrics_observe_fetch(struct poller_counters *c, double seconds)
{
	size_t i;

	for (i = 0; i < METRICS_FETCH_BUCKETS; i++)
		if (seconds <= fetch_bounds[i])
			break;
	c->fetch_buckets[i]++;
	c->fetch_count++;
	c->fetch_sum += seconds;
}

static void
counter(struct buf *b, const char *name, const char *help, const char *labels,
    uint64_t v)
{
	if (help)
		buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	buf_printf(b, "%s%s %llu\n", name, labels ? labels : "", (unsigned long long)v);
}

static void
gauge(struct buf *b, const char *name, const char *help, double v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %.17g\n", name, help, name, name, v);
}

int
metrics_write(const char *path, const struct poller_counters *c,
    const struct metrics_gauges *g)
{
	struct buf b;
	char *tmp;
	FILE *f;
	uint64_t cum = 0;
	int saved;

	buf_init(&b);
	counter(&b, "dateline_polls_total", "Feed polls by outcome.", "{result=\"ok\"}",
	    c->polls_ok);
	counter(&b, "dateline_polls_total", NULL, "{result=\"not_modified\"}",
	    c->polls_not_modified);
	counter(&b, "dateline_polls_total", NULL, "{result=\"error\"}", c->polls_error);
	counter(&b, "dateline_articles_new_total", "Articles stored for the first time.",
	    NULL, c->articles_new);
	counter(&b, "dateline_articles_changed_total", "Articles whose text changed.",
	    NULL, c->articles_changed);
	counter(&b, "dateline_pages_total", "Article pages fetched, by outcome.",
	    "{result=\"ok\"}", g->pages_ok);
	counter(&b, "dateline_pages_total", NULL, "{result=\"failed\"}", g->pages_failed);
	counter(&b, "dateline_local_outages_total",
	    "Times most feeds failed at once (the network was down).", NULL, c->outages);
	buf_puts(&b, "# HELP dateline_fetch_seconds Time of feed fetches that got an answer.\n"
	    "# TYPE dateline_fetch_seconds histogram\n");
	for (size_t i = 0; i <= METRICS_FETCH_BUCKETS; i++) {
		cum += c->fetch_buckets[i];
		if (i < METRICS_FETCH_BUCKETS)
			buf_printf(&b, "dateline_fetch_seconds_bucket{le=\"%g\"} %llu\n",
			    fetch_bounds[i], (unsigned long long)cum);
		else
			buf_printf(&b, "dateline_fetch_seconds_bucket{le=\"+Inf\"} %llu\n",
			    (unsigned long long)cum);
	}
	buf_printf(&b, "dateline_fetch_seconds_sum %.6f\ndateline_fetch_seconds_count %llu\n",
	    c->fetch_sum, (unsigned long long)c->fetch_count);
	gauge(&b, "dateline_feeds", "Feeds configured and enabled.", g->feeds);
	gauge(&b, "dateline_feeds_failing", "Feeds whose last poll failed, or gone.",
	    g->feeds_failing);
	gauge(&b, "dateline_stories", "Distinct stories in the store.", (double)g->stories);
	gauge(&b, "dateline_articles", "Articles (copies) in the store.", (double)g->articles);
	gauge(&b, "dateline_start_time_seconds", "When datelined started (Unix time).",
	    g->started);

	tmp = xasprintf("%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		goto fail;
	{
		int bad = fwrite(b.data, 1, b.len, f) != b.len;

		if (fclose(f) != 0)
			bad = 1;
		if (bad) {
			saved = errno;
			unlink(tmp);
			errno = saved;
			goto fail;
		}
	}
	if (rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	free(tmp);
	buf_free(&b);
	return 0;
fail:
	saved = errno;
	free(tmp);
	buf_free(&b);
	errno = saved;
	return -1;
}

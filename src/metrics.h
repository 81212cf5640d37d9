/*
 * metrics.h: counters the daemon keeps, written as a Prometheus text file
 * (node_exporter's textfile collector reads it) when metrics_file is set.
 */
#ifndef DATELINE_METRICS_H
#define DATELINE_METRICS_H

#include <stdint.h>

/* Upper bounds (seconds) of the fetch latency histogram's buckets. */
#define METRICS_FETCH_BUCKETS 10

struct poller_counters {
	uint64_t polls_ok, polls_not_modified, polls_error;
	uint64_t articles_new, articles_changed;
	uint64_t outages;
	uint64_t fetch_buckets[METRICS_FETCH_BUCKETS + 1];   /* the last is +Inf */
	uint64_t fetch_count;
	double fetch_sum;
};

/* Counts one completed HTTP exchange of seconds. */
void metrics_observe_fetch(struct poller_counters *c, double seconds);

/* Gauges read at write time. */
struct metrics_gauges {
	int feeds, feeds_failing;
	long long stories, articles;
	uint64_t pages_ok, pages_failed;
	double started;           /* wall-clock seconds */
};

/*
 * Writes the metrics to path atomically (a temporary file renamed over
 * it).  Returns 0, or -1 with errno set.
 */
int metrics_write(const char *path, const struct poller_counters *c,
    const struct metrics_gauges *g);

#endif

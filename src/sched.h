/*
 * sched.h: when to poll a feed next (pure policy; the timers live in
 * poller.c).
 *
 * Every delay carries jitter so that feeds configured alike drift apart
 * instead of polling in lock-step; callers pass the random number in so the
 * policy is testable.  rnd is uniform in [0, 1).
 */
#ifndef DATELINE_SCHED_H
#define DATELINE_SCHED_H

#include <stddef.h>

struct sched_policy {
	double interval;    /* seconds between successful polls */
	double retry_min;   /* first delay after an error */
	double retry_max;   /* cap on backoff and on Retry-After */
};

/* The fraction of jitter applied around every delay (±10 %). */
#define SCHED_JITTER 0.10

/* After a successful poll: interval ±10 %. */
double sched_after_success(const struct sched_policy *p, double rnd);

/*
 * After the errors-th consecutive failure (errors >= 1): retry_min doubled
 * per further failure, capped at retry_max, ±10 %.  A server's Retry-After
 * (retry_after >= 0; -1 when absent) replaces the backoff, clamped into
 * [retry_min, retry_max] and only ever lengthened by jitter.
 */
double sched_after_error(const struct sched_policy *p, int errors, double retry_after,
    double rnd);

/*
 * The first poll of the i-th of n feeds that are due at start: spread
 * evenly over the interval so they never all poll at once, the first at
 * once (within a second of jitter).
 */
double sched_first_delay(const struct sched_policy *p, size_t i, size_t n, double rnd);

#endif

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

/* Bounds of a feed's adaptive interval. */
struct sched_adapt {
	double interval, min_interval, max_interval;
};

/* Successful polls in a row with nothing new before the interval grows. */
#define SCHED_QUIET_POLLS 3

/*
 * The interval after a successful poll, from the current one (0: none
 * yet, start from interval).  overflowed: every item was new although the
 * feed was read before, so items may have been missed: halve it.
 * found_new: keep it.  Otherwise count a quiet poll in *quiet and, after
 * SCHED_QUIET_POLLS of them, lengthen it by half.  Always within
 * [min_interval, max_interval].
 */
double sched_adapt_interval(const struct sched_adapt *a, double cur, int found_new,
    int overflowed, int *quiet);

/*
 * The usual gap between polls that found new items: a moving average of
 * gap over old (0: unknown yet).
 */
double sched_item_gap(double old, double gap);

#endif

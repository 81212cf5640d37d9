/*
 * sched.c: poll timing policy.
 */
#include "sched.h"

#include <math.h>

static double
jitter(double delay, double rnd)
{
	return delay * (1.0 + SCHED_JITTER * (2.0 * rnd - 1.0));
}

double
sched_after_success(const struct sched_policy *p, double rnd)
{
	return jitter(p->interval, rnd);
}

double
sched_after_error(const struct sched_policy *p, int errors, double retry_after, double rnd)
{
	double d;

	if (retry_after >= 0) {
		d = retry_after;
		if (d < p->retry_min)
			d = p->retry_min;
		if (d > p->retry_max)
			d = p->retry_max;
		/* The server asked for at least d: jitter only lengthens it. */
		return d * (1.0 + SCHED_JITTER * rnd);
	}
	if (errors < 1)
		errors = 1;
	/* NOTE: 2^(errors-1) overflows nothing: the exponent is capped first. */
	d = p->retry_min * ldexp(1.0, errors - 1 > 30 ? 30 : errors - 1);
	if (d > p->retry_max)
		d = p->retry_max;
	return jitter(d, rnd);
}

double
sched_first_delay(const struct sched_policy *p, size_t i, size_t n, double rnd)
{
	double slot;

	if (n == 0)
		n = 1;
	slot = p->interval / (double)n;
	/*
	 * Jitter within the feed's own slot keeps the order and the spread,
	 * and at most a second of it keeps the first feed's poll immediate.
	 */
	return slot * (double)i + rnd * (slot * SCHED_JITTER < 1.0 ? slot * SCHED_JITTER : 1.0);
}

double
sched_adapt_interval(const struct sched_adapt *a, double cur, int found_new,
    int overflowed, int *quiet)
{
	if (cur <= 0)
		cur = a->interval;
	if (overflowed) {
		cur /= 2;
		*quiet = 0;
	} else if (found_new)
		*quiet = 0;
	else if (++*quiet >= SCHED_QUIET_POLLS) {
		cur *= 1.5;
		*quiet = 0;
	}
	if (cur < a->min_interval)
		cur = a->min_interval;
	if (cur > a->max_interval)
		cur = a->max_interval;
	return cur;
}

double
sched_item_gap(double old, double gap)
{
	if (gap <= 0)
		return old;
	/* NOTE: 0.3 weights the newest gap enough to follow a feed that changes pace. */
	return old > 0 ? 0.7 * old + 0.3 * gap : gap;
}

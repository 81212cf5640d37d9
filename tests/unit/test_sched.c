/*
 * test_sched.c: poll timing policy.
 */
#include "sched.h"
#include "tap.h"

static int
within(double v, double lo, double hi)
{
	return v >= lo && v <= hi;
}

int
main(void)
{
	struct sched_policy p = { 600, 60, 6 * 3600 };
	double lo = 1e9, hi = 0;

	for (int i = 0; i < 1000; i++) {
		double d = sched_after_success(&p, (double)i / 1000.0);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
	}
	ok(within(lo, 540, 541) && within(hi, 659, 660), "success: interval +-10%% (%.1f..%.1f)", lo, hi);
	ok(sched_after_success(&p, 0.5) == 600, "success: no jitter at rnd 0.5");

	ok(sched_after_error(&p, 1, -1, 0.5) == 60, "error 1: retry_min");
	ok(sched_after_error(&p, 2, -1, 0.5) == 120, "error 2: doubled");
	ok(sched_after_error(&p, 5, -1, 0.5) == 960, "error 5: 16x retry_min");
	ok(sched_after_error(&p, 12, -1, 0.5) == 6 * 3600, "error 12: capped at retry_max");
	ok(sched_after_error(&p, 100000, -1, 0.5) == 6 * 3600, "huge error count: capped, no overflow");
	ok(sched_after_error(&p, 0, -1, 0.5) == 60, "error count 0 treated as 1");
	ok(within(sched_after_error(&p, 1, -1, 0.0), 54, 54.001), "error: jitter -10%%");

	ok(sched_after_error(&p, 1, 120, 0.0) == 120, "Retry-After honoured");
	ok(within(sched_after_error(&p, 1, 120, 0.999), 120, 132), "Retry-After only lengthened by jitter");
	ok(sched_after_error(&p, 1, 1, 0.0) == 60, "Retry-After below retry_min clamped up");
	ok(sched_after_error(&p, 1, 0, 0.0) == 60, "Retry-After 0 clamped up");
	ok(sched_after_error(&p, 1, 315360000, 0.0) == 6 * 3600, "Retry-After of 10 years clamped to retry_max");
	ok(sched_after_error(&p, 1, -1, 0.0) < 60, "negative Retry-After means absent (backoff)");

	{
		double prev = -1;
		int spread = 1;

		for (size_t i = 0; i < 10; i++) {
			double d = sched_first_delay(&p, i, 10, 0.99);
			if (d <= prev || d >= 600)
				spread = 0;
			prev = d;
		}
		ok(spread, "first polls of 10 feeds: strictly increasing, within the interval");
		ok(sched_first_delay(&p, 0, 10, 0.0) == 0, "first feed polls at once");
		ok(sched_first_delay(&p, 0, 1, 0.99) < 1.0, "a lone feed polls within a second");
		ok(within(sched_first_delay(&p, 5, 10, 0.0), 300, 300), "sixth of ten at half the interval");
		ok(sched_first_delay(&p, 0, 0, 0.5) >= 0, "n = 0 is safe");
	}
	{
		struct sched_adapt a = { 600, 150, 2400 };
		int quiet = 0;
		double cur = sched_adapt_interval(&a, 0, 1, 0, &quiet);

		ok(cur == 600 && quiet == 0, "adapt: starts at the interval");
		cur = sched_adapt_interval(&a, cur, 0, 0, &quiet);
		cur = sched_adapt_interval(&a, cur, 0, 0, &quiet);
		ok(cur == 600 && quiet == 2, "adapt: two quiet polls change nothing yet");
		cur = sched_adapt_interval(&a, cur, 0, 0, &quiet);
		ok(cur == 900 && quiet == 0, "adapt: third quiet poll lengthens by half");
		for (int i = 0; i < 30; i++)
			cur = sched_adapt_interval(&a, cur, 0, 0, &quiet);
		ok(cur == 2400, "adapt: capped at max_interval");
		cur = sched_adapt_interval(&a, cur, 1, 1, &quiet);
		ok(cur == 1200, "adapt: overflow halves");
		for (int i = 0; i < 10; i++)
			cur = sched_adapt_interval(&a, cur, 1, 1, &quiet);
		ok(cur == 150, "adapt: floored at min_interval");
		quiet = 2;
		cur = sched_adapt_interval(&a, cur, 1, 0, &quiet);
		ok(cur == 150 && quiet == 0, "adapt: something new resets the quiet count");
		ok(sched_item_gap(0, 100) == 100, "item gap: first observation");
		ok(sched_item_gap(100, 200) == 130, "item gap: moving average");
		ok(sched_item_gap(100, 0) == 100, "item gap: no gap, no change");
	}
	return tap_done();
}

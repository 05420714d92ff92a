/* SPDX-License-Identifier: GPL-2.0 */
/* stats.h - summaries over repetitions and log-linear latency histograms. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct summary {
	size_t n;
	double mean, stddev, min, median, max;	/* stddev: sample (n - 1) */
	double ci_lo, ci_hi;			/* 95% CI of the mean: see ci95_mean() */
	bool has_stddev, has_ci;		/* false when n < 2 */
};

/*
 * The 95% confidence interval of the mean that every metric carries
 * (metric "ci95", named by "ci95_method"): a percentile bootstrap.
 *
 * Repetition timings are positive and heavy-tailed (one slow first touch
 * among five reps: 2503, 39, 42, 42, 50 ms), where mean -+ t * sd / sqrt(n)
 * gave [-830, 1901] ms, a negative time.  The mean of a resample lies
 * between the smallest and the largest value, and so does every percentile
 * of those means: the interval never leaves [min, max] (never below 0 for a
 * positive quantity) and is as skewed as the data.  It is of the mean, not
 * the median, because it goes with the "mean" beside it (the median is what
 * compare/ bootstraps over runs), and because with a handful of reps the
 * median of a resample can only be one of the values (n odd), a coarse
 * interval.
 *
 * BOOT_RESAMPLES resamples of the sorted values (so the interval depends on
 * the values, not their order) drawn with splitmix64 from BOOT_SEED afresh
 * on every call: the same values give the same interval, on any machine.
 * The ends are the 100th and the 3900th of the 3999 sorted resample means
 * ((B + 1) * 0.025 and (B + 1) * 0.975), clamped to [min, max] against
 * rounding.  A percentile bootstrap is too narrow at small n (n = 2 gives
 * [min, max] itself): read it with n.  No interval below n = 2.  (A few
 * lines of resampling: neither libm nor a Debian C library has a bootstrap;
 * GSL would bring only its generator.)
 */
#define CI95_METHOD	"percentile_bootstrap_mean"
#define BOOT_RESAMPLES	3999
#define BOOT_SEED	0x62656e63686d6d69ULL	/* "benchmmi" */

/* The splitmix64 generator (Steele, Lea, Flood 2014): the next value of *state. */
uint64_t splitmix64(uint64_t *state);
/*
 * ci95_mean() of v[0..n): 0 with [*lo, *hi], or -1 when n < 2 or out of
 * memory.  v need not be sorted.
 */
int ci95_mean(const double *v, size_t n, double *lo, double *hi);
/* Summarise v[0..n); n == 0 gives an all-zero summary with n = 0. */
void summarize(const double *v, size_t n, struct summary *s);

/*
 * HDR-style histogram of non-negative integers (ns): values below 128 are
 * exact; above, each power-of-two range [2^k, 2^(k+1)) is split into 64
 * linear sub-buckets of width 2^(k-6).  A percentile is reported as the
 * midpoint of its bucket, clamped to the exact min/max, so its relative error
 * against the exact nearest-rank percentile is at most 1/128 (HIST_REL_ERR).
 * Memory is fixed (HIST_NBUCKETS counters) whatever the number of samples.
 */
#define HIST_SUB_BITS	6
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_EXACT	(2 * HIST_SUB)
#define HIST_NBUCKETS	(HIST_EXACT + (64 - HIST_SUB_BITS - 1) * HIST_SUB)
#define HIST_REL_ERR	(1.0 / (2 * HIST_SUB))

struct hist {
	uint64_t count, min, max;
	long double sum;
	uint64_t bucket[HIST_NBUCKETS];
};

void hist_init(struct hist *h);
size_t hist_index(uint64_t v);
void hist_bounds(size_t idx, uint64_t *lo, uint64_t *hi);
static inline void hist_add(struct hist *h, uint64_t v)
{
	h->bucket[hist_index(v)]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}
void hist_merge(struct hist *dst, const struct hist *src);
/* Nearest-rank percentile estimate, p in [0, 100]; 0 when empty. */
uint64_t hist_percentile(const struct hist *h, double p);

#endif

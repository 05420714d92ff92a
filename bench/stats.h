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
	double ci_lo, ci_hi;			/* 95% CI of the mean */
	bool has_stddev, has_ci;		/* false when n < 2 */
};

/* Two-sided 95% Student t quantile: table for df 1..30, 1.96 beyond. */
double t95(size_t df);
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

// SPDX-License-Identifier: GPL-2.0
/* stats.c - summaries over repetitions and log-linear latency histograms. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

double t95(size_t df)
{
	static const double t[30] = {
		12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
	};

	if (df == 0)
		return NAN;
	const double z = 1.959963985, d = (double)df;

	if (df <= 30)
		return t[df - 1];
	/* Cornish-Fisher expansion of the t quantile: within 1e-4 above df 30 */
	return z + (z * z * z + z) / (4 * d) +
	       (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void summarize(const double *v, size_t n, struct summary *s)
{
	double *sorted, sum = 0, ss = 0;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - s->mean) * (v[i] - s->mean);
	sorted = malloc(n * sizeof(*sorted));
	if (sorted) {
		memcpy(sorted, v, n * sizeof(*v));
		qsort(sorted, n, sizeof(*sorted), cmp_double);
		s->min = sorted[0];
		s->max = sorted[n - 1];
		s->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
		free(sorted);
	} else {
		s->min = s->max = s->median = s->mean;	/* not reached in practice */
	}
	if (n >= 2) {
		double half;

		s->stddev = sqrt(ss / (n - 1));
		s->has_stddev = true;
		half = t95(n - 1) * s->stddev / sqrt((double)n);
		s->ci_lo = s->mean - half;
		s->ci_hi = s->mean + half;
		s->has_ci = true;
	}
}

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

size_t hist_index(uint64_t v)
{
	unsigned int k, shift;

	if (v < HIST_EXACT)
		return v;
	k = 63 - __builtin_clzll(v);		/* >= HIST_SUB_BITS + 1 */
	shift = k - HIST_SUB_BITS;
	return HIST_EXACT + (size_t)(k - HIST_SUB_BITS - 1) * HIST_SUB +
	       ((v >> shift) - HIST_SUB);
}

void hist_bounds(size_t idx, uint64_t *lo, uint64_t *hi)
{
	unsigned int k, shift;
	size_t sub;

	if (idx < HIST_EXACT) {
		*lo = *hi = idx;
		return;
	}
	k = (idx - HIST_EXACT) / HIST_SUB + HIST_SUB_BITS + 1;
	sub = (idx - HIST_EXACT) % HIST_SUB;
	shift = k - HIST_SUB_BITS;
	*lo = (uint64_t)(HIST_SUB + sub) << shift;
	*hi = *lo + ((1ULL << shift) - 1);
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	for (size_t i = 0; i < HIST_NBUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
}

uint64_t hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0;

	if (!h->count)
		return 0;
	if (p >= 100)
		return h->max;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count - 1e-9);
	if (rank <= 1)
		return h->min;
	for (size_t i = 0; i < HIST_NBUCKETS; i++) {
		uint64_t lo, hi, mid;

		seen += h->bucket[i];
		if (seen < rank)
			continue;
		hist_bounds(i, &lo, &hi);
		mid = lo + (hi - lo) / 2;
		if (mid < h->min)
			mid = h->min;
		if (mid > h->max)
			mid = h->max;
		return mid;
	}
	return h->max;
}

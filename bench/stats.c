// SPDX-License-Identifier: GPL-2.0
/* stats.c - summaries over repetitions and log-linear latency histograms. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The percentile bootstrap of the mean of sorted[0..n), n >= 2 (see stats.h). */
static int boot_mean(const double *sorted, size_t n, double *lo, double *hi)
{
	double *means;
	uint64_t state = BOOT_SEED;

	if (sorted[0] == sorted[n - 1]) {
		*lo = *hi = sorted[0];
		return 0;
	}
	means = malloc(BOOT_RESAMPLES * sizeof(*means));
	if (!means)
		return -1;
	for (size_t b = 0; b < BOOT_RESAMPLES; b++) {
		double sum = 0;

		for (size_t i = 0; i < n; i++) {
			/* an index uniform in [0, n): the high word of a 64x64 product */
			size_t k = (size_t)(((unsigned __int128)splitmix64(&state) * n) >> 64);

			sum += sorted[k];
		}
		means[b] = sum / (double)n;
	}
	qsort(means, BOOT_RESAMPLES, sizeof(*means), cmp_double);
	/* the ((B + 1) * 0.025)-th and ((B + 1) * 0.975)-th smallest, 1-based */
	*lo = means[(BOOT_RESAMPLES + 1) / 40 - 1];
	*hi = means[(BOOT_RESAMPLES + 1) * 39 / 40 - 1];
	free(means);
	/* a mean of values in [min, max] is in it, but for the last bit of rounding */
	if (*lo < sorted[0])
		*lo = sorted[0];
	if (*hi > sorted[n - 1])
		*hi = sorted[n - 1];
	return 0;
}

int ci95_mean(const double *v, size_t n, double *lo, double *hi)
{
	double *sorted;
	int ret;

	if (n < 2)
		return -1;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -1;
	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	ret = boot_mean(sorted, n, lo, hi);
	free(sorted);
	return ret;
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
	if (n >= 2) {
		s->stddev = sqrt(ss / (n - 1));
		s->has_stddev = true;
	}
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted) {
		s->min = s->max = s->median = s->mean;	/* not reached in practice */
		return;
	}
	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	if (n >= 2)
		s->has_ci = !boot_mean(sorted, n, &s->ci_lo, &s->ci_hi);
	free(sorted);
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

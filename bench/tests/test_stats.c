// SPDX-License-Identifier: GPL-2.0
/* test_stats.c - summaries and histogram percentiles. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tap.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

void test_stats_summary(void)
{
	const double v[] = { 9, 2, 5, 4, 4, 7, 4, 5 };	/* mean 5, SS 32 */
	const double one[] = { 42 };
	const double odd[] = { 3, 1, 2 };
	struct summary s;
	double sd = sqrt(32.0 / 7), half = 2.365 * sd / sqrt(8);

	summarize(v, 8, &s);
	CHECK(s.n == 8, "n %zu", s.n);
	CHECK(NEAR(s.mean, 5, 1e-12), "mean %g", s.mean);
	CHECK(s.has_stddev && NEAR(s.stddev, sd, 1e-12), "stddev %g want %g", s.stddev, sd);
	CHECK(s.min == 2 && s.max == 9 && s.median == 4.5, "min %g max %g median %g",
	      s.min, s.max, s.median);
	CHECK(s.has_ci && NEAR(s.ci_lo, 5 - half, 1e-9) && NEAR(s.ci_hi, 5 + half, 1e-9),
	      "ci [%g, %g] want 5 -+ %g", s.ci_lo, s.ci_hi, half);
	CHECK(NEAR(half, 1.78777, 1e-4), "half width %g", half);

	summarize(odd, 3, &s);
	CHECK(s.median == 2 && NEAR(s.stddev, 1, 1e-12), "odd median %g stddev %g", s.median, s.stddev);
	CHECK(NEAR(s.ci_hi - s.mean, 4.303 / sqrt(3), 1e-9), "df 2 CI");

	summarize(one, 1, &s);
	CHECK(s.n == 1 && s.mean == 42 && s.median == 42 && !s.has_stddev && !s.has_ci,
	      "n=1: no stddev, no CI");
	summarize(NULL, 0, &s);
	CHECK(s.n == 0 && !s.has_ci, "n=0");
}

void test_t_table(void)
{
	CHECK(t95(1) == 12.706, "df1 %g", t95(1));
	CHECK(t95(4) == 2.776, "df4 %g", t95(4));
	CHECK(t95(30) == 2.042, "df30 %g", t95(30));
	/* beyond the table: t(0.975) for df 40, 60, 120 from statistical tables */
	CHECK(fabs(t95(40) - 2.021) < 5e-4 && fabs(t95(60) - 2.000) < 5e-4 &&
	      fabs(t95(120) - 1.980) < 5e-4 && fabs(t95(100000) - 1.960) < 5e-4,
	      "df40 %g df60 %g df120 %g", t95(40), t95(60), t95(120));
	CHECK(isnan(t95(0)), "df0 is NaN");
	for (size_t df = 1; df < 31; df++)
		CHECK(t95(df) > t95(df + 1), "t table decreasing at df %zu", df);
}

void test_hist_buckets(void)
{
	uint64_t lo, hi, prev_hi = 0;

	CHECK(HIST_NBUCKETS == 128 + 57 * 64, "bucket count %d", (int)HIST_NBUCKETS);
	for (uint64_t v = 0; v < 128; v++)
		CHECK(hist_index(v) == v, "exact below 128: %llu", (unsigned long long)v);
	for (size_t i = 0; i < HIST_NBUCKETS; i++) {
		hist_bounds(i, &lo, &hi);
		CHECK(i == 0 || lo == prev_hi + 1, "contiguous at %zu", i);
		CHECK(hist_index(lo) == i && hist_index(hi) == i, "bounds of %zu", i);
		CHECK(i < HIST_EXACT || (double)(hi - lo + 1) <= lo / 64.0 + 1e-9,
		      "width of %zu", i);
		prev_hi = hi;
		if (tap_failed_checks > 5)
			break;
	}
	CHECK(prev_hi == UINT64_MAX, "covers uint64");
	CHECK(hist_index(UINT64_MAX) == HIST_NBUCKETS - 1, "max index");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static uint64_t exact_pct(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * n - 1e-9);

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

void test_hist_percentiles(void)
{
	static const double ps[] = { 0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100 };
	enum { N = 200000 };
	uint64_t *v = malloc(N * sizeof(*v));
	struct hist *h = malloc(sizeof(*h)), *h2 = malloc(sizeof(*h2));
	double worst = 0;

	if (!v || !h || !h2) {
		CHECK(0, "malloc");
		return;
	}
	/* heavy-tailed: fast touches, ~µs faults, rare ms outliers */
	srand(1);
	hist_init(h);
	for (size_t i = 0; i < N; i++) {
		double u = (rand() + 1.0) / ((double)RAND_MAX + 2.0);
		uint64_t x = (uint64_t)(50 * exp(8 * u * u * u)) + (i % 97 == 0 ? 3000000 : 0);

		v[i] = x;
		hist_add(h, x);
	}
	qsort(v, N, sizeof(*v), cmp_u64);
	for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
		uint64_t want = exact_pct(v, N, ps[k]), got = hist_percentile(h, ps[k]);
		double err = fabs((double)got - (double)want) / (double)want;

		if (err > worst)
			worst = err;
		CHECK(err <= HIST_REL_ERR, "p%g: got %llu want %llu (rel err %g > %g)", ps[k],
		      (unsigned long long)got, (unsigned long long)want, err, HIST_REL_ERR);
	}
	printf("# worst relative percentile error %.5f (bound %.5f)\n", worst, HIST_REL_ERR);
	CHECK(hist_percentile(h, 100) == v[N - 1] && hist_percentile(h, 0) == v[0], "exact min/max");
	CHECK(h->count == N, "count");

	/* uniform 1..1000, exact region and merge */
	hist_init(h);
	hist_init(h2);
	for (uint64_t i = 1; i <= 1000; i++)
		hist_add(i % 2 ? h : h2, i);
	hist_merge(h, h2);
	CHECK(h->count == 1000 && h->min == 1 && h->max == 1000, "merge");
	CHECK(hist_percentile(h, 10) == 100, "p10 exact region: %llu",
	      (unsigned long long)hist_percentile(h, 10));
	CHECK(fabs((double)hist_percentile(h, 50) - 500) <= 500 * HIST_REL_ERR, "p50 %llu",
	      (unsigned long long)hist_percentile(h, 50));
	hist_init(h2);
	CHECK(hist_percentile(h2, 50) == 0, "empty histogram");
	free(v);
	free(h);
	free(h2);
}

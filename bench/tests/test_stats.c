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
	const double same[] = { 7, 7, 7, 7 };
	struct summary s;
	double sd = sqrt(32.0 / 7);

	summarize(v, 8, &s);
	CHECK(s.n == 8, "n %zu", s.n);
	CHECK(NEAR(s.mean, 5, 1e-12), "mean %g", s.mean);
	CHECK(s.has_stddev && NEAR(s.stddev, sd, 1e-12), "stddev %g want %g", s.stddev, sd);
	CHECK(s.min == 2 && s.max == 9 && s.median == 4.5, "min %g max %g median %g",
	      s.min, s.max, s.median);
	/* bootstrap means of 8 values: sd of the mean 0.76, the interval about 5 -+ 1.5 */
	CHECK(s.has_ci && s.ci_lo < s.mean && s.mean < s.ci_hi && s.ci_lo > 3 && s.ci_hi < 7,
	      "ci [%g, %g] around the mean 5", s.ci_lo, s.ci_hi);

	summarize(odd, 3, &s);
	CHECK(s.median == 2 && NEAR(s.stddev, 1, 1e-12), "odd median %g stddev %g", s.median, s.stddev);
	CHECK(s.has_ci && s.ci_lo >= 1 && s.ci_hi <= 3, "n=3 ci [%g, %g]", s.ci_lo, s.ci_hi);

	summarize(same, 4, &s);
	CHECK(s.has_ci && s.ci_lo == 7 && s.ci_hi == 7 && s.stddev == 0, "identical values: ci [7, 7]");

	summarize(one, 1, &s);
	CHECK(s.n == 1 && s.mean == 42 && s.median == 42 && !s.has_stddev && !s.has_ci,
	      "n=1: no stddev, no CI");
	summarize(NULL, 0, &s);
	CHECK(s.n == 0 && !s.has_ci, "n=0");
}

/*
 * The populate reps (ms): a first touch of the emulated BAR and four
 * warm ones.  mean -+ t(4) * sd / sqrt(5) is [-830, 1901]: a negative time.
 */
void test_stats_ci_heavy_tail(void)
{
	const double pop[] = { 2503, 39, 42, 42, 50 };
	const double perm[] = { 42, 50, 2503, 42, 39 };
	const double tiny[] = { 3e-9, 1e-9, 2e-9, 9e-7 };
	struct summary s, s2;
	double lo, hi, t_lo;
	bool det = true;

	summarize(pop, 5, &s);
	t_lo = s.mean - 2.776 * s.stddev / sqrt(5);
	CHECK(t_lo < 0, "the data make Student t go negative (%g): the test can see it", t_lo);
	CHECK(s.has_ci && s.ci_lo >= s.min && s.ci_hi <= s.max,
	      "heavy tail: ci [%g, %g] within [min %g, max %g]", s.ci_lo, s.ci_hi, s.min, s.max);
	CHECK(s.ci_lo >= 0, "heavy tail: lower bound %g >= 0", s.ci_lo);
	CHECK(s.ci_lo < s.mean && s.mean < s.ci_hi, "heavy tail: the mean %g inside [%g, %g]",
	      s.mean, s.ci_lo, s.ci_hi);
	/* P(no resample draws the 2503) = 0.8^5 = 33%: the low end is a warm mean */
	CHECK(s.ci_lo < 50 && s.ci_hi > 1000, "heavy tail: skewed like the data [%g, %g]",
	      s.ci_lo, s.ci_hi);
	printf("# heavy tail 2503 39 42 42 50: mean %.1f, ci95 [%.1f, %.1f] (Student t [%.1f, %.1f])\n",
	      s.mean, s.ci_lo, s.ci_hi, t_lo, 2 * s.mean - t_lo);

	/*
	 * Deterministic: same values, same interval, whatever the order or the
	 * call.  Twelve spread values: their resample means take so many values
	 * that another seed moves the ends (five values with one outlier give
	 * few distinct means, and would hide a moving seed).
	 */
	{
		const double spread[] = { 1.0, 1.3, 2.1, 2.2, 3.7, 4.1, 5.9, 6.0, 7.3, 8.8, 9.1, 15.2 };
		const double rev[] = { 15.2, 9.1, 8.8, 7.3, 6.0, 5.9, 4.1, 3.7, 2.2, 2.1, 1.3, 1.0 };
		struct summary s1;

		summarize(spread, 12, &s1);
		for (int i = 0; i < 5; i++) {
			summarize(i % 2 ? rev : spread, 12, &s2);
			det &= s2.ci_lo == s1.ci_lo && s2.ci_hi == s1.ci_hi;
		}
		CHECK(det, "deterministic across calls and orders: [%.17g, %.17g] then [%.17g, %.17g]",
		      s1.ci_lo, s1.ci_hi, s2.ci_lo, s2.ci_hi);
		printf("# 12 spread values: mean %.4f, ci95 [%.4f, %.4f]\n", s1.mean, s1.ci_lo, s1.ci_hi);
	}
	for (int i = 0; i < 3; i++) {
		summarize(i % 2 ? perm : pop, 5, &s2);
		det &= s2.ci_lo == s.ci_lo && s2.ci_hi == s.ci_hi;
	}
	CHECK(det, "heavy tail: deterministic across calls and orders");
	CHECK(!ci95_mean(perm, 5, &lo, &hi) && lo == s.ci_lo && hi == s.ci_hi,
	      "ci95_mean() is summarize()'s interval");
	CHECK(ci95_mean(pop, 1, &lo, &hi) == -1, "ci95_mean: no interval of one value");

	/* positive data of any scale: never below 0, never outside the values */
	summarize(tiny, 4, &s);
	CHECK(s.has_ci && s.ci_lo > 0 && s.ci_lo >= s.min && s.ci_hi <= s.max,
	      "tiny positive values: ci [%g, %g]", s.ci_lo, s.ci_hi);
	for (int seed = 1; seed <= 200; seed++) {
		double x[12];
		uint64_t st = (uint64_t)seed;
		size_t n = 2 + seed % 11;

		for (size_t i = 0; i < n; i++)	/* log-normal-ish, with rare 100x outliers */
			x[i] = exp((double)(splitmix64(&st) >> 11) / 9007199254740992.0 * 3) *
			       (splitmix64(&st) % 10 ? 1 : 100);
		summarize(x, n, &s);
		CHECK(s.has_ci && s.ci_lo >= s.min && s.ci_hi <= s.max && s.ci_lo > 0 &&
		      s.ci_lo <= s.ci_hi, "random positive set %d (n %zu): ci [%g, %g] in [%g, %g]",
		      seed, n, s.ci_lo, s.ci_hi, s.min, s.max);
		if (tap_failed_checks)
			break;
	}
}

void test_splitmix64(void)
{
	/* reference outputs of splitmix64 from state 0 (Vigna's splitmix64.c) */
	uint64_t st = 0;
	uint64_t a = splitmix64(&st), b = splitmix64(&st);

	CHECK(a == 0xe220a8397b1dcdafULL && b == 0x6e789e6aa1b965f4ULL,
	      "splitmix64(0): %016llx %016llx", (unsigned long long)a, (unsigned long long)b);
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

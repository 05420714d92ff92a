// SPDX-License-Identifier: GPL-2.0
/*
 * fault.c - first-touch fault latency of a device mapping.
 *
 * Per strategy: open the device, select strategy/alignment/cache, then per
 * repetition: RESET_STATS, time mmap(), touch every 4K page once in ascending
 * order timing each access with the serialized TSC, attribute a touch to a
 * fault when the thread's ru_minflt advanced across it (read outside the
 * timed window), time munmap(), GET_STATS, and compare the counters with the
 * model of theory.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "device.h"
#include "fault.h"
#include "result.h"

#define ATTRIBUTION "getrusage(RUSAGE_THREAD).ru_minflt advanced between the reads bracketing the touch, outside the timed window"

struct fault_params {
	unsigned int madvise;
};

static struct fault_params fault_params;
static const char *const madvise_names[] = { "none", "hugepage", NULL };

static const struct opt fault_opts[] = {
	{ "madvise", OPT_ENUM, "none",
	  "madvise() the mapping before touching it (hugepage: MADV_HUGEPAGE, needed when THP enabled=madvise)",
	  madvise_names, offsetof(struct fault_params, madvise), 0, 0, 0 },
	{ NULL, 0, NULL, NULL, NULL, 0, 0, 0, 0 },
};

static const double pct[5] = { 50, 90, 99, 99.9, 100 };
static const char *const pct_metric[5] = {
	"fault_p50_ns", "fault_p90_ns", "fault_p99_ns", "fault_p999_ns", "fault_max_ns",
};

enum theory_thp thp_gate(const char *enabled, bool madvised)
{
	if (!strcmp(enabled, "always"))
		return THEORY_THP_ALLOW;
	if (!strcmp(enabled, "madvise"))
		return madvised ? THEORY_THP_ALLOW : THEORY_THP_DENY;
	if (!strcmp(enabled, "never"))
		return THEORY_THP_DENY;
	return THEORY_THP_UNKNOWN;
}

/* Cost of one empty timed window, in ticks: {min, median} of 1001 tries. */
static void timer_overhead(uint64_t *min, uint64_t *median)
{
	enum { N = 1001 };
	uint64_t d[N], t0, t1;

	for (int i = 0; i < N; i++) {
		t0 = tick_begin();
		t1 = tick_end();
		d[i] = t1 - t0;
	}
	for (int i = 1; i < N; i++)	/* insertion sort: small, once per run */
		for (int j = i; j > 0 && d[j - 1] > d[j]; j--) {
			uint64_t x = d[j];

			d[j] = d[j - 1];
			d[j - 1] = x;
		}
	*min = d[0];
	*median = d[N / 2];
}

/* ---------------------------------------------------------------- device */

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;
static void *volatile bus_addr;
static volatile int bus_sig;

static void on_fault_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (bus_armed) {
		bus_armed = 0;
		bus_addr = si->si_addr;
		bus_sig = sig;
		siglongjmp(bus_jmp, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

/* One access to the 64-bit word at base + off: a load, or a store of off. */
static inline __attribute__((always_inline)) void touch_page(volatile char *base, uint64_t off,
							     bool write)
{
	volatile uint64_t *p = (volatile uint64_t *)(base + off);
	uint64_t v;

	if (write) {
		*p = off;
	} else {
		v = *p;
		__asm__ __volatile__("" :: "r"(v));
	}
}

/* The measured loop; kept out of line so sigsetjmp() clobbers nothing in it. */
static __attribute__((noinline)) void touch_loop(volatile char *base, uint64_t len,
						bool write, struct hist *fh,
						struct hist *th, struct fault_rep *rep)
{
	long before = minflt(), after;

	for (uint64_t off = 0; off < len; off += SZ_4K) {
		uint64_t t0, t1;

		t0 = tick_begin();
		touch_page(base, off, write);
		/* rdtscp waits for a store to execute, not to complete */
		if (write)
			__asm__ __volatile__("mfence" ::: "memory");
		t1 = tick_end();
		after = minflt();
		if (after != before) {
			hist_add(fh, t1 - t0);
			rep->touch_faults++;
		} else {
			hist_add(th, t1 - t0);
		}
		rep->touch_ticks += t1 - t0;
		rep->touches++;
		before = after;
	}
}

/* The timed pass: nothing but the accesses between the two clock reads. */
static __attribute__((noinline)) void touch_bare(volatile char *base, uint64_t len, bool write)
{
	for (uint64_t off = 0; off < len; off += SZ_4K)
		touch_page(base, off, write);
}

/*
 * Touch [base, base + len) once per 4K page, bare (fh == NULL, the time of
 * the whole loop in *ticks) or instrumented; returns 0, or -1 on a signal.
 */
static int touch_all(volatile char *base, uint64_t len, bool write,
		     struct hist *fh, struct hist *th, struct fault_rep *rep, uint64_t *ticks)
{
	uint64_t t0, t1;

	if (sigsetjmp(bus_jmp, 1))
		return -1;
	bus_armed = 1;
	if (fh) {
		touch_loop(base, len, write, fh, th, rep);
	} else {
		t0 = tick_begin();
		touch_bare(base, len, write);
		if (write)
			__asm__ __volatile__("mfence" ::: "memory");
		t1 = tick_end();
		*ticks = t1 - t0;
	}
	bus_armed = 0;
	return 0;
}

/* Other mappings in the 2M/1G regions at either end of [va, va + len)? */
static void scan_neighbours(uint64_t va, uint64_t len, struct theory_in *tin)
{
	static char buf[1 << 16];
	static const uint64_t sz[BENCH_MMIO_NR_LEVELS] = { SZ_4K, SZ_2M, SZ_1G };
	char carry[128] = "";
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	uint64_t end = va + len;
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		char *line = buf, *nl;

		buf[n] = '\0';
		while ((nl = strchr(line, '\n'))) {
			unsigned long long s, e;
			char tmp[sizeof(carry) + 64];

			*nl = '\0';
			snprintf(tmp, sizeof(tmp), "%s%.63s", carry, line);
			carry[0] = '\0';
			line = nl + 1;
			if (sscanf(tmp, "%llx-%llx", &s, &e) != 2 || (s < end && e > va))
				continue;	/* ours (or unparsable) */
			for (int l = BENCH_MMIO_LEVEL_PMD; l < BENCH_MMIO_NR_LEVELS; l++) {
				uint64_t lo = va & ~(sz[l] - 1);
				uint64_t hi = (end + sz[l] - 1) & ~(sz[l] - 1);

				if (s < va && e > lo)
					tin->busy_lo[l] = true;
				if (s < hi && e > end)
					tin->busy_hi[l] = true;
			}
		}
		snprintf(carry, sizeof(carry), "%.*s", (int)(sizeof(carry) - 1), line);
	}
	close(fd);
}

static void percentiles(const struct hist *fh, const struct hist *th, struct fault_rep *rep)
{
	rep->fault_count = fh->count;
	for (int i = 0; i < 5; i++)
		rep->fault_p[i] = hist_percentile(fh, pct[i]);
	rep->touch_count = th->count;
	rep->touch_p50 = hist_percentile(th, 50);
}

static int setup(struct fault_run *r, int fd, const struct common_params *p)
{
	static const struct { unsigned long req; const char *name; } set[3] = {
		{ BENCH_MMIO_SET_STRATEGY, "SET_STRATEGY" },
		{ BENCH_MMIO_SET_ALIGN, "SET_ALIGN" },
		{ BENCH_MMIO_SET_CACHE, "SET_CACHE" },
	};
	const uint64_t val[3] = { r->strategy, p->align, p->cache };

	for (int i = 0; i < 3; i++) {
		int ret = dev_set(fd, set[i].req, val[i]);

		if (!ret)
			continue;
		r->status = ret == -EOPNOTSUPP ? RUN_SKIP : RUN_FAIL;
		snprintf(r->reason, sizeof(r->reason), "%s(%llu): %s%s", set[i].name,
			 (unsigned long long)val[i], strerror(-ret),
			 ret == -EOPNOTSUPP ? " (not offered by this module/kernel)" : "");
		return -1;
	}
	return 0;
}

/*
 * One pass of repetition @i over a fresh mapping: the timed pass when @fh is
 * NULL, else the instrumented one (see struct fault_rep).  Returns 0, or -1
 * with r->status and r->reason set.
 */
static int one_pass(struct fault_run *r, int fd, const struct common_params *p,
		    struct fault_rep *rep, unsigned int i, struct hist *fh, struct hist *th)
{
	struct bench_mmio_stats *st = fh ? &rep->st_lat : &rep->st;
	volatile char *map;
	uint64_t t0, t1, populate = 0;

	if (ioctl(fd, BENCH_MMIO_RESET_STATS)) {
		r->status = RUN_FAIL;
		snprintf(r->reason, sizeof(r->reason), "RESET_STATS: %s", strerror(errno));
		return -1;
	}
	t0 = tick_begin();
	map = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, p->offset);
	t1 = tick_end();
	if (map == MAP_FAILED) {
		r->status = RUN_FAIL;
		snprintf(r->reason, sizeof(r->reason), "mmap(size=%llu, offset=%llu): %s",
			 (unsigned long long)p->size, (unsigned long long)p->offset,
			 strerror(errno));
		return -1;
	}
	if (fh) {
		rep->lat_va = (uintptr_t)map;
	} else {
		rep->mmap_ticks = t1 - t0;
		rep->va = (uintptr_t)map;
	}
	if (fault_params.madvise == 1) {
		r->madvised = !madvise((void *)map, p->size, MADV_HUGEPAGE);
		if (!r->madvised)
			snprintf(r->madvise_error, sizeof(r->madvise_error),
				 "madvise(MADV_HUGEPAGE): %s", strerror(errno));
	}

	if (touch_all(map, p->size, p->access == ACCESS_WRITE, fh, th, rep, &populate)) {
		r->status = RUN_FAIL;
		snprintf(r->reason, sizeof(r->reason),
			 "%s at %p (offset 0x%llx of the mapping) in rep %u (%s pass)",
			 bus_sig == SIGBUS ? "SIGBUS" : "SIGSEGV", bus_addr,
			 (unsigned long long)((char *)bus_addr - (char *)map), i,
			 fh ? "instrumented" : "timed");
		munmap((void *)map, p->size);
		return -1;
	}

	t0 = tick_begin();
	munmap((void *)map, p->size);
	t1 = tick_end();
	if (!fh) {
		rep->populate_ticks = populate;
		rep->munmap_ticks = t1 - t0;
	}

	if (ioctl(fd, BENCH_MMIO_GET_STATS, st)) {
		r->status = RUN_FAIL;
		snprintf(r->reason, sizeof(r->reason), "GET_STATS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void measure(struct fault_run *r, const struct bench_ctx *ctx, struct hist *fh,
		    struct hist *th)
{
	const struct common_params *p = ctx->p;
	const char *sname = strategy_names[r->strategy];
	uint64_t t_start = now_ns();
	struct sigaction sa = { .sa_sigaction = on_fault_signal, .sa_flags = SA_SIGINFO };
	char err[256];
	int fd;

	if (!(ctx->info->strategies & (1ULL << r->strategy))) {
		r->status = RUN_SKIP;
		snprintf(r->reason, sizeof(r->reason),
			 "strategy %s not offered by the module (info.strategies=0x%llx)",
			 sname, (unsigned long long)ctx->info->strategies);
		return;
	}
	fd = dev_open(p->device, err, sizeof(err));
	if (fd < 0) {
		r->status = RUN_FAIL;
		snprintf(r->reason, sizeof(r->reason), "%s", err);
		return;
	}
	if (setup(r, fd, p))
		goto out;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	for (unsigned int i = 0; i < r->nreps; i++) {
		struct fault_rep *rep = &r->reps[i];

		hist_init(fh);
		hist_init(th);
		if (one_pass(r, fd, p, rep, i, NULL, NULL) ||
		    one_pass(r, fd, p, rep, i, fh, th))
			break;
		percentiles(fh, th, rep);
		hist_merge(&r->fault_hist, fh);
		hist_merge(&r->touch_hist, th);
		if (i == 0)
			scan_neighbours(rep->va, p->size, &r->tin);
		r->done++;
		if (!p->quiet && now_ns() - t_start > 2000000000ULL)
			fprintf(stderr, "fault: %s rep %u/%u: mmap %.1f us, populate %.1f ms, %llu faults\n",
				sname, i + 1, r->nreps, rep->mmap_ticks * 1e6 / ctx->tsc->hz,
				rep->populate_ticks * 1e3 / ctx->tsc->hz,
				(unsigned long long)(rep->st.faults[0] + rep->st.faults[1] + rep->st.faults[2]));
	}
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
out:
	close(fd);
}

/* ------------------------------------------------------------------ JSON */

static json_t *counts_json(const struct theory_out *o)
{
	return json_pack("{sI sI sI sI sI}",
			 "pte", (json_int_t)o->faults[BENCH_MMIO_LEVEL_PTE],
			 "pmd", (json_int_t)o->faults[BENCH_MMIO_LEVEL_PMD],
			 "pud", (json_int_t)o->faults[BENCH_MMIO_LEVEL_PUD],
			 "fallback", (json_int_t)o->fallback, "pages", (json_int_t)o->pages);
}

static void measured_out(const struct bench_mmio_stats *st, struct theory_out *o)
{
	memset(o, 0, sizeof(*o));
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++) {
		o->faults[l] = st->faults[l];
		o->fallbacks[l] = st->fallbacks[l];
		o->fallback += st->fallbacks[l];
	}
	o->pages = st->pages;
}

static json_t *hist_json(const struct hist *h, double ns_per_tick)
{
	json_t *b = json_array();

	for (size_t i = 0; i < HIST_NBUCKETS; i++) {
		uint64_t lo, hi;

		if (!h->bucket[i])
			continue;
		hist_bounds(i, &lo, &hi);
		json_array_append_new(b, json_pack("[ffI]", lo * ns_per_tick, (hi + 1) * ns_per_tick,
						   (json_int_t)h->bucket[i]));
	}
	return json_pack("{sI so? so? so}", "count", (json_int_t)h->count,
			 "min_ns", h->count ? json_real(h->min * ns_per_tick) : NULL,
			 "max_ns", h->count ? json_real(h->max * ns_per_tick) : NULL,
			 "buckets", b);
}

static json_t *check_json(const struct fault_run *r, const struct thp_state *thp,
			  const struct common_params *p, bool *mismatch)
{
	struct theory_out exp, got;
	char why[1024];
	json_t *c;

	*mismatch = false;
	if (theory_expect(&r->tin, &exp))
		return json_pack("{ss so so ss}", "status", "mismatch", "expected", json_null(),
				 "measured", json_null(), "explanation", "no model for this strategy");
	measured_out(&r->reps[0].st, &got);
	*mismatch = memcmp(exp.faults, got.faults, sizeof(exp.faults)) ||
		    exp.fallback != got.fallback || exp.pages != got.pages;
	if (*mismatch)
		theory_explain(&r->tin, &exp, &got, thp->enabled, align_names[p->align],
			       why, sizeof(why));
	c = json_pack("{ss so so}", "status", *mismatch ? "mismatch" : "ok",
		      "expected", counts_json(&exp), "measured", counts_json(&got));
	json_object_set_new(c, "explanation", *mismatch ? json_string(why) : json_null());
	json_object_set_new(c, "expected_fallbacks",
			    json_pack("{sI sI sI}", "pte", (json_int_t)exp.fallbacks[0],
				      "pmd", (json_int_t)exp.fallbacks[1],
				      "pud", (json_int_t)exp.fallbacks[2]));
	json_object_set_new(c, "model",
			    json_pack("{ss ss sb sb sb sb}",
				      "max_level", level_names[r->tin.max_level < BENCH_MMIO_NR_LEVELS ? r->tin.max_level : 0],
				      "thp", r->tin.thp == THEORY_THP_ALLOW ? "allow" :
					     r->tin.thp == THEORY_THP_DENY ? "deny" : "unknown",
				      "pmd_lo_shared", r->tin.busy_lo[1], "pmd_hi_shared", r->tin.busy_hi[1],
				      "pud_lo_shared", r->tin.busy_lo[2], "pud_hi_shared", r->tin.busy_hi[2]));
	return c;
}

json_t *fault_run_to_json(const struct fault_run *r, const struct common_params *p,
			  const struct tsc_info *tsc, const struct thp_state *thp,
			  const struct bench_mmio_info *info)
{
	static const char *const st_names[] = { "ok", "skip", "fail" };
	double tick_ns = 1e9 / tsc->hz;
	unsigned int n = r->done;
	json_t *run, *m, *per_rep = json_array();
	bool identical = true, mismatch;
	uint64_t ovh_min, ovh_med;
	double *v = calloc(n ? n : 1, sizeof(*v));
	bool *valid = calloc(n ? n : 1, sizeof(*valid));
	uint64_t phys = info->phys_base + p->offset;

	run = json_pack("{ss ss s{sI sI ss ss sI ss ss} ss ss?}",
			"bench", "fault", "strategy", strategy_names[r->strategy],
			"params", "size_bytes", (json_int_t)p->size, "offset", (json_int_t)p->offset,
			"align", align_names[p->align], "access", access_names[p->access],
			"reps", (json_int_t)p->reps, "cache", cache_names[p->cache],
			"madvise", madvise_names[fault_params.madvise],
			"status", st_names[r->status],
			"reason", r->status == RUN_OK ? NULL : r->reason);
	json_object_set_new(run, "reps_completed", json_integer(n));
	if (!n || !v || !valid || r->status == RUN_SKIP)
		goto out;

	json_object_set_new(run, "mapping",
			    json_pack("{sI sI sI sI}", "va", (json_int_t)r->reps[0].va,
				      "va_align", (json_int_t)addr_align(r->reps[0].va),
				      "phys", (json_int_t)phys, "phys_align", (json_int_t)addr_align(phys)));
	for (unsigned int i = 0; i < n; i++) {
		const struct bench_mmio_stats *a = &r->reps[0].st, *b = &r->reps[i].st;
		struct theory_out o;

		if (memcmp(a->faults, b->faults, sizeof(a->faults)) ||
		    memcmp(a->fallbacks, b->fallbacks, sizeof(a->fallbacks)) || a->pages != b->pages)
			identical = false;
		measured_out(b, &o);
		json_array_append_new(per_rep, counts_json(&o));
		if (r->reps[i].va != r->reps[0].va)
			json_object_set_new(json_object_get(run, "mapping"), "va_changed", json_true());
	}
	{
		struct theory_out o;

		measured_out(&r->reps[0].st, &o);
		json_object_set_new(run, "faults", counts_json(&o));
		json_object_set_new(run, "fallbacks",
				    json_pack("{sI sI sI}", "pte", (json_int_t)o.fallbacks[0],
					      "pmd", (json_int_t)o.fallbacks[1],
					      "pud", (json_int_t)o.fallbacks[2]));
		json_object_set_new(run, "module_stats",
				    json_pack("{sI sI sI}", "sigbus", (json_int_t)r->reps[0].st.sigbus,
					      "mmaps", (json_int_t)r->reps[0].st.mmaps,
					      "insert_errors", (json_int_t)r->reps[0].st.insert_errors));
	}
	{
		bool consistent = true;

		bool passes_agree = true;

		for (unsigned int i = 0; i < n; i++) {
			const struct bench_mmio_stats *a = &r->reps[i].st, *b = &r->reps[i].st_lat;

			if (r->reps[i].touch_faults != b->faults[0] + b->faults[1] + b->faults[2])
				consistent = false;
			if (memcmp(a->faults, b->faults, sizeof(a->faults)) ||
			    memcmp(a->fallbacks, b->fallbacks, sizeof(a->fallbacks)) ||
			    a->pages != b->pages)
				passes_agree = false;
		}
		json_object_set_new(run, "attribution",
				    json_pack("{sI sI sb sb}",
					      "touch_faults", (json_int_t)r->reps[0].touch_faults,
					      "module_faults", (json_int_t)(r->reps[0].st_lat.faults[0] +
						r->reps[0].st_lat.faults[1] + r->reps[0].st_lat.faults[2]),
					      "consistent", consistent,
					      "passes_agree", passes_agree));
	}
	json_object_set_new(run, "faults_identical", json_boolean(identical));
	if (!identical)
		json_object_set_new(run, "faults_per_rep", json_incref(per_rep));
	json_object_set_new(run, "check", check_json(r, thp, p, &mismatch));
	timer_overhead(&ovh_min, &ovh_med);
	json_object_set_new(run, "latency_method",
			    json_pack("{ss ss sf ss ss s{sfsfss}}", "timer", tsc->read_method,
				      "calibration", tsc->method, "tsc_hz", tsc->hz,
				      "fault_attribution", ATTRIBUTION,
				      "passes", "each repetition maps the range twice: mmap_ns, populate_ns (the whole bare touch loop) and munmap_ns come from an uninstrumented pass; per-touch latencies and touch_total_ns (the sum of the timed touches) from a second, instrumented pass over a fresh mapping; attribution.passes_agree says whether both passes saw the same counters; a getrusage() system call runs between two timed touches, so each is timed right after a kernel entry and exit; a percentile is null below 100/(100-p) samples",
				      "timer_overhead_ns", "min", ovh_min * tick_ns, "median", ovh_med * tick_ns,
				      "note", "the cost of an empty timed window; included in, not subtracted from, every latency"));
	if (r->madvise_error[0])
		json_object_set_new(run, "madvise_error", json_string(r->madvise_error));

	m = json_object();
#define PER_REP(expr) do { for (unsigned int i = 0; i < n; i++) { \
	const struct fault_rep *rep = &r->reps[i]; (void)rep; v[i] = (expr); valid[i] = true; } } while (0)
	PER_REP(rep->mmap_ticks * tick_ns);
	json_object_set_new(m, "mmap_ns", metric_json("ns", "lower", v, NULL, n));
	PER_REP(rep->populate_ticks * tick_ns);
	json_object_set_new(m, "populate_ns", metric_json("ns", "lower", v, NULL, n));
	PER_REP(rep->munmap_ticks * tick_ns);
	json_object_set_new(m, "munmap_ns", metric_json("ns", "lower", v, NULL, n));
	for (int k = 0; k < 5; k++) {
		/* a p-th percentile needs 100 / (100 - p) samples: else null */
		double need = pct[k] < 100 ? 100 / (100 - pct[k]) - 1e-9 : 1;

		PER_REP(rep->fault_p[k] * tick_ns);
		for (unsigned int i = 0; i < n; i++)
			valid[i] = r->reps[i].fault_count >= need;
		json_object_set_new(m, pct_metric[k], metric_json("ns", "lower", v, valid, n));
	}
	PER_REP((double)(rep->st.faults[0] + rep->st.faults[1] + rep->st.faults[2]));
	json_object_set_new(m, "faults_per_rep", metric_json("count", "lower", v, NULL, n));
	PER_REP(rep->touch_p50 * tick_ns);
	for (unsigned int i = 0; i < n; i++)
		valid[i] = r->reps[i].touch_count > 0;
	json_object_set_new(m, "touch_p50_ns", metric_json("ns", "lower", v, valid, n));
	PER_REP(rep->touch_ticks * tick_ns);
	json_object_set_new(m, "touch_total_ns", metric_json("ns", "lower", v, NULL, n));
	PER_REP((double)rep->touch_faults);
	json_object_set_new(m, "touch_faults", metric_json("count", "lower", v, NULL, n));
#undef PER_REP
	json_object_set_new(run, "metrics", m);
	json_object_set_new(run, "latency_histograms",
			    json_pack("{ss sf so so}",
				      "scheme", "log-linear over TSC ticks: exact below 128 ticks, then 64 linear sub-buckets per power of two; buckets [lo_ns, hi_ns) count, merged over reps",
				      "ns_per_tick", tick_ns,
				      "fault", hist_json(&r->fault_hist, tick_ns),
				      "touch", hist_json(&r->touch_hist, tick_ns)));
out:
	json_decref(per_rep);
	free(v);
	free(valid);
	return run;
}

/* ------------------------------------------------------------------ run */

static int fault_run(struct bench_ctx *ctx)
{
	const struct common_params *p = ctx->p;
	struct hist *fh = malloc(sizeof(*fh)), *th = malloc(sizeof(*th));
	int failed = 0;

	if (!fh || !th) {
		fprintf(stderr, "fault: out of memory\n");
		free(fh);
		free(th);
		return -1;
	}
	/* pre-fault the working histograms: no minor fault inside the loop */
	memset(fh, 0, sizeof(*fh));
	memset(th, 0, sizeof(*th));
	minflt();

	for (unsigned int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++) {
		struct fault_run *r;
		bool mismatch = false;
		json_t *run, *check;

		if (!(p->strategies & (1ULL << s)))
			continue;
		r = calloc(1, sizeof(*r));
		if (!r || !(r->reps = calloc(p->reps, sizeof(*r->reps)))) {
			fprintf(stderr, "fault: out of memory\n");
			free(r);
			failed++;
			break;
		}
		r->strategy = s;
		r->nreps = p->reps;
		measure(r, ctx, fh, th);
		if (r->status == RUN_OK && r->done != r->nreps)
			r->status = RUN_FAIL;
		r->tin.strategy = s;
		r->tin.va = r->reps[0].va;
		r->tin.length = p->size;
		r->tin.phys = ctx->info->phys_base + p->offset;
		r->tin.max_level = ctx->info->max_level[s];
		r->tin.caps = ctx->info->caps;
		/* What the kernel answered beats what the setting suggests. */
		r->tin.thp = ctx->thp->gates_pfnmap == 0 ? THEORY_THP_ALLOW :
			     thp_gate(ctx->thp->enabled, r->madvised);

		run = fault_run_to_json(r, p, ctx->tsc, ctx->thp, ctx->info);
		check = json_object_get(run, "check");
		if (check && !strcmp(json_string_value(json_object_get(check, "status")), "mismatch"))
			mismatch = true;
		if (json_is_false(json_object_get(json_object_get(run, "attribution"), "passes_agree")))
			fprintf(stderr, "fault: %s: warning: the timed and the instrumented pass saw different counters; see runs[].attribution\n",
				strategy_names[s]);
		if (json_is_false(json_object_get(json_object_get(run, "attribution"), "consistent")))
			fprintf(stderr, "fault: %s: warning: touches attributed to faults (ru_minflt) differ from the module's fault count; see runs[].attribution\n",
				strategy_names[s]);
		if (r->status == RUN_FAIL) {
			fprintf(stderr, "fault: %s: FAILED: %s\n", strategy_names[s], r->reason);
			failed++;
		} else if (r->status == RUN_SKIP) {
			fprintf(stderr, "fault: %s: skipped: %s\n", strategy_names[s], r->reason);
		} else if (mismatch) {
			fprintf(stderr, "fault: %s: warning: counters differ from the model: %s\n",
				strategy_names[s],
				json_string_value(json_object_get(check, "explanation")));
		} else if (!p->quiet) {
			json_t *ms = json_object_get(run, "metrics");
			json_t *med = json_object_get(json_object_get(ms, "fault_p50_ns"), "median");
			json_t *max = json_object_get(json_object_get(ms, "fault_max_ns"), "median");
			json_t *f = json_object_get(run, "faults");
			char p50[48] = "no faults";

			/* one fault per repetition has a maximum but no median */
			if (json_is_number(med))
				snprintf(p50, sizeof(p50), "median fault p50 %.0f ns", json_number_value(med));
			else if (json_is_number(max))
				snprintf(p50, sizeof(p50), "median fault max %.0f ns", json_number_value(max));
			fprintf(stderr, "fault: %s: ok, %u reps, faults pte=%lld pmd=%lld pud=%lld fallback=%lld, %s\n",
				strategy_names[s], r->done,
				json_integer_value(json_object_get(f, "pte")),
				json_integer_value(json_object_get(f, "pmd")),
				json_integer_value(json_object_get(f, "pud")),
				json_integer_value(json_object_get(f, "fallback")), p50);
		}
		if (r->status == RUN_OK && (s == BENCH_MMIO_STRATEGY_PMD || s == BENCH_MMIO_STRATEGY_PUD) &&
		    !(ctx->info->caps & (BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CORE_PUD)))
			fprintf(stderr, "fault: %s: note: this kernel cannot deliver huge pfnmap faults (its core mm never calls ->huge_fault on VM_PFNMAP): %s maps with 4K PTEs through ->fault\n",
				strategy_names[s], strategy_names[s]);
		json_array_append_new(ctx->runs, run);
		free(r->reps);
		free(r);
	}
	free(fh);
	free(th);
	return failed;
}

const struct benchmark bench_fault = {
	.name = "fault",
	.help = "first-touch fault latency, mmap/munmap cost and fault counters per strategy",
	.opts = fault_opts,
	.params = &fault_params,
	.run = fault_run,
};

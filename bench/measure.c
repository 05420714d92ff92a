// SPDX-License-Identifier: GPL-2.0
/* measure.c - the measurement core (see measure.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "device.h"
#include "measure.h"
#include "result.h"
#include "theory.h"

const char *const run_status_names[] = { "ok", "skip", "fail", NULL };
const double pct[NR_PCT] = { 50, 90, 99, 99.9, 100 };
static const char *const pct_metric[NR_PCT] = {
	"fault_p50_ns", "fault_p90_ns", "fault_p99_ns", "fault_p999_ns", "fault_max_ns",
};

void timer_overhead(uint64_t *min, uint64_t *median)
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

/* ------------------------------------------------------- SIGBUS/SIGSEGV */

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

void reason_prefix(char *reason, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix) + 2, rlen = strnlen(reason, len);

	if (!len)
		return;
	if (plen >= len) {
		snprintf(reason, len, "%s", prefix);
		return;
	}
	if (rlen > len - 1 - plen)
		rlen = len - 1 - plen;
	memmove(reason + plen, reason, rlen);
	memcpy(reason, prefix, plen - 2);
	memcpy(reason + plen - 2, ": ", 2);
	reason[plen + rlen] = '\0';
}

void measure_init(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault_signal, .sa_flags = SA_SIGINFO };
	struct rusage ru;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	getrusage(RUSAGE_THREAD, &ru);
	/*
	 * Make every page we have present (text, data, stack, heap), so that
	 * the counters of a pass count the target's faults only: a first call
	 * of the touch loop would otherwise fault its own text page in.
	 * Unlocked at once: locking is not the point, and MCL_FUTURE would
	 * populate the benchmark's mappings at mmap.
	 */
	if (!mlockall(MCL_CURRENT))
		munlockall();
}

/* ------------------------------------------------------------ the loops */

static inline __attribute__((always_inline)) long minflt(void)
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

/* Fault count now: plain loads of the statistics mapping, or getrusage(). */
static inline __attribute__((always_inline)) uint64_t fault_probe(const struct target_state *ts,
								  bool stats)
{
	return stats ? dev_stats_faults(ts->slots, ts->nslots) : (uint64_t)minflt();
}

static inline __attribute__((always_inline)) void
touch_timed(const struct target_state *ts, bool stats, volatile char *base, uint64_t len,
	    bool write, struct hist *fh, struct hist *th, struct pass *ps)
{
	uint64_t before = fault_probe(ts, stats), after;

	for (uint64_t off = 0; off < len; off += SZ_4K) {
		uint64_t t0, t1;

		t0 = tick_begin();
		touch_page(base, off, write);
		/* rdtscp waits for a store to execute, not to complete (mfence;
		 * dsb sy on arm64) */
		if (write)
			store_fence();
		t1 = tick_end();
		after = fault_probe(ts, stats);
		if (after != before) {
			hist_add(fh, t1 - t0);
			ps->touch_faults++;
		} else {
			hist_add(th, t1 - t0);
		}
		ps->touch_ticks += t1 - t0;
		ps->touches++;
		before = after;
	}
}

/* The instrumented loop, one copy per attribution method; out of line so
 * that sigsetjmp() clobbers nothing in it. */
static __attribute__((noinline)) void touch_each(const struct target_state *ts,
						 volatile char *base, uint64_t len, bool write,
						 struct hist *fh, struct hist *th, struct pass *ps)
{
	if (ts->attr == ATTR_STATS_PAGE)
		touch_timed(ts, true, base, len, write, fh, th, ps);
	else
		touch_timed(ts, false, base, len, write, fh, th, ps);
}

/* The timed pass: nothing but the accesses between the two clock reads. */
static __attribute__((noinline)) uint64_t touch_bare(volatile char *base, uint64_t len, bool write)
{
	uint64_t t0, t1;

	t0 = tick_begin();
	for (uint64_t off = 0; off < len; off += SZ_4K)
		touch_page(base, off, write);
	if (write)
		store_fence();
	t1 = tick_end();
	return t1 - t0;
}

static int touch_all(const struct target_state *ts, volatile char *base,
		     const struct pass_req *req, struct pass *ps)
{
	if (sigsetjmp(bus_jmp, 1))
		return -1;
	bus_armed = 1;
	if (req->fh)
		touch_each(ts, base, req->len, req->write, req->fh, req->th, ps);
	else
		ps->populate_ticks = touch_bare(base, req->len, req->write);
	bus_armed = 0;
	return 0;
}

int measure_map(struct target_state *ts, const struct pass_req *req, struct pass *out,
		volatile char **mapp, const char *what, char *reason, size_t len)
{
	const struct target *t = ts->t;
	uint64_t hint = target_place(ts, req->len), t0, t1;
	volatile char *map = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	*mapp = NULL;
	ret = t->counters_reset(ts);
	if (ret) {
		snprintf(reason, len, "%s: resetting the counters: %s", what, strerror(-ret));
		return -1;
	}
	t0 = tick_begin();
	ret = t->map(ts, hint, req->len, &map);
	t1 = tick_end();
	if (ret) {
		snprintf(reason, len, "%s: mmap(size=%llu%s): %s", what,
			 (unsigned long long)req->len, t->kind == TARGET_PFNMAP ? ", MAP_SHARED of the device" : "",
			 strerror(-ret));
		return -1;
	}
	out->mmap_ticks = t1 - t0;
	out->va = (uintptr_t)map;
	if (t->advice && madvise((void *)map, req->len, t->advice))
		out->advice_error = -errno;
	if (req->advice && madvise((void *)map, req->len, req->advice))
		out->advice_error = -errno;

	if (!req->no_touch && touch_all(ts, map, req, out)) {
		snprintf(reason, len, "%s at %p (offset 0x%llx of the mapping) in %s",
			 bus_sig == SIGBUS ? "SIGBUS" : "SIGSEGV", bus_addr,
			 (unsigned long long)((char *)bus_addr - (char *)map), what);
		t->unmap(ts, map, req->len);
		return -1;
	}
	ret = t->counters_read(ts, &out->c);
	if (!ret)
		out->ps_error = t->page_sizes(ts, map, req->len, &out->c, &out->ps);
	if (ret) {
		snprintf(reason, len, "%s: reading the counters: %s", what, strerror(-ret));
		t->unmap(ts, map, req->len);
		return -1;
	}
	*mapp = map;
	return 0;
}

int measure_touch(struct target_state *ts, volatile char *map, const struct pass_req *req,
		  struct pass *out, const char *what, char *reason, size_t len)
{
	struct pass_req bare = *req;
	int ret;

	bare.fh = bare.th = NULL;
	out->populate_ticks = 0;
	ret = ts->t->counters_reset(ts);
	if (ret) {
		snprintf(reason, len, "%s: resetting the counters: %s", what, strerror(-ret));
		return -1;
	}
	if (touch_all(ts, map, &bare, out)) {
		snprintf(reason, len, "%s at %p (offset 0x%llx of the mapping) in %s",
			 bus_sig == SIGBUS ? "SIGBUS" : "SIGSEGV", bus_addr,
			 (unsigned long long)((char *)bus_addr - (char *)map), what);
		return -1;
	}
	ret = ts->t->counters_read(ts, &out->c);
	if (ret) {
		snprintf(reason, len, "%s: reading the counters: %s", what, strerror(-ret));
		return -1;
	}
	return 0;
}

int measure_pass(struct target_state *ts, const struct pass_req *req, struct pass *out,
		 const char *what, char *reason, size_t len)
{
	volatile char *map;
	uint64_t t0, t1;

	if (measure_map(ts, req, out, &map, what, reason, len))
		return -1;
	t0 = tick_begin();
	ts->t->unmap(ts, map, req->len);
	t1 = tick_end();
	out->munmap_ticks = t1 - t0;
	return 0;
}

int measure_guarded(void (*fn)(void *), void *arg, volatile char *map, const char *what,
		    char *reason, size_t len)
{
	if (sigsetjmp(bus_jmp, 1)) {
		snprintf(reason, len, "%s at %p (offset 0x%llx of the mapping) in %s",
			 bus_sig == SIGBUS ? "SIGBUS" : "SIGSEGV", bus_addr,
			 (unsigned long long)((char *)bus_addr - (char *)map), what);
		return -1;
	}
	bus_armed = 1;
	fn(arg);
	bus_armed = 0;
	return 0;
}

void measure_percentiles(const struct hist *fh, const struct hist *th, struct rep *rep)
{
	rep->fault_count = fh->count;
	for (int i = 0; i < NR_PCT; i++)
		rep->fault_p[i] = hist_percentile(fh, pct[i]);
	rep->touch_count = th->count;
	rep->touch_p50 = hist_percentile(th, 50);
}

/* ------------------------------------------------------------------ JSON */

json_t *hist_json(const struct hist *h, double ns_per_tick)
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

json_t *page_sizes_json(const struct page_sizes *ps, uint64_t asked, const char *source)
{
	bool mixed;
	uint64_t got = page_size_obtained(ps, &mixed);
	json_t *o = json_pack("{sI so sb ss s{sI sI sI}}",
			      "asked", (json_int_t)asked,
			      "obtained", ps->known ? json_integer((json_int_t)got) : json_null(),
			      "mixed", mixed, "source", source,
			      "bytes", "4096", (json_int_t)ps->bytes[PS_4K],
			      "2097152", (json_int_t)ps->bytes[PS_2M],
			      "1073741824", (json_int_t)ps->bytes[PS_1G]);

	if (!strcmp(source, "smaps"))
		json_object_set_new(o, "smaps",
				    json_pack("{sI sI sI sI}",
					      "kernel_page_size", (json_int_t)ps->kernel_page_size,
					      "rss", (json_int_t)ps->rss,
					      "anon_huge_pages", (json_int_t)ps->anon_huge,
					      "hugetlb", (json_int_t)ps->hugetlb));
	return o;
}

const char *attribution_text(enum attribution a)
{
	return a == ATTR_STATS_PAGE ?
		"stats_page: the sum over slots of faults[] in the module's read-only statistics mapping changed across the touch (plain loads, read outside the timed window)" :
		"getrusage: getrusage(RUSAGE_THREAD).ru_minflt advanced between the reads bracketing the touch, outside the timed window";
}

json_t *latency_method_json(const struct tsc_info *tsc, enum attribution attr,
			    unsigned int nslots, const char *attr_note)
{
	double tick_ns = 1e9 / tsc->hz;
	uint64_t ovh_min, ovh_med;
	char passes[1024];
	json_t *o;

	timer_overhead(&ovh_min, &ovh_med);
	snprintf(passes, sizeof(passes),
		 "each repetition maps the range twice: mmap_ns, populate_ns (the whole bare touch loop) and munmap_ns come from an uninstrumented pass; per-touch latencies and touch_total_ns (the sum of the timed touches) from a second, instrumented pass over a fresh mapping; attribution.passes_agree says whether both passes saw the same counters; %s; a percentile is null below 100/(100-p) samples",
		 attr == ATTR_STATS_PAGE ?
		 "between two timed touches the benchmark only loads the statistics mapping (no system call), so a touch is timed right after plain loads of the counters" :
		 "a getrusage() system call runs between two timed touches, so each is timed right after a kernel entry and exit");
	o = json_pack("{ss ss sf ss ss ss s{sfsfss}}", "timer", tsc->read_method,
		      "calibration", tsc->method, "tsc_hz", tsc->hz,
		      "fault_attribution", attribution_text(attr),
		      "attribution", attr == ATTR_STATS_PAGE ? "stats_page" : "getrusage",
		      "passes", passes,
		      "timer_overhead_ns", "min", ovh_min * tick_ns, "median", ovh_med * tick_ns,
		      "note", "the cost of an empty timed window; included in, not subtracted from, every latency");
	if (attr == ATTR_STATS_PAGE)
		json_object_set_new(o, "stats_slots", json_integer(nslots));
	if (attr_note && attr_note[0])
		json_object_set_new(o, "attribution_note", json_string(attr_note));
	return o;
}

json_t *pass_metrics_json(const struct rep *reps, unsigned int n, double tick_ns)
{
	double *v = calloc(n ? n : 1, sizeof(*v));
	bool *valid = calloc(n ? n : 1, sizeof(*valid));
	json_t *m = json_object();

	if (!v || !valid) {
		free(v);
		free(valid);
		return m;
	}
#define PER_REP(expr) do { for (unsigned int i = 0; i < n; i++) { \
	const struct rep *rep = &reps[i]; v[i] = (expr); valid[i] = true; } } while (0)
	PER_REP(rep->timed.mmap_ticks * tick_ns);
	json_object_set_new(m, "mmap_ns", metric_json("ns", "lower", v, NULL, n));
	PER_REP(rep->timed.populate_ticks * tick_ns);
	json_object_set_new(m, "populate_ns", metric_json("ns", "lower", v, NULL, n));
	PER_REP(rep->timed.munmap_ticks * tick_ns);
	json_object_set_new(m, "munmap_ns", metric_json("ns", "lower", v, NULL, n));
	for (int k = 0; k < NR_PCT; k++) {
		/* a p-th percentile needs 100 / (100 - p) samples: else null */
		double need = pct[k] < 100 ? 100 / (100 - pct[k]) - 1e-9 : 1;

		PER_REP(rep->fault_p[k] * tick_ns);
		for (unsigned int i = 0; i < n; i++)
			valid[i] = reps[i].fault_count >= need;
		json_object_set_new(m, pct_metric[k], metric_json("ns", "lower", v, valid, n));
	}
	PER_REP(rep->touch_p50 * tick_ns);
	for (unsigned int i = 0; i < n; i++)
		valid[i] = reps[i].touch_count > 0;
	json_object_set_new(m, "touch_p50_ns", metric_json("ns", "lower", v, valid, n));
	PER_REP(rep->lat.touch_ticks * tick_ns);
	json_object_set_new(m, "touch_total_ns", metric_json("ns", "lower", v, NULL, n));
	PER_REP((double)rep->lat.touch_faults);
	json_object_set_new(m, "touch_faults", metric_json("count", "lower", v, NULL, n));
	PER_REP((double)rep->timed.c.minflt);
	json_object_set_new(m, "minflt", metric_json("count", "lower", v, NULL, n));
#undef PER_REP
	free(v);
	free(valid);
	return m;
}

json_t *latency_histograms_json(const struct hist *fh, const struct hist *th, double tick_ns)
{
	return json_pack("{ss sf so so}",
			 "scheme", "log-linear over TSC ticks: exact below 128 ticks, then 64 linear sub-buckets per power of two; buckets [lo_ns, hi_ns) count, merged over reps",
			 "ns_per_tick", tick_ns,
			 "fault", hist_json(fh, tick_ns),
			 "touch", hist_json(th, tick_ns));
}

bool access_write(const struct common_params *p, const struct target *t)
{
	if (p->access == ACCESS_AUTO)
		return t->kind == TARGET_BASELINE;
	return p->access == ACCESS_WRITE;
}

json_t *run_head_json(const char *bench, const struct target *t, const struct common_params *p,
		      bool write, enum run_status status, const char *reason)
{
	json_t *run, *params;

	if (t->kind == TARGET_PFNMAP) {
		params = json_pack("{sI sI ss ss sI ss}",
				   "size_bytes", (json_int_t)p->size, "offset", (json_int_t)p->offset,
				   "align", align_names[p->align], "access", access_names[write],
				   "reps", (json_int_t)p->reps, "cache", cache_names[p->cache]);
	} else {
		params = json_pack("{sI ss sI ss ss? sI}",
				   "size_bytes", (json_int_t)p->size, "access", access_names[write],
				   "reps", (json_int_t)p->reps, "mmap_flags", t->mmap_flags_name,
				   "madvise", t->advice_name, "page_size", (json_int_t)t->page_size);
	}
	/* --warmup: the untimed repetitions every benchmark runs first */
	json_object_set_new(params, "warmup", json_integer((json_int_t)p->warmup));
	run = json_pack("{ss ss ss so ss ss?}", "bench", bench, "target", t->name,
			"kind", t->kind == TARGET_PFNMAP ? "pfnmap" : "baseline",
			"params", params, "status", run_status_names[status],
			"reason", status == RUN_OK ? NULL : reason);
	if (t->kind == TARGET_PFNMAP)
		json_object_set_new(run, "strategy", json_string(t->name));
	return run;
}

/* ----------------------------------------------------------- fault counts */

uint64_t module_faults(const struct bench_mmio_stats *st)
{
	uint64_t n = 0;

	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		n += st->faults[l];
	return n;
}

void measured_out(const struct bench_mmio_stats *st, struct theory_out *o)
{
	memset(o, 0, sizeof(*o));
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++) {
		o->faults[l] = st->faults[l];
		o->fallbacks[l] = st->fallbacks[l];
		o->fallback += st->fallbacks[l];
	}
	o->pages = st->pages;
}

json_t *counts_json(const struct theory_out *o)
{
	return json_pack("{sI sI sI sI sI}",
			 "pte", (json_int_t)o->faults[BENCH_MMIO_LEVEL_PTE],
			 "pmd", (json_int_t)o->faults[BENCH_MMIO_LEVEL_PMD],
			 "pud", (json_int_t)o->faults[BENCH_MMIO_LEVEL_PUD],
			 "fallback", (json_int_t)o->fallback, "pages", (json_int_t)o->pages);
}

json_t *levels_json(const uint64_t v[BENCH_MMIO_NR_LEVELS])
{
	return json_pack("{sI sI sI}", "pte", (json_int_t)v[0], "pmd", (json_int_t)v[1],
			 "pud", (json_int_t)v[2]);
}

json_t *ns_metric_json(const double *ns, unsigned int n)
{
	return metric_json("ns", "lower", ns, NULL, n);
}

json_t *ns_per_gib_metric_json(const double *ns, unsigned int n, uint64_t bytes)
{
	double *v = calloc(n ? n : 1, sizeof(*v));
	json_t *m;

	if (!v)
		return json_null();
	for (unsigned int i = 0; i < n; i++)
		v[i] = bytes ? ns[i] * (double)SZ_1G / (double)bytes : 0;
	m = metric_json("ns/GiB", "lower", v, NULL, bytes ? n : 0);
	free(v);
	return m;
}

/* ------------------------------------------------------ the model's input */

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

void theory_input(struct theory_in *tin, const struct target *t, uint64_t va, uint64_t size,
		  const struct common_params *p, const struct bench_mmio_info *info,
		  const struct thp_state *thp, bool madvised)
{
	unsigned int s = t->strategy;

	tin->strategy = s;
	tin->va = va;
	tin->length = size;
	tin->phys = info->phys_base + p->offset;
	tin->align = theory_align(s, p->align, size);
	tin->features = info->features;
	tin->max_level = info->max_level[s];
	tin->caps = info->caps;
	/* What the kernel answered beats what the setting suggests. */
	tin->thp = thp->gates_pfnmap == 0 ? THEORY_THP_ALLOW : thp_gate(thp->enabled, madvised);
}

/* Other VMAs in the 2M/1G regions at either end of the mapping (tin->va, length). */
void theory_scan_neighbours(struct theory_in *tin)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (sscanf(line, "%llx-%llx", &s, &e) == 2)
			theory_neighbour(tin, s, e);
	}
	fclose(f);
}


int measure_sizes(const struct common_params *p, const char *list,
		  const struct bench_mmio_info *info, uint64_t sizes[MEASURE_MAX_SIZES],
		  unsigned int *n, char *err, size_t len)
{
	char sub[OPT_ERRLEN];

	sizes[0] = p->size;
	*n = 1;
	if (list && parse_size_list(list, sizes, MEASURE_MAX_SIZES, n, sub, sizeof(sub))) {
		snprintf(err, len, "--sizes=%s: %s", list, sub);
		return -1;
	}
	for (unsigned int k = 0; info && k < *n; k++)
		if (p->offset > info->size || sizes[k] > info->size - p->offset) {
			snprintf(err, len, "--offset=%llu + size %llu exceeds the backing (%llu bytes)",
				 (unsigned long long)p->offset, (unsigned long long)sizes[k],
				 (unsigned long long)info->size);
			return -1;
		}
	return 0;
}

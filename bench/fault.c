// SPDX-License-Identifier: GPL-2.0
/*
 * fault.c - first-touch fault latency of a mapping, per target.
 *
 * Per target and repetition, measure_pass() twice (timed, instrumented);
 * what is fault-specific is here: the fault counts, the check of pfnmap
 * counts against the model of theory.c (fed the alignment the mapping asked
 * for), a baseline's ru_minflt check, and the attribution cross-checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "device.h"
#include "fault.h"
#include "result.h"

struct fault_params {
	unsigned int madvise;
	uint64_t fault_delay;		/* ns, BENCH_MMIO_SET_FAULT_DELAY */
};

static struct fault_params fault_params;
static const char *const madvise_names[] = { "none", "hugepage", NULL };

static const struct opt fault_opts[] = {
	{ .name = "madvise", .type = OPT_ENUM, .def = "none",
	  .help = "madvise() a pfnmap before touching it (hugepage: MADV_HUGEPAGE, needed when THP enabled=madvise)",
	  .values = madvise_names, .off = offsetof(struct fault_params, madvise) },
	{ .name = "fault-delay", .type = OPT_UINT, .def = "0",
	  .help = "ns every ->fault/->huge_fault of the module busy-waits (pfnmaps; BENCH_MMIO_SET_FAULT_DELAY, a known regression for validating comparisons)",
	  .off = offsetof(struct fault_params, fault_delay), .max = BENCH_MMIO_MAX_FAULT_DELAY_NS },
	{ .name = NULL },
};

uint64_t baseline_expected_faults(const struct page_sizes *ps)
{
	uint64_t n = 0;

	for (int i = 0; i < PS_NR; i++)
		n += ps->bytes[i] / page_size_bytes[i];
	return n;
}

/* ---------------------------------------------------------------- measure */

static void measure(struct fault_run *r, const struct bench_ctx *ctx, const struct target_env *env,
		    struct hist *fh, struct hist *th)
{
	const struct common_params *p = ctx->p;
	struct pass_req timed = { .len = p->size, .write = r->write };
	struct pass_req lat = timed;
	struct target_state ts;
	uint64_t t_start = now_ns();
	char what[64];
	bool skip;

	if (target_open(&ts, r->t, env, &skip, r->reason, sizeof(r->reason))) {
		r->status = skip ? RUN_SKIP : RUN_FAIL;
		return;
	}
	r->attr = ts.attr;
	r->nslots = ts.nslots;
	snprintf(r->attr_note, sizeof(r->attr_note), "%s", ts.attr_note);
	if (r->t->kind == TARGET_PFNMAP && fault_params.madvise == 1)
		timed.advice = lat.advice = MADV_HUGEPAGE;
	lat.fh = fh;
	lat.th = th;
	/*
	 * --warmup: whole repetitions (both passes) whose numbers are thrown
	 * away, so that the host's first touch of the backing is in none of
	 * the timed ones.
	 */
	for (unsigned int w = 0; w < p->warmup; w++) {
		struct rep scratch;

		hist_init(fh);
		hist_init(th);
		snprintf(what, sizeof(what), "warm-up %u (timed pass)", w);
		if (measure_pass(&ts, &timed, &scratch.timed, what, r->reason, sizeof(r->reason)))
			goto fail;
		snprintf(what, sizeof(what), "warm-up %u (instrumented pass)", w);
		if (measure_pass(&ts, &lat, &scratch.lat, what, r->reason, sizeof(r->reason)))
			goto fail;
	}
	for (unsigned int i = 0; i < r->nreps; i++) {
		struct rep *rep = &r->reps[i];

		hist_init(fh);
		hist_init(th);
		snprintf(what, sizeof(what), "rep %u (timed pass)", i);
		if (measure_pass(&ts, &timed, &rep->timed, what, r->reason, sizeof(r->reason))) {
			r->status = RUN_FAIL;
			break;
		}
		snprintf(what, sizeof(what), "rep %u (instrumented pass)", i);
		if (measure_pass(&ts, &lat, &rep->lat, what, r->reason, sizeof(r->reason))) {
			r->status = RUN_FAIL;
			break;
		}
		measure_percentiles(fh, th, rep);
		hist_merge(&r->fault_hist, fh);
		hist_merge(&r->touch_hist, th);
		if (i == 0) {
			if (r->t->kind == TARGET_PFNMAP) {
				r->tin.va = rep->timed.va;
				r->tin.length = p->size;
				theory_scan_neighbours(&r->tin);
			}
			if (timed.advice) {
				r->madvised = !rep->timed.advice_error;
				if (!r->madvised)
					snprintf(r->madvise_error, sizeof(r->madvise_error),
						 "madvise(MADV_HUGEPAGE): %s",
						 strerror(-rep->timed.advice_error));
			}
		}
		r->done++;
		if (!p->quiet && now_ns() - t_start > 2000000000ULL)
			fprintf(stderr, "fault: %s rep %u/%u: mmap %.1f us, populate %.1f ms, %llu faults\n",
				r->t->name, i + 1, r->nreps, rep->timed.mmap_ticks * 1e6 / ctx->tsc->hz,
				rep->timed.populate_ticks * 1e3 / ctx->tsc->hz,
				(unsigned long long)(r->t->kind == TARGET_PFNMAP ?
					module_faults(&rep->timed.c.st) : rep->timed.c.minflt));
	}
	target_close(&ts);
	return;
fail:
	r->status = RUN_FAIL;
	target_close(&ts);
}

/* The model's input: what the mapping asked for and what the module said. */
static void model_input(struct fault_run *r, const struct common_params *p,
			const struct bench_mmio_info *info, const struct thp_state *thp)
{
	theory_input(&r->tin, r->t, r->reps[0].timed.va, p->size, p, info, thp, r->madvised);
}

/* ------------------------------------------------------------------ JSON */

static bool same_counts(const struct bench_mmio_stats *a, const struct bench_mmio_stats *b)
{
	return !memcmp(a->faults, b->faults, sizeof(a->faults)) &&
	       !memcmp(a->fallbacks, b->fallbacks, sizeof(a->fallbacks)) && a->pages == b->pages;
}

/*
 * The model's counts, and the alignment the mapping asked for: either
 * differing is a mismatch, with theory_explain()'s words.
 */
/*
 * The model's verdict on a pfnmap run: fills exp and got; true (with why)
 * when the counts differ or the mapping did not get the alignment it asked
 * for.  -1: no model for the strategy.
 */
static int model_verdict(const struct fault_run *r, const struct thp_state *thp,
			 const struct common_params *p, struct theory_out *exp,
			 struct theory_out *got, char *why, size_t len)
{
	if (theory_expect(&r->tin, exp)) {
		snprintf(why, len, "no model for this strategy");
		return -1;
	}
	measured_out(&r->reps[0].timed.c.st, got);
	if (!memcmp(exp->faults, got->faults, sizeof(exp->faults)) &&
	    exp->fallback == got->fallback && exp->pages == got->pages && theory_aligned(&r->tin))
		return 0;
	theory_explain(&r->tin, exp, got, thp->enabled, align_names[p->align], why, len);
	return 1;
}

static json_t *check_json(const struct fault_run *r, const struct thp_state *thp,
			  const struct common_params *p)
{
	struct theory_out exp, got;
	char why[1024];
	int mismatch = model_verdict(r, thp, p, &exp, &got, why, sizeof(why));
	json_t *c;

	if (mismatch < 0)
		return json_pack("{ss so so ss}", "status", "mismatch", "expected", json_null(),
				 "measured", json_null(), "explanation", why);
	c = json_pack("{ss so so}", "status", mismatch ? "mismatch" : "ok",
		      "expected", counts_json(&exp), "measured", counts_json(&got));
	json_object_set_new(c, "explanation", mismatch ? json_string(why) : json_null());
	json_object_set_new(c, "aligned", json_boolean(theory_aligned(&r->tin)));
	json_object_set_new(c, "expected_fallbacks", levels_json(exp.fallbacks));
	json_object_set_new(c, "model",
			    json_pack("{ss ss sb sb sb sb}",
				      "max_level", level_names[r->tin.max_level < BENCH_MMIO_NR_LEVELS ? r->tin.max_level : 0],
				      "thp", r->tin.thp == THEORY_THP_ALLOW ? "allow" :
					     r->tin.thp == THEORY_THP_DENY ? "deny" : "unknown",
				      "pmd_lo_shared", r->tin.busy_lo[1], "pmd_hi_shared", r->tin.busy_hi[1],
				      "pud_lo_shared", r->tin.busy_lo[2], "pud_hi_shared", r->tin.busy_hi[2]));
	return c;
}

/* A write pass faults once per page it got: ru_minflt says whether it did. */
static json_t *baseline_check_json(const struct fault_run *r)
{
	const struct pass *ps = &r->reps[0].timed;
	uint64_t exp = baseline_expected_faults(&ps->ps), got = ps->c.minflt;
	char why[256] = "";

	if (exp != got)
		snprintf(why, sizeof(why),
			 "ru_minflt %llu, but the page sizes the mapping got (page_size.bytes) make %llu pages: %s",
			 (unsigned long long)got, (unsigned long long)exp,
			 got > exp ? "faults beyond one per page (retries, or faults outside the mapping)" :
				     "fewer faults than pages (pages made present without a fault of this thread)");
	return json_pack("{ss ss s{sI} s{sI} so}", "status", exp == got ? "ok" : "mismatch",
			 "method", "write pass: ru_minflt == sum over page sizes of bytes / page size",
			 "expected", "minflt", (json_int_t)exp, "measured", "minflt", (json_int_t)got,
			 "explanation", exp == got ? json_null() : json_string(why));
}

static void notes_add(json_t *run, const char *text)
{
	json_t *n = json_object_get(run, "notes");

	if (!n) {
		n = json_array();
		json_object_set_new(run, "notes", n);
	}
	json_array_append_new(n, json_string(text));
}

/* The notes of a baseline run, for the JSON and stderr alike. */
static int baseline_notes(const struct fault_run *r, const char **out, int max)
{
	const struct pass *ps = &r->reps[0].timed;
	int n = 0;

	if (!r->write && n < max)
		out[n++] = r->t->mmap_flags & MAP_HUGETLB ?
			"read access: a read fault of hugetlb memory allocates and zeroes a huge page, as a write does" :
			"read access: a read fault of untouched anonymous memory maps the shared zero page (the huge zero page for thp) and allocates nothing: these are not allocation costs; use --access=write for those";
	if (r->write && r->t == &targets[TARGET_THP] && ps->ps.known && !ps->ps.bytes[PS_2M] && n < max)
		out[n++] = "thp got no huge pages: every fault fell back to 4K pages (see system.thp and page_size.smaps; khugepaged and defrag settings, fragmentation)";
	if (r->t->va_align && n < max)
		out[n++] = "the mapping is placed at an aligned address found beforehand (untimed); the timed mmap is mmap(MAP_FIXED_NOREPLACE) there";
	return n;
}

json_t *fault_run_to_json(const struct fault_run *r, const struct common_params *p,
			  const struct tsc_info *tsc, const struct thp_state *thp,
			  const struct bench_mmio_info *info)
{
	const struct target *t = r->t;
	bool pfnmap = t->kind == TARGET_PFNMAP;
	double tick_ns = 1e9 / tsc->hz;
	unsigned int n = r->done;
	const struct rep *r0 = &r->reps[0];
	uint64_t asked_align = pfnmap ? theory_align(t->strategy, p->align, p->size) : t->va_align;
	bool identical = true, consistent = true, passes_agree = true, ps_identical = true;
	json_t *run, *m, *mapping;
	const char *notes[4];
	int nn;

	run = run_head_json("fault", t, p, r->write, r->status, r->reason);
	if (pfnmap) {
		json_object_set_new(json_object_get(run, "params"), "madvise",
				    json_string(madvise_names[fault_params.madvise]));
		json_object_set_new(json_object_get(run, "params"), "fault_delay_ns",
				    json_integer((json_int_t)fault_params.fault_delay));
	}
	json_object_set_new(run, "reps_completed", json_integer(n));
	if (!n || r->status == RUN_SKIP)
		return run;

	mapping = json_pack("{sI sI sI}", "va", (json_int_t)r0->timed.va,
			    "va_align", (json_int_t)addr_align(r0->timed.va),
			    "align_asked", (json_int_t)asked_align);
	if (pfnmap && info) {
		uint64_t phys = info->phys_base + p->offset;

		json_object_set_new(mapping, "phys", json_integer((json_int_t)phys));
		json_object_set_new(mapping, "phys_align", json_integer((json_int_t)addr_align(phys)));
	}
	json_object_set_new(run, "mapping", mapping);
	for (unsigned int i = 0; i < n; i++) {
		const struct rep *rep = &r->reps[i];

		if (rep->timed.va != r0->timed.va)
			json_object_set_new(mapping, "va_changed", json_true());
		if (memcmp(rep->timed.ps.bytes, r0->timed.ps.bytes, sizeof(r0->timed.ps.bytes)))
			ps_identical = false;
		if (pfnmap) {
			if (!same_counts(&rep->timed.c.st, &r0->timed.c.st))
				identical = false;
			if (!same_counts(&rep->timed.c.st, &rep->lat.c.st))
				passes_agree = false;
			if (rep->lat.touch_faults != module_faults(&rep->lat.c.st))
				consistent = false;
		} else {
			if (rep->timed.c.minflt != r0->timed.c.minflt)
				identical = false;
			if (rep->timed.c.minflt != rep->lat.c.minflt)
				passes_agree = false;
			if (rep->lat.touch_faults != rep->lat.c.minflt)
				consistent = false;
		}
	}

	/* the page sizes the mapping got, from rep 0's timed pass */
	{
		uint64_t asked = pfnmap ? page_size_bytes[theory_strategy_level[t->strategy]] : t->page_size;
		json_t *ps = page_sizes_json(&r0->timed.ps, asked, pfnmap ? "module" : "smaps");

		json_object_set_new(ps, "identical", json_boolean(ps_identical));
		if (r0->timed.ps_error)
			json_object_set_new(ps, "error", json_string(strerror(-r0->timed.ps_error)));
		json_object_set_new(run, "page_size", ps);
	}
	json_object_set_new(run, "counters",
			    json_pack("{sI sI}", "minflt", (json_int_t)r0->timed.c.minflt,
				      "module_faults", (json_int_t)module_faults(&r0->timed.c.st)));

	if (pfnmap) {
		struct theory_out o;
		json_t *per_rep = json_array();

		measured_out(&r0->timed.c.st, &o);
		json_object_set_new(run, "faults", counts_json(&o));
		json_object_set_new(run, "fallbacks", levels_json(o.fallbacks));
		json_object_set_new(run, "module_stats",
				    json_pack("{sI sI sI}", "sigbus", (json_int_t)r0->timed.c.st.sigbus,
					      "mmaps", (json_int_t)r0->timed.c.st.mmaps,
					      "insert_errors", (json_int_t)r0->timed.c.st.insert_errors));
		json_object_set_new(run, "attribution",
				    json_pack("{sI sI sb sb}",
					      "touch_faults", (json_int_t)r0->lat.touch_faults,
					      "module_faults", (json_int_t)module_faults(&r0->lat.c.st),
					      "consistent", consistent, "passes_agree", passes_agree));
		json_object_set_new(run, "faults_identical", json_boolean(identical));
		for (unsigned int i = 0; i < n && !identical; i++) {
			measured_out(&r->reps[i].timed.c.st, &o);
			json_array_append_new(per_rep, counts_json(&o));
		}
		if (!identical)
			json_object_set_new(run, "faults_per_rep", json_incref(per_rep));
		json_decref(per_rep);
		json_object_set_new(run, "check", check_json(r, thp, p));
	} else {
		json_object_set_new(run, "attribution",
				    json_pack("{sI sI sb sb}",
					      "touch_faults", (json_int_t)r0->lat.touch_faults,
					      "minflt", (json_int_t)r0->lat.c.minflt,
					      "consistent", consistent, "passes_agree", passes_agree));
		json_object_set_new(run, "faults_identical", json_boolean(identical));
		if (r->write && r0->timed.ps.known)
			json_object_set_new(run, "check", baseline_check_json(r));
		nn = baseline_notes(r, notes, 4);
		for (int i = 0; i < nn; i++)
			notes_add(run, notes[i]);
		if (r0->timed.advice_error)
			json_object_set_new(run, "madvise_error", json_string(strerror(-r0->timed.advice_error)));
	}
	json_object_set_new(run, "latency_method",
			    latency_method_json(tsc, r->attr, r->nslots, r->attr_note));
	if (r->madvise_error[0])
		json_object_set_new(run, "madvise_error", json_string(r->madvise_error));

	m = pass_metrics_json(r->reps, n, tick_ns);
	if (pfnmap) {
		double *v = calloc(n, sizeof(*v));

		for (unsigned int i = 0; v && i < n; i++)
			v[i] = (double)module_faults(&r->reps[i].timed.c.st);
		if (v)
			json_object_set_new(m, "faults_per_rep", metric_json("count", "lower", v, NULL, n));
		free(v);
	}
	json_object_set_new(run, "metrics", m);
	json_object_set_new(run, "latency_histograms",
			    latency_histograms_json(&r->fault_hist, &r->touch_hist, tick_ns));
	return run;
}

/* ------------------------------------------------------------------- run */

static bool run_mismatch(const struct fault_run *r, const struct thp_state *thp,
			 const struct common_params *p, char *why, size_t len)
{
	struct theory_out exp, got;

	if (r->t->kind == TARGET_PFNMAP)
		return model_verdict(r, thp, p, &exp, &got, why, len) != 0;
	if (!r->write || !r->reps[0].timed.ps.known)
		return false;
	snprintf(why, len, "ru_minflt %llu, expected %llu from the page sizes obtained",
		 (unsigned long long)r->reps[0].timed.c.minflt,
		 (unsigned long long)baseline_expected_faults(&r->reps[0].timed.ps));
	return r->reps[0].timed.c.minflt != baseline_expected_faults(&r->reps[0].timed.ps);
}

/* One line per run on stderr, from the structs. */
static void summary(const struct fault_run *r, const struct bench_ctx *ctx)
{
	const struct common_params *p = ctx->p;
	const char *name = r->t->name;
	const struct rep *r0 = &r->reps[0];
	double tick_ns = 1e9 / ctx->tsc->hz;
	char why[1024], lat[64] = "no faults", got[48];
	const char *notes[4];
	bool mixed;
	uint64_t ps;
	int nn;

	if (r->status == RUN_FAIL) {
		fprintf(stderr, "fault: %s: FAILED: %s\n", name, r->reason);
		return;
	}
	if (r->status == RUN_SKIP) {
		fprintf(stderr, "fault: %s: skipped: %s\n", name, r->reason);
		return;
	}
	for (unsigned int i = 0; i < r->done; i++) {
		const struct rep *rep = &r->reps[i];
		bool agree = r->t->kind == TARGET_PFNMAP ? same_counts(&rep->timed.c.st, &rep->lat.c.st) :
			     rep->timed.c.minflt == rep->lat.c.minflt;
		uint64_t f = r->t->kind == TARGET_PFNMAP ? module_faults(&rep->lat.c.st) : rep->lat.c.minflt;

		if (!agree) {
			fprintf(stderr, "fault: %s: warning: the timed and the instrumented pass saw different counters in rep %u; see runs[].attribution\n",
				name, i);
			break;
		}
		if (rep->lat.touch_faults != f) {
			fprintf(stderr, "fault: %s: warning: touches attributed to faults (%s) differ from the fault count in rep %u; see runs[].attribution\n",
				name, r->attr == ATTR_STATS_PAGE ? "statistics mapping" : "ru_minflt", i);
			break;
		}
	}
	if (r->t->kind == TARGET_BASELINE) {
		nn = baseline_notes(r, notes, 4);
		for (int i = 0; i < nn; i++)
			if (strstr(notes[i], "no huge pages"))
				fprintf(stderr, "fault: %s: warning: %s\n", name, notes[i]);
	}
	if (run_mismatch(r, ctx->thp, p, why, sizeof(why))) {
		fprintf(stderr, "fault: %s: warning: counters differ from the model: %s\n", name, why);
		return;
	}
	if (p->quiet)
		return;
	/* median over reps of the per-rep p50; one fault per rep: its maximum */
	{
		double v[r->done ? r->done : 1];
		unsigned int k = 0;
		struct summary s;
		bool use_max = true;

		for (unsigned int i = 0; i < r->done; i++)
			if (r->reps[i].fault_count >= 2)
				use_max = false;
		for (unsigned int i = 0; i < r->done; i++)
			if (r->reps[i].fault_count)
				v[k++] = (use_max ? r->reps[i].fault_p[NR_PCT - 1] : r->reps[i].fault_p[0]) * tick_ns;
		summarize(v, k, &s);
		if (k)
			snprintf(lat, sizeof(lat), "median fault %s %.0f ns", use_max ? "max" : "p50", s.median);
	}
	ps = page_size_obtained(&r0->timed.ps, &mixed);
	if (r0->timed.ps.known)
		snprintf(got, sizeof(got), "%s%lluK pages", mixed ? "mixed, smallest " : "",
			 (unsigned long long)(ps >> 10));
	else
		snprintf(got, sizeof(got), "no pages of its own (zero page)");
	if (r->t->kind == TARGET_PFNMAP)
		fprintf(stderr, "fault: %s: ok, %u reps, faults pte=%llu pmd=%llu pud=%llu fallback=%llu, %s, %s\n",
			name, r->done, (unsigned long long)r0->timed.c.st.faults[0],
			(unsigned long long)r0->timed.c.st.faults[1],
			(unsigned long long)r0->timed.c.st.faults[2],
			(unsigned long long)(r0->timed.c.st.fallbacks[0] + r0->timed.c.st.fallbacks[1] +
					     r0->timed.c.st.fallbacks[2]), got, lat);
	else
		fprintf(stderr, "fault: %s: ok, %u reps, %s, ru_minflt=%llu, %s, %s\n", name, r->done,
			r->write ? "write" : "read", (unsigned long long)r0->timed.c.minflt, got, lat);
	if (r->t->kind == TARGET_PFNMAP && theory_strategy_level[r->t->strategy] > BENCH_MMIO_LEVEL_PTE &&
	    !(ctx->info->caps & (BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CORE_PUD)))
		fprintf(stderr, "fault: %s: note: this kernel cannot deliver huge pfnmap faults (its core mm never calls ->huge_fault on VM_PFNMAP): %s maps with 4K PTEs through ->fault\n",
			name, name);
}

static int fault_run(struct bench_ctx *ctx)
{
	const struct common_params *p = ctx->p;
	const struct target_env env = {
		.device = p->device, .info = ctx->info, .align = p->align, .cache = p->cache,
		.size = p->size, .offset = p->offset, .attr = p->attribution,
		.fault_delay_ns = fault_params.fault_delay,
	};
	struct hist *fh, *th;
	int failed = 0;

	if (fault_params.fault_delay && ctx->info &&
	    !(ctx->info->features & BENCH_MMIO_FEAT_FAULT_DELAY)) {
		fprintf(stderr, "fault: --fault-delay=%llu: the module lacks BENCH_MMIO_SET_FAULT_DELAY (module.features has no fault_delay): rebuild and reload it\n",
			(unsigned long long)fault_params.fault_delay);
		return -1;
	}
	fh = malloc(sizeof(*fh));
	th = malloc(sizeof(*th));

	if (!fh || !th) {
		fprintf(stderr, "fault: out of memory\n");
		free(fh);
		free(th);
		return -1;
	}
	/* pre-fault the working histograms: no minor fault inside the loop */
	memset(fh, 0, sizeof(*fh));
	memset(th, 0, sizeof(*th));
	measure_init();

	for (unsigned int id = 0; id < NR_TARGETS; id++) {
		struct fault_run *r;

		if (!(p->targets & (1ULL << id)))
			continue;
		r = calloc(1, sizeof(*r));
		if (!r || !(r->reps = calloc(p->reps, sizeof(*r->reps)))) {
			fprintf(stderr, "fault: out of memory\n");
			free(r);
			failed++;
			break;
		}
		r->t = &targets[id];
		r->nreps = p->reps;
		r->write = access_write(p, r->t);
		measure(r, ctx, &env, fh, th);
		if (r->status == RUN_OK && r->done != r->nreps)
			r->status = RUN_FAIL;
		if (r->done && r->t->kind == TARGET_PFNMAP)
			model_input(r, p, ctx->info, ctx->thp);
		summary(r, ctx);
		if (r->status == RUN_FAIL)
			failed++;
		json_array_append_new(ctx->runs, fault_run_to_json(r, p, ctx->tsc, ctx->thp, ctx->info));
		free(r->reps);
		free(r);
	}
	free(fh);
	free(th);
	return failed;
}

const struct benchmark bench_fault = {
	.name = "fault",
	.help = "first-touch fault latency, mmap/munmap cost and fault counters per target",
	.opts = fault_opts,
	.params = &fault_params,
	.run = fault_run,
};

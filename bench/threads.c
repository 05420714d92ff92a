// SPDX-License-Identifier: GPL-2.0
/*
 * threads.c - T threads faulting disjoint slices of one mapping.
 *
 * Per target and T (1, 2, 4, ... up to --max-threads, default the PUs
 * hwloc sees; the last one whatever it is), each repetition maps a fresh
 * mapping untouched and starts T threads, thread i pinned to hwloc PU
 * logical index i modulo the PUs (pin_thread()).  After a barrier each
 * touches its slice once, every 4K page in ascending order, timed as a
 * whole.  Slices are whole grains (threads_slice()): the largest page the
 * model puts in the mapping (theory_expect(); a baseline's page size;
 * bulk: the whole mapping, as its first fault inserts every page), so no
 * two threads fault in one leaf and the faults by level summed over the
 * threads are the model's.  Fallbacks are not: threads sharing a region
 * above the leaf may each be offered it (recorded, not checked).
 * Reported per T: faults/s (all faults over the wall time from the first
 * start to the last end) and per-fault latency (each thread's touch time
 * over its faults, ru_minflt of the thread).  Under TCG the vCPUs are
 * emulated: the result shows the structure, not the scaling, and says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "device.h"
#include "fault.h"
#include "measure.h"
#include "result.h"
#include "threads.h"

struct threads_params {
	uint64_t max_threads;
};

static struct threads_params threads_params;

static const struct opt threads_opts[] = {
	{ .name = "max-threads", .type = OPT_UINT, .def = "0",
	  .help = "largest T of the sweep 1, 2, 4, ... (0: the PUs hwloc sees)",
	  .off = offsetof(struct threads_params, max_threads), .max = MAX_THREADS },
	{ .name = NULL },
};

/* ---------------------------------------------------------------- pure */

unsigned int threads_sweep(unsigned int max, unsigned int *t, unsigned int n)
{
	unsigned int k = 0;

	for (unsigned int v = 1; v <= max && k < n; v *= 2)
		t[k++] = v;
	if (k && t[k - 1] != max && k < n)
		t[k++] = max;
	return k;
}

void threads_slice(uint64_t len, uint64_t grain, unsigned int nthreads, unsigned int i,
		   uint64_t *lo, uint64_t *hi)
{
	uint64_t grains = (len + grain - 1) / grain;
	uint64_t per = grains / nthreads, extra = grains % nthreads;
	uint64_t first = i * per + (i < extra ? i : extra);
	uint64_t n = per + (i < extra);

	*lo = first * grain;
	*hi = (first + n) * grain;
	if (*lo > len)
		*lo = len;
	if (*hi > len)
		*hi = len;
}

uint64_t threads_grain(const struct target *t, const struct theory_out *exp, uint64_t len)
{
	if (t->kind != TARGET_PFNMAP)
		return t->page_size ? t->page_size : SZ_4K;
	if (theory_strategy_populate[t->strategy] == BENCH_MMIO_POPULATE_VMA)
		return len;
	for (int l = BENCH_MMIO_NR_LEVELS - 1; l > 0; l--)
		if (exp->faults[l])
			return page_size_bytes[l];
	return SZ_4K;
}

/* ------------------------------------------------------------- measure */

struct worker {
	pthread_t tid;
	unsigned int i;
	volatile char *map;
	uint64_t lo, hi;
	bool write;
	pthread_barrier_t *bar;
	struct thread_result *res;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct thread_result *res = w->res;
	struct pin_state pin;
	struct rusage ru;
	char err[256];
	long f0;

	res->pin_error = pin_thread(w->i % pu_count(), &pin, err, sizeof(err)) ? errno ? errno : EINVAL : 0;
	res->cpu = res->pin_error ? -1 : pin.os_index;
	res->pu = res->pin_error ? -1 : pin.pu_logical;
	pthread_barrier_wait(w->bar);
	getrusage(RUSAGE_THREAD, &ru);
	f0 = ru.ru_minflt;
	res->t0 = tick_begin();
	for (uint64_t off = w->lo; off < w->hi; off += SZ_4K) {
		volatile uint64_t *p = (volatile uint64_t *)(w->map + off);

		if (w->write) {
			*p = off;
		} else {
			uint64_t v = *p;

			__asm__ __volatile__("" :: "r"(v));
		}
	}
	if (w->write)
		store_fence();
	res->t1 = tick_end();
	getrusage(RUSAGE_THREAD, &ru);
	res->minflt = ru.ru_minflt - f0;
	res->lo = w->lo;
	res->hi = w->hi;
	return NULL;
}

static int one_rep(struct threads_run *r, struct threads_point *pt, struct target_state *ts,
		   const struct bench_ctx *ctx, unsigned int rep)
{
	struct pass_req req = { .len = r->size, .write = r->write, .no_touch = true };
	struct worker w[MAX_THREADS];
	struct thread_result *res = pt->threads[rep];
	pthread_barrier_t bar;
	volatile char *map;
	struct pass pass;
	char what[96];
	int ret = 0;

	snprintf(what, sizeof(what), "T=%u rep %u", pt->nthreads, rep);
	if (measure_map(ts, &req, &pass, &map, what, r->reason, sizeof(r->reason)))
		return -1;
	if (rep == 0 && pt == &r->pt[0] && r->t->kind == TARGET_PFNMAP) {
		theory_input(&r->tin, r->t, pass.va, r->size, &r->p, ctx->info, ctx->thp, false);
		theory_scan_neighbours(&r->tin);
	}
	/* measure_map() reset the counters before the mmap: remap's pages count */
	pthread_barrier_init(&bar, NULL, pt->nthreads);
	for (unsigned int i = 0; i < pt->nthreads; i++) {
		w[i] = (struct worker){ .i = i, .map = map, .write = r->write, .bar = &bar, .res = &res[i] };
		threads_slice(r->size, r->grain, pt->nthreads, i, &w[i].lo, &w[i].hi);
		ret = pthread_create(&w[i].tid, NULL, worker_fn, &w[i]);
		if (ret) {
			/* the started ones wait at the barrier for ever: cannot go on */
			fprintf(stderr, "threads: pthread_create: %s\n", strerror(ret));
			exit(1);
		}
	}
	for (unsigned int i = 0; i < pt->nthreads; i++)
		pthread_join(w[i].tid, NULL);
	pthread_barrier_destroy(&bar);
	if ((ret = ts->t->counters_read(ts, &pt->c[rep]))) {
		snprintf(r->reason, sizeof(r->reason), "%s: reading the counters: %s", what, strerror(-ret));
		goto out;
	}
	if (rep == 0)
		ts->t->page_sizes(ts, map, r->size, &pt->c[rep], &pt->ps);
out:
	ts->t->unmap(ts, map, r->size);
	return ret ? -1 : 0;
}

static void measure(struct threads_run *r, const struct bench_ctx *ctx, const struct target_env *env)
{
	struct target_state ts;
	bool skip;

	if (target_open(&ts, r->t, env, &skip, r->reason, sizeof(r->reason))) {
		r->status = skip ? RUN_SKIP : RUN_FAIL;
		return;
	}
	/* the grain: from the model (pfnmaps), so that T=1 sees it too */
	if (r->t->kind == TARGET_PFNMAP) {
		struct pass_req req = { .len = r->size, .no_touch = true };
		volatile char *map;
		struct pass pass;

		if (measure_map(&ts, &req, &pass, &map, "the model's input", r->reason, sizeof(r->reason))) {
			r->status = RUN_FAIL;
			target_close(&ts);
			return;
		}
		theory_input(&r->tin, r->t, pass.va, r->size, &r->p, ctx->info, ctx->thp, false);
		theory_scan_neighbours(&r->tin);
		r->t->unmap(&ts, map, r->size);
		theory_expect(&r->tin, &r->exp);
	}
	r->grain = threads_grain(r->t, &r->exp, r->size);
	/*
	 * --warmup: whole repetitions of the first point, untimed (their
	 * records are rep 0's, overwritten by the timed rep 0), before any
	 * point: what they take out, the host's first touch of the backing,
	 * is paid once per target, so later points need none of their own.
	 */
	for (unsigned int w = 0; w < r->p.warmup && r->npoints; w++)
		if (one_rep(r, &r->pt[0], &ts, ctx, 0)) {
			char what[32];

			snprintf(what, sizeof(what), "warm-up %u", w);
			reason_prefix(r->reason, sizeof(r->reason), what);
			r->status = RUN_FAIL;
			target_close(&ts);
			return;
		}
	for (unsigned int k = 0; k < r->npoints; k++) {
		for (unsigned int i = 0; i < r->nreps; i++)
			if (one_rep(r, &r->pt[k], &ts, ctx, i)) {
				r->status = RUN_FAIL;
				target_close(&ts);
				return;
			}
		r->done++;
	}
	target_close(&ts);
}

/* ------------------------------------------------------------------ JSON */

uint64_t threads_faults(const struct threads_run *r, const struct threads_point *pt, unsigned int rep)
{
	uint64_t n = 0;

	if (r->t->kind == TARGET_PFNMAP)
		return module_faults(&pt->c[rep].st);
	for (unsigned int i = 0; i < pt->nthreads; i++)
		n += pt->threads[rep][i].minflt;
	return n;
}

/* Faults summed over the threads against the model: 0 ok, 1 mismatch (why). */
int threads_check(const struct threads_run *r, const struct threads_point *pt,
		  struct theory_out *exp, struct theory_out *got, char *why, size_t len)
{
	memset(got, 0, sizeof(*got));
	memset(exp, 0, sizeof(*exp));
	if (r->t->kind == TARGET_PFNMAP) {
		*exp = r->exp;
		measured_out(&pt->c[0].st, got);
		if (!memcmp(exp->faults, got->faults, sizeof(exp->faults)) && exp->pages == got->pages)
			return 0;
	} else {
		exp->faults[0] = baseline_expected_faults(&pt->ps);
		got->faults[0] = threads_faults(r, pt, 0);
		if (!r->write || exp->faults[0] == got->faults[0])
			return 0;
	}
	snprintf(why, len, "T=%u: faults pte %llu pmd %llu pud %llu pages %llu, the model %llu %llu %llu %llu",
		 pt->nthreads, (unsigned long long)got->faults[0], (unsigned long long)got->faults[1],
		 (unsigned long long)got->faults[2], (unsigned long long)got->pages,
		 (unsigned long long)exp->faults[0], (unsigned long long)exp->faults[1],
		 (unsigned long long)exp->faults[2], (unsigned long long)exp->pages);
	return 1;
}

static json_t *point_json(const struct threads_run *r, const struct threads_point *pt, double tick_ns)
{
	double fps[r->nreps], lat[r->nreps], wall[r->nreps];
	bool lat_ok[r->nreps];
	struct theory_out exp, got;
	char why[512];
	int bad = threads_check(r, pt, &exp, &got, why, sizeof(why));
	json_t *j, *th = json_array(), *check;

	for (unsigned int k = 0; k < r->nreps; k++) {
		const struct thread_result *res = pt->threads[k];
		uint64_t t0 = res[0].t0, t1 = res[0].t1, nf = threads_faults(r, pt, k);
		double sum = 0;
		unsigned int n = 0;

		for (unsigned int i = 0; i < pt->nthreads; i++) {
			t0 = res[i].t0 < t0 ? res[i].t0 : t0;
			t1 = res[i].t1 > t1 ? res[i].t1 : t1;
			if (res[i].minflt) {
				sum += (res[i].t1 - res[i].t0) * tick_ns / res[i].minflt;
				n++;
			}
		}
		wall[k] = (t1 - t0) * tick_ns;
		fps[k] = wall[k] > 0 ? nf / (wall[k] * 1e-9) : 0;
		lat[k] = n ? sum / n : 0;
		lat_ok[k] = n > 0;
	}
	for (unsigned int i = 0; i < pt->nthreads; i++) {
		const struct thread_result *res = &pt->threads[0][i];

		json_array_append_new(th, json_pack("{sI sI so so sI sf}",
			"slice_offset", (json_int_t)res->lo, "slice_length", (json_int_t)(res->hi - res->lo),
			"cpu", res->cpu >= 0 ? json_integer(res->cpu) : json_null(),
			"pu_logical", res->pu >= 0 ? json_integer(res->pu) : json_null(),
			"minflt", (json_int_t)res->minflt, "touch_ns", (res->t1 - res->t0) * tick_ns));
		if (res->pin_error)
			json_object_set_new(json_array_get(th, i), "pin_error", json_string(strerror(res->pin_error)));
	}
	check = json_pack("{ss so so ss?}", "status", bad ? "mismatch" : "ok",
			  "expected", counts_json(&exp), "measured", counts_json(&got),
			  "explanation", bad ? why : NULL);
	j = json_pack("{sI so so}", "threads", (json_int_t)pt->nthreads, "per_thread", th, "check", check);
	if (r->t->kind == TARGET_PFNMAP)
		json_object_set_new(j, "faults", counts_json(&got));
	/* in the point itself, as tlb's: plot/ and compare/ sweep over them */
	json_object_set_new(j, "faults_per_s", metric_json("faults/s", "higher", fps, NULL, r->nreps));
	json_object_set_new(j, "fault_latency_ns", metric_json("ns", "lower", lat, lat_ok, r->nreps));
	json_object_set_new(j, "wall_ns", ns_metric_json(wall, r->nreps));
	return j;
}

json_t *threads_run_to_json(const struct threads_run *r, const struct bench_ctx *ctx)
{
	double tick_ns = 1e9 / ctx->tsc->hz;
	json_t *run = run_head_json("threads", r->t, &r->p, r->write, r->status, r->reason), *pts;
	struct virt_state virt;

	json_object_set_new(run, "reps_completed", json_integer(r->done == r->npoints ? r->nreps : 0));
	if (r->status != RUN_OK)
		return run;
	json_object_set_new(json_object_get(run, "params"), "grain_bytes", json_integer((json_int_t)r->grain));
	json_object_set_new(run, "pus", json_integer(pu_count()));
	pts = json_array();
	for (unsigned int k = 0; k < r->done; k++)
		json_array_append_new(pts, point_json(r, &r->pt[k], tick_ns));
	json_object_set_new(run, "points", pts);
	json_object_set_new(run, "method", json_string(
		"slices are whole grains (params.grain_bytes: the largest page the model puts in the mapping), thread i pinned to hwloc PU i mod pus; faults_per_s = faults of all threads / (last end - first start); fault_latency_ns = mean over threads of touch time / ru_minflt; the check sums faults by level (pfnmaps: the module's counters; baselines: ru_minflt) against the model, fallbacks are not checked (threads sharing a region above the leaf may each be offered it)"));
	virt_detect(&virt);
	if (!strcmp(virt.type, "tcg"))
		json_object_set_new(run, "notes", json_pack("[s]",
			"TCG: the vCPUs are emulated (QEMU threads on whatever host cores it has): this shows the structure (slices, counts, placement), not how faults scale with threads"));
	return run;
}

/* ------------------------------------------------------------------- run */

static void summary(const struct threads_run *r, const struct bench_ctx *ctx)
{
	double tick_ns = 1e9 / ctx->tsc->hz;
	char why[512];

	if (r->status != RUN_OK) {
		fprintf(stderr, "threads: %s: %s: %s\n", r->t->name,
			r->status == RUN_SKIP ? "skipped" : "FAILED", r->reason);
		return;
	}
	for (unsigned int k = 0; k < r->done; k++) {
		const struct threads_point *pt = &r->pt[k];
		struct theory_out exp, got;
		uint64_t t0 = pt->threads[0][0].t0, t1 = pt->threads[0][0].t1;

		for (unsigned int i = 0; i < pt->nthreads; i++) {
			t0 = pt->threads[0][i].t0 < t0 ? pt->threads[0][i].t0 : t0;
			t1 = pt->threads[0][i].t1 > t1 ? pt->threads[0][i].t1 : t1;
		}
		if (threads_check(r, pt, &exp, &got, why, sizeof(why)))
			fprintf(stderr, "threads: %s: warning: counts differ from the model: %s\n",
				r->t->name, why);
		else if (!ctx->p->quiet)
			fprintf(stderr, "threads: %s: T=%u: %llu faults in %.0f ns (rep 0), model ok\n",
				r->t->name, pt->nthreads, (unsigned long long)threads_faults(r, pt, 0),
				(t1 - t0) * tick_ns);
	}
}

static int threads_run(struct bench_ctx *ctx)
{
	const struct common_params *p = ctx->p;
	unsigned int max = threads_params.max_threads ? threads_params.max_threads : pu_count();
	unsigned int tv[THREADS_MAX_POINTS], npoints;
	int failed = 0;

	if (!max)
		max = 1;
	if (max > MAX_THREADS)
		max = MAX_THREADS;
	npoints = threads_sweep(max, tv, THREADS_MAX_POINTS);
	measure_init();
	for (unsigned int id = 0; id < NR_TARGETS; id++) {
		struct target_env env = {
			.device = p->device, .info = ctx->info, .align = p->align, .cache = p->cache,
			.size = p->size, .offset = p->offset, .attr = ATTR_GETRUSAGE,
		};
		struct threads_run *r;

		if (!(p->targets & (1ULL << id)))
			continue;
		r = calloc(1, sizeof(*r));
		if (!r) {
			fprintf(stderr, "threads: out of memory\n");
			return -1;
		}
		r->t = &targets[id];
		r->p = *p;
		r->size = p->size;
		r->nreps = p->reps;
		r->write = access_write(p, r->t);
		r->npoints = npoints;
		for (unsigned int k = 0; k < npoints; k++) {
			r->pt[k].nthreads = tv[k];
			r->pt[k].c = calloc(p->reps, sizeof(*r->pt[k].c));
			r->pt[k].threads = calloc(p->reps, sizeof(*r->pt[k].threads));
			for (unsigned int i = 0; r->pt[k].threads && i < p->reps; i++)
				if (!(r->pt[k].threads[i] = calloc(tv[k], sizeof(struct thread_result))))
					r->status = RUN_FAIL;
			if (!r->pt[k].c || !r->pt[k].threads)
				r->status = RUN_FAIL;
		}
		if (r->status == RUN_OK)
			measure(r, ctx, &env);
		else
			snprintf(r->reason, sizeof(r->reason), "out of memory");
		summary(r, ctx);
		if (r->status == RUN_FAIL)
			failed++;
		json_array_append_new(ctx->runs, threads_run_to_json(r, ctx));
		for (unsigned int k = 0; k < npoints; k++) {
			for (unsigned int i = 0; r->pt[k].threads && i < p->reps; i++)
				free(r->pt[k].threads[i]);
			free(r->pt[k].threads);
			free(r->pt[k].c);
		}
		free(r);
	}
	return failed;
}

const struct benchmark bench_threads = {
	.name = "threads",
	.help = "T threads (1, 2, 4, ... up to the PUs) faulting disjoint slices of one mapping: faults/s and per-fault latency per T",
	.opts = threads_opts,
	.params = &threads_params,
	.run = threads_run,
};

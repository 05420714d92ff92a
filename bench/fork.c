// SPDX-License-Identifier: GPL-2.0
/*
 * fork.c - what a mapping costs fork(): its page tables are copied.
 *
 * Per target (pfnmaps and baselines) and size, three variants of a fresh
 * mapping, each repetition on its own:
 *   populated    every page touched first;
 *   unpopulated  mapped, never touched (remap is populated by its mmap);
 *   dontfork     populated, then madvise(MADV_DONTFORK) (VM_DONTCOPY: the
 *                child gets no VMA, nothing is copied).
 * The timed fork(): fork_ns from the call to its return in the parent (the
 * copy of the address space), fork_wait_ns to waitpid() of the child, which
 * _exit()s at once (adds its exit: the teardown of the copy).  copy_ns is
 * the populated median less the unpopulated one, per leaf of the parent's
 * page-table census and per GiB.
 * Once per variant an untimed fork checks what the child got (pfnmaps): its
 * census of the range, whether it has the VMA at all (mincore()), and the
 * faults its touch of every page makes, which must be the model's: none
 * when the parent's entries were copied (populated, and remap), a fresh
 * populate (theory_expect()) when there were none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device.h"
#include "fork.h"
#include "measure.h"
#include "result.h"


struct fork_params {
	const char *sizes;
};

static struct fork_params fork_params;

static const struct opt fork_opts[] = {
	{ .name = "sizes", .type = OPT_STRING,
	  .help = "comma list of mapping sizes to sweep, one run per target and size (default: --size)",
	  .off = offsetof(struct fork_params, sizes) },
	{ .name = NULL },
};

const char *const fork_variant_names[NR_FORK_VARIANTS + 1] = {
	"populated", "unpopulated", "dontfork", NULL,
};

/* ---------------------------------------------------------------- pure */

int fork_child_expect(const struct theory_in *tin, enum fork_variant v, bool pfnmap_populated,
		      struct theory_out *exp)
{
	memset(exp, 0, sizeof(*exp));
	if (v == FORK_DONTFORK || pfnmap_populated)
		return 0;		/* no VMA, or every entry copied: no fault */
	return theory_expect(tin, exp);
}

/* ------------------------------------------------------------- measure */

struct touch_arg {
	volatile char *map;
	uint64_t len;
};

static void touch_fn(void *arg)
{
	struct touch_arg *a = arg;

	for (uint64_t off = 0; off < a->len; off += SZ_4K) {
		uint64_t v = *(volatile uint64_t *)(a->map + off);

		__asm__ __volatile__("" :: "r"(v));
	}
}

/* The child of the check fork: census, VMA, touch; its report down the pipe. */
static void __attribute__((noreturn)) child_check(int wfd, struct target_state *ts,
						   volatile char *map, uint64_t len,
						   const struct bench_ctx *ctx)
{
	struct fork_child c = { .census_ret = -1 };
	unsigned char vec;
	struct rusage ru;
	char why[160];
	ssize_t n;

	c.vma = !mincore((void *)map, SZ_4K, &vec) || errno != ENOMEM;
	if (ts->t->kind == TARGET_PFNMAP)
		c.census_ret = dev_census(ts->fd, ctx->info, map, len, &c.census, why, sizeof(why)) ?
			       -errno : 0;
	if (c.vma) {
		struct touch_arg a = { .map = map, .len = len };

		getrusage(RUSAGE_THREAD, &ru);
		c.minflt = ru.ru_minflt;
		c.touched = !measure_guarded(touch_fn, &a, map, "the child's touch", why, sizeof(why));
		getrusage(RUSAGE_THREAD, &ru);
		c.minflt = ru.ru_minflt - c.minflt;
	}
	n = write(wfd, &c, sizeof(c));
	_exit(n == sizeof(c) ? 0 : 1);
}

static int check_child(struct fork_run *r, struct fork_variant_result *vr, struct target_state *ts,
		       volatile char *map, const struct bench_ctx *ctx)
{
	int fds[2], status, ret;
	pid_t pid;
	ssize_t n;

	if (pipe(fds)) {
		snprintf(r->reason, sizeof(r->reason), "pipe: %s", strerror(errno));
		return -1;
	}
	if ((ret = ts->t->counters_reset(ts))) {
		snprintf(r->reason, sizeof(r->reason), "resetting the counters: %s", strerror(-ret));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(r->reason, sizeof(r->reason), "fork (the child check): %s", strerror(errno));
		ret = -1;
		goto out;
	}
	if (!pid) {
		close(fds[0]);
		child_check(fds[1], ts, map, r->size, ctx);
	}
	close(fds[1]);
	fds[1] = -1;
	n = read(fds[0], &vr->child, sizeof(vr->child));
	waitpid(pid, &status, 0);
	if (n != sizeof(vr->child) || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(r->reason, sizeof(r->reason), "%s: the check child died or said nothing (status 0x%x)",
			 fork_variant_names[vr->variant], status);
		ret = -1;
		goto out;
	}
	vr->have_child = true;
	ret = ts->t->counters_read(ts, &vr->child_counters);
	if (ret)
		snprintf(r->reason, sizeof(r->reason), "reading the counters: %s", strerror(-ret));
out:
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return ret ? -1 : 0;
}

static int timed_fork(struct fork_run *r, uint64_t *fork_ticks, uint64_t *wait_ticks)
{
	uint64_t t0, t1, t2;
	int status;
	pid_t pid;

	t0 = tick_begin();
	pid = fork();
	if (!pid)
		_exit(0);
	t1 = tick_end();
	if (pid < 0) {
		snprintf(r->reason, sizeof(r->reason), "fork: %s", strerror(errno));
		return -1;
	}
	waitpid(pid, &status, 0);
	t2 = tick_end();
	*fork_ticks = t1 - t0;
	*wait_ticks = t2 - t0;
	return 0;
}

static void measure(struct fork_run *r, const struct bench_ctx *ctx, const struct target_env *env)
{
	struct target_state ts;
	volatile char *map;
	struct pass pass;
	char what[96], why[160];
	bool skip;

	if (target_open(&ts, r->t, env, &skip, r->reason, sizeof(r->reason))) {
		r->status = skip ? RUN_SKIP : RUN_FAIL;
		return;
	}
	/*
	 * --warmup: the first p.warmup repetitions map, populate and fork
	 * every variant as a timed one does, their ticks thrown away (no check
	 * child, no census: those are rep 0's), so that the host's first touch
	 * of the backing is in none of the timed.
	 */
	for (unsigned int j = 0; j < r->p.warmup + r->nreps; j++) {
		bool warm = j < r->p.warmup;
		unsigned int i = warm ? j : j - (unsigned int)r->p.warmup;

		for (int v = 0; v < NR_FORK_VARIANTS; v++) {
			struct fork_variant_result *vr = &r->var[v];
			struct pass_req req = { .len = r->size, .write = r->write,
						.no_touch = v == FORK_UNPOPULATED };
			uint64_t scratch_fork, scratch_wait;

			snprintf(what, sizeof(what), "%s %u (%s)", warm ? "warm-up" : "rep", i,
				 fork_variant_names[v]);
			if (measure_map(&ts, &req, &pass, &map, what, r->reason, sizeof(r->reason)))
				goto fail;
			if (v == FORK_DONTFORK && madvise((void *)map, r->size, MADV_DONTFORK)) {
				snprintf(r->reason, sizeof(r->reason), "madvise(MADV_DONTFORK): %s",
					 strerror(errno));
				r->t->unmap(&ts, map, r->size);
				goto fail;
			}
			if (!warm && i == 0) {
				vr->pop = pass;
				if (r->t->kind == TARGET_PFNMAP) {
					if (v == 0) {
						theory_input(&r->tin, r->t, pass.va, r->size, &r->p,
							     ctx->info, ctx->thp, false);
						theory_scan_neighbours(&r->tin);
					}
					vr->census_ok = !dev_census(ts.fd, ctx->info, map, r->size,
								    &vr->census, why, sizeof(why));
				}
			}
			if (timed_fork(r, warm ? &scratch_fork : &vr->fork_ticks[i],
				       warm ? &scratch_wait : &vr->wait_ticks[i]) ||
			    (!warm && i == 0 && check_child(r, vr, &ts, map, ctx))) {
				r->t->unmap(&ts, map, r->size);
				goto fail;
			}
			r->t->unmap(&ts, map, r->size);
		}
		if (!warm)
			r->done++;
	}
	target_close(&ts);
	return;
fail:
	r->status = RUN_FAIL;
	target_close(&ts);
}

/* ------------------------------------------------------------------ JSON */

static json_t *census_json(const struct bench_mmio_census *c)
{
	return json_pack("{s{sI sI sI} sI}", "leaves", "pte", (json_int_t)c->leaves[0],
			 "pmd", (json_int_t)c->leaves[1], "pud", (json_int_t)c->leaves[2],
			 "pages", (json_int_t)c->pages);
}

/* The child's view against the model: 0 ok, 1 mismatch (why). */
int fork_child_check(const struct fork_run *r, const struct fork_variant_result *vr,
		     struct theory_out *exp, struct theory_out *got, char *why, size_t len)
{
	bool populated = vr->variant == FORK_POPULATED ||
			 theory_strategy_populate[r->t->strategy] == BENCH_MMIO_POPULATE_MMAP;
	const struct fork_child *c = &vr->child;
	size_t u = 0;

	why[0] = '\0';
	measured_out(&vr->child_counters.st, got);
	if (fork_child_expect(&r->tin, vr->variant, populated, exp)) {
		snprintf(why, len, "no model for this strategy");
		return 1;
	}
	if (memcmp(exp->faults, got->faults, sizeof(exp->faults)) || exp->fallback != got->fallback ||
	    exp->pages != got->pages)
		u += snprintf(why + u, len - u,
			      "child's faults pte %llu pmd %llu pud %llu fallback %llu pages %llu, the model %llu %llu %llu %llu %llu; ",
			      (unsigned long long)got->faults[0], (unsigned long long)got->faults[1],
			      (unsigned long long)got->faults[2], (unsigned long long)got->fallback,
			      (unsigned long long)got->pages, (unsigned long long)exp->faults[0],
			      (unsigned long long)exp->faults[1], (unsigned long long)exp->faults[2],
			      (unsigned long long)exp->fallback, (unsigned long long)exp->pages);
	if (c->vma != (vr->variant != FORK_DONTFORK) && u < len)
		u += snprintf(why + u, len - u, "the child %s the VMA; ", c->vma ? "has" : "lacks");
	if (vr->variant != FORK_DONTFORK && vr->census_ok && u < len &&
	    (c->census_ret || memcmp(c->census.leaves, vr->census.leaves, sizeof(c->census.leaves)) ||
	     c->census.pages != vr->census.pages))
		u += snprintf(why + u, len - u, "the child's census differs from the parent's; ");
	if (vr->variant != FORK_DONTFORK && !c->touched && u < len)
		u += snprintf(why + u, len - u, "the child's touch got a signal; ");
	return u ? 1 : 0;
}

/* One variant's record; its metrics go into the run's m (fork_VARIANT_ns, fork_wait_VARIANT_ns). */
static json_t *variant_json(const struct fork_run *r, const struct fork_variant_result *vr,
			    double tick_ns, json_t *m)
{
	const struct fork_child *c = &vr->child;
	double *ns = calloc(r->done ? r->done : 1, sizeof(*ns));
	json_t *j = json_object(), *ch;
	char name[48];

	json_object_set_new(j, "census", vr->census_ok ? census_json(&vr->census) : json_null());
	if (vr->have_child) {
		ch = json_pack("{sb sb sI}", "vma", c->vma, "touched", c->touched, "minflt", (json_int_t)c->minflt);
		json_object_set_new(ch, "census", !c->census_ret ? census_json(&c->census) : json_null());
		if (c->census_ret)
			json_object_set_new(ch, "census_errno", json_string(strerror(-c->census_ret)));
		if (r->t->kind == TARGET_PFNMAP) {
			struct theory_out exp, got;
			char why[512];
			int bad = fork_child_check(r, vr, &exp, &got, why, sizeof(why));

			json_object_set_new(ch, "faults", counts_json(&got));
			json_object_set_new(ch, "check", json_pack("{ss so so ss?}",
				"status", bad ? "mismatch" : "ok", "expected", counts_json(&exp),
				"measured", counts_json(&got), "explanation", bad ? why : NULL));
		}
		json_object_set_new(j, "child", ch);
	} else {
		json_object_set_new(j, "child", json_null());
	}
	if (ns) {
		for (unsigned int i = 0; i < r->done; i++)
			ns[i] = vr->fork_ticks[i] * tick_ns;
		snprintf(name, sizeof(name), "fork_%s_ns", fork_variant_names[vr->variant]);
		json_object_set_new(m, name, ns_metric_json(ns, r->done));
		for (unsigned int i = 0; i < r->done; i++)
			ns[i] = vr->wait_ticks[i] * tick_ns;
		snprintf(name, sizeof(name), "fork_wait_%s_ns", fork_variant_names[vr->variant]);
		json_object_set_new(m, name, ns_metric_json(ns, r->done));
	}
	free(ns);
	return j;
}

static double median_ns(const uint64_t *ticks, unsigned int n, double tick_ns)
{
	double v[n ? n : 1];
	struct summary s;

	for (unsigned int i = 0; i < n; i++)
		v[i] = ticks[i] * tick_ns;
	summarize(v, n, &s);
	return s.median;
}

json_t *fork_run_to_json(const struct fork_run *r, const struct bench_ctx *ctx)
{
	double tick_ns = 1e9 / ctx->tsc->hz;
	json_t *run = run_head_json("fork", r->t, &r->p, r->write, r->status, r->reason), *vars, *copy, *m;
	const struct fork_variant_result *pv = &r->var[FORK_POPULATED];
	uint64_t leaves = 0;
	double d;

	json_object_set_new(run, "reps_completed", json_integer(r->done));
	if (!r->done || r->status == RUN_SKIP)
		return run;
	json_object_set_new(run, "mapping", json_pack("{sI sI sI}", "va", (json_int_t)pv->pop.va,
		"va_align", (json_int_t)addr_align(pv->pop.va),
		"align_asked", (json_int_t)(r->t->kind == TARGET_PFNMAP ? r->tin.align : r->t->va_align)));
	json_object_set_new(run, "page_size", page_sizes_json(&pv->pop.ps,
		r->t->kind == TARGET_PFNMAP ? page_size_bytes[theory_strategy_level[r->t->strategy]] :
					      r->t->page_size,
		r->t->kind == TARGET_PFNMAP ? "module" : "smaps"));
	vars = json_object();
	m = json_object();
	for (int v = 0; v < NR_FORK_VARIANTS; v++)
		json_object_set_new(vars, fork_variant_names[v], variant_json(r, &r->var[v], tick_ns, m));
	json_object_set_new(run, "variants", vars);
	json_object_set_new(run, "metrics", m);
	d = median_ns(pv->fork_ticks, r->done, tick_ns) -
	    median_ns(r->var[FORK_UNPOPULATED].fork_ticks, r->done, tick_ns);
	if (pv->census_ok)
		for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
			leaves += pv->census.leaves[l];
	copy = json_pack("{sf sf ss}", "copy_ns", d, "copy_ns_per_gib", d * (double)SZ_1G / (double)r->size,
			 "method", "median fork_populated_ns - median fork_unpopulated_ns (the unpopulated remap mapping is populated too: its difference is ~0); a difference of medians, negative where the copy is within the noise; per leaf of variants.populated.census");
	json_object_set_new(copy, "copy_ns_per_leaf", leaves ? json_real(d / (double)leaves) : json_null());
	json_object_set_new(run, "copy", copy);
	return run;
}

/* ------------------------------------------------------------------- run */

static void summary(const struct fork_run *r, const struct bench_ctx *ctx)
{
	double tick_ns = 1e9 / ctx->tsc->hz;
	char sz[32], why[512];

	format_size(r->size, sz, sizeof(sz));
	if (r->status != RUN_OK) {
		fprintf(stderr, "fork: %s %s: %s: %s\n", r->t->name, sz,
			r->status == RUN_SKIP ? "skipped" : "FAILED", r->reason);
		return;
	}
	for (int v = 0; v < NR_FORK_VARIANTS; v++) {
		const struct fork_variant_result *vr = &r->var[v];
		struct theory_out exp, got;
		bool bad = r->t->kind == TARGET_PFNMAP && fork_child_check(r, vr, &exp, &got, why, sizeof(why));

		if (bad)
			fprintf(stderr, "fork: %s %s: warning: %s: %s\n", r->t->name, sz,
				fork_variant_names[v], why);
		else if (!ctx->p->quiet)
			fprintf(stderr, "fork: %s %s: %s: median fork %.0f ns, child %s%s\n", r->t->name, sz,
				fork_variant_names[v], median_ns(vr->fork_ticks, r->done, tick_ns),
				vr->child.vma ? "has the VMA" : "has no VMA",
				r->t->kind == TARGET_PFNMAP ? " (model ok)" : "");
	}
}

static int fork_check(const struct common_params *p, char *err, size_t len)
{
	uint64_t sizes[MEASURE_MAX_SIZES];
	unsigned int n;

	return measure_sizes(p, fork_params.sizes, NULL, sizes, &n, err, len);
}

static int fork_run(struct bench_ctx *ctx)
{
	const struct common_params *p = ctx->p;
	uint64_t sizes[MEASURE_MAX_SIZES];
	unsigned int nsizes;
	char err[OPT_ERRLEN + 64];
	int failed = 0;

	if (measure_sizes(p, fork_params.sizes, ctx->info, sizes, &nsizes, err, sizeof(err))) {
		fprintf(stderr, "fork: %s\n", err);
		return -1;
	}
	measure_init();
	for (unsigned int k = 0; k < nsizes; k++) {
		for (unsigned int id = 0; id < NR_TARGETS; id++) {
			struct target_env env = {
				.device = p->device, .info = ctx->info, .align = p->align,
				.cache = p->cache, .size = sizes[k], .offset = p->offset,
				.attr = ATTR_GETRUSAGE,
			};
			struct fork_run *r;

			if (!(p->targets & (1ULL << id)))
				continue;
			r = calloc(1, sizeof(*r));
			if (!r) {
				fprintf(stderr, "fork: out of memory\n");
				return -1;
			}
			r->t = &targets[id];
			r->p = *p;
			r->p.size = r->size = sizes[k];
			r->nreps = p->reps;
			r->write = access_write(p, r->t);
			for (int v = 0; v < NR_FORK_VARIANTS; v++) {
				r->var[v].variant = v;
				r->var[v].fork_ticks = calloc(p->reps, sizeof(uint64_t));
				r->var[v].wait_ticks = calloc(p->reps, sizeof(uint64_t));
				if (!r->var[v].fork_ticks || !r->var[v].wait_ticks) {
					r->status = RUN_FAIL;
					snprintf(r->reason, sizeof(r->reason), "out of memory");
				}
			}
			if (r->status == RUN_OK)
				measure(r, ctx, &env);
			if (r->status == RUN_OK && r->done != r->nreps)
				r->status = RUN_FAIL;
			summary(r, ctx);
			if (r->status == RUN_FAIL)
				failed++;
			json_array_append_new(ctx->runs, fork_run_to_json(r, ctx));
			for (int v = 0; v < NR_FORK_VARIANTS; v++) {
				free(r->var[v].fork_ticks);
				free(r->var[v].wait_ticks);
			}
			free(r);
		}
	}
	return failed;
}

const struct benchmark bench_fork = {
	.name = "fork",
	.help = "fork() with a populated, an unpopulated and a MADV_DONTFORK mapping per target: page-table copy cost, and what the child got",
	.opts = fork_opts,
	.params = &fork_params,
	.check = fork_check,
	.run = fork_run,
};

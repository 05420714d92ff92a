// SPDX-License-Identifier: GPL-2.0
/*
 * tlb.c - TLB reach: dependent loads over growing working sets, per target.
 *
 * Per target: map and populate (measure_map()), take the page-table census
 * (pfnmaps), then per working set build a random cyclic chain over its
 * nodes in the mapping itself (chain.h, untimed), walk it once to warm up,
 * and time --reps walks of max(nodes, --accesses) dependent loads, with the
 * hardware TLB counters around each walk when there is a PMU (pmu.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "chain.h"
#include "device.h"
#include "measure.h"
#include "pmu.h"
#include "result.h"
#include "sysinfo.h"
#include "theory.h"
#include "tlb.h"

struct tlb_params {
	uint64_t stride, accesses, seed;
	const char *events_dir;
};

static struct tlb_params tlb_params;

#define T(field) offsetof(struct tlb_params, field)
static const struct opt tlb_opts[] = {
	{ .name = "stride", .type = OPT_SIZE, .def = "4K",
	  .help = "bytes per chain node (one node per stride; 4K: one per page)", .off = T(stride) },
	{ .name = "accesses", .type = OPT_UINT, .def = "65536",
	  .help = "timed dependent loads per repetition and point, at least (a point makes max(nodes, this))",
	  .off = T(accesses), .min = 1, .max = 1ULL << 32 },
	{ .name = "seed", .type = OPT_UINT, .def = "1",
	  .help = "key of the chain's random order (same seed, same order)", .off = T(seed) },
	{ .name = "events-dir", .type = OPT_STRING,
	  .help = "directory of <pmu>.conf event lists (default: config/events as built in)",
	  .off = T(events_dir) },
	{ .name = NULL },
};

#define MAX_POINTS 64

unsigned int tlb_points(uint64_t total, uint64_t *nodes, unsigned int max)
{
	unsigned int n = 0;

	for (uint64_t k = 4; k < total && n + 1 < max; k *= 2)
		nodes[n++] = k;
	if (total && n < max)
		nodes[n++] = total;
	return n;
}

static json_t *levels_pages_json(uint64_t pte, uint64_t pmd, uint64_t pud, uint64_t pages)
{
	return json_pack("{sI sI sI sI}", "pte", (json_int_t)pte, "pmd", (json_int_t)pmd,
			 "pud", (json_int_t)pud, "pages", (json_int_t)pages);
}

json_t *tlb_census_check_json(unsigned int strategy, uint64_t size,
			      const struct bench_mmio_census *c, const char *why,
			      const struct bench_mmio_stats *st)
{
	bool per_fault = theory_strategy_populate[strategy] == BENCH_MMIO_POPULATE_FAULT;
	const char *method = per_fault ?
		"census leaves per level == the module's faults per level after a fresh populate, census pages == size / 4K" :
		"census PTE leaves == the module's pages (populated by mmap or by one fault for the whole VMA), no huge leaves, census pages == size / 4K";
	uint64_t exp[BENCH_MMIO_NR_LEVELS], pages = size / 4096;
	char expl[512] = "";
	bool ok = true;

	if (!c)
		return json_pack("{ss ss so so ss}", "status", "unavailable", "method", method,
				 "expected", json_null(), "measured", json_null(),
				 "explanation", why && *why ? why : "no census");
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		exp[l] = per_fault ? st->faults[l] : 0;
	if (!per_fault)
		exp[BENCH_MMIO_LEVEL_PTE] = st->pages;
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		if (c->leaves[l] != exp[l]) {
			size_t u = strlen(expl);

			ok = false;
			snprintf(expl + u, sizeof(expl) - u, "%s%s leaves: census %llu, %s %llu",
				 u ? "; " : "", level_names[l], (unsigned long long)c->leaves[l],
				 per_fault ? "module faults" : l == BENCH_MMIO_LEVEL_PTE ? "module pages" : "expected",
				 (unsigned long long)exp[l]);
		}
	if (c->pages != pages) {
		size_t u = strlen(expl);

		ok = false;
		snprintf(expl + u, sizeof(expl) - u, "%spages mapped: census %llu, the range has %llu",
			 u ? "; " : "", (unsigned long long)c->pages, (unsigned long long)pages);
	}
	if (!ok) {
		size_t u = strlen(expl);

		snprintf(expl + u, sizeof(expl) - u,
			 ": the page tables do not say what the fault handlers counted (an entry inserted without being counted, a split, or a zap)");
	}
	return json_pack("{ss ss so so so}", "status", ok ? "ok" : "mismatch", "method", method,
			 "expected", levels_pages_json(exp[0], exp[1], exp[2], pages),
			 "measured", levels_pages_json(c->leaves[0], c->leaves[1], c->leaves[2], c->pages),
			 "explanation", ok ? json_null() : json_string(expl));
}

/* ------------------------------------------------------------- measure */

struct build_arg {
	const struct chain *c;
	volatile char *base;
	volatile uint64_t *first;
};

static void build_fn(void *a)
{
	struct build_arg *b = a;

	b->first = chain_build(b->c, b->base);
}

struct walk_arg {
	volatile uint64_t *p;
	uint64_t steps, t0, t1;
	struct pmu_set *pmu;	/* NULL: not counted (warm-up) */
};

static void walk_fn(void *a)
{
	struct walk_arg *w = a;

	if (w->pmu)
		pmu_enable(w->pmu);
	w->t0 = tick_begin();
	w->p = chain_walk(w->p, w->steps);
	w->t1 = tick_end();
	if (w->pmu)
		pmu_disable(w->pmu);
}

struct tlb_point {
	uint64_t nodes, accesses;
	double *ns;			/* per rep */
	struct pmu_count acc[PMU_MAX_EVENTS];
};

struct tlb_run {
	const struct target *t;
	enum run_status status;
	char reason[512];
	struct pass pop;		/* the populate */
	bool write;			/* populate access */
	bool have_census;
	struct bench_mmio_census census;
	char census_why[256];
	unsigned int npoints, done;
	struct tlb_point pt[MAX_POINTS];
	uint64_t nodes;
	long max_rss_kb;
};

static void measure(struct tlb_run *r, const struct bench_ctx *ctx, const struct target_env *env,
		    struct pmu_set *pmu)
{
	const struct common_params *p = ctx->p;
	struct pass_req req = { .len = p->size, .write = r->write };
	uint64_t nodes[MAX_POINTS];
	struct target_state ts;
	volatile char *map;
	char what[96];
	bool skip;

	if (target_open(&ts, r->t, env, &skip, r->reason, sizeof(r->reason))) {
		r->status = skip ? RUN_SKIP : RUN_FAIL;
		return;
	}
	if (measure_map(&ts, &req, &r->pop, &map, "populate", r->reason, sizeof(r->reason))) {
		r->status = RUN_FAIL;
		target_close(&ts);
		return;
	}
	if (r->t->kind == TARGET_PFNMAP) {
		/* asked whatever module.features says: an old module answers ENOTTY */
		r->have_census = !dev_census(ts.fd, ctx->info, map, p->size, &r->census,
					     r->census_why, sizeof(r->census_why));
	}
	r->nodes = p->size / tlb_params.stride;
	r->npoints = tlb_points(r->nodes, nodes, MAX_POINTS);
	for (unsigned int i = 0; i < r->npoints; i++) {
		struct tlb_point *pt = &r->pt[i];
		struct chain c;
		struct build_arg b;
		struct walk_arg w;

		pt->nodes = nodes[i];
		pt->accesses = nodes[i] > tlb_params.accesses ? nodes[i] : tlb_params.accesses;
		pt->ns = calloc(p->reps, sizeof(*pt->ns));
		if (!pt->ns) {
			snprintf(r->reason, sizeof(r->reason), "out of memory");
			r->status = RUN_FAIL;
			break;
		}
		chain_init(&c, pt->nodes, tlb_params.stride, tlb_params.seed);
		b = (struct build_arg){ .c = &c, .base = map };
		snprintf(what, sizeof(what), "building the chain of %llu nodes", (unsigned long long)pt->nodes);
		if (measure_guarded(build_fn, &b, map, what, r->reason, sizeof(r->reason))) {
			r->status = RUN_FAIL;
			break;
		}
		/* warm-up: one lap at least, so every node's translation is loaded */
		w = (struct walk_arg){ .p = b.first, .steps = pt->nodes > 4096 ? pt->nodes : 4096 };
		snprintf(what, sizeof(what), "the warm-up walk of %llu nodes", (unsigned long long)pt->nodes);
		if (measure_guarded(walk_fn, &w, map, what, r->reason, sizeof(r->reason))) {
			r->status = RUN_FAIL;
			break;
		}
		/*
		 * --warmup: whole repetitions (a walk of the timed length),
		 * neither timed into ns nor counted.  The populate and the
		 * build already touched every page before any point, so the
		 * backing's first touch is not what these take out: they make
		 * "warmup" mean N untimed repetitions here as elsewhere.
		 */
		for (unsigned int k = 0; k < p->warmup; k++) {
			w.steps = pt->accesses;
			w.pmu = NULL;
			snprintf(what, sizeof(what), "warm-up walk %u of %llu nodes", k,
				 (unsigned long long)pt->nodes);
			if (measure_guarded(walk_fn, &w, map, what, r->reason, sizeof(r->reason))) {
				r->status = RUN_FAIL;
				break;
			}
		}
		if (r->status == RUN_FAIL)
			break;
		for (unsigned int k = 0; k < p->reps; k++) {
			w.steps = pt->accesses;
			w.pmu = pmu->available ? pmu : NULL;
			snprintf(what, sizeof(what), "timed walk %u of %llu nodes", k, (unsigned long long)pt->nodes);
			if (measure_guarded(walk_fn, &w, map, what, r->reason, sizeof(r->reason))) {
				r->status = RUN_FAIL;
				break;
			}
			pt->ns[k] = (double)(w.t1 - w.t0) * 1e9 / ctx->tsc->hz / (double)pt->accesses;
			if (w.pmu)
				pmu_read(pmu, pt->acc);
		}
		if (r->status == RUN_FAIL)
			break;
		r->done++;
	}
	r->t->unmap(&ts, map, p->size);
	target_close(&ts);
	{
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		r->max_rss_kb = ru.ru_maxrss;
	}
}

/* ------------------------------------------------------------------ JSON */

static void label(const struct tlb_run *r, char *buf, size_t len)
{
	static const char *const lv[] = { "PTE", "PMD", "PUD" };
	bool mixed;
	uint64_t ps = page_size_obtained(&r->pop.ps, &mixed);
	size_t u;

	snprintf(buf, len, "%s: ", r->t->name);
	if (r->have_census) {
		bool any = false;

		for (int l = BENCH_MMIO_NR_LEVELS - 1; l >= 0; l--) {
			if (!r->census.leaves[l])
				continue;
			u = strlen(buf);
			snprintf(buf + u, len - u, "%s%llu %s", any ? " + " : "",
				 (unsigned long long)r->census.leaves[l], lv[l]);
			any = true;
		}
		u = strlen(buf);
		snprintf(buf + u, len - u, "%s (census)", any ? "" : "nothing mapped");
		return;
	}
	u = strlen(buf);
	if (!r->pop.ps.known)
		snprintf(buf + u, len - u, "no pages of its own (%s)",
			 r->t->kind == TARGET_PFNMAP ? "module counters" : "smaps");
	else
		snprintf(buf + u, len - u, "%s%lluK pages (%s)", mixed ? "mixed, smallest " : "",
			 (unsigned long long)(ps >> 10),
			 r->t->kind == TARGET_PFNMAP ? "module counters; no census" : "smaps");
}

static json_t *tlb_run_to_json(const struct tlb_run *r, const struct bench_ctx *ctx,
			       const struct pmu_set *pmu)
{
	const struct common_params *p = ctx->p;
	const struct target *t = r->t;
	bool pfnmap = t->kind == TARGET_PFNMAP;
	json_t *run = run_head_json("tlb", t, p, false, r->status, r->reason), *params, *points;
	char lab[160];

	params = json_object_get(run, "params");
	json_object_set_new(params, "stride_bytes", json_integer((json_int_t)tlb_params.stride));
	json_object_set_new(params, "accesses_min", json_integer((json_int_t)tlb_params.accesses));
	json_object_set_new(params, "seed", json_integer((json_int_t)tlb_params.seed));
	json_object_set_new(params, "populate", json_string(access_names[r->write]));
	json_object_set_new(run, "placement", ctx->pin ? placement_json(ctx->pin) : json_null());
	json_object_set_new(run, "pmu", pmu_set_json(pmu));
	{
		struct guest_clock clk;

		/* TCG models no caches and no TLB: under icount a load costs its instructions */
		guest_clock_detect(&clk);
		json_object_set_new(run, "timing", strcmp(clk.name, "icount") ?
			json_pack("{sb sn}", "meaningful", 1, "why") :
			json_pack("{sb ss}", "meaningful", 0, "why",
				  "icount: a ns is a count of guest instructions and QEMU TCG models no caches or TLBs, so ns per load does not see a TLB miss"));
	}
	if (r->status == RUN_SKIP || (!r->done && r->status == RUN_FAIL))
		return run;

	{
		uint64_t asked = pfnmap ? page_size_bytes[theory_strategy_level[t->strategy]] : t->page_size;
		json_t *ps = page_sizes_json(&r->pop.ps, asked, pfnmap ? "module" : "smaps");

		if (r->pop.ps_error)
			json_object_set_new(ps, "error", json_string(strerror(-r->pop.ps_error)));
		json_object_set_new(run, "page_size", ps);
	}
	{
		json_t *m = json_pack("{sI sI sI}", "va", (json_int_t)r->pop.va,
				      "va_align", (json_int_t)addr_align(r->pop.va),
				      "align_asked", (json_int_t)(pfnmap ?
					theory_align(t->strategy, p->align, p->size) : t->va_align));

		if (pfnmap && ctx->info) {
			uint64_t phys = ctx->info->phys_base + p->offset;

			json_object_set_new(m, "phys", json_integer((json_int_t)phys));
			json_object_set_new(m, "phys_align", json_integer((json_int_t)addr_align(phys)));
		}
		json_object_set_new(run, "mapping", m);
	}
	if (pfnmap) {
		const struct bench_mmio_stats *st = &r->pop.c.st;

		json_object_set_new(run, "census", r->have_census ?
			json_pack("{s{sI sI sI} sI ss}", "leaves",
				  "pte", (json_int_t)r->census.leaves[0], "pmd", (json_int_t)r->census.leaves[1],
				  "pud", (json_int_t)r->census.leaves[2], "pages", (json_int_t)r->census.pages,
				  "source", "module page-table walk") : json_null());
		if (!r->have_census)
			json_object_set_new(run, "census_reason", json_string(r->census_why));
		json_object_set_new(run, "faults",
				    json_pack("{sI sI sI sI sI}", "pte", (json_int_t)st->faults[0],
					      "pmd", (json_int_t)st->faults[1], "pud", (json_int_t)st->faults[2],
					      "fallback", (json_int_t)(st->fallbacks[0] + st->fallbacks[1] + st->fallbacks[2]),
					      "pages", (json_int_t)st->pages));
		json_object_set_new(run, "check",
				    tlb_census_check_json(t->strategy, p->size,
							  r->have_census ? &r->census : NULL,
							  r->census_why, st));
	} else {
		json_object_set_new(run, "census", json_null());
		json_object_set_new(run, "census_reason",
				    json_string("a baseline is not a mapping of the device: its page sizes come from smaps"));
	}
	label(r, lab, sizeof(lab));
	json_object_set_new(run, "label", json_string(lab));
	json_object_set_new(run, "method", json_pack("{ss ss ss}",
		"chain", "a random cyclic permutation of the working set's nodes (4-round Feistel network with cycle-walking, keyed by seed), built in the mapping itself: each node's word holds the next node's address; one node per stride, on a cache line chosen by a hash of its index",
		"timing", "per point: build (untimed), one warm-up lap, params.warmup untimed walks of accesses loads, then per repetition a walk of accesses dependent loads between two serialised TSC reads; ns_per_access = ticks / accesses",
		"populate", "every 4K page touched once in ascending order before the census and the first point"));

	points = json_array();
	for (unsigned int i = 0; i < r->done; i++) {
		const struct tlb_point *pt = &r->pt[i];

		json_array_append_new(points, json_pack("{sI sI sI so so}",
			"ws_bytes", (json_int_t)(pt->nodes * tlb_params.stride),
			"nodes", (json_int_t)pt->nodes, "accesses", (json_int_t)pt->accesses,
			"ns_per_access", metric_json("ns", "lower", pt->ns, NULL, p->reps),
			"counters", pmu_counts_json(pmu, pt->acc, pt->accesses * p->reps)));
	}
	json_object_set_new(run, "points", points);
	json_object_set_new(run, "memory", json_pack("{sI sI ss}",
		"max_rss_bytes", (json_int_t)r->max_rss_kb * 1024,
		"mapping_bytes", (json_int_t)p->size,
		"note", "getrusage(RUSAGE_SELF).ru_maxrss after this run: a populated baseline counts in it, a pfnmap does not; the benchmark itself keeps no per-node state"));
	return run;
}

/* ------------------------------------------------------------------- run */

static void summary(const struct tlb_run *r, const struct bench_ctx *ctx, const char *lab)
{
	if (r->status == RUN_SKIP) {
		fprintf(stderr, "tlb: %s: skipped: %s\n", r->t->name, r->reason);
		return;
	}
	if (r->status == RUN_FAIL) {
		fprintf(stderr, "tlb: %s: FAILED: %s\n", r->t->name, r->reason);
		return;
	}
	if (r->t->kind == TARGET_PFNMAP && !r->have_census)
		fprintf(stderr, "tlb: %s: census unavailable: %s\n", r->t->name, r->census_why);
	if (ctx->p->quiet || !r->done)
		return;
	{
		const struct tlb_point *a = &r->pt[0], *b = &r->pt[r->done - 1];
		struct summary sa, sb;

		summarize(a->ns, ctx->p->reps, &sa);
		summarize(b->ns, ctx->p->reps, &sb);
		fprintf(stderr, "tlb: %s, %u points: %.1f ns/access at %llu nodes .. %.1f ns/access at %llu nodes\n",
			lab, r->done, sa.median, (unsigned long long)a->nodes, sb.median,
			(unsigned long long)b->nodes);
	}
}

static int tlb_run(struct bench_ctx *ctx)
{
	const struct common_params *p = ctx->p;
	const struct target_env env = {
		.device = p->device, .info = ctx->info, .align = p->align, .cache = p->cache,
		.size = p->size, .offset = p->offset, .attr = ATTR_GETRUSAGE,
	};
	struct pmu_set *pmu = calloc(1, sizeof(*pmu));
	int failed = 0;

	if (!pmu) {
		fprintf(stderr, "tlb: out of memory\n");
		return -1;
	}
	if (p->size < tlb_params.stride) {
		fprintf(stderr, "tlb: --size is smaller than --stride: no node\n");
		free(pmu);
		return -1;
	}
	measure_init();
	pmu_open(pmu, tlb_params.events_dir);
	if (!pmu->available && !p->quiet)
		fprintf(stderr, "tlb: no hardware counters, timing only: %s\n", pmu->reason);
	for (unsigned int id = 0; id < NR_TARGETS; id++) {
		struct tlb_run *r;
		char lab[160];
		json_t *run;

		if (!(p->targets & (1ULL << id)))
			continue;
		r = calloc(1, sizeof(*r));
		if (!r) {
			failed++;
			break;
		}
		r->t = &targets[id];
		r->write = access_write(p, r->t);
		measure(r, ctx, &env, pmu);
		if (r->status == RUN_OK && r->done != r->npoints)
			r->status = RUN_FAIL;
		run = tlb_run_to_json(r, ctx, pmu);
		label(r, lab, sizeof(lab));
		summary(r, ctx, lab);
		if (r->status == RUN_FAIL)
			failed++;
		json_array_append_new(ctx->runs, run);
		for (unsigned int i = 0; i < MAX_POINTS; i++)
			free(r->pt[i].ns);
		free(r);
	}
	pmu_close(pmu);
	free(pmu);
	return failed;
}

const struct benchmark bench_tlb = {
	.name = "tlb",
	.help = "TLB reach: ns per dependent load over growing working sets, per target (census-labelled)",
	.opts = tlb_opts,
	.params = &tlb_params,
	.run = tlb_run,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * zap.c - what tearing a populated pfnmap down costs, and its refault.
 *
 * Per pfnmap target and size (--sizes, else --size), each repetition maps
 * and populates a fresh mapping (measure_map()) per operation:
 *   munmap   the populated mapping is unmapped (measure_pass()'s munmap);
 *   whole    BENCH_MMIO_ZAP of the mapping's range, then a refault;
 *   partial  BENCH_MMIO_ZAP of part of it (--partial-offset/-length), then
 *            a refault;
 *   revoke   BENCH_MMIO_REVOKE (a touch must get SIGBUS), RESTORE, then a
 *            refault.
 * A refault touches every page once more (measure_touch()); its counts by
 * level are checked against theory_refault() for the range actually zapped:
 * under BENCH_MMIO_GUARD_ZAP_WIDEN a ZAP that cuts a 1G extent of the
 * backing may zap whole extents (theory_zap_widen(), stats.zaps_widened),
 * and the record says which range that was.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "device.h"
#include "measure.h"
#include "result.h"
#include "zap.h"


struct zap_params {
	const char *sizes;
	uint64_t partial_offset, partial_length;
};

static struct zap_params zap_params;

static const struct opt zap_opts[] = {
	{ .name = "sizes", .type = OPT_STRING,
	  .help = "comma list of mapping sizes to sweep, one run per target and size (default: --size)",
	  .off = offsetof(struct zap_params, sizes) },
	{ .name = "partial-offset", .type = OPT_SIZE,
	  .help = "start of the partial zap in the mapping (default: a quarter of the size)",
	  .off = offsetof(struct zap_params, partial_offset), .flags = OPT_F_ZERO_OK },
	{ .name = "partial-length", .type = OPT_SIZE,
	  .help = "bytes of the partial zap (default: half the size)",
	  .off = offsetof(struct zap_params, partial_length) },
	{ .name = NULL },
};

const char *const zap_op_names[NR_ZAP_OPS + 1] = { "whole", "partial", "revoke", NULL };

/* ---------------------------------------------------------------- pure */

void zap_partial_range(uint64_t size, uint64_t off_opt, uint64_t len_opt, uint64_t *off,
		       uint64_t *len)
{
	*off = off_opt != OPT_UNSET ? off_opt : (size / 4) & ~(SZ_4K - 1);
	*len = len_opt != OPT_UNSET ? len_opt : (size / 2) & ~(SZ_4K - 1);
}

void zap_resolve(struct zap_op_result *z, const struct bench_mmio_info *info,
		 unsigned int strategy, uint64_t map_offset, uint64_t size)
{
	struct theory_zap tz = {
		.phys_base = info->phys_base, .backing_size = info->size,
		.offset = z->asked_offset, .length = z->asked_length,
		/* REVOKE zaps the whole device: nothing to widen */
		.guard = z->op != ZAP_REVOKE && (info->features & BENCH_MMIO_FEAT_GUARDS) &&
			 (info->guards_default & BENCH_MMIO_GUARD_ZAP_WIDEN),
		/* the module's rule: a strategy it maps with PUDs, a VMA of 1G or more */
		.pud_vmas = info->max_level[strategy] >= BENCH_MMIO_LEVEL_PUD && size >= SZ_1G,
	};
	uint64_t lo, hi;

	z->guard = tz.guard;
	z->predicted = theory_zap_widen(&tz, &z->zapped_offset, &z->zapped_length) == 1;
	/* the module's counter says what it did; the rule, by how much */
	z->widened = z->op != ZAP_REVOKE && (info->features & BENCH_MMIO_FEAT_GUARDS) &&
		     z->zaps_widened > 0;
	if (z->widened && !z->predicted) {
		tz.guard = tz.pud_vmas = true;
		theory_zap_widen(&tz, &z->zapped_offset, &z->zapped_length);
	} else if (!z->widened) {
		z->zapped_offset = z->asked_offset;
		z->zapped_length = z->asked_length;
	}
	/* what of it lies in the mapping, as offsets in the mapping */
	lo = z->zapped_offset > map_offset ? z->zapped_offset : map_offset;
	hi = z->zapped_offset + z->zapped_length < map_offset + size ?
	     z->zapped_offset + z->zapped_length : map_offset + size;
	z->map_offset = hi > lo ? lo - map_offset : 0;
	z->map_length = hi > lo ? hi - lo : 0;
}

/* ------------------------------------------------------------- measure */

static void probe_fn(void *arg)
{
	volatile uint64_t *p = arg;
	uint64_t v = *p;

	__asm__ __volatile__("" :: "r"(v));
}

/* One operation on a populated mapping: zap it, then refault it. */
static int do_op(struct zap_run *r, struct target_state *ts, volatile char *map,
		 const struct pass_req *req, const struct bench_ctx *ctx, struct zap_op_rep *o,
		 struct zap_op_result *z, unsigned int rep)
{
	const struct target *t = ts->t;
	struct bench_mmio_range range = { .offset = z->asked_offset, .length = z->asked_length };
	struct target_counters c;
	char what[96], why[160];
	uint64_t t0, t1;
	int ret;

	if ((ret = t->counters_reset(ts)))
		goto counters;
	if (z->op == ZAP_REVOKE) {
		t0 = tick_begin();
		ret = ioctl(ts->fd, BENCH_MMIO_REVOKE) ? -errno : 0;
		t1 = tick_end();
		if (ret) {
			snprintf(r->reason, sizeof(r->reason), "rep %u: BENCH_MMIO_REVOKE: %s", rep,
				 strerror(-ret));
			return -1;
		}
		o->zap_ticks = t1 - t0;
		o->sigbus = measure_guarded(probe_fn, (void *)map, map, "the revoked probe",
					    why, sizeof(why)) != 0;
		t0 = tick_begin();
		ret = ioctl(ts->fd, BENCH_MMIO_RESTORE) ? -errno : 0;
		t1 = tick_end();
		if (ret) {
			snprintf(r->reason, sizeof(r->reason),
				 "rep %u: BENCH_MMIO_RESTORE: %s (the device stays revoked: reload the module)",
				 rep, strerror(-ret));
			return -1;
		}
		o->restore_ticks = t1 - t0;
	} else {
		t0 = tick_begin();
		ret = ioctl(ts->fd, BENCH_MMIO_ZAP, &range) ? -errno : 0;
		t1 = tick_end();
		if (ret) {
			snprintf(r->reason, sizeof(r->reason),
				 "rep %u: BENCH_MMIO_ZAP(offset=%llu, length=%llu): %s", rep,
				 (unsigned long long)range.offset, (unsigned long long)range.length,
				 strerror(-ret));
			return -1;
		}
		o->zap_ticks = t1 - t0;
	}
	if ((ret = t->counters_read(ts, &c)))
		goto counters;
	o->zaps_widened = c.st.zaps_widened;
	o->sigbus_count = c.st.sigbus;
	o->census_ok = ctx->info->features & BENCH_MMIO_FEAT_CENSUS ?
		       !dev_census(ts->fd, ctx->info, map, req->len, &o->census, why, sizeof(why)) : 0;
	snprintf(what, sizeof(what), "rep %u: the refault after %s", rep, zap_op_names[z->op]);
	if (measure_touch(ts, map, req, &o->refault, what, r->reason, sizeof(r->reason)))
		return -1;
	return 0;
counters:
	snprintf(r->reason, sizeof(r->reason), "rep %u: %s: module counters: %s", rep,
		 zap_op_names[z->op], strerror(-ret));
	return -1;
}

static void measure(struct zap_run *r, const struct bench_ctx *ctx, const struct target_env *env)
{
	struct pass_req req = { .len = r->size, .write = r->write };
	struct target_state ts;
	volatile char *map;
	char what[96];
	bool skip;

	if (target_open(&ts, r->t, env, &skip, r->reason, sizeof(r->reason))) {
		r->status = skip ? RUN_SKIP : RUN_FAIL;
		return;
	}
	/*
	 * --warmup: the first p.warmup repetitions are whole ones (populate,
	 * munmap, every operation and its refault) into scratch records, so
	 * that the host's first touch of the backing is in none of the timed.
	 */
	for (unsigned int j = 0; j < r->p.warmup + r->nreps; j++) {
		bool warm = j < r->p.warmup;
		unsigned int i = warm ? j : j - (unsigned int)r->p.warmup;
		const char *rep = warm ? "warm-up" : "rep";
		struct zap_op_rep scratch_op;
		struct pass scratch_pop;

		snprintf(what, sizeof(what), "%s %u (populate, munmap)", rep, i);
		if (measure_pass(&ts, &req, warm ? &scratch_pop : &r->pop[i], what, r->reason,
				 sizeof(r->reason)))
			goto fail;
		for (int op = 0; op < NR_ZAP_OPS; op++) {
			struct zap_op_rep *o = warm ? &scratch_op : &r->op[op].reps[i];

			snprintf(what, sizeof(what), "%s %u (populate before %s)", rep, i, zap_op_names[op]);
			if (measure_map(&ts, &req, &o->pop, &map, what, r->reason, sizeof(r->reason)))
				goto fail;
			if (!warm && i == 0 && op == 0) {
				theory_input(&r->tin, r->t, o->pop.va, r->size, &r->p, ctx->info,
					     ctx->thp, false);
				theory_scan_neighbours(&r->tin);
			}
			if (do_op(r, &ts, map, &req, ctx, o, &r->op[op], i)) {
				r->t->unmap(&ts, map, r->size);
				if (warm) {
					snprintf(what, sizeof(what), "warm-up %u", i);
					reason_prefix(r->reason, sizeof(r->reason), what);
				}
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

static bool same_counts(const struct bench_mmio_stats *a, const struct bench_mmio_stats *b)
{
	return !memcmp(a->faults, b->faults, sizeof(a->faults)) &&
	       !memcmp(a->fallbacks, b->fallbacks, sizeof(a->fallbacks)) && a->pages == b->pages;
}

int zap_op_check(const struct zap_run *r, const struct zap_op_result *z,
		 const struct zap_op_rep *o, struct theory_out *exp, struct theory_out *got,
		 char *why, size_t len)
{
	measured_out(&o->refault.c.st, got);
	if (theory_refault(&r->tin, z->map_offset, z->map_length, exp)) {
		snprintf(why, len, "no model for this strategy");
		return -1;
	}
	if (!memcmp(exp->faults, got->faults, sizeof(exp->faults)) &&
	    exp->fallback == got->fallback && exp->pages == got->pages)
		return 0;
	snprintf(why, len,
		 "refault of [%llu, +%llu) of the mapping: theory pte %llu pmd %llu pud %llu fallback %llu pages %llu, measured pte %llu pmd %llu pud %llu fallback %llu pages %llu",
		 (unsigned long long)z->map_offset, (unsigned long long)z->map_length,
		 (unsigned long long)exp->faults[0], (unsigned long long)exp->faults[1],
		 (unsigned long long)exp->faults[2], (unsigned long long)exp->fallback,
		 (unsigned long long)exp->pages, (unsigned long long)got->faults[0],
		 (unsigned long long)got->faults[1], (unsigned long long)got->faults[2],
		 (unsigned long long)got->fallback, (unsigned long long)got->pages);
	return 1;
}

/* Pages of the mapping the op cleared, by the model: what the census must miss. */
static uint64_t cleared_pages(const struct zap_run *r, const struct zap_op_result *z,
			      const struct theory_out *exp)
{
	if (theory_strategy_populate[r->t->strategy] == BENCH_MMIO_POPULATE_VMA)
		return z->map_length / SZ_4K;
	return exp->pages;
}

static json_t *range_json(uint64_t off, uint64_t len)
{
	return json_pack("{sI sI}", "offset", (json_int_t)off, "length", (json_int_t)len);
}

/* One zap record; its metrics go into the run's m (zap_OP_ns, refault_OP_ns, ...). */
static json_t *op_json(const struct zap_run *r, const struct zap_op_result *z, double tick_ns,
		       json_t *m)
{
	const struct zap_op_rep *o0 = &z->reps[0];
	struct theory_out exp, got;
	bool identical = true;
	char why[512];
	int v = zap_op_check(r, z, o0, &exp, &got, why, sizeof(why));
	double *ns = calloc(r->done, sizeof(*ns)), *ns2 = calloc(r->done, sizeof(*ns2));
	json_t *j, *check;

	for (unsigned int i = 1; i < r->done; i++)
		if (!same_counts(&z->reps[i].refault.c.st, &o0->refault.c.st))
			identical = false;
	check = json_pack("{ss so so}", "status", v ? "mismatch" : "ok",
			  "expected", v < 0 ? json_null() : counts_json(&exp),
			  "measured", counts_json(&got));
	json_object_set_new(check, "explanation", v ? json_string(why) : json_null());
	json_object_set_new(check, "model", json_string(
		"theory_refault(): every leaf of the populate (theory_expect) that the zapped range meets refaults at its level; regions the populate took down a level keep their tables (no ->huge_fault, no fallback)"));
	j = json_pack("{ss so sb so so}", "op", zap_op_names[z->op],
		      "refault", counts_json(&got), "refault_identical", identical,
		      "check", check, "zapped_in_mapping", range_json(z->map_offset, z->map_length));
	if (z->op != ZAP_REVOKE) {
		json_object_set_new(j, "asked", range_json(z->asked_offset, z->asked_length));
		json_object_set_new(j, "zapped", range_json(z->zapped_offset, z->zapped_length));
		json_object_set_new(j, "widen", json_pack("{sb sb sb sI ss}",
			"guard", z->guard, "predicted", z->predicted, "widened", z->widened,
			"zaps_widened", (json_int_t)o0->zaps_widened,
			"source", !r->info_guards ? "the module has no guards (module.features lacks guards): nothing is widened" :
				  !z->guard ? "BENCH_MMIO_GUARD_ZAP_WIDEN is not a default guard here (no strategy maps PUDs on this kernel): the range asked is zapped" :
				  "stats.zaps_widened (the module's count) says whether; the rule (theory_zap_widen()) which range"));
		if (z->guard && z->predicted != z->widened)
			json_object_set_new(j, "widen_note", json_string(
				"the module's zaps_widened disagrees with the rule (GUARD_ZAP_WIDEN, and a VMA of 1G or more of a strategy whose max_level is pud): the range zapped follows the counter"));
	} else {
		json_object_set_new(j, "sigbus_while_revoked", json_boolean(o0->sigbus));
		json_object_set_new(j, "sigbus_count", json_integer((json_int_t)o0->sigbus_count));
	}
	if (o0->census_ok) {
		uint64_t want = r->size / SZ_4K - (v < 0 ? 0 : cleared_pages(r, z, &exp));

		json_object_set_new(j, "census_after", json_pack("{s{sI sI sI} sI sI}",
			"leaves", "pte", (json_int_t)o0->census.leaves[0],
			"pmd", (json_int_t)o0->census.leaves[1], "pud", (json_int_t)o0->census.leaves[2],
			"pages", (json_int_t)o0->census.pages, "expected_pages", (json_int_t)want));
	} else {
		json_object_set_new(j, "census_after", json_null());
	}
	if (ns && ns2) {
		char name[48];

		for (unsigned int i = 0; i < r->done; i++) {
			ns[i] = z->reps[i].zap_ticks * tick_ns;
			ns2[i] = z->reps[i].refault.populate_ticks * tick_ns;
		}
		if (z->op == ZAP_REVOKE)
			snprintf(name, sizeof(name), "revoke_ns");
		else
			snprintf(name, sizeof(name), "zap_%s_ns", zap_op_names[z->op]);
		json_object_set_new(m, name, ns_metric_json(ns, r->done));
		strcat(name, "_per_gib");
		json_object_set_new(m, name, ns_per_gib_metric_json(ns, r->done, z->map_length));
		snprintf(name, sizeof(name), "refault_%s_ns", zap_op_names[z->op]);
		json_object_set_new(m, name, ns_metric_json(ns2, r->done));
		strcat(name, "_per_gib");
		json_object_set_new(m, name, ns_per_gib_metric_json(ns2, r->done, z->map_length));
		if (z->op == ZAP_REVOKE) {
			for (unsigned int i = 0; i < r->done; i++)
				ns[i] = z->reps[i].restore_ticks * tick_ns;
			json_object_set_new(m, "restore_ns", ns_metric_json(ns, r->done));
		}
	}
	free(ns);
	free(ns2);
	return j;
}

json_t *zap_run_to_json(const struct zap_run *r, const struct bench_ctx *ctx)
{
	const struct pass *p0 = &r->pop[0];
	double tick_ns = 1e9 / ctx->tsc->hz;
	json_t *run = run_head_json("zap", r->t, &r->p, r->write, r->status, r->reason);
	json_t *ops, *m;
	struct theory_out o;
	double *ns;

	json_object_set_new(run, "reps_completed", json_integer(r->done));
	if (r->t->kind != TARGET_PFNMAP || !r->done)
		return run;
	/* scalars, so that a run's key (compare/, plot/) stays one word */
	json_object_set_new(json_object_get(run, "params"), "partial_offset",
			    json_integer((json_int_t)(r->op[ZAP_PARTIAL].asked_offset - r->p.offset)));
	json_object_set_new(json_object_get(run, "params"), "partial_length",
			    json_integer((json_int_t)r->op[ZAP_PARTIAL].asked_length));
	json_object_set_new(run, "mapping", json_pack("{sI sI sI sI sI}",
		"va", (json_int_t)r->tin.va, "va_align", (json_int_t)addr_align(r->tin.va),
		"align_asked", (json_int_t)r->tin.align, "phys", (json_int_t)r->tin.phys,
		"phys_align", (json_int_t)addr_align(r->tin.phys)));
	json_object_set_new(run, "page_size",
			    page_sizes_json(&p0->ps, page_size_bytes[theory_strategy_level[r->t->strategy]],
					    "module"));
	measured_out(&p0->c.st, &o);
	json_object_set_new(run, "faults", counts_json(&o));
	{
		struct theory_out exp;
		bool ok = !theory_expect(&r->tin, &exp) && !memcmp(exp.faults, o.faults, sizeof(o.faults)) &&
			  exp.pages == o.pages && exp.fallback == o.fallback && theory_aligned(&r->tin);

		json_object_set_new(run, "populate_check", json_pack("{ss so}", "status", ok ? "ok" : "mismatch",
			"expected", counts_json(&exp)));
	}
	ops = json_object();
	m = json_object();
	for (int op = 0; op < NR_ZAP_OPS; op++)
		json_object_set_new(ops, zap_op_names[op], op_json(r, &r->op[op], tick_ns, m));
	json_object_set_new(run, "zaps", ops);
	ns = calloc(r->done, sizeof(*ns));
	if (ns) {
		for (unsigned int i = 0; i < r->done; i++)
			ns[i] = r->pop[i].munmap_ticks * tick_ns;
		json_object_set_new(m, "munmap_ns", ns_metric_json(ns, r->done));
		json_object_set_new(m, "munmap_ns_per_gib", ns_per_gib_metric_json(ns, r->done, r->size));
		for (unsigned int i = 0; i < r->done; i++)
			ns[i] = r->pop[i].populate_ticks * tick_ns;
		json_object_set_new(m, "populate_ns", ns_metric_json(ns, r->done));
		json_object_set_new(m, "populate_ns_per_gib", ns_per_gib_metric_json(ns, r->done, r->size));
		free(ns);
	}
	json_object_set_new(run, "metrics", m);
	return run;
}

/* ------------------------------------------------------------------- run */

static void summary(const struct zap_run *r, const struct bench_ctx *ctx)
{
	char sz[32];

	format_size(r->size, sz, sizeof(sz));
	if (r->status != RUN_OK) {
		fprintf(stderr, "zap: %s %s: %s: %s\n", r->t->name, sz,
			r->status == RUN_SKIP ? "skipped" : "FAILED", r->reason);
		return;
	}
	for (int op = 0; op < NR_ZAP_OPS; op++) {
		const struct zap_op_result *z = &r->op[op];
		struct theory_out exp, got;
		char why[512];
		int v = zap_op_check(r, z, &z->reps[0], &exp, &got, why, sizeof(why));

		if (v)
			fprintf(stderr, "zap: %s %s: warning: %s: counts differ from the model: %s\n",
				r->t->name, sz, zap_op_names[op], why);
		else if (!ctx->p->quiet)
			fprintf(stderr, "zap: %s %s: %s%s: refault pte=%llu pmd=%llu pud=%llu (model ok), zap %.0f ns\n",
				r->t->name, sz, zap_op_names[op], z->widened ? " (widened)" : "",
				(unsigned long long)got.faults[0], (unsigned long long)got.faults[1],
				(unsigned long long)got.faults[2], z->reps[0].zap_ticks * 1e9 / ctx->tsc->hz);
		if (z->guard && z->predicted != z->widened)
			fprintf(stderr, "zap: %s %s: warning: %s: the module %s the zap, the rule says it %s\n",
				r->t->name, sz, zap_op_names[op], z->widened ? "widened" : "did not widen",
				z->predicted ? "would" : "would not");
		if (op == ZAP_REVOKE && !z->reps[0].sigbus)
			fprintf(stderr, "zap: %s %s: warning: a touch of the revoked mapping got no SIGBUS\n",
				r->t->name, sz);
	}
}

/* The sweep (--sizes, else --size), each with a partial range inside it. */
static int zap_sizes(const struct common_params *p, const struct bench_mmio_info *info,
		     uint64_t *sizes, unsigned int *n, char *err, size_t len)
{
	if (measure_sizes(p, zap_params.sizes, info, sizes, n, err, len))
		return -1;
	for (unsigned int k = 0; k < *n; k++) {
		uint64_t off, l;

		zap_partial_range(sizes[k], zap_params.partial_offset, zap_params.partial_length, &off, &l);
		if (!l || off > sizes[k] || l > sizes[k] - off) {
			snprintf(err, len, "--partial-offset=%llu --partial-length=%llu: not a non-empty range inside a mapping of %llu bytes",
				 (unsigned long long)off, (unsigned long long)l, (unsigned long long)sizes[k]);
			return -1;
		}
	}
	return 0;
}

static int zap_check(const struct common_params *p, char *err, size_t len)
{
	uint64_t sizes[MEASURE_MAX_SIZES];
	unsigned int n;

	return zap_sizes(p, NULL, sizes, &n, err, len);
}

static int zap_run(struct bench_ctx *ctx)
{
	const struct common_params *p = ctx->p;
	uint64_t sizes[MEASURE_MAX_SIZES];
	unsigned int nsizes;
	char err[OPT_ERRLEN + 64];
	int failed = 0;

	if (zap_sizes(p, ctx->info, sizes, &nsizes, err, sizeof(err))) {
		fprintf(stderr, "zap: %s\n", err);
		return -1;
	}
	measure_init();
	for (unsigned int k = 0; k < nsizes; k++) {
		for (unsigned int id = 0; id < NR_TARGETS; id++) {
			struct target_env env = {
				.device = p->device, .info = ctx->info, .align = p->align,
				.cache = p->cache, .size = sizes[k], .offset = p->offset,
				.attr = p->attribution,
			};
			struct zap_run *r;
			uint64_t poff, plen;

			if (!(p->targets & (1ULL << id)))
				continue;
			r = calloc(1, sizeof(*r));
			if (!r || !(r->pop = calloc(p->reps, sizeof(*r->pop)))) {
				fprintf(stderr, "zap: out of memory\n");
				free(r);
				return -1;
			}
			r->t = &targets[id];
			r->p = *p;
			r->p.size = r->size = sizes[k];
			r->nreps = p->reps;
			r->write = access_write(p, r->t);
			r->info_guards = ctx->info && ctx->info->features & BENCH_MMIO_FEAT_GUARDS;
			zap_partial_range(sizes[k], zap_params.partial_offset, zap_params.partial_length,
					  &poff, &plen);
			for (int op = 0; op < NR_ZAP_OPS && r->status == RUN_OK; op++) {
				r->op[op].op = op;
				r->op[op].asked_offset = p->offset + (op == ZAP_PARTIAL ? poff : 0);
				r->op[op].asked_length = op == ZAP_PARTIAL ? plen : sizes[k];
				r->op[op].reps = calloc(p->reps, sizeof(*r->op[op].reps));
				if (!r->op[op].reps) {
					r->status = RUN_FAIL;
					snprintf(r->reason, sizeof(r->reason), "out of memory");
				}
			}
			if (r->t->kind != TARGET_PFNMAP) {
				r->status = RUN_SKIP;
				snprintf(r->reason, sizeof(r->reason),
					 "zap is a device operation (BENCH_MMIO_ZAP, REVOKE): pfnmaps only");
			} else if (r->status == RUN_OK) {
				measure(r, ctx, &env);
			}
			if (r->status == RUN_OK && r->done != r->nreps)
				r->status = RUN_FAIL;
			if (r->done) {
				for (int op = 0; op < NR_ZAP_OPS; op++) {
					r->op[op].zaps_widened = r->op[op].reps[0].zaps_widened;
					zap_resolve(&r->op[op], ctx->info, r->t->strategy, p->offset, r->size);
				}
			}
			summary(r, ctx);
			if (r->status == RUN_FAIL)
				failed++;
			json_array_append_new(ctx->runs, zap_run_to_json(r, ctx));
			for (int op = 0; op < NR_ZAP_OPS; op++)
				free(r->op[op].reps);
			free(r->pop);
			free(r);
		}
	}
	return failed;
}

const struct benchmark bench_zap = {
	.name = "zap",
	.help = "munmap, driver zap (whole, partial), revoke/restore of a populated pfnmap, and the refault's counts by level",
	.opts = zap_opts,
	.params = &zap_params,
	.check = zap_check,
	.run = zap_run,
};

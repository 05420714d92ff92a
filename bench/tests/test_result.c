// SPDX-License-Identifier: GPL-2.0
/* test_result.c - JSON pieces, atomic write and a sample result document. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device.h"
#include "fault.h"
#include "target.h"
#include "result.h"
#include "sysinfo.h"
#include "tap.h"

#ifndef SCHEMA_PATH
#define SCHEMA_PATH "../../schema/bench_mmio-1.schema.json"
#endif

void test_sysinfo_parsers(void)
{
	const char *src;
	char out[32];

	CHECK(!strcmp(virt_classify(true, "KVMKVMKVM", NULL, &src), "kvm") && !strcmp(src, "cpuid"), "kvm");
	CHECK(!strcmp(virt_classify(true, "TCGTCGTCGTCG", "kvm", &src), "tcg") && !strcmp(src, "cpuid"),
	      "cpuid signature beats env");
	CHECK(!strcmp(virt_classify(true, "VMwareVMware", NULL, &src), "other"), "other");
	CHECK(!strcmp(virt_classify(false, "", "tcg", &src), "tcg") && !strcmp(src, "env"), "env hint");
	CHECK(!strcmp(virt_classify(true, "", NULL, &src), "other"), "hv bit, no signature");
	CHECK(!strcmp(virt_classify(false, "", "bogus", &src), "none") && !strcmp(src, "cpuid"),
	      "bad env hint ignored");
	{
		struct guest_clock c;
		char e[128];

		CHECK(!guest_clock_parse(NULL, NULL, &c, e, sizeof(e)) && !strcmp(c.name, "wall") &&
		      c.shift == -1 && !strcmp(c.source, "default"), "clock: unset is the wall clock");
		CHECK(!guest_clock_parse("icount", "3", &c, e, sizeof(e)) && !strcmp(c.name, "icount") &&
		      c.shift == 3 && strstr(c.ns_means, "not hardware time"), "clock: icount shift 3");
		CHECK(guest_clock_parse("icount", NULL, &c, e, sizeof(e)) && strstr(e, "SHIFT"),
		      "clock: icount without a shift refused");
		CHECK(guest_clock_parse("icount", "11", &c, e, sizeof(e)), "clock: shift 11 refused");
		CHECK(guest_clock_parse("tsc", "0", &c, e, sizeof(e)) && strstr(e, "wall or icount"),
		      "clock: unknown clock refused");
	}
	CHECK(!sysfs_choice("always [madvise] never", out, sizeof(out)) && !strcmp(out, "madvise"), "choice");
	CHECK(!sysfs_choice("[always] defer defer+madvise madvise never", out, sizeof(out)) &&
	      !strcmp(out, "always"), "first choice");
	CHECK(sysfs_choice("always madvise never", out, sizeof(out)), "no bracket");
	CHECK(thp_gate("always", false) == THEORY_THP_ALLOW && thp_gate("madvise", false) == THEORY_THP_DENY &&
	      thp_gate("madvise", true) == THEORY_THP_ALLOW && thp_gate("never", true) == THEORY_THP_DENY &&
	      thp_gate("unavailable", false) == THEORY_THP_UNKNOWN, "thp gate");
}

void test_metric_json(void)
{
	const double v[] = { 10, 20, 30 };
	const bool valid[] = { true, false, true };
	json_t *m = metric_json("ns", "lower", v, NULL, 3), *ci;

	CHECK(json_integer_value(json_object_get(m, "n")) == 3, "n");
	CHECK(json_real_value(json_object_get(m, "mean")) == 20, "mean");
	CHECK(json_real_value(json_object_get(m, "stddev")) == 10, "stddev");
	ci = json_object_get(m, "ci95");
	CHECK(json_array_size(ci) == 2 && json_real_value(json_array_get(ci, 0)) < 20 &&
	      json_real_value(json_array_get(ci, 0)) >= 10 && json_real_value(json_array_get(ci, 1)) <= 30,
	      "ci within [min, max]");
	CHECK(!strcmp(json_string_value(json_object_get(m, "ci95_method")), "percentile_bootstrap_mean"),
	      "ci95_method names the method");
	CHECK(!strcmp(json_string_value(json_object_get(m, "better")), "lower"), "better");
	json_decref(m);
	m = metric_json("ns", "lower", v, valid, 3);
	CHECK(json_integer_value(json_object_get(m, "n")) == 2, "n valid");
	CHECK(json_is_null(json_array_get(json_object_get(m, "values"), 1)), "null value");
	CHECK(json_real_value(json_object_get(m, "median")) == 20, "median of valid");
	json_decref(m);
	m = metric_json("ns", "lower", v, NULL, 1);
	CHECK(json_is_null(json_object_get(m, "ci95")) && json_is_null(json_object_get(m, "stddev")) &&
	      json_is_string(json_object_get(m, "ci95_method")), "n=1: ci95 null, its method named");
	json_decref(m);
	m = metric_json("ns", "lower", v, (const bool[]){ false }, 1);
	CHECK(json_is_null(json_object_get(m, "mean")) && json_integer_value(json_object_get(m, "n")) == 0,
	      "n=0: nulls");
	json_decref(m);
}

void test_result_path(void)
{
	char buf[512];

	CHECK(!result_path(buf, sizeof(buf), "/r", "fault", "all", "6.12.0-1-amd64", 0), "path");
	CHECK(!strcmp(buf, "/r/fault-all-6.12.0-1-amd64-19700101T000000Z.json"), "%s", buf);
	CHECK(!result_path(buf, sizeof(buf), "out", "fault", "pmd+pud", "6.1 #weird/rel", 86400), "path 2");
	CHECK(!strcmp(buf, "out/fault-pmd+pud-6.1__weird_rel-19700102T000000Z.json"), "%s", buf);
	CHECK(result_path(buf, 20, "/r", "fault", "all", "6.12", 0), "too long");
}

static int count_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strstr(e->d_name, prefix))
			n++;
	closedir(d);
	return n;
}

void test_atomic_write(void)
{
	char dir[512], path[600], err[256], sub[600];
	json_t *doc = json_pack("{ss si}", "schema", "x", "n", 1), *back;

	snprintf(dir, sizeof(dir), "%s/atomic-test-XXXXXX", test_build_dir());
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/out.json", dir);
	CHECK(!result_write_atomic(doc, path, sizeof(path), err, sizeof(err)), "write: %s", err);
	back = json_load_file(path, 0, NULL);
	CHECK(back && json_integer_value(json_object_get(back, "n")) == 1, "read back");
	json_decref(back);
	CHECK(count_entries(dir, "out.json") == 1, "only the result, no temp file");

	/* failure before rename: old content stays, temp removed */
	json_object_set_new(doc, "n", json_integer(2));
	result_fail_before_rename = true;
	CHECK(result_write_atomic(doc, path, sizeof(path), err, sizeof(err)) == -1 && strstr(err, "injected"),
	      "injected failure reported");
	result_fail_before_rename = false;
	back = json_load_file(path, 0, NULL);
	CHECK(back && json_integer_value(json_object_get(back, "n")) == 1, "old file untouched");
	json_decref(back);
	CHECK(count_entries(dir, "out.json") == 1, "no temp file left after failure");

	/* an existing result is never replaced: the next one is out-2.json */
	CHECK(!result_write_atomic(doc, path, sizeof(path), err, sizeof(err)) &&
	      strstr(path, "/out-2.json"), "second write: %s %s", path, err);
	back = json_load_file(path, 0, NULL);
	CHECK(back && json_integer_value(json_object_get(back, "n")) == 2, "second result readable");
	json_decref(back);
	snprintf(path, sizeof(path), "%s/out.json", dir);
	back = json_load_file(path, 0, NULL);
	CHECK(back && json_integer_value(json_object_get(back, "n")) == 1, "first result kept");
	json_decref(back);

	/* failure to create: missing directory */
	snprintf(sub, sizeof(sub), "%s/missing/out.json", dir);
	CHECK(result_write_atomic(doc, sub, sizeof(sub), err, sizeof(err)) == -1 &&
	      strstr(err, "cannot create a temporary file"), "missing dir: %s", err);

	/* mkdir_p creates nested directories, refuses a file */
	snprintf(sub, sizeof(sub), "%s/a/b/c", dir);
	CHECK(!mkdir_p(sub, err, sizeof(err)), "mkdir_p: %s", err);
	CHECK(mkdir_p(path, err, sizeof(err)) == -1, "mkdir_p on a file");

	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	CHECK(system(sub) == 0, "cleanup");
	json_decref(doc);
}

static void fake_pass(struct pass *ps, uint64_t va, uint64_t pmd, uint64_t pte,
		      uint64_t fb_pud, uint64_t pages, uint64_t base)
{
	memset(ps, 0, sizeof(*ps));
	ps->va = va;
	ps->mmap_ticks = 4000 + base;
	ps->populate_ticks = 900000 + 10 * base;
	ps->munmap_ticks = 70000 + base;
	ps->touch_ticks = 800000 + base;
	ps->c.st.faults[BENCH_MMIO_LEVEL_PMD] = pmd;
	ps->c.st.faults[BENCH_MMIO_LEVEL_PTE] = pte;
	ps->c.st.fallbacks[BENCH_MMIO_LEVEL_PUD] = fb_pud;
	ps->c.st.pages = pages;
	ps->c.st.mmaps = 1;
	ps->c.minflt = pmd + pte;
	ps->touch_faults = pmd + pte;
	ps->touches = pages;
	page_sizes_from_stats(&ps->c.st, &ps->ps);
}

static void fake_rep(struct rep *rep, uint64_t va, uint64_t pmd, uint64_t pte,
		     uint64_t fb_pud, uint64_t pages, uint64_t base)
{
	memset(rep, 0, sizeof(*rep));
	fake_pass(&rep->timed, va, pmd, pte, fb_pud, pages, base);
	fake_pass(&rep->lat, va + SZ_1G, pmd, pte, fb_pud, pages, base);
	rep->fault_count = pmd + pte;
	for (int k = 0; k < NR_PCT; k++)
		rep->fault_p[k] = 3000 + 1000 * k + base;
	rep->touch_count = pages - pmd - pte;
	rep->touch_p50 = 60;
}

/* A baseline pass: the page sizes smaps would give, and one fault per page. */
static void fake_baseline_rep(struct rep *rep, uint64_t va, uint64_t b4k, uint64_t b2m, bool zero)
{
	memset(rep, 0, sizeof(*rep));
	for (int k = 0; k < 2; k++) {
		struct pass *ps = k ? &rep->lat : &rep->timed;

		ps->va = va;
		ps->mmap_ticks = 3000;
		ps->populate_ticks = 500000;
		ps->munmap_ticks = 40000;
		ps->ps.bytes[PS_4K] = zero ? 0 : b4k;
		ps->ps.bytes[PS_2M] = zero ? 0 : b2m;
		ps->ps.known = !zero;
		ps->ps.kernel_page_size = SZ_4K;
		ps->ps.rss = zero ? 0 : b4k + b2m;
		ps->ps.anon_huge = zero ? 0 : b2m;
		ps->c.minflt = b4k / SZ_4K + b2m / SZ_2M;
		ps->touch_faults = ps->c.minflt;
	}
	rep->fault_count = rep->timed.c.minflt;
	for (int k = 0; k < NR_PCT; k++)
		rep->fault_p[k] = 200000 + 1000 * k;
	rep->touch_count = 100;
	rep->touch_p50 = 50;
}

static const struct bench_mmio_info sample_info = {
	.abi_version = BENCH_MMIO_ABI_VERSION, .nr_strategies = BENCH_MMIO_NR_STRATEGIES,
	.backing_kind = BENCH_MMIO_BACKING_PCI_BAR,
	.phys_base = 0x4000000000ULL, .size = 4ULL << 30, .pci_bus = 0, .pci_devfn = 0x20,
	.pci_bar = 2, .pci_vendor = 0x1b36, .pci_device = 0x0005,
	.caps = 0xff, .features = 0x3f, .guards_default = 0x5, .strategies = 0x1f, .max_level = { 0, 0, 0, 1, 2 },
	.page_shift = 12, .pmd_shift = 21, .pud_shift = 30,
	.stats_offset = 1ULL << 40, .stats_size = 4096, .stats_slots = 4,
};

/* Does the run's notes[] mention s? */
static bool notes_have(json_t *run, const char *s)
{
	json_t *n = json_object_get(run, "notes"), *v;
	size_t i;

	json_array_foreach(n, i, v)
		if (strstr(json_string_value(v), s))
			return true;
	return false;
}

static const char *check_status(json_t *run)
{
	return json_string_value(json_object_get(json_object_get(run, "check"), "status"));
}

void test_check_alignment(void)
{
	struct common_params p = {
		.size = 1ULL << 30, .align = BENCH_MMIO_ALIGN_AUTO, .reps = 1,
		.device = "/dev/bench_mmio",
	};
	struct tsc_info tsc = { .hz = 2e9, .invariant = true, .is_tsc = true };
	struct thp_state thp = { "always", "madvise", 0 };
	struct rep rep;
	struct fault_run r = { .t = &targets[TARGET_PUD], .nreps = 1, .done = 1, .reps = &rep };
	const char *why;
	json_t *run;

	/* pud, 1G asked; the VA is only 2M congruent and the module made PMDs there */
	fake_rep(&rep, 0x7f0040200000ULL, 0, 0, 0, 0, 0);
	r.tin = (struct theory_in){ .strategy = BENCH_MMIO_STRATEGY_PUD, .va = rep.timed.va,
				    .length = p.size, .phys = sample_info.phys_base,
				    .align = theory_align(BENCH_MMIO_STRATEGY_PUD, p.align, p.size),
				    .features = 0, .max_level = 2, .caps = sample_info.caps,
				    .thp = THEORY_THP_ALLOW };
	CHECK(r.tin.align == SZ_1G, "auto asks 1G for pud 1G");
	/* counts the model expects for the VA it asked for: 1 PUD */
	rep.timed.c.st.faults[BENCH_MMIO_LEVEL_PUD] = 1;
	rep.timed.c.st.pages = SZ_1G / SZ_4K;
	rep.lat.c.st = rep.timed.c.st;
	run = fault_run_to_json(&r, &p, &tsc, &thp, &sample_info);
	why = json_string_value(json_object_get(json_object_get(run, "check"), "explanation"));
	CHECK(check_status(run) && !strcmp(check_status(run), "mismatch"),
	      "counts as expected but misaligned VA: status %s", check_status(run));
	CHECK(why && strstr(why, "asked for") && strstr(why, "get_unmapped_area"),
	      "explanation names the alignment and the missing hook: %s", why);
	CHECK(json_integer_value(json_object_get(json_object_get(run, "mapping"), "align_asked")) ==
	      (json_int_t)SZ_1G, "mapping.align_asked");
	json_decref(run);

	/* the same counts at an aligned VA, but no hook aligned it: luck, still a mismatch */
	rep.timed.va = 0x7f0040000000ULL;
	r.tin.va = rep.timed.va;
	run = fault_run_to_json(&r, &p, &tsc, &thp, &sample_info);
	CHECK(check_status(run) && !strcmp(check_status(run), "mismatch"),
	      "aligned by chance without the hook: status %s", check_status(run));
	json_decref(run);

	/* a module with the hook, at an aligned VA: ok */
	r.tin.features = BENCH_MMIO_FEAT_GET_UNMAPPED_AREA;
	run = fault_run_to_json(&r, &p, &tsc, &thp, &sample_info);
	CHECK(check_status(run) && !strcmp(check_status(run), "ok"), "aligned: status %s",
	      check_status(run));
	json_decref(run);
}

static int validate(const char *path)
{
	char cmd[1400];

	snprintf(cmd, sizeof(cmd),
		 "python3 -c \"import json,jsonschema,sys; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '%s' '%s'",
		 path, SCHEMA_PATH);
	return system(cmd);
}

void test_sample_result(void)
{
	struct common_params p = {
		.targets = TARGETS_ALL, .size = 256ULL << 20, .offset = 0, .align = 0,
		.access = ACCESS_AUTO, .cache = 0, .reps = 3, .cpu = OPT_UNSET, .warmup = 1,
		.device = "/dev/bench_mmio",
	};
	struct tsc_info tsc = { .hz = 2e9, .invariant = true, .is_tsc = true };
	struct thp_state thp = { "always", "madvise", -1 };
	struct pin_state pin = {
		.pu_logical = 3, .os_index = 3, .nr_pus = 4, .method = "hwloc_set_cpubind(THREAD|STRICT)",
		.bind = "auto", .how = "the default: the last PU", .cpu_node = 0, .dev_node = 0,
		.distance = 10, .distance_kind = "latency", .pci = "0000:00:04.0",
	};
	struct aslr_state aslr = { .disabled = true, .reexeced = true };
	char *argv[] = { "bench_mmio", "fault", "--reps=3" };
	char path[600], path2[600], err[256];
	struct rep reps[3];
	struct fault_run r;
	json_t *doc, *doc2, *runs, *run;
	uint64_t va = 0x7f0000000000ULL;
	const struct bench_mmio_info *info = &sample_info;

	snprintf(tsc.method, sizeof(tsc.method), "fake");
	snprintf(tsc.read_method, sizeof(tsc.read_method), "fake");
	doc = result_new(1700000000, 3, argv);
	json_object_set_new(doc, "system", system_to_json(&tsc, &pin, &aslr));
	json_object_set_new(doc, "backing", backing_to_json(info, "uc"));
	json_object_set_new(doc, "module", module_to_json(info));
	json_object_set_new(doc, "bench", json_string("fault"));
	runs = json_object_get(doc, "runs");
	CHECK(json_is_object(json_object_get(doc, "system")), "system object built");
	CHECK(json_array_size(json_object_get(json_object_get(doc, "module"), "features")) == 6,
	      "module.features by name");
	{
		json_t *g = json_object_get(json_object_get(doc, "module"), "guards");

		CHECK(json_array_size(g) == 2 &&
		      !strcmp(json_string_value(json_array_get(g, 0)), "split_pud") &&
		      !strcmp(json_string_value(json_array_get(g, 1)), "mremap"),
		      "module.guards by name, from info.guards_default");
	}

	/* pmd: matches the model (128 PMDs), stats-page attribution */
	memset(&r, 0, sizeof(r));
	r.t = &targets[TARGET_PMD];
	r.nreps = r.done = 3;
	r.reps = reps;
	r.attr = ATTR_STATS_PAGE;
	r.nslots = 4;
	for (int i = 0; i < 3; i++)
		fake_rep(&reps[i], va, 128, 0, 0, 65536, i * 100);
	for (int i = 0; i < 1000; i++)
		hist_add(&r.fault_hist, 3000 + i * 7);
	hist_add(&r.touch_hist, 60);
	r.tin = (struct theory_in){ .strategy = BENCH_MMIO_STRATEGY_PMD, .va = va, .length = p.size,
				    .phys = info->phys_base, .align = SZ_2M, .features = info->features,
				    .max_level = 1, .caps = info->caps, .thp = THEORY_THP_ALLOW };
	run = fault_run_to_json(&r, &p, &tsc, &thp, info);
	CHECK(!strcmp(check_status(run), "ok"), "pmd check ok: %s",
	      json_string_value(json_object_get(json_object_get(run, "check"), "explanation")));
	CHECK(json_is_true(json_object_get(run, "faults_identical")) &&
	      !json_object_get(run, "faults_per_rep"), "identical reps");
	CHECK(!strcmp(json_string_value(json_object_get(run, "kind")), "pfnmap") &&
	      !strcmp(json_string_value(json_object_get(run, "target")), "pmd") &&
	      !strcmp(json_string_value(json_object_get(run, "strategy")), "pmd"), "target/kind/strategy");
	CHECK(json_integer_value(json_object_get(json_object_get(run, "page_size"), "obtained")) ==
	      (json_int_t)SZ_2M, "pmd page size 2M");
	CHECK(!strcmp(json_string_value(json_object_get(json_object_get(run, "latency_method"), "attribution")),
		      "stats_page"), "attribution recorded");
	CHECK(json_integer_value(json_object_get(json_object_get(run, "params"), "warmup")) == 1 &&
	      json_integer_value(json_object_get(json_object_get(run, "params"), "reps")) == 3,
	      "params.warmup recorded beside reps");
	json_array_append_new(runs, run);

	/* pud: the module reported PTEs only, and rep 2 differs; getrusage fallback */
	r.t = &targets[TARGET_PUD];
	r.tin.strategy = BENCH_MMIO_STRATEGY_PUD;
	r.tin.max_level = 2;
	r.attr = ATTR_GETRUSAGE;
	snprintf(r.attr_note, sizeof(r.attr_note), "fell back to getrusage: the module has no statistics mapping");
	for (int i = 0; i < 3; i++)
		fake_rep(&reps[i], va, 0, 65536 - i, 0, 65536, i * 100);
	run = fault_run_to_json(&r, &p, &tsc, &thp, info);
	CHECK(!strcmp(check_status(run), "mismatch"), "pud mismatch");
	CHECK(json_is_string(json_object_get(json_object_get(run, "check"), "explanation")), "explanation");
	CHECK(json_is_false(json_object_get(run, "faults_identical")) &&
	      json_array_size(json_object_get(run, "faults_per_rep")) == 3, "faults_per_rep");
	json_array_append_new(runs, run);

	/* remap: no faults at all -> fault percentiles null */
	r.t = &targets[TARGET_REMAP];
	r.tin.strategy = BENCH_MMIO_STRATEGY_REMAP;
	r.tin.max_level = 0;
	r.tin.align = 0;
	hist_init(&r.fault_hist);
	for (int i = 0; i < 3; i++) {
		fake_rep(&reps[i], va, 0, 0, 0, 65536, i * 100);
		reps[i].fault_count = 0;
	}
	run = fault_run_to_json(&r, &p, &tsc, &thp, info);
	CHECK(json_is_null(json_object_get(json_object_get(json_object_get(run, "metrics"), "fault_p50_ns"),
					   "mean")), "remap: fault p50 null");
	json_array_append_new(runs, run);

	/* skip and fail */
	memset(&r, 0, sizeof(r));
	r.reps = reps;
	r.t = &targets[TARGET_BULK];
	r.status = RUN_SKIP;
	r.nreps = 3;
	snprintf(r.reason, sizeof(r.reason), "SET_STRATEGY(2): Operation not supported");
	json_array_append_new(runs, fault_run_to_json(&r, &p, &tsc, &thp, info));
	r.t = &targets[TARGET_PTE];
	r.status = RUN_FAIL;
	snprintf(r.reason, sizeof(r.reason), "SIGBUS at 0x7f0000001000");
	json_array_append_new(runs, fault_run_to_json(&r, &p, &tsc, &thp, info));

	/* baselines: thp that got huge pages (write), anon4k read (zero page), hugetlb1g skip */
	memset(&r, 0, sizeof(r));
	r.reps = reps;
	r.nreps = r.done = 3;
	r.t = &targets[TARGET_THP];
	r.write = true;
	for (int i = 0; i < 3; i++)
		fake_baseline_rep(&reps[i], 0x7ffe00000000ULL, 0, p.size, false);
	hist_add(&r.fault_hist, 400000);
	run = fault_run_to_json(&r, &p, &tsc, &thp, NULL);
	CHECK(!strcmp(json_string_value(json_object_get(run, "kind")), "baseline") &&
	      !json_object_get(run, "strategy") && !json_object_get(run, "faults"), "baseline keys");
	CHECK(check_status(run) && !strcmp(check_status(run), "ok"), "thp minflt check ok");
	CHECK(json_integer_value(json_object_get(json_object_get(run, "page_size"), "obtained")) ==
	      (json_int_t)SZ_2M, "thp page size 2M");
	json_array_append_new(runs, run);
	/* thp that got no huge pages: the run says so */
	for (int i = 0; i < 3; i++)
		fake_baseline_rep(&reps[i], 0x7ffe00000000ULL, p.size, 0, false);
	run = fault_run_to_json(&r, &p, &tsc, &thp, NULL);
	CHECK(notes_have(run, "no huge pages"),
	      "thp without huge pages noted");
	json_array_append_new(runs, run);
	/* thp whose ru_minflt does not match its page sizes: the baseline check bites */
	reps[0].timed.c.minflt += 7;
	run = fault_run_to_json(&r, &p, &tsc, &thp, NULL);
	CHECK(check_status(run) && !strcmp(check_status(run), "mismatch"), "minflt mismatch");
	json_decref(run);
	r.t = &targets[TARGET_ANON4K];
	r.write = false;
	for (int i = 0; i < 3; i++)
		fake_baseline_rep(&reps[i], 0x7ffe00000000ULL, 0, 0, true);
	run = fault_run_to_json(&r, &p, &tsc, &thp, NULL);
	CHECK(!json_object_get(run, "check") &&
	      json_is_null(json_object_get(json_object_get(run, "page_size"), "obtained")) &&
	      notes_have(run, "zero page"),
	      "read of anon4k: no check, page size null, zero page noted");
	json_array_append_new(runs, run);
	r.t = &targets[TARGET_HUGETLB1G];
	r.status = RUN_SKIP;
	r.done = 0;
	snprintf(r.reason, sizeof(r.reason), "no free 1G hugetlb pages: free_hugepages 0, 1 needed");
	json_array_append_new(runs, fault_run_to_json(&r, &p, &tsc, &thp, NULL));

	/* a baselines-only result: no device, backing and module null */
	doc2 = json_deep_copy(doc);
	json_object_set_new(doc2, "backing", json_null());
	json_object_set_new(doc2, "module", json_null());
	runs = json_object_get(doc2, "runs");
	for (size_t i = json_array_size(runs); i-- > 0;)
		if (!strcmp(json_string_value(json_object_get(json_array_get(runs, i), "kind")), "pfnmap"))
			json_array_remove(runs, i);

	snprintf(path, sizeof(path), "%s/sample-result.json", test_build_dir());
	snprintf(path2, sizeof(path2), "%s/sample-result-baselines.json", test_build_dir());
	unlink(path);	/* results are never replaced: make room for this one */
	unlink(path2);
	CHECK(!result_write_atomic(doc, path, sizeof(path), err, sizeof(err)), "write sample: %s", err);
	CHECK(!result_write_atomic(doc2, path2, sizeof(path2), err, sizeof(err)), "write sample: %s", err);
	json_decref(doc);
	json_decref(doc2);
	printf("# sample results: %s %s\n", path, path2);

	if (access(SCHEMA_PATH, R_OK) || system("python3 -c 'import jsonschema' 2>/dev/null")) {
		SKIP("schema %s or python3-jsonschema not available", SCHEMA_PATH);
		return;
	}
	CHECK(validate(path) == 0, "sample result does not validate against %s", SCHEMA_PATH);
	CHECK(validate(path2) == 0, "baselines-only result does not validate against %s", SCHEMA_PATH);
}

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
	CHECK(json_array_size(ci) == 2 && json_real_value(json_array_get(ci, 0)) < 20, "ci");
	CHECK(!strcmp(json_string_value(json_object_get(m, "better")), "lower"), "better");
	json_decref(m);
	m = metric_json("ns", "lower", v, valid, 3);
	CHECK(json_integer_value(json_object_get(m, "n")) == 2, "n valid");
	CHECK(json_is_null(json_array_get(json_object_get(m, "values"), 1)), "null value");
	CHECK(json_real_value(json_object_get(m, "median")) == 20, "median of valid");
	json_decref(m);
	m = metric_json("ns", "lower", v, NULL, 1);
	CHECK(json_is_null(json_object_get(m, "ci95")) && json_is_null(json_object_get(m, "stddev")),
	      "n=1: ci95 null");
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

static void fake_rep(struct fault_rep *rep, uint64_t va, uint64_t pmd, uint64_t pte,
		     uint64_t fb_pud, uint64_t pages, uint64_t base)
{
	memset(rep, 0, sizeof(*rep));
	rep->va = va;
	rep->mmap_ticks = 4000 + base;
	rep->populate_ticks = 900000 + 10 * base;
	rep->munmap_ticks = 70000 + base;
	rep->touch_ticks = 800000 + base;
	rep->st.faults[BENCH_MMIO_LEVEL_PMD] = pmd;
	rep->st.faults[BENCH_MMIO_LEVEL_PTE] = pte;
	rep->st.fallbacks[BENCH_MMIO_LEVEL_PUD] = fb_pud;
	rep->st.pages = pages;
	rep->st.mmaps = 1;
	rep->touch_faults = pmd + pte;
	rep->touches = pages;
	rep->fault_count = pmd + pte;
	for (int k = 0; k < 5; k++)
		rep->fault_p[k] = 3000 + 1000 * k + base;
	rep->touch_count = pages - pmd - pte;
	rep->touch_p50 = 60;
}

void test_sample_result(void)
{
	static struct bench_mmio_info info = {
		.abi_version = BENCH_MMIO_ABI_VERSION, .backing_kind = BENCH_MMIO_BACKING_PCI_BAR,
		.phys_base = 0x4000000000ULL, .size = 4ULL << 30, .pci_bus = 0, .pci_devfn = 0x20,
		.pci_bar = 2, .pci_vendor = 0x1b36, .pci_device = 0x0005,
		.caps = 0x7f, .strategies = 0x1f, .max_level = { 0, 0, 0, 1, 2 },
		.page_shift = 12, .pmd_shift = 21, .pud_shift = 30,
	};
	struct common_params p = {
		.strategies = 0x1f, .size = 256ULL << 20, .offset = 0, .align = 0, .access = 0,
		.cache = 0, .reps = 3, .cpu = OPT_UNSET, .device = "/dev/bench_mmio",
	};
	struct tsc_info tsc = { .hz = 2e9, .invariant = true, .is_tsc = true };
	struct thp_state thp = { "always", "madvise", -1 };
	struct pin_state pin = { 3, 3, 4, "hwloc_set_cpubind(THREAD|STRICT)" };
	struct aslr_state aslr = { .disabled = true, .reexeced = true };
	char *argv[] = { "bench_mmio", "fault", "--reps=3" };
	char path[600], err[256], cmd[1400];
	struct fault_rep reps[3];
	struct fault_run r;
	json_t *doc, *runs, *run;
	uint64_t va = 0x7f0000000000ULL;

	snprintf(tsc.method, sizeof(tsc.method), "fake");
	snprintf(tsc.read_method, sizeof(tsc.read_method), "fake");
	doc = result_new(1700000000, 3, argv);
	json_object_set_new(doc, "system", system_to_json(&tsc, &pin, &aslr));
	json_object_set_new(doc, "backing", backing_to_json(&info, "uc"));
	json_object_set_new(doc, "module", module_to_json(&info));
	json_object_set_new(doc, "bench", json_string("fault"));
	runs = json_object_get(doc, "runs");
	CHECK(json_is_object(json_object_get(doc, "system")), "system object built");

	/* pmd: matches the model (128 PMDs) */
	memset(&r, 0, sizeof(r));
	r.strategy = BENCH_MMIO_STRATEGY_PMD;
	r.nreps = r.done = 3;
	r.reps = reps;
	for (int i = 0; i < 3; i++)
		fake_rep(&reps[i], va, 128, 0, 0, 65536, i * 100);
	for (int i = 0; i < 1000; i++)
		hist_add(&r.fault_hist, 3000 + i * 7);
	hist_add(&r.touch_hist, 60);
	r.tin = (struct theory_in){ .strategy = r.strategy, .va = va, .length = p.size,
				    .phys = info.phys_base, .max_level = 1, .caps = info.caps,
				    .thp = THEORY_THP_ALLOW };
	run = fault_run_to_json(&r, &p, &tsc, &thp, &info);
	CHECK(!strcmp(json_string_value(json_object_get(json_object_get(run, "check"), "status")), "ok"),
	      "pmd check ok");
	CHECK(json_is_true(json_object_get(run, "faults_identical")) &&
	      !json_object_get(run, "faults_per_rep"), "identical reps");
	json_array_append_new(runs, run);

	/* pud: the module reported PTEs only, and rep 2 differs */
	r.strategy = BENCH_MMIO_STRATEGY_PUD;
	r.tin.strategy = r.strategy;
	r.tin.max_level = 2;
	for (int i = 0; i < 3; i++)
		fake_rep(&reps[i], va, 0, 65536 - i, 0, 65536, i * 100);
	run = fault_run_to_json(&r, &p, &tsc, &thp, &info);
	CHECK(!strcmp(json_string_value(json_object_get(json_object_get(run, "check"), "status")), "mismatch"),
	      "pud mismatch");
	CHECK(json_is_string(json_object_get(json_object_get(run, "check"), "explanation")), "explanation");
	CHECK(json_is_false(json_object_get(run, "faults_identical")) &&
	      json_array_size(json_object_get(run, "faults_per_rep")) == 3, "faults_per_rep");
	json_array_append_new(runs, run);

	/* remap: no faults at all -> fault percentiles null */
	r.strategy = BENCH_MMIO_STRATEGY_REMAP;
	r.tin.strategy = r.strategy;
	r.tin.max_level = 0;
	hist_init(&r.fault_hist);
	for (int i = 0; i < 3; i++) {
		fake_rep(&reps[i], va, 0, 0, 0, 65536, i * 100);
		reps[i].fault_count = 0;
	}
	run = fault_run_to_json(&r, &p, &tsc, &thp, &info);
	CHECK(json_is_null(json_object_get(json_object_get(json_object_get(run, "metrics"), "fault_p50_ns"),
					   "mean")), "remap: fault p50 null");
	json_array_append_new(runs, run);

	/* skip and fail */
	memset(&r, 0, sizeof(r));
	r.reps = reps;
	r.strategy = BENCH_MMIO_STRATEGY_BULK;
	r.status = RUN_SKIP;
	r.nreps = 3;
	snprintf(r.reason, sizeof(r.reason), "SET_STRATEGY(2): Operation not supported");
	json_array_append_new(runs, fault_run_to_json(&r, &p, &tsc, &thp, &info));
	r.strategy = BENCH_MMIO_STRATEGY_PTE;
	r.status = RUN_FAIL;
	snprintf(r.reason, sizeof(r.reason), "SIGBUS at 0x7f0000001000");
	json_array_append_new(runs, fault_run_to_json(&r, &p, &tsc, &thp, &info));

	snprintf(path, sizeof(path), "%s/sample-result.json", test_build_dir());
	unlink(path);	/* results are never replaced: make room for this one */
	CHECK(!result_write_atomic(doc, path, sizeof(path), err, sizeof(err)), "write sample: %s", err);
	json_decref(doc);
	printf("# sample result: %s\n", path);

	if (access(SCHEMA_PATH, R_OK) || system("python3 -c 'import jsonschema' 2>/dev/null")) {
		SKIP("schema %s or python3-jsonschema not available", SCHEMA_PATH);
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "python3 -c \"import json,jsonschema,sys; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '%s' '%s'",
		 path, SCHEMA_PATH);
	CHECK(system(cmd) == 0, "sample result does not validate against %s", SCHEMA_PATH);
}

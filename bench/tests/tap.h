/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - kselftest-style TAP for the unit tests.  Each test function is one
 * test point; CHECK() failures print a "# " diagnostic and fail the point.
 */
#ifndef BENCH_TAP_H
#define BENCH_TAP_H

#include <stdbool.h>
#include <stdio.h>

extern int tap_failed_checks;	/* failed CHECKs in the current test */
extern bool tap_skip;		/* set with a reason to report "# SKIP" */
extern char tap_skip_reason[128];

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		tap_failed_checks++;					\
		printf("# %s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

#define SKIP(...) do {							\
	tap_skip = true;						\
	snprintf(tap_skip_reason, sizeof(tap_skip_reason), __VA_ARGS__); \
} while (0)

/* Directory of the unit_tests binary (where sample-result.json goes). */
const char *test_build_dir(void);

#define TESTS(X)							\
	X(test_size_valid, "size parsing accepts 4096, 64K, 256M, 2G, 1T, hex")	\
	X(test_size_invalid, "size parsing rejects garbage, zero, overflow, non-4K") \
	X(test_uint_bool, "uint and bool parsing")			\
	X(test_options, "option table: defaults, enums, lists, errors")	\
	X(test_options_getopt, "getopt forms: --name value, -h/--help, target groups and lists") \
	X(test_option_tables, "option tables: help, enum values, --strategy values = targets[]") \
	X(test_profile, "profile file: key=value, comments, command line wins, errors") \
	X(test_target_table, "targets: one pfnmap per strategy, baselines, masks") \
	X(test_smaps_page_sizes, "page sizes from /proc/self/smaps (thp, hugetlb, zero page)") \
	X(test_stats_slots, "statistics mapping: faults summed over slots; pfnmap page sizes") \
	X(test_stats_summary, "stats: mean/stddev/median/CI95 on known data") \
	X(test_stats_ci_heavy_tail, "stats: bootstrap CI95 of the mean: heavy tail within [min, max], >= 0, deterministic, none for n=1") \
	X(test_splitmix64, "stats: splitmix64 reference outputs")	\
	X(test_hist_buckets, "histogram: bucket index and bounds agree") \
	X(test_hist_percentiles, "histogram: percentiles within the relative error bound") \
	X(test_theory_612, "theory: 6.12 sanity cases (remap, pte, bulk, pmd, pud)") \
	X(test_theory_misaligned, "theory: misaligned VA and phys")	\
	X(test_theory_61, "theory: 6.1 caps (no core huge pfnmap)")	\
	X(test_theory_edges, "theory: neighbours, THP deny, no gbpages")	\
	X(test_theory_explain, "theory: mismatch explanations")	\
	X(test_sysinfo_parsers, "virt classification, sysfs choice, THP gate") \
	X(test_metric_json, "metric objects: summary, nulls, ci95")	\
	X(test_result_path, "result file name")				\
	X(test_atomic_write, "atomic JSON write: temp + rename, nothing left on failure") \
	X(test_check_alignment, "check: a mapping that did not get the alignment it asked for is a mismatch") \
	X(test_sample_result, "sample result document (and schema validation when python3-jsonschema is present)") \
	X(test_chain_cycle, "tlb chain: one cycle through every node, N not only powers of two") \
	X(test_chain_order, "tlb chain: a keyed order, neither the identity nor sequential") \
	X(test_tlb_points, "tlb working sets: log-spaced, >= 8 for 1G, the whole mapping last") \
	X(test_pmu_scale, "counters: raw * enabled / running, no estimate when never running") \
	X(test_events_parse, "events files: format, errors, one test point per file") \
	X(test_events_intel, "events: config/events/intel.conf encodes for its PMUs (LIBPFM_FORCE_PMU)") \
	X(test_events_amd64_fam17h, "events: config/events/amd64_fam17h.conf encodes for its PMUs") \
	X(test_events_amd64_fam19h, "events: config/events/amd64_fam19h.conf encodes for its PMUs") \
	X(test_events_arm, "events: config/events/arm.conf encodes for its PMUs") \
	X(test_events_perf, "events: config/events/perf.conf (generic fallback) encodes") \
	X(test_census_check, "census check: leaves vs faults, PTEs vs pages, unavailable with the reason") \
	X(test_bind_parse, "--bind: auto, pci, core:N, node:N, errors") \
	X(test_theory_refault, "theory: the refault after a zap, by level (PUD 8G, PTE, PMD, remap, bulk)") \
	X(test_zap_widen, "zap: GUARD_ZAP_WIDEN's rule: whole 1G extents, clipped to the backing") \
	X(test_zap_resolve, "zap: the range actually zapped (the counter, the rule), the partial range") \
	X(test_threads_slices, "threads: the T sweep, whole-grain slices, the grain") \
	X(test_fork_child, "fork: what the child faults, per variant") \
	X(test_size_list, "--sizes: a comma list of sizes, errors named") \
	X(test_reason_prefix, "a warm-up's failure reason: prefixed, truncated to fit, terminated")

#define DECLARE(fn, desc) void fn(void);
TESTS(DECLARE)
#undef DECLARE

#endif

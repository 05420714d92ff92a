// SPDX-License-Identifier: GPL-2.0
/* test_tlb.c - the chain, counter scaling, the events files, the census check. */
#define _GNU_SOURCE
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "pmu.h"
#include "sysinfo.h"
#include "tap.h"
#include "tlb.h"

#ifndef EVENTS_DIR
#define EVENTS_DIR "../../config/events"
#endif

/* Walk the chain from its first node: every node once, then back. */
static void check_cycle(uint64_t n, uint64_t stride, uint64_t key)
{
	struct chain c;
	volatile char *base = calloc(n, stride);
	uint8_t *seen = calloc((n + 7) / 8, 1);
	volatile uint64_t *first, *p;
	uint64_t steps = 0;
	bool dup = false, outside = false;

	if (!base || !seen) {
		CHECK(0, "out of memory for n=%llu", (unsigned long long)n);
		goto out;
	}
	chain_init(&c, n, stride, key);
	first = chain_build(&c, base);
	p = first;
	do {
		uint64_t off = (uint64_t)((volatile char *)p - base), i = off / stride;

		if (off >= n * stride || chain_node_offset(&c, i) != off) {
			outside = true;
			break;
		}
		if (seen[i / 8] & (1u << (i % 8))) {
			dup = true;
			break;
		}
		seen[i / 8] |= 1u << (i % 8);
		p = (volatile uint64_t *)*p;
		steps++;
	} while (p != first && steps <= n);
	CHECK(!outside && !dup && steps == n && p == first,
	      "n=%llu stride=%llu key=%llu: %llu steps, %s", (unsigned long long)n,
	      (unsigned long long)stride, (unsigned long long)key, (unsigned long long)steps,
	      outside ? "left the nodes" : dup ? "a node twice before the cycle closed" :
	      "the cycle did not close on its first node after n steps");
out:
	free((void *)base);
	free(seen);
}

void test_chain_cycle(void)
{
	static const uint64_t ns[] = { 1, 2, 3, 4, 5, 7, 8, 63, 64, 100, 1000, 4097, 65537, 262147 };

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		check_cycle(ns[i], 8, 1);
	check_cycle(1000, 8, 0xdeadbeef);
	check_cycle(37, 4096, 7);	/* nodes on hashed cache lines of their pages */
	check_cycle(300, 8192, 3);
}

void test_chain_order(void)
{
	struct chain c;
	uint64_t same = 0, ascending = 0, prev;

	/* not the identity, not a stride a prefetcher could follow */
	chain_init(&c, 4096, 4096, 1);
	prev = chain_perm(&c, 0);
	for (uint64_t k = 1; k < 4096; k++) {
		uint64_t v = chain_perm(&c, k);

		same += v == k;
		ascending += v == prev + 1;
		prev = v;
	}
	CHECK(same < 16 && ascending < 16, "fixed points %llu, successive neighbours %llu",
	      (unsigned long long)same, (unsigned long long)ascending);
	/* another key, another order */
	{
		struct chain d;
		uint64_t equal = 0;

		chain_init(&d, 4096, 4096, 2);
		for (uint64_t k = 0; k < 4096; k++)
			equal += chain_perm(&c, k) == chain_perm(&d, k);
		CHECK(equal < 16, "keys 1 and 2 agree on %llu of 4096", (unsigned long long)equal);
	}
}

void test_tlb_points(void)
{
	uint64_t v[64];
	unsigned int n = tlb_points(262144, v, 64);

	CHECK(n >= 8 && v[0] == 4 && v[n - 1] == 262144, "1G of 4K nodes: %u points, %llu..%llu", n,
	      (unsigned long long)v[0], (unsigned long long)v[n - 1]);
	for (unsigned int i = 1; i < n; i++)
		CHECK(v[i] > v[i - 1], "ascending at %u", i);
	n = tlb_points(1000, v, 64);
	CHECK(n == 9 && v[7] == 512 && v[8] == 1000, "1000 nodes: %u points, last %llu", n,
	      (unsigned long long)v[n - 1]);
	n = tlb_points(3, v, 64);
	CHECK(n == 1 && v[0] == 3, "3 nodes: one point of 3");
}

void test_pmu_scale(void)
{
	struct pmu_count c = { .raw = 1000, .enabled = 400, .running = 100 };
	double s;

	CHECK(pmu_scale(&c, &s) && s == 4000, "multiplexed a quarter of the time: %f", s);
	c = (struct pmu_count){ .raw = 1000, .enabled = 400, .running = 400 };
	CHECK(pmu_scale(&c, &s) && s == 1000, "always running: exact, %f", s);
	c = (struct pmu_count){ .raw = 0, .enabled = 400, .running = 0 };
	CHECK(!pmu_scale(&c, &s) && s == 0, "never ran: no estimate");
	c = (struct pmu_count){ .raw = 7, .enabled = 0, .running = 0 };
	CHECK(!pmu_scale(&c, &s), "never enabled: no estimate");
}

/* Is a PMU of this name in libpfm4's tables, and is it present (forced)? */
static int pmu_state(const char *name)
{
	pfm_pmu_t p;

	pfm_for_all_pmus(p) {
		pfm_pmu_info_t info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(p, &info) == PFM_SUCCESS && !strcmp(info.name, name))
			return info.is_present ? 2 : 1;
	}
	return 0;
}

/*
 * Every event of every section encodes for every PMU the section names,
 * with libpfm4 forced to that PMU (LIBPFM_FORCE_PMU before pfm_initialize).
 */
static void check_events_file(const char *file)
{
	char path[512], err[256];
	struct pmu_file f;
	char *text;
	bool found = false;

	snprintf(path, sizeof(path), "%s/%s", EVENTS_DIR, file);
	text = pmu_read_text(path);
	if (!text) {
		CHECK(0, "cannot read %s", path);
		return;
	}
	CHECK(!pmu_file_parse(text, &f, err, sizeof(err)), "%s: %s", path, err);
	for (const struct pmu_builtin *b = pmu_builtin_files; b->name; b++)
		if (!strcmp(b->name, file)) {
			found = true;
			CHECK(!strcmp(b->text, text), "%s: the built-in copy is stale (rebuild)", file);
		}
	CHECK(found, "%s is not built in", file);
	free(text);
	if (!strcmp(f.arch, "arm")
#if defined(__aarch64__) || defined(__arm__)
	    && 0
#endif
	   ) {
		SKIP("%s: this %s libpfm4 has no Arm PMU tables, cannot encode",
		     file,
#if defined(__x86_64__)
		     "x86-64"
#else
		     "non-Arm"
#endif
		     );
		return;
	}
	for (unsigned int s = 0; s < f.nsections; s++) {
		char pmus[512], *save = NULL, *pmu;

		CHECK(f.sec[s].ngroups > 0, "%s: section [%s] has no events", file, f.sec[s].pmus);
		snprintf(pmus, sizeof(pmus), "%s", f.sec[s].pmus);
		for (pmu = strtok_r(pmus, " \t", &save); pmu; pmu = strtok_r(NULL, " \t", &save)) {
			unsigned int nev = 0;
			int st;

			setenv("LIBPFM_FORCE_PMU", pmu, 1);
			CHECK(pfm_initialize() == PFM_SUCCESS, "%s: pfm_initialize with %s forced", file, pmu);
			st = pmu_state(pmu);
			CHECK(st == 2, "%s: [%s]: libpfm4 %s", file, pmu,
			      st ? "knows the PMU but did not activate it when forced" :
				   "has no PMU of that name (a typo, or one newer than this libpfm4)");
			for (unsigned int g = 0; st == 2 && g < f.sec[s].ngroups; g++) {
				char grp[512], *sv = NULL, *ev;

				snprintf(grp, sizeof(grp), "%s", f.sec[s].groups[g]);
				for (ev = strtok_r(grp, " \t", &sv); ev; ev = strtok_r(NULL, " \t", &sv)) {
					struct perf_event_attr attr;
					pfm_perf_encode_arg_t arg;
					char q[256], *fstr = NULL;
					int ret;

					snprintf(q, sizeof(q), strstr(ev, "::") ? "%s%s" : "%s::%s",
						 strstr(ev, "::") ? "" : pmu, ev);
					memset(&attr, 0, sizeof(attr));
					memset(&arg, 0, sizeof(arg));
					arg.attr = &attr;
					arg.fstr = &fstr;
					arg.size = sizeof(arg);
					ret = pfm_get_os_event_encoding(q, PFM_PLM0 | PFM_PLM3,
									PFM_OS_PERF_EVENT_EXT, &arg);
					CHECK(ret == PFM_SUCCESS && fstr, "%s: [%s] %s does not encode: %s",
					      file, pmu, q, pfm_strerror(ret));
					free(fstr);
					nev++;
				}
			}
			CHECK(st != 2 || nev <= PMU_MAX_EVENTS, "%s: [%s]: %u events", file, pmu, nev);
			pfm_terminate();
		}
	}
	unsetenv("LIBPFM_FORCE_PMU");
}

void test_events_intel(void) { check_events_file("intel.conf"); }
void test_events_amd64_fam17h(void) { check_events_file("amd64_fam17h.conf"); }
void test_events_amd64_fam19h(void) { check_events_file("amd64_fam19h.conf"); }
void test_events_arm(void) { check_events_file("arm.conf"); }
void test_events_perf(void) { check_events_file("perf.conf"); }

void test_events_parse(void)
{
	struct pmu_file f;
	char err[256];
	unsigned int n = 0;

	CHECK(!pmu_file_parse("# c\narch = x86\n[a b]\nE1 E2 # group\n\n[c]\nE3\n", &f, err, sizeof(err)) &&
	      f.nsections == 2 && f.sec[0].ngroups == 1 && !strcmp(f.sec[0].groups[0], "E1 E2") &&
	      !strcmp(f.sec[1].pmus, "c") && !strcmp(f.arch, "x86"), "a good file: %s", err);
	CHECK(pmu_file_parse("[a]\nE1\n", &f, err, sizeof(err)) && strstr(err, "arch"), "no arch: %s", err);
	CHECK(pmu_file_parse("arch = x86\nE1\n", &f, err, sizeof(err)) && strstr(err, "line 2"),
	      "an event before any section: %s", err);
	CHECK(pmu_file_parse("arch = sparc\n", &f, err, sizeof(err)), "unknown arch");
	CHECK(pmu_file_parse("arch = x86\n[]\n", &f, err, sizeof(err)), "empty header");
	/* every built-in file has a test point above */
	for (const struct pmu_builtin *b = pmu_builtin_files; b->name; b++) {
		static const char *const tested[] = { "intel.conf", "amd64_fam17h.conf",
			"amd64_fam19h.conf", "arm.conf", "perf.conf", NULL };
		bool t = false;

		for (int i = 0; tested[i]; i++)
			t |= !strcmp(tested[i], b->name);
		CHECK(t, "%s has no test point in test_tlb.c", b->name);
		n++;
	}
	CHECK(n >= 5, "%u built-in events files", n);
}

static const char *status_of(json_t *c)
{
	return json_string_value(json_object_get(c, "status"));
}

void test_census_check(void)
{
	struct bench_mmio_census c = { 0 };
	struct bench_mmio_stats st = { 0 };
	json_t *j;

	/* pud, 1G: one PUD leaf, one PUD fault */
	c.leaves[BENCH_MMIO_LEVEL_PUD] = 1;
	c.pages = 262144;
	st.faults[BENCH_MMIO_LEVEL_PUD] = 1;
	st.pages = 262144;
	j = tlb_census_check_json(BENCH_MMIO_STRATEGY_PUD, 1ULL << 30, &c, NULL, &st);
	CHECK(!strcmp(status_of(j), "ok"), "pud 1G: %s", status_of(j));
	json_decref(j);
	/* pmd: 512 PMD leaves but the module counted 511 */
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	c.leaves[BENCH_MMIO_LEVEL_PMD] = 512;
	c.pages = 262144;
	st.faults[BENCH_MMIO_LEVEL_PMD] = 511;
	st.faults[BENCH_MMIO_LEVEL_PTE] = 512;
	j = tlb_census_check_json(BENCH_MMIO_STRATEGY_PMD, 1ULL << 30, &c, NULL, &st);
	CHECK(!strcmp(status_of(j), "mismatch") &&
	      strstr(json_string_value(json_object_get(j, "explanation")), "pmd leaves: census 512, module faults 511"),
	      "pmd miscounted: %s", json_string_value(json_object_get(j, "explanation")));
	json_decref(j);
	/* remap and bulk: PTE leaves against pages, not faults */
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	c.leaves[BENCH_MMIO_LEVEL_PTE] = 262144;
	c.pages = 262144;
	st.pages = 262144;
	j = tlb_census_check_json(BENCH_MMIO_STRATEGY_REMAP, 1ULL << 30, &c, NULL, &st);
	CHECK(!strcmp(status_of(j), "ok"), "remap: %s", status_of(j));
	json_decref(j);
	st.faults[BENCH_MMIO_LEVEL_PTE] = 1;
	j = tlb_census_check_json(BENCH_MMIO_STRATEGY_BULK, 1ULL << 30, &c, NULL, &st);
	CHECK(!strcmp(status_of(j), "ok"), "bulk: one fault, every PTE: %s", status_of(j));
	json_decref(j);
	/* pages not all mapped */
	c.pages = 100;
	j = tlb_census_check_json(BENCH_MMIO_STRATEGY_REMAP, 1ULL << 30, &c, NULL, &st);
	CHECK(!strcmp(status_of(j), "mismatch"), "pages short: %s", status_of(j));
	json_decref(j);
	/* no census: unavailable, with the reason */
	j = tlb_census_check_json(BENCH_MMIO_STRATEGY_PTE, 1ULL << 30, NULL,
				  "BENCH_MMIO_CENSUS: ENOTTY: the module predates the census ioctl", &st);
	CHECK(!strcmp(status_of(j), "unavailable") &&
	      strstr(json_string_value(json_object_get(j, "explanation")), "ENOTTY"), "unavailable");
	json_decref(j);
}

void test_bind_parse(void)
{
	unsigned int idx;
	int kind;
	char err[128];

	CHECK(!bind_parse("auto", &kind, &idx, err, sizeof(err)) && kind == 0, "auto");
	CHECK(!bind_parse("pci", &kind, &idx, err, sizeof(err)) && kind == 1, "pci");
	CHECK(!bind_parse("core:3", &kind, &idx, err, sizeof(err)) && kind == 2 && idx == 3, "core:3");
	CHECK(!bind_parse("node:0", &kind, &idx, err, sizeof(err)) && kind == 3 && idx == 0, "node:0");
	CHECK(bind_parse("core:", &kind, &idx, err, sizeof(err)) && strstr(err, "--bind=core:"), "core:");
	CHECK(bind_parse("node:x", &kind, &idx, err, sizeof(err)), "node:x");
	CHECK(bind_parse("socket:1", &kind, &idx, err, sizeof(err)), "socket:1");
}

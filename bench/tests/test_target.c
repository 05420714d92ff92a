// SPDX-License-Identifier: GPL-2.0
/* test_target.c - the target table, smaps parsing, counters from slots. */
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "fault.h"
#include "tap.h"
#include "target.h"

void test_target_table(void)
{
	int pfnmaps = 0, baselines = 0;

	for (int id = 0; id < NR_TARGETS; id++) {
		const struct target *t = &targets[id];

		CHECK(t->name && t->help && t->open && t->map && t->unmap && t->counters_reset &&
		      t->counters_read && t->page_sizes, "target %d (%s) lacks a field", id,
		      t->name ? t->name : "?");
		if (!t->name)
			continue;
		CHECK(target_find(t->name) == t, "%s: target_find", t->name);
		CHECK(target_is_pfnmap(id) == (t->kind == TARGET_PFNMAP), "%s: kind vs mask", t->name);
		if (t->kind == TARGET_PFNMAP) {
			/* one pfnmap target per strategy, same id and name */
			CHECK(t->strategy == (unsigned int)id && !strcmp(t->name, strategy_names[id]),
			      "%s: strategy %u, name %s", t->name, t->strategy, strategy_names[id]);
			pfnmaps++;
		} else {
			CHECK(t->page_size == SZ_4K || t->page_size == SZ_2M || t->page_size == SZ_1G,
			      "%s: page size %llu", t->name, (unsigned long long)t->page_size);
			CHECK(t->mmap_flags_name && strstr(t->mmap_flags_name, "MAP_PRIVATE"),
			      "%s: flags name", t->name);
			baselines++;
		}
	}
	CHECK(pfnmaps == BENCH_MMIO_NR_STRATEGIES, "%d pfnmap targets", pfnmaps);
	CHECK(baselines == 4, "%d baselines", baselines);
	CHECK(targets[NR_TARGETS].name == NULL, "table terminated");
	CHECK(__builtin_popcountll(TARGETS_PFNMAP) == BENCH_MMIO_NR_STRATEGIES &&
	      !(TARGETS_PFNMAP & TARGETS_BASELINE), "masks");
	CHECK(targets[TARGET_THP].va_align == SZ_2M && targets[TARGET_HUGETLB1G].page_size == SZ_1G,
	      "thp aligned, hugetlb1g 1G");
	CHECK(!target_find("all") && !target_find("bogus"), "groups are not targets");
}

static const char smaps_text[] =
	"7ffff7a00000-7ffff7c00000 rw-p 00000000 00:00 0 \n"
	"Size:               2048 kB\n"
	"KernelPageSize:        4 kB\n"
	"Rss:                  12 kB\n"
	"AnonHugePages:         0 kB\n"
	"VmFlags: rd wr mr mw me ac sd \n"
	"7fffb7a00000-7ffff7a00000 rw-p 00000000 00:00 0 \n"
	"Size:            1048576 kB\n"
	"KernelPageSize:        4 kB\n"
	"Rss:             1048576 kB\n"
	"Anonymous:       1048576 kB\n"
	"AnonHugePages:    1044480 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"VmFlags: rd wr mr mw me ac sd hg \n"
	"7fff40000000-7fff80000000 rw-p 00000000 00:0f 1234 /anon_hugepage (deleted)\n"
	"Size:            1048576 kB\n"
	"KernelPageSize:  1048576 kB\n"
	"Rss:                   0 kB\n"
	"Private_Hugetlb: 1048576 kB\n"
	"Shared_Hugetlb:        0 kB\n";

void test_smaps_page_sizes(void)
{
	struct page_sizes ps;
	bool mixed;

	CHECK(!smaps_parse(smaps_text, 0x7fffb7a00000ULL, &ps), "thp mapping found");
	CHECK(ps.bytes[PS_2M] == 1044480ULL << 10 && ps.bytes[PS_4K] == 4096ULL << 10 &&
	      ps.bytes[PS_1G] == 0, "thp: %llu 2M bytes, %llu 4K bytes",
	      (unsigned long long)ps.bytes[PS_2M], (unsigned long long)ps.bytes[PS_4K]);
	CHECK(page_size_obtained(&ps, &mixed) == SZ_4K && mixed, "mixed thp: smallest 4K");
	CHECK(baseline_expected_faults(&ps) == 510 + 1024, "faults of a mixed thp mapping: %llu",
	      (unsigned long long)baseline_expected_faults(&ps));

	CHECK(!smaps_parse(smaps_text, 0x7fff40000000ULL, &ps), "hugetlb mapping found");
	CHECK(ps.bytes[PS_1G] == SZ_1G && !ps.bytes[PS_4K] && ps.kernel_page_size == SZ_1G,
	      "hugetlb 1G from Private_Hugetlb and KernelPageSize");
	CHECK(page_size_obtained(&ps, &mixed) == SZ_1G && !mixed, "1G, not mixed");
	CHECK(baseline_expected_faults(&ps) == 1, "one 1G fault");

	CHECK(!smaps_parse(smaps_text, 0x7ffff7a00000ULL, &ps) && ps.bytes[PS_4K] == 12 << 10,
	      "first mapping");
	CHECK(smaps_parse(smaps_text, 0x1000, &ps) == -1, "absent mapping");
	/* a read of untouched anonymous memory: nothing of its own mapped */
	CHECK(!smaps_parse("7f0000000000-7f0000200000 rw-p 00000000 00:00 0\nRss: 0 kB\nAnonHugePages: 0 kB\n",
			   0x7f0000000000ULL, &ps) && !ps.known, "zero page: not known");
}

void test_stats_slots(void)
{
	struct bench_mmio_stats *slots = calloc(4, sizeof(*slots));
	struct bench_mmio_stats st = { 0 };
	struct page_sizes ps;

	CHECK(sizeof(struct bench_mmio_stats) == 256, "a slot is 256 bytes");
	if (!slots)
		return;
	CHECK(dev_stats_faults(slots, 4) == 0, "empty");
	slots[0].faults[BENCH_MMIO_LEVEL_PTE] = 3;
	slots[2].faults[BENCH_MMIO_LEVEL_PMD] = 5;
	slots[3].faults[BENCH_MMIO_LEVEL_PUD] = 7;
	slots[1].fallbacks[BENCH_MMIO_LEVEL_PMD] = 100;	/* not a fault */
	slots[1].pages = 1000;
	CHECK(dev_stats_faults(slots, 4) == 15, "sum over slots and levels: %llu",
	      (unsigned long long)dev_stats_faults(slots, 4));
	CHECK(dev_stats_faults(slots, 3) == 8, "only the slots asked");
	free(slots);

	st.faults[BENCH_MMIO_LEVEL_PUD] = 1;
	st.faults[BENCH_MMIO_LEVEL_PMD] = 2;
	st.faults[BENCH_MMIO_LEVEL_PTE] = 512;
	st.pages = (SZ_1G + 2 * SZ_2M) / SZ_4K + 512;
	page_sizes_from_stats(&st, &ps);
	CHECK(ps.bytes[PS_1G] == SZ_1G && ps.bytes[PS_2M] == 2 * SZ_2M && ps.bytes[PS_4K] == 512 * SZ_4K,
	      "pfnmap page sizes from the module's counts");
	memset(&st, 0, sizeof(st));
	st.pages = 65536;	/* remap: populated at mmap */
	page_sizes_from_stats(&st, &ps);
	CHECK(ps.bytes[PS_4K] == 256ULL << 20 && ps.known, "remap: 4K");
}

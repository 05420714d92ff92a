/* SPDX-License-Identifier: GPL-2.0 */
/*
 * target.h - what a benchmark maps: the targets.
 *
 * A target is one way to get SIZE bytes of memory mapped: a pfnmap of the
 * device through one of the module's strategies (one target per line of
 * BENCH_MMIO_STRATEGIES(), same name), or a baseline of ordinary memory to
 * compare against.  targets[] is the one table; --strategy takes its names.
 */
#ifndef BENCH_TARGET_H
#define BENCH_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "bench_mmio_uapi.h"

enum target_kind { TARGET_PFNMAP, TARGET_BASELINE };

#define X_TARGET_ID(id, name, level, populate) TARGET_##id,
enum target_id {
	BENCH_MMIO_STRATEGIES(X_TARGET_ID)	/* same order as the strategy ids */
	TARGET_ANON4K,
	TARGET_THP,
	TARGET_HUGETLB2M,
	TARGET_HUGETLB1G,
	NR_TARGETS
};
#undef X_TARGET_ID

#define X_TARGET_BIT(id, name, level, populate) | (1ULL << TARGET_##id)
/* Target masks of the option groups: all, baselines, everything. */
#define TARGETS_PFNMAP		(0 BENCH_MMIO_STRATEGIES(X_TARGET_BIT))
#define TARGETS_BASELINE	((1ULL << TARGET_ANON4K) | (1ULL << TARGET_THP) | \
				 (1ULL << TARGET_HUGETLB2M) | (1ULL << TARGET_HUGETLB1G))
#define TARGETS_ALL		(TARGETS_PFNMAP | TARGETS_BASELINE)

/* How a touch is attributed to a fault in the instrumented pass. */
enum attribution {
	ATTR_AUTO,		/* option value: stats page when there is one */
	ATTR_GETRUSAGE,		/* getrusage(RUSAGE_THREAD).ru_minflt */
	ATTR_STATS_PAGE,	/* sum of faults[] in the statistics mapping */
};

/* What opening a target needs from the run. */
struct target_env {
	const char *device;
	const struct bench_mmio_info *info;	/* NULL when no device was opened */
	unsigned int align, cache;		/* BENCH_MMIO_ALIGN_*, _CACHE_* */
	uint64_t size, offset;
	enum attribution attr;			/* asked (ATTR_AUTO: the best there is) */
	uint64_t fault_delay_ns;		/* pfnmap: SET_FAULT_DELAY when non-zero */
};

/* One open target, for the repetitions of one run. */
struct target_state {
	const struct target *t;
	const struct target_env *env;
	int fd;					/* pfnmap: the device file */
	const volatile struct bench_mmio_stats *slots;	/* its statistics mapping */
	unsigned int nslots;
	enum attribution attr;			/* the method in use */
	char attr_note[320];			/* why not the stats page, if not */
	long minflt0;				/* ru_minflt at counters_reset */
};

/* Counters over one pass (counters_reset .. counters_read). */
struct target_counters {
	struct bench_mmio_stats st;		/* pfnmap: GET_STATS */
	uint64_t minflt;			/* ru_minflt of this thread */
};

/* Page sizes a mapping actually got (struct page_sizes.bytes index). */
enum { PS_4K, PS_2M, PS_1G, PS_NR };
extern const uint64_t page_size_bytes[PS_NR];

struct page_sizes {
	uint64_t bytes[PS_NR];		/* bytes mapped with each page size */
	bool known;			/* false: nothing mapped that shows (zero page) */
	/* baselines: the smaps fields, in bytes */
	uint64_t kernel_page_size, rss, anon_huge, hugetlb;
};

struct target {
	const char *name;
	enum target_kind kind;
	const char *help;
	unsigned int strategy;		/* pfnmap: BENCH_MMIO_STRATEGY_* */
	/* baselines */
	int mmap_flags;			/* beside PROT_READ|PROT_WRITE */
	const char *mmap_flags_name;
	int advice;			/* madvise() after mmap, 0: none */
	const char *advice_name;
	uint64_t page_size;		/* the page size it asks for */
	uint64_t va_align;		/* place the mapping at a multiple of this */
	/*
	 * Hooks.  open: 0, or -1 with reason set and *skip true when the
	 * target cannot be had here (status skip) rather than broken (fail).
	 */
	int (*open)(struct target_state *ts, bool *skip, char *reason, size_t len);
	void (*close)(struct target_state *ts);
	/* Timed: the mapping system call alone; 0 or -errno. */
	int (*map)(struct target_state *ts, uint64_t hint, uint64_t len, volatile char **base);
	int (*unmap)(struct target_state *ts, volatile char *base, uint64_t len);
	int (*counters_reset)(struct target_state *ts);
	int (*counters_read)(struct target_state *ts, struct target_counters *c);
	/* After the touches, before munmap: the page sizes the mapping got. */
	int (*page_sizes)(struct target_state *ts, volatile char *base, uint64_t len,
			  const struct target_counters *c, struct page_sizes *ps);
};

extern const struct target targets[NR_TARGETS + 1];	/* { .name = NULL } last */

const struct target *target_find(const char *name);
static inline bool target_is_pfnmap(unsigned int id)
{
	return TARGETS_PFNMAP & (1ULL << id);
}

/* Open a target; returns 0, or -1 (skip or fail, reason set). */
int target_open(struct target_state *ts, const struct target *t, const struct target_env *env,
		bool *skip, char *reason, size_t len);
void target_close(struct target_state *ts);
/* Untimed: a hint address for the timed map (0: let the kernel choose). */
uint64_t target_place(const struct target_state *ts, uint64_t len);

/* Parse /proc/self/smaps text for the mapping starting at va (for tests). */
int smaps_parse(const char *text, uint64_t va, struct page_sizes *ps);
/* Page sizes from module counters (pfnmap). */
void page_sizes_from_stats(const struct bench_mmio_stats *st, struct page_sizes *ps);
/* Smallest page size with bytes mapped (0 when none), and whether mixed. */
uint64_t page_size_obtained(const struct page_sizes *ps, bool *mixed);

#endif

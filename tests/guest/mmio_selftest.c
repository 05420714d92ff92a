// SPDX-License-Identifier: GPL-2.0
/*
 * mmio_selftest - functional tests of /dev/bench_mmio, a kselftest.
 *
 * Shaped like tools/testing/selftests/mm/hmm-tests.c: the fixture "dev" opens
 * the device with one strategy, one variant per line of
 * BENCH_MMIO_STRATEGIES(), and each behaviour is a TEST_F, so that a failing
 * line ("not ok 12 dev.pud.faults_1g") names both.  Strategy-independent
 * behaviours are plain TESTs.  Every test SKIPs when the module is not
 * loaded.
 *
 * The tests read the kernel's abilities from GET_INFO (caps, max_level), not
 * from its version.  Fault counts are checked against two oracles: the
 * suite's one fault model (bench/theory.c, theory_expect()) for every
 * mapping, and, independently, the README's promises written out as literal
 * numbers (literal_cases[]).
 *
 * A count is measured as the benchmarks do: a fresh mapping, every 4K page
 * touched once in ascending order, then GET_STATS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_mmio_uapi.h"
#include "theory.h"
#include "harness.h"

typedef uint64_t u64;

#define SZ_1M		(1ULL << 20)
#define PAGES(len)	((u64)(len) / SZ_4K)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MODULE_NAME	"bench_mmio"
#define ULL(x)		((unsigned long long)(x))

_Static_assert(sizeof(struct bench_mmio_stats) == 256, "a stats slot is 256 bytes");

static const char *const strategy_name[BENCH_MMIO_NR_STRATEGIES] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_NAME)
};
static const char *const level_name[BENCH_MMIO_NR_LEVELS] = { "PTE", "PMD", "PUD" };

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

/* ---------------------------------------------------------------------- */
/* The device                                                              */
/* ---------------------------------------------------------------------- */

static void get_info(struct __test_metadata *_metadata, int fd, struct bench_mmio_info *info)
{
	memset(info, 0xff, sizeof(*info));
	ASSERT_EQ(ioctl(fd, BENCH_MMIO_GET_INFO, info), 0) TH_LOG("GET_INFO: %s", strerror(errno));
}

static void get_stats(struct __test_metadata *_metadata, int fd, struct bench_mmio_stats *st)
{
	memset(st, 0xff, sizeof(*st));
	ASSERT_EQ(ioctl(fd, BENCH_MMIO_GET_STATS, st), 0) TH_LOG("GET_STATS: %s", strerror(errno));
}

/* A SET ioctl; returns 0 or the errno. */
static int dev_set(int fd, unsigned long req, u64 value, u64 flags, u64 *old)
{
	struct bench_mmio_set s = { .value = value, .flags = flags, .old = ~0ULL };

	if (ioctl(fd, req, &s))
		return errno;
	if (old)
		*old = s.old;
	return 0;
}

static void restore_if_revoked(int fd)
{
	struct bench_mmio_info info;

	if (!ioctl(fd, BENCH_MMIO_GET_INFO, &info) && info.revoked == 1) {
		printf("# the device was left revoked: RESTORE\n");
		ioctl(fd, BENCH_MMIO_RESTORE);
	}
}

/*
 * Open the device into fd and read its info, or SKIP the test when there is
 * no device to test; refuse a module of another ABI or strategy list.
 */
#define OPEN_DEVICE(fd, info) do {						\
	(fd) = open(BENCH_MMIO_DEVICE, O_RDWR | O_CLOEXEC);			\
	if ((fd) < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO))	\
		SKIP(return, "%s: %s (bench_mmio.ko not loaded)",		\
		     BENCH_MMIO_DEVICE, strerror(errno));			\
	if ((fd) < 0 && (errno == EACCES || errno == EPERM))			\
		SKIP(return, "%s: %s (not root)", BENCH_MMIO_DEVICE, strerror(errno)); \
	ASSERT_GE((fd), 0) TH_LOG("open %s: %s", BENCH_MMIO_DEVICE, strerror(errno)); \
	get_info(_metadata, (fd), (info));					\
	ASSERT_EQ((info)->abi_version, BENCH_MMIO_ABI_VERSION);			\
	ASSERT_EQ((info)->nr_strategies, BENCH_MMIO_NR_STRATEGIES)		\
		TH_LOG("the module's strategy list is not the one this test was built with"); \
	restore_if_revoked(fd);							\
} while (0)

static int open_raw(struct __test_metadata *_metadata)
{
	int fd = open(BENCH_MMIO_DEVICE, O_RDWR | O_CLOEXEC);

	ASSERT_GE(fd, 0) TH_LOG("open %s: %s", BENCH_MMIO_DEVICE, strerror(errno));
	return fd;
}

/* A new file with a strategy, an alignment policy and a cache mode. */
static int open_dev(struct __test_metadata *_metadata, unsigned int s, unsigned int align,
		    unsigned int cache)
{
	int fd = open_raw(_metadata), err;

	err = dev_set(fd, BENCH_MMIO_SET_STRATEGY, s, 0, NULL);
	ASSERT_EQ(err, 0) TH_LOG("SET_STRATEGY %s: %s", strategy_name[s], strerror(err));
	err = dev_set(fd, BENCH_MMIO_SET_ALIGN, align, 0, NULL);
	ASSERT_EQ(err, 0) TH_LOG("SET_ALIGN %u: %s", align, strerror(err));
	err = dev_set(fd, BENCH_MMIO_SET_CACHE, cache, 0, NULL);
	ASSERT_EQ(err, 0) TH_LOG("SET_CACHE %u: %s", cache, strerror(err));
	return fd;
}

/* errno of an mmap that must fail (unmapping it if it did not); 0 if it worked. */
static int map_errno(int fd, u64 len, u64 off, int prot, int flags)
{
	void *p = (void *)syscall(SYS_mmap, NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static void *map(struct __test_metadata *_metadata, int fd, u64 len, u64 off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);

	ASSERT_NE(p, MAP_FAILED) TH_LOG("mmap(len %#llx, off %#llx): %s", ULL(len), ULL(off),
					strerror(errno));
	return p;
}

static void *map_fixed(struct __test_metadata *_metadata, int fd, void *addr, u64 len, u64 off)
{
	void *p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, (off_t)off);

	ASSERT_EQ(p, addr) TH_LOG("mmap(MAP_FIXED %p, len %#llx, off %#llx): %s", addr, ULL(len),
				  ULL(off), p == MAP_FAILED ? strerror(errno) : "moved");
	return p;
}

static void unmap(struct __test_metadata *_metadata, void *p, u64 len)
{
	ASSERT_EQ(munmap(p, len), 0) TH_LOG("munmap(%p, %#llx): %s", p, ULL(len), strerror(errno));
}

/* A free hole of len bytes whose start is congruent to phase modulo align. */
static void *reserve_va(struct __test_metadata *_metadata, u64 len, u64 align, u64 phase)
{
	u64 total = len + 2 * align, a;
	char *p = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	ASSERT_NE(p, MAP_FAILED) TH_LOG("reserve %#llx bytes of VA: %s", ULL(total), strerror(errno));
	a = (((u64)(uintptr_t)p + align - 1) & ~(align - 1)) + phase;
	munmap(p, total);
	return (void *)(uintptr_t)a;
}

/* Read one word of every 4K page, ascending. */
static u64 touch_all(const void *p, u64 len)
{
	const volatile u64 *w = p;
	u64 sum = 0;

	for (u64 i = 0; i < len / 8; i += SZ_4K / 8)
		sum += w[i];
	return sum;
}

static u64 total_faults(const struct bench_mmio_stats *st)
{
	return st->faults[0] + st->faults[1] + st->faults[2];
}

static bool congruent(const void *va, u64 phys, u64 align)
{
	return !align || !(((u64)(uintptr_t)va - phys) & (align - 1));
}

static void print_stats(struct __test_metadata *_metadata, const char *what,
			const struct bench_mmio_stats *st)
{
	TH_LOG("%s: faults PTE %llu PMD %llu PUD %llu, fallbacks PTE %llu PMD %llu PUD %llu, pages %llu, sigbus %llu, zaps %llu, mmaps %llu, insert_errors %llu, zaps_widened %llu, guard_zaps %llu, splits_refused %llu",
	       what, ULL(st->faults[0]), ULL(st->faults[1]), ULL(st->faults[2]),
	       ULL(st->fallbacks[0]), ULL(st->fallbacks[1]), ULL(st->fallbacks[2]),
	       ULL(st->pages), ULL(st->sigbus), ULL(st->zaps), ULL(st->mmaps),
	       ULL(st->insert_errors), ULL(st->zaps_widened), ULL(st->guard_zaps),
	       ULL(st->splits_refused));
}

/* BENCH_MMIO_CENSUS of [p, p + len), out fields poisoned first; 0 or the errno. */
static int census_errno(int fd, const void *p, u64 len, u64 flags, struct bench_mmio_census *c)
{
	memset(c, 0xff, sizeof(*c));
	c->addr = (u64)(uintptr_t)p;
	c->length = len;
	c->flags = flags;
	memset(c->reserved, 0, sizeof(c->reserved));
	return ioctl(fd, BENCH_MMIO_CENSUS, c) ? errno : 0;
}

static void census(struct __test_metadata *_metadata, int fd, const void *p, u64 len,
		   struct bench_mmio_census *c)
{
	int err = census_errno(fd, p, len, 0, c);

	ASSERT_EQ(err, 0) TH_LOG("CENSUS(%p, %#llx): %s", p, ULL(len), strerror(err));
	for (unsigned int i = 0; i < ARRAY_SIZE(c->reserved); i++)
		EXPECT_EQ(c->reserved[i], 0) TH_LOG("census.reserved[%u]", i);
	EXPECT_EQ(c->addr, (u64)(uintptr_t)p);
	EXPECT_EQ(c->length, len);
}

static void print_census(struct __test_metadata *_metadata, const char *what,
			 const struct bench_mmio_census *c)
{
	TH_LOG("%s: census leaves PTE %llu PMD %llu PUD %llu, pages %llu", what,
	       ULL(c->leaves[0]), ULL(c->leaves[1]), ULL(c->leaves[2]), ULL(c->pages));
}

/* The largest level strategy s can deliver here, from caps (max_level must agree). */
static unsigned int deliverable(const struct bench_mmio_info *info, unsigned int s)
{
	u64 pmd = BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CPU_PMD | BENCH_MMIO_CAP_INSERT_PMD;
	u64 pud = BENCH_MMIO_CAP_CORE_PUD | BENCH_MMIO_CAP_CPU_PUD | BENCH_MMIO_CAP_INSERT_PUD;
	unsigned int l = theory_strategy_level[s];

	if (l >= BENCH_MMIO_LEVEL_PUD && (info->caps & pud) == pud)
		return BENCH_MMIO_LEVEL_PUD;
	if (l >= BENCH_MMIO_LEVEL_PMD && (info->caps & pmd) == pmd)
		return BENCH_MMIO_LEVEL_PMD;
	return BENCH_MMIO_LEVEL_PTE;
}

/* ---------------------------------------------------------------------- */
/* Data patterns                                                            */
/* ---------------------------------------------------------------------- */

/* The value of the word at backing offset off for a seed. */
static inline u64 pattern(u64 off, u64 seed)
{
	return (off ^ 0x5a5a5a5a5a5a5a5aULL) + (seed << 48);
}

static void write_pattern(void *p, u64 len, u64 off, u64 seed)
{
	volatile u64 *w = p;

	for (u64 i = 0; i < len / 8; i++)
		w[i] = pattern(off + i * 8, seed);
}

/* Check every word; report the first mismatch. */
static bool check_pattern(struct __test_metadata *_metadata, const char *what, const void *p,
			  u64 len, u64 off, u64 seed)
{
	const volatile u64 *w = p;
	u64 bad = 0, first = 0, got = 0;

	for (u64 i = 0; i < len / 8; i++)
		if (w[i] != pattern(off + i * 8, seed)) {
			if (!bad++) {
				first = off + i * 8;
				got = w[i];
			}
		}
	EXPECT_EQ(bad, 0) TH_LOG("%s: %llu bad words, the first at backing offset %#llx: %#llx, wanted %#llx",
				 what, ULL(bad), ULL(first), ULL(got), ULL(pattern(first, seed)));
	return !bad;
}

/* ---------------------------------------------------------------------- */
/* SIGBUS probes                                                            */
/* ---------------------------------------------------------------------- */

static sigjmp_buf probe_env;
static volatile sig_atomic_t probe_armed;

static void probe_handler(int sig)
{
	if (probe_armed) {
		probe_armed = 0;
		siglongjmp(probe_env, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read (or write) a word; returns 0, or -1 if the access raised SIGBUS. */
static int probe_access(volatile u64 *p, u64 *val, bool write)
{
	struct sigaction sa = { .sa_handler = probe_handler };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(probe_env, 1))
		return -1;
	probe_armed = 1;
	if (write)
		*p = *val;
	else
		*val = *p;
	probe_armed = 0;
	return 0;
}

static int probe_read(const volatile u64 *p, u64 *val)
{
	return probe_access((volatile u64 *)p, val, false);
}

static int probe_write(volatile u64 *p, u64 val)
{
	return probe_access(p, &val, true);
}

/* ---------------------------------------------------------------------- */
/* Fault counts: the model and the README's numbers                         */
/* ---------------------------------------------------------------------- */

/*
 * Mark the 2M/1G regions at either end of [va, va + len) that another VMA
 * shares: their page-table entry may already be populated, and then the
 * core does not ask ->huge_fault there (theory_in.busy_lo/busy_hi).
 */
static void scan_neighbours(struct __test_metadata *_metadata, struct theory_in *tin)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	ASSERT_NE(f, NULL) TH_LOG("/proc/self/maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (sscanf(line, "%llx-%llx", &s, &e) == 2)
			theory_neighbour(tin, s, e);
	}
	fclose(f);
}

/*
 * The README's promises, as numbers: a fresh mapping of len bytes of a
 * 1G-aligned BAR at offset 0, align=auto, touched once per 4K page.
 * huge: a kernel with huge pfnmaps (caps CORE_PMD and CORE_PUD, 6.12);
 * flat: without them (6.1), where pmd and pud fault 4K pages like pte.
 * Fallbacks are 0 except fb_pud: ANY where it depends on whether another
 * VMA already populated the mapping's 1G region (the "alone" cases pin it).
 */
#define ANY	(~0ULL)

struct literal {
	unsigned int strategy;
	u64 len;
	u64 huge[BENCH_MMIO_NR_LEVELS], flat[BENCH_MMIO_NR_LEVELS];	/* faults */
	u64 pages;
	u64 fb_pud;	/* huge kernels */
};

#define REMAP	BENCH_MMIO_STRATEGY_REMAP
#define PTE	BENCH_MMIO_STRATEGY_PTE
#define BULK	BENCH_MMIO_STRATEGY_BULK
#define PMD	BENCH_MMIO_STRATEGY_PMD
#define PUD	BENCH_MMIO_STRATEGY_PUD

static const struct literal literal_cases[] = {
	{ REMAP, 64 * SZ_1M,  { 0, 0, 0 },	{ 0, 0, 0 },	  16384, 0 },
	{ PTE,	 64 * SZ_1M,  { 16384, 0, 0 },	{ 16384, 0, 0 },  16384, 0 },
	{ BULK,	 64 * SZ_1M,  { 1, 0, 0 },	{ 1, 0, 0 },	  16384, 0 },
	{ PMD,	 64 * SZ_1M,  { 0, 32, 0 },	{ 16384, 0, 0 },  16384, 0 },
	{ PUD,	 64 * SZ_1M,  { 0, 32, 0 },	{ 16384, 0, 0 },  16384, ANY },
	{ REMAP, 256 * SZ_1M, { 0, 0, 0 },	{ 0, 0, 0 },	  65536, 0 },
	{ PTE,	 256 * SZ_1M, { 65536, 0, 0 },	{ 65536, 0, 0 },  65536, 0 },
	{ BULK,	 256 * SZ_1M, { 1, 0, 0 },	{ 1, 0, 0 },	  65536, 0 },
	{ PMD,	 256 * SZ_1M, { 0, 128, 0 },	{ 65536, 0, 0 },  65536, 0 },
	{ PUD,	 256 * SZ_1M, { 0, 128, 0 },	{ 65536, 0, 0 },  65536, ANY },
	{ REMAP, SZ_1G,	      { 0, 0, 0 },	{ 0, 0, 0 },	  262144, 0 },
	{ PTE,	 SZ_1G,	      { 262144, 0, 0 },	{ 262144, 0, 0 }, 262144, 0 },
	{ BULK,	 SZ_1G,	      { 1, 0, 0 },	{ 1, 0, 0 },	  262144, 0 },
	{ PMD,	 SZ_1G,	      { 0, 512, 0 },	{ 262144, 0, 0 }, 262144, 0 },
	{ PUD,	 SZ_1G,	      { 0, 0, 1 },	{ 262144, 0, 0 }, 262144, 0 },
	{ REMAP, 2 * SZ_1G,   { 0, 0, 0 },	{ 0, 0, 0 },	  524288, 0 },
	{ PTE,	 2 * SZ_1G,   { 524288, 0, 0 },	{ 524288, 0, 0 }, 524288, 0 },
	{ BULK,	 2 * SZ_1G,   { 1, 0, 0 },	{ 1, 0, 0 },	  524288, 0 },
	{ PMD,	 2 * SZ_1G,   { 0, 1024, 0 },	{ 524288, 0, 0 }, 524288, 0 },
	{ PUD,	 2 * SZ_1G,   { 0, 0, 2 },	{ 524288, 0, 0 }, 524288, 0 },
};

/* The README's case for ALIGN_NONE: pud, 1G, a VA not 2M-congruent to the BAR. */
static const u64 literal_none_pud_1g_pte = 262144, literal_none_pud_1g_fb_pmd = 1024;

static bool huge_kernel(const struct bench_mmio_info *info)
{
	return (info->caps & (BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CORE_PUD)) ==
	       (BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CORE_PUD);
}

static bool flat_kernel(const struct bench_mmio_info *info)
{
	return !(info->caps & (BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CORE_PUD));
}

/* One mapping made and touched for a fault-count check. */
struct touched {
	int fd;
	char *p;
	u64 len, off;
	struct theory_in tin;
	struct theory_out exp;
	struct bench_mmio_stats st;
};

/* Compare one counter; name the oracle, the level and the mapping when they differ. */
#define CHECK_COUNT(oracle, what, name, want, got)				\
	EXPECT_EQ(want, got) TH_LOG("%s: %s: %s %llu, measured %llu", what, oracle, name, \
				    ULL(want), ULL(got))

/*
 * Map len bytes at offset off of a new file (strategy s, alignment policy
 * align) at addr (NULL: the module's get_unmapped_area; else MAP_FIXED),
 * touch every page, and check GET_STATS against theory_expect().
 */
static void map_touch_check(struct __test_metadata *_metadata, const struct bench_mmio_info *info,
			    const char *what, unsigned int s, unsigned int align, void *addr,
			    u64 len, u64 off, struct touched *t)
{
	static const char *const fb_name[] = { "PTE fallbacks", "PMD fallbacks", "PUD fallbacks" };
	static const char *const f_name[] = { "PTE faults", "PMD faults", "PUD faults" };
	struct bench_mmio_stats st;
	char why[1024];

	memset(t, 0, sizeof(*t));
	t->len = len;
	t->off = off;
	t->fd = open_dev(_metadata, s, align, BENCH_MMIO_CACHE_UC);
	t->p = addr ? map_fixed(_metadata, t->fd, addr, len, off) : map(_metadata, t->fd, len, off);
	get_stats(_metadata, t->fd, &st);
	EXPECT_EQ(st.mmaps, 1);
	EXPECT_EQ(total_faults(&st), 0);
	EXPECT_EQ(st.pages, theory_strategy_populate[s] == BENCH_MMIO_POPULATE_MMAP ? PAGES(len) : 0)
		TH_LOG("%s: pages present right after mmap", what);

	t->tin = (struct theory_in){
		.strategy = s, .va = (u64)(uintptr_t)t->p, .length = len,
		.phys = info->phys_base + off,
		/* MAP_FIXED addresses are never moved: nothing was asked */
		.align = addr ? 0 : theory_align(s, align, len),
		.features = info->features, .max_level = (unsigned int)info->max_level[s],
		.caps = info->caps, .thp = THEORY_THP_UNKNOWN,
	};
	scan_neighbours(_metadata, &t->tin);
	ASSERT_EQ(theory_expect(&t->tin, &t->exp), 0);
	EXPECT_TRUE(theory_aligned(&t->tin))
		TH_LOG("%s: VA %p is not congruent to PA %#llx modulo the %#llx asked", what, t->p,
		       ULL(t->tin.phys), ULL(t->tin.align));

	touch_all(t->p, len);
	get_stats(_metadata, t->fd, &t->st);
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++) {
		CHECK_COUNT("theory", what, f_name[l], t->exp.faults[l], t->st.faults[l]);
		CHECK_COUNT("theory", what, fb_name[l], t->exp.fallbacks[l], t->st.fallbacks[l]);
	}
	CHECK_COUNT("theory", what, "pages", t->exp.pages, t->st.pages);
	EXPECT_EQ(t->st.sigbus, 0);
	EXPECT_EQ(t->st.insert_errors, 0);
	if (_metadata->exit_code == KSFT_FAIL) {
		struct theory_out got = { .pages = t->st.pages };

		for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++) {
			got.faults[l] = t->st.faults[l];
			got.fallbacks[l] = t->st.fallbacks[l];
			got.fallback += t->st.fallbacks[l];
		}
		theory_explain(&t->tin, &t->exp, &got, NULL, NULL, why, sizeof(why));
		print_stats(_metadata, what, &t->st);
		TH_LOG("%s: VA %p PA %#llx busy lo PMD %d PUD %d hi PMD %d PUD %d: %s", what, t->p,
		       ULL(t->tin.phys), t->tin.busy_lo[1], t->tin.busy_lo[2], t->tin.busy_hi[1],
		       t->tin.busy_hi[2], why);
	} else {
		TH_LOG("%s at %p: faults PTE %llu PMD %llu PUD %llu, fallbacks PMD %llu PUD %llu: as theory_expect() says",
		       what, t->p, ULL(t->st.faults[0]), ULL(t->st.faults[1]), ULL(t->st.faults[2]),
		       ULL(t->st.fallbacks[1]), ULL(t->st.fallbacks[2]));
	}
}

static void untouch(struct __test_metadata *_metadata, struct touched *t)
{
	unmap(_metadata, t->p, t->len);
	close(t->fd);
}

/* Check a touched align=auto mapping at offset 0 against literal_cases[]. */
static void check_literal(struct __test_metadata *_metadata, const struct bench_mmio_info *info,
			  const char *what, unsigned int s, const struct touched *t, bool alone)
{
	const struct literal *c = NULL;
	const u64 *faults;

	for (unsigned int i = 0; i < ARRAY_SIZE(literal_cases); i++)
		if (literal_cases[i].strategy == s && literal_cases[i].len == t->len)
			c = &literal_cases[i];
	if (!c) {
		TH_LOG("%s: no literal case for %s at this size", what, strategy_name[s]);
		return;
	}
	if (info->phys_base % SZ_1G || t->off) {
		TH_LOG("%s: literal numbers hold for a 1G-aligned BAR at offset 0 only", what);
		return;
	}
	if (huge_kernel(info) && deliverable(info, PUD) == BENCH_MMIO_LEVEL_PUD) {
		faults = c->huge;
	} else if (flat_kernel(info)) {
		faults = c->flat;
	} else {
		TH_LOG("%s: caps %#llx: neither a huge-pfnmap kernel with 1G pages nor one without huge pfnmaps, no literal numbers",
		       what, ULL(info->caps));
		return;
	}
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		CHECK_COUNT("README", what, level_name[l], faults[l], t->st.faults[l]);
	CHECK_COUNT("README", what, "pages", c->pages, t->st.pages);
	CHECK_COUNT("README", what, "PTE fallbacks", 0ULL, t->st.fallbacks[BENCH_MMIO_LEVEL_PTE]);
	CHECK_COUNT("README", what, "PMD fallbacks", 0ULL, t->st.fallbacks[BENCH_MMIO_LEVEL_PMD]);
	if (flat_kernel(info))
		CHECK_COUNT("README", what, "PUD fallbacks", 0ULL, t->st.fallbacks[BENCH_MMIO_LEVEL_PUD]);
	else if (c->fb_pud != ANY)
		CHECK_COUNT("README", what, "PUD fallbacks", c->fb_pud, t->st.fallbacks[BENCH_MMIO_LEVEL_PUD]);
	else if (alone)	/* the only VMA in its 1G region: the core must ask for a PUD */
		CHECK_COUNT("README", what, "PUD fallbacks", 1ULL, t->st.fallbacks[BENCH_MMIO_LEVEL_PUD]);
	else
		EXPECT_LE(t->st.fallbacks[BENCH_MMIO_LEVEL_PUD], 1);
}

/* ---------------------------------------------------------------------- */
/* Strategy-independent behaviours                                          */
/* ---------------------------------------------------------------------- */

/* GET_INFO describes the backing, this kernel and the file. */
TEST(info)
{
	struct bench_mmio_info info;
	struct utsname u;
	int fd, maj = 0, min = 0;

	OPEN_DEVICE(fd, &info);
	TH_LOG("abi %llu backing %llu phys %#llx size %#llx (%llu MiB) pci %04llx:%02llx:%02llx.%llu bar %llu id %04llx:%04llx",
	       ULL(info.abi_version), ULL(info.backing_kind), ULL(info.phys_base), ULL(info.size),
	       ULL(info.size >> 20), ULL(info.pci_domain), ULL(info.pci_bus),
	       ULL(info.pci_devfn >> 3), ULL(info.pci_devfn & 7), ULL(info.pci_bar),
	       ULL(info.pci_vendor), ULL(info.pci_device));
	TH_LOG("caps %#llx features %#llx strategies %#llx stats offset %#llx size %#llx slots %llu",
	       ULL(info.caps), ULL(info.features), ULL(info.strategies), ULL(info.stats_offset),
	       ULL(info.stats_size), ULL(info.stats_slots));
	for (unsigned int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++)
		TH_LOG("max_level[%s] = %s", strategy_name[s],
		       info.max_level[s] < BENCH_MMIO_NR_LEVELS ? level_name[info.max_level[s]] : "?");

	EXPECT_EQ(info.size % SZ_4K, 0);
	EXPECT_GT(info.size, 0);
	EXPECT_EQ(info.phys_base % SZ_4K, 0);
	EXPECT_EQ(info.backing_kind, BENCH_MMIO_BACKING_PCI_BAR);
	if (info.backing_kind == BENCH_MMIO_BACKING_PCI_BAR) {
		/* a BAR is naturally aligned; the test VM puts it at a 1G boundary */
		EXPECT_EQ(info.phys_base % min_u64(info.size, SZ_1G), 0);
		EXPECT_TRUE(info.pci_vendor != 0 && info.pci_vendor != 0xffff);
		EXPECT_LT(info.pci_bar, 6);
	}
	/* every strategy is selectable on every kernel (it falls back instead) */
	EXPECT_EQ(info.strategies, (1ULL << BENCH_MMIO_NR_STRATEGIES) - 1);
	EXPECT_EQ(info.page_shift, 12);
	EXPECT_EQ(info.pmd_shift, 21);
	EXPECT_EQ(info.pud_shift, 30);
	EXPECT_LT(info.default_strategy, BENCH_MMIO_NR_STRATEGIES);
	EXPECT_EQ(info.strategy, info.default_strategy);
	EXPECT_EQ(info.align, BENCH_MMIO_ALIGN_AUTO);
	EXPECT_EQ(info.cache, BENCH_MMIO_CACHE_UC);
	EXPECT_EQ(info.revoked, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(info.reserved); i++)
		EXPECT_EQ(info.reserved[i], 0) TH_LOG("reserved[%u]", i);
	for (unsigned int s = BENCH_MMIO_NR_STRATEGIES; s < BENCH_MMIO_MAX_STRATEGIES; s++)
		EXPECT_EQ(info.max_level[s], 0) TH_LOG("max_level[%u] past nr_strategies", s);
	for (unsigned int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++)
		EXPECT_EQ(info.max_level[s], deliverable(&info, s))
			TH_LOG("max_level[%s] disagrees with caps %#llx", strategy_name[s], ULL(info.caps));

	/* features: what this build of the module compiled in */
	if (info.features & BENCH_MMIO_FEAT_STATS_PAGE) {
		EXPECT_GT(info.stats_size, 0);
		EXPECT_EQ(info.stats_size % SZ_4K, 0);
		EXPECT_GE(info.stats_slots, 1);
		EXPECT_GE(info.stats_size, info.stats_slots * sizeof(struct bench_mmio_stats));
		EXPECT_EQ(info.stats_offset % SZ_4K, 0);
	} else {
		EXPECT_EQ(info.stats_offset, 0);
	}
	if (info.caps & (BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CORE_PUD))
		EXPECT_TRUE(info.features & BENCH_MMIO_FEAT_HUGE_FAULT)
			TH_LOG("the core calls ->huge_fault but the module has none");
	EXPECT_TRUE(info.features & BENCH_MMIO_FEAT_FAULT_DELAY);
#ifdef __x86_64__
	EXPECT_TRUE(info.features & BENCH_MMIO_FEAT_ACCESS) TH_LOG("no ->access on x86");
#endif
#if defined(__x86_64__) || defined(__aarch64__)
	EXPECT_TRUE(info.features & BENCH_MMIO_FEAT_CENSUS) TH_LOG("no census on a 64-bit kernel");
#endif
	if (info.caps & BENCH_MMIO_CAP_CORE_PUD)
		EXPECT_TRUE(info.features & BENCH_MMIO_FEAT_MAY_SPLIT)
			TH_LOG("PUD pfnmaps without ->may_split crash on a split (6.12.117)");

	/* caps against what the kernel must be able to do */
#if defined(__x86_64__)
	EXPECT_TRUE(info.caps & BENCH_MMIO_CAP_CPU_PMD) TH_LOG("x86-64 always has 2M pages");
	EXPECT_TRUE(info.caps & BENCH_MMIO_CAP_INSERT_PMD);
#endif
	if (!uname(&u) && sscanf(u.release, "%d.%d", &maj, &min) == 2) {
		TH_LOG("kernel %s", u.release);
#if defined(__x86_64__)
		if (maj > 6 || (maj == 6 && min >= 12)) {
			/* x86-64 selects ARCH_SUPPORTS_{PMD,PUD}_PFNMAP since 6.12 */
			EXPECT_TRUE(info.caps & BENCH_MMIO_CAP_CORE_PMD);
			EXPECT_TRUE(info.caps & BENCH_MMIO_CAP_CORE_PUD);
		}
#endif
		if (maj > 6 || (maj == 6 && min >= 6))
			EXPECT_TRUE(info.caps & BENCH_MMIO_CAP_VMA_LOCK);
	}

	/* a file reports its own settings */
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_PUD, 0, NULL), 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), 0);
	get_info(_metadata, fd, &info);
	EXPECT_EQ(info.strategy, BENCH_MMIO_STRATEGY_PMD);
	EXPECT_EQ(info.align, BENCH_MMIO_ALIGN_PUD);
	EXPECT_EQ(info.cache, BENCH_MMIO_CACHE_WC);
	close(fd);

	/* ... and a fresh file starts from the defaults again */
	fd = open_raw(_metadata);
	get_info(_metadata, fd, &info);
	EXPECT_EQ(info.strategy, info.default_strategy);
	EXPECT_EQ(info.align, BENCH_MMIO_ALIGN_AUTO);
	EXPECT_EQ(info.cache, BENCH_MMIO_CACHE_UC);
	close(fd);
}

/* Bad mmaps and ioctls get the errno of the uapi header's table. */
TEST(misuse)
{
	struct bench_mmio_info info;
	struct bench_mmio_stats st;
	struct bench_mmio_range r;
	const int rw = PROT_READ | PROT_WRITE;
	u64 old = 0, prev;
	void *p;
	int fd, err;

	OPEN_DEVICE(fd, &info);

	/* mmap */
	EXPECT_EQ(map_errno(fd, SZ_2M, 0, rw, MAP_PRIVATE), EINVAL);
	EXPECT_EQ(map_errno(fd, info.size + SZ_4K, 0, rw, MAP_SHARED), EINVAL);
	EXPECT_EQ(map_errno(fd, SZ_4K, info.size, rw, MAP_SHARED), EINVAL);
	EXPECT_EQ(map_errno(fd, SZ_4K, info.size + SZ_1G, rw, MAP_SHARED), EINVAL);
	EXPECT_EQ(map_errno(fd, 2 * SZ_4K, info.size - SZ_4K, rw, MAP_SHARED), EINVAL);
	/* offset + length near 2^63: the driver must not wrap */
	EXPECT_EQ(map_errno(fd, 2 * SZ_2M, (1ULL << 63) - SZ_4K, rw, MAP_SHARED), EINVAL);
	/* offset + length past 2^64: the core may refuse first (EOVERFLOW) */
	err = map_errno(fd, 2 * SZ_4K, ~0ULL & ~(SZ_4K - 1), rw, MAP_SHARED);
	EXPECT_TRUE(err == EINVAL || err == EOVERFLOW) TH_LOG("mmap at 2^64 - 4K: %s", strerror(err));
	get_stats(_metadata, fd, &st);
	EXPECT_EQ(st.mmaps, 0);

	/* ioctls */
	EXPECT_EQ(ioctl(fd, _IO(BENCH_MMIO_IOC_MAGIC, 0x7f)), -1);
	EXPECT_EQ(errno, ENOTTY);
	EXPECT_EQ(ioctl(fd, _IOR(BENCH_MMIO_IOC_MAGIC, 0x09, struct bench_mmio_stats), &st), -1);
	EXPECT_EQ(errno, ENOTTY);
	EXPECT_EQ(ioctl(fd, _IOR('x', 0x00, struct bench_mmio_info), &info), -1);
	EXPECT_EQ(errno, ENOTTY);
	/* the right number with the wrong size is not GET_INFO */
	EXPECT_EQ(ioctl(fd, _IOR(BENCH_MMIO_IOC_MAGIC, 0x00, u64), &old), -1);
	EXPECT_EQ(errno, ENOTTY);
	get_info(_metadata, fd, &info);

	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, 99, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_NR_STRATEGIES, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, 99, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_NR_ALIGNS, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, 99, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_NR_CACHES, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PTE, 1, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_AUTO, 1ULL << 63, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_UC, 2, NULL), EINVAL);

	/* every strategy can be chosen, on every kernel; old is the previous value */
	prev = info.default_strategy;
	for (unsigned int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++) {
		err = dev_set(fd, BENCH_MMIO_SET_STRATEGY, s, 0, &old);
		EXPECT_EQ(err, 0) TH_LOG("SET_STRATEGY %s: %s", strategy_name[s], strerror(err));
		if (!err) {
			EXPECT_EQ(old, prev) TH_LOG("SET_STRATEGY %s: old", strategy_name[s]);
			prev = s;
		}
	}
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_NONE, 0, &old), 0);
	EXPECT_EQ(old, BENCH_MMIO_ALIGN_AUTO);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_AUTO, 0, &old), 0);
	EXPECT_EQ(old, BENCH_MMIO_ALIGN_NONE);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, &old), 0);
	EXPECT_EQ(old, BENCH_MMIO_CACHE_UC);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_UC, 0, &old), 0);
	EXPECT_EQ(old, BENCH_MMIO_CACHE_WC);

	/* bad pointers */
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_GET_INFO, NULL), -1);
	EXPECT_EQ(errno, EFAULT);
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_GET_STATS, (void *)8), -1);
	EXPECT_EQ(errno, EFAULT);
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_SET_STRATEGY, NULL), -1);
	EXPECT_EQ(errno, EFAULT);
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_SET_ALIGN, NULL), -1);
	EXPECT_EQ(errno, EFAULT);
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_SET_CACHE, NULL), -1);
	EXPECT_EQ(errno, EFAULT);
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_ZAP, NULL), -1);
	EXPECT_EQ(errno, EFAULT);

	/* ZAP ranges */
	const struct bench_mmio_range bad[] = {
		{ .offset = 100, .length = SZ_4K },
		{ .offset = SZ_4K, .length = SZ_4K + 1 },
		{ .offset = info.size + SZ_4K, .length = SZ_4K },
		{ .offset = info.size - SZ_4K, .length = 2 * SZ_4K },
		{ .offset = 0, .length = info.size + SZ_4K },
		{ .offset = SZ_4K, .length = ~0ULL & ~(SZ_4K - 1) },
		{ .offset = 0, .length = SZ_4K, .flags = 1 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		r = bad[i];
		EXPECT_EQ(ioctl(fd, BENCH_MMIO_ZAP, &r), -1)
			TH_LOG("ZAP(%#llx, %#llx, flags %llu) succeeded", ULL(r.offset),
			       ULL(r.length), ULL(r.flags));
		EXPECT_EQ(errno, EINVAL);
	}
	r = (struct bench_mmio_range){ .offset = 0, .length = SZ_4K };
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_ZAP, &r), 0) TH_LOG("ZAP of an unmapped range: %s", strerror(errno));
	r = (struct bench_mmio_range){ .offset = SZ_2M, .length = 0 };
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_ZAP, &r), 0) TH_LOG("ZAP to the end: %s", strerror(errno));

	/* RESET_STATS zeroes */
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_RESET_STATS), 0) TH_LOG("RESET_STATS: %s", strerror(errno));
	get_stats(_metadata, fd, &st);
	EXPECT_EQ(st.zaps, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(st.reserved); i++)
		EXPECT_EQ(st.reserved[i], 0) TH_LOG("stats.reserved[%u]", i);

	/* SET_* while the file has a mapping; allowed again once it is gone */
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PTE, 0, NULL), 0);
	p = map(_metadata, fd, SZ_2M, 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), EBUSY);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_NONE, 0, NULL), EBUSY);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), EBUSY);
	get_info(_metadata, fd, &info);
	EXPECT_EQ(info.strategy, BENCH_MMIO_STRATEGY_PTE);
	unmap(_metadata, p, SZ_2M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), 0);

	/* a misaligned MAP_FIXED address is used as it is, and works (4K pages) */
	p = reserve_va(_metadata, 2 * SZ_2M, SZ_2M, SZ_4K);
	map_fixed(_metadata, fd, p, 2 * SZ_2M, 0);
	touch_all(p, 2 * SZ_2M);
	get_stats(_metadata, fd, &st);
	EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PMD], 0);
	EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PTE], PAGES(2 * SZ_2M));
	unmap(_metadata, p, 2 * SZ_2M);

	/* unmap in pieces: the file's mapping count still drops to zero */
	p = map(_metadata, fd, 4 * SZ_2M, 0);
	unmap(_metadata, (char *)p + SZ_2M, SZ_2M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), EBUSY);
	unmap(_metadata, p, SZ_2M);
	unmap(_metadata, (char *)p + 2 * SZ_2M, 2 * SZ_2M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), 0);
	close(fd);
}

/*
 * A mapping made through another node of the same device (a container
 * runtime's --device copy) is revoked too: every file maps through the
 * device's own address_space.
 */
TEST(revoke_second_node)
{
	const char *node = "/tmp/bench_mmio.node2";
	struct bench_mmio_info info;
	struct stat st;
	u64 v = 0, *p;
	int fd, fd2;

	OPEN_DEVICE(fd, &info);
	ASSERT_EQ(stat(BENCH_MMIO_DEVICE, &st), 0);
	unlink(node);
	mkdir("/tmp", 0755);
	ASSERT_EQ(mknod(node, S_IFCHR | 0600, st.st_rdev), 0) TH_LOG("mknod %s: %s", node, strerror(errno));
	fd2 = open(node, O_RDWR | O_CLOEXEC);
	unlink(node);
	ASSERT_GE(fd2, 0) TH_LOG("open %s: %s", node, strerror(errno));
	p = map(_metadata, fd2, 4 * SZ_1M, 0);
	EXPECT_EQ(probe_read(p, &v), 0);
	ASSERT_EQ(ioctl(fd, BENCH_MMIO_REVOKE), 0) TH_LOG("REVOKE: %s", strerror(errno));
	EXPECT_EQ(probe_read(p, &v), -1) TH_LOG("a mapping made through a second node survived REVOKE");
	ASSERT_EQ(ioctl(fd, BENCH_MMIO_RESTORE), 0) TH_LOG("RESTORE: %s", strerror(errno));
	EXPECT_EQ(probe_read(p, &v), 0);
	unmap(_metadata, p, 4 * SZ_1M);
	close(fd);
	close(fd2);
}

/* ---------------------------------------------------------------------- */
/* The statistics mapping                                                   */
/* ---------------------------------------------------------------------- */

/* OPEN_DEVICE, then SKIP unless the module was built with feature (BENCH_MMIO_FEAT_*). */
#define OPEN_DEVICE_WITH(fd, info, feature, what) do {				\
	OPEN_DEVICE(fd, info);							\
	if (!((info)->features & (feature)))					\
		SKIP(return, "the module was built without %s", what);	\
} while (0)
#define OPEN_STATS_DEVICE(fd, info)						\
	OPEN_DEVICE_WITH(fd, info, BENCH_MMIO_FEAT_STATS_PAGE, "the statistics mapping")

static const struct bench_mmio_stats *map_stats(struct __test_metadata *_metadata, int fd,
						const struct bench_mmio_info *info)
{
	void *p = mmap(NULL, info->stats_size, PROT_READ, MAP_SHARED, fd, (off_t)info->stats_offset);

	ASSERT_NE(p, MAP_FAILED) TH_LOG("mmap of the statistics (offset %#llx, %#llx bytes): %s",
					ULL(info->stats_offset), ULL(info->stats_size), strerror(errno));
	return p;
}

/* The sum of the slots, as GET_STATS adds them up. */
static void sum_slots(const struct bench_mmio_info *info, const struct bench_mmio_stats *slot,
		      struct bench_mmio_stats *sum)
{
	const volatile u64 *w = (const volatile u64 *)slot;
	u64 *out = (u64 *)sum;

	memset(sum, 0, sizeof(*sum));
	for (u64 i = 0; i < info->stats_slots; i++)
		for (unsigned int j = 0; j < sizeof(*sum) / 8; j++)
			out[j] += w[i * (sizeof(*sum) / 8) + j];
}

static void expect_stats_equal(struct __test_metadata *_metadata, const char *what,
			       const struct bench_mmio_stats *a, const struct bench_mmio_stats *b)
{
	EXPECT_EQ(memcmp(a, b, sizeof(*a)), 0) {
		print_stats(_metadata, "statistics mapping", a);
		print_stats(_metadata, "GET_STATS", b);
		TH_LOG("%s: the slots of the statistics mapping do not add up to GET_STATS", what);
	}
}

/* Read-only: PROT_WRITE, mprotect to writable and a wrong length are refused. */
TEST(stats_map_readonly)
{
	struct bench_mmio_info info;
	const struct bench_mmio_stats *sp;
	int fd;

	OPEN_STATS_DEVICE(fd, &info);
	EXPECT_EQ(map_errno(fd, info.stats_size, info.stats_offset, PROT_READ | PROT_WRITE,
			    MAP_SHARED), EACCES);
	EXPECT_EQ(map_errno(fd, info.stats_size + SZ_4K, info.stats_offset, PROT_READ, MAP_SHARED),
		  EINVAL);
	if (info.stats_size > SZ_4K)
		EXPECT_EQ(map_errno(fd, info.stats_size - SZ_4K, info.stats_offset, PROT_READ,
				    MAP_SHARED), EINVAL);
	sp = map_stats(_metadata, fd, &info);
	EXPECT_EQ(mprotect((void *)sp, info.stats_size, PROT_READ | PROT_WRITE), -1)
		TH_LOG("the statistics mapping was made writable");
	EXPECT_EQ(sp->mmaps, 0) TH_LOG("the statistics mapping counted as an mmap");
	unmap(_metadata, (void *)sp, info.stats_size);
	close(fd);
}

/*
 * It is not a mapping of the backing: SET ioctls work while it exists, and
 * RESET_STATS zeroes every slot.
 */
TEST(stats_map_set_reset)
{
	struct bench_mmio_info info;
	struct bench_mmio_stats sum, st;
	const struct bench_mmio_stats *sp;
	void *p;
	int fd;

	OPEN_STATS_DEVICE(fd, &info);
	sp = map_stats(_metadata, fd, &info);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PTE, 0, NULL), 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_PMD, 0, NULL), 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_UC, 0, NULL), 0);
	p = map(_metadata, fd, 4 * SZ_1M, 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), EBUSY);
	touch_all(p, 4 * SZ_1M);
	sum_slots(&info, sp, &sum);
	get_stats(_metadata, fd, &st);
	expect_stats_equal(_metadata, "pte 4 MiB", &sum, &st);
	EXPECT_EQ(sum.faults[BENCH_MMIO_LEVEL_PTE], PAGES(4 * SZ_1M));
	EXPECT_EQ(sum.mmaps, 1);
	unmap(_metadata, p, 4 * SZ_1M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), 0);

	EXPECT_EQ(ioctl(fd, BENCH_MMIO_RESET_STATS), 0);
	for (u64 i = 0; i < info.stats_slots; i++) {
		const volatile u64 *w = (const volatile u64 *)&sp[i];

		for (unsigned int j = 0; j < sizeof(*sp) / 8; j++)
			EXPECT_EQ(w[j], 0) TH_LOG("slot %llu word %u after RESET_STATS", ULL(i), j);
	}
	unmap(_metadata, (void *)sp, info.stats_size);
	close(fd);
}

/* Zaps and revokes never touch it; a forked child reads the same counters. */
TEST(stats_map_revoke_fork)
{
	struct bench_mmio_info info;
	struct bench_mmio_stats sum, st;
	const struct bench_mmio_stats *sp;
	int fd, status;
	u64 v;
	pid_t pid;
	void *p;

	OPEN_STATS_DEVICE(fd, &info);
	sp = map_stats(_metadata, fd, &info);
	p = map(_metadata, fd, SZ_2M, 0);
	touch_all(p, SZ_2M);
	get_stats(_metadata, fd, &st);

	ASSERT_EQ(ioctl(fd, BENCH_MMIO_REVOKE), 0) TH_LOG("REVOKE: %s", strerror(errno));
	EXPECT_EQ(probe_read((const volatile u64 *)&sp->pages, &v), 0)
		TH_LOG("the statistics mapping gave SIGBUS while revoked");
	EXPECT_EQ(probe_read(p, &v), -1);
	ASSERT_EQ(ioctl(fd, BENCH_MMIO_RESTORE), 0) TH_LOG("RESTORE: %s", strerror(errno));
	EXPECT_EQ(probe_read((const volatile u64 *)&sp->pages, &v), 0)
		TH_LOG("the statistics mapping gave SIGBUS after RESTORE");
	sum_slots(&info, sp, &sum);
	get_stats(_metadata, fd, &st);
	expect_stats_equal(_metadata, "after REVOKE and RESTORE", &sum, &st);
	EXPECT_EQ(sum.zaps, 1);
	EXPECT_GE(sum.sigbus, 1);

	fflush(NULL);
	pid = fork();
	ASSERT_GE(pid, 0) TH_LOG("fork: %s", strerror(errno));
	if (pid == 0) {
		struct bench_mmio_stats c;

		sum_slots(&info, sp, &c);
		_exit(memcmp(&c, &st, sizeof(c)) ? 1 : 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the child read other counters (status %#x)", status);
	unmap(_metadata, p, SZ_2M);
	unmap(_metadata, (void *)sp, info.stats_size);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* The census and the fault delay                                           */
/* ---------------------------------------------------------------------- */

#define OPEN_CENSUS_DEVICE(fd, info)						\
	OPEN_DEVICE_WITH(fd, info, BENCH_MMIO_FEAT_CENSUS, "BENCH_MMIO_CENSUS")

/* CENSUS refuses anything but a page-aligned range inside one VMA of the device. */
TEST(census_misuse)
{
	const u64 len = 4 * SZ_1M;
	struct bench_mmio_census c;
	struct bench_mmio_info info;
	char *p, *q, *anon;
	int fd, other;

	OPEN_CENSUS_DEVICE(fd, &info);
	/* pud, whatever the module's default: a split remap VMA upsets x86 PAT */
	ASSERT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PUD, 0, NULL), 0);
	other = open_dev(_metadata, BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	p = map(_metadata, fd, len, 0);
	touch_all(p, len);

	/* the good case, also through another open file of the device */
	census(_metadata, fd, p, len, &c);
	EXPECT_EQ(c.pages, PAGES(len));
	census(_metadata, other, p + SZ_4K, len - SZ_4K, &c);
	EXPECT_EQ(c.pages, PAGES(len) - 1) TH_LOG("a census through another file of the device");

	/* the range itself */
	EXPECT_EQ(census_errno(fd, p + 1, SZ_4K, 0, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, p + 2048, SZ_4K, 0, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, p, SZ_4K + 1, 0, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, p, 2048, 0, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, p, 0, 0, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, p, ~0ULL & ~(SZ_4K - 1), 0, &c), EINVAL) TH_LOG("a length that wraps");
	EXPECT_EQ(census_errno(fd, (void *)(uintptr_t)(~0ULL & ~(SZ_4K - 1)), 2 * SZ_4K, 0, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, NULL, SZ_4K, 0, &c), EINVAL);
	/* flags and reserved input */
	EXPECT_EQ(census_errno(fd, p, len, 1, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, p, len, 1ULL << 63, &c), EINVAL);
	for (unsigned int i = 0; i < ARRAY_SIZE(c.reserved); i += ARRAY_SIZE(c.reserved) - 1) {
		memset(&c, 0, sizeof(c));
		c.addr = (u64)(uintptr_t)p;
		c.length = len;
		c.reserved[i] = 1;
		EXPECT_EQ(ioctl(fd, BENCH_MMIO_CENSUS, &c), -1) TH_LOG("reserved[%u] = 1 accepted", i);
		EXPECT_EQ(errno, EINVAL);
	}
	/* past either end of the VMA */
	EXPECT_EQ(census_errno(fd, p, len + SZ_4K, 0, &c), EINVAL);
	EXPECT_EQ(census_errno(fd, p - SZ_4K, len, 0, &c), EINVAL);
	/* not a mapping of the device: anonymous memory, the statistics, nothing */
	anon = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(anon, MAP_FAILED);
	memset(anon, 1, len);
	EXPECT_EQ(census_errno(fd, anon, len, 0, &c), EINVAL);
	unmap(_metadata, anon, len);
	EXPECT_EQ(census_errno(fd, anon, len, 0, &c), EINVAL);
	if (info.features & BENCH_MMIO_FEAT_STATS_PAGE) {
		const struct bench_mmio_stats *sp = map_stats(_metadata, fd, &info);

		EXPECT_EQ(census_errno(fd, sp, info.stats_size, 0, &c), EINVAL);
		unmap(_metadata, (void *)sp, info.stats_size);
	}
	/* a bad pointer */
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_CENSUS, NULL), -1);
	EXPECT_EQ(errno, EFAULT);

	/* two VMAs of the device side by side: one at a time only */
	q = reserve_va(_metadata, 2 * len, SZ_2M, 0);
	map_fixed(_metadata, fd, q, len, 0);
	map_fixed(_metadata, other, q + len, len, len);
	EXPECT_EQ(census_errno(fd, q, 2 * len, 0, &c), EINVAL) TH_LOG("a census across two VMAs");
	census(_metadata, fd, q, len, &c);
	census(_metadata, fd, q + len, len, &c);
	unmap(_metadata, q, 2 * len);

	/* a VMA split by a hole: each piece, not across the hole (a split 2M refaults as 4K) */
	unmap(_metadata, p + len / 2, SZ_4K);
	EXPECT_EQ(census_errno(fd, p, len, 0, &c), EINVAL) TH_LOG("a census across a hole");
	touch_all(p, len / 2);
	touch_all(p + len / 2 + SZ_4K, len / 2 - SZ_4K);
	census(_metadata, fd, p, len / 2, &c);
	EXPECT_EQ(c.pages, PAGES(len / 2));
	census(_metadata, fd, p + len / 2 + SZ_4K, len / 2 - SZ_4K, &c);
	EXPECT_EQ(c.pages, PAGES(len / 2) - 1);
	unmap(_metadata, p, len);
	EXPECT_EQ(census_errno(fd, p, len / 2, 0, &c), EINVAL) TH_LOG("a census of an unmapped range");
	close(other);
	close(fd);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/*
 * SET_FAULT_DELAY: refused above the maximum, with flags, or while mapped;
 * per file; every fault of a pte mapping then takes at least the delay.
 * Only lower bounds are checked: a busy-wait cannot be shorter than asked.
 */
TEST(fault_delay)
{
	const u64 len = 4 * SZ_1M, delay = 50000;
	struct bench_mmio_info info;
	struct bench_mmio_stats st;
	u64 old = ~0ULL, t0, t1, a, min = ~0ULL;
	volatile u64 *w;
	int fd, other;
	char *p;

	OPEN_DEVICE(fd, &info);
	if (!(info.features & BENCH_MMIO_FEAT_FAULT_DELAY))
		SKIP(return, "the module was built without BENCH_MMIO_SET_FAULT_DELAY");
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, BENCH_MMIO_MAX_FAULT_DELAY_NS + 1, 0, NULL),
		  EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, ~0ULL, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, delay, 1, NULL), EINVAL);
	EXPECT_EQ(ioctl(fd, BENCH_MMIO_SET_FAULT_DELAY, NULL), -1);
	EXPECT_EQ(errno, EFAULT);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, BENCH_MMIO_MAX_FAULT_DELAY_NS, 0, &old), 0);
	EXPECT_EQ(old, 0) TH_LOG("the default delay");
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, 0, 0, &old), 0);
	EXPECT_EQ(old, BENCH_MMIO_MAX_FAULT_DELAY_NS);

	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PTE, 0, NULL), 0);
	p = map(_metadata, fd, len, 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, delay, 0, NULL), EBUSY);
	unmap(_metadata, p, len);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, delay, 0, &old), 0);
	EXPECT_EQ(old, 0);
	/* per file: another file keeps its own */
	other = open_raw(_metadata);
	EXPECT_EQ(dev_set(other, BENCH_MMIO_SET_FAULT_DELAY, 0, 0, &old), 0);
	EXPECT_EQ(old, 0) TH_LOG("a delay set on one file showed in another");
	close(other);

	p = map(_metadata, fd, len, 0);
	t0 = now_ns();
	for (u64 off = 0; off < len; off += SZ_4K) {
		w = (volatile u64 *)(p + off);
		a = now_ns();
		(void)*w;
		a = now_ns() - a;
		min = a < min ? a : min;
	}
	t1 = now_ns();
	get_stats(_metadata, fd, &st);
	TH_LOG("pte %llu MiB, delay %llu ns: populate %llu ns for %llu faults, shortest fault %llu ns",
	       ULL(len >> 20), ULL(delay), ULL(t1 - t0), ULL(st.faults[BENCH_MMIO_LEVEL_PTE]), ULL(min));
	EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PTE], PAGES(len));
	EXPECT_GE(t1 - t0, PAGES(len) * delay) TH_LOG("the populate was shorter than its faults' delays");
	EXPECT_GE(min, delay) TH_LOG("a fault took less than the delay");
	unmap(_metadata, p, len);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_FAULT_DELAY, 0, 0, &old), 0);
	EXPECT_EQ(old, delay);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* Guards: kernel bugs the module steps around (uapi "guards")              */
/* ---------------------------------------------------------------------- */

/* Some strategy can map PUDs on this kernel (then the PUD guards apply). */
static bool kernel_maps_pud(const struct bench_mmio_info *info)
{
	for (unsigned int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++)
		if (info->max_level[s] == BENCH_MMIO_LEVEL_PUD)
			return true;
	return false;
}

/* A new file has the guards that apply here; SET_GUARDS is a checked SET. */
TEST(guards)
{
	const u64 pud_guards = BENCH_MMIO_GUARD_SPLIT_PUD | BENCH_MMIO_GUARD_ZAP_WIDEN |
			       BENCH_MMIO_GUARD_MREMAP;
	struct bench_mmio_info info;
	u64 old = ~0ULL;
	void *p;
	int fd;

	OPEN_DEVICE_WITH(fd, &info, BENCH_MMIO_FEAT_GUARDS, "BENCH_MMIO_SET_GUARDS");
	EXPECT_EQ(info.guards, info.guards_default);
	EXPECT_EQ(info.guards_default & ~BENCH_MMIO_GUARDS_ALL, 0);
	EXPECT_EQ(info.guards_default & pud_guards, kernel_maps_pud(&info) ? pud_guards : 0);
	if (info.guards_default & BENCH_MMIO_GUARD_REMAP_SPLIT)
		EXPECT_TRUE(info.caps & BENCH_MMIO_CAP_PAT);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_GUARDS, BENCH_MMIO_GUARDS_ALL + 1, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_GUARDS, 1ULL << 63, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_GUARDS, 0, 1, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_GUARDS, 0, 0, &old), 0);
	EXPECT_EQ(old, info.guards_default);
	get_info(_metadata, fd, &info);
	EXPECT_EQ(info.guards, 0);
	p = map(_metadata, fd, SZ_2M, 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_GUARDS, BENCH_MMIO_GUARDS_ALL, 0, NULL), EBUSY);
	unmap(_metadata, p, SZ_2M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_GUARDS, BENCH_MMIO_GUARDS_ALL, 0, &old), 0);
	EXPECT_EQ(old, 0);
	get_info(_metadata, fd, &info);
	EXPECT_EQ(info.guards, BENCH_MMIO_GUARDS_ALL);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* Per strategy: the fixture "dev", one variant per strategy                */
/* ---------------------------------------------------------------------- */

FIXTURE(dev) {
	int fd;				/* a file set to the variant's strategy */
	struct bench_mmio_info info;
	unsigned int s;
	const char *name;
};

FIXTURE_VARIANT(dev) {
	unsigned int strategy;
};

#define DEV_VARIANT(id, name, level, populate)					\
	FIXTURE_VARIANT_ADD(dev, name) { .strategy = BENCH_MMIO_STRATEGY_##id };
BENCH_MMIO_STRATEGIES(DEV_VARIANT)

FIXTURE_SETUP(dev)
{
	int err;

	self->fd = -1;
	self->s = variant->strategy;
	self->name = strategy_name[self->s];
	OPEN_DEVICE(self->fd, &self->info);
	ASSERT_GE(self->info.size, 64 * SZ_1M) TH_LOG("the tests need 64 MiB of backing");
	/* every strategy is selectable: one the kernel cannot deliver falls back */
	err = dev_set(self->fd, BENCH_MMIO_SET_STRATEGY, self->s, 0, NULL);
	ASSERT_EQ(err, 0) TH_LOG("SET_STRATEGY %s: %s", self->name, strerror(err));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0) {
		restore_if_revoked(self->fd);
		close(self->fd);
	}
}

/* The file reports the strategy; max_level says what it falls back to here. */
TEST_F(dev, select)
{
	struct bench_mmio_info info;

	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(info.strategy, self->s);
	EXPECT_EQ(info.max_level[self->s], deliverable(&info, self->s));
	EXPECT_LE(info.max_level[self->s], theory_strategy_level[self->s]);
}

static void faults_case(struct __test_metadata *_metadata, FIXTURE_DATA(dev) *self, u64 len)
{
	struct touched t;
	char what[64];

	if (self->info.size < len)
		SKIP(return, "a backing of %llu MiB cannot hold %llu MiB", ULL(self->info.size >> 20),
		     ULL(len >> 20));
	snprintf(what, sizeof(what), "%s %llu MiB align=auto", self->name, ULL(len >> 20));
	map_touch_check(_metadata, &self->info, what, self->s, BENCH_MMIO_ALIGN_AUTO, NULL, len, 0, &t);
	check_literal(_metadata, &self->info, what, self->s, &t, false);
	untouch(_metadata, &t);
}

TEST_F(dev, faults_64m)
{
	faults_case(_metadata, self, 64 * SZ_1M);
}

TEST_F(dev, faults_256m)
{
	faults_case(_metadata, self, 256 * SZ_1M);
}

TEST_F_TIMEOUT(dev, faults_1g, 300)
{
	faults_case(_metadata, self, SZ_1G);
}

TEST_F_TIMEOUT(dev, faults_2g, 600)
{
	faults_case(_metadata, self, 2 * SZ_1G);
}

/*
 * mmap(NULL) usually shares its 1G region with VMAs whose page tables are
 * there already, so the core never asks for a PUD.  Alone in an empty 1G
 * region a 64M mapping is offered a PUD first, and falls back.
 */
TEST_F(dev, faults_64m_alone)
{
	const u64 len = 64 * SZ_1M;
	struct touched t;
	void *hole = reserve_va(_metadata, SZ_1G, SZ_1G, self->info.phys_base & (SZ_1G - 1));

	map_touch_check(_metadata, &self->info, "64 MiB alone in a 1G region", self->s,
			BENCH_MMIO_ALIGN_AUTO, hole, len, 0, &t);
	check_literal(_metadata, &self->info, "64 MiB alone in a 1G region", self->s, &t, true);
	untouch(_metadata, &t);
}

/* align=auto: the strategy's largest page that fits, at any offset. */
TEST_F(dev, align_auto)
{
	const u64 lens[] = { 8 * SZ_1M, 64 * SZ_1M, min_u64(2 * SZ_1G, self->info.size) };
	struct touched t;
	int fd;

	for (unsigned int i = 0; i < ARRAY_SIZE(lens); i++) {
		u64 al = theory_align(self->s, BENCH_MMIO_ALIGN_AUTO, lens[i]);
		void *p;

		fd = open_dev(_metadata, self->s, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
		p = map(_metadata, fd, lens[i], 0);
		EXPECT_TRUE(congruent(p, self->info.phys_base, al))
			TH_LOG("%s %llu MiB: VA %p, PA %#llx, wanted congruent modulo %#llx", self->name,
			       ULL(lens[i] >> 20), p, ULL(self->info.phys_base), ULL(al));
		unmap(_metadata, p, lens[i]);
		close(fd);
	}
	/* at an offset that is not 2M aligned: VA = PA mod the alignment, so huge pages still fit */
	map_touch_check(_metadata, &self->info, "align=auto 64 MiB at offset 1M", self->s,
			BENCH_MMIO_ALIGN_AUTO, NULL, 64 * SZ_1M, SZ_1M, &t);
	untouch(_metadata, &t);
}

/* align=pmd, whatever the strategy: VA congruent to the PA of the offset modulo 2M. */
TEST_F_TIMEOUT(dev, align_pmd, 300)
{
	const u64 off = SZ_1M + SZ_4K;
	u64 len = theory_strategy_level[self->s] == BENCH_MMIO_LEVEL_PUD ?
		  min_u64(2 * SZ_1G, self->info.size) : 64 * SZ_1M;
	struct touched t;
	void *p;
	int fd;

	fd = open_dev(_metadata, self->s, BENCH_MMIO_ALIGN_PMD, BENCH_MMIO_CACHE_UC);
	p = map(_metadata, fd, 8 * SZ_1M, off);
	EXPECT_TRUE(congruent(p, self->info.phys_base + off, SZ_2M))
		TH_LOG("align=pmd at offset %#llx: VA %p", ULL(off), p);
	unmap(_metadata, p, 8 * SZ_1M);
	close(fd);
	/* a pud mapping gets PMDs, and a PUD fallback per 1G region unless it is 1G-congruent */
	map_touch_check(_metadata, &self->info, "align=pmd", self->s, BENCH_MMIO_ALIGN_PMD, NULL, len,
			0, &t);
	untouch(_metadata, &t);
}

/* align=pud, whatever the strategy: VA congruent to PA modulo 1G. */
TEST_F(dev, align_pud)
{
	struct touched t;

	map_touch_check(_metadata, &self->info, "align=pud 64 MiB", self->s, BENCH_MMIO_ALIGN_PUD,
			NULL, 64 * SZ_1M, 0, &t);
	EXPECT_TRUE(congruent(t.p, self->info.phys_base, SZ_1G)) TH_LOG("align=pud: VA %p", t.p);
	untouch(_metadata, &t);
}

/*
 * align=none: the kernel's default VA, as for a driver without a
 * get_unmapped_area hook; huge pfnmaps silently become 4K when it is not
 * 2M-congruent to the BAR.
 */
TEST_F_TIMEOUT(dev, align_none, 300)
{
	u64 len = theory_strategy_level[self->s] >= BENCH_MMIO_LEVEL_PMD ? SZ_1G : 64 * SZ_1M;
	bool readme = self->s == BENCH_MMIO_STRATEGY_PUD && huge_kernel(&self->info) &&
		      self->info.phys_base % SZ_1G == 0;
	struct touched t;
	char *guard = NULL;
	int fd;

	/* the README's case wants a VA that is not 2M-congruent: move it by 4K if it is */
	fd = open_dev(_metadata, self->s, BENCH_MMIO_ALIGN_NONE, BENCH_MMIO_CACHE_UC);
	t.p = map(_metadata, fd, len, 0);
	unmap(_metadata, t.p, len);
	close(fd);
	if (congruent(t.p, self->info.phys_base, SZ_2M)) {
		guard = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(guard, MAP_FAILED);
		*(volatile char *)guard = 1;
	}
	map_touch_check(_metadata, &self->info, "align=none", self->s, BENCH_MMIO_ALIGN_NONE, NULL,
			len, 0, &t);
	TH_LOG("align=none %s %llu MiB: VA %p, VA - PA = %#llx", self->name, ULL(len >> 20), t.p,
	       ULL((u64)(uintptr_t)t.p - self->info.phys_base));
	if (readme && congruent(t.p, self->info.phys_base, SZ_2M)) {
		untouch(_metadata, &t);
		SKIP(return, "the kernel returned 2M-congruent VAs twice (%p): the misaligned case did not happen", t.p);
	}
	if (readme) {
		CHECK_COUNT("README", "align=none pud 1G", "PTE faults", literal_none_pud_1g_pte,
			    t.st.faults[BENCH_MMIO_LEVEL_PTE]);
		CHECK_COUNT("README", "align=none pud 1G", "PMD faults", 0ULL,
			    t.st.faults[BENCH_MMIO_LEVEL_PMD]);
		CHECK_COUNT("README", "align=none pud 1G", "PUD faults", 0ULL,
			    t.st.faults[BENCH_MMIO_LEVEL_PUD]);
		CHECK_COUNT("README", "align=none pud 1G", "PMD fallbacks", literal_none_pud_1g_fb_pmd,
			    t.st.fallbacks[BENCH_MMIO_LEVEL_PMD]);
	}
	untouch(_metadata, &t);
	if (guard)
		munmap(guard, SZ_4K);
}

/*
 * Data written through pte reads back through this strategy (UC and WC),
 * also at a misaligned MAP_FIXED address; data written through this
 * strategy reads back through pte.
 */
TEST_F_TIMEOUT(dev, integrity, 120)
{
	const u64 len = 8 * SZ_1M, seed = 0x1234 ^ (u64)getpid(), l2 = 4 * SZ_2M;
	/* a strategy that inserts PUDs reads through one mapping of 2G, so that it gets them */
	const u64 big = theory_strategy_level[self->s] == BENCH_MMIO_LEVEL_PUD ?
			min_u64(2 * SZ_1G, self->info.size) : 0;
	const u64 size = self->info.size;
	u64 offs[2];
	char what[96], *w[2], *p, *q;
	int fd_pte, fd;

	offs[0] = 0;
	/* straddle the 1G boundary when the backing has one, else the middle */
	offs[1] = size >= SZ_1G + len ? SZ_1G - len / 2 : (size / 2) & ~(SZ_2M - 1);

	fd_pte = open_dev(_metadata, BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	for (int i = 0; i < 2; i++) {
		w[i] = map(_metadata, fd_pte, len, offs[i]);
		write_pattern(w[i], len, offs[i], seed);
		ASSERT_TRUE(check_pattern(_metadata, "pte write, read back", w[i], len, offs[i], seed));
	}

	for (unsigned int cache = 0; cache < BENCH_MMIO_NR_CACHES; cache++) {
		fd = open_dev(_metadata, self->s, BENCH_MMIO_ALIGN_AUTO, cache);
		if (big) {
			p = map(_metadata, fd, big, 0);
			for (int i = 0; i < 2; i++) {
				snprintf(what, sizeof(what), "%s %s read at %#llx", self->name,
					 cache ? "WC" : "UC", ULL(offs[i]));
				if (offs[i] + len <= big)
					check_pattern(_metadata, what, p + offs[i], len, offs[i], seed);
			}
			unmap(_metadata, p, big);
		}
		for (int i = 0; i < 2; i++) {
			p = map(_metadata, fd, len, offs[i]);
			snprintf(what, sizeof(what), "%s %s read at %#llx", self->name,
				 cache ? "WC" : "UC", ULL(offs[i]));
			check_pattern(_metadata, what, p, len, offs[i], seed);
			unmap(_metadata, p, len);
		}
		close(fd);
	}

	/* a MAP_FIXED address 4K off the PA modulo 2M: 4K pages, the same data */
	fd = open_dev(_metadata, self->s, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	for (int i = 0; i < 2; i++) {
		p = reserve_va(_metadata, len, SZ_2M,
			       ((offs[i] + self->info.phys_base) & (SZ_2M - 1)) + SZ_4K);
		map_fixed(_metadata, fd, p, len, offs[i]);
		snprintf(what, sizeof(what), "%s MAP_FIXED misaligned read at %#llx", self->name,
			 ULL(offs[i]));
		check_pattern(_metadata, what, p, len, offs[i], seed);
		unmap(_metadata, p, len);
	}

	/* written through this strategy, read through pte */
	p = map(_metadata, fd, l2, 64 * SZ_1M);
	write_pattern(p, l2, 64 * SZ_1M, seed + 1);
	q = map(_metadata, fd_pte, l2, 64 * SZ_1M);
	snprintf(what, sizeof(what), "%s write, pte read", self->name);
	check_pattern(_metadata, what, q, l2, 64 * SZ_1M, seed + 1);
	unmap(_metadata, q, l2);
	unmap(_metadata, p, l2);
	close(fd);

	/* the first writes are intact */
	for (int i = 0; i < 2; i++) {
		check_pattern(_metadata, "pte read again", w[i], len, offs[i], seed);
		unmap(_metadata, w[i], len);
	}
	close(fd_pte);
}

static void zap(struct __test_metadata *_metadata, int fd, u64 off, u64 len)
{
	struct bench_mmio_range r = { .offset = off, .length = len };

	ASSERT_EQ(ioctl(fd, BENCH_MMIO_ZAP, &r), 0)
		TH_LOG("ZAP(%#llx, %#llx): %s", ULL(off), ULL(len), strerror(errno));
}

/*
 * BENCH_MMIO_ZAP makes pages fault again, at the level they had: a strategy
 * that populates at fault time refaults as it faulted; remap, which
 * populated in ->mmap, refaults one 4K page per fault; bulk refaults the
 * whole VMA with one fault.
 */
TEST_F(dev, zap)
{
	const u64 len = 16 * SZ_1M, seed = 0x2222 ^ (u64)getpid();
	const unsigned int pop = theory_strategy_populate[self->s];
	struct bench_mmio_stats a, b;
	struct touched t;
	u64 want[BENCH_MMIO_NR_LEVELS];

	map_touch_check(_metadata, &self->info, "zap 16 MiB", self->s, BENCH_MMIO_ALIGN_AUTO, NULL,
			len, 0, &t);
	write_pattern(t.p, len, 0, seed);
	get_stats(_metadata, t.fd, &a);

	/* the whole backing */
	zap(_metadata, t.fd, 0, 0);
	touch_all(t.p, len);
	get_stats(_metadata, t.fd, &b);
	print_stats(_metadata, "after ZAP of everything", &b);
	EXPECT_EQ(b.zaps, a.zaps + 1);
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		want[l] = 2 * a.faults[l];
	if (pop == BENCH_MMIO_POPULATE_MMAP)
		want[BENCH_MMIO_LEVEL_PTE] = PAGES(len);
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		CHECK_COUNT("refault", "ZAP of everything", level_name[l], want[l], b.faults[l]);
	EXPECT_EQ(b.pages, 2 * a.pages);
	EXPECT_GT(total_faults(&b), 0);
	check_pattern(_metadata, "after ZAP of everything", t.p, len, 0, seed);

	/* an aligned 2M range in the middle: only that refaults */
	zap(_metadata, t.fd, 4 * SZ_2M, SZ_2M);
	touch_all(t.p, len);
	get_stats(_metadata, t.fd, &a);
	if (pop == BENCH_MMIO_POPULATE_VMA) {
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PTE], b.faults[BENCH_MMIO_LEVEL_PTE] + 1);
	} else if (deliverable(&self->info, self->s) >= BENCH_MMIO_LEVEL_PMD) {
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PMD], b.faults[BENCH_MMIO_LEVEL_PMD] + 1);
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PTE], b.faults[BENCH_MMIO_LEVEL_PTE]);
	} else {
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PTE], b.faults[BENCH_MMIO_LEVEL_PTE] + PAGES(SZ_2M));
	}
	check_pattern(_metadata, "after ZAP of 2M", t.p, len, 0, seed);

	/* a zap of a range nobody maps changes nothing here */
	zap(_metadata, t.fd, len, SZ_2M);
	touch_all(t.p, len);
	get_stats(_metadata, t.fd, &b);
	EXPECT_EQ(total_faults(&b), total_faults(&a));
	untouch(_metadata, &t);
}

/*
 * What a census of a freshly populated mapping must find: a strategy that
 * faults inserts one leaf per fault, at the level of the fault; remap and
 * bulk map every page with a PTE however many faults they took.
 */
static void census_want(unsigned int s, const u64 faults[BENCH_MMIO_NR_LEVELS], u64 pages,
			u64 want[BENCH_MMIO_NR_LEVELS])
{
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		want[l] = theory_strategy_populate[s] == BENCH_MMIO_POPULATE_FAULT ? faults[l] : 0;
	if (theory_strategy_populate[s] != BENCH_MMIO_POPULATE_FAULT)
		want[BENCH_MMIO_LEVEL_PTE] = pages;
}

/* The README's numbers (literal_cases[]) for a census of a touched align=auto mapping. */
static void check_literal_census(struct __test_metadata *_metadata, const struct bench_mmio_info *info,
				 const char *what, unsigned int s, u64 len,
				 const struct bench_mmio_census *c)
{
	const struct literal *lc = NULL;
	u64 want[BENCH_MMIO_NR_LEVELS];

	for (unsigned int i = 0; i < ARRAY_SIZE(literal_cases); i++)
		if (literal_cases[i].strategy == s && literal_cases[i].len == len)
			lc = &literal_cases[i];
	if (!lc || info->phys_base % SZ_1G) {
		TH_LOG("%s: no literal numbers for this case", what);
		return;
	}
	if (huge_kernel(info) && deliverable(info, PUD) == BENCH_MMIO_LEVEL_PUD) {
		census_want(s, lc->huge, lc->pages, want);
	} else if (flat_kernel(info)) {
		census_want(s, lc->flat, lc->pages, want);
	} else {
		TH_LOG("%s: caps %#llx: no literal numbers", what, ULL(info->caps));
		return;
	}
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		CHECK_COUNT("README", what, level_name[l], want[l], c->leaves[l]);
	CHECK_COUNT("README", what, "pages", lc->pages, c->pages);
}

/*
 * The census of a fresh populated mapping finds the leaves that the fault
 * counters and theory_expect() say were inserted, and all of its pages.
 */
static void census_case(struct __test_metadata *_metadata, FIXTURE_DATA(dev) *self, u64 len,
			bool zap_half)
{
	struct bench_mmio_census c, lo, hi;
	u64 want[BENCH_MMIO_NR_LEVELS], st_faults[BENCH_MMIO_NR_LEVELS];
	struct touched t;
	char what[64];

	if (!(self->info.features & BENCH_MMIO_FEAT_CENSUS))
		SKIP(return, "the module was built without BENCH_MMIO_CENSUS");
	if (self->info.size < len)
		SKIP(return, "a backing of %llu MiB cannot hold %llu MiB", ULL(self->info.size >> 20),
		     ULL(len >> 20));
	snprintf(what, sizeof(what), "census %s %llu MiB", self->name, ULL(len >> 20));
	map_touch_check(_metadata, &self->info, what, self->s, BENCH_MMIO_ALIGN_AUTO, NULL, len, 0, &t);
	census(_metadata, self->fd, t.p, len, &c);
	print_census(_metadata, what, &c);

	census_want(self->s, t.exp.faults, t.exp.pages, want);
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		CHECK_COUNT("theory", what, level_name[l], want[l], c.leaves[l]);
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		st_faults[l] = t.st.faults[l];
	census_want(self->s, st_faults, t.st.pages, want);
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		CHECK_COUNT("GET_STATS", what, level_name[l], want[l], c.leaves[l]);
	CHECK_COUNT("length", what, "pages", PAGES(len), c.pages);
	check_literal_census(_metadata, &self->info, what, self->s, len, &c);

	if (zap_half) {
		/* the upper half goes, whole leaves at every level; the lower half stays */
		census(_metadata, self->fd, t.p, len / 2, &lo);
		zap(_metadata, t.fd, len / 2, len / 2);
		census(_metadata, self->fd, t.p, len, &c);
		print_census(_metadata, "after ZAP of the upper half", &c);
		census(_metadata, self->fd, t.p + len / 2, len / 2, &hi);
		for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++) {
			CHECK_COUNT("lower half", "after ZAP of the upper half", level_name[l],
				    lo.leaves[l], c.leaves[l]);
			CHECK_COUNT("half", "after ZAP of the upper half", level_name[l],
				    want[l] / 2, c.leaves[l]);
			CHECK_COUNT("zero", "the zapped upper half", level_name[l], 0ULL,
				    hi.leaves[l]);
		}
		CHECK_COUNT("half", "after ZAP of the upper half", "pages", PAGES(len / 2), c.pages);
		EXPECT_EQ(hi.pages, 0);
		/* and a touch maps it again as it was */
		touch_all(t.p, len);
		census(_metadata, self->fd, t.p, len, &hi);
		for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
			CHECK_COUNT("refault", "after touching the zapped half", level_name[l],
				    want[l], hi.leaves[l]);
		CHECK_COUNT("refault", "after touching the zapped half", "pages", PAGES(len), hi.pages);
	}
	untouch(_metadata, &t);
}

TEST_F(dev, census_64m)
{
	census_case(_metadata, self, 64 * SZ_1M, true);
}

TEST_F_TIMEOUT(dev, census_1g, 300)
{
	census_case(_metadata, self, SZ_1G, false);
}

/*
 * Before any touch a census finds only what ->mmap populated; after one
 * touch, exactly the pages the fault (or the mmap) made present.
 */
TEST_F(dev, census_unpopulated)
{
	const u64 len = 64 * SZ_1M;
	struct bench_mmio_census c;
	struct bench_mmio_stats st;
	int fd;
	char *p;

	if (!(self->info.features & BENCH_MMIO_FEAT_CENSUS))
		SKIP(return, "the module was built without BENCH_MMIO_CENSUS");
	fd = open_dev(_metadata, self->s, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	p = map(_metadata, fd, len, 0);
	census(_metadata, self->fd, p, len, &c);
	print_census(_metadata, "right after mmap", &c);
	if (theory_strategy_populate[self->s] == BENCH_MMIO_POPULATE_MMAP) {
		EXPECT_EQ(c.leaves[BENCH_MMIO_LEVEL_PTE], PAGES(len));
		EXPECT_EQ(c.pages, PAGES(len));
	} else {
		for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
			EXPECT_EQ(c.leaves[l], 0) TH_LOG("%s leaves before any touch", level_name[l]);
		EXPECT_EQ(c.pages, 0);
	}
	touch_all(p + len / 2, SZ_4K);
	get_stats(_metadata, fd, &st);
	census(_metadata, self->fd, p, len, &c);
	print_census(_metadata, "after one touch", &c);
	EXPECT_EQ(c.pages, st.pages) TH_LOG("census pages against GET_STATS pages");
	EXPECT_GT(c.pages, 0);
	if (theory_strategy_populate[self->s] == BENCH_MMIO_POPULATE_FAULT)
		for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
			EXPECT_EQ(c.leaves[l], st.faults[l]) TH_LOG("%s leaves against faults", level_name[l]);
	unmap(_metadata, p, len);
	close(fd);
}

/* REVOKE gives SIGBUS on reads and writes; RESTORE gives the data back. */
TEST_F_TIMEOUT(dev, revoke, 120)
{
	const u64 seed = 0x3333 ^ (u64)getpid(), chunk = 64 * 1024;
	/* a strategy that inserts PUDs gets a mapping that holds them */
	const u64 len = theory_strategy_level[self->s] == BENCH_MMIO_LEVEL_PUD ?
			min_u64(2 * SZ_1G, self->info.size) : 16 * SZ_1M;
	const u64 probes[4] = { 0, SZ_2M + SZ_4K, len / 2, len - SZ_4K };
	struct bench_mmio_stats st;
	struct bench_mmio_info info;
	int other, nbus = 0;
	u64 v;
	char *p;

	other = open_raw(_metadata);
	p = map(_metadata, self->fd, len, 0);
	for (int i = 0; i < 4; i++)
		write_pattern(p + probes[i], min_u64(chunk, len - probes[i]), probes[i], seed);
	touch_all(p, len);

	ASSERT_EQ(ioctl(other, BENCH_MMIO_REVOKE), 0) TH_LOG("REVOKE: %s", strerror(errno));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(info.revoked, 1);
	for (int i = 0; i < 4; i++) {
		int r = probe_read((const volatile u64 *)(p + probes[i]), &v);

		EXPECT_EQ(r, -1) TH_LOG("read at +%#llx after REVOKE did not SIGBUS", ULL(probes[i]));
		nbus += r == -1;
	}
	EXPECT_EQ(probe_write((volatile u64 *)(p + SZ_4K), 1), -1) TH_LOG("write after REVOKE did not SIGBUS");
	get_stats(_metadata, self->fd, &st);
	print_stats(_metadata, "after REVOKE", &st);
	EXPECT_GE(st.sigbus, (u64)nbus + 1);
	get_stats(_metadata, other, &st);
	EXPECT_EQ(st.zaps, 1) TH_LOG("a REVOKE counts in the file that revoked");

	ASSERT_EQ(ioctl(other, BENCH_MMIO_RESTORE), 0) TH_LOG("RESTORE: %s", strerror(errno));
	get_info(_metadata, self->fd, &info);
	EXPECT_EQ(info.revoked, 0);
	for (int i = 0; i < 4; i++) {
		int r = probe_read((const volatile u64 *)(p + probes[i]), &v);

		EXPECT_EQ(r, 0) TH_LOG("read at +%#llx after RESTORE: SIGBUS", ULL(probes[i]));
		if (!r)
			check_pattern(_metadata, "after RESTORE", p + probes[i],
				      min_u64(chunk, len - probes[i]), probes[i], seed);
	}
	unmap(_metadata, p, len);
	close(other);
}

/* A child sees the parent's pfnmap, through page tables copied at fork. */
TEST_F_TIMEOUT(dev, fork, 120)
{
	/* one word per 16 MiB: each first write makes the host allocate RAM behind the BAR */
	const u64 seed = 0x4444 ^ (u64)getpid(), step = 16 * SZ_1M;
	const u64 len = theory_strategy_level[self->s] == BENCH_MMIO_LEVEL_PUD ?
			min_u64(2 * SZ_1G, self->info.size) : 64 * SZ_1M;
	struct bench_mmio_stats a, b;
	int status;
	pid_t pid;
	char *p;

	p = map(_metadata, self->fd, len, 0);
	for (u64 o = 0; o < len; o += step)
		*(volatile u64 *)(p + o) = pattern(o, seed);
	get_stats(_metadata, self->fd, &a);

	fflush(NULL);
	pid = fork();
	ASSERT_GE(pid, 0) TH_LOG("fork: %s", strerror(errno));
	if (pid == 0) {
		int bad = 0;

		for (u64 o = 0; o < len; o += step)
			bad += *(volatile u64 *)(p + o) != pattern(o, seed);
		/* and write one back for the parent to see */
		*(volatile u64 *)(p + len - step) = pattern(len - step, seed + 1);
		_exit(bad ? 1 : 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the child %s (status %#x)", WIFSIGNALED(status) ? "was killed" : "read wrong data",
		       status);
	EXPECT_EQ(*(volatile u64 *)(p + len - step), pattern(len - step, seed + 1));
	get_stats(_metadata, self->fd, &b);
	/* the page tables of a VM_PFNMAP VMA are copied at fork: the child did not fault */
	EXPECT_EQ(total_faults(&b), total_faults(&a)) TH_LOG("the child faulted on pages its parent had mapped");
	for (u64 o = 0; o < len - step; o += step)
		if (*(volatile u64 *)(p + o) != pattern(o, seed)) {
			EXPECT_TRUE(0) TH_LOG("parent: word at %#llx changed", ULL(o));
			break;
		}
	unmap(_metadata, p, len);
}

static bool module_listed(void)
{
	FILE *f = fopen("/proc/modules", "r");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, MODULE_NAME " ", strlen(MODULE_NAME) + 1))
			found = true;
	fclose(f);
	return found;
}

/* A mapping keeps the module loaded, even once its file is closed. */
TEST_F(dev, module_busy)
{
	const u64 len = 4 * SZ_1M;
	long r;
	int err;
	void *p;

	if (!module_listed())
		SKIP(return, "%s is not in /proc/modules (built in?)", MODULE_NAME);
	p = map(_metadata, self->fd, len, 0);
	touch_all(p, len);
	close(self->fd);	/* only the mapping holds the file now */
	self->fd = -1;

	errno = 0;
	r = syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
	err = errno;
	if (r == -1 && err == EPERM)
		SKIP(return, "delete_module: EPERM (not root)");
	ASSERT_EQ(r, -1) TH_LOG("delete_module(%s) succeeded while a mapping exists", MODULE_NAME);
	EXPECT_TRUE(err == EBUSY || err == EAGAIN || err == EWOULDBLOCK)
		TH_LOG("delete_module: %s, wanted EBUSY or EWOULDBLOCK", strerror(err));
	EXPECT_TRUE(module_listed()) TH_LOG("%s vanished from /proc/modules", MODULE_NAME);
	touch_all(p, len);
	unmap(_metadata, p, len);
}

/*
 * Where x86 PAT tracks the memtype of a remap_pfn_range() mapping for the
 * whole VMA (before 7.x), a split logs "x86/PAT: freeing invalid memtype"
 * and leaks the reservation (a kernel defect): the module refuses such
 * splits (BENCH_MMIO_GUARD_REMAP_SPLIT), which remap_split_guard tests.
 */
#define SKIP_SPLIT_OF_REMAP(self) do {						\
	if ((self)->s == BENCH_MMIO_STRATEGY_REMAP &&				\
	    ((self)->info.guards & BENCH_MMIO_GUARD_REMAP_SPLIT))		\
		SKIP(return, "splits of a remap VMA are refused here (x86 PAT before pfnmap_track): see remap_split_guard"); \
} while (0)

/* The rest of a mapping survives partial munmaps, aligned or not. */
TEST_F(dev, munmap_partial)
{
	const u64 len = 16 * SZ_1M, seed = 0x5555 ^ (u64)getpid();
	struct bench_mmio_stats a, b;
	struct touched t;
	char *p;

	SKIP_SPLIT_OF_REMAP(self);
	map_touch_check(_metadata, &self->info, "munmap 16 MiB", self->s, BENCH_MMIO_ALIGN_AUTO, NULL,
			len, 0, &t);
	p = t.p;
	write_pattern(p, len, 0, seed);
	get_stats(_metadata, t.fd, &a);
	/* an aligned 2M in the middle: whole PMD entries go */
	unmap(_metadata, p + 6 * SZ_1M, SZ_2M);
	/* a misaligned 2M: the two PMDs around [9M, 11M) are split (or dropped and refaulted as 4K) */
	unmap(_metadata, p + 9 * SZ_1M, SZ_2M);
	/* a 4K hole */
	unmap(_metadata, p + 13 * SZ_1M + SZ_4K, SZ_4K);
	check_pattern(_metadata, "[0, 6M)", p, 6 * SZ_1M, 0, seed);
	check_pattern(_metadata, "[8M, 9M)", p + 8 * SZ_1M, SZ_1M, 8 * SZ_1M, seed);
	check_pattern(_metadata, "[11M, 13M+4K)", p + 11 * SZ_1M, 2 * SZ_1M + SZ_4K, 11 * SZ_1M, seed);
	check_pattern(_metadata, "[13M+8K, 16M)", p + 13 * SZ_1M + 2 * SZ_4K, 3 * SZ_1M - 2 * SZ_4K,
		      13 * SZ_1M + 2 * SZ_4K, seed);
	get_stats(_metadata, t.fd, &b);
	print_stats(_metadata, "after the holes", &b);
	EXPECT_EQ(b.faults[BENCH_MMIO_LEVEL_PUD], 0);
	EXPECT_EQ(b.insert_errors, 0);
	EXPECT_EQ(b.sigbus, 0);
	/* PMDs whose 2M stays whole in one VMA are not refaulted */
	EXPECT_EQ(b.faults[BENCH_MMIO_LEVEL_PMD], a.faults[BENCH_MMIO_LEVEL_PMD]);
	/* the pieces unmap cleanly */
	unmap(_metadata, p, len);
	close(t.fd);
}

/*
 * Splits inside PUD-mapped 1G regions: a 4K hole, an mprotect()ed page, an
 * madvise()d range.  The core's split path must never meet a PUD entry it
 * takes for a PMD table (it crashes 6.12.117 unless the module zaps the
 * region in ->may_split).
 */
TEST_F_TIMEOUT(dev, split_pud, 120)
{
	const u64 seed = 0x6666 ^ (u64)getpid();
	struct bench_mmio_stats b;
	char *p;

	SKIP_SPLIT_OF_REMAP(self);
	if (self->info.size < 2 * SZ_1G)
		SKIP(return, "a backing of %llu MiB cannot hold 2 GiB", ULL(self->info.size >> 20));
	p = map(_metadata, self->fd, 2 * SZ_1G, 0);
	write_pattern(p, SZ_2M, 0, seed);
	write_pattern(p + SZ_1G, SZ_2M, SZ_1G, seed);
	unmap(_metadata, p + SZ_1G + SZ_4K, SZ_4K);
	EXPECT_EQ(mprotect(p + 3 * SZ_4K, SZ_4K, PROT_READ), 0);
	EXPECT_EQ(madvise(p + SZ_1G + 5 * SZ_2M + SZ_4K, SZ_4K, MADV_DONTFORK), 0);
	check_pattern(_metadata, "[0, 12K)", p, 3 * SZ_4K, 0, seed);
	check_pattern(_metadata, "[12K, 16K) read-only", p + 3 * SZ_4K, SZ_4K, 3 * SZ_4K, seed);
	check_pattern(_metadata, "[16K, 2M)", p + 4 * SZ_4K, SZ_2M - 4 * SZ_4K, 4 * SZ_4K, seed);
	check_pattern(_metadata, "[1G, 1G+4K)", p + SZ_1G, SZ_4K, SZ_1G, seed);
	check_pattern(_metadata, "[1G+8K, 1G+2M)", p + SZ_1G + 2 * SZ_4K, SZ_2M - 2 * SZ_4K,
		      SZ_1G + 2 * SZ_4K, seed);
	get_stats(_metadata, self->fd, &b);
	print_stats(_metadata, "after splitting 1G regions", &b);
	EXPECT_EQ(b.insert_errors, 0);
	EXPECT_EQ(b.sigbus, 0);
	unmap(_metadata, p, SZ_1G + SZ_4K);
	unmap(_metadata, p + SZ_1G + 2 * SZ_4K, SZ_1G - 2 * SZ_4K);
}

/*
 * BENCH_MMIO_GUARD_REMAP_SPLIT: a partial munmap() or mprotect() of a remap
 * VMA is refused with EINVAL and counted; the mapping stays whole and
 * intact, and unmaps whole.
 */
TEST_F(dev, remap_split_guard)
{
	const u64 len = 4 * SZ_1M, seed = 0x7777 ^ (u64)getpid();
	struct bench_mmio_stats a, b;
	char *p;

	if (self->s != BENCH_MMIO_STRATEGY_REMAP || !(self->info.guards & BENCH_MMIO_GUARD_REMAP_SPLIT))
		SKIP(return, "the guard applies to the remap strategy where x86 PAT reserves per VMA (guards %#llx)",
		     ULL(self->info.guards));
	p = map(_metadata, self->fd, len, 0);
	write_pattern(p, len, 0, seed);
	get_stats(_metadata, self->fd, &a);
	EXPECT_EQ(munmap(p + SZ_1M, SZ_4K), -1);
	EXPECT_EQ(errno, EINVAL);
	EXPECT_EQ(mprotect(p, SZ_1M, PROT_READ), -1);
	EXPECT_EQ(errno, EINVAL);
	get_stats(_metadata, self->fd, &b);
	EXPECT_EQ(b.splits_refused, a.splits_refused + 2);
	check_pattern(_metadata, "after refused splits", p, len, 0, seed);
	unmap(_metadata, p, len);
}

/*
 * BENCH_MMIO_GUARD_ZAP_WIDEN: with a PUD-capable mapping live, a ZAP of
 * 4K inside a 1G extent zaps the whole extent (one PUD refault), counted in
 * zaps_widened; the other GiB keeps its PUD.  Without such a mapping (the
 * other strategies, 6.1) a ZAP stays exact.
 */
TEST_F_TIMEOUT(dev, zap_widen, 120)
{
	const u64 len = 2 * SZ_1G;
	struct bench_mmio_census c;
	struct bench_mmio_stats a, b;
	bool pud = self->info.max_level[self->s] == BENCH_MMIO_LEVEL_PUD;
	char *p;

	if (self->info.size < len || (self->info.phys_base & (SZ_1G - 1)))
		SKIP(return, "needs a 1G-aligned backing of 2 GiB (%llu MiB at %#llx)",
		     ULL(self->info.size >> 20), ULL(self->info.phys_base));
	p = map(_metadata, self->fd, len, 0);
	touch_all(p, len);
	get_stats(_metadata, self->fd, &a);
	zap(_metadata, self->fd, SZ_1G + SZ_4K, SZ_4K);
	get_stats(_metadata, self->fd, &b);
	print_stats(_metadata, "after a ZAP of 4K in the second GiB", &b);
	EXPECT_EQ(b.zaps_widened, a.zaps_widened + ((pud && (self->info.guards & BENCH_MMIO_GUARD_ZAP_WIDEN)) ? 1 : 0));
	if (pud && (self->info.guards & BENCH_MMIO_GUARD_ZAP_WIDEN) &&
	    (self->info.features & BENCH_MMIO_FEAT_CENSUS)) {
		census(_metadata, self->fd, p, SZ_1G, &c);
		EXPECT_EQ(c.leaves[BENCH_MMIO_LEVEL_PUD], 1) TH_LOG("the first GiB lost its PUD");
		census(_metadata, self->fd, p + SZ_1G, SZ_1G, &c);
		print_census(_metadata, "second GiB after the widened ZAP", &c);
		EXPECT_EQ(c.pages, 0) TH_LOG("the widened ZAP left pages of the second GiB mapped");
		touch_all(p, len);
		get_stats(_metadata, self->fd, &a);
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PUD], b.faults[BENCH_MMIO_LEVEL_PUD] + 1);
		EXPECT_EQ(total_faults(&a), total_faults(&b) + 1);
	}
	unmap(_metadata, p, len);
}

/*
 * An mremap() move keeps the data, and a move of a VMA that may hold PUD
 * entries is zapped first (BENCH_MMIO_GUARD_MREMAP): one guard zap, and
 * the moved GiB refaults as one PUD at its new, congruent place.
 */
TEST_F_TIMEOUT(dev, mremap_move, 120)
{
	const u64 len = SZ_1G, seed = 0x8888 ^ (u64)getpid();
	bool guard = self->info.max_level[self->s] == BENCH_MMIO_LEVEL_PUD &&
		     (self->info.guards & BENCH_MMIO_GUARD_MREMAP);
	struct bench_mmio_stats a, b;
	char *p, *q, *dst;

	if (self->info.size < len)
		SKIP(return, "a backing of %llu MiB cannot hold 1 GiB", ULL(self->info.size >> 20));
	p = map(_metadata, self->fd, len, 0);
	write_pattern(p, SZ_2M, 0, seed);
	touch_all(p, len);
	get_stats(_metadata, self->fd, &a);
	dst = reserve_va(_metadata, len, SZ_1G, (u64)(uintptr_t)p & (SZ_1G - 1));
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	ASSERT_EQ(q, dst) TH_LOG("mremap: %s", q == MAP_FAILED ? strerror(errno) : "elsewhere");
	get_stats(_metadata, self->fd, &b);
	print_stats(_metadata, "after the move", &b);
	EXPECT_EQ(b.guard_zaps, a.guard_zaps + (guard ? 1 : 0));
	check_pattern(_metadata, "moved", q, SZ_2M, 0, seed);
	touch_all(q, len);
	get_stats(_metadata, self->fd, &b);
	if (guard)
		EXPECT_EQ(b.faults[BENCH_MMIO_LEVEL_PUD], a.faults[BENCH_MMIO_LEVEL_PUD] + 1);
	else
		EXPECT_EQ(total_faults(&b), total_faults(&a)) TH_LOG("the moved entries refaulted");
	unmap(_metadata, q, len);
}

/*
 * The same for the second GiB of a 2 GiB mapping: mremap() copies part of
 * the VMA and splits it only after the move (1G-aligned ends: ->may_split
 * zaps nothing), so the guard must find the part by its offsets.
 */
TEST_F_TIMEOUT(dev, mremap_move_part, 120)
{
	const u64 seed = 0x9999 ^ (u64)getpid();
	bool guard = self->info.max_level[self->s] == BENCH_MMIO_LEVEL_PUD &&
		     (self->info.guards & BENCH_MMIO_GUARD_MREMAP);
	struct bench_mmio_stats a, b;
	char *p, *q, *dst;

	if (self->info.size < 2 * SZ_1G)
		SKIP(return, "a backing of %llu MiB cannot hold 2 GiB", ULL(self->info.size >> 20));
	p = map(_metadata, self->fd, 2 * SZ_1G, 0);
	write_pattern(p + SZ_1G, SZ_2M, SZ_1G, seed);
	touch_all(p, 2 * SZ_1G);
	get_stats(_metadata, self->fd, &a);
	dst = reserve_va(_metadata, SZ_1G, SZ_1G, (u64)(uintptr_t)p & (SZ_1G - 1));
	q = mremap(p + SZ_1G, SZ_1G, SZ_1G, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (self->s == BENCH_MMIO_STRATEGY_REMAP && (self->info.guards & BENCH_MMIO_GUARD_REMAP_SPLIT)) {
		/* a split: refused, and the mapping is whole and intact */
		EXPECT_EQ(q, MAP_FAILED);
		EXPECT_EQ(errno, EINVAL);
		check_pattern(_metadata, "the GiB that stayed", p + SZ_1G, SZ_2M, SZ_1G, seed);
		unmap(_metadata, p, 2 * SZ_1G);
		return;
	}
	ASSERT_EQ(q, dst) TH_LOG("mremap: %s", q == MAP_FAILED ? strerror(errno) : "elsewhere");
	get_stats(_metadata, self->fd, &b);
	print_stats(_metadata, "after moving the second GiB", &b);
	EXPECT_EQ(b.guard_zaps, a.guard_zaps + (guard ? 1 : 0));
	check_pattern(_metadata, "moved GiB", q, SZ_2M, SZ_1G, seed);
	touch_all(p, SZ_1G);
	touch_all(q, SZ_1G);
	get_stats(_metadata, self->fd, &b);
	if (guard)
		EXPECT_EQ(total_faults(&b), total_faults(&a) + 1) TH_LOG("more than the moved GiB refaulted");
	else
		EXPECT_EQ(total_faults(&b), total_faults(&a)) TH_LOG("the moved entries refaulted");
	unmap(_metadata, p, SZ_1G);
	unmap(_metadata, q, SZ_1G);
}

/* The slots of the statistics mapping add up to GET_STATS. */
TEST_F(dev, stats_map)
{
	const u64 len = 16 * SZ_1M;
	struct bench_mmio_stats sum, st;
	const struct bench_mmio_stats *sp;
	char *p;

	if (!(self->info.features & BENCH_MMIO_FEAT_STATS_PAGE))
		SKIP(return, "the module was built without the statistics mapping");
	sp = map_stats(_metadata, self->fd, &self->info);
	p = map(_metadata, self->fd, len, 0);
	touch_all(p, len);
	sum_slots(&self->info, sp, &sum);
	get_stats(_metadata, self->fd, &st);
	expect_stats_equal(_metadata, self->name, &sum, &st);
	EXPECT_GT(sum.pages, 0);
	unmap(_metadata, p, len);
	unmap(_metadata, (void *)sp, self->info.stats_size);
}

/*
 * A debugger reads and writes the mapping through ptrace or /proc/PID/mem
 * (->access): it must see what the mapping holds, at every level.  Only
 * pages the process has touched: gup never faults a VM_PFNMAP page in, and
 * generic_access_phys() needs a present entry (an untouched page is EIO).
 */
TEST_F(dev, proc_mem)
{
	const u64 len = 64 * SZ_1M;
	volatile u64 *w;
	u64 v, off;
	char *p;
	int mem;

	if (!(self->info.features & BENCH_MMIO_FEAT_ACCESS))
		SKIP(return, "the module has no ->access (no ioremap_prot() on this arch)");
	mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	ASSERT_GE(mem, 0) TH_LOG("/proc/self/mem: %s", strerror(errno));
	p = map(_metadata, self->fd, len, 0);
	w = (volatile u64 *)p;
	for (off = 0; off < len; off += SZ_2M + SZ_4K)
		w[off / 8] = off ^ 0x5a5a5a5a5a5a5a5aULL;
	for (off = 0; off < len; off += SZ_2M + SZ_4K) {
		v = 0;
		EXPECT_EQ(pread(mem, &v, sizeof(v), (off_t)(uintptr_t)(p + off)), (ssize_t)sizeof(v))
			TH_LOG("%s: pread of /proc/self/mem at +%#llx: %s", self->name, ULL(off),
			       strerror(errno));
		EXPECT_EQ(v, off ^ 0x5a5a5a5a5a5a5a5aULL)
			TH_LOG("%s: /proc/self/mem read at +%#llx", self->name, ULL(off));
	}
	v = 0x1234567890abcdefULL;
	off = SZ_2M + SZ_4K + 64;		/* in a touched page */
	EXPECT_EQ(pwrite(mem, &v, sizeof(v), (off_t)(uintptr_t)(p + off)), (ssize_t)sizeof(v))
		TH_LOG("%s: pwrite of /proc/self/mem: %s", self->name, strerror(errno));
	EXPECT_EQ(w[off / 8], v) TH_LOG("%s: a /proc/self/mem write seen through the mapping",
					self->name);
	unmap(_metadata, p, len);
	close(mem);
}

/* ---------------------------------------------------------------------- */
/* Last: the kernel log of the whole run                                    */
/* ---------------------------------------------------------------------- */

#define KMSG_MARKER "mmio_selftest: start"
static int kmsg_fd = -1;
static bool kmsg_marker_written;

/* Before any test: remember where the kernel log was, and mark it. */
static void __attribute__((constructor)) kmsg_open(void)
{
	int w;

	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0)
		return;
	lseek(kmsg_fd, 0, SEEK_END);
	w = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	kmsg_marker_written = w >= 0 && write(w, KMSG_MARKER "\n", strlen(KMSG_MARKER) + 1) > 0;
	if (w >= 0)
		close(w);
}

FIXTURE(kernel_log) {
	int unused;
};

FIXTURE_SETUP(kernel_log)
{
}

FIXTURE_TEARDOWN(kernel_log)
{
}

/* No warning, BUG, Oops or PAT complaint in the kernel log since the tests began. */
TEST_F(kernel_log, clean)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection", "Call Trace", "bad pfn",
		"Bad page", "PAT:", "x86/PAT", "refcount_t:", "UBSAN:", "KASAN:",
	};
	struct bench_mmio_info info;
	char rec[8192];
	int n = 0, nbad = 0, fd;
	bool seen_marker = false;

	OPEN_DEVICE(fd, &info);
	close(fd);
	if (kmsg_fd < 0)
		SKIP(return, "/dev/kmsg could not be opened");
	for (;;) {
		ssize_t r = read(kmsg_fd, rec, sizeof(rec) - 1);
		char *msg;

		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (r <= 0)
			break;
		rec[r] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		msg[strcspn(msg, "\n")] = 0;
		n++;
		if (strstr(msg, KMSG_MARKER))
			seen_marker = true;
		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
			if (strstr(msg, bad[i])) {
				TH_LOG("kernel: %s", msg);
				nbad++;
				break;
			}
	}
	TH_LOG("%d kernel log records during the tests", n);
	EXPECT_EQ(nbad, 0) TH_LOG("suspicious kernel log records during the tests");
	EXPECT_TRUE(seen_marker || !kmsg_marker_written) TH_LOG("/dev/kmsg did not give back the start marker");
}

TEST_HARNESS_MAIN

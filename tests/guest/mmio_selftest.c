// SPDX-License-Identifier: GPL-2.0
/*
 * mmio_selftest - in-guest functional tests of /dev/bench_mmio.
 *
 * Written in the style of the kernel's tools/testing/selftests/mm/hmm-tests.c
 * but self-contained (tap.h is our own tiny TAP runner; libc only), so that it
 * can run from a busybox initramfs next to bench_mmio.ko.
 *
 * The tests do not take the kernel version as an option: they read the
 * module's GET_INFO capabilities and assert what THIS kernel must do.  With
 * core huge pfnmap support (CORE_PMD/CORE_PUD, 6.12+) the pmd and pud
 * strategies must map 2M/1G entries; without it (6.1) the core never calls
 * ->huge_fault on a pfnmap and every strategy faults 4K pages through ->fault.
 *
 * Expected fault counts come from a small model of the core's fault path
 * (model_touch()): for each 1G and 2M region of the VMA, in ascending order,
 * the core asks ->huge_fault for the largest level first while the entry at
 * that level is empty; the module inserts a huge entry only when the whole
 * region lies in the VMA and the virtual address is congruent to the
 * physical one, and counts a fallback otherwise.  Fault counts are exact;
 * fallback counts get a range where another VMA shares the region (its page
 * table may already exist, so the core may not ask at all) and because a
 * PMD fallback is asked again when a fault under the per-VMA lock is retried
 * under mmap_lock.
 *
 * Usage: mmio_selftest [--timeout S] [--list] [TEST...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
#include <unistd.h>

#include "bench_mmio_uapi.h"
#include "tap.h"

typedef uint64_t u64;

#define SZ_4K	0x1000ULL
#define SZ_1M	(1ULL << 20)
#define SZ_2M	(1ULL << 21)
#define SZ_1G	(1ULL << 30)
#define PAGES(len) ((u64)(len) / SZ_4K)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define MODULE_NAME "bench_mmio"

static const char *const strategy_name[BENCH_MMIO_NR_STRATEGIES] = {
	"remap", "pte", "bulk", "pmd", "pud",
};
static const char *const level_name[BENCH_MMIO_NR_LEVELS] = { "PTE", "PMD", "PUD" };
static const u64 level_size[BENCH_MMIO_NR_LEVELS] = { SZ_4K, SZ_2M, SZ_1G };

/* ---------------------------------------------------------------------- */
/* Helpers: the device                                                     */
/* ---------------------------------------------------------------------- */

static struct bench_mmio_info I;	/* GET_INFO of a fresh file, per test */

static int open_raw(void)
{
	int fd = open(BENCH_MMIO_DEVICE, O_RDWR | O_CLOEXEC);

	ASSERT(fd >= 0, "open %s: %s", BENCH_MMIO_DEVICE, strerror(errno));
	return fd;
}

static void get_info(int fd, struct bench_mmio_info *info)
{
	memset(info, 0xff, sizeof(*info));
	ASSERT(ioctl(fd, BENCH_MMIO_GET_INFO, info) == 0, "GET_INFO: %s", strerror(errno));
}

static void get_stats(int fd, struct bench_mmio_stats *st)
{
	memset(st, 0xff, sizeof(*st));
	ASSERT(ioctl(fd, BENCH_MMIO_GET_STATS, st) == 0, "GET_STATS: %s", strerror(errno));
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

/* Load I (and check the device is there) at the start of a test. */
static void need_info(void)
{
	int fd = open_raw();

	get_info(fd, &I);
	close(fd);
	ASSERT_EQ(I.abi_version, BENCH_MMIO_ABI_VERSION);
	ASSERT(I.size >= 64 * SZ_1M, "backing of %llu bytes is too small for the tests (64 MiB at least)",
	       (unsigned long long)I.size);
}

/* open /dev/bench_mmio with a strategy, an alignment and a cache mode; -1 keeps the default. */
static int open_dev(int strategy, int align, int cache)
{
	int fd = open_raw(), err;

	if (strategy >= 0) {
		err = dev_set(fd, BENCH_MMIO_SET_STRATEGY, strategy, 0, NULL);
		ASSERT(!err, "SET_STRATEGY %s: %s", strategy_name[strategy], strerror(err));
	}
	if (align >= 0) {
		err = dev_set(fd, BENCH_MMIO_SET_ALIGN, align, 0, NULL);
		ASSERT(!err, "SET_ALIGN %d: %s", align, strerror(err));
	}
	if (cache >= 0) {
		err = dev_set(fd, BENCH_MMIO_SET_CACHE, cache, 0, NULL);
		ASSERT(!err, "SET_CACHE %d: %s", cache, strerror(err));
	}
	return fd;
}

/* mmap(MAP_SHARED) that may fail: returns MAP_FAILED with errno. */
static void *try_map(int fd, void *addr, u64 len, u64 off, int flags)
{
	return mmap(addr, len, PROT_READ | PROT_WRITE, MAP_SHARED | flags, fd, (off_t)off);
}

/* errno of a mmap that must fail (unmapping it if it did not); 0 if it worked. */
static int map_errno(int fd, u64 len, u64 off, int flags)
{
	void *p = (void *)syscall(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static void *map(int fd, u64 len, u64 off)
{
	void *p = try_map(fd, NULL, len, off, 0);

	ASSERT(p != MAP_FAILED, "mmap(len %#llx, off %#llx): %s",
	       (unsigned long long)len, (unsigned long long)off, strerror(errno));
	return p;
}

/* A hole of len bytes whose start is congruent to `phase` modulo `align`. */
static void *reserve_va(u64 len, u64 align, u64 phase)
{
	u64 total = len + 2 * align;
	char *p = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	u64 a;

	ASSERT(p != MAP_FAILED, "reserve %#llx bytes of VA: %s", (unsigned long long)total,
	       strerror(errno));
	a = (((u64)(uintptr_t)p + align - 1) & ~(align - 1)) + phase;
	munmap(p, total);
	return (void *)(uintptr_t)a;
}

static void *map_fixed(int fd, void *addr, u64 len, u64 off)
{
	void *p = try_map(fd, addr, len, off, MAP_FIXED);

	ASSERT(p == addr, "mmap(MAP_FIXED %p, len %#llx, off %#llx): %s", addr,
	       (unsigned long long)len, (unsigned long long)off,
	       p == MAP_FAILED ? strerror(errno) : "moved");
	return p;
}

static void unmap(void *p, u64 len)
{
	ASSERT(munmap(p, len) == 0, "munmap: %s", strerror(errno));
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

/* ---------------------------------------------------------------------- */
/* Helpers: data patterns                                                   */
/* ---------------------------------------------------------------------- */

/* The value of the word at backing offset `off` for a given seed. */
static inline u64 pattern(u64 off, u64 seed)
{
	return (off ^ 0x5a5a5a5a5a5a5a5aULL) + (seed << 48);
}

/* Write the pattern over [p, p + len) that maps backing offset `off`. */
static void write_pattern(void *p, u64 len, u64 off, u64 seed)
{
	volatile u64 *w = p;

	for (u64 i = 0; i < len / 8; i++)
		w[i] = pattern(off + i * 8, seed);
}

/* Check every word (or every `step`-th byte); report the first mismatch. */
static bool check_pattern_step(const char *what, const void *p, u64 len, u64 off, u64 seed, u64 step)
{
	const volatile u64 *w = p;
	u64 bad = 0;

	for (u64 i = 0; i < len / 8; i += step / 8) {
		u64 v = w[i], want = pattern(off + i * 8, seed);

		if (v != want) {
			if (!bad)
				tap_record(TAP_FAIL, __FILE__, __LINE__,
					   "%s: word at backing offset %#llx is %#llx, wanted %#llx",
					   what, (unsigned long long)(off + i * 8),
					   (unsigned long long)v, (unsigned long long)want);
			bad++;
		}
	}
	if (bad)
		diag("%s: %llu bad words", what, (unsigned long long)bad);
	return !bad;
}

static bool check_pattern(const char *what, const void *p, u64 len, u64 off, u64 seed)
{
	return check_pattern_step(what, p, len, off, seed, 8);
}

/* ---------------------------------------------------------------------- */
/* Helpers: SIGBUS probes                                                   */
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
/* Helpers: what this kernel must do                                       */
/* ---------------------------------------------------------------------- */

static bool has(u64 cap)
{
	return (I.caps & cap) == cap;
}

/* The largest level the strategy must deliver on this kernel and CPU. */
static int expected_top(int s)
{
	bool pmd = has(BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_CPU_PMD | BENCH_MMIO_CAP_INSERT_PMD);
	bool pud = has(BENCH_MMIO_CAP_CORE_PUD | BENCH_MMIO_CAP_CPU_PUD | BENCH_MMIO_CAP_INSERT_PUD);

	if (s == BENCH_MMIO_STRATEGY_PUD && pud)
		return BENCH_MMIO_LEVEL_PUD;
	if ((s == BENCH_MMIO_STRATEGY_PUD || s == BENCH_MMIO_STRATEGY_PMD) && pmd)
		return BENCH_MMIO_LEVEL_PMD;
	return BENCH_MMIO_LEVEL_PTE;
}

/*
 * The alignment AUTO must give: the strategy's own largest size that fits in
 * len, whether or not this kernel can deliver it (6.1 and 6.12 runs map the
 * same addresses).
 */
static u64 auto_align_min(int s, u64 len)
{
	int top = s == BENCH_MMIO_STRATEGY_PUD ? BENCH_MMIO_LEVEL_PUD :
		  s == BENCH_MMIO_STRATEGY_PMD ? BENCH_MMIO_LEVEL_PMD : BENCH_MMIO_LEVEL_PTE;

	for (int l = top; l > 0; l--)
		if (len >= level_size[l])
			return level_size[l];
	return SZ_4K;
}

static u64 congruence(const void *va, u64 phys)
{
	return ((u64)(uintptr_t)va - phys);
}

static bool congruent(const void *va, u64 phys, u64 align)
{
	return (congruence(va, phys) & (align - 1)) == 0;
}

/* /proc/self/maps, to know which page-table regions other VMAs share. */
struct vma_list {
	int n;
	u64 start[1024], end[1024];
};

static void snapshot_vmas(struct vma_list *vl)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	vl->n = 0;
	ASSERT(f, "/proc/self/maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f) && vl->n < 1024) {
		unsigned long long s, e;

		if (sscanf(line, "%llx-%llx", &s, &e) == 2) {
			vl->start[vl->n] = s;
			vl->end[vl->n] = e;
			vl->n++;
		}
	}
	fclose(f);
}

/* Does a VMA other than [va, end) intersect [lo, hi)? */
static bool shared_region(const struct vma_list *vl, u64 va, u64 end, u64 lo, u64 hi)
{
	for (int i = 0; i < vl->n; i++) {
		if (vl->start[i] >= va && vl->end[i] <= end)
			continue;	/* ours */
		if (vl->start[i] < hi && vl->end[i] > lo)
			return true;
	}
	return false;
}

struct expect {
	u64 faults_min[BENCH_MMIO_NR_LEVELS], faults_max[BENCH_MMIO_NR_LEVELS];
	u64 fb_min[BENCH_MMIO_NR_LEVELS], fb_max[BENCH_MMIO_NR_LEVELS];
	u64 pages;
};

/* One mapping as the model sees it. */
struct model {
	u64 va, end, phys;		/* [va, end) maps phys at va */
	const struct vma_list *vl;	/* the VMAs right after the mmap */
	bool ask[BENCH_MMIO_NR_LEVELS];	/* the core offers ->huge_fault this level */
	bool can[BENCH_MMIO_NR_LEVELS];	/* the module can insert this level */
	u64 tries[BENCH_MMIO_NR_LEVELS];	/* ->huge_fault calls when it falls back */
};

/*
 * Touch [lo, hi) at `level`: each level-sized region is either one huge
 * fault, or a fallback (when offered) and then the next level down.  The
 * fallback is certain only when no other VMA shares the region (a neighbour
 * may have populated the table already), so it counts into fb_max always
 * and into fb_min only then.
 */
static void model_level(const struct model *m, int level, u64 lo, u64 hi, struct expect *e)
{
	u64 size = level_size[level];

	if (level == BENCH_MMIO_LEVEL_PTE) {
		e->faults_min[level] += PAGES(hi - lo);
		e->faults_max[level] += PAGES(hi - lo);
		e->pages += PAGES(hi - lo);
		return;
	}
	for (u64 r = lo & ~(size - 1); r < hi; r += size) {
		u64 rlo = r > lo ? r : lo, rhi = r + size < hi ? r + size : hi;

		if (m->ask[level]) {
			bool inside = r >= m->va && r + size <= m->end;

			if (inside && m->can[level] && ((m->phys + (r - m->va)) & (size - 1)) == 0) {
				e->faults_min[level]++;
				e->faults_max[level]++;
				e->pages += PAGES(size);
				continue;
			}
			if (!shared_region(m->vl, m->va, m->end, r, r + size))
				e->fb_min[level]++;
			e->fb_max[level] += m->tries[level];
		}
		model_level(m, level - 1, rlo, rhi, e);
	}
}

/*
 * What GET_STATS must say after touching every 4K page of [va, va + len),
 * ascending, right after mmap; `phys` is the physical address mapped at va.
 * vl: the VMAs right after the mmap (the mapping itself included).
 */
static void model_touch(int s, const void *vap, u64 len, u64 phys, const struct vma_list *vl,
			struct expect *e)
{
	struct model m = {
		.va = (u64)(uintptr_t)vap, .end = (u64)(uintptr_t)vap + len, .phys = phys, .vl = vl,
		.ask = {
			[BENCH_MMIO_LEVEL_PUD] = s == BENCH_MMIO_STRATEGY_PUD &&
						 has(BENCH_MMIO_CAP_CORE_PUD),
			[BENCH_MMIO_LEVEL_PMD] = (s == BENCH_MMIO_STRATEGY_PUD ||
						  s == BENCH_MMIO_STRATEGY_PMD) &&
						 has(BENCH_MMIO_CAP_CORE_PMD),
		},
		.can = {
			[BENCH_MMIO_LEVEL_PUD] = has(BENCH_MMIO_CAP_CPU_PUD | BENCH_MMIO_CAP_INSERT_PUD),
			[BENCH_MMIO_LEVEL_PMD] = has(BENCH_MMIO_CAP_CPU_PMD | BENCH_MMIO_CAP_INSERT_PMD),
		},
		/*
		 * Under the per-VMA lock (6.6+), ->fault of a VMA without
		 * ->map_pages is not called: the core returns VM_FAULT_RETRY
		 * and faults again under mmap_lock.  The PUD fallback of the
		 * first try has already put a PMD table in place, but the PMD
		 * entry is still empty: a 2M region that falls back is asked
		 * twice.  (Once when the VMA lock is not taken.)
		 */
		.tries = {
			[BENCH_MMIO_LEVEL_PUD] = 1,
			[BENCH_MMIO_LEVEL_PMD] = has(BENCH_MMIO_CAP_VMA_LOCK) ? 2 : 1,
		},
	};

	memset(e, 0, sizeof(*e));
	if (s == BENCH_MMIO_STRATEGY_REMAP) {
		e->pages = PAGES(len);	/* all at mmap, never a fault */
		return;
	}
	if (s == BENCH_MMIO_STRATEGY_BULK) {
		e->faults_min[BENCH_MMIO_LEVEL_PTE] = 1;
		e->faults_max[BENCH_MMIO_LEVEL_PTE] = 2;
		e->pages = PAGES(len);
		return;
	}
	model_level(&m, BENCH_MMIO_LEVEL_PUD, m.va, m.end, e);
}

static void print_stats(const char *what, const struct bench_mmio_stats *st)
{
	diag("%s: faults PTE %llu PMD %llu PUD %llu, fallbacks PTE %llu PMD %llu PUD %llu, pages %llu, sigbus %llu, zaps %llu, mmaps %llu, insert_errors %llu",
	     what,
	     (unsigned long long)st->faults[0], (unsigned long long)st->faults[1],
	     (unsigned long long)st->faults[2], (unsigned long long)st->fallbacks[0],
	     (unsigned long long)st->fallbacks[1], (unsigned long long)st->fallbacks[2],
	     (unsigned long long)st->pages, (unsigned long long)st->sigbus,
	     (unsigned long long)st->zaps, (unsigned long long)st->mmaps,
	     (unsigned long long)st->insert_errors);
}

static void range_str(char *buf, size_t n, u64 lo, u64 hi)
{
	if (lo == hi)
		snprintf(buf, n, "%llu", (unsigned long long)lo);
	else
		snprintf(buf, n, "%llu..%llu", (unsigned long long)lo, (unsigned long long)hi);
}

/* Compare stats with a model; returns true if they agree. */
static bool check_stats(const char *what, const struct bench_mmio_stats *st, const struct expect *e)
{
	bool ok = true;
	char a[3][48], b[3][48];

	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++) {
		range_str(a[l], sizeof(a[l]), e->faults_min[l], e->faults_max[l]);
		range_str(b[l], sizeof(b[l]), e->fb_min[l], e->fb_max[l]);
	}
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++) {
		if (st->faults[l] < e->faults_min[l] || st->faults[l] > e->faults_max[l]) {
			tap_record(TAP_FAIL, __FILE__, __LINE__, "%s: %llu %s faults, wanted %s", what,
				   (unsigned long long)st->faults[l], level_name[l], a[l]);
			ok = false;
		}
		if (st->fallbacks[l] < e->fb_min[l] || st->fallbacks[l] > e->fb_max[l]) {
			tap_record(TAP_FAIL, __FILE__, __LINE__, "%s: %llu %s fallbacks, wanted %s", what,
				   (unsigned long long)st->fallbacks[l], level_name[l], b[l]);
			ok = false;
		}
	}
	if (st->pages != e->pages) {
		tap_record(TAP_FAIL, __FILE__, __LINE__, "%s: pages %llu, wanted %llu", what,
			   (unsigned long long)st->pages, (unsigned long long)e->pages);
		ok = false;
	}
	if (st->sigbus || st->insert_errors) {
		tap_record(TAP_FAIL, __FILE__, __LINE__, "%s: sigbus %llu insert_errors %llu, wanted 0",
			   what, (unsigned long long)st->sigbus, (unsigned long long)st->insert_errors);
		ok = false;
	}
	if (!ok) {
		print_stats(what, st);
		diag("%s: wanted faults PTE %s PMD %s PUD %s, fallbacks PTE %s PMD %s PUD %s, pages %llu",
		     what, a[0], a[1], a[2], b[0], b[1], b[2], (unsigned long long)e->pages);
	}
	return ok;
}

/*
 * Map len bytes at offset off of a new file (strategy s, alignment align) at
 * addr (NULL: let the kernel pick; else MAP_FIXED), touch every page and
 * check the fault counts against the model.  Returns the mapping; *fdp gets
 * the file.
 */
static void *map_touch_check(const char *what, int s, int align, void *addr, u64 len, u64 off,
			     int *fdp)
{
	struct bench_mmio_stats st;
	struct vma_list *vl = malloc(sizeof(*vl));
	struct expect e;
	int fd = open_dev(s, align, BENCH_MMIO_CACHE_UC);
	void *p = addr ? map_fixed(fd, addr, len, off) : map(fd, len, off);

	ASSERT(vl, "malloc");
	get_stats(fd, &st);
	EXPECT_EQ(st.mmaps, 1);
	EXPECT_EQ(st.faults[0] + st.faults[1] + st.faults[2], 0);
	EXPECT(st.pages == (s == BENCH_MMIO_STRATEGY_REMAP ? PAGES(len) : 0),
	       "%s: %llu pages present right after mmap", what, (unsigned long long)st.pages);
	snapshot_vmas(vl);
	model_touch(s, p, len, I.phys_base + off, vl, &e);
	free(vl);
	touch_all(p, len);
	get_stats(fd, &st);
	if (check_stats(what, &st, &e))
		diag("%s at %p (VA - PA = %#llx): faults PTE %llu PMD %llu PUD %llu, fallbacks PMD %llu PUD %llu: as expected",
		     what, p, (unsigned long long)congruence(p, I.phys_base + off),
		     (unsigned long long)st.faults[0], (unsigned long long)st.faults[1],
		     (unsigned long long)st.faults[2], (unsigned long long)st.fallbacks[1],
		     (unsigned long long)st.fallbacks[2]);
	*fdp = fd;
	return p;
}

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

/* ---------------------------------------------------------------------- */
/* 1. info                                                                  */
/* ---------------------------------------------------------------------- */

static void test_info(void)
{
	struct bench_mmio_info info;
	struct utsname u;
	int fd = open_raw(), maj = 0, min = 0;

	get_info(fd, &info);
	I = info;
	diag("abi %llu backing %llu phys %#llx size %#llx (%llu MiB) pci %04llx:%02llx:%02llx.%llu bar %llu id %04llx:%04llx",
	     (unsigned long long)info.abi_version, (unsigned long long)info.backing_kind,
	     (unsigned long long)info.phys_base, (unsigned long long)info.size,
	     (unsigned long long)(info.size >> 20), (unsigned long long)info.pci_domain,
	     (unsigned long long)info.pci_bus, (unsigned long long)(info.pci_devfn >> 3),
	     (unsigned long long)(info.pci_devfn & 7), (unsigned long long)info.pci_bar,
	     (unsigned long long)info.pci_vendor, (unsigned long long)info.pci_device);
	diag("caps %#llx:%s%s%s%s%s%s%s%s strategies %#llx max_level remap %s pte %s bulk %s pmd %s pud %s",
	     (unsigned long long)info.caps,
	     has(BENCH_MMIO_CAP_CPU_PMD) ? " CPU_PMD" : "", has(BENCH_MMIO_CAP_CPU_PUD) ? " CPU_PUD" : "",
	     has(BENCH_MMIO_CAP_CORE_PMD) ? " CORE_PMD" : "", has(BENCH_MMIO_CAP_CORE_PUD) ? " CORE_PUD" : "",
	     has(BENCH_MMIO_CAP_INSERT_PMD) ? " INSERT_PMD" : "",
	     has(BENCH_MMIO_CAP_INSERT_PUD) ? " INSERT_PUD" : "",
	     has(BENCH_MMIO_CAP_PAT) ? " PAT" : "", has(BENCH_MMIO_CAP_VMA_LOCK) ? " VMA_LOCK" : "",
	     (unsigned long long)info.strategies,
	     info.max_level[0] < 3 ? level_name[info.max_level[0]] : "?",
	     info.max_level[1] < 3 ? level_name[info.max_level[1]] : "?",
	     info.max_level[2] < 3 ? level_name[info.max_level[2]] : "?",
	     info.max_level[3] < 3 ? level_name[info.max_level[3]] : "?",
	     info.max_level[4] < 3 ? level_name[info.max_level[4]] : "?");

	EXPECT_EQ(info.abi_version, BENCH_MMIO_ABI_VERSION);
	EXPECT(info.size > 0 && info.size % SZ_4K == 0, "size %#llx", (unsigned long long)info.size);
	EXPECT(info.phys_base % SZ_4K == 0, "phys_base %#llx not page aligned",
	       (unsigned long long)info.phys_base);
	EXPECT_EQ(info.backing_kind, BENCH_MMIO_BACKING_PCI_BAR);
	if (info.backing_kind == BENCH_MMIO_BACKING_PCI_BAR) {
		/* A BAR is naturally aligned; the test VM puts it at a 1G boundary. */
		EXPECT(info.phys_base % min_u64(info.size, SZ_1G) == 0,
		       "BAR at %#llx is not aligned to min(size, 1G)", (unsigned long long)info.phys_base);
		EXPECT(info.pci_vendor != 0 && info.pci_vendor != 0xffff, "pci_vendor %#llx",
		       (unsigned long long)info.pci_vendor);
		EXPECT(info.pci_bar < 6, "pci_bar %llu", (unsigned long long)info.pci_bar);
	}
	EXPECT_EQ(info.strategies, (1ULL << BENCH_MMIO_NR_STRATEGIES) - 1);
	EXPECT_EQ(info.page_shift, 12);
	EXPECT_EQ(info.pmd_shift, 21);
	EXPECT_EQ(info.pud_shift, 30);
	EXPECT(info.default_strategy < BENCH_MMIO_NR_STRATEGIES, "default_strategy %llu",
	       (unsigned long long)info.default_strategy);
	EXPECT_EQ(info.strategy, info.default_strategy);
	EXPECT_EQ(info.align, BENCH_MMIO_ALIGN_AUTO);
	EXPECT_EQ(info.cache, BENCH_MMIO_CACHE_UC);
	EXPECT_EQ(info.revoked, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(info.reserved); i++)
		EXPECT(info.reserved[i] == 0, "reserved[%u] = %#llx", i,
		       (unsigned long long)info.reserved[i]);

	/* caps against what the kernel must be able to do */
#if defined(__x86_64__)
	EXPECT(has(BENCH_MMIO_CAP_CPU_PMD), "x86-64 always has 2M pages");
#endif
	if (!uname(&u) && sscanf(u.release, "%d.%d", &maj, &min) == 2) {
		diag("kernel %s", u.release);
#if defined(__x86_64__)
		if (maj > 6 || (maj == 6 && min >= 12)) {
			/* x86-64 selects ARCH_SUPPORTS_{PMD,PUD}_PFNMAP since 6.12 */
			EXPECT(has(BENCH_MMIO_CAP_CORE_PMD), "kernel %s must call ->huge_fault(PMD) on pfnmaps", u.release);
			EXPECT(has(BENCH_MMIO_CAP_CORE_PUD), "kernel %s must call ->huge_fault(PUD) on pfnmaps", u.release);
		}
		EXPECT(has(BENCH_MMIO_CAP_INSERT_PMD), "vmf_insert_pfn_pmd() exists on every supported kernel");
#endif
		if (maj > 6 || (maj == 6 && min >= 6))
			EXPECT(has(BENCH_MMIO_CAP_VMA_LOCK), "kernel %s runs file faults under the VMA lock", u.release);
	}
	for (int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++)
		EXPECT(info.max_level[s] == (u64)expected_top(s), "max_level[%s] = %llu, caps say %s",
		       strategy_name[s], (unsigned long long)info.max_level[s], level_name[expected_top(s)]);

	/* a file reports its own settings */
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_PUD, 0, NULL), 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), 0);
	get_info(fd, &info);
	EXPECT_EQ(info.strategy, BENCH_MMIO_STRATEGY_PMD);
	EXPECT_EQ(info.align, BENCH_MMIO_ALIGN_PUD);
	EXPECT_EQ(info.cache, BENCH_MMIO_CACHE_WC);
	close(fd);

	/* ... and a fresh file starts from the defaults again */
	fd = open_raw();
	get_info(fd, &info);
	EXPECT_EQ(info.strategy, info.default_strategy);
	EXPECT_EQ(info.align, BENCH_MMIO_ALIGN_AUTO);
	EXPECT_EQ(info.cache, BENCH_MMIO_CACHE_UC);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* 2. misuse                                                                */
/* ---------------------------------------------------------------------- */

static void test_misuse(void)
{
	struct bench_mmio_stats st;
	struct bench_mmio_range r;
	u64 old = 0, prev;
	void *p;
	int fd;

	need_info();
	fd = open_raw();

	/* mmap */
	EXPECT_EQ(map_errno(fd, SZ_2M, 0, MAP_PRIVATE), EINVAL);
	EXPECT_EQ(map_errno(fd, I.size + SZ_4K, 0, MAP_SHARED), EINVAL);		/* length past the end */
	EXPECT_EQ(map_errno(fd, SZ_4K, I.size, MAP_SHARED), EINVAL);			/* offset at the end */
	EXPECT_EQ(map_errno(fd, SZ_4K, I.size + SZ_1G, MAP_SHARED), EINVAL);		/* offset past the end */
	EXPECT_EQ(map_errno(fd, 2 * SZ_4K, I.size - SZ_4K, MAP_SHARED), EINVAL);	/* straddles the end */
	/* offset + length near 2^63: the driver must not wrap */
	EXPECT_EQ(map_errno(fd, 2 * SZ_2M, (1ULL << 63) - SZ_4K, MAP_SHARED), EINVAL);
	/* offset + length past 2^64: the core may refuse first (EOVERFLOW) */
	{
		int err = map_errno(fd, 2 * SZ_4K, ~0ULL & ~(SZ_4K - 1), MAP_SHARED);

		EXPECT(err == EINVAL || err == EOVERFLOW, "mmap at offset 2^64 - 4K: %s", strerror(err));
	}
	get_stats(fd, &st);
	EXPECT_EQ(st.mmaps, 0);

	/* ioctls */
	EXPECT_ERRNO(ioctl(fd, _IO(BENCH_MMIO_IOC_MAGIC, 0x7f)), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, _IOR(BENCH_MMIO_IOC_MAGIC, 0x09, struct bench_mmio_stats), &st), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, _IOR('x', 0x00, struct bench_mmio_info), &I), ENOTTY);
	/* the right number with the wrong size is not GET_INFO either */
	EXPECT_ERRNO(ioctl(fd, _IOR(BENCH_MMIO_IOC_MAGIC, 0x00, u64), &old), ENOTTY);

	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, 99, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_NR_STRATEGIES, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, 99, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_NR_ALIGNS, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, 99, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_NR_CACHES, 0, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PTE, 1, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_AUTO, 1ULL << 63, NULL), EINVAL);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_UC, 2, NULL), EINVAL);

	/* every advertised strategy can be chosen; `old` is the previous value */
	prev = I.default_strategy;
	for (int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++) {
		int err = dev_set(fd, BENCH_MMIO_SET_STRATEGY, s, 0, &old);

		if (I.strategies & (1ULL << s)) {
			EXPECT(err == 0, "SET_STRATEGY %s: %s", strategy_name[s], strerror(err));
			if (!err) {
				EXPECT(old == prev, "SET_STRATEGY %s: old %llu, wanted %llu",
				       strategy_name[s], (unsigned long long)old, (unsigned long long)prev);
				prev = s;
			}
		} else {
			EXPECT(err == EOPNOTSUPP, "SET_STRATEGY of compiled-out %s: %s, wanted EOPNOTSUPP",
			       strategy_name[s], strerror(err));
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
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_GET_INFO, NULL), EFAULT);
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_GET_STATS, (void *)8), EFAULT);
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_SET_STRATEGY, NULL), EFAULT);
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_SET_ALIGN, NULL), EFAULT);
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_SET_CACHE, NULL), EFAULT);
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, NULL), EFAULT);

	/* ZAP ranges */
	r = (struct bench_mmio_range){ .offset = 100, .length = SZ_4K };
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, &r), EINVAL);
	r = (struct bench_mmio_range){ .offset = SZ_4K, .length = SZ_4K + 1 };
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, &r), EINVAL);
	r = (struct bench_mmio_range){ .offset = I.size + SZ_4K, .length = SZ_4K };
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, &r), EINVAL);
	r = (struct bench_mmio_range){ .offset = I.size - SZ_4K, .length = 2 * SZ_4K };
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, &r), EINVAL);
	r = (struct bench_mmio_range){ .offset = 0, .length = I.size + SZ_4K };
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, &r), EINVAL);
	r = (struct bench_mmio_range){ .offset = SZ_4K, .length = ~0ULL & ~(SZ_4K - 1) };
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, &r), EINVAL);
	r = (struct bench_mmio_range){ .offset = 0, .length = SZ_4K, .flags = 1 };
	EXPECT_ERRNO(ioctl(fd, BENCH_MMIO_ZAP, &r), EINVAL);
	r = (struct bench_mmio_range){ .offset = 0, .length = SZ_4K };
	EXPECT(ioctl(fd, BENCH_MMIO_ZAP, &r) == 0, "ZAP of an unmapped range: %s", strerror(errno));
	r = (struct bench_mmio_range){ .offset = SZ_2M, .length = 0 };
	EXPECT(ioctl(fd, BENCH_MMIO_ZAP, &r) == 0, "ZAP to the end: %s", strerror(errno));

	/* RESET_STATS zeroes */
	EXPECT(ioctl(fd, BENCH_MMIO_RESET_STATS) == 0, "RESET_STATS: %s", strerror(errno));
	get_stats(fd, &st);
	EXPECT_EQ(st.zaps, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(st.reserved); i++)
		EXPECT(st.reserved[i] == 0, "stats.reserved[%u] = %#llx", i,
		       (unsigned long long)st.reserved[i]);

	/* SET_* while the file has a mapping; allowed again once it is gone */
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PTE, 0, NULL), 0);
	p = map(fd, SZ_2M, 0);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), EBUSY);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_NONE, 0, NULL), EBUSY);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), EBUSY);
	get_info(fd, &I);
	EXPECT_EQ(I.strategy, BENCH_MMIO_STRATEGY_PTE);
	unmap(p, SZ_2M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD, 0, NULL), 0);

	/* a misaligned MAP_FIXED address is used as it is, and works (4K pages) */
	p = reserve_va(SZ_2M * 2, SZ_2M, SZ_4K);
	map_fixed(fd, p, SZ_2M * 2, 0);
	touch_all(p, SZ_2M * 2);
	get_stats(fd, &st);
	EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PMD], 0);
	EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PTE], PAGES(SZ_2M * 2));
	unmap(p, SZ_2M * 2);

	/* unmap in pieces: the file's mapping count still drops to zero */
	p = map(fd, SZ_2M * 4, 0);
	unmap((char *)p + SZ_2M, SZ_2M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), EBUSY);
	unmap(p, SZ_2M);
	unmap((char *)p + 2 * SZ_2M, 2 * SZ_2M);
	EXPECT_EQ(dev_set(fd, BENCH_MMIO_SET_CACHE, BENCH_MMIO_CACHE_WC, 0, NULL), 0);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* 3. fault counts by level                                                 */
/* ---------------------------------------------------------------------- */

static void fault_case(int s, u64 len)
{
	char what[64];
	void *p;
	int fd;

	snprintf(what, sizeof(what), "%s %llu MiB", strategy_name[s], (unsigned long long)(len >> 20));
	p = map_touch_check(what, s, BENCH_MMIO_ALIGN_AUTO, NULL, len, 0, &fd);
	/* align auto: the model assumed nothing about the VA; check it was aligned */
	EXPECT(congruent(p, I.phys_base, auto_align_min(s, len)),
	       "%s: align auto gave VA %p, not congruent to PA %#llx mod %#llx", what, p,
	       (unsigned long long)I.phys_base, (unsigned long long)auto_align_min(s, len));
	unmap(p, len);
	close(fd);
}

static void test_faults(void)
{
	u64 big = 2 * SZ_1G;

	need_info();
	diag("%s kernel: pmd strategy -> %s, pud strategy -> %s",
	     has(BENCH_MMIO_CAP_CORE_PMD) ? "huge-pfnmap" : "no-huge-pfnmap",
	     level_name[expected_top(BENCH_MMIO_STRATEGY_PMD)],
	     level_name[expected_top(BENCH_MMIO_STRATEGY_PUD)]);
	for (int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++)
		fault_case(s, 64 * SZ_1M);
	fault_case(BENCH_MMIO_STRATEGY_PMD, 256 * SZ_1M);
	fault_case(BENCH_MMIO_STRATEGY_PUD, 256 * SZ_1M);

	/*
	 * mmap(NULL) usually shares its 1G region with other VMAs whose page
	 * tables are already there, so the core never asks for a PUD.  Place a
	 * 64M pud mapping alone in an empty 1G region: the first touch must be
	 * offered as a PUD, and fall back (the VMA is smaller than 1G).
	 */
	{
		const u64 len = 64 * SZ_1M;
		struct bench_mmio_stats st;
		void *hole = reserve_va(SZ_1G, SZ_1G, I.phys_base & (SZ_1G - 1));
		void *p;
		int fd;

		p = map_touch_check("pud 64 MiB alone in a 1G region", BENCH_MMIO_STRATEGY_PUD,
				    BENCH_MMIO_ALIGN_AUTO, hole, len, 0, &fd);
		get_stats(fd, &st);
		if (has(BENCH_MMIO_CAP_CORE_PUD))
			EXPECT(st.fallbacks[BENCH_MMIO_LEVEL_PUD] >= 1,
			       "pud 64 MiB alone: no PUD fallback (%llu)",
			       (unsigned long long)st.fallbacks[BENCH_MMIO_LEVEL_PUD]);
		else
			EXPECT_EQ(st.fallbacks[BENCH_MMIO_LEVEL_PUD], 0);
		unmap(p, len);
		close(fd);
	}
	if (I.size < big) {
		SKIP("backing of %llu MiB: no 2 GiB cases", (unsigned long long)(I.size >> 20));
	}
	for (int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++)
		fault_case(s, big);
}

/* ---------------------------------------------------------------------- */
/* 4. alignment of mmap(NULL)                                               */
/* ---------------------------------------------------------------------- */

static void *map_only(int s, int align, u64 len, u64 off, int *fdp)
{
	int fd = open_dev(s, align, BENCH_MMIO_CACHE_UC);

	*fdp = fd;
	return map(fd, len, off);
}

static void test_align(void)
{
	struct bench_mmio_stats st;
	u64 big, pa;
	void *p;
	int fd;
	bool skip_none = false;

	need_info();
	big = min_u64(2 * SZ_1G, I.size);

	/* the auto hook */
	p = map_only(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, big, 0, &fd);
	diag("auto pud %llu MiB: VA %p", (unsigned long long)(big >> 20), p);
	EXPECT(congruent(p, I.phys_base, auto_align_min(BENCH_MMIO_STRATEGY_PUD, big)),
	       "auto pud: VA %p not congruent to PA mod %#llx", p,
	       (unsigned long long)auto_align_min(BENCH_MMIO_STRATEGY_PUD, big));
	unmap(p, big);
	close(fd);
	p = map_only(BENCH_MMIO_STRATEGY_PMD, BENCH_MMIO_ALIGN_AUTO, 64 * SZ_1M, 0, &fd);
	EXPECT(congruent(p, I.phys_base, auto_align_min(BENCH_MMIO_STRATEGY_PMD, 64 * SZ_1M)),
	       "auto pmd 64M: VA %p not 2M aligned", p);
	unmap(p, 64 * SZ_1M);
	close(fd);
	p = map_only(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, 64 * SZ_1M, 0, &fd);
	EXPECT(congruent(p, I.phys_base, auto_align_min(BENCH_MMIO_STRATEGY_PUD, 64 * SZ_1M)),
	       "auto pud 64M: VA %p not 2M aligned", p);
	unmap(p, 64 * SZ_1M);
	close(fd);

	/* explicit policies, whatever the strategy */
	p = map_only(BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_PUD, 64 * SZ_1M, 0, &fd);
	EXPECT(congruent(p, I.phys_base, SZ_1G), "ALIGN_PUD pte 64M: VA %p", p);
	unmap(p, 64 * SZ_1M);
	close(fd);
	p = map_only(BENCH_MMIO_STRATEGY_REMAP, BENCH_MMIO_ALIGN_PMD, 8 * SZ_1M, 0, &fd);
	EXPECT(congruent(p, I.phys_base, SZ_2M), "ALIGN_PMD remap 8M: VA %p", p);
	unmap(p, 8 * SZ_1M);
	close(fd);
	/* congruent to the PA of the offset, not to the start of the backing */
	pa = I.phys_base + SZ_1M + SZ_4K;
	p = map_only(BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_PMD, 8 * SZ_1M, SZ_1M + SZ_4K, &fd);
	EXPECT(congruent(p, pa, SZ_2M), "ALIGN_PMD at offset 1M+4K: VA %p, PA %#llx", p,
	       (unsigned long long)pa);
	unmap(p, 8 * SZ_1M);
	close(fd);

	/* auto pmd at an offset that is not 2M aligned: the hook keeps VA = PA mod 2M, so PMDs still fit inside */
	p = map_touch_check("auto pmd 64M at offset 1M", BENCH_MMIO_STRATEGY_PMD, BENCH_MMIO_ALIGN_AUTO,
			    NULL, 64 * SZ_1M, SZ_1M, &fd);
	EXPECT(congruent(p, I.phys_base + SZ_1M, auto_align_min(BENCH_MMIO_STRATEGY_PMD, 64 * SZ_1M)),
	       "auto pmd at offset 1M: VA %p", p);
	unmap(p, 64 * SZ_1M);
	close(fd);

	/* ALIGN_PMD on pud: PMDs, and a PUD fallback per 1G region unless the VA is 1G congruent */
	p = map_touch_check("ALIGN_PMD pud", BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_PMD, NULL, big, 0, &fd);
	EXPECT(congruent(p, I.phys_base, SZ_2M), "ALIGN_PMD pud: VA %p", p);
	unmap(p, big);
	close(fd);

	/* ALIGN_NONE on pud: whatever VA the kernel picks, the module must cope */
	p = map_touch_check("ALIGN_NONE pud", BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_NONE, NULL, big, 0, &fd);
	get_stats(fd, &st);
	diag("ALIGN_NONE pud %llu MiB: VA %p, VA - PA = %#llx", (unsigned long long)(big >> 20), p,
	     (unsigned long long)congruence(p, I.phys_base));
	if (congruent(p, I.phys_base, SZ_1G)) {
		skip_none = true;
	} else if (!congruent(p, I.phys_base, SZ_2M)) {
		/* no huge entry can fit: all PTEs, and the core was told so at both levels */
		EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PUD], 0);
		EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PMD], 0);
		EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PTE], PAGES(big));
		if (has(BENCH_MMIO_CAP_CORE_PUD))
			EXPECT(st.fallbacks[BENCH_MMIO_LEVEL_PUD] > 0, "no PUD fallback for a misaligned VA");
		if (has(BENCH_MMIO_CAP_CORE_PMD))
			EXPECT(st.fallbacks[BENCH_MMIO_LEVEL_PMD] > 0, "no PMD fallback for a misaligned VA");
	} else {
		/* 2M but not 1G congruent: PMDs only */
		EXPECT_EQ(st.faults[BENCH_MMIO_LEVEL_PUD], 0);
		if (has(BENCH_MMIO_CAP_CORE_PUD))
			EXPECT(st.fallbacks[BENCH_MMIO_LEVEL_PUD] > 0, "no PUD fallback for a misaligned VA");
	}
	unmap(p, big);
	close(fd);
	if (skip_none)
		SKIP("ALIGN_NONE: the kernel happened to return a 1G-congruent VA (%p); misaligned case not exercised", p);
}

/* ---------------------------------------------------------------------- */
/* 5. data integrity across strategies                                      */
/* ---------------------------------------------------------------------- */

static void test_integrity(void)
{
	const u64 len = 8 * SZ_1M, seed = 0x1234 ^ (u64)getpid();
	u64 offs[2], big;
	char what[96];
	int fd_pte, fd;
	void *w[2], *p;

	need_info();
	big = min_u64(2 * SZ_1G, I.size);
	offs[0] = 0;
	/* straddle the 1G boundary when the backing has one, else the middle */
	offs[1] = I.size >= SZ_1G + len ? SZ_1G - len / 2 : (I.size / 2) & ~(SZ_2M - 1);

	/* write through pte */
	fd_pte = open_dev(BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	for (int i = 0; i < 2; i++) {
		w[i] = map(fd_pte, len, offs[i]);
		write_pattern(w[i], len, offs[i], seed);
		ASSERT(check_pattern("pte write/read back", w[i], len, offs[i], seed),
		       "the pte mapping does not read back what it wrote");
	}

	/* read back through pud (one big mapping), remap, pmd and a WC pte file */
	fd = open_dev(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	p = map(fd, big, 0);
	for (int i = 0; i < 2; i++) {
		if (offs[i] + len > big)
			continue;
		snprintf(what, sizeof(what), "pud read at %#llx", (unsigned long long)offs[i]);
		check_pattern(what, (char *)p + offs[i], len, offs[i], seed);
	}
	unmap(p, big);
	close(fd);

	for (int s = 0; s < 3; s++) {
		static const int strat[3] = { BENCH_MMIO_STRATEGY_REMAP, BENCH_MMIO_STRATEGY_PMD, BENCH_MMIO_STRATEGY_BULK };

		fd = open_dev(strat[s], BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
		for (int i = 0; i < 2; i++) {
			p = map(fd, len, offs[i]);
			snprintf(what, sizeof(what), "%s read at %#llx", strategy_name[strat[s]],
				 (unsigned long long)offs[i]);
			check_pattern(what, p, len, offs[i], seed);
			unmap(p, len);
		}
		close(fd);
	}
	fd = open_dev(BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_WC);
	p = map(fd, len, offs[1]);
	check_pattern("pte WC read", p, len, offs[1], seed);
	unmap(p, len);
	close(fd);

	/* misaligned MAP_FIXED pmd and pud mappings (VA = PA + 4K mod 2M): 4K pages, same data */
	for (int s = BENCH_MMIO_STRATEGY_PMD; s <= BENCH_MMIO_STRATEGY_PUD; s++) {
		fd = open_dev(s, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
		for (int i = 0; i < 2; i++) {
			p = reserve_va(len, SZ_2M, ((offs[i] + I.phys_base) & (SZ_2M - 1)) + SZ_4K);
			map_fixed(fd, p, len, offs[i]);
			snprintf(what, sizeof(what), "%s MAP_FIXED misaligned read at %#llx",
				 strategy_name[s], (unsigned long long)offs[i]);
			check_pattern(what, p, len, offs[i], seed);
			unmap(p, len);
		}
		close(fd);
	}

	/* write through pmd (2M entries where available), read through pte */
	if (I.size >= 64 * SZ_1M + 4 * SZ_2M) {
		const u64 off = 64 * SZ_1M, l2 = 4 * SZ_2M, seed2 = seed + 1;
		void *q;

		fd = open_dev(BENCH_MMIO_STRATEGY_PMD, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
		p = map(fd, l2, off);
		write_pattern(p, l2, off, seed2);
		q = map(fd_pte, l2, off);
		check_pattern("pmd write, pte read", q, l2, off, seed2);
		unmap(q, l2);
		unmap(p, l2);
		close(fd);
	}
	/* the first writes are intact */
	for (int i = 0; i < 2; i++) {
		check_pattern("pte read again", w[i], len, offs[i], seed);
		unmap(w[i], len);
	}
	close(fd_pte);
}

/* ---------------------------------------------------------------------- */
/* 6. zap                                                                   */
/* ---------------------------------------------------------------------- */

static void zap(int fd, u64 off, u64 len)
{
	struct bench_mmio_range r = { .offset = off, .length = len };

	ASSERT(ioctl(fd, BENCH_MMIO_ZAP, &r) == 0, "ZAP(%#llx, %#llx): %s", (unsigned long long)off,
	       (unsigned long long)len, strerror(errno));
}

static void zap_case(int s)
{
	const u64 len = 16 * SZ_1M, seed = 0x2222 ^ (u64)getpid();
	struct bench_mmio_stats a, b;
	char what[64];
	void *p;
	int fd;

	snprintf(what, sizeof(what), "zap %s 16 MiB", strategy_name[s]);
	p = map_touch_check(what, s, BENCH_MMIO_ALIGN_AUTO, NULL, len, 0, &fd);
	write_pattern(p, len, 0, seed);
	get_stats(fd, &a);

	/* whole backing: every entry goes, every page faults again at the same level */
	zap(fd, 0, 0);
	touch_all(p, len);
	get_stats(fd, &b);
	print_stats(what, &b);
	EXPECT_EQ(b.zaps, a.zaps + 1);
	for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
		EXPECT(b.faults[l] == 2 * a.faults[l], "%s: %s faults %llu after the zap, wanted %llu", what,
		       level_name[l], (unsigned long long)b.faults[l], (unsigned long long)(2 * a.faults[l]));
	EXPECT_EQ(b.pages, 2 * a.pages);
	EXPECT(a.faults[0] + a.faults[1] + a.faults[2] > 0, "%s: no faults at all", what);
	check_pattern(what, p, len, 0, seed);

	/* an aligned 2M range in the middle: only that refaults */
	zap(fd, 4 * SZ_2M, SZ_2M);
	touch_all(p, len);
	get_stats(fd, &a);
	if (expected_top(s) >= BENCH_MMIO_LEVEL_PMD) {
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PMD], b.faults[BENCH_MMIO_LEVEL_PMD] + 1);
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PTE], b.faults[BENCH_MMIO_LEVEL_PTE]);
	} else {
		EXPECT_EQ(a.faults[BENCH_MMIO_LEVEL_PTE], b.faults[BENCH_MMIO_LEVEL_PTE] + PAGES(SZ_2M));
	}
	check_pattern(what, p, len, 0, seed);

	/* a zap of a range nobody maps changes nothing here */
	zap(fd, len, SZ_2M);
	touch_all(p, len);
	get_stats(fd, &b);
	EXPECT_EQ(b.faults[0] + b.faults[1] + b.faults[2], a.faults[0] + a.faults[1] + a.faults[2]);
	unmap(p, len);
	close(fd);
}

static void test_zap(void)
{
	need_info();
	zap_case(BENCH_MMIO_STRATEGY_PTE);
	zap_case(BENCH_MMIO_STRATEGY_PMD);
	zap_case(BENCH_MMIO_STRATEGY_PUD);
}

/* ---------------------------------------------------------------------- */
/* 7. revoke / restore                                                      */
/* ---------------------------------------------------------------------- */

static void revoke_case(int s, u64 len)
{
	const u64 seed = 0x3333 ^ (u64)getpid(), chunk = 64 * 1024;
	struct bench_mmio_stats st;
	struct bench_mmio_info info;
	u64 probes[4] = { 0, SZ_2M + SZ_4K, len / 2, len - SZ_4K }, v;
	int fd, other, nbus = 0;
	char *p;

	fd = open_dev(s, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	other = open_raw();
	p = map(fd, len, 0);
	for (int i = 0; i < 4; i++)
		write_pattern(p + probes[i], chunk > len - probes[i] ? len - probes[i] : chunk, probes[i], seed);
	touch_all(p, len);

	ASSERT(ioctl(other, BENCH_MMIO_REVOKE) == 0, "REVOKE: %s", strerror(errno));
	get_info(fd, &info);
	EXPECT_EQ(info.revoked, 1);
	for (int i = 0; i < 4; i++) {
		int r = probe_read((const volatile u64 *)(p + probes[i]), &v);

		EXPECT(r == -1, "%s: read at +%#llx after REVOKE did not SIGBUS (read %#llx)",
		       strategy_name[s], (unsigned long long)probes[i], (unsigned long long)v);
		nbus += r == -1;
	}
	EXPECT(probe_write((volatile u64 *)(p + SZ_4K), 1) == -1, "%s: write after REVOKE did not SIGBUS",
	       strategy_name[s]);
	get_stats(fd, &st);
	print_stats("after REVOKE", &st);
	EXPECT(st.sigbus >= (u64)nbus && st.sigbus >= 1, "%s: stats.sigbus %llu after %d SIGBUS",
	       strategy_name[s], (unsigned long long)st.sigbus, nbus);
	get_stats(other, &st);
	EXPECT_EQ(st.zaps, 1);	/* counted in the file that revoked */

	ASSERT(ioctl(other, BENCH_MMIO_RESTORE) == 0, "RESTORE: %s", strerror(errno));
	get_info(fd, &info);
	EXPECT_EQ(info.revoked, 0);
	for (int i = 0; i < 4; i++) {
		int r = probe_read((const volatile u64 *)(p + probes[i]), &v);

		EXPECT(r == 0, "%s: read at +%#llx after RESTORE: SIGBUS", strategy_name[s],
		       (unsigned long long)probes[i]);
		if (!r)
			check_pattern("after RESTORE", p + probes[i],
				      chunk > len - probes[i] ? len - probes[i] : chunk, probes[i], seed);
	}
	unmap(p, len);
	close(fd);
	close(other);
}

static void test_revoke(void)
{
	need_info();
	revoke_case(BENCH_MMIO_STRATEGY_PTE, 16 * SZ_1M);
	revoke_case(BENCH_MMIO_STRATEGY_PUD, min_u64(2 * SZ_1G, I.size));
	revoke_case(BENCH_MMIO_STRATEGY_PMD, 16 * SZ_1M);

	/*
	 * A mapping made through another node of the same device (a container
	 * runtime's --device copy) must be revoked too: every file maps
	 * through the device's own address_space.
	 */
	{
		const char *node = "/tmp/bench_mmio.node2";
		struct stat st;
		u64 v = 0;
		int fd, fd2;
		u64 *p;

		ASSERT(!stat(BENCH_MMIO_DEVICE, &st), "stat %s: %s", BENCH_MMIO_DEVICE, strerror(errno));
		unlink(node);
		mkdir("/tmp", 0755);
		ASSERT(!mknod(node, S_IFCHR | 0600, st.st_rdev), "mknod %s: %s", node, strerror(errno));
		fd2 = open(node, O_RDWR);
		ASSERT(fd2 >= 0, "open %s: %s", node, strerror(errno));
		unlink(node);
		p = map(fd2, 4 * SZ_1M, 0);
		EXPECT_EQ(probe_read(p, &v), 0);
		fd = open_raw();
		ASSERT_EQ(ioctl(fd, BENCH_MMIO_REVOKE), 0);
		EXPECT(probe_read(p, &v) == -1, "a mapping made through a second node survived REVOKE");
		ASSERT_EQ(ioctl(fd, BENCH_MMIO_RESTORE), 0);
		EXPECT_EQ(probe_read(p, &v), 0);
		unmap(p, 4 * SZ_1M);
		close(fd);
		close(fd2);
	}
}

/* ---------------------------------------------------------------------- */
/* 8. fork                                                                  */
/* ---------------------------------------------------------------------- */

static void test_fork(void)
{
	/*
	 * One word per 16 MiB: each first write makes the host allocate RAM
	 * (up to a 2M huge page) behind the ivshmem BAR, and costs time.
	 */
	const u64 seed = 0x4444 ^ (u64)getpid(), step = 16 * SZ_1M;
	struct bench_mmio_stats a, b;
	u64 len, nf_a, nf_b;
	int fd, status;
	pid_t pid;
	char *p;

	need_info();
	len = min_u64(2 * SZ_1G, I.size);
	fd = open_dev(BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	p = map(fd, len, 0);
	for (u64 o = 0; o < len; o += step)
		*(volatile u64 *)(p + o) = pattern(o, seed);
	get_stats(fd, &a);
	nf_a = a.faults[0] + a.faults[1] + a.faults[2];

	fflush(stdout);
	pid = fork();
	ASSERT(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int bad = 0;

		for (u64 o = 0; o < len; o += step)
			if (*(volatile u64 *)(p + o) != pattern(o, seed))
				bad++;
		/* and write one back for the parent to see */
		*(volatile u64 *)(p + len - step) = pattern(len - step, seed + 1);
		_exit(bad ? 1 : 0);
	}
	ASSERT(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the child %s (status %#x)", WIFSIGNALED(status) ? "was killed" : "read wrong data", status);
	EXPECT_EQ(*(volatile u64 *)(p + len - step), pattern(len - step, seed + 1));
	get_stats(fd, &b);
	nf_b = b.faults[0] + b.faults[1] + b.faults[2];
	diag("faults before fork %llu, after the child %llu", (unsigned long long)nf_a,
	     (unsigned long long)nf_b);
	/* the page tables of a VM_PFNMAP VMA are copied at fork: the child did not fault */
	EXPECT(nf_b == nf_a, "the child took %llu faults on pages its parent had mapped",
	       (unsigned long long)(nf_b - nf_a));
	for (u64 o = 0; o < len - step; o += step)
		if (*(volatile u64 *)(p + o) != pattern(o, seed)) {
			EXPECT(0, "parent: word at %#llx changed", (unsigned long long)o);
			break;
		}
	unmap(p, len);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* 9. the module cannot go while a mapping exists                           */
/* ---------------------------------------------------------------------- */

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

static void test_module_busy(void)
{
	const u64 len = 4 * SZ_1M;
	long r;
	int fd, err;
	void *p;

	need_info();
	if (!module_listed())
		SKIP("%s is not in /proc/modules (built in?)", MODULE_NAME);
	fd = open_dev(BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_ALIGN_AUTO, BENCH_MMIO_CACHE_UC);
	p = map(fd, len, 0);
	touch_all(p, len);
	close(fd);	/* only the mapping holds the file now */

	errno = 0;
	r = syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
	err = errno;
	if (r == -1 && err == EPERM)
		SKIP("delete_module: EPERM (not root)");
	ASSERT(r == -1, "delete_module(%s) succeeded while a mapping exists", MODULE_NAME);
	EXPECT(err == EBUSY || err == EAGAIN || err == EWOULDBLOCK,
	       "delete_module: %s, wanted EBUSY or EWOULDBLOCK", strerror(err));
	EXPECT(module_listed(), "%s vanished from /proc/modules", MODULE_NAME);
	touch_all(p, len);
	unmap(p, len);
}

/* ---------------------------------------------------------------------- */
/* 10. partial munmap                                                       */
/* ---------------------------------------------------------------------- */

static void test_munmap_partial(void)
{
	const u64 len = 16 * SZ_1M, seed = 0x5555 ^ (u64)getpid();
	struct bench_mmio_stats a, b;
	char *p;
	int fd;

	need_info();
	p = map_touch_check("munmap pmd 16 MiB", BENCH_MMIO_STRATEGY_PMD, BENCH_MMIO_ALIGN_AUTO, NULL,
			    len, 0, &fd);
	write_pattern(p, len, 0, seed);

	get_stats(fd, &a);
	/* an aligned 2M in the middle: whole PMD entries go */
	unmap(p + 6 * SZ_1M, SZ_2M);
	/* a misaligned 2M: the two PMDs around [9M, 11M) are split (or dropped and refaulted as 4K) */
	unmap(p + 9 * SZ_1M, SZ_2M);
	/* a 4K hole */
	unmap(p + 13 * SZ_1M + SZ_4K, SZ_4K);
	check_pattern("[0, 6M)", p, 6 * SZ_1M, 0, seed);
	check_pattern("[8M, 9M)", p + 8 * SZ_1M, SZ_1M, 8 * SZ_1M, seed);
	check_pattern("[11M, 13M+4K)", p + 11 * SZ_1M, 2 * SZ_1M + SZ_4K, 11 * SZ_1M, seed);
	check_pattern("[13M+8K, 16M)", p + 13 * SZ_1M + 2 * SZ_4K, 3 * SZ_1M - 2 * SZ_4K,
		      13 * SZ_1M + 2 * SZ_4K, seed);
	get_stats(fd, &b);
	print_stats("after the holes", &b);
	EXPECT_EQ(b.faults[BENCH_MMIO_LEVEL_PUD], 0);
	EXPECT_EQ(b.insert_errors, 0);
	EXPECT_EQ(b.sigbus, 0);
	/* PMDs whose 2M stays whole in one VMA are not refaulted */
	EXPECT(b.faults[BENCH_MMIO_LEVEL_PMD] == a.faults[BENCH_MMIO_LEVEL_PMD] ||
	       expected_top(BENCH_MMIO_STRATEGY_PMD) == BENCH_MMIO_LEVEL_PTE,
	       "PMD faults went from %llu to %llu", (unsigned long long)a.faults[BENCH_MMIO_LEVEL_PMD],
	       (unsigned long long)b.faults[BENCH_MMIO_LEVEL_PMD]);
	/* the pieces rejoin nothing and unmap cleanly */
	unmap(p, len);
	close(fd);

	/*
	 * Splits inside PUD-mapped 1G regions: a 4K hole, an mprotect()ed
	 * page, an madvise()d range.  The core's split path must never meet
	 * a PUD entry it takes for a PMD table (it crashes 6.12.117 unless
	 * the module zaps the region in ->may_split).
	 */
	p = map_touch_check("split pud 2 GiB", BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_ALIGN_AUTO, NULL,
			    2 * SZ_1G, 0, &fd);
	write_pattern(p, SZ_2M, 0, seed);
	write_pattern(p + SZ_1G, SZ_2M, SZ_1G, seed);
	unmap(p + SZ_1G + SZ_4K, SZ_4K);
	EXPECT_EQ(mprotect(p + 3 * SZ_4K, SZ_4K, PROT_READ), 0);
	EXPECT_EQ(madvise(p + SZ_1G + 5 * SZ_2M + SZ_4K, SZ_4K, MADV_DONTFORK), 0);
	check_pattern("[0, 12K)", p, 3 * SZ_4K, 0, seed);
	check_pattern("[12K, 16K) read-only", p + 3 * SZ_4K, SZ_4K, 3 * SZ_4K, seed);
	check_pattern("[16K, 2M)", p + 4 * SZ_4K, SZ_2M - 4 * SZ_4K, 4 * SZ_4K, seed);
	check_pattern("[1G, 1G+4K)", p + SZ_1G, SZ_4K, SZ_1G, seed);
	check_pattern("[1G+8K, 1G+2M)", p + SZ_1G + 2 * SZ_4K, SZ_2M - 2 * SZ_4K,
		      SZ_1G + 2 * SZ_4K, seed);
	get_stats(fd, &b);
	print_stats("after splitting PUD regions", &b);
	EXPECT_EQ(b.insert_errors, 0);
	EXPECT_EQ(b.sigbus, 0);
	unmap(p, SZ_1G + SZ_4K);
	unmap(p + SZ_1G + 2 * SZ_4K, SZ_1G - 2 * SZ_4K);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* 11. kernel log                                                           */
/* ---------------------------------------------------------------------- */

static int kmsg_fd = -1;
static bool kmsg_marker_written = true;
#define KMSG_MARKER "mmio_selftest: start"

static void test_kernel_log(void)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection", "Call Trace", "bad pfn",
		"Bad page", "PAT:", "x86/PAT", "refcount_t:", "UBSAN:", "KASAN:",
	};
	char rec[8192];
	int n = 0, nbad = 0;
	bool seen_marker = false;

	if (kmsg_fd < 0)
		SKIP("/dev/kmsg could not be opened");
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
		n++;
		if (strstr(msg, KMSG_MARKER))
			seen_marker = true;
		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
			if (strstr(msg, bad[i])) {
				printf("# kernel: %s", msg);
				if (msg[strlen(msg) - 1] != '\n')
					putchar('\n');
				nbad++;
				break;
			}
	}
	diag("%d kernel log records during the tests", n);
	EXPECT(nbad == 0, "%d suspicious kernel log records during the tests", nbad);
	EXPECT(seen_marker || !kmsg_marker_written, "/dev/kmsg did not give back the start marker");
}

/* ---------------------------------------------------------------------- */

static const struct tap_test tests[] = {
	{ "info", test_info, "GET_INFO fields and caps" },
	{ "misuse", test_misuse, "bad mmaps and ioctls get the documented errno" },
	{ "faults", test_faults, "fault counts by level, per strategy, 64M/256M/2G" },
	{ "align", test_align, "get_unmapped_area policies and misaligned VAs" },
	{ "integrity", test_integrity, "data written through one strategy reads back through all" },
	{ "zap", test_zap, "BENCH_MMIO_ZAP makes pages fault again" },
	{ "revoke", test_revoke, "REVOKE gives SIGBUS, RESTORE gives the data back" },
	{ "fork", test_fork, "a child sees the parent's pfnmap" },
	{ "module_busy", test_module_busy, "delete_module fails while a mapping exists" },
	{ "munmap_partial", test_munmap_partial, "the rest of a pmd mapping survives partial munmaps" },
	{ "kernel_log", test_kernel_log, "no warnings in the kernel log" },
};

/* After each test, in the parent: never leave the device revoked. */
static void restore_device(void)
{
	struct bench_mmio_info info;
	int fd = open(BENCH_MMIO_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	if (!ioctl(fd, BENCH_MMIO_GET_INFO, &info) && info.revoked) {
		printf("# device left revoked: RESTORE\n");
		ioctl(fd, BENCH_MMIO_RESTORE);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0) {
		int w = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

		lseek(kmsg_fd, 0, SEEK_END);
		/* a marker, so that kernel_log can tell it really reads the log */
		if (w < 0 || write(w, KMSG_MARKER "\n", strlen(KMSG_MARKER) + 1) < 0)
			kmsg_marker_written = false;
		if (w >= 0)
			close(w);
	}
	return tap_main(argc, argv, tests, ARRAY_SIZE(tests), restore_device);
}

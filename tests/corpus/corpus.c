// SPDX-License-Identifier: GPL-2.0
/*
 * corpus - one small reproducer per kernel bug that huge pfnmaps expose.
 *
 *   corpus --list            the findings, one per line (tab-separated):
 *                            id, guard, arch, kind (race or -), kernel-log
 *                            signature, summary
 *   corpus FINDING off|on    run one reproducer in this boot, with the
 *                            module's guard for it turned off or on
 *
 * tests/corpus/run boots one guest per finding, kernel and mode and reads
 * the last line this prints, "corpus: FINDING MODE OUTCOME: why", where
 * OUTCOME is
 *   shown  the reproducer itself saw the bug (a wrong result);
 *   clean  it ran the whole trigger and saw nothing wrong (the kernel log,
 *          which the runner reads, may still show the bug's signature);
 *   n/a    the precondition cannot be built here (no PMD/PUD pfnmap, no
 *          PAT): the trigger was not run;
 *   error  something else went wrong: no verdict.
 * A crash prints nothing: the runner finds the signature in the console.
 *
 * Each reproducer is one function of the table below, written to be read
 * next to the bug report.  The table is the one list of findings: the
 * runner, the expected verdicts and the README table all take the ids and
 * signatures from --list.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_mmio_uapi.h"

typedef uint64_t u64;

#define SZ_4K	(1ULL << 12)
#define SZ_1M	(1ULL << 20)
#define SZ_2M	(2ULL << 20)
#define SZ_1G	(1ULL << 30)
#define ULL(x)	((unsigned long long)(x))

enum outcome { SHOWN, CLEAN, NA, ERROR };
static const char *const outcome_name[] = { "shown", "clean", "n/a", "error" };

/* What a reproducer gets: the finding's guard turned off or on. */
struct ctx {
	const struct finding *f;
	bool guard_on;
	enum outcome o;		/* the last say() */
	char why[512];
};

struct finding {
	const char *id;
	u64 guard;		/* BENCH_MMIO_GUARD_*, 0: none */
	const char *guard_name;	/* the guard, as --list prints it */
	const char *arch;	/* "any", or the one arch where it can happen */
	bool race;		/* bounded tries: not seeing it proves little */
	const char *signature;	/* ERE over the guest's console log; "-": none */
	const char *summary;
	enum outcome (*run)(struct ctx *);
};

static enum outcome say(struct ctx *c, enum outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum outcome say(struct ctx *c, enum outcome o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->o = o;
	return o;
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

/* ---------------------------------------------------------------------- */
/* The device                                                              */
/* ---------------------------------------------------------------------- */

static int set(int fd, unsigned long req, u64 value)
{
	struct bench_mmio_set s = { .value = value };

	return ioctl(fd, req, &s) ? errno : 0;
}

/*
 * A new file of @strategy (alignment auto, @cache) with the finding's guard
 * off or on and every other guard as the module defaults it; -1 (and
 * c->why) if that cannot be had.
 */
static int dev_open(struct ctx *c, unsigned int strategy, unsigned int cache,
		    struct bench_mmio_info *info)
{
	int fd = open(BENCH_MMIO_DEVICE, O_RDWR | O_CLOEXEC), err;
	u64 guards;

	if (fd < 0) {
		say(c, ERROR, "open %s: %s", BENCH_MMIO_DEVICE, strerror(errno));
		return -1;
	}
	if (ioctl(fd, BENCH_MMIO_GET_INFO, info) || info->abi_version != BENCH_MMIO_ABI_VERSION) {
		say(c, ERROR, "GET_INFO failed or another ABI");
		goto fail;
	}
	err = set(fd, BENCH_MMIO_SET_STRATEGY, strategy);
	if (!err)
		err = set(fd, BENCH_MMIO_SET_CACHE, cache);
	if (err) {
		say(c, ERROR, "SET_STRATEGY/SET_CACHE: %s", strerror(err));
		goto fail;
	}
	if (!c->f->guard)
		return fd;
	if (!(info->features & BENCH_MMIO_FEAT_GUARDS)) {
		say(c, ERROR, "the module has no BENCH_MMIO_SET_GUARDS (features %#llx)",
		    ULL(info->features));
		goto fail;
	}
	guards = c->guard_on ? info->guards_default | c->f->guard
			     : info->guards_default & ~c->f->guard;
	err = set(fd, BENCH_MMIO_SET_GUARDS, guards);
	if (err) {
		say(c, ERROR, "SET_GUARDS %#llx: %s", ULL(guards), strerror(err));
		goto fail;
	}
	ioctl(fd, BENCH_MMIO_GET_INFO, info);
	note("guards %#llx (default %#llx), %s %s", ULL(info->guards), ULL(info->guards_default),
	     c->f->guard_name, c->guard_on ? "on" : "off");
	return fd;
fail:
	close(fd);
	return -1;
}

static struct bench_mmio_stats stats(int fd)
{
	struct bench_mmio_stats st;

	memset(&st, 0, sizeof(st));
	ioctl(fd, BENCH_MMIO_GET_STATS, &st);
	return st;
}

/*
 * With the guard on, its statistics counter @count must have moved: a clean
 * run where the guard never acted says nothing about the guard.
 */
static bool guard_acted(struct ctx *c, u64 count, const char *counter)
{
	note("%s %llu", counter, ULL(count));
	if (c->guard_on && !count) {
		say(c, ERROR, "%s on, but stats.%s is 0: the guard never acted", c->f->guard_name,
		    counter);
		return false;
	}
	return true;
}

/* Leaves of @level that map [p, p + len), or -1. */
static long long leaves(int fd, const void *p, u64 len, unsigned int level)
{
	struct bench_mmio_census cs = { .addr = (uintptr_t)p, .length = len };

	if (ioctl(fd, BENCH_MMIO_CENSUS, &cs))
		return -1;
	return (long long)cs.leaves[level];
}

/* Map @len bytes of the backing at @off where the module aligns them. */
static char *map(struct ctx *c, int fd, u64 len, u64 off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);

	if (p == MAP_FAILED) {
		say(c, ERROR, "mmap %#llx at %#llx: %s", ULL(len), ULL(off), strerror(errno));
		return NULL;
	}
	return p;
}

/* A free, @align-aligned range of @len bytes (reserved PROT_NONE). */
static char *reserve(u64 len, u64 align)
{
	char *p = mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	return (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
}

/*
 * Map [0, len) and make sure one entry of @level maps its start; NULL with
 * c->o NA when this kernel maps it otherwise, ERROR when mmap failed.
 */
static char *map_leaf(struct ctx *c, int fd, u64 len, unsigned int level, const char *what)
{
	char *p = map(c, fd, len, 0);
	long long n;

	if (!p)
		return NULL;
	*(volatile u64 *)p = 0x636f72707573ULL;	/* "corpus" */
	n = leaves(fd, p, len, level);
	if (n < 1) {
		say(c, NA, "no %s maps the range on this kernel (census %lld): the trigger needs one",
		    what, n);
		munmap(p, len);
		return NULL;
	}
	note("%s-mapped %#llx bytes at %p", what, ULL(len), (void *)p);
	return p;
}

/* Read one u64 at @p; false if that faulted (SIGSEGV or SIGBUS). */
static __thread sigjmp_buf probe_env;
static __thread volatile int probing;

static void probe_signal(int sig)
{
	if (probing)
		siglongjmp(probe_env, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool probe_read(const volatile u64 *p, u64 *v)
{
	struct sigaction sa = { .sa_handler = probe_signal, .sa_flags = SA_NODEFER };

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(probe_env, 1)) {
		probing = 0;
		return false;
	}
	probing = 1;
	*v = *p;
	probing = 0;
	return true;
}

/* The kernel has logged a WARNING since boot (taint flag W). */
static bool tainted_warn(void)
{
	unsigned long t = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");

	if (f) {
		if (fscanf(f, "%lu", &t) != 1)
			t = 0;
		fclose(f);
	}
	return t & (1UL << 9);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* ---------------------------------------------------------------------- */
/* The findings                                                            */
/* ---------------------------------------------------------------------- */

/*
 * mbind(MPOL_BIND, MPOL_MF_STRICT) walks a VM_PFNMAP VMA (without STRICT
 * it skips it); queue_folios_pte_range() takes the PMD leaf for a PTE table
 * and faults on it.  No guard: the walk runs before any hook of the driver.
 */
static enum outcome mbind_strict_pmd(struct ctx *c)
{
	struct bench_mmio_info info;
	unsigned long nodes = 1;	/* node 0 */
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_PMD, BENCH_MMIO_CACHE_UC, &info);
	char *p;
	long r;

	if (fd < 0)
		return ERROR;
	p = map_leaf(c, fd, 2 * SZ_2M, BENCH_MMIO_LEVEL_PMD, "PMD");
	if (!p)
		return c->o;
	/* MPOL_BIND = 2, MPOL_MF_STRICT = 1 (no libnuma in the guest). */
	r = syscall(SYS_mbind, p, 2 * SZ_2M, 2, &nodes, 8 * sizeof(nodes), 1);
	return say(c, CLEAN, "mbind STRICT over the PMD mapping returned %ld (%s) and the kernel lived",
		   r, r ? strerror(errno) : "ok");
}

/*
 * mremap() moving a PUD-mapped VMA: move_page_tables() has no PUD-leaf case
 * for pfnmaps, takes the leaf for a bad PUD table and clears it without a
 * TLB flush; another CPU that used the old address keeps reading the device
 * there after the VMA is gone (even after a revoke).
 */
struct stale {
	volatile u64 *old;
	volatile int step;	/* 1: old read once; 2: moved and revoked; 3: done */
	bool read_ok;
	u64 value;
};

static void *stale_reader(void *arg)
{
	struct stale *s = arg;
	u64 v;

	pin(1);
	probe_read(s->old, &v);		/* the translation into this CPU's TLB */
	s->step = 1;
	while (s->step != 2)
		;
	s->read_ok = probe_read(s->old, &s->value);
	s->step = 3;
	return NULL;
}

static enum outcome mremap_pud(struct ctx *c)
{
	struct bench_mmio_info info;
	struct stale s = { 0 };
	pthread_t t;
	char *p, *q, *dst;
	u64 v = 0;
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_CACHE_UC, &info);

	if (fd < 0)
		return ERROR;
	p = map_leaf(c, fd, SZ_1G, BENCH_MMIO_LEVEL_PUD, "PUD");
	if (!p)
		return c->o;
	dst = reserve(SZ_1G, SZ_1G);
	if (!dst)
		return say(c, ERROR, "no free 1G-aligned range to move to");
	pin(0);
	s.old = (volatile u64 *)p;
	if (pthread_create(&t, NULL, stale_reader, &s))
		return say(c, ERROR, "pthread_create failed");
	while (s.step != 1)
		;
	q = mremap(p, SZ_1G, SZ_1G, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q == MAP_FAILED)
		return say(c, ERROR, "mremap: %s", strerror(errno));
	ioctl(fd, BENCH_MMIO_REVOKE);
	s.step = 2;
	while (s.step != 3)
		;
	pthread_join(t, NULL);
	ioctl(fd, BENCH_MMIO_RESTORE);
	if (!guard_acted(c, stats(fd).guard_zaps, "guard_zaps"))
		return ERROR;
	if (s.read_ok)
		return say(c, SHOWN, "CPU 1 read the old address after the move and a revoke (value %#llx): a stale translation",
			   ULL(s.value));
	if (!probe_read((volatile u64 *)q, &v) || v != 0x636f72707573ULL)
		return say(c, SHOWN, "the moved mapping does not read back what was written (%#llx)", ULL(v));
	return say(c, CLEAN, "the old address faults on CPU 1, the moved mapping reads back");
}

/*
 * BENCH_MMIO_ZAP (unmap_mapping_range(), no mmap lock) over part of a
 * PUD-mapped GiB: zap_pud_range() splits the leaf and asserts the mmap lock
 * it does not hold (WARNING rwsem.h:80).
 */
static enum outcome zap_partial_pud(struct ctx *c)
{
	struct bench_mmio_info info;
	struct bench_mmio_range r = { .offset = 0, .length = SZ_2M };
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_CACHE_UC, &info);
	volatile u64 *p;
	u64 v = 0;

	if (fd < 0)
		return ERROR;
	p = (volatile u64 *)map_leaf(c, fd, SZ_1G, BENCH_MMIO_LEVEL_PUD, "PUD");
	if (!p)
		return c->o;
	if (ioctl(fd, BENCH_MMIO_ZAP, &r))
		return say(c, ERROR, "ZAP: %s", strerror(errno));
	if (!guard_acted(c, stats(fd).zaps_widened, "zaps_widened"))
		return ERROR;
	if (!probe_read(p, &v) || v != 0x636f72707573ULL)
		return say(c, SHOWN, "the zapped range does not refault to what was written (%#llx)", ULL(v));
	return say(c, CLEAN, "2M of the PUD-mapped GiB zapped, it refaults");
}

/*
 * munmap() of 4K inside a PUD-mapped VMA: the split walks the PUD leaf as a
 * PMD table (split_huge_pmd_address() -> mm_find_pmd()) and the kernel
 * crashes.
 */
static enum outcome split_pud(struct ctx *c)
{
	struct bench_mmio_info info;
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_PUD, BENCH_MMIO_CACHE_UC, &info);
	u64 v = 0;
	char *p;

	if (fd < 0)
		return ERROR;
	p = map_leaf(c, fd, SZ_1G, BENCH_MMIO_LEVEL_PUD, "PUD");
	if (!p)
		return c->o;
	if (munmap(p + SZ_4K, SZ_4K))
		return say(c, ERROR, "munmap of 4K inside: %s", strerror(errno));
	if (!guard_acted(c, stats(fd).guard_zaps, "guard_zaps"))
		return ERROR;
	if (probe_read((volatile u64 *)(p + SZ_4K), &v))
		return say(c, SHOWN, "the unmapped page still reads (%#llx)", ULL(v));
	if (!probe_read((volatile u64 *)p, &v) || v != 0x636f72707573ULL)
		return say(c, SHOWN, "the page before the hole does not read back (%#llx)", ULL(v));
	return say(c, CLEAN, "4K unmapped inside the PUD mapping: it faults, its neighbour reads back");
}

/*
 * The remap strategy's VMA has one PAT reservation for the whole range;
 * before pfnmap_track() a partial munmap() frees a part that was never
 * reserved ("freeing invalid memtype") and leaks it, so that a later
 * write-combining mmap of the range conflicts with the leaked UC-.
 */
static enum outcome wc_remap_fails(struct ctx *c, const char *after)
{
	struct bench_mmio_info info;
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_REMAP, BENCH_MMIO_CACHE_WC, &info);
	void *half, *p;

	if (fd < 0)
		return ERROR;
	/*
	 * The second half alone gets its WC reservation whatever leaked; the
	 * whole range then overlaps both, and a leaked UC- conflicts.
	 */
	half = mmap(NULL, SZ_1M, PROT_READ | PROT_WRITE, MAP_SHARED, fd, SZ_1M);
	if (half == MAP_FAILED)
		return say(c, ERROR, "WC mmap of the second half: %s", strerror(errno));
	p = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return say(c, SHOWN, "after %s, a write-combining mmap of the range fails: %s (a leaked memtype)",
			   after, strerror(errno));
	munmap(p, SZ_2M);
	munmap(half, SZ_1M);
	close(fd);
	return say(c, CLEAN, "after %s, write-combining mmaps of the range work", after);
}

static enum outcome pat_remap_split(struct ctx *c)
{
	struct bench_mmio_info info;
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_REMAP, BENCH_MMIO_CACHE_UC, &info);
	char *p;

	if (fd < 0)
		return ERROR;
	if (!(info.caps & BENCH_MMIO_CAP_PAT))
		return say(c, NA, "no x86 PAT here (caps %#llx)", ULL(info.caps));
	p = map(c, fd, SZ_2M, 0);
	if (!p)
		return ERROR;
	/* The head: 6.12's memtype_erase() can only shrink a reservation's end. */
	if (munmap(p, SZ_1M))
		note("munmap of the first half: %s", strerror(errno));
	if (!guard_acted(c, stats(fd).splits_refused, "splits_refused"))
		return ERROR;
	munmap(p, SZ_2M);
	close(fd);
	return wc_remap_fails(c, "a partial munmap of a UC remap mapping");
}

/*
 * Before pfnmap_track(), any zap of a remap mapping untracks its whole PAT
 * reservation first and clears VM_PAT; a fork() (track_pfn_copy) or
 * munmap() (untrack_pfn) that saw VM_PAT before the zap cleared it then
 * looks the pfn up in the first page the zap has just cleared: WARNING,
 * and fork() fails.  A race: a zapping thread against fork() (and the
 * child's exit), a fresh mapping per try, RACE_TRIES tries at most, until
 * the kernel taints itself with a WARNING.  Not seeing it proves little, so
 * the runner calls that "not-reproduced", not "absent".
 */
struct revoker {
	int fd;
	volatile int go;	/* 1: zap now; 0: zapped; -1: stop */
};

static void *revoke_loop(void *arg)
{
	struct revoker *rv = arg;
	struct bench_mmio_range r = { .offset = 0, .length = SZ_4K };

	pin(1);
	for (;;) {
		while (rv->go == 0)
			;
		if (rv->go < 0)
			return NULL;
		ioctl(rv->fd, BENCH_MMIO_ZAP, &r);
		rv->go = 0;
	}
}

/* Tries, and a time cap for a loaded host (TCG guests slow down with it). */
#define RACE_TRIES	1000
#define RACE_SECONDS	10
#define RACE_LEN	(2 * SZ_4K)	/* small: fast tries */

static enum outcome pat_remap_race(struct ctx *c)
{
	struct bench_mmio_info info;
	struct revoker rv = { 0 };
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_REMAP, BENCH_MMIO_CACHE_UC, &info);
	time_t end = time(NULL) + RACE_SECONDS;
	enum outcome o = CLEAN;
	unsigned int tries = 0;
	pthread_t t;
	pid_t pid;
	char *p;

	if (fd < 0)
		return ERROR;
	if (!(info.caps & BENCH_MMIO_CAP_PAT))
		return say(c, NA, "no x86 PAT here (caps %#llx)", ULL(info.caps));
	rv.fd = fd;
	pin(0);
	if (pthread_create(&t, NULL, revoke_loop, &rv))
		return say(c, ERROR, "pthread_create failed");
	while (tries < RACE_TRIES && time(NULL) < end) {
		p = map(c, fd, RACE_LEN, 0);
		if (!p) {
			o = ERROR;
			break;
		}
		tries++;
		rv.go = 1;
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			o = say(c, SHOWN, "fork() racing a zap of a remap mapping failed: %s (try %u)",
			    strerror(errno), tries);
			break;
		}
		waitpid(pid, NULL, 0);
		while (rv.go)
			;
		munmap(p, RACE_LEN);
		if (tainted_warn()) {
			o = say(c, SHOWN, "a kernel WARNING (taint W) after %u tries", tries);
			break;
		}
	}
	rv.go = -1;
	pthread_join(t, NULL);
	if (o != CLEAN)
		return o;
	return say(c, CLEAN, "not in %u forks racing a zap of a fresh remap mapping", tries);
}

/*
 * Before pfnmap_track(), every zap of a VM_PFNMAP VMA (unmap_single_vma())
 * untracks its whole PAT reservation, meant for munmap(): a driver's zap of
 * one page of a live remap mapping frees the memtype of all of it, and
 * another mapping of the range can then take another cache mode while this
 * one is still UC-.  Seen in x86/pat_memtype_list (debugfs).
 */
/* A reservation of [start, end) (of @type, or any) is listed; -1: no list. */
static int memtype_covers(u64 start, u64 end, const char *type)
{
	FILE *f = fopen("/sys/kernel/debug/x86/pat_memtype_list", "r");
	unsigned long long s, e;
	char line[256], t[64];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PAT: [mem 0x%llx-0x%llx] %63s", &s, &e, t) == 3 &&
		    s <= start && e >= end && (!type || !strcmp(t, type)))
			found = 1;
	fclose(f);
	return found;
}

static enum outcome pat_remap_zap(struct ctx *c)
{
	struct bench_mmio_info info;
	struct bench_mmio_range r = { .offset = 0, .length = SZ_4K };
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_REMAP, BENCH_MMIO_CACHE_UC, &info);
	int before, after, alias, wc;
	char *p, *q;

	if (fd < 0)
		return ERROR;
	if (!(info.caps & BENCH_MMIO_CAP_PAT))
		return say(c, NA, "no x86 PAT here (caps %#llx)", ULL(info.caps));
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	p = map(c, fd, SZ_2M, 0);
	if (!p)
		return ERROR;
	before = memtype_covers(info.phys_base, info.phys_base + SZ_2M, NULL);
	if (before != 1)
		return say(c, ERROR, "no PAT reservation for the new remap mapping (%d): no debugfs?", before);
	if (ioctl(fd, BENCH_MMIO_ZAP, &r))
		return say(c, ERROR, "ZAP: %s", strerror(errno));
	after = memtype_covers(info.phys_base, info.phys_base + SZ_2M, NULL);
	/* Another file asks for write-combining while the UC- mapping lives. */
	wc = dev_open(c, BENCH_MMIO_STRATEGY_REMAP, BENCH_MMIO_CACHE_WC, &info);
	if (wc < 0)
		return ERROR;
	q = map(c, wc, SZ_2M, 0);
	if (!q)
		return ERROR;
	alias = memtype_covers(info.phys_base, info.phys_base + SZ_2M, "write-combining");
	munmap(q, SZ_2M);
	munmap(p, SZ_2M);
	if (alias == 1)
		return say(c, SHOWN, "after a zap of 4K of a live 2M UC- remap mapping (its PAT reservation %s), a write-combining mapping of the range got WC: an alias",
			   after == 1 ? "kept" : "freed");
	if (after != 1)
		return say(c, SHOWN, "a zap of its first 4K freed the PAT reservation of a live 2M UC- remap mapping");
	return say(c, CLEAN, "the live remap mapping keeps its PAT reservation through a zap of 4K, a WC request gets UC-");
}

/*
 * /proc/PID/mem (gdb, ptrace) reads a VM_PFNMAP mapping only through the
 * driver's vm_ops->access: without it, EIO.  The "guard" is the module's
 * ->access (generic_access_phys); the runner turns it off by loading a
 * module built with CONFTEST_DISABLE=generic_access_phys.
 */
static enum outcome proc_mem_access(struct ctx *c)
{
	struct bench_mmio_info info;
	int fd = dev_open(c, BENCH_MMIO_STRATEGY_PTE, BENCH_MMIO_CACHE_UC, &info);
	int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	bool has_access;
	volatile u64 *p;
	u64 v = 0;

	if (fd < 0)
		return ERROR;
	has_access = info.features & BENCH_MMIO_FEAT_ACCESS;
	if (has_access != c->guard_on)
		return say(c, ERROR, "this module %s ->access, mode %s wants the other",
			   has_access ? "has" : "lacks", c->guard_on ? "on" : "off");
	p = (volatile u64 *)map(c, fd, SZ_2M, 0);
	if (!p || mem < 0)
		return ERROR;
	*p = 0x636f72707573ULL;
	if (pread(mem, &v, sizeof(v), (off_t)(uintptr_t)p) != sizeof(v))
		return say(c, SHOWN, "pread of /proc/self/mem at the mapping: %s", strerror(errno));
	if (v != 0x636f72707573ULL)
		return say(c, SHOWN, "/proc/self/mem read %#llx, the mapping holds %#llx", ULL(v),
			   ULL(*p));
	return say(c, CLEAN, "/proc/self/mem reads the mapping");
}

/* Each id's guard, arch and signature are what tests/corpus/run reads. */
static const struct finding findings[] = {
	{ .id = "mbind-strict-pmd", .arch = "any", .guard_name = "-",
	  .signature = "queue_folios_pte_range",
	  .summary = "mbind(MPOL_BIND, MPOL_MF_STRICT) over a PMD-mapped pfnmap: page fault in queue_folios_pte_range, panic",
	  .run = mbind_strict_pmd },
	{ .id = "mremap-pud", .arch = "any", .guard = BENCH_MMIO_GUARD_MREMAP,
	  .guard_name = "GUARD_MREMAP", .signature = "bad pud",
	  .summary = "mremap() move of a PUD-mapped pfnmap: \"bad pud\", the entry dropped, a stale translation on another CPU",
	  .run = mremap_pud },
	{ .id = "zap-partial-pud", .arch = "any", .guard = BENCH_MMIO_GUARD_ZAP_WIDEN,
	  .guard_name = "GUARD_ZAP_WIDEN", .signature = "WARNING: .*rwsem\\.h",
	  .summary = "unmap_mapping_range() over part of a PUD-mapped GiB: WARNING rwsem.h:80 in unmap_page_range",
	  .run = zap_partial_pud },
	{ .id = "split-pud", .arch = "any", .guard = BENCH_MMIO_GUARD_SPLIT_PUD,
	  .guard_name = "GUARD_SPLIT_PUD",
	  .signature = "BUG: unable to handle|general protection fault|Oops|kernel BUG",
	  .summary = "munmap() of part of a PUD-mapped pfnmap: the PUD leaf walked as a PMD table, crash",
	  .run = split_pud },
	{ .id = "pat-remap-split", .arch = "amd64", .guard = BENCH_MMIO_GUARD_REMAP_SPLIT,
	  .guard_name = "GUARD_REMAP_SPLIT", .signature = "freeing invalid memtype",
	  .summary = "remap_pfn_range() mapping, partial munmap(): \"freeing invalid memtype\", the PAT reservation leaks",
	  .run = pat_remap_split },
	{ .id = "pat-remap-race", .arch = "amd64", .guard_name = "-", .race = true,
	  .signature = "untrack_pfn|track_pfn_copy",
	  .summary = "remap_pfn_range() mapping, a zap racing fork(): WARNING in untrack_pfn or track_pfn_copy (the first page found zapped under VM_PAT), fork() may fail; a race, bounded tries",
	  .run = pat_remap_race },
	{ .id = "pat-remap-zap", .arch = "amd64", .guard_name = "-", .signature = "-",
	  .summary = "remap_pfn_range() mapping, a driver zap of 4K: the whole live mapping's PAT reservation is freed (another cache mode can alias it)",
	  .run = pat_remap_zap },
	{ .id = "proc-mem-access", .arch = "any", .guard_name = "vm_ops->access",
	  .signature = "-",
	  .summary = "/proc/PID/mem (gdb, ptrace) read of a pfnmap without vm_ops->access: EIO",
	  .run = proc_mem_access },
};

#define NR_FINDINGS (sizeof(findings) / sizeof(findings[0]))

int main(int argc, char **argv)
{
	struct ctx c = { 0 };
	enum outcome o;
	unsigned int i;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < NR_FINDINGS; i++)
			printf("%s\t%s\t%s\t%s\t%s\t%s\n", findings[i].id, findings[i].guard_name,
			       findings[i].arch, findings[i].race ? "race" : "-", findings[i].signature,
			       findings[i].summary);
		return 0;
	}
	if (argc != 3 || (strcmp(argv[2], "off") && strcmp(argv[2], "on"))) {
		fprintf(stderr, "usage: corpus --list | corpus FINDING off|on\n");
		return 2;
	}
	for (i = 0; i < NR_FINDINGS && strcmp(findings[i].id, argv[1]); i++)
		;
	if (i == NR_FINDINGS) {
		fprintf(stderr, "corpus: no finding '%s' (corpus --list)\n", argv[1]);
		return 2;
	}
	c.f = &findings[i];
	c.guard_on = !strcmp(argv[2], "on");
	setvbuf(stdout, NULL, _IOLBF, 0);
	note("%s, guard %s %s: %s", c.f->id, c.f->guard_name, argv[2], c.f->summary);
	o = c.f->run(&c);
	if (o == ERROR && !c.why[0])
		snprintf(c.why, sizeof(c.why), "(see above)");
	printf("corpus: %s %s %s: %s\n", c.f->id, argv[2], outcome_name[o], c.why);
	return o == ERROR;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz - bounded, seeded fuzzing of /dev/bench_mmio's system-call surface,
 * run in a guest.
 *
 *   fuzz [--seed=N] [--count=N] [--exclude=ID,...] [--verbose]
 *
 * --count random calls: ioctl numbers of the device's magic (every nr,
 * direction and size) and of a few others, with bad pointers (NULL, unmapped,
 * PROT_NONE, read-only, kernel addresses) and random argument contents;
 * SET_GUARDS and SET_FAULT_DELAY with garbage; mmap() of every strategy with
 * random offsets, lengths, flags and protections (the statistics mapping
 * included); madvise(), mremap(), mprotect(), munmap(), mlock(), msync() and
 * mincore() of random (sub-)ranges of those mappings.
 *
 * Each call must succeed or fail with an errno documented for it: the module's
 * errno table (bench_mmio_uapi.h) for its ioctls and mmap, and the system
 * call's own manual page for the rest.  A few answers are exact: an unknown
 * ioctl is ENOTTY, a bad argument pointer EFAULT, a copy-on-write mapping or
 * one past the backing EINVAL, a writable statistics mapping EACCES, and a
 * successful mmap() lies inside the backing.  The guest's script checks the
 * kernel log afterwards.  Prints the seed first; --seed replays the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#include <time.h>
#include <unistd.h>

#include "bench_mmio_uapi.h"

typedef uint64_t u64;

#define SZ_4K		4096ULL
#define SZ_2M		(2ULL << 20)
#define SZ_1G		(1ULL << 30)
#define NSTRAT		BENCH_MMIO_NR_STRATEGIES
#define MAX_MAPS	32
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ULL(x)		((unsigned long long)(x))
typedef unsigned __int128 emask;
#define BIT(e)		((emask)1 << (e))

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_32BIT
#define MAP_32BIT 0x40
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

static const char *const strategy_name[NSTRAT] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_NAME)
};

static u64 rs;
static u64 rnd(void)
{
	u64 z = (rs += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}
static u64 below(u64 n) { return n ? rnd() % n : 0; }
static bool chance(unsigned int pct) { return below(100) < pct; }

static struct bench_mmio_info info;
static int fds[NSTRAT];
static bool ex_mremap_pud, ex_zap_partial, ex_remap_split, ex_split_pud, ex_remap_zap;
static int failures, verbose;
static u64 calls, errs[200];
static char *arena;		/* MAP_FIXED and MREMAP_FIXED land only in here */
#define ARENA_SIZE	(8 * SZ_1G)

struct map {
	char *addr;
	u64 len, off;
	int strat;
	bool stats;
};
static struct map maps[MAX_MAPS];
static int nmaps;

static void fail(const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("# FAIL (call %llu): ", ULL(calls));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* errno sets, as bit masks */
static const emask ioctl_errnos = BIT(ENOTTY) | BIT(EINVAL) | BIT(EBUSY) | BIT(EFAULT);
static const emask mmap_errnos = BIT(EACCES) | BIT(EAGAIN) | BIT(EBADF) | BIT(EEXIST) | BIT(EINVAL) |
			       BIT(ENFILE) | BIT(ENODEV) | BIT(ENOMEM) | BIT(EOVERFLOW) | BIT(EPERM) |
			       BIT(EOPNOTSUPP);
static const emask madvise_errnos = BIT(EACCES) | BIT(EAGAIN) | BIT(EBADF) | BIT(EINVAL) | BIT(EIO) |
				  BIT(ENOMEM) | BIT(EPERM) | BIT(EFAULT);
static const emask mremap_errnos = BIT(EAGAIN) | BIT(EFAULT) | BIT(EINVAL) | BIT(ENOMEM);
static const emask mprotect_errnos = BIT(EACCES) | BIT(EINVAL) | BIT(ENOMEM) | BIT(EPERM);
static const emask munmap_errnos = BIT(EINVAL) | BIT(ENOMEM);
static const emask mlock_errnos = BIT(EAGAIN) | BIT(EINVAL) | BIT(ENOMEM) | BIT(EPERM);
static const emask msync_errnos = BIT(EBUSY) | BIT(EINVAL) | BIT(ENOMEM);
static const emask mincore_errnos = BIT(EAGAIN) | BIT(EFAULT) | BIT(EINVAL) | BIT(ENOMEM);

static int kmsg = -1;

/* --verbose: the call about to be made, in the kernel log beside what it causes. */
static void trace(const char *what, const char *detail)
{
	char line[300];
	int n;

	if (!verbose)
		return;
	if (kmsg < 0)
		kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	n = snprintf(line, sizeof(line), "fuzz: call %llu: %s [%s]\n", ULL(calls), what, detail);
	if (kmsg < 0 || write(kmsg, line, n) < 0)
		fputs(line, stdout);
}

static void check_errno(const char *what, long ret, emask allowed, const char *detail)
{
	calls++;
	if (ret != -1)
		return;
	if (errno < 128 && (allowed & BIT(errno))) {
		if (errno < (int)ARRAY_SIZE(errs))
			errs[errno]++;
		return;
	}
	fail("%s: errno %d (%s), not documented for it [%s]", what, errno, strerror(errno), detail);
}

/* ---------------------------------------------------------------------- */
/* Bad pointers                                                             */

static char *unmapped, *noaccess, *readonly;

static void *arg_pointer(size_t size, bool *valid, bool *writable)
{
	static char buf[SZ_4K] __attribute__((aligned(64)));

	*valid = *writable = false;
	switch (below(10)) {
	case 0:
		return NULL;
	case 1:
		return (void *)1;
	case 2:
		return unmapped;
	case 3:
		return noaccess;
	case 4:
		*valid = true;		/* readable only */
		return readonly;
	case 5:
		return (void *)0xffff888000000000ULL;	/* a kernel address */
	case 6:
		/* Straddling from the read-only page into the PROT_NONE one. */
		return noaccess - (size ? size / 2 : 1);
	default:
		for (size_t i = 0; i < sizeof(buf); i += 8) {
			u64 v = rnd();

			/* Mostly small values, so that some pass validation. */
			if (chance(60))
				v &= chance(50) ? 0xff : 0;
			if (chance(20))
				v = below(4) * SZ_1G + below(512) * SZ_2M;
			memcpy(buf + i, &v, 8);
		}
		*valid = *writable = true;
		return buf;
	}
}

/* ---------------------------------------------------------------------- */
/* ioctl                                                                    */

static const unsigned long known_cmds[] = {
	BENCH_MMIO_GET_INFO, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_SET_CACHE,
	BENCH_MMIO_GET_STATS, BENCH_MMIO_RESET_STATS, BENCH_MMIO_ZAP, BENCH_MMIO_REVOKE,
	BENCH_MMIO_RESTORE, BENCH_MMIO_CENSUS, BENCH_MMIO_SET_FAULT_DELAY, BENCH_MMIO_SET_GUARDS,
};

static bool is_known(unsigned long cmd)
{
	if (cmd == BENCH_MMIO_SET_GUARDS && !(info.features & BENCH_MMIO_FEAT_GUARDS))
		return false;
	for (unsigned int i = 0; i < ARRAY_SIZE(known_cmds); i++)
		if (known_cmds[i] == cmd)
			return true;
	return false;
}

/* Would the module take this ZAP range?  (For the zap-partial-pud exclusion.) */
static void tame_zap(struct bench_mmio_range *rg)
{
	u64 len = rg->length ? rg->length : info.size - rg->offset;

	if (rg->flags || rg->offset % SZ_4K || rg->length % SZ_4K || rg->offset >= info.size ||
	    len > info.size - rg->offset)
		return;
	if (rg->offset % SZ_1G || len % SZ_1G) {
		rg->offset -= rg->offset % SZ_1G;
		rg->length = 0;
	}
}

/* fds[s] back to its strategy and the defaults, and so the guarded bugs stay out. */
static void restore_settings(int s)
{
	struct bench_mmio_set set[] = { { .value = s }, { .value = BENCH_MMIO_ALIGN_AUTO },
					{ .value = BENCH_MMIO_CACHE_UC }, { .value = 0 },
					{ .value = info.guards_default } };
	unsigned long cmds[] = { BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_SET_CACHE,
				 BENCH_MMIO_SET_FAULT_DELAY, BENCH_MMIO_SET_GUARDS };

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (cmds[i] == BENCH_MMIO_SET_GUARDS && !(info.features & BENCH_MMIO_FEAT_GUARDS))
			continue;
		/* EBUSY: the file has mappings, so nothing could have changed. */
		if (ioctl(fds[s], cmds[i], &set[i]) && errno != EBUSY)
			fail("restoring setting %#lx of the %s file: %s", cmds[i], strategy_name[s], strerror(errno));
	}
}

static void fuzz_ioctl(void)
{
	int s = below(NSTRAT), fd = fds[s];
	unsigned long cmd;
	bool valid, writable;
	void *arg;
	size_t size;
	long ret;
	char detail[160];

	switch (below(4)) {
	case 0:
	case 1:
		cmd = known_cmds[below(ARRAY_SIZE(known_cmds))];
		break;
	case 2:		/* any nr, direction and size of the magic */
		cmd = _IOC(below(4), BENCH_MMIO_IOC_MAGIC, below(32), below(512));
		break;
	default:	/* another driver's magic, or the right nr with a wrong size */
		cmd = chance(50) ? _IOC(_IOC_DIR(BENCH_MMIO_ZAP), BENCH_MMIO_IOC_MAGIC, 6, 8 * below(64))
				 : _IOC(below(4), "bmvQ"[below(4)], below(256), below(64));
		break;
	}
	size = _IOC_SIZE(cmd);
	arg = arg_pointer(size, &valid, &writable);
	/* Keep the device usable and the kernel bugs out. */
	if (cmd == BENCH_MMIO_ZAP && writable && ex_zap_partial)
		tame_zap(arg);
	if (cmd == BENCH_MMIO_SET_FAULT_DELAY && writable && chance(90))
		((struct bench_mmio_set *)arg)->value %= 2000;	/* a long delay slows TCG, nothing else */
	snprintf(detail, sizeof(detail), "%s file, cmd %#lx, arg %p", strategy_name[s], cmd, arg);
	trace("ioctl", detail);
	errno = 0;
	ret = ioctl(fd, cmd, arg);
	check_errno("ioctl", ret, ioctl_errnos, detail);
	if (!is_known(cmd) && !(ret == -1 && errno == ENOTTY))
		fail("ioctl %#lx is not the module's: %ld/%s, want ENOTTY", cmd, ret, strerror(errno));
	/* A read-only argument: input may be refused first, but never a success. */
	if (is_known(cmd) && _IOC_SIZE(cmd) &&
	    (!valid ? !(ret == -1 && errno == EFAULT) :
		      arg == readonly && (_IOC_DIR(cmd) & _IOC_READ) && ret == 0))
		fail("ioctl %#lx with a bad pointer %p: %ld/%s, want EFAULT", cmd, arg, ret, strerror(errno));
	if (ret == 0 && cmd == BENCH_MMIO_SET_GUARDS &&
	    (((struct bench_mmio_set *)arg)->value & ~BENCH_MMIO_GUARDS_ALL))
		fail("SET_GUARDS %#llx outside BENCH_MMIO_GUARDS_ALL succeeded",
		     ULL(((struct bench_mmio_set *)arg)->value));
	if (ret == 0 && cmd == BENCH_MMIO_SET_FAULT_DELAY &&
	    ((struct bench_mmio_set *)arg)->value > BENCH_MMIO_MAX_FAULT_DELAY_NS)
		fail("SET_FAULT_DELAY above the maximum succeeded");
	if (cmd == BENCH_MMIO_SET_STRATEGY || cmd == BENCH_MMIO_SET_ALIGN || cmd == BENCH_MMIO_SET_CACHE ||
	    cmd == BENCH_MMIO_SET_FAULT_DELAY || (cmd == BENCH_MMIO_SET_GUARDS && is_known(cmd))) {
		struct bench_mmio_info fi;

		/* A SET that failed changed nothing; one that worked is undone. */
		if (ret && !ioctl(fd, BENCH_MMIO_GET_INFO, &fi) &&
		    (fi.strategy != (u64)s || fi.align != BENCH_MMIO_ALIGN_AUTO || fi.cache != BENCH_MMIO_CACHE_UC ||
		     fi.guards != info.guards_default))
			fail("ioctl %#lx failed (%s) but changed the file's settings: strategy %llu align %llu "
			     "cache %llu guards %#llx [%s]", cmd, strerror(errno), ULL(fi.strategy), ULL(fi.align),
			     ULL(fi.cache), ULL(fi.guards), detail);
		restore_settings(s);
	}
	if (ret == 0 && cmd == BENCH_MMIO_REVOKE && chance(70))
		ioctl(fd, BENCH_MMIO_RESTORE);
}

/* ---------------------------------------------------------------------- */
/* mmap and friends                                                         */

static sigjmp_buf env;
static volatile int in_probe;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	char msg[160];
	int n;

	(void)uc;
	if (in_probe) {
		in_probe = 0;
		siglongjmp(env, sig);
	}
	n = snprintf(msg, sizeof(msg), "# FAIL: fuzz: signal %d at %p outside a probe, call %llu\n",
		     sig, si->si_addr, ULL(calls));
	if (write(1, msg, n) < 0)
		{}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void probe(char *p)
{
	if (!sigsetjmp(env, 1)) {
		in_probe = 1;
		(void)*(volatile char *)p;
		in_probe = 0;
	}
}

static u64 rand_len(void)
{
	static const u64 lens[] = { 0, 1, SZ_4K, SZ_4K + 1, SZ_2M, SZ_2M - SZ_4K, SZ_1G, SZ_1G + SZ_4K,
				    2 * SZ_1G, 1ULL << 47, ~0ULL, ~0ULL - SZ_4K + 1 };

	if (chance(50))
		return lens[below(ARRAY_SIZE(lens))];
	return (1 + below(1024)) * SZ_4K;
}

static u64 rand_off(void)
{
	switch (below(8)) {
	case 0: return 0;
	case 1: return info.size;
	case 2: return info.size - SZ_4K;
	case 3: return info.stats_offset;
	case 4: return below(info.size);		/* unaligned mostly */
	case 5: return rnd() & ~(SZ_4K - 1);
	default: return below(info.size / SZ_4K) * SZ_4K;
	}
}

static bool overlaps_dev(char *a, u64 len);

static void fuzz_mmap(void)
{
	static const int flag_bits[] = { MAP_POPULATE, MAP_NORESERVE, MAP_LOCKED, MAP_FIXED_NOREPLACE,
					 MAP_FIXED, MAP_SYNC, MAP_HUGETLB, MAP_ANONYMOUS, MAP_32BIT,
					 MAP_GROWSDOWN, MAP_STACK, MAP_NONBLOCK, 0x4000000 /* MAP_UNINITIALIZED */ };
	int s = below(NSTRAT), prot = below(8), flags, kind = below(10);
	u64 len = rand_len(), off = rand_off();
	char detail[200];
	void *addr = NULL, *p;

	if (nmaps == MAX_MAPS)
		return;
	/* pat-remap-zap present: no remap mapping (every ZAP and REVOKE would zap it). */
	if (s == BENCH_MMIO_STRATEGY_REMAP && ex_remap_zap)
		s = BENCH_MMIO_STRATEGY_REMAP + 1 + below(NSTRAT - 1);
	flags = kind < 6 ? MAP_SHARED : kind < 8 ? MAP_PRIVATE : kind < 9 ? MAP_SHARED_VALIDATE : (int)below(4);
	for (int i = 0; i < 2; i++)
		if (chance(25))
			flags |= flag_bits[below(ARRAY_SIZE(flag_bits))];
	if (chance(5))
		prot |= PROT_GROWSDOWN;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		/* Only inside the arena (which may get holes punched). */
		if (len > ARENA_SIZE / 2)
			len = SZ_2M;
		addr = arena + below(ARENA_SIZE / 2 / SZ_4K) * SZ_4K;
		flags &= ~MAP_FIXED;
		flags |= MAP_FIXED_NOREPLACE;
		/*
		 * MAP_FIXED over part of a device mapping is a split; the
		 * fuzzer leaves splits to mmap-less calls, where they are
		 * checked against the exclusions: replace arena only.
		 */
		if (chance(50) && !overlaps_dev(addr, len)) {
			munmap(addr, len);	/* make room, in the arena only */
			flags = (flags & ~MAP_FIXED_NOREPLACE) | MAP_FIXED;
		}
	}
	if (flags & MAP_ANONYMOUS)
		flags &= ~MAP_ANONYMOUS;	/* a file mapping, always */
	snprintf(detail, sizeof(detail), "%s, addr %p, len %#llx, off %#llx, prot %#x, flags %#x", strategy_name[s],
		 addr, ULL(len), ULL(off), prot, flags);
	trace("mmap", detail);
	errno = 0;
	p = mmap(addr, len, prot, flags, fds[s], off);
	check_errno("mmap", p == MAP_FAILED ? -1 : 0, mmap_errnos, detail);
	if (p == MAP_FAILED)
		return;
	{
		bool stats = off == info.stats_offset;
		u64 mapped = (len + SZ_4K - 1) & ~(SZ_4K - 1);

		if ((flags & 3) == MAP_PRIVATE)
			fail("a MAP_PRIVATE mapping of the device succeeded (copy-on-write) [%s]", detail);
		if (stats && (prot & PROT_WRITE))
			fail("a writable statistics mapping succeeded [%s]", detail);
		if (stats && mapped != info.stats_size)
			fail("a statistics mapping of the wrong size succeeded [%s]", detail);
		if (!stats && (off % SZ_4K || off >= info.size || mapped > info.size - off))
			fail("a mapping outside the backing succeeded [%s]", detail);
		if (verbose)
			printf("# mmap %p [%s]\n", p, detail);
		if (prot & PROT_READ)
			probe(p);
		maps[nmaps++] = (struct map){ p, mapped, off, s, stats };
	}
}

/*
 * Is [a, a + len) all mappings of the device?  Records go stale (a part
 * moved or unmapped, something else mapped there since): nothing is done to
 * a range that is not the device's.
 */
static bool owned(char *a, u64 len)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	/* What the kernel will act on: whole pages. */
	u64 want = (u64)a & ~(SZ_4K - 1), end = ((u64)a + len + SZ_4K - 1) & ~(SZ_4K - 1);

	if (!f)
		return false;
	while (want < end && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || !strstr(line, BENCH_MMIO_DEVICE))
			continue;
		if (lo <= want && want < hi)
			want = hi;
	}
	fclose(f);
	return want >= end;
}

/* Does [a, a + len) overlap a mapping of the device? */
static bool overlaps_dev(char *a, u64 len)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool hit = false;
	u64 lo_a = (u64)a & ~(SZ_4K - 1), hi_a = ((u64)a + len + SZ_4K - 1) & ~(SZ_4K - 1);

	while (f && !hit && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && strstr(line, BENCH_MMIO_DEVICE))
			hit = lo < hi_a && lo_a < hi;
	}
	if (f)
		fclose(f);
	return hit || !f;
}

/* munmap() every mapping of the device. */
static void unmap_all(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo[256], hi[256];
	int n = 0;

	while (f && n < 256 && fgets(line, sizeof(line), f))
		if (strstr(line, BENCH_MMIO_DEVICE) && sscanf(line, "%lx-%lx", &lo[n], &hi[n]) == 2)
			n++;
	if (f)
		fclose(f);
	for (int i = 0; i < n; i++)
		if (munmap((void *)lo[i], hi[i] - lo[i]))
			fail("munmap %#lx-%#lx at cleanup: %s", lo[i], hi[i], strerror(errno));
	nmaps = 0;
}

static void drop_map(int i)
{
	maps[i] = maps[--nmaps];
}

/* A random (sub-)range of map @m, sometimes unaligned or past its end. */
static void sub_range(struct map *m, char **a, u64 *len)
{
	u64 start = chance(50) ? 0 : below(m->len / SZ_4K) * SZ_4K;

	*len = chance(40) ? m->len - start : (1 + below((m->len - start) / SZ_4K)) * SZ_4K;
	if (chance(5))
		start += 1 + below(SZ_4K - 1);
	if (chance(5))
		*len += SZ_4K;
	*a = m->addr + start;
}

static bool may_split(struct map *m, char *a, u64 len)
{
	bool part = a != m->addr || len != m->len;

	/* Past its end: maybe part of the next mapping, of any strategy. */
	if (a + len > m->addr + m->len && (ex_remap_split || ex_split_pud))
		return false;
	if (!part || m->stats)
		return true;
	if (m->strat == BENCH_MMIO_STRATEGY_REMAP && ex_remap_split)
		return false;
	if (m->strat == BENCH_MMIO_STRATEGY_PUD && ex_split_pud)
		return false;
	return true;
}

static void fuzz_map_op(void)
{
	int i = below(nmaps);
	struct map *m = &maps[i];
	char detail[200], *a;
	u64 len;
	long ret;

	sub_range(m, &a, &len);
	if (!may_split(m, a, len))
		return;
	if (!owned(m->addr, m->len)) {
		drop_map(i);
		return;
	}
	/* Past its end only into another device mapping, never the fuzzer's own memory. */
	if (!owned(a, len))
		return;
	snprintf(detail, sizeof(detail), "%s%s mapping %p+%#llx, range %p+%#llx",
		 strategy_name[m->strat], m->stats ? " statistics" : "", m->addr, ULL(m->len), a, ULL(len));
	errno = 0;
	switch (below(8)) {
	case 0: {
		int adv = chance(70) ? (int)below(26) : (int)below(200);

		trace(adv == MADV_REMOVE ? "madvise REMOVE" : "madvise", detail);
		ret = madvise(a, len, adv);
		/* MADV_REMOVE is fallocate(PUNCH_HOLE): ENODEV, not a regular file (fallocate(2)). */
		check_errno("madvise", ret, madvise_errnos | (adv == MADV_REMOVE ? BIT(ENODEV) : 0), detail);
		break;
	}
	case 1: {
		int prot = chance(80) ? (int)below(8) : (int)rnd();

		trace("mprotect", detail);
		ret = mprotect(a, len, prot);
		check_errno("mprotect", ret, mprotect_errnos, detail);
		if (!ret && m->stats && (prot & PROT_WRITE))
			fail("mprotect(PROT_WRITE) of the statistics mapping succeeded");
		break;
	}
	case 2: {
		u64 new_len = chance(50) ? len : rand_len();
		int flags = below(8);
		void *p, *dst = NULL;

		if (m->strat == BENCH_MMIO_STRATEGY_PUD && ex_mremap_pud && !m->stats)
			return;
		if (new_len < len && !may_split(m, a, new_len))
			return;
		if (new_len > SZ_1G * 4)
			new_len = SZ_2M;
		if (flags & MREMAP_FIXED) {
			dst = arena + ARENA_SIZE / 2 + below(ARENA_SIZE / 4 / SZ_4K) * SZ_4K;
			if (overlaps_dev(dst, new_len))
				return;	/* it would unmap part of a device mapping */
		}
		{
			char d2[300];

			snprintf(d2, sizeof(d2), "%s, new_len %#llx, flags %#x, dst %p", detail, ULL(new_len), flags, dst);
			trace("mremap", d2);
		}
		p = mremap(a, len, new_len, flags, dst);
		check_errno("mremap", p == MAP_FAILED ? -1 : 0, mremap_errnos, detail);
		if (p != MAP_FAILED) {
			/* Forget the record: the fuzzer unmaps everything it knows of at the end. */
			if (a == m->addr && len >= m->len && !(flags & MREMAP_DONTUNMAP)) {
				m->addr = p;
				m->len = new_len;
			} else if (nmaps < MAX_MAPS) {
				maps[nmaps++] = (struct map){ p, new_len, m->off, m->strat, m->stats };
			}
		}
		break;
	}
	case 3:
		trace("munmap", detail);
		ret = munmap(a, len);
		check_errno("munmap", ret, munmap_errnos, detail);
		if (!ret && a == m->addr && len >= m->len)
			drop_map(i);
		break;
	case 4:
		trace("mlock", detail);
		ret = mlock(a, len);
		check_errno("mlock", ret, mlock_errnos, detail);
		if (!ret)
			munlock(a, len);
		break;
	case 5:
		ret = msync(a, len, (int)below(8));
		check_errno("msync", ret, msync_errnos, detail);
		break;
	case 6: {
		static unsigned char vec[1 << 20];

		ret = mincore(a, len > (sizeof(vec) << 12) ? sizeof(vec) << 12 : len, vec);
		check_errno("mincore", ret, mincore_errnos, detail);
		break;
	}
	default:
		if (len >= SZ_4K)
			probe(a);
		break;
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: fuzz [--seed=N] [--count=N] [--exclude=ID,...] [--verbose]\n");
}

int main(int argc, char **argv)
{
	u64 seed = 0, count = 20000;
	bool have_seed = false;
	struct sigaction sa;
	int n = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--seed=", 7))
			seed = strtoull(a + 7, NULL, 0), have_seed = true;
		else if (!strncmp(a, "--count=", 8))
			count = strtoull(a + 8, NULL, 0);
		else if (!strcmp(a, "--verbose"))
			verbose = 1;
		else if (!strncmp(a, "--exclude=", 10)) {
			char *list = strdup(a + 10), *save = NULL;

			for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
				ex_mremap_pud |= !strcmp(id, "mremap-pud");
				ex_zap_partial |= !strcmp(id, "zap-partial-pud");
				ex_remap_split |= !strcmp(id, "pat-remap-split");
				ex_split_pud |= !strcmp(id, "split-pud");
				ex_remap_zap |= !strcmp(id, "pat-remap-zap");
			}
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((u64)ts.tv_sec * 1000003 ^ (u64)ts.tv_nsec) % 1000000000;
	}
	rs = seed;
	printf("# fuzz: seed=%llu count=%llu (replay: --seed=%llu --count=%llu)\n", ULL(seed), ULL(count),
	       ULL(seed), ULL(count));
	printf("TAP version 13\n");
	fflush(stdout);

	for (int s = 0; s < NSTRAT; s++) {
		struct bench_mmio_set set = { .value = s };

		fds[s] = open(BENCH_MMIO_DEVICE, O_RDWR | O_CLOEXEC);
		if (fds[s] < 0 || ioctl(fds[s], BENCH_MMIO_SET_STRATEGY, &set)) {
			printf("not ok 1 - fuzz: open and SET_STRATEGY %s: %s\n", strategy_name[s], strerror(errno));
			return 1;
		}
	}
	if (ioctl(fds[0], BENCH_MMIO_GET_INFO, &info)) {
		printf("not ok 1 - fuzz: GET_INFO: %s\n", strerror(errno));
		return 1;
	}
	if (!(info.features & BENCH_MMIO_FEAT_GUARDS)) {
		ex_mremap_pud = ex_zap_partial = ex_remap_split = true;
		printf("# fuzz: the module has no guards: no mremap of pud mappings, no partial 1G ZAP, no remap splits\n");
	}
	if (!(info.features & BENCH_MMIO_FEAT_MAY_SPLIT))
		ex_split_pud = true;

	/* The bad pointers. */
	/*
	 * Below mmap_min_addr nothing is ever mapped; the read-only page is
	 * followed by a PROT_NONE one (a hole would get filled by mmap()).
	 */
	unmapped = (char *)0x1000;
	readonly = mmap(NULL, 2 * SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	noaccess = readonly + SZ_4K;
	mprotect(noaccess, SZ_4K, PROT_NONE);
	arena = mmap(NULL, ARENA_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		printf("not ok 1 - fuzz: no arena\n");
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_NODEFER | SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	for (u64 i = 0; i < count; i++) {
		unsigned int op = below(100);
		static bool dumped;

		/* FUZZ_DUMP_AT=N: the device's VMAs and their flags before call N (debugging). */
		if (getenv("FUZZ_DUMP_AT") && !dumped && calls >= strtoull(getenv("FUZZ_DUMP_AT"), NULL, 0)) {
			FILE *f = fopen("/proc/self/smaps", "r");
			char line[512];
			bool dev = false;

			dumped = true;
			while (f && fgets(line, sizeof(line), f)) {
				if (strchr(line, '-') && strchr(line, ':') && line[0] != 'V')
					dev = strstr(line, BENCH_MMIO_DEVICE) != NULL;
				if (dev && (strstr(line, BENCH_MMIO_DEVICE) || !strncmp(line, "VmFlags", 7)))
					printf("# smaps: %s", line);
			}
			if (f)
				fclose(f);
		}

		if (op < 40)
			fuzz_ioctl();
		else if (op < 70 || !nmaps)
			fuzz_mmap();
		else
			fuzz_map_op();
		if (nmaps > MAX_MAPS - 4 || chance(2))
			unmap_all();
	}
	unmap_all();
	munmap(arena, ARENA_SIZE);
	ioctl(fds[0], BENCH_MMIO_RESTORE);
	for (int s = 0; s < NSTRAT; s++)
		close(fds[s]);

	printf("# fuzz: %llu calls; tolerated errnos:", ULL(calls));
	for (unsigned int e = 0; e < ARRAY_SIZE(errs); e++)
		if (errs[e])
			printf(" %s=%llu", strerrorname_np(e) ? strerrorname_np(e) : "?", ULL(errs[e]));
	printf("\n");
	printf("%sok %d - fuzz: %llu calls (seed %llu), every errno documented, every exact answer right\n",
	       failures ? "not " : "", ++n, ULL(calls), ULL(seed));
	printf("# fuzz: seed=%llu\n", ULL(seed));
	return failures ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * stress - a seeded race harness for /dev/bench_mmio, run in a guest.
 *
 *   stress [--seed=N] [--duration=S] [--procs=P] [--threads=T]
 *          [--exclude=ID,...] [--verbose]
 *
 * P processes of T threads each run a random mix of operations on their own
 * mappings of every strategy, all of the same backing: touch (read, write,
 * check the data), ZAP, REVOKE/RESTORE, mmap/munmap (whole and sub-ranges),
 * mremap (shrink, grow, move), mprotect and madvise of sub-ranges (VMA
 * splits inside huge regions), mbind, fork (the child touches and exits),
 * close and reopen while mapped, CENSUS and /proc/self/mem reads.  What races
 * is what the kernel shares: the mm (threads), the device and its
 * address_space (ZAP, REVOKE), and the page tables fork copies.
 *
 * Invariants, checked as it goes:
 *  - after REVOKE returns and until RESTORE begins, every access SIGBUSes
 *    (sigsetjmp per thread), and while the device is not revoked none does
 *    (the remap strategy's documented exception: a mapping whose mmap()
 *    overlapped a REVOKE may stay populated through it);
 *  - every access reads the backing's data: word 0 of each 64K-aligned
 *    page holds a tag of its offset (written before the workers start), any
 *    other page holds 0 or its own tag; each worker's own word reads back
 *    what it wrote;
 *  - the module's counters add up, per file: mmaps, zaps, SIGBUSes (the
 *    workers' and their children's), refused splits are what the workers
 *    did and saw; pages = sum of faults by level (pte, pmd, pud); no level
 *    above the strategy's; no insert error;
 *  - every system call returns success or the errno documented for it
 *    (bench_mmio_uapi.h, mmap(2), mremap(2), madvise(2), mbind(2)).
 * The guest's script (stress.sh) adds: the module unloads, no PAT
 * reservation leaks, the kernel log is clean.
 *
 * Findings (tests/corpus/expected): operations that hit a kernel bug present
 * on the running kernel are left out with --exclude=ID, and listed.  A guard
 * the module lacks (an older module) leaves its operations out too.
 *
 * Output: the seed first, TAP last.  Each thread's operations are a function
 * of the seed (the interleaving is the scheduler's): --seed replays them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/mempolicy.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_mmio_uapi.h"

typedef uint64_t u64;

#define SZ_4K		4096ULL
#define SZ_64K		(64ULL << 10)
#define SZ_2M		(2ULL << 20)
#define SZ_1G		(1ULL << 30)
#define MAX_REGION	(4ULL << 30)
#define MAX_RECS	24
#define MAX_FILES	(MAX_RECS + NSTRAT + 1)	/* every record on a closed file, and the open ones */
#define MAX_PROCS	8
#define MAX_THREADS	8
#define NSTRAT		BENCH_MMIO_NR_STRATEGIES
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ULL(x)		((unsigned long long)(x))

static const char *const strategy_name[NSTRAT] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_NAME)
};
static const unsigned int strategy_level[NSTRAT] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_LEVEL)
};

/* The operations, for the op counts. */
#define OPS(X)								\
	X(touch) X(zap) X(revoke) X(restore) X(mmap) X(munmap)		\
	X(munmap_part) X(mremap_shrink) X(mremap_grow) X(mremap_move)	\
	X(mprotect) X(madvise) X(mbind) X(mbind_strict) X(fork)		\
	X(reopen) X(check) X(census) X(procmem) X(refused_split)
#define X_ENUM(n) OP_##n,
#define X_NAME(n) #n,
enum { OPS(X_ENUM) NR_OPS };
static const char *const op_name[NR_OPS] = { OPS(X_NAME) };

/* Findings whose operations can be left out. */
static const struct finding {
	const char *id, *what;
} findings[] = {
	{ "mbind-strict-pmd", "mbind(MPOL_MF_STRICT) of pmd and pud mappings" },
	{ "mremap-pud", "mremap() move of pud mappings" },
	{ "zap-partial-pud", "ZAP of part of a 1G extent" },
	{ "split-pud", "splits (munmap, mprotect, madvise, mbind, mremap shrink) of pud mappings" },
	{ "pat-remap-split", "splits of remap mappings" },
	{ "pat-remap-race", "ZAP/REVOKE concurrent with fork() or mremap() of remap mappings" },
	{ "proc-mem-access", "/proc/self/mem reads" },
	/* A zap frees a live remap mapping's PAT reservation: any ZAP or REVOKE would hit it. */
	{ "pat-remap-zap", "mappings of the remap strategy (every ZAP and REVOKE zaps them)" },
};
enum { F_MBIND_STRICT, F_MREMAP_PUD, F_ZAP_PARTIAL, F_SPLIT_PUD, F_REMAP_SPLIT,
       F_REMAP_RACE, F_PROC_MEM, F_REMAP_ZAP, NR_FINDINGS };
static bool excluded[NR_FINDINGS];
static const char *excluded_why[NR_FINDINGS];

/* State every process sees (MAP_SHARED). */
struct shared {
	/*
	 * The device's access state, gen % 4: 0 restored, 1 REVOKE running,
	 * 2 revoked (REVOKE returned), 3 RESTORE running.  Changed only under
	 * revoke_lock.
	 */
	_Atomic u64 gen;
	pthread_mutex_t revoke_lock;
	/* pat-remap-race excluded: ZAP/REVOKE write, fork/mremap read. */
	pthread_rwlock_t race_lock;
	_Atomic int stop;
	_Atomic int failures;
	_Atomic u64 ops[NR_OPS];
	_Atomic u64 errnos[NR_OPS];	/* tolerated errno returns */
	char first_failure[1024];
};
static struct shared *sh;

static struct bench_mmio_info info;
static u64 region;		/* bytes of the backing in use */
static u64 seed;
static int verbose;
static int nprocs = 2, nthreads = 3;
static double duration = 10;
static struct timespec t_end;
static int in_child;

static u64 tag_of(u64 off)
{
	return 0x5354524553530000ULL ^ ((off >> 12) * 0x9E3779B97F4A7C15ULL);
}

static u64 worker_word(u64 off, int wid, u64 seq)
{
	return (off * 31 + (u64)wid * 1000003 + seq) | 1;
}

/* ---------------------------------------------------------------------- */

static void fail(const char *fmt, ...)
{
	char buf[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (atomic_fetch_add(&sh->failures, 1) == 0)
		snprintf(sh->first_failure, sizeof(sh->first_failure), "%s%s", in_child ? "fork child: " : "", buf);
	if (in_child) {
		/* No stdio lock in a child of a threaded process. */
		char line[1000];
		int n = snprintf(line, sizeof(line), "# FAIL [fork child]: %s\n", buf);

		if (write(2, line, n) < 0)
			{}
	} else {
		fprintf(stderr, "# FAIL [pid %d]: %s\n", getpid(), buf);
	}
	atomic_store(&sh->stop, 1);
}

struct rng { u64 s; };

static u64 rnd(struct rng *r)
{
	/* splitmix64 */
	u64 z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static u64 below(struct rng *r, u64 n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int pct)
{
	return below(r, 100) < pct;
}

static bool expired(void)
{
	struct timespec now;

	if (atomic_load(&sh->stop))
		return true;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t_end.tv_sec ||
	       (now.tv_sec == t_end.tv_sec && now.tv_nsec >= t_end.tv_nsec);
}

/* ---------------------------------------------------------------------- */
/* Per-thread accesses under sigsetjmp                                     */

static __thread sigjmp_buf access_env;
static __thread volatile int in_access;
static __thread volatile int access_sig;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (in_access) {
		access_sig = sig;
		in_access = 0;
		siglongjmp(access_env, 1);
	}
	/* Not ours: report and die with the signal. */
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "# FAIL: signal %d at %p outside an access\n",
			 sig, si->si_addr);
	if (write(2, msg, n) < 0)
		{}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/* Read (write < 0) or write a word: 0, or the signal it raised. */
static int access_word(volatile u64 *p, u64 *val, bool write)
{
	access_sig = 0;
	if (sigsetjmp(access_env, 1))
		return access_sig;
	in_access = 1;
	if (write)
		*p = *val;
	else
		*val = *p;
	in_access = 0;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Files and records (one record: part of one VMA)                          */

struct file_rec {
	int fd;			/* -1: closed (its mappings may live on) */
	int strat;
	int refs;		/* records that map it */
	u64 guards;
	/* What the harness did and saw through it. */
	u64 mmaps, zaps, sigbus, refused, mmap_pages_clean, mmap_pages_all;
};

struct rec {
	char *addr;
	u64 len, off;
	struct file_rec *f;
	int prot;
	u64 g1, g2;		/* gen before and after its mmap() */
	bool whole;		/* a whole VMA (never split) */
};

struct worker {
	int wid;		/* global worker id */
	struct rng r;
	struct file_rec files[MAX_FILES];
	struct file_rec *cur[NSTRAT];
	struct rec recs[MAX_RECS];
	int nrecs;
	u64 seq;
	int memfd;
};

static int open_dev(void)
{
	return open(BENCH_MMIO_DEVICE, O_RDWR | O_CLOEXEC);
}

static struct file_rec *new_file(struct worker *w, int strat)
{
	struct file_rec *f = NULL;
	struct bench_mmio_set set = { .value = strat };
	struct bench_mmio_info fi;

	for (int i = 0; i < MAX_FILES; i++)
		if (w->files[i].fd < 0 && !w->files[i].refs) {
			f = &w->files[i];
			break;
		}
	if (!f) {
		fail("worker %d: out of file slots", w->wid);
		return NULL;
	}
	memset(f, 0, sizeof(*f));
	f->strat = strat;
	f->fd = open_dev();
	if (f->fd < 0) {
		fail("open %s: %s", BENCH_MMIO_DEVICE, strerror(errno));
		return NULL;
	}
	if (ioctl(f->fd, BENCH_MMIO_SET_STRATEGY, &set)) {
		fail("SET_STRATEGY %s: %s", strategy_name[strat], strerror(errno));
		return NULL;
	}
	if (ioctl(f->fd, BENCH_MMIO_GET_INFO, &fi)) {
		fail("GET_INFO: %s", strerror(errno));
		return NULL;
	}
	f->guards = (info.features & BENCH_MMIO_FEAT_GUARDS) ? fi.guards : 0;
	w->cur[strat] = f;
	return f;
}

/* The module's counters of @f against what this worker counted. */
static void check_file(struct worker *w, struct file_rec *f, const char *when)
{
	struct bench_mmio_stats st;
	u64 want_pages;

	if (f->fd < 0)
		return;
	atomic_fetch_add(&sh->ops[OP_check], 1);
	if (ioctl(f->fd, BENCH_MMIO_GET_STATS, &st)) {
		fail("GET_STATS: %s", strerror(errno));
		return;
	}
#define CK(cond, fmt, ...) do { if (!(cond)) fail("worker %d, %s file, %s: " fmt, \
	w->wid, strategy_name[f->strat], when, ##__VA_ARGS__); } while (0)
	CK(st.mmaps == f->mmaps, "stats.mmaps %llu, the worker made %llu", ULL(st.mmaps), ULL(f->mmaps));
	CK(st.zaps == f->zaps, "stats.zaps %llu, the worker made %llu ZAP+REVOKE", ULL(st.zaps), ULL(f->zaps));
	CK(st.sigbus == f->sigbus, "stats.sigbus %llu, the worker and its children saw %llu",
	   ULL(st.sigbus), ULL(f->sigbus));
	CK(st.insert_errors == 0, "stats.insert_errors %llu", ULL(st.insert_errors));
	if (info.features & BENCH_MMIO_FEAT_GUARDS)
		CK(st.splits_refused == f->refused, "stats.splits_refused %llu, the worker saw %llu EINVAL",
		   ULL(st.splits_refused), ULL(f->refused));
	for (unsigned int l = strategy_level[f->strat] + 1; l < BENCH_MMIO_NR_LEVELS; l++)
		CK(!st.faults[l] && !st.fallbacks[l], "faults/fallbacks at level %u above the strategy's", l);
	want_pages = st.faults[0] + (st.faults[1] << 9) + (st.faults[2] << 18);
	switch (f->strat) {
	case BENCH_MMIO_STRATEGY_REMAP:
		CK(st.pages >= want_pages + f->mmap_pages_clean &&
		   st.pages <= want_pages + f->mmap_pages_all,
		   "stats.pages %llu, faults give %llu, mmap() populated %llu..%llu",
		   ULL(st.pages), ULL(want_pages), ULL(f->mmap_pages_clean), ULL(f->mmap_pages_all));
		break;
	case BENCH_MMIO_STRATEGY_BULK:
		CK(st.pages >= st.faults[0], "stats.pages %llu < faults %llu", ULL(st.pages), ULL(st.faults[0]));
		break;
	default:
		CK(st.pages == want_pages, "stats.pages %llu, faults by level give %llu (%llu/%llu/%llu)",
		   ULL(st.pages), ULL(want_pages), ULL(st.faults[0]), ULL(st.faults[1]), ULL(st.faults[2]));
	}
#undef CK
}

static void put_file(struct worker *w, struct file_rec *f)
{
	(void)w;
	f->refs--;
}

/* ---------------------------------------------------------------------- */
/* Access checking                                                          */

/* May @rc's mapping be populated while revoked in epoch @g (gen % 4 == 2)? */
static bool remap_exempt(const struct rec *rc, u64 g)
{
	/* Its mmap() overlapped the REVOKE that went from g - 2 to g. */
	return rc->f->strat == BENCH_MMIO_STRATEGY_REMAP && rc->g1 < g && rc->g2 >= g - 1;
}

/*
 * Touch @addr of @rc: check the data and the revocation rule.  Returns 1 on
 * SIGBUS, 0 otherwise.  @wid < 0: a child (reads only).
 */
static int touch_page(struct worker *w, struct rec *rc, u64 pg, bool write)
{
	volatile u64 *p = (volatile u64 *)(rc->addr + pg * SZ_4K);
	u64 off = rc->off + pg * SZ_4K, v = 0, g1, g2;
	bool tagged = !(off % SZ_64K);
	int sig;

	if (!(rc->prot & PROT_WRITE) || !tagged)
		write = false;
	g1 = atomic_load(&sh->gen);
	sig = access_word(p, &v, false);
	if (!sig && write) {
		u64 mine = worker_word(off, w->wid, ++w->seq), back = 0;
		u64 t = tag_of(off);

		sig = access_word(p, &t, true);
		if (!sig)
			sig = access_word(p + 1 + w->wid, &mine, true);
		if (!sig)
			sig = access_word(p + 1 + w->wid, &back, false);
		if (!sig && back != mine)
			fail("worker %d: %s mapping at %p (backing +%#llx): wrote %#llx, read back %#llx",
			     w->wid, strategy_name[rc->f->strat], (void *)p, ULL(off), ULL(mine), ULL(back));
	}
	g2 = atomic_load(&sh->gen);
	if (sig && sig != SIGBUS) {
		fail("worker %d: signal %d touching %s mapping %p+%#llx (backing +%#llx, len %#llx, prot %d)",
		     w->wid, sig, strategy_name[rc->f->strat], rc->addr, ULL(pg * SZ_4K), ULL(off),
		     ULL(rc->len), rc->prot);
		return 0;
	}
	if (!sig && v != (tagged ? tag_of(off) : 0) && !(!tagged && v == tag_of(off)))
		fail("worker %d: %s mapping %p (backing +%#llx) reads %#llx, the backing holds %#llx",
		     w->wid, strategy_name[rc->f->strat], (void *)p, ULL(off), ULL(v),
		     ULL(tagged ? tag_of(off) : 0));
	if (g1 == g2 && g1 % 4 == 2 && !sig && !remap_exempt(rc, g1))
		fail("worker %d: %s of %s mapping %p (backing +%#llx) succeeded after REVOKE returned (gen %llu)",
		     w->wid, write ? "write" : "read", strategy_name[rc->f->strat], (void *)p, ULL(off),
		     ULL(g1));
	if (g1 == g2 && g1 % 4 == 0 && sig)
		fail("worker %d: %s mapping %p (backing +%#llx): SIGBUS while not revoked (gen %llu)",
		     w->wid, strategy_name[rc->f->strat], (void *)p, ULL(off), ULL(g1));
	return sig == SIGBUS;
}

/* A page of @rc to touch: mostly tagged ones. */
static u64 pick_page(struct worker *w, struct rec *rc)
{
	u64 pages = rc->len / SZ_4K, pg = below(&w->r, pages);

	if (chance(&w->r, 80)) {
		u64 off = rc->off + pg * SZ_4K, up = (SZ_64K - off % SZ_64K) % SZ_64K;

		if (pg * SZ_4K + up < rc->len)
			pg += up / SZ_4K;
	}
	return pg;
}

static void op_touch(struct worker *w, struct rec *rc)
{
	int n = 1 + below(&w->r, 8);

	for (int i = 0; i < n; i++)
		rc->f->sigbus += touch_page(w, rc, pick_page(w, rc), chance(&w->r, 40));
	atomic_fetch_add(&sh->ops[OP_touch], 1);
}

/* ---------------------------------------------------------------------- */
/* Records                                                                  */

static struct rec *add_rec(struct worker *w, char *addr, u64 len, u64 off, struct file_rec *f,
			   int prot, u64 g1, u64 g2)
{
	struct rec *rc;

	if (w->nrecs == MAX_RECS)
		return NULL;
	rc = &w->recs[w->nrecs++];
	*rc = (struct rec){ addr, len, off, f, prot, g1, g2, false };
	f->refs++;
	return rc;
}

static void del_rec(struct worker *w, struct rec *rc)
{
	put_file(w, rc->f);
	*rc = w->recs[--w->nrecs];
}

/* Split @rc at @at bytes (0 < at < len) into two records. */
static struct rec *split_rec(struct worker *w, struct rec *rc, u64 at)
{
	struct rec *tail;

	if (w->nrecs == MAX_RECS)
		return NULL;
	tail = add_rec(w, rc->addr + at, rc->len - at, rc->off + at, rc->f, rc->prot, rc->g1, rc->g2);
	rc->len = at;
	return tail;
}

static bool is_pud(const struct rec *rc)
{
	return rc->f->strat == BENCH_MMIO_STRATEGY_PUD;
}

static bool is_huge(const struct rec *rc)
{
	return strategy_level[rc->f->strat] > BENCH_MMIO_LEVEL_PTE;
}

static bool is_remap(const struct rec *rc)
{
	return rc->f->strat == BENCH_MMIO_STRATEGY_REMAP;
}

/* May a sub-range of @rc be split off?  -1: no (excluded), 0: yes, 1: refused with EINVAL. */
static int split_rule(const struct rec *rc)
{
	if (is_remap(rc)) {
		if (rc->f->guards & BENCH_MMIO_GUARD_REMAP_SPLIT)
			return 1;
		if (excluded[F_REMAP_SPLIT])
			return -1;
	}
	if (is_pud(rc) && excluded[F_SPLIT_PUD])
		return -1;
	return 0;
}

/* A random page-aligned sub-range [*start, *start + *len) of @rc, not all of it. */
static bool pick_sub(struct worker *w, struct rec *rc, u64 *start, u64 *len)
{
	u64 pages = rc->len / SZ_4K, a, b;

	if (pages < 2)
		return false;
	switch (below(&w->r, 3)) {
	case 0:		/* 2M-aligned cut inside if possible */
		a = (below(&w->r, rc->len / SZ_2M + 1) * SZ_2M) / SZ_4K;
		if (a == 0 || a >= pages)
			a = 1 + below(&w->r, pages - 1);
		b = pages;
		break;
	case 1:
		a = 0;
		b = 1 + below(&w->r, pages - 1);
		break;
	default:
		a = below(&w->r, pages - 1);
		b = a + 1 + below(&w->r, pages - a - 1);
		break;
	}
	if (b - a == pages)
		return false;
	*start = a * SZ_4K;
	*len = (b - a) * SZ_4K;
	return true;
}

/*
 * Make [start, start+len) of @rc its own record (splitting as the kernel
 * splits the VMA); returns it, or NULL when out of records.
 */
static struct rec *isolate(struct worker *w, struct rec *rc, u64 start, u64 len)
{
	int idx = rc - w->recs;

	if (w->nrecs + 2 > MAX_RECS)
		return NULL;
	rc->whole = false;
	if (start + len < rc->len)
		split_rec(w, rc, start + len);
	rc = &w->recs[idx];
	if (start) {
		rc = split_rec(w, rc, start);
	}
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Operations                                                               */

static void lock_gen(void)
{
	pthread_mutex_lock(&sh->revoke_lock);
}

static void race_wr(bool lock)
{
	if (!excluded[F_REMAP_RACE])
		return;
	if (lock)
		pthread_rwlock_wrlock(&sh->race_lock);
	else
		pthread_rwlock_unlock(&sh->race_lock);
}

static void race_rd(bool lock)
{
	if (!excluded[F_REMAP_RACE])
		return;
	if (lock)
		pthread_rwlock_rdlock(&sh->race_lock);
	else
		pthread_rwlock_unlock(&sh->race_lock);
}

static struct file_rec *any_file(struct worker *w)
{
	return w->cur[below(&w->r, NSTRAT)];
}

static void op_zap(struct worker *w)
{
	struct file_rec *f = any_file(w);
	struct bench_mmio_range rg = { 0 };
	u64 pages = region / SZ_4K;

	switch (below(&w->r, 4)) {
	case 0:
		break;		/* the whole backing */
	case 1:
		rg.offset = below(&w->r, region / SZ_1G) * SZ_1G;
		rg.length = SZ_1G;
		break;
	case 2:
		rg.offset = below(&w->r, region / SZ_2M) * SZ_2M;
		rg.length = SZ_2M * (1 + below(&w->r, 4));
		break;
	default:
		rg.offset = below(&w->r, pages) * SZ_4K;
		rg.length = SZ_4K * (1 + below(&w->r, 1024));
		break;
	}
	if (rg.offset + rg.length > region)
		rg.length = 0;
	if (excluded[F_ZAP_PARTIAL] && (rg.offset % SZ_1G || rg.length % SZ_1G)) {
		rg.offset -= rg.offset % SZ_1G;
		rg.length = rg.length ? SZ_1G : 0;
	}
	race_wr(true);
	if (ioctl(f->fd, BENCH_MMIO_ZAP, &rg))
		fail("ZAP %#llx+%#llx: %s", ULL(rg.offset), ULL(rg.length), strerror(errno));
	else
		f->zaps++;
	race_wr(false);
	atomic_fetch_add(&sh->ops[OP_zap], 1);
}

static void op_revoke(struct worker *w, bool restore)
{
	struct file_rec *f = any_file(w);
	u64 g;

	race_wr(true);
	lock_gen();
	g = atomic_load(&sh->gen);
	if ((g % 4 == 0) != restore) {
		atomic_store(&sh->gen, g + 1);
		if (ioctl(f->fd, restore ? BENCH_MMIO_RESTORE : BENCH_MMIO_REVOKE))
			fail("%s: %s", restore ? "RESTORE" : "REVOKE", strerror(errno));
		else if (!restore)
			f->zaps++;
		atomic_store(&sh->gen, g + 2);
		atomic_fetch_add(&sh->ops[restore ? OP_restore : OP_revoke], 1);
	}
	pthread_mutex_unlock(&sh->revoke_lock);
	race_wr(false);
}

static const u64 lengths[] = {
	SZ_4K, 16 * SZ_4K, SZ_2M, 2 * SZ_2M + SZ_4K, 64 * SZ_2M, SZ_1G, SZ_1G + SZ_2M, 2 * SZ_1G,
};

static void op_mmap(struct worker *w)
{
	int strat = below(&w->r, NSTRAT);
	struct file_rec *f;
	u64 len = lengths[below(&w->r, ARRAY_SIZE(lengths))], off, g1, g2;
	int prot = chance(&w->r, 85) ? PROT_READ | PROT_WRITE : PROT_READ;
	char *p;

	if (w->nrecs >= MAX_RECS - 4)
		return;
	if (strat == BENCH_MMIO_STRATEGY_REMAP && excluded[F_REMAP_ZAP])
		strat = BENCH_MMIO_STRATEGY_REMAP + 1 + below(&w->r, NSTRAT - 1);
	f = w->cur[strat];
	if (len > region)
		len = region;
	switch (below(&w->r, 3)) {
	case 0:
		off = below(&w->r, (region - len) / SZ_1G + 1) * SZ_1G;
		break;
	case 1:
		off = below(&w->r, (region - len) / SZ_2M + 1) * SZ_2M;
		break;
	default:
		off = below(&w->r, (region - len) / SZ_4K + 1) * SZ_4K;
		break;
	}
	g1 = atomic_load(&sh->gen);
	p = mmap(NULL, len, prot, MAP_SHARED, f->fd, off);
	g2 = atomic_load(&sh->gen);
	atomic_fetch_add(&sh->ops[OP_mmap], 1);
	if (p == MAP_FAILED) {
		/* An address space of 8 x 4 x 2G mappings may run out. */
		if (errno != ENOMEM)
			fail("mmap %s %#llx at +%#llx: %s", strategy_name[strat], ULL(len), ULL(off),
			     strerror(errno));
		atomic_fetch_add(&sh->errnos[OP_mmap], 1);
		return;
	}
	f->mmaps++;
	f->mmap_pages_all += len / SZ_4K;
	if (g1 == g2 && g1 % 4 == 0)
		f->mmap_pages_clean += len / SZ_4K;
	add_rec(w, p, len, off, f, prot, g1, g2)->whole = true;
}

/*
 * A split of a remap mapping with BENCH_MMIO_GUARD_REMAP_SPLIT: EINVAL.  An
 * madvise() or mbind() that changes nothing (the advice or policy already
 * there) splits nothing and succeeds: @noop_ok.
 */
static void note_refused_if(struct rec *rc, int ret, const char *what, bool noop_ok)
{
	if (ret == 0 && noop_ok)
		return;
	if (ret == 0) {
		fail("%s of part of a remap mapping succeeded, BENCH_MMIO_GUARD_REMAP_SPLIT is on", what);
		return;
	}
	if (errno != EINVAL) {
		fail("%s of part of a remap mapping: %s, the guard documents EINVAL", what, strerror(errno));
		return;
	}
	rc->f->refused++;
	atomic_fetch_add(&sh->ops[OP_refused_split], 1);
}

static void note_refused(struct rec *rc, int ret, const char *what)
{
	note_refused_if(rc, ret, what, false);
}

static void op_munmap(struct worker *w, struct rec *rc)
{
	u64 start, len;
	int rule;

	if (!chance(&w->r, 50) || !pick_sub(w, rc, &start, &len)) {
		if (munmap(rc->addr, rc->len))
			fail("munmap %p+%#llx: %s", rc->addr, ULL(rc->len), strerror(errno));
		del_rec(w, rc);
		atomic_fetch_add(&sh->ops[OP_munmap], 1);
		return;
	}
	rule = split_rule(rc);
	if (rule < 0)
		return;
	if (rule > 0) {
		note_refused(rc, munmap(rc->addr + start, len), "munmap");
		return;
	}
	rc = isolate(w, rc, start, len);
	if (!rc)
		return;
	if (munmap(rc->addr, rc->len))
		fail("munmap of part %p+%#llx: %s", rc->addr, ULL(rc->len), strerror(errno));
	del_rec(w, rc);
	atomic_fetch_add(&sh->ops[OP_munmap_part], 1);
}

static void op_mremap(struct worker *w, struct rec *rc)
{
	unsigned int kind = below(&w->r, 3);
	u64 new_len;
	void *p;

	if (kind == 0) {		/* shrink in place: a split */
		int rule = split_rule(rc);

		if (rc->len < 2 * SZ_4K || rule < 0)
			return;
		new_len = (1 + below(&w->r, rc->len / SZ_4K - 1)) * SZ_4K;
		if (chance(&w->r, 50) && rc->len > SZ_2M)
			new_len = (1 + below(&w->r, (rc->len - 1) / SZ_2M)) * SZ_2M;
		if (rule > 0) {
			race_rd(true);
			p = mremap(rc->addr, rc->len, new_len, 0);
			race_rd(false);
			note_refused(rc, p == MAP_FAILED ? -1 : 0, "mremap shrink");
			return;
		}
		race_rd(true);
		p = mremap(rc->addr, rc->len, new_len, 0);
		race_rd(false);
		if (p != rc->addr)
			fail("mremap shrink %p %#llx -> %#llx: %s", rc->addr, ULL(rc->len), ULL(new_len),
			     p == MAP_FAILED ? strerror(errno) : "moved");
		else
			rc->len = new_len;
		atomic_fetch_add(&sh->ops[OP_mremap_shrink], 1);
		return;
	}
	if (kind == 1) {		/* grow: VM_DONTEXPAND refuses */
		race_rd(true);
		p = mremap(rc->addr, rc->len, rc->len + SZ_2M, MREMAP_MAYMOVE);
		race_rd(false);
		if (p != MAP_FAILED || errno != EFAULT) {
			fail("mremap grow of a %s mapping: %s, want EFAULT (VM_DONTEXPAND)",
			     strategy_name[rc->f->strat], p == MAP_FAILED ? strerror(errno) : "succeeded");
			if (p != MAP_FAILED)
				rc->addr = p, rc->len += SZ_2M;
		}
		atomic_fetch_add(&sh->ops[OP_mremap_grow], 1);
		return;
	}
	/* move the whole record (one VMA or part of one: part is a split) */
	if (is_pud(rc) && excluded[F_MREMAP_PUD])
		return;
	if (!rc->whole && split_rule(rc) < 0)
		return;
	{
		u64 align = chance(&w->r, 50) ? SZ_1G : SZ_2M, phys = info.phys_base + rc->off;
		char *res = mmap(NULL, rc->len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		char *dst;

		if (res == MAP_FAILED)
			return;
		dst = res + ((phys - (u64)res) & (align - 1));
		if (chance(&w->r, 20))
			dst += SZ_4K;	/* misaligned: small pages after the move */
		if (dst + rc->len > res + rc->len + align)
			dst -= SZ_4K;
		race_rd(true);
		p = mremap(rc->addr, rc->len, rc->len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		race_rd(false);
		if (p == MAP_FAILED) {
			/* Part of a VMA of a remap file with the guard: a split, refused. */
			if (errno == EINVAL && is_remap(rc) && (rc->f->guards & BENCH_MMIO_GUARD_REMAP_SPLIT))
				note_refused(rc, -1, "mremap move");
			else
				fail("mremap move of %s %p+%#llx to %p: %s", strategy_name[rc->f->strat], rc->addr,
				     ULL(rc->len), dst, strerror(errno));
			munmap(res, rc->len + align);
			return;
		}
		/* Drop what is left of the reservation around it. */
		if (dst > res)
			munmap(res, dst - res);
		if (dst + rc->len < res + rc->len + align)
			munmap(dst + rc->len, res + rc->len + align - (dst + rc->len));
		rc->addr = dst;
		atomic_fetch_add(&sh->ops[OP_mremap_move], 1);
	}
}

static void op_mprotect(struct worker *w, struct rec *rc)
{
	u64 start = 0, len = rc->len;
	int prot = rc->prot == PROT_READ ? PROT_READ | PROT_WRITE : PROT_READ;
	int rule = 0;

	if (chance(&w->r, 70) && pick_sub(w, rc, &start, &len)) {
		rule = split_rule(rc);
		if (rule < 0)
			return;
		if (rule > 0) {
			note_refused(rc, mprotect(rc->addr + start, len, prot), "mprotect");
			return;
		}
		rc = isolate(w, rc, start, len);
		if (!rc)
			return;
	}
	if (mprotect(rc->addr, rc->len, prot)) {
		fail("mprotect %s %p+%#llx %d: %s", strategy_name[rc->f->strat], rc->addr, ULL(rc->len), prot,
		     strerror(errno));
		return;
	}
	rc->prot = prot;
	atomic_fetch_add(&sh->ops[OP_mprotect], 1);
}

static void op_madvise(struct worker *w, struct rec *rc)
{
	static const int splitting[] = { MADV_RANDOM, MADV_SEQUENTIAL, MADV_NORMAL };
	static const int refused[] = { MADV_DONTNEED, MADV_COLD, MADV_PAGEOUT, MADV_FREE };
	u64 start = 0, len = rc->len;
	int rule = 0, adv;

	if (chance(&w->r, 25)) {
		adv = refused[below(&w->r, ARRAY_SIZE(refused))];
		if (!madvise(rc->addr, rc->len, adv) || errno != EINVAL)
			fail("madvise(%d) of a pfnmap: %s, want EINVAL", adv, strerror(errno));
		atomic_fetch_add(&sh->errnos[OP_madvise], 1);
		return;
	}
	adv = splitting[below(&w->r, ARRAY_SIZE(splitting))];
	if (chance(&w->r, 70) && pick_sub(w, rc, &start, &len)) {
		rule = split_rule(rc);
		if (rule < 0)
			return;
		if (rule > 0) {
			note_refused_if(rc, madvise(rc->addr + start, len, adv), "madvise", true);
			return;
		}
		rc = isolate(w, rc, start, len);
		if (!rc)
			return;
	}
	if (madvise(rc->addr, rc->len, adv))
		fail("madvise(%d) %p+%#llx: %s", adv, rc->addr, ULL(rc->len), strerror(errno));
	atomic_fetch_add(&sh->ops[OP_madvise], 1);
}

static void op_mbind(struct worker *w, struct rec *rc)
{
	unsigned long nodes = 1;
	u64 start = 0, len = rc->len;
	bool strict = chance(&w->r, 30);
	int mode = chance(&w->r, 60) ? MPOL_BIND : MPOL_DEFAULT;
	int rule = 0;
	long ret;

	if (strict && is_huge(rc) && excluded[F_MBIND_STRICT])
		strict = false;
	if (chance(&w->r, 60) && pick_sub(w, rc, &start, &len)) {
		rule = split_rule(rc);
		if (rule < 0)
			return;
		if (rule > 0) {
			ret = syscall(SYS_mbind, rc->addr + start, len, mode,
				      mode == MPOL_DEFAULT ? NULL : &nodes, 64, strict ? MPOL_MF_STRICT : 0);
			if (ret && errno == ENOSYS)
				return;
			note_refused_if(rc, ret, "mbind", true);
			return;
		}
		rc = isolate(w, rc, start, len);
		if (!rc)
			return;
	}
	ret = syscall(SYS_mbind, rc->addr, rc->len, mode, mode == MPOL_DEFAULT ? NULL : &nodes, 64,
		      strict ? MPOL_MF_STRICT : 0);
	if (ret && errno != ENOSYS && errno != EIO)
		fail("mbind(%d, %s) %s %p+%#llx: %s", mode, strict ? "STRICT" : "0", strategy_name[rc->f->strat],
		     rc->addr, ULL(rc->len), strerror(errno));
	if (ret)
		atomic_fetch_add(&sh->errnos[OP_mbind], 1);
	atomic_fetch_add(&sh->ops[strict ? OP_mbind_strict : OP_mbind], 1);
}

/* fork: the child reads a few pages of one record and exits with its SIGBUS count. */
static void op_fork(struct worker *w, struct rec *rc)
{
	int npages = 1 + below(&w->r, 8), status = 0;
	u64 pages[8];
	pid_t pid;

	/* Choose in the parent: the child's randomness is the parent's. */
	for (int j = 0; j < npages; j++)
		pages[j] = pick_page(w, rc);
	race_rd(true);
	pid = fork();
	if (pid == 0) {
		int sigbus = 0;

		in_child = 1;
		for (int j = 0; j < npages; j++)
			sigbus += touch_page(w, rc, pages[j], false);
		_exit(sigbus);
	}
	race_rd(false);
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		fail("fork: the child did not exit (status %#x)", status);
		return;
	}
	/* Its SIGBUSes count into the file the mapping was made from. */
	rc->f->sigbus += WEXITSTATUS(status);
	atomic_fetch_add(&sh->ops[OP_fork], 1);
}

static void op_reopen(struct worker *w)
{
	int strat = below(&w->r, NSTRAT);
	struct file_rec *f = w->cur[strat];

	check_file(w, f, "before close");
	close(f->fd);
	f->fd = -1;
	new_file(w, strat);
	atomic_fetch_add(&sh->ops[OP_reopen], 1);
}

static void op_census(struct worker *w, struct rec *rc)
{
	struct bench_mmio_census c = { .addr = (u64)rc->addr, .length = rc->len };

	if (!(info.features & BENCH_MMIO_FEAT_CENSUS))
		return;
	if (ioctl(rc->f->fd >= 0 ? rc->f->fd : w->cur[0]->fd, BENCH_MMIO_CENSUS, &c)) {
		fail("CENSUS %p+%#llx: %s", rc->addr, ULL(rc->len), strerror(errno));
		return;
	}
	if (c.pages > rc->len / SZ_4K)
		fail("CENSUS of %p+%#llx: %llu pages mapped", rc->addr, ULL(rc->len), ULL(c.pages));
	for (unsigned int l = info.max_level[rc->f->strat] + 1; l < BENCH_MMIO_NR_LEVELS; l++)
		if (c.leaves[l])
			fail("CENSUS of a %s mapping: %llu leaves at level %u, max_level %llu",
			     strategy_name[rc->f->strat], ULL(c.leaves[l]), l,
			     ULL(info.max_level[rc->f->strat]));
	atomic_fetch_add(&sh->ops[OP_census], 1);
}

static void op_procmem(struct worker *w, struct rec *rc)
{
	u64 pg = pick_page(w, rc), off = rc->off + pg * SZ_4K, v = 0;
	ssize_t n;

	if (excluded[F_PROC_MEM] || w->memfd < 0)
		return;
	n = pread(w->memfd, &v, sizeof(v), (off_t)(uintptr_t)(rc->addr + pg * SZ_4K));
	if (n == sizeof(v)) {
		if (off % SZ_64K ? v && v != tag_of(off) : v != tag_of(off))
			fail("/proc/self/mem of %s mapping (backing +%#llx) reads %#llx", strategy_name[rc->f->strat],
			     ULL(off), ULL(v));
	} else if (n >= 0 || errno != EIO) {
		fail("/proc/self/mem of a %s mapping: %zd (%s), want 8 bytes or EIO",
		     strategy_name[rc->f->strat], n, n < 0 ? strerror(errno) : "short");
	}
	atomic_fetch_add(&sh->ops[OP_procmem], 1);
}

/* ---------------------------------------------------------------------- */

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	install_handlers();
	for (int i = 0; i < MAX_FILES; i++)
		w->files[i].fd = -1;
	for (int s = 0; s < NSTRAT; s++)
		if (!new_file(w, s))
			return NULL;
	w->memfd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);

	while (!expired()) {
		unsigned int op = below(&w->r, 100);
		struct rec *rc = w->nrecs ? &w->recs[below(&w->r, w->nrecs)] : NULL;

		if (!rc || op < 8)
			op_mmap(w);
		else if (op < 40)
			op_touch(w, rc);
		else if (op < 44)
			op_zap(w);
		else if (op < 46)
			op_revoke(w, false);
		else if (op < 52)
			op_revoke(w, true);
		else if (op < 57)
			op_munmap(w, rc);
		else if (op < 63)
			op_mremap(w, rc);
		else if (op < 69)
			op_mprotect(w, rc);
		else if (op < 74)
			op_madvise(w, rc);
		else if (op < 78)
			op_mbind(w, rc);
		else if (op < 82)
			op_fork(w, rc);
		else if (op < 85)
			op_reopen(w);
		else if (op < 90)
			check_file(w, w->cur[below(&w->r, NSTRAT)], "check");
		else if (op < 94)
			op_census(w, rc);
		else
			op_procmem(w, rc);
	}
	/* Wind down: unmap everything, check every open file, close. */
	while (w->nrecs) {
		struct rec *rc = &w->recs[0];

		if (munmap(rc->addr, rc->len))
			fail("munmap %p+%#llx at the end: %s", rc->addr, ULL(rc->len), strerror(errno));
		del_rec(w, rc);
	}
	for (int i = 0; i < MAX_FILES; i++) {
		if (w->files[i].fd < 0)
			continue;
		check_file(w, &w->files[i], "at the end");
		close(w->files[i].fd);
		w->files[i].fd = -1;
	}
	if (w->memfd >= 0)
		close(w->memfd);
	return NULL;
}

static void process_main(int pidx)
{
	pthread_t th[MAX_THREADS];
	static struct worker ws[MAX_THREADS];

	for (int t = 0; t < nthreads; t++) {
		ws[t].wid = pidx * MAX_THREADS + t;
		ws[t].r.s = seed * 1000003 + ws[t].wid;
		if (pthread_create(&th[t], NULL, worker_main, &ws[t])) {
			fail("pthread_create: %s", strerror(errno));
			exit(1);
		}
	}
	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	exit(0);
}

/* ---------------------------------------------------------------------- */

static int tap_n;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * Tag word 0 of every 64K of the region through the module (a pud
 * mapping), or check the tags that way, the workers' own path.
 */
static bool walk_tags(bool check)
{
	struct bench_mmio_set set = { .value = BENCH_MMIO_STRATEGY_PUD };
	int fd = open_dev();
	u64 bad = 0;
	char *p;

	if (fd < 0 || ioctl(fd, BENCH_MMIO_SET_STRATEGY, &set))
		return false;
	p = mmap(NULL, region, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("# mmap of the backing for the tags: %s\n", strerror(errno));
		close(fd);
		return false;
	}
	for (u64 off = 0; off < region; off += SZ_64K) {
		volatile u64 *q = (volatile u64 *)(p + off);

		if (!check)
			*q = tag_of(off);
		else if (*q != tag_of(off) && !bad++)
			printf("# backing +%#llx holds %#llx, tagged %#llx\n", ULL(off), ULL(*q), ULL(tag_of(off)));
	}
	munmap(p, region);
	close(fd);
	return !bad;
}

/*
 * --tag-through=FILE, before the module is loaded (it claims the BAR, and
 * then the PCI core refuses to map it): the tags written around the module,
 * through the BAR's sysfs resource file, so that a module that maps the
 * wrong pfns cannot agree with itself.
 */
static int tag_through(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	u64 size;
	char *p;

	if (fd < 0) {
		printf("not ok 1 - stress: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* The BAR's size from the device's "resource" table (6.1's files have no size). */
	size = lseek(fd, 0, SEEK_END);
	{
		char dir[256], line[128];
		const char *slash = strrchr(path, '/');
		int bar = atoi(path + strlen(path) - 1);
		unsigned long long start, end;
		FILE *f;

		snprintf(dir, sizeof(dir), "%.*s/resource", (int)(slash ? slash - path : 0), path);
		f = fopen(dir, "r");
		for (int i = 0; f && fgets(line, sizeof(line), f); i++)
			if (i == bar && sscanf(line, "%llx %llx", &start, &end) == 2 && end > start)
				size = end - start + 1;
		if (f)
			fclose(f);
	}
	region = size < MAX_REGION ? size : MAX_REGION;
	region -= region % SZ_1G;
	p = region ? mmap(NULL, region, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
	if (p == MAP_FAILED) {
		printf("not ok 1 - stress: mmap %s (%#llx bytes): %s\n", path, ULL(region), strerror(errno));
		return 1;
	}
	for (u64 off = 0; off < region; off += SZ_64K)
		*(volatile u64 *)(p + off) = tag_of(off);
	munmap(p, region);
	close(fd);
	printf("ok 1 - stress: %llu MiB of the BAR tagged through %s, before the module is loaded\n",
	       ULL(region >> 20), path);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: stress [--seed=N] [--duration=S] [--procs=P] [--threads=T] [--exclude=ID,...] [--verbose]\n"
		   "              [--pretagged]   (the tags were written by: stress --tag-through=SYSFS-RESOURCE-FILE)\n"
		   "finding ids:");
	for (unsigned int i = 0; i < NR_FINDINGS; i++)
		fprintf(f, " %s", findings[i].id);
	fprintf(f, "\n");
}

static bool exclude(const char *id, const char *why)
{
	for (unsigned int i = 0; i < NR_FINDINGS; i++)
		if (!strcmp(findings[i].id, id)) {
			if (!excluded[i])
				excluded_why[i] = why;
			excluded[i] = true;
			return true;
		}
	return false;
}

int main(int argc, char **argv)
{
	pthread_mutexattr_t ma;
	pthread_rwlockattr_t ra;
	struct timespec now;
	pid_t pids[MAX_PROCS];
	int fd, bad_exit = 0;
	bool have_seed = false, pretagged = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--seed=", 7))
			seed = strtoull(a + 7, NULL, 0), have_seed = true;
		else if (!strncmp(a, "--duration=", 11))
			duration = atof(a + 11);
		else if (!strncmp(a, "--procs=", 8))
			nprocs = atoi(a + 8);
		else if (!strncmp(a, "--threads=", 10))
			nthreads = atoi(a + 10);
		else if (!strcmp(a, "--verbose"))
			verbose = 1;
		else if (!strncmp(a, "--tag-through=", 14))
			return tag_through(a + 14);
		else if (!strcmp(a, "--pretagged"))
			pretagged = true;
		else if (!strncmp(a, "--exclude=", 10)) {
			char *list = strdup(a + 10), *save = NULL;

			for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save))
				if (*id && !exclude(id, "present on this kernel (tests/corpus/expected)")) {
					fprintf(stderr, "stress: unknown finding '%s'\n", id);
					usage(stderr);
					return 2;
				}
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "stress: unknown argument '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (nprocs < 1 || nprocs > MAX_PROCS || nthreads < 1 || nthreads > MAX_THREADS || duration <= 0) {
		usage(stderr);
		return 2;
	}
	if (!have_seed) {
		clock_gettime(CLOCK_REALTIME, &now);
		seed = (u64)now.tv_sec * 1000003 ^ (u64)now.tv_nsec ^ (u64)getpid();
		seed %= 1000000000;
	}
	printf("# stress: seed=%llu (replay: --seed=%llu)\n", ULL(seed), ULL(seed));
	printf("TAP version 13\n");
	fflush(stdout);

	fd = open_dev();
	if (fd < 0 || ioctl(fd, BENCH_MMIO_GET_INFO, &info)) {
		printf("not ok 1 - stress: cannot open %s: %s\n", BENCH_MMIO_DEVICE, strerror(errno));
		return 1;
	}
	close(fd);
	region = info.size < MAX_REGION ? info.size : MAX_REGION;
	region -= region % SZ_1G;
	if (!region) {
		printf("not ok 1 - stress: the backing (%#llx bytes) is under 1G\n", ULL(info.size));
		return 1;
	}
	/* An older module without a guard: leave out what the guard covers. */
	if (!(info.features & BENCH_MMIO_FEAT_GUARDS)) {
		exclude("mremap-pud", "the module has no guards (BENCH_MMIO_FEAT_GUARDS)");
		exclude("zap-partial-pud", "the module has no guards (BENCH_MMIO_FEAT_GUARDS)");
		exclude("pat-remap-split", "the module has no guards (BENCH_MMIO_FEAT_GUARDS)");
	}
	if (!(info.features & BENCH_MMIO_FEAT_MAY_SPLIT))
		exclude("split-pud", "the module has no ->may_split");
	if (!(info.features & BENCH_MMIO_FEAT_ACCESS))
		exclude("proc-mem-access", "the module has no ->access");
	for (unsigned int i = 0; i < NR_FINDINGS; i++)
		if (excluded[i])
			printf("# excluded: %s: %s (%s)\n", findings[i].id, findings[i].what, excluded_why[i]);
	printf("# stress: %d processes x %d threads, %.0f s, backing %#llx bytes (%#llx used), guards %#llx\n",
	       nprocs, nthreads, duration, ULL(info.size), ULL(region),
	       ULL((info.features & BENCH_MMIO_FEAT_GUARDS) ? info.guards_default : 0));
	fflush(stdout);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->revoke_lock, &ma);
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setpshared(&ra, PTHREAD_PROCESS_SHARED);
	pthread_rwlock_init(&sh->race_lock, &ra);

	if (pretagged)
		printf("# the backing was tagged before the module was loaded (--tag-through)\n");
	else
		tap(walk_tags(false), "stress: tag the backing through the module (%llu MiB)", ULL(region >> 20));

	clock_gettime(CLOCK_MONOTONIC, &t_end);
	t_end.tv_sec += (time_t)duration;
	t_end.tv_nsec += (long)((duration - (time_t)duration) * 1e9);
	if (t_end.tv_nsec >= 1000000000L)
		t_end.tv_sec++, t_end.tv_nsec -= 1000000000L;
	fflush(stdout);
	for (int p = 0; p < nprocs; p++) {
		pids[p] = fork();
		if (pids[p] == 0)
			process_main(p);
		if (pids[p] < 0) {
			fail("fork: %s", strerror(errno));
			nprocs = p;
			break;
		}
	}
	for (int p = 0; p < nprocs; p++) {
		int status;

		if (waitpid(pids[p], &status, 0) != pids[p] || !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("# worker process %d ended with status %#x\n", p, status);
			bad_exit = 1;
		}
	}
	/* Leave the device restored. */
	if (atomic_load(&sh->gen) % 4 == 2) {
		fd = open_dev();
		if (fd < 0 || ioctl(fd, BENCH_MMIO_RESTORE))
			fail("the final RESTORE: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	{
		u64 total = 0;

		printf("# op counts:");
		for (int i = 0; i < NR_OPS; i++) {
			printf(" %s=%llu", op_name[i], ULL(atomic_load(&sh->ops[i])));
			total += atomic_load(&sh->ops[i]);
		}
		printf("\n# tolerated errnos: mmap ENOMEM %llu, madvise EINVAL %llu, mbind EIO/ENOSYS %llu\n",
		       ULL(atomic_load(&sh->errnos[OP_mmap])), ULL(atomic_load(&sh->errnos[OP_madvise])),
		       ULL(atomic_load(&sh->errnos[OP_mbind])));
		tap(!bad_exit, "stress: every worker process exited normally");
		tap(!atomic_load(&sh->failures), "stress: no invariant broken in %llu operations (seed %llu)%s%s",
		    ULL(total), ULL(seed), atomic_load(&sh->failures) ? ": " : "",
		    atomic_load(&sh->failures) ? sh->first_failure : "");
		/* A short run under slow emulation (arm64 TCG: ~7 operations a second) may miss one. */
		if (total < 1000)
			tap(true, "stress: the mix ran touch, REVOKE, fork and mremap at least once # SKIP only %llu operations",
			    ULL(total));
		else
			tap(atomic_load(&sh->ops[OP_touch]) && atomic_load(&sh->ops[OP_revoke]) &&
			    atomic_load(&sh->ops[OP_fork]) && atomic_load(&sh->ops[OP_mremap_move]),
			    "stress: the mix ran touch, REVOKE, fork and mremap at least once");
	}
	tap(walk_tags(true), "stress: the backing still holds its tags, read through a fresh mapping");
	printf("# stress: seed=%llu\n", ULL(seed));
	return tap_n && !atomic_load(&sh->failures) && !bad_exit ? 0 : 1;
}

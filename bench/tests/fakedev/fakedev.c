// SPDX-License-Identifier: GPL-2.0
/*
 * fakedev.c - LD_PRELOAD stand-in for /dev/bench_mmio, for end-to-end runs of
 * bench_mmio on hosts without the module (not part of unit_tests).
 *
 *   LD_PRELOAD=$(BUILD)/fakedev.so bench_mmio fault --device=/fake/bench_mmio
 *
 * Opening /fake/bench_mmio gives a 1G memfd; GET_INFO (ABI v2) describes a
 * "phys" backing offering remap, pte and bulk (pmd/pud are not offered, so
 * they are skipped) and no statistics mapping (features lacks stats_page, so
 * bench_mmio falls back to getrusage attribution and says so); GET_STATS
 * reports one PTE fault per page of the last mapping, as the pte strategy
 * would.  FAKEDEV_SIGBUS=1 makes the mapping 4K short so the
 * last touch raises SIGBUS.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench_mmio_uapi.h"

#define FAKE_PATH "/fake/bench_mmio"
#define FAKE_SIZE (1ULL << 30)

static int fake_fd = -1;
static uint64_t last_len, strategy = 1;

static int fake_open(const char *path)
{
	int fd = memfd_create("fake_bench_mmio", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, FAKE_SIZE - (getenv("FAKEDEV_SIGBUS") ? 4096 : 0))) {
		close(fd);
		return -1;
	}
	(void)path;
	fake_fd = fd;
	return fd;
}

#define OPEN_WRAPPER(name)						\
int name(const char *path, int flags, ...)				\
{									\
	static int (*real)(const char *, int, ...);			\
	va_list ap;							\
	mode_t mode;							\
									\
	if (!strcmp(path, FAKE_PATH))					\
		return fake_open(path);					\
	if (!real)							\
		real = dlsym(RTLD_NEXT, #name);				\
	va_start(ap, flags);						\
	mode = va_arg(ap, mode_t);					\
	va_end(ap);							\
	return real(path, flags, mode);					\
}
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);

	if (!real)
		real = dlsym(RTLD_NEXT, "mmap");
	if (fd >= 0 && fd == fake_fd)
		last_len = len;
	return real(addr, len, prot, flags, fd, off);
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_fd || fd < 0) {
		if (!real)
			real = dlsym(RTLD_NEXT, "ioctl");
		return real(fd, req, arg);
	}
	switch (req) {
	case BENCH_MMIO_GET_INFO: {
		struct bench_mmio_info *i = arg;

		memset(i, 0, sizeof(*i));
		i->abi_version = BENCH_MMIO_ABI_VERSION;
		i->nr_strategies = getenv("FAKEDEV_NR_STRATEGIES") ?
			strtoull(getenv("FAKEDEV_NR_STRATEGIES"), NULL, 0) : BENCH_MMIO_NR_STRATEGIES;
		i->features = BENCH_MMIO_FEAT_HUGE_FAULT | BENCH_MMIO_FEAT_GET_UNMAPPED_AREA;
		i->backing_kind = BENCH_MMIO_BACKING_PHYS;
		i->phys_base = 0x100000000ULL;
		i->size = FAKE_SIZE;
		i->strategies = 0x7;
		i->caps = BENCH_MMIO_CAP_CPU_PMD | BENCH_MMIO_CAP_PAT;
		i->page_shift = 12;
		i->pmd_shift = 21;
		i->pud_shift = 30;
		return 0;
	}
	case BENCH_MMIO_SET_STRATEGY: {
		struct bench_mmio_set *s = arg;

		if (s->value > BENCH_MMIO_STRATEGY_BULK) {
			errno = EOPNOTSUPP;
			return -1;
		}
		strategy = s->value;
		return 0;
	}
	case BENCH_MMIO_SET_ALIGN:
	case BENCH_MMIO_SET_CACHE:
	case BENCH_MMIO_RESET_STATS:
		return 0;
	case BENCH_MMIO_GET_STATS: {
		struct bench_mmio_stats *st = arg;

		memset(st, 0, sizeof(*st));
		st->faults[0] = strategy == BENCH_MMIO_STRATEGY_REMAP ? 0 :
				strategy == BENCH_MMIO_STRATEGY_BULK ? 1 : last_len / 4096;
		st->pages = last_len / 4096;
		st->mmaps = 1;
		return 0;
	}
	}
	errno = ENOTTY;
	return -1;
}

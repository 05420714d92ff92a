// SPDX-License-Identifier: GPL-2.0
/* target.c - the targets: device pfnmaps and ordinary-memory baselines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "device.h"
#include "opts.h"
#include "target.h"
#include "theory.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

const uint64_t page_size_bytes[PS_NR] = { SZ_4K, SZ_2M, SZ_1G };

static long minflt_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

/* ---------------------------------------------------------------- pfnmap */

static int pfnmap_open(struct target_state *ts, bool *skip, char *reason, size_t len)
{
	static const struct { unsigned long req; const char *name; } set[] = {
		{ BENCH_MMIO_SET_STRATEGY, "SET_STRATEGY" },
		{ BENCH_MMIO_SET_ALIGN, "SET_ALIGN" },
		{ BENCH_MMIO_SET_CACHE, "SET_CACHE" },
	};
	const struct target_env *env = ts->env;
	const struct bench_mmio_info *info = env->info;
	const uint64_t val[] = { ts->t->strategy, env->align, env->cache };
	char err[256];

	if (!info) {
		snprintf(reason, len, "no device information (the device was not opened)");
		return -1;
	}
	if (!(info->strategies & (1ULL << ts->t->strategy))) {
		*skip = true;
		snprintf(reason, len, "strategy %s not offered by the module (info.strategies=0x%llx)",
			 ts->t->name, (unsigned long long)info->strategies);
		return -1;
	}
	ts->fd = dev_open(env->device, reason, len);
	if (ts->fd < 0)
		return -1;
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		int ret = dev_set(ts->fd, set[i].req, val[i]);

		if (!ret)
			continue;
		*skip = ret == -EOPNOTSUPP;
		snprintf(reason, len, "%s(%llu): %s%s", set[i].name, (unsigned long long)val[i],
			 strerror(-ret), *skip ? " (not offered by this module/kernel)" : "");
		return -1;
	}
	if (env->fault_delay_ns) {
		int ret = dev_set(ts->fd, BENCH_MMIO_SET_FAULT_DELAY, env->fault_delay_ns);

		if (ret) {
			snprintf(reason, len, "SET_FAULT_DELAY(%llu ns): %s",
				 (unsigned long long)env->fault_delay_ns, strerror(-ret));
			return -1;
		}
	}
	if (env->attr == ATTR_GETRUSAGE) {
		snprintf(ts->attr_note, sizeof(ts->attr_note), "getrusage asked for (--attribution)");
		return 0;
	}
	ts->slots = dev_stats_map(ts->fd, info, err, sizeof(err));
	if (ts->slots) {
		ts->nslots = info->stats_slots;
		ts->attr = ATTR_STATS_PAGE;
	} else {
		snprintf(ts->attr_note, sizeof(ts->attr_note), "fell back to getrusage: %s", err);
	}
	return 0;
}

static void pfnmap_close(struct target_state *ts)
{
	dev_stats_unmap(ts->slots, ts->env->info);
	ts->slots = NULL;
}

static int pfnmap_map(struct target_state *ts, uint64_t hint, uint64_t len, volatile char **base)
{
	void *p = mmap((void *)hint, len, PROT_READ | PROT_WRITE, MAP_SHARED, ts->fd,
		       ts->env->offset);

	if (p == MAP_FAILED)
		return -errno;
	*base = p;
	return 0;
}

static int pfnmap_reset(struct target_state *ts)
{
	ts->minflt0 = minflt_now();
	return ioctl(ts->fd, BENCH_MMIO_RESET_STATS) ? -errno : 0;
}

static int pfnmap_read(struct target_state *ts, struct target_counters *c)
{
	c->minflt = minflt_now() - ts->minflt0;
	return ioctl(ts->fd, BENCH_MMIO_GET_STATS, &c->st) ? -errno : 0;
}

void page_sizes_from_stats(const struct bench_mmio_stats *st, struct page_sizes *ps)
{
	uint64_t total = st->pages * SZ_4K;

	memset(ps, 0, sizeof(*ps));
	ps->bytes[PS_2M] = st->faults[BENCH_MMIO_LEVEL_PMD] * SZ_2M;
	ps->bytes[PS_1G] = st->faults[BENCH_MMIO_LEVEL_PUD] * SZ_1G;
	if (total > ps->bytes[PS_2M] + ps->bytes[PS_1G])
		ps->bytes[PS_4K] = total - ps->bytes[PS_2M] - ps->bytes[PS_1G];
	ps->known = total > 0;
}

static int pfnmap_page_sizes(struct target_state *ts, volatile char *base, uint64_t len,
			     const struct target_counters *c, struct page_sizes *ps)
{
	(void)ts; (void)base; (void)len;
	page_sizes_from_stats(&c->st, ps);
	return 0;
}

/* -------------------------------------------------------------- baselines */

/* free huge pages of a size, or -1 when the kernel has no such pool */
static long hugetlb_free(uint64_t size)
{
	char path[96], buf[32];
	FILE *f;
	long n = -1;

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%llukB/free_hugepages",
		 (unsigned long long)(size >> 10));
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		n = atol(buf);
	fclose(f);
	return n;
}

static void hugetlb_reason(uint64_t size, uint64_t len, long free, char *reason, size_t rlen)
{
	const char *sz = size == SZ_1G ? "1G" : "2M";

	if (free < 0)
		snprintf(reason, rlen, "%s hugetlb pages unsupported here (no /sys/kernel/mm/hugepages/hugepages-%llukB: the CPU or kernel lacks that page size)",
			 sz, (unsigned long long)(size >> 10));
	else
		snprintf(reason, rlen, "no free %s hugetlb pages: free_hugepages %ld, %llu needed; reserve with echo %llu > /sys/kernel/mm/hugepages/hugepages-%llukB/nr_hugepages",
			 sz, free, (unsigned long long)(len / size),
			 (unsigned long long)(len / size), (unsigned long long)(size >> 10));
}

static int baseline_open(struct target_state *ts, bool *skip, char *reason, size_t len)
{
	const struct target *t = ts->t;
	uint64_t size = ts->env->size;

	if (ts->env->attr == ATTR_STATS_PAGE)
		snprintf(ts->attr_note, sizeof(ts->attr_note),
			 "a baseline has no statistics mapping: getrusage");
	if (!(t->mmap_flags & MAP_HUGETLB))
		return 0;
	if (size % t->page_size) {
		char a[32], b[32];

		format_size(size, a, sizeof(a));
		format_size(t->page_size, b, sizeof(b));
		*skip = true;
		snprintf(reason, len, "--size=%s is not a multiple of the %s hugetlb page", a, b);
		return -1;
	}
	long free = hugetlb_free(t->page_size);

	if (free < 0 || (uint64_t)free < size / t->page_size) {
		*skip = true;
		hugetlb_reason(t->page_size, size, free, reason, len);
		return -1;
	}
	return 0;
}

static int baseline_map(struct target_state *ts, uint64_t hint, uint64_t len, volatile char **base)
{
	int flags = ts->t->mmap_flags | (hint ? MAP_FIXED_NOREPLACE : 0);
	void *p = mmap((void *)hint, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	if (hint && p != (void *)hint) {	/* a kernel before 4.17: a hint only */
		munmap(p, len);
		return -EEXIST;
	}
	*base = p;
	return 0;
}

static int baseline_reset(struct target_state *ts)
{
	ts->minflt0 = minflt_now();
	return 0;
}

static int baseline_read(struct target_state *ts, struct target_counters *c)
{
	memset(&c->st, 0, sizeof(c->st));
	c->minflt = minflt_now() - ts->minflt0;
	return 0;
}

/* "Name:   1234 kB" -> bytes */
static bool smaps_field(const char *line, const char *name, uint64_t *v)
{
	size_t n = strlen(name);
	unsigned long long kb;

	if (strncmp(line, name, n) || line[n] != ':' || sscanf(line + n + 1, "%llu kB", &kb) != 1)
		return false;
	*v = kb << 10;
	return true;
}

int smaps_parse(const char *text, uint64_t va, struct page_sizes *ps)
{
	const char *line = text;
	bool in = false, found = false;
	uint64_t private_hugetlb = 0, shared_hugetlb = 0;

	memset(ps, 0, sizeof(*ps));
	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		unsigned long long s, e;
		char c;

		/* a VMA header: "start-end perms ..." */
		if (sscanf(line, "%llx-%llx %c", &s, &e, &c) == 3 && line[0] != ' ' &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = s == va;
			found |= in;
			continue;
		}
		if (!in)
			continue;
		smaps_field(line, "KernelPageSize", &ps->kernel_page_size);
		smaps_field(line, "Rss", &ps->rss);
		smaps_field(line, "AnonHugePages", &ps->anon_huge);
		smaps_field(line, "Private_Hugetlb", &private_hugetlb);
		smaps_field(line, "Shared_Hugetlb", &shared_hugetlb);
	}
	if (!found)
		return -1;
	ps->hugetlb = private_hugetlb + shared_hugetlb;
	if (ps->hugetlb) {
		for (int i = 0; i < PS_NR; i++)
			if (page_size_bytes[i] == ps->kernel_page_size)
				ps->bytes[i] = ps->hugetlb;
	} else {
		ps->bytes[PS_2M] = ps->anon_huge;
		ps->bytes[PS_4K] = ps->rss > ps->anon_huge ? ps->rss - ps->anon_huge : 0;
	}
	ps->known = ps->bytes[PS_4K] || ps->bytes[PS_2M] || ps->bytes[PS_1G];
	return 0;
}

static int baseline_page_sizes(struct target_state *ts, volatile char *base, uint64_t len,
			       const struct target_counters *c, struct page_sizes *ps)
{
	static char buf[1 << 20];	/* static: no fault of ours in the counters */
	size_t used = 0;
	ssize_t n;
	int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);

	(void)ts; (void)len; (void)c;
	if (fd < 0)
		return -errno;
	while (used < sizeof(buf) - 1 && (n = read(fd, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += n;
	close(fd);
	buf[used] = '\0';
	return smaps_parse(buf, (uintptr_t)base, ps) ? -ENOENT : 0;
}

/* ------------------------------------------------------------------ table */

#define X_PFNMAP_TARGET(id, sname, level, populate)				\
	[TARGET_##id] = {							\
		.name = #sname,							\
		.kind = TARGET_PFNMAP,						\
		.help = "pfnmap of the device with the module's " #sname " strategy", \
		.strategy = BENCH_MMIO_STRATEGY_##id,				\
		.open = pfnmap_open,						\
		.close = pfnmap_close,						\
		.map = pfnmap_map,						\
		.unmap = generic_unmap,						\
		.counters_reset = pfnmap_reset,					\
		.counters_read = pfnmap_read,					\
		.page_sizes = pfnmap_page_sizes,				\
	},

static int generic_unmap(struct target_state *ts, volatile char *base, uint64_t len)
{
	(void)ts;
	return munmap((void *)base, len) ? -errno : 0;
}

#define BASELINE_HOOKS					\
	.kind = TARGET_BASELINE,			\
	.open = baseline_open,				\
	.map = baseline_map,				\
	.unmap = generic_unmap,				\
	.counters_reset = baseline_reset,		\
	.counters_read = baseline_read,			\
	.page_sizes = baseline_page_sizes

const struct target targets[NR_TARGETS + 1] = {
	BENCH_MMIO_STRATEGIES(X_PFNMAP_TARGET)
	[TARGET_ANON4K] = {
		.name = "anon4k",
		.help = "anonymous memory in 4K pages (MADV_NOHUGEPAGE)",
		.mmap_flags = MAP_PRIVATE | MAP_ANONYMOUS,
		.mmap_flags_name = "MAP_PRIVATE|MAP_ANONYMOUS",
		.advice = MADV_NOHUGEPAGE,
		.advice_name = "MADV_NOHUGEPAGE",
		.page_size = SZ_4K,
		BASELINE_HOOKS,
	},
	[TARGET_THP] = {
		.name = "thp",
		.help = "2M-aligned anonymous memory with MADV_HUGEPAGE (transparent huge pages)",
		.mmap_flags = MAP_PRIVATE | MAP_ANONYMOUS,
		.mmap_flags_name = "MAP_PRIVATE|MAP_ANONYMOUS",
		.advice = MADV_HUGEPAGE,
		.advice_name = "MADV_HUGEPAGE",
		.page_size = SZ_2M,
		.va_align = SZ_2M,
		BASELINE_HOOKS,
	},
	[TARGET_HUGETLB2M] = {
		.name = "hugetlb2m",
		.help = "hugetlb 2M pages (MAP_HUGETLB|MAP_HUGE_2MB; needs reserved pages)",
		.mmap_flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
		.mmap_flags_name = "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB",
		.page_size = SZ_2M,
		BASELINE_HOOKS,
	},
	[TARGET_HUGETLB1G] = {
		.name = "hugetlb1g",
		.help = "hugetlb 1G pages (MAP_HUGETLB|MAP_HUGE_1GB; needs reserved pages)",
		.mmap_flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB,
		.mmap_flags_name = "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB",
		.page_size = SZ_1G,
		BASELINE_HOOKS,
	},
	[NR_TARGETS] = { .name = NULL },
};

const struct target *target_find(const char *name)
{
	for (const struct target *t = targets; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

int target_open(struct target_state *ts, const struct target *t, const struct target_env *env,
		bool *skip, char *reason, size_t len)
{
	memset(ts, 0, sizeof(*ts));
	ts->t = t;
	ts->env = env;
	ts->fd = -1;
	ts->attr = ATTR_GETRUSAGE;
	*skip = false;
	if (t->open(ts, skip, reason, len)) {
		target_close(ts);
		return -1;
	}
	return 0;
}

void target_close(struct target_state *ts)
{
	if (ts->t && ts->t->close)
		ts->t->close(ts);
	if (ts->fd >= 0)
		close(ts->fd);
	ts->fd = -1;
}

uint64_t target_place(const struct target_state *ts, uint64_t len)
{
	uint64_t al = ts->t->va_align, a;
	void *p;

	if (!al)
		return 0;
	p = mmap(NULL, len + al, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, len + al);
	a = ((uintptr_t)p + al - 1) & ~(al - 1);
	return a;
}

uint64_t page_size_obtained(const struct page_sizes *ps, bool *mixed)
{
	uint64_t smallest = 0;
	int kinds = 0;

	for (int i = PS_NR - 1; i >= 0; i--)
		if (ps->bytes[i]) {
			smallest = page_size_bytes[i];
			kinds++;
		}
	if (mixed)
		*mixed = kinds > 1;
	return smallest;
}

// SPDX-License-Identifier: GPL-2.0
/* device.c - /dev/bench_mmio access and the names of its uapi values. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "device.h"

const char *const strategy_names[BENCH_MMIO_NR_STRATEGIES + 1] = {
	BENCH_MMIO_STRATEGIES(BENCH_MMIO_X_NAME)
};
const char *const align_names[] = { "auto", "none", "pmd", "pud", NULL };
const char *const cache_names[] = { "uc", "wc", NULL };
const char *const level_names[] = { "pte", "pmd", "pud", NULL };
const char *const access_names[] = { "read", "write", NULL };

struct flag_name {
	uint64_t bit;
	const char *name;
};

static const struct flag_name cap_names[] = {
	{ BENCH_MMIO_CAP_CPU_PMD, "cpu_pmd" },
	{ BENCH_MMIO_CAP_CPU_PUD, "cpu_pud" },
	{ BENCH_MMIO_CAP_CORE_PMD, "core_pmd" },
	{ BENCH_MMIO_CAP_CORE_PUD, "core_pud" },
	{ BENCH_MMIO_CAP_INSERT_PMD, "insert_pmd" },
	{ BENCH_MMIO_CAP_INSERT_PUD, "insert_pud" },
	{ BENCH_MMIO_CAP_PAT, "pat" },
	{ BENCH_MMIO_CAP_VMA_LOCK, "vma_lock" },
	{ 0, NULL },
};

/* The one table of BENCH_MMIO_FEAT_* names (module.features). */
static const struct flag_name feature_names[] = {
	{ BENCH_MMIO_FEAT_HUGE_FAULT, "huge_fault" },
	{ BENCH_MMIO_FEAT_GET_UNMAPPED_AREA, "get_unmapped_area" },
	{ BENCH_MMIO_FEAT_MAY_SPLIT, "may_split" },
	{ BENCH_MMIO_FEAT_VMA_START_WRITE, "vma_start_write" },
	{ BENCH_MMIO_FEAT_VM_FLAGS_SET, "vm_flags_set" },
	{ BENCH_MMIO_FEAT_STATS_PAGE, "stats_page" },
	{ BENCH_MMIO_FEAT_CENSUS, "census" },
	{ BENCH_MMIO_FEAT_FAULT_DELAY, "fault_delay" },
	{ BENCH_MMIO_FEAT_ACCESS, "access" },
	{ BENCH_MMIO_FEAT_GUARDS, "guards" },
	{ 0, NULL },
};

/* The one table of BENCH_MMIO_GUARD_* names (module.guards). */
static const struct flag_name guard_names[] = {
	{ BENCH_MMIO_GUARD_SPLIT_PUD, "split_pud" },
	{ BENCH_MMIO_GUARD_ZAP_WIDEN, "zap_widen" },
	{ BENCH_MMIO_GUARD_MREMAP, "mremap" },
	{ BENCH_MMIO_GUARD_REMAP_SPLIT, "remap_split" },
	{ 0, NULL },
};

int dev_open(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot open %s: %s (%s)", path, strerror(e),
			 e == EACCES || e == EPERM ? "the device is root only" :
			 "load the module (insmod bench_mmio.ko) or use `make bench` to run in the VM");
		return -1;
	}
	return fd;
}

int dev_info(int fd, struct bench_mmio_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, BENCH_MMIO_GET_INFO, info)) {
		snprintf(err, errlen, "BENCH_MMIO_GET_INFO: %s (is this the bench_mmio device?)",
			 strerror(errno));
		return -1;
	}
	if (info->abi_version != BENCH_MMIO_ABI_VERSION) {
		snprintf(err, errlen, "module ABI version %llu, this program speaks %d: rebuild one of them",
			 (unsigned long long)info->abi_version, BENCH_MMIO_ABI_VERSION);
		return -1;
	}
	if (info->nr_strategies != BENCH_MMIO_NR_STRATEGIES) {
		snprintf(err, errlen, "the module has %llu strategies, this program knows %d: both were built from different BENCH_MMIO_STRATEGIES() lists; rebuild the module and bench_mmio from the same tree",
			 (unsigned long long)info->nr_strategies, BENCH_MMIO_NR_STRATEGIES);
		return -1;
	}
	return 0;
}

const volatile struct bench_mmio_stats *dev_stats_map(int fd, const struct bench_mmio_info *info,
						      char *err, size_t errlen)
{
	const volatile struct bench_mmio_stats *slots;
	uint64_t sum = 0;

	if (!(info->features & BENCH_MMIO_FEAT_STATS_PAGE)) {
		snprintf(err, errlen, "the module has no statistics mapping (module.features lacks stats_page)");
		return NULL;
	}
	if (!info->stats_slots || info->stats_size < info->stats_slots * sizeof(*slots)) {
		snprintf(err, errlen, "GET_INFO: stats_size %llu too small for %llu slots",
			 (unsigned long long)info->stats_size, (unsigned long long)info->stats_slots);
		return NULL;
	}
	slots = mmap(NULL, info->stats_size, PROT_READ, MAP_SHARED, fd, info->stats_offset);
	if (slots == MAP_FAILED) {
		snprintf(err, errlen, "mmap of the statistics mapping (offset 0x%llx, %llu bytes): %s",
			 (unsigned long long)info->stats_offset, (unsigned long long)info->stats_size,
			 strerror(errno));
		return NULL;
	}
	/* pre-touch: no fault on the statistics mapping inside a measured loop */
	sum = dev_stats_faults(slots, info->stats_slots);
	__asm__ __volatile__("" :: "r"(sum));
	return slots;
}

void dev_stats_unmap(const volatile struct bench_mmio_stats *slots,
		     const struct bench_mmio_info *info)
{
	if (slots)
		munmap((void *)slots, info->stats_size);
}

int dev_set(int fd, unsigned long req, uint64_t value)
{
	struct bench_mmio_set s = { .value = value };

	return ioctl(fd, req, &s) ? -errno : 0;
}

int probe_thp_gate(const char *device, const struct bench_mmio_info *info,
		   const char *thp_enabled)
{
	const uint64_t need = BENCH_MMIO_CAP_CORE_PMD | BENCH_MMIO_CAP_INSERT_PMD |
			      BENCH_MMIO_CAP_CPU_PMD;
	const uint64_t sz = 1ULL << 21;
	struct bench_mmio_stats st;
	volatile uint64_t *p;
	char err[256];
	int fd, ret = -1;

	if (!strcmp(thp_enabled, "always") || !strcmp(thp_enabled, "unavailable") ||
	    (info->caps & need) != need || info->size < sz || (info->phys_base & (sz - 1)))
		return -1;
	fd = dev_open(device, err, sizeof(err));
	if (fd < 0)
		return -1;
	if (dev_set(fd, BENCH_MMIO_SET_STRATEGY, BENCH_MMIO_STRATEGY_PMD) ||
	    dev_set(fd, BENCH_MMIO_SET_ALIGN, BENCH_MMIO_ALIGN_PMD))
		goto out;
	p = mmap(NULL, sz, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out;
	if (!ioctl(fd, BENCH_MMIO_RESET_STATS)) {
		(void)*p;	/* one read fault: a PMD, or a PTE if THP gates */
		if (!ioctl(fd, BENCH_MMIO_GET_STATS, &st)) {
			if (st.faults[BENCH_MMIO_LEVEL_PMD])
				ret = 0;
			else if (st.faults[BENCH_MMIO_LEVEL_PTE])
				ret = 1;
		}
	}
	munmap((void *)p, sz);
out:
	close(fd);
	return ret;
}

/* Names of the bits set in v; a bit without a name shows as "bitN". */
static json_t *flags_to_json(uint64_t v, const struct flag_name *names)
{
	json_t *a = json_array();

	for (unsigned int b = 0; b < 64; b++) {
		const struct flag_name *f = names;
		char name[16];

		if (!(v & (1ULL << b)))
			continue;
		while (f->name && f->bit != 1ULL << b)
			f++;
		if (!f->name)
			snprintf(name, sizeof(name), "bit%u", b);
		json_array_append_new(a, json_string(f->name ? f->name : name));
	}
	return a;
}

json_t *caps_to_json(uint64_t caps)
{
	return flags_to_json(caps, cap_names);
}

json_t *features_to_json(uint64_t features)
{
	return flags_to_json(features, feature_names);
}

json_t *guards_to_json(uint64_t guards)
{
	return flags_to_json(guards, guard_names);
}

static const char *level_name(uint64_t l)
{
	return l < BENCH_MMIO_NR_LEVELS ? level_names[l] : "unknown";
}

json_t *info_to_json(const struct bench_mmio_info *i)
{
	json_t *ml = json_array();

	for (int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++)
		json_array_append_new(ml, json_integer(i->max_level[s]));
	return json_pack("{sI sI sI sI sI sI sI sI sI sI sI sI sI sI so sI sI sI sI sI sI sI sI sI sI sI}",
			 "abi_version", (json_int_t)i->abi_version,
			 "nr_strategies", (json_int_t)i->nr_strategies,
			 "features", (json_int_t)i->features,
			 "backing_kind", (json_int_t)i->backing_kind,
			 "phys_base", (json_int_t)i->phys_base,
			 "size", (json_int_t)i->size,
			 "pci_domain", (json_int_t)i->pci_domain,
			 "pci_bus", (json_int_t)i->pci_bus,
			 "pci_devfn", (json_int_t)i->pci_devfn,
			 "pci_bar", (json_int_t)i->pci_bar,
			 "pci_vendor", (json_int_t)i->pci_vendor,
			 "pci_device", (json_int_t)i->pci_device,
			 "caps", (json_int_t)i->caps,
			 "strategies", (json_int_t)i->strategies,
			 "max_level", ml,
			 "strategy", (json_int_t)i->strategy,
			 "align", (json_int_t)i->align,
			 "cache", (json_int_t)i->cache,
			 "default_strategy", (json_int_t)i->default_strategy,
			 "revoked", (json_int_t)i->revoked,
			 "page_shift", (json_int_t)i->page_shift,
			 "pmd_shift", (json_int_t)i->pmd_shift,
			 "pud_shift", (json_int_t)i->pud_shift,
			 "stats_offset", (json_int_t)i->stats_offset,
			 "stats_size", (json_int_t)i->stats_size,
			 "stats_slots", (json_int_t)i->stats_slots);
}

json_t *backing_to_json(const struct bench_mmio_info *i, const char *cache)
{
	json_t *pci = json_null();
	const char *kind = i->backing_kind == BENCH_MMIO_BACKING_PCI_BAR ? "pci_bar" :
			   i->backing_kind == BENCH_MMIO_BACKING_PHYS ? "phys" : "unknown";

	if (i->backing_kind == BENCH_MMIO_BACKING_PCI_BAR) {
		char bdf[32], ven[8], dev[8];

		snprintf(bdf, sizeof(bdf), "%04llx:%02llx:%02llx.%llx",
			 (unsigned long long)i->pci_domain, (unsigned long long)i->pci_bus,
			 (unsigned long long)(i->pci_devfn >> 3) & 0x1f,
			 (unsigned long long)i->pci_devfn & 7);
		snprintf(ven, sizeof(ven), "%04llx", (unsigned long long)i->pci_vendor & 0xffff);
		snprintf(dev, sizeof(dev), "%04llx", (unsigned long long)i->pci_device & 0xffff);
		pci = json_pack("{ss sI ss ss}", "bdf", bdf, "bar", (json_int_t)i->pci_bar,
				"vendor", ven, "device", dev);
	}
	return json_pack("{ss sI sI ss? so}", "kind", kind,
			 "size_bytes", (json_int_t)i->size,
			 "phys_base", (json_int_t)i->phys_base,
			 "cache", cache, "pci", pci);
}

json_t *module_to_json(const struct bench_mmio_info *i)
{
	json_t *ml = json_object(), *st = json_array();
	/* What the core mm and the insert API give together, in so many words. */
	bool pmd = (i->caps & BENCH_MMIO_CAP_CORE_PMD) && (i->caps & BENCH_MMIO_CAP_INSERT_PMD);
	bool pud = (i->caps & BENCH_MMIO_CAP_CORE_PUD) && (i->caps & BENCH_MMIO_CAP_INSERT_PUD);

	for (int s = 0; s < BENCH_MMIO_NR_STRATEGIES; s++) {
		if (!(i->strategies & (1ULL << s)))
			continue;
		json_array_append_new(st, json_string(strategy_names[s]));
		json_object_set_new(ml, strategy_names[s], json_string(level_name(i->max_level[s])));
	}
	return json_pack("{sI so so so sI so so ss sI sI sI sI s{sbsbss}}",
			 "abi_version", (json_int_t)i->abi_version,
			 "guards", guards_to_json(i->guards_default),
			 "caps", caps_to_json(i->caps),
			 "features", features_to_json(i->features),
			 "features_raw", (json_int_t)i->features,
			 "max_level", ml,
			 "strategies", st,
			 "default_strategy", i->default_strategy < BENCH_MMIO_NR_STRATEGIES ?
				strategy_names[i->default_strategy] : "unknown",
			 "caps_raw", (json_int_t)i->caps,
			 "page_shift", (json_int_t)i->page_shift,
			 "pmd_shift", (json_int_t)i->pmd_shift,
			 "pud_shift", (json_int_t)i->pud_shift,
			 "huge_pfnmap_faults", "pmd", pmd, "pud", pud,
			 "summary", pmd || pud ?
				"this kernel delivers huge pfnmap faults: ->huge_fault is called on VM_PFNMAP mappings" :
				"this kernel cannot deliver huge pfnmap faults: its core mm never calls ->huge_fault on VM_PFNMAP mappings, so pmd and pud map with 4K PTEs through ->fault");
}

int dev_census(int fd, const struct bench_mmio_info *info, const volatile void *addr, uint64_t len,
	       struct bench_mmio_census *c, char *why, size_t whylen)
{
	memset(c, 0, sizeof(*c));
	c->addr = (uintptr_t)addr;
	c->length = len;
	if (!ioctl(fd, BENCH_MMIO_CENSUS, c))
		return 0;
	if (errno == ENOTTY)
		snprintf(why, whylen, "BENCH_MMIO_CENSUS: ENOTTY: the module predates the census ioctl%s",
			 info && (info->features & BENCH_MMIO_FEAT_CENSUS) ?
			 " (although module.features has census)" :
			 " (module.features lacks census)");
	else
		snprintf(why, whylen, "BENCH_MMIO_CENSUS(addr=%p, length=%llu): %s", addr,
			 (unsigned long long)len, strerror(errno));
	return -1;
}

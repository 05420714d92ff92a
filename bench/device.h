/* SPDX-License-Identifier: GPL-2.0 */
/* device.h - /dev/bench_mmio access and the names of its uapi values. */
#ifndef BENCH_DEVICE_H
#define BENCH_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "bench_mmio_uapi.h"

/* Indexed by the uapi enums; NULL-terminated so they serve as enum values. */
extern const char *const strategy_names[];	/* from BENCH_MMIO_STRATEGIES() */
extern const char *const align_names[];
extern const char *const cache_names[];
extern const char *const level_names[];
extern const char *const access_names[];	/* "read", "write" */

/* Open the device; on failure a full message (with a hint) in err. */
int dev_open(const char *path, char *err, size_t errlen);
/* GET_INFO, then the ABI version and the strategy list must be this build's. */
int dev_info(int fd, struct bench_mmio_info *info, char *err, size_t errlen);
/*
 * The file's statistics mapping (see "DOC: the statistics mapping"): read-only,
 * pre-touched.  NULL with err set when the module lacks it or mmap fails.
 */
const volatile struct bench_mmio_stats *dev_stats_map(int fd, const struct bench_mmio_info *info,
						      char *err, size_t errlen);
void dev_stats_unmap(const volatile struct bench_mmio_stats *slots,
		     const struct bench_mmio_info *info);
/* Sum of faults[] over every level and slot: plain loads, no system call. */
static inline uint64_t dev_stats_faults(const volatile struct bench_mmio_stats *slots,
					unsigned int nslots)
{
	uint64_t n = 0;

	for (unsigned int s = 0; s < nslots; s++)
		for (int l = 0; l < BENCH_MMIO_NR_LEVELS; l++)
			n += slots[s].faults[l];
	return n;
}
/*
 * BENCH_MMIO_CENSUS of [addr, addr + len) (one mapping of the device):
 * which page-table levels map it.  0, or -1 with why (ENOTTY: a module
 * without the ioctl, said as such).
 */
int dev_census(int fd, const struct bench_mmio_info *info, const volatile void *addr, uint64_t len,
	       struct bench_mmio_census *c, char *why, size_t whylen);
/* SET_* ioctl; returns 0 or -errno. */
int dev_set(int fd, unsigned long req, uint64_t value);

/*
 * Does the THP sysfs setting "enabled" gate ->huge_fault on pfnmaps on this
 * kernel (vanilla 6.12: yes; Debian 6.12.115+: no)?  Asked of the kernel:
 * one PMD-aligned 2M mapping with the pmd strategy, touched once.  Returns
 * 1 (gates), 0 (does not), -1 (not asked: THP is "always" or absent, the
 * core has no huge pfnmaps, the backing cannot hold an aligned 2M, error).
 */
int probe_thp_gate(const char *device, const struct bench_mmio_info *info,
		   const char *thp_enabled);

json_t *caps_to_json(uint64_t caps);
json_t *features_to_json(uint64_t features);
/* Names of BENCH_MMIO_GUARD_* bits (module.guards). */
json_t *guards_to_json(uint64_t guards);
json_t *info_to_json(const struct bench_mmio_info *info);	/* raw GET_INFO */
json_t *backing_to_json(const struct bench_mmio_info *info, const char *cache);
json_t *module_to_json(const struct bench_mmio_info *info);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* sysinfo.h - timing, pinning, ASLR and the "system" section of a result. */
#ifndef BENCH_SYSINFO_H
#define BENCH_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

/* ---- serialized cycle counter ---- */

struct tsc_info {
	double hz;			/* ticks per second */
	bool invariant;			/* CPUID 0x80000007 EDX[8] */
	bool rdtscp;			/* CPUID 0x80000001 EDX[27] */
	bool is_tsc;			/* false: clock_gettime fallback */
	double spread_ppm;		/* calibration windows max-min / median */
	char method[224];		/* calibration */
	char read_method[128];		/* how each timestamp is taken */
};

extern bool tsc_use_rdtscp;

#if defined(__x86_64__) || defined(__i386__)
static inline uint64_t tick_begin(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tick_end(void)
{
	uint32_t lo, hi, aux;

	if (tsc_use_rdtscp)
		__asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	else
		__asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* A store is complete (not just executed) before the next timestamp. */
static inline void store_fence(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}
#elif defined(__aarch64__)
/*
 * The Arm generic timer's virtual count, CNTVCT_EL0 (readable from EL0 on
 * Linux), at CNTFRQ_EL0 Hz.  An isb before the read keeps it from being taken
 * before earlier instructions finish (the x86 lfence before rdtsc), an isb
 * after it keeps later instructions from starting before it (the lfence after).
 */
static inline uint64_t tick_begin(void)
{
	uint64_t v;

	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) :: "memory");
	return v;
}
#define tick_end tick_begin

static inline uint64_t cntfrq(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* dsb sy: the store has completed (device memory included), not just issued. */
static inline void store_fence(void)
{
	__asm__ __volatile__("dsb sy" ::: "memory");
}
#else
#include <time.h>
static inline uint64_t tick_begin(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}
#define tick_end tick_begin

static inline void store_fence(void)
{
	__sync_synchronize();
}
#endif

/* Calibrate the counter against CLOCK_MONOTONIC_RAW (call after pinning). */
void tsc_calibrate(struct tsc_info *t);
uint64_t now_ns(void);	/* CLOCK_MONOTONIC_RAW */

/* ---- process setup ---- */

struct aslr_state {
	bool disabled;		/* ADDR_NO_RANDOMIZE in effect */
	bool reexeced;		/* we re-executed ourselves to get it */
	char error[128];	/* why it could not be disabled */
};

/* Disable ASLR and re-exec /proc/self/exe with argv (returns only if done
 * already or impossible). */
void aslr_disable_reexec(char **argv, struct aslr_state *st);

struct pin_state {
	int pu_logical, os_index;	/* -1 when not pinned */
	unsigned int nr_pus;
	char method[96];
	/* placement (--bind) */
	char bind[32];			/* as asked: auto, pci, core:N, node:N */
	char how[200];			/* what was done, and why */
	int cpu_node, dev_node;		/* NUMA node os indexes, -1 unknown */
	double distance;		/* hwloc distance cpu_node -> dev_node, < 0 unknown */
	char distance_kind[96];
	char pci[16];			/* the device's bus id, "" when none */
};

/* The PCI device a placement can be near (valid false: none). */
struct pci_addr {
	bool valid;
	unsigned int domain, bus, dev, func;
};

/*
 * --bind: auto|pci|core:N|node:N.  0, or -1 with err (a usage error).
 * *kind is 0 auto, 1 pci, 2 core, 3 node; *index the N.
 */
int bind_parse(const char *s, int *kind, unsigned int *index, char *err, size_t errlen);

/*
 * Bind the calling thread to one PU: near @pci (bind pci, or auto when hwloc
 * knows the device: the last PU of its first non-I/O ancestor), in core N
 * (its first PU), in NUMA node N (its last PU), or hwloc PU logical index
 * @cpu (auto without a known device; OPT_UNSET: the last PU).  Records the
 * CPU, its node, the device's node and their hwloc distance.
 */
int place_thread(const char *bind, uint64_t cpu, const struct pci_addr *pci, struct pin_state *ps,
		 char *err, size_t errlen);
/* Bind the calling thread to hwloc PU logical index cpu (OPT_UNSET: last). */
int pin_thread(uint64_t cpu, struct pin_state *ps, char *err, size_t errlen);
/* The placement object of a run: {bind, how, cpu, pu_logical, cpu_node, device, device_node, distance}. */
json_t *placement_json(const struct pin_state *ps);
/* Number of PUs hwloc sees, for messages; 0 on error. */
unsigned int pu_count(void);

/* ---- system description ---- */

struct thp_state {
	char enabled[32], defrag[32];	/* "unavailable" when absent */
	int gates_pfnmap;		/* probe_thp_gate(): 1, 0, -1 unknown */
};
void thp_read(struct thp_state *t);
/* Bracketed word of a sysfs multiple-choice file, e.g. "[always] madvise". */
int sysfs_choice(const char *text, char *out, size_t len);

struct virt_state {
	const char *type;		/* none|kvm|tcg|other */
	char vendor[16];		/* CPUID 0x40000000 signature, "" if none */
	const char *source;		/* cpuid|env */
	bool hypervisor_bit;
};
void virt_detect(struct virt_state *v);

/*
 * The guest's clock, as the runner set it (scripts/vm-run exports
 * BENCH_MMIO_CLOCK=wall|icount and BENCH_MMIO_ICOUNT_SHIFT=N): under QEMU's
 * -icount shift=N,sleep=off a guest "ns" is 2^N executed guest instructions,
 * a path length, not hardware time.  Unset means the wall clock.
 */
struct guest_clock {
	const char *name;		/* wall|icount */
	int shift;			/* icount shift, -1 for wall */
	const char *source;		/* env|default */
	const char *ns_means;
};
/* 0, or -1 with err set for a value the runner would never export. */
int guest_clock_parse(const char *env_clock, const char *env_shift,
		      struct guest_clock *c, char *err, size_t errlen);
/* From the environment; a bad value is reported and gives the wall clock. */
void guest_clock_detect(struct guest_clock *c);
/* Pure mapping of a CPUID signature/env hint to a type, for tests. */
const char *virt_classify(bool hv_bit, const char *sig, const char *env_hint,
			  const char **source);

/*
 * CPU TLB sizes as the CPU reports them (x86 CPUID leaf 0x18 on Intel,
 * 0x80000005/6/19 on AMD): {vendor, source, tlbs: [...], stlb_reach_bytes},
 * or NULL with why.
 */
json_t *tlb_sizes_json(char *why, size_t len);

/* "system" object; tsc/pin/aslr may be NULL (e.g. for `info`). */
json_t *system_to_json(const struct tsc_info *tsc, const struct pin_state *pin,
		       const struct aslr_state *aslr);

#endif

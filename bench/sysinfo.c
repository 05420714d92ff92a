// SPDX-License-Identifier: GPL-2.0
/* sysinfo.c - timing, pinning, ASLR and the "system" section of a result. */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
#include <math.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_CPUID 1
#endif

#include "opts.h"
#include "sysinfo.h"

bool tsc_use_rdtscp;

#define REEXEC_ENV "BENCH_MMIO_ASLR_REEXEC"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool cpuid(unsigned int leaf, unsigned int *a, unsigned int *b,
		  unsigned int *c, unsigned int *d)
{
#ifdef HAVE_CPUID
	unsigned int max = __get_cpuid_max(leaf & 0x80000000u, NULL);

	if (max < leaf)
		return false;
	__cpuid_count(leaf, 0, *a, *b, *c, *d);
	return true;
#else
	(void)leaf; *a = *b = *c = *d = 0;
	return false;
#endif
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

enum { WINDOWS = 5, WINDOW_NS = 20000000 };

/* The counter's rate: the median of WINDOWS busy-waits against CLOCK_MONOTONIC_RAW. */
static __attribute__((unused)) void calibrate_windows(struct tsc_info *t, double hz[WINDOWS])
{
	for (int w = 0; w < WINDOWS; w++) {
		uint64_t t0 = now_ns(), c0 = tick_begin(), t1, c1;

		do
			t1 = now_ns();
		while (t1 - t0 < WINDOW_NS);
		c1 = tick_end();
		t1 = now_ns();
		hz[w] = (double)(c1 - c0) * 1e9 / (double)(t1 - t0);
	}
	qsort(hz, WINDOWS, sizeof(hz[0]), cmp_d);
	t->hz = hz[WINDOWS / 2];
	t->spread_ppm = t->hz > 0 ? (hz[WINDOWS - 1] - hz[0]) / t->hz * 1e6 : 0;
}

/*
 * Under QEMU icount the counter runs at the virtual clock, which counts
 * instructions: the x86 TSC at exactly 1 GHz (QEMU's cpu_get_ticks() is
 * icount_get(), ns, whatever the shift), the arm64 generic timer at its
 * CNTFRQ.  What calibration measures beside that (a few ppm) is the cost of
 * its own clock reads; the exact rate is taken instead, so that two boots
 * turn the same ticks into the same ns.  Far from it: calibration stands.
 */
static void tsc_snap_icount(struct tsc_info *t)
{
	struct guest_clock clk;
	double exact;
	size_t len;

	guest_clock_detect(&clk);
	if (strcmp(clk.name, "icount") || t->hz <= 0)
		return;
#if defined(__aarch64__)
	exact = (double)cntfrq();
#else
	exact = 1e9;
#endif
	len = strlen(t->method);
	if (fabs(t->hz - exact) / exact > 1e-3) {
		snprintf(t->method + len, sizeof(t->method) - len,
			 "; icount: %.0f Hz is not the virtual clock's %.0f Hz, kept", t->hz, exact);
		return;
	}
	snprintf(t->method + len, sizeof(t->method) - len,
		 "; icount: the virtual clock's exact %.0f Hz (measured %.3f)", exact, t->hz);
	t->hz = exact;
}

void tsc_calibrate(struct tsc_info *t)
{
	unsigned int a, b, c, d;
	double hz[WINDOWS];

	memset(t, 0, sizeof(*t));
#ifdef HAVE_CPUID
	t->is_tsc = true;
	if (cpuid(0x80000001, &a, &b, &c, &d))
		t->rdtscp = d & (1u << 27);
	if (cpuid(0x80000007, &a, &b, &c, &d))
		t->invariant = d & (1u << 8);
	tsc_use_rdtscp = t->rdtscp;
	snprintf(t->read_method, sizeof(t->read_method), "%s",
		 t->rdtscp ? "x86 TSC: lfence;rdtsc;lfence before, rdtscp;lfence after"
			   : "x86 TSC: lfence;rdtsc;lfence before and after (no rdtscp)");
	calibrate_windows(t, hz);
	snprintf(t->method, sizeof(t->method),
		 "median of %d busy-wait windows of %d ms against CLOCK_MONOTONIC_RAW",
		 WINDOWS, WINDOW_NS / 1000000);
#elif defined(__aarch64__)
	(void)a; (void)b; (void)c; (void)d;
	/* The generic timer runs at a fixed rate by architecture. */
	t->is_tsc = true;
	t->invariant = true;
	snprintf(t->read_method, sizeof(t->read_method), "%s",
		 "arm64 CNTVCT_EL0: isb;mrs cntvct_el0;isb before and after (dsb sy after a store)");
	calibrate_windows(t, hz);
	snprintf(t->method, sizeof(t->method),
		 "median of %d busy-wait windows of %d ms against CLOCK_MONOTONIC_RAW (CNTFRQ_EL0 says %llu Hz)",
		 WINDOWS, WINDOW_NS / 1000000, (unsigned long long)cntfrq());
	if (t->hz <= 0)
		t->hz = (double)cntfrq();
#else
	(void)a; (void)b; (void)c; (void)d; (void)hz;
	t->hz = 1e9;
	snprintf(t->read_method, sizeof(t->read_method), "clock_gettime(CLOCK_MONOTONIC_RAW)");
	snprintf(t->method, sizeof(t->method), "none: nanosecond clock");
#endif
	tsc_snap_icount(t);
}

void aslr_disable_reexec(char **argv, struct aslr_state *st)
{
	int pers = personality(0xffffffff);

	memset(st, 0, sizeof(*st));
	if (getenv(REEXEC_ENV)) {
		st->reexeced = true;
		unsetenv(REEXEC_ENV);
	}
	if (pers == -1) {
		snprintf(st->error, sizeof(st->error), "personality: %s", strerror(errno));
		return;
	}
	if (pers & ADDR_NO_RANDOMIZE) {
		st->disabled = true;
		return;
	}
	if (st->reexeced) {
		snprintf(st->error, sizeof(st->error), "ADDR_NO_RANDOMIZE not kept across exec");
		return;
	}
	if (personality(pers | ADDR_NO_RANDOMIZE) == -1) {
		snprintf(st->error, sizeof(st->error), "personality(ADDR_NO_RANDOMIZE): %s",
			 strerror(errno));
		return;
	}
	setenv(REEXEC_ENV, "1", 1);
	fflush(NULL);
	execv("/proc/self/exe", argv);
	snprintf(st->error, sizeof(st->error), "re-exec of /proc/self/exe: %s", strerror(errno));
	unsetenv(REEXEC_ENV);
	personality(pers);
}

static int topo_open(hwloc_topology_t *topo)
{
	if (hwloc_topology_init(topo))
		return -1;
	if (hwloc_topology_load(*topo)) {
		hwloc_topology_destroy(*topo);
		return -1;
	}
	return 0;
}

unsigned int pu_count(void)
{
	hwloc_topology_t topo;
	int n;

	if (topo_open(&topo))
		return 0;
	n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	hwloc_topology_destroy(topo);
	return n > 0 ? n : 0;
}

int bind_parse(const char *s, int *kind, unsigned int *index, char *err, size_t errlen)
{
	static const char *const words[] = { "auto", "pci", "core:", "node:" };
	char *end;

	*index = 0;
	for (int k = 0; k < 4; k++) {
		size_t n = strlen(words[k]);

		if (k < 2 && !strcmp(s, words[k])) {
			*kind = k;
			return 0;
		}
		if (k >= 2 && !strncmp(s, words[k], n)) {
			unsigned long v;

			errno = 0;
			v = strtoul(s + n, &end, 10);
			if (!s[n] || *end || errno || v > 1u << 20)
				break;
			*kind = k;
			*index = (unsigned int)v;
			return 0;
		}
	}
	snprintf(err, errlen, "--bind=%s: expected auto, pci, core:N or node:N", s);
	return -1;
}

static int obj_node(hwloc_obj_t o)
{
	int n = o && o->nodeset ? hwloc_bitmap_first(o->nodeset) : -1;

	return n < 0 ? -1 : n;
}

/* hwloc's distance between two NUMA nodes (os indexes), or -1. */
static double node_distance(hwloc_topology_t topo, int a, int b, char *kind, size_t len)
{
	hwloc_obj_t na = hwloc_get_numanode_obj_by_os_index(topo, a);
	hwloc_obj_t nb = hwloc_get_numanode_obj_by_os_index(topo, b);
	struct hwloc_distances_s *d[4];
	unsigned int nr = 4;
	double v = -1;

	kind[0] = '\0';
	if (!na || !nb || hwloc_distances_get_by_type(topo, HWLOC_OBJ_NUMANODE, &nr, d, 0, 0))
		return -1;
	for (unsigned int i = 0; i < nr && i < 4; i++) {
		hwloc_uint64_t ab, ba;

		if (v < 0 && !hwloc_distances_obj_pair_values(d[i], na, nb, &ab, &ba)) {
			v = (double)ab;
			snprintf(kind, len, "%s%s",
				 d[i]->kind & HWLOC_DISTANCES_KIND_MEANS_LATENCY ? "latency" : "bandwidth",
				 d[i]->kind & HWLOC_DISTANCES_KIND_FROM_OS ? ", from the OS (ACPI SLIT: 10 = local)" : "");
		}
		hwloc_distances_release(topo, d[i]);
	}
	return v;
}

int place_thread(const char *bind, uint64_t cpu, const struct pci_addr *pci, struct pin_state *ps,
		 char *err, size_t errlen)
{
	hwloc_topology_t topo;
	hwloc_obj_t pu = NULL, dev = NULL, anc = NULL, o;
	unsigned int index;
	int kind, n;

	memset(ps, 0, sizeof(*ps));
	ps->pu_logical = ps->os_index = -1;
	ps->cpu_node = ps->dev_node = -1;
	ps->distance = -1;
	snprintf(ps->method, sizeof(ps->method), "hwloc_set_cpubind(THREAD|STRICT)");
	snprintf(ps->bind, sizeof(ps->bind), "%s", bind ? bind : "auto");
	if (bind_parse(ps->bind, &kind, &index, err, errlen))
		return -1;
	if (kind && cpu != OPT_UNSET) {
		snprintf(err, errlen, "--cpu and --bind=%s: choose one", ps->bind);
		return -1;
	}
	if (hwloc_topology_init(&topo)) {
		snprintf(err, errlen, "hwloc: cannot initialise the topology: %s", strerror(errno));
		return -1;
	}
	hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
	if (hwloc_topology_load(topo)) {
		snprintf(err, errlen, "hwloc: cannot load the topology: %s", strerror(errno));
		hwloc_topology_destroy(topo);
		return -1;
	}
	n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	if (n <= 0) {
		snprintf(err, errlen, "hwloc: no PU in the topology");
		goto fail;
	}
	ps->nr_pus = n;
	if (pci && pci->valid) {
		snprintf(ps->pci, sizeof(ps->pci), "%04x:%02x:%02x.%x", pci->domain, pci->bus,
			 pci->dev, pci->func);
		dev = hwloc_get_pcidev_by_busid(topo, pci->domain, pci->bus, pci->dev, pci->func);
		anc = dev ? hwloc_get_non_io_ancestor_obj(topo, dev) : NULL;
		ps->dev_node = obj_node(anc);
	}
	switch (kind) {
	case 1:	/* pci */
		if (!anc) {
			snprintf(err, errlen, "--bind=pci: %s", !pci || !pci->valid ?
				 "the backing is not a PCI device (or no device was opened)" :
				 "hwloc does not know the device's place in the topology");
			goto fail;
		}
		/* fall through */
	case 0:	/* auto */
		if (anc && cpu == OPT_UNSET) {
			pu = hwloc_get_obj_inside_cpuset_by_type(topo, anc->cpuset, HWLOC_OBJ_PU,
				hwloc_get_nbobjs_inside_cpuset_by_type(topo, anc->cpuset, HWLOC_OBJ_PU) - 1);
			snprintf(ps->how, sizeof(ps->how), "near the PCI device %s: the last PU of its first non-I/O ancestor (%s L#%u)",
				 ps->pci, hwloc_obj_type_string(anc->type), anc->logical_index);
			break;
		}
		if (cpu == OPT_UNSET)
			cpu = n - 1;
		if (cpu >= (uint64_t)n) {
			snprintf(err, errlen, "--cpu=%llu: there are %d PUs (logical indexes 0..%d)",
				 (unsigned long long)cpu, n, n - 1);
			goto fail;
		}
		pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned int)cpu);
		snprintf(ps->how, sizeof(ps->how), "%s%s", ps->bind[0] == 'a' && !strcmp(ps->bind, "auto") && cpu == (uint64_t)n - 1 ?
			 "the default: the last PU" : "PU logical index --cpu",
			 !pci || !pci->valid ? " (no PCI device to be near)" :
			 !anc ? " (hwloc does not know the PCI device's place)" : "");
		break;
	case 2:	/* core:N */
		o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, index);
		if (!o) {
			snprintf(err, errlen, "--bind=core:%u: there are %d cores", index,
				 hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE));
			goto fail;
		}
		pu = hwloc_get_obj_inside_cpuset_by_type(topo, o->cpuset, HWLOC_OBJ_PU, 0);
		snprintf(ps->how, sizeof(ps->how), "the first PU of core L#%u", index);
		break;
	default: /* node:N */
		o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, index);
		if (!o || hwloc_bitmap_iszero(o->cpuset)) {
			snprintf(err, errlen, "--bind=node:%u: %s", index,
				 o ? "the node has no CPU" : "no such NUMA node (hwloc logical index)");
			goto fail;
		}
		pu = hwloc_get_obj_inside_cpuset_by_type(topo, o->cpuset, HWLOC_OBJ_PU,
			hwloc_get_nbobjs_inside_cpuset_by_type(topo, o->cpuset, HWLOC_OBJ_PU) - 1);
		snprintf(ps->how, sizeof(ps->how), "the last PU of NUMA node L#%u", index);
		break;
	}
	if (!pu || hwloc_set_cpubind(topo, pu->cpuset, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT)) {
		snprintf(err, errlen, "cannot bind (%s): %s", ps->how, pu ? strerror(errno) : "no PU");
		goto fail;
	}
	ps->pu_logical = (int)pu->logical_index;
	ps->os_index = (int)pu->os_index;
	ps->cpu_node = obj_node(pu);
	if (ps->cpu_node >= 0 && ps->dev_node >= 0)
		ps->distance = node_distance(topo, ps->cpu_node, ps->dev_node, ps->distance_kind,
					     sizeof(ps->distance_kind));
	hwloc_topology_destroy(topo);
	return 0;
fail:
	hwloc_topology_destroy(topo);
	return -1;
}

int pin_thread(uint64_t cpu, struct pin_state *ps, char *err, size_t errlen)
{
	return place_thread("auto", cpu, NULL, ps, err, errlen);
}

json_t *placement_json(const struct pin_state *ps)
{
	return json_pack("{ss ss so so so ss? so so ss?}",
			 "bind", ps->bind, "how", ps->how,
			 "cpu", ps->os_index >= 0 ? json_integer(ps->os_index) : json_null(),
			 "pu_logical", ps->pu_logical >= 0 ? json_integer(ps->pu_logical) : json_null(),
			 "cpu_node", ps->cpu_node >= 0 ? json_integer(ps->cpu_node) : json_null(),
			 "device", ps->pci[0] ? ps->pci : NULL,
			 "device_node", ps->dev_node >= 0 ? json_integer(ps->dev_node) : json_null(),
			 "distance", ps->distance >= 0 ? json_real(ps->distance) : json_null(),
			 "distance_kind", ps->distance >= 0 ? ps->distance_kind : NULL);
}

/* ---------------------------------------------------------- TLB sizes */

#ifdef HAVE_CPUID
static void cpuid_sub(unsigned int leaf, unsigned int sub, unsigned int r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}
#endif

enum { TLB_4K, TLB_2M, TLB_4M, TLB_1G, TLB_NSIZES };
static const uint64_t tlb_sizes[TLB_NSIZES] = { 1ULL << 12, 1ULL << 21, 1ULL << 22, 1ULL << 30 };

#ifdef HAVE_CPUID
static json_t *tlb_entry(unsigned int level, const char *type, unsigned int sizes, unsigned int entries,
			 unsigned int ways, bool full)
{
	json_t *ps = json_array();

	for (int i = 0; i < TLB_NSIZES; i++)
		if (sizes & (1u << i))
			json_array_append_new(ps, json_integer((json_int_t)tlb_sizes[i]));
	return json_pack("{si ss so si so sb}", "level", level, "type", type, "page_sizes", ps,
			 "entries", entries, "ways", ways ? json_integer(ways) : json_null(),
			 "fully_associative", full);
}
#endif

json_t *tlb_sizes_json(char *why, size_t len)
{
#ifdef HAVE_CPUID
	static const char *const types[] = { "invalid", "data", "instruction", "unified", "load", "store" };
	unsigned int r[4], max;
	char vendor[13];
	uint64_t reach[TLB_NSIZES] = { 0 };
	json_t *tlbs = json_array(), *o, *rj;
	const char *source;

	cpuid_sub(0, 0, r);
	max = r[0];
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	if (!strcmp(vendor, "GenuineIntel")) {
		unsigned int nsub;

		if (max < 0x18) {
			snprintf(why, len, "Intel CPU without CPUID leaf 0x18 (max basic leaf 0x%x); the older leaf 2 descriptors are not decoded", max);
			json_decref(tlbs);
			return NULL;
		}
		cpuid_sub(0x18, 0, r);
		nsub = r[0];
		for (unsigned int sub = 0; sub <= nsub && sub < 64; sub++) {
			unsigned int type, level, sizes, ways, sets, entries;

			cpuid_sub(0x18, sub, r);
			type = r[3] & 0x1f;
			if (!type || type > 5)
				continue;
			level = (r[3] >> 5) & 7;
			sizes = r[1] & 0xf;
			ways = r[1] >> 16;
			sets = r[2];
			entries = ways * sets;
			json_array_append_new(tlbs, tlb_entry(level, types[type], sizes, entries, ways,
							      r[3] & (1u << 8)));
			/* the STLB: the second-level data or unified TLB */
			if (level == 2 && (type == 1 || type == 3 || type == 4))
				for (int i = 0; i < TLB_NSIZES; i++)
					if ((sizes & (1u << i)) && entries * tlb_sizes[i] > reach[i])
						reach[i] = entries * tlb_sizes[i];
		}
		source = "CPUID leaf 0x18 (deterministic address translation parameters)";
	} else if (!strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "HygonGenuine")) {
		unsigned int r5[4], r6[4], r19[4] = { 0 }, emax;
		/* entries of a 2M/4M field count 2M pages; 4M pages take two */
		struct { unsigned int level, sizes, entries; } t[6];
		int nt = 0;

		cpuid_sub(0x80000000, 0, r);
		emax = r[0];
		if (emax < 0x80000006) {
			snprintf(why, len, "AMD CPU without CPUID leaves 0x80000005/6 (max extended leaf 0x%x)", emax);
			json_decref(tlbs);
			return NULL;
		}
		cpuid_sub(0x80000005, 0, r5);
		cpuid_sub(0x80000006, 0, r6);
		if (emax >= 0x80000019)
			cpuid_sub(0x80000019, 0, r19);
		t[nt++] = (typeof(t[0])){ 1, 1u << TLB_4K, (r5[1] >> 16) & 0xff };
		t[nt++] = (typeof(t[0])){ 1, (1u << TLB_2M) | (1u << TLB_4M), (r5[0] >> 16) & 0xff };
		t[nt++] = (typeof(t[0])){ 2, 1u << TLB_4K, (r6[1] >> 16) & 0xfff };
		t[nt++] = (typeof(t[0])){ 2, (1u << TLB_2M) | (1u << TLB_4M), (r6[0] >> 16) & 0xfff };
		if (emax >= 0x80000019) {
			t[nt++] = (typeof(t[0])){ 1, 1u << TLB_1G, (r19[0] >> 16) & 0xfff };
			t[nt++] = (typeof(t[0])){ 2, 1u << TLB_1G, (r19[1] >> 16) & 0xfff };
		}
		for (int i = 0; i < nt; i++) {
			if (!t[i].entries)
				continue;
			json_array_append_new(tlbs, tlb_entry(t[i].level, "data", t[i].sizes, t[i].entries, 0, false));
			if (t[i].level == 2)
				for (int k = 0; k < TLB_NSIZES; k++)
					if (t[i].sizes & (1u << k))
						reach[k] = (uint64_t)t[i].entries * tlb_sizes[k];
		}
		source = "CPUID leaves 0x80000005 (L1), 0x80000006 (L2), 0x80000019 (1G)";
	} else {
		snprintf(why, len, "CPU vendor \"%s\": no TLB description decoded for it", vendor);
		json_decref(tlbs);
		return NULL;
	}
	if (!json_array_size(tlbs)) {
		snprintf(why, len, "%s CPU reports no TLB in %s", vendor, source);
		json_decref(tlbs);
		return NULL;
	}
	rj = json_object();
	for (int i = 0; i < TLB_NSIZES; i++) {
		char key[24];

		if (i == TLB_4M)
			continue;
		snprintf(key, sizeof(key), "%llu", (unsigned long long)tlb_sizes[i]);
		json_object_set_new(rj, key, reach[i] ? json_integer((json_int_t)reach[i]) : json_null());
	}
	o = json_pack("{ss ss so so ss}", "vendor", vendor, "source", source, "tlbs", tlbs,
		      "stlb_reach_bytes", rj,
		      "note", "as the CPU (or the hypervisor's virtual CPU) reports it; stlb_reach_bytes = second-level data/unified TLB entries x page size, null when that level holds no such pages");
	return o;
#else
	snprintf(why, len, "not an x86 CPU: no CPUID TLB description (Arm does not report TLB sizes to user space)");
	return NULL;
#endif
}

/* Keep printable ASCII so that every string is valid UTF-8 for jansson. */
static void ascii_only(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int sysfs_choice(const char *text, char *out, size_t len)
{
	const char *l = strchr(text, '['), *r;

	if (!l || !(r = strchr(l, ']')) || r == l + 1 || (size_t)(r - l - 1) >= len)
		return -1;
	memcpy(out, l + 1, r - l - 1);
	out[r - l - 1] = '\0';
	return 0;
}

void thp_read(struct thp_state *t)
{
	static const char dir[] = "/sys/kernel/mm/transparent_hugepage/";
	char path[128], buf[256];

	snprintf(path, sizeof(path), "%senabled", dir);
	if (read_file(path, buf, sizeof(buf)) || sysfs_choice(buf, t->enabled, sizeof(t->enabled)))
		snprintf(t->enabled, sizeof(t->enabled), "unavailable");
	snprintf(path, sizeof(path), "%sdefrag", dir);
	if (read_file(path, buf, sizeof(buf)) || sysfs_choice(buf, t->defrag, sizeof(t->defrag)))
		snprintf(t->defrag, sizeof(t->defrag), "unavailable");
}

const char *virt_classify(bool hv_bit, const char *sig, const char *env_hint,
			  const char **source)
{
	static const char *const types[] = { "none", "kvm", "tcg", "other", NULL };

	*source = "cpuid";
	if (sig && *sig) {
		if (!strcmp(sig, "KVMKVMKVM"))
			return "kvm";
		if (!strcmp(sig, "TCGTCGTCGTCG"))
			return "tcg";
		return "other";
	}
	if (env_hint)
		for (int i = 0; types[i]; i++)
			if (!strcmp(env_hint, types[i])) {
				*source = "env";
				return types[i];
			}
	return hv_bit ? "other" : "none";
}

void virt_detect(struct virt_state *v)
{
	unsigned int a, b, c, d;

	memset(v, 0, sizeof(*v));
	if (cpuid(1, &a, &b, &c, &d))
		v->hypervisor_bit = c & (1u << 31);
#ifdef HAVE_CPUID
	if (v->hypervisor_bit) {
		unsigned int r[3];

		__cpuid_count(0x40000000, 0, a, r[0], r[1], r[2]);
		memcpy(v->vendor, r, 12);
		v->vendor[12] = '\0';
		for (char *p = v->vendor; *p; p++)
			if (*p < 0x20 || *p > 0x7e) {
				v->vendor[0] = '\0';	/* no usable signature */
				break;
			}
	}
#endif
	v->type = virt_classify(v->hypervisor_bit, v->vendor, getenv("BENCH_MMIO_VIRT"),
				&v->source);
}

int guest_clock_parse(const char *env_clock, const char *env_shift,
		      struct guest_clock *c, char *err, size_t errlen)
{
	static const char *const wall_means = "wall-clock time";
	char *end;
	long sh;

	c->name = "wall";
	c->shift = -1;
	c->source = "default";
	c->ns_means = wall_means;
	if (!env_clock || !*env_clock)
		return 0;
	c->source = "env";
	if (!strcmp(env_clock, "wall"))
		return 0;
	if (strcmp(env_clock, "icount")) {
		snprintf(err, errlen, "BENCH_MMIO_CLOCK='%s': wall or icount", env_clock);
		return -1;
	}
	if (!env_shift || !*env_shift) {
		snprintf(err, errlen, "BENCH_MMIO_CLOCK=icount needs BENCH_MMIO_ICOUNT_SHIFT");
		return -1;
	}
	errno = 0;
	sh = strtol(env_shift, &end, 10);
	if (errno || *end || sh < 0 || sh > 10) {
		snprintf(err, errlen, "BENCH_MMIO_ICOUNT_SHIFT='%s': an integer 0..10", env_shift);
		return -1;
	}
	c->name = "icount";
	c->shift = (int)sh;
	c->ns_means = sh ? "2^shift guest instructions (QEMU -icount): a path length, not hardware time"
			 : "one guest instruction (QEMU -icount shift=0): a path length, not hardware time";
	return 0;
}

void guest_clock_detect(struct guest_clock *c)
{
	char err[128];

	if (guest_clock_parse(getenv("BENCH_MMIO_CLOCK"), getenv("BENCH_MMIO_ICOUNT_SHIFT"),
			      c, err, sizeof(err)))
		fprintf(stderr, "bench_mmio: %s; recording the wall clock\n", err);
}

static json_t *pmu_detail(bool *available)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	int perf_errno = fd < 0 ? errno : 0;
	json_t *core = json_null(), *desc = json_null();

	*available = fd >= 0;
	if (fd >= 0)
		close((int)fd);
	if (pfm_initialize() == PFM_SUCCESS) {
		pfm_pmu_t p;

		pfm_for_all_pmus(p) {
			pfm_pmu_info_t info;

			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (pfm_get_pmu_info(p, &info) != PFM_SUCCESS || !info.is_present)
				continue;
			if (info.type != PFM_PMU_TYPE_CORE)
				continue;
			core = json_string(info.name);
			desc = info.desc ? json_string(info.desc) : json_null();
			break;
		}
		pfm_terminate();
	}
	return json_pack("{so so ss? ss}", "pfm_core_pmu", core, "pfm_core_pmu_desc", desc,
			 "perf_error", perf_errno ? strerror(perf_errno) : NULL,
			 "probe", "perf_event_open(PERF_COUNT_HW_CPU_CYCLES, user only)");
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

json_t *system_to_json(const struct tsc_info *tsc, const struct pin_state *pin,
		       const struct aslr_state *aslr)
{
	struct utsname u;
	struct thp_state thp;
	struct virt_state virt;
	struct guest_clock clk;
	char cmdline[4096] = "", model[256], host[256] = "", rvs[32];
	unsigned int a, b, c, d;
	bool gbpages = false, pmu;
	json_t *pmu_d, *sys, *aslr_j, *tsc_j = json_null(), *pin_j = json_null(), *tlb;
	char tlb_why[256] = "";
	int pers = personality(0xffffffff);

	uname(&u);
	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	cpu_model(model, sizeof(model));
	gethostname(host, sizeof(host) - 1);
	ascii_only(cmdline);
	ascii_only(model);
	ascii_only(host);
	ascii_only(u.version);
	if (cpuid(0x80000001, &a, &b, &c, &d))
		gbpages = d & (1u << 26);
	thp_read(&thp);
	virt_detect(&virt);
	guest_clock_detect(&clk);
	pmu_d = pmu_detail(&pmu);

	aslr_j = json_pack("{so ss sb}",
			   "randomize_va_space",
			   read_file("/proc/sys/kernel/randomize_va_space", rvs, sizeof(rvs)) ?
				json_null() : json_integer(atoi(rvs)),
			   "process", pers != -1 && (pers & ADDR_NO_RANDOMIZE) ? "off" : "on",
			   "reexec", aslr && aslr->reexeced);
	if (aslr && aslr->error[0])
		json_object_set_new(aslr_j, "error", json_string(aslr->error));
	if (tsc)
		tsc_j = json_pack("{ss ss sf}", "method", tsc->method, "read", tsc->read_method,
				  "spread_ppm", tsc->spread_ppm);
	if (pin && pin->pu_logical >= 0)
		pin_j = json_pack("{si si si ss}", "pu_logical", pin->pu_logical,
				  "os_index", pin->os_index, "nr_pus", pin->nr_pus,
				  "method", pin->method);

	sys = json_pack("{s{ss ss ss} s{ss so sb sb so} s{ss ss? ss sb} ss so s{ss ss} so so so ss}",
			"kernel", "release", u.release, "version", u.version, "cmdline", cmdline,
			"cpu", "model_name", model,
			"tsc_hz", tsc && tsc->hz > 0 ? json_integer((json_int_t)(tsc->hz + 0.5)) : json_null(),
			"invariant_tsc", tsc && tsc->invariant, "gbpages", gbpages,
			"tsc_calibration", tsc_j,
			"virt", "type", virt.type, "vendor", virt.vendor[0] ? virt.vendor : NULL,
			"source", virt.source, "hypervisor_bit", virt.hypervisor_bit,
			"pmu", pmu ? "available" : "none",
			"pmu_detail", pmu_d,
			"thp", "enabled", thp.enabled, "defrag", thp.defrag,
			"aslr", aslr_j,
			"pinned_cpu", pin && pin->pu_logical >= 0 ? json_integer(pin->os_index) : json_null(),
			"pinning", pin_j,
			"hostname", host);
	json_object_set_new(json_object_get(sys, "virt"), "clock",
			    json_pack("{ss so ss ss}", "name", clk.name,
				      "shift", clk.shift < 0 ? json_null() : json_integer(clk.shift),
				      "source", clk.source, "ns_means", clk.ns_means));
	json_object_set_new(sys, "cpus_online", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	tlb = tlb_sizes_json(tlb_why, sizeof(tlb_why));
	json_object_set_new(sys, "tlb", tlb ? tlb : json_null());
	if (!tlb)
		json_object_set_new(sys, "tlb_reason", json_string(tlb_why));
	if (pin && pin->pu_logical >= 0)
		json_object_set_new(sys, "placement", placement_json(pin));
	return sys;
}

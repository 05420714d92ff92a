// SPDX-License-Identifier: GPL-2.0
/* sysinfo.c - timing, pinning, ASLR and the "system" section of a result. */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
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

void tsc_calibrate(struct tsc_info *t)
{
	enum { WINDOWS = 5, WINDOW_NS = 20000000 };
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
	snprintf(t->method, sizeof(t->method),
		 "median of %d busy-wait windows of %d ms against CLOCK_MONOTONIC_RAW",
		 WINDOWS, WINDOW_NS / 1000000);
#else
	(void)a; (void)b; (void)c; (void)d; (void)hz;
	t->hz = 1e9;
	snprintf(t->read_method, sizeof(t->read_method), "clock_gettime(CLOCK_MONOTONIC_RAW)");
	snprintf(t->method, sizeof(t->method), "none: nanosecond clock");
#endif
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

int pin_thread(uint64_t cpu, struct pin_state *ps, char *err, size_t errlen)
{
	hwloc_topology_t topo;
	hwloc_obj_t pu;
	int n;

	ps->pu_logical = ps->os_index = -1;
	ps->nr_pus = 0;
	snprintf(ps->method, sizeof(ps->method), "hwloc_set_cpubind(THREAD|STRICT)");
	if (topo_open(&topo)) {
		snprintf(err, errlen, "hwloc: cannot load the topology: %s", strerror(errno));
		return -1;
	}
	n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	if (n <= 0) {
		snprintf(err, errlen, "hwloc: no PU in the topology");
		goto fail;
	}
	ps->nr_pus = n;
	if (cpu == OPT_UNSET)
		cpu = n - 1;
	if (cpu >= (uint64_t)n) {
		snprintf(err, errlen, "--cpu=%llu: there are %d PUs (logical indexes 0..%d)",
			 (unsigned long long)cpu, n, n - 1);
		goto fail;
	}
	pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned int)cpu);
	if (!pu || hwloc_set_cpubind(topo, pu->cpuset,
				     HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT)) {
		snprintf(err, errlen, "cannot bind to PU L#%llu: %s",
			 (unsigned long long)cpu, strerror(errno));
		goto fail;
	}
	ps->pu_logical = (int)cpu;
	ps->os_index = (int)pu->os_index;
	hwloc_topology_destroy(topo);
	return 0;
fail:
	hwloc_topology_destroy(topo);
	return -1;
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
	char cmdline[4096] = "", model[256], host[256] = "", rvs[32];
	unsigned int a, b, c, d;
	bool gbpages = false, pmu;
	json_t *pmu_d, *sys, *aslr_j, *tsc_j = json_null(), *pin_j = json_null();
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
	return sys;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - bench_mmio command line: list, info, help and the benchmarks.
 *
 * Exit status: 0 when every run is ok or skipped, 1 when a run failed or the
 * device/result could not be used, 2 for bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "device.h"
#include "lava.h"
#include "sysinfo.h"
#include "result.h"
#include "target.h"

#define EXIT_USAGE 2

static struct common_params common;

/* --out names a file, not a directory, when it ends in ".json". */
static bool out_is_file(const char *out)
{
	size_t n = strlen(out);

	return n >= 5 && !strcmp(out + n - 5, ".json");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench_mmio <benchmark> [--option=value ...]\n"
		"       bench_mmio list          benchmarks and their options\n"
		"       bench_mmio info [--device=PATH]\n"
		"                                device GET_INFO and system description (JSON)\n"
		"       bench_mmio help [benchmark]\n"
		"       bench_mmio version\n"
		"       bench_mmio lava RESULT.json...   a result as lava-test-case lines\n\n"
		"Options are --name=value or --name value; they can also come from\n"
		"--profile=FILE (key=value lines, # comments); the command line wins.\n"
		"Results go to <out>/<bench>-<targets>-<release>-<time>.json\n"
		"and the path is printed as 'result: PATH' on the last line of stdout.\n\n"
		"benchmarks:\n");
	for (int i = 0; benchmarks[i]; i++)
		fprintf(f, "  %-10s %s\n", benchmarks[i]->name, benchmarks[i]->help);
}

static void list(FILE *f, const struct benchmark *only)
{
	for (int i = 0; benchmarks[i]; i++) {
		const struct benchmark *b = benchmarks[i];

		if (only && only != b)
			continue;
		fprintf(f, "%s: %s\n", b->name, b->help);
		fprintf(f, " options:\n");
		opts_print(b->opts, f);
	}
	fprintf(f, "common options:\n");
	opts_print(common_opts, f);
}

static int cmd_info(int argc, char **argv)
{
	struct opt_table t[1] = { { common_opts, &common } };
	struct bench_mmio_info info;
	struct tsc_info tsc;
	char err[OPT_ERRLEN];
	json_t *doc, *dev = json_null();
	int fd, ret = 0;

	ret = opts_parse_args(t, 1, argc, argv, err, sizeof(err));
	if (ret == OPTS_HELP) {
		usage(stdout);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "bench_mmio info: %s\n", err);
		return EXIT_USAGE;
	}
	tsc_calibrate(&tsc);
	fd = dev_open(common.device, err, sizeof(err));
	if (fd >= 0 && dev_info(fd, &info, err, sizeof(err)))
		ret = 1;
	else if (fd < 0)
		ret = 1;
	else
		dev = json_pack("{so so so}", "info", info_to_json(&info),
				"backing", backing_to_json(&info, NULL),
				"module", module_to_json(&info));
	if (fd >= 0)
		close(fd);
	if (ret)
		fprintf(stderr, "bench_mmio info: %s\n", err);
	doc = json_pack("{ss s{ss ss} ss so so}", "schema", "bench_mmio-info/1",
			"suite", "name", "bench_mmio", "version", BENCH_MMIO_VERSION,
			"device_path", common.device, "device", dev,
			"system", system_to_json(&tsc, NULL, NULL));
	if (ret)
		json_object_set_new(doc, "device_error", json_string(err));
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	putchar('\n');
	json_decref(doc);
	return ret;
}

/* The result file's <which>: a group name when the selection is one, else a+b+c. */
static void which_name(uint64_t mask, char *buf, size_t len)
{
	static const struct { uint64_t mask; const char *name; } groups[] = {
		{ TARGETS_ALL, "everything" },
		{ TARGETS_PFNMAP, "all" },
		{ TARGETS_BASELINE, "baselines" },
	};

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (mask == groups[i].mask) {
			snprintf(buf, len, "%s", groups[i].name);
			return;
		}
	for (int id = 0; id < NR_TARGETS; id++)
		if (mask & (1ULL << id)) {
			if (buf[0])
				strncat(buf, "+", len - strlen(buf) - 1);
			strncat(buf, targets[id].name, len - strlen(buf) - 1);
		}
}

static int cmd_bench(const struct benchmark *b, int argc, char **argv, int full_argc,
		     char **full_argv)
{
	struct opt_table t[2] = { { common_opts, &common }, { b->opts, b->params } };
	struct bench_mmio_info info;
	struct aslr_state aslr;
	struct pin_state pin;
	struct pci_addr pci = { .valid = false };
	struct tsc_info tsc;
	struct thp_state thp;
	struct bench_ctx ctx;
	struct utsname u;
	char err[OPT_ERRLEN + 64], path[4096], which[256];
	const char *out;
	static char out_file[4096], out_dir[4096];
	time_t created = time(NULL);
	bool needs_device;
	json_t *doc;
	int fd, failed, ret;

	ret = opts_parse_args(t, 2, argc, argv, err, sizeof(err));
	if (ret == OPTS_HELP) {
		list(stdout, b);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "bench_mmio %s: %s\n", b->name, err);
		return EXIT_USAGE;
	}
	if (!common.targets) {
		fprintf(stderr, "bench_mmio %s: --strategy: no target selected\n", b->name);
		return EXIT_USAGE;
	}
	if (b->check && b->check(&common, err, sizeof(err))) {
		fprintf(stderr, "bench_mmio %s: %s\n", b->name, err);
		return EXIT_USAGE;
	}
	/* Only a pfnmap target needs the module: baselines run anywhere. */
	needs_device = common.targets & TARGETS_PFNMAP;
	{
		unsigned int index;
		int kind;

		if (bind_parse(common.bind, &kind, &index, err, sizeof(err))) {
			fprintf(stderr, "bench_mmio %s: %s\n", b->name, err);
			return EXIT_USAGE;
		}
		if (kind && common.cpu != OPT_UNSET) {
			fprintf(stderr, "bench_mmio %s: --cpu and --bind=%s: choose one\n", b->name,
				common.bind);
			return EXIT_USAGE;
		}
	}
	if (common.check) {
		printf("needs-device: %s\n", needs_device ? "yes" : "no");
		return 0;
	}
	out = common.out ? common.out : getenv("BENCH_MMIO_OUT");
	if (!out || !*out)
		out = "./results";
	/* --out=DIR/NAME.json names the result file itself. */
	if (out_is_file(out)) {
		size_t dl = strrchr(out, '/') ? (size_t)(strrchr(out, '/') - out) : 0;

		if (strlen(out) >= sizeof(out_file) || !strcmp(out + dl + !!dl, ".json")) {
			fprintf(stderr, "bench_mmio %s: --out=%s: not a usable file name\n", b->name, out);
			return EXIT_USAGE;
		}
		snprintf(out_file, sizeof(out_file), "%s", out);
		snprintf(out_dir, sizeof(out_dir), "%.*s", dl ? (int)dl : 1, dl ? out : ".");
		out = out_dir;
	}

	aslr_disable_reexec(full_argv, &aslr);	/* may not return */

	if (needs_device) {
		fd = dev_open(common.device, err, sizeof(err));
		if (fd < 0) {
			fprintf(stderr, "bench_mmio %s: %s\n", b->name, err);
			return 1;
		}
		if (dev_info(fd, &info, err, sizeof(err))) {
			fprintf(stderr, "bench_mmio %s: %s: %s\n", b->name, common.device, err);
			close(fd);
			return 1;
		}
		close(fd);
	}
	if (needs_device && (common.offset > info.size || common.size > info.size - common.offset)) {
		fprintf(stderr, "bench_mmio %s: --offset=%llu + --size=%llu exceeds the backing of %s (%llu bytes)\n",
			b->name, (unsigned long long)common.offset, (unsigned long long)common.size,
			common.device, (unsigned long long)info.size);
		return EXIT_USAGE;
	}
	if (common.cpu != OPT_UNSET && common.cpu >= pu_count()) {
		fprintf(stderr, "bench_mmio %s: --cpu=%llu: there are %u PUs (hwloc logical indexes 0..%u)\n",
			b->name, (unsigned long long)common.cpu, pu_count(), pu_count() - 1);
		return EXIT_USAGE;
	}
	if (mkdir_p(out, err, sizeof(err)) || access(out, W_OK)) {
		fprintf(stderr, "bench_mmio %s: output directory %s: %s\n", b->name, out,
			err[0] ? err : strerror(errno));
		return 1;
	}
	if (needs_device && info.backing_kind == BENCH_MMIO_BACKING_PCI_BAR)
		pci = (struct pci_addr){ .valid = true, .domain = info.pci_domain, .bus = info.pci_bus,
					 .dev = (info.pci_devfn >> 3) & 0x1f, .func = info.pci_devfn & 7 };
	if (place_thread(common.bind, common.cpu, &pci, &pin, err, sizeof(err))) {
		fprintf(stderr, "bench_mmio %s: %s\n", b->name, err);
		return 1;
	}
	if (!aslr.disabled)
		fprintf(stderr, "bench_mmio %s: warning: ASLR stays on: %s\n", b->name, aslr.error);
	tsc_calibrate(&tsc);
	if (!tsc.invariant && tsc.is_tsc && !common.quiet)
		fprintf(stderr, "bench_mmio %s: warning: TSC is not invariant (CPUID 0x80000007 EDX[8]): its rate may follow CPU frequency and sleep states, so nanoseconds can be off by the ratio to the calibration (counts are unaffected)\n",
			b->name);
	thp_read(&thp);
	thp.gates_pfnmap = needs_device ? probe_thp_gate(common.device, &info, thp.enabled) : -1;

	doc = result_new(created, full_argc, full_argv);
	json_object_set_new(doc, "system", system_to_json(&tsc, &pin, &aslr));
	json_object_set_new(json_object_get(json_object_get(doc, "system"), "thp"), "gates_pfnmap",
			    thp.gates_pfnmap < 0 ? json_null() : json_boolean(thp.gates_pfnmap));
	/* no pfnmap target: the device was never opened, and the result says so */
	json_object_set_new(doc, "backing", needs_device ?
			    backing_to_json(&info, cache_names[common.cache]) : json_null());
	json_object_set_new(doc, "module", needs_device ? module_to_json(&info) : json_null());
	json_object_set_new(doc, "bench", json_string(b->name));
	json_object_set_new(doc, "options", opts_to_json(t, 2));

	ctx = (struct bench_ctx){ .p = &common, .info = needs_device ? &info : NULL,
				  .tsc = &tsc, .thp = &thp, .pin = &pin,
				  .runs = json_object_get(doc, "runs") };
	failed = b->run(&ctx);
	if (failed < 0) {
		json_decref(doc);
		return 1;
	}

	uname(&u);
	which_name(common.targets, which, sizeof(which));
	if (out_file[0])
		snprintf(path, sizeof(path), "%s", out_file);
	else if (result_path(path, sizeof(path), out, b->name, which, u.release, created)) {
		fprintf(stderr, "bench_mmio %s: result path too long\n", b->name);
		json_decref(doc);
		return 1;
	}
	if (result_write_atomic(doc, path, sizeof(path), err, sizeof(err))) {
		fprintf(stderr, "bench_mmio %s: %s\n", b->name, err);
		json_decref(doc);
		return 1;
	}
	json_decref(doc);
	fflush(stderr);
	printf("result: %s\n", path);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct benchmark *b;
	const char *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		if (argc > 2 && (b = find_benchmark(argv[2]))) {
			list(stdout, b);
			return 0;
		}
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("bench_mmio %s\n", BENCH_MMIO_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "list")) {
		list(stdout, NULL);
		return 0;
	}
	if (!strcmp(cmd, "info"))
		return cmd_info(argc - 2, argv + 2);
	if (!strcmp(cmd, "lava"))
		return cmd_lava(argc - 2, argv + 2);
	b = find_benchmark(cmd);
	if (!b) {
		fprintf(stderr, "bench_mmio: unknown benchmark or command '%s'\n\n", cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	{
		struct guest_clock clk;
		char err[128];

		if (guest_clock_parse(getenv("BENCH_MMIO_CLOCK"), getenv("BENCH_MMIO_ICOUNT_SHIFT"),
				      &clk, err, sizeof(err))) {
			fprintf(stderr, "bench_mmio: %s\n", err);
			return EXIT_USAGE;
		}
	}
	return cmd_bench(b, argc - 2, argv + 2, argc, argv);
}

// SPDX-License-Identifier: GPL-2.0
/* test_opts.c - size/uint/bool parsing, option tables and profiles. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "device.h"
#include "target.h"
#include "tap.h"

void test_size_valid(void)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "4096", 4096 }, { "64K", 64ULL << 10 }, { "256M", 256ULL << 20 },
		{ "2G", 2ULL << 30 }, { "1T", 1ULL << 40 }, { "8k", 8192 },
		{ "1g", 1ULL << 30 }, { "2MiB", 2ULL << 20 }, { "4KB", 4096 },
		{ "0x200000", 2ULL << 20 }, { "16384T", 16384ULL << 40 },
	};
	char err[OPT_ERRLEN], buf[32];
	uint64_t v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int r = parse_size(ok[i].s, &v, false, err, sizeof(err));

		CHECK(r == 0, "'%s' rejected: %s", ok[i].s, err);
		CHECK(r || v == ok[i].v, "'%s' -> %" PRIu64 ", want %" PRIu64, ok[i].s, v, ok[i].v);
	}
	CHECK(parse_size("0", &v, true, err, sizeof(err)) == 0 && v == 0, "0 with zero_ok: %s", err);
	format_size(256ULL << 20, buf, sizeof(buf));
	CHECK(!strcmp(buf, "256M"), "format_size 256M -> %s", buf);
	format_size(4096 * 3, buf, sizeof(buf));
	CHECK(!strcmp(buf, "12K"), "format_size 12K -> %s", buf);
}

void test_size_invalid(void)
{
	static const struct { const char *s; const char *msg; } bad[] = {
		{ "", "empty" }, { "abc", "invalid size" }, { "-4096", "invalid size" },
		{ " 4096", "invalid size" }, { "4096 ", "unknown suffix" }, { "0", "zero" },
		{ "0K", "zero" }, { "4097", "multiple of 4K" }, { "1000", "multiple of 4K" },
		{ "3K", "multiple of 4K" }, { "64X", "unknown suffix" }, { "64KK", "trailing" },
		{ "18446744073709551616", "overflow" }, { "99999999999999999999", "overflow" },
		{ "16777216T", "overflow" }, { "0x", "invalid size" }, { "1.5G", "unknown suffix" },
	};
	char err[OPT_ERRLEN];
	uint64_t v = 12345;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK(parse_size(bad[i].s, &v, false, err, sizeof(err)) == -1, "'%s' accepted", bad[i].s);
		CHECK(strstr(err, bad[i].msg), "'%s': message '%s' lacks '%s'", bad[i].s, err, bad[i].msg);
	}
	CHECK(v == 12345, "output written on error");
}

void test_uint_bool(void)
{
	char err[OPT_ERRLEN];
	uint64_t v;
	bool b;

	CHECK(!parse_uint("0", &v, err, sizeof(err)) && v == 0, "0");
	CHECK(!parse_uint("18446744073709551615", &v, err, sizeof(err)) && v == UINT64_MAX, "max");
	CHECK(parse_uint("18446744073709551616", &v, err, sizeof(err)) && strstr(err, "overflow"), "overflow: %s", err);
	CHECK(parse_uint("-1", &v, err, sizeof(err)), "-1 accepted");
	CHECK(parse_uint("5x", &v, err, sizeof(err)), "5x accepted");
	CHECK(parse_uint("", &v, err, sizeof(err)), "empty accepted");
	CHECK(!parse_bool("yes", &b) && b, "yes");
	CHECK(!parse_bool("0", &b) && !b, "0");
	CHECK(!parse_bool("FALSE", &b) && !b, "FALSE");
	CHECK(parse_bool("maybe", &b), "maybe accepted");
}

struct extra {
	unsigned int mode;
};

static const char *const modes[] = { "a", "b", NULL };
static const struct opt extra_opts[] = {
	{ .name = "mode", .type = OPT_ENUM, .def = "a", .help = "test", .values = modes,
	  .off = offsetof(struct extra, mode) },
	{ .name = NULL },
};

static int parse(struct common_params *c, struct extra *e, int argc, char **argv,
		 char *err, size_t len)
{
	struct opt_table t[2] = { { common_opts, c }, { extra_opts, e } };

	return opts_parse_args(t, 2, argc, argv, err, len);
}

#define ARGS(...) (char *[]){ __VA_ARGS__ }
#define NARGS(...) (int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *))
#define PARSE(...) parse(&c, &e, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__), err, sizeof(err))

void test_options(void)
{
	struct common_params c;
	struct extra e;
	char err[OPT_ERRLEN];
	uint64_t all = TARGETS_PFNMAP;

	CHECK(parse(&c, &e, 0, NULL, err, sizeof(err)) == 0, "defaults: %s", err);
	CHECK(c.targets == all, "default strategies 0x%" PRIx64, c.targets);
	CHECK(c.size == 256ULL << 20 && c.offset == 0 && c.reps == 5, "size/offset/reps defaults");
	CHECK(c.align == BENCH_MMIO_ALIGN_AUTO && c.cache == BENCH_MMIO_CACHE_UC &&
	      c.access == ACCESS_AUTO && c.attribution == ATTR_AUTO, "enum defaults");
	CHECK(c.cpu == OPT_UNSET && c.out == NULL && !c.quiet, "unset defaults");
	CHECK(!strcmp(c.device, "/dev/bench_mmio"), "device default");
	CHECK(e.mode == 0, "extra default");

	CHECK(PARSE("--strategy=pmd,pud", "--size=2G", "--align=none", "--cache=wc",
		    "--access=write", "--reps=3", "--cpu=0", "--quiet", "--mode=b",
		    "--offset=2M") == 0, "valid: %s", err);
	CHECK(c.targets == ((1ULL << BENCH_MMIO_STRATEGY_PMD) | (1ULL << BENCH_MMIO_STRATEGY_PUD)),
	      "list mask 0x%" PRIx64, c.targets);
	CHECK(c.size == 2ULL << 30 && c.offset == 2ULL << 20 && c.reps == 3 && c.cpu == 0, "values");
	CHECK(c.align == BENCH_MMIO_ALIGN_NONE && c.cache == BENCH_MMIO_CACHE_WC &&
	      c.access == ACCESS_WRITE && c.quiet && e.mode == 1, "enums/bool");
	CHECK(PARSE("--strategy=pte,all") == 0 && c.targets == all, "all in list");
	CHECK(PARSE("--strategy=remap") == 0 && c.targets == 1, "single");
	CHECK(PARSE("--quiet=no") == 0 && !c.quiet, "bool value");

	CHECK(PARSE("--strategy=huge") &&
	      strstr(err, "remap|pte|bulk|pmd|pud|anon4k|thp|hugetlb2m|hugetlb1g|all|baselines|everything"),
	      "bad enum: %s", err);
	CHECK(PARSE("--strategy=pte,") && strstr(err, "--strategy"), "trailing comma: %s", err);
	CHECK(PARSE("--size") && strstr(err, "needs a value"), "missing value: %s", err);
	CHECK(PARSE("--size=0") && strstr(err, "zero"), "zero size: %s", err);
	CHECK(PARSE("--size=5000") && strstr(err, "4K"), "non-4K: %s", err);
	CHECK(PARSE("--reps=0") && strstr(err, "out of range"), "reps 0: %s", err);
	CHECK(PARSE("--reps=ten") && strstr(err, "--reps"), "reps garbage: %s", err);
	CHECK(parse(&c, &e, 0, NULL, err, sizeof(err)) == 0 && c.warmup == 1, "warmup default 1");
	CHECK(PARSE("--warmup=0") == 0 && c.warmup == 0, "warmup 0 disables: %s", err);
	CHECK(PARSE("--warmup=3") == 0 && c.warmup == 3, "warmup 3: %s", err);
	CHECK(PARSE("--warmup=1001") && strstr(err, "out of range"), "warmup 1001: %s", err);
	CHECK(PARSE("--bogus=1") && strstr(err, "unknown option --bogus"), "unknown: %s", err);
	CHECK(PARSE("size=1G") && strstr(err, "unexpected argument"), "positional: %s", err);
	CHECK(PARSE("--", "x") && strstr(err, "unexpected argument 'x'"), "after --: %s", err);
	CHECK(PARSE("--device=") && strstr(err, "empty"), "empty string: %s", err);
	CHECK(PARSE("--quiet=maybe") && strstr(err, "quiet"), "bad bool: %s", err);
}

void test_options_getopt(void)
{
	struct common_params c;
	struct extra e;
	char err[OPT_ERRLEN];

	/* --name value and --name=value are the same; a bool stands alone */
	CHECK(PARSE("--size", "1G", "--reps", "2", "--quiet", "--strategy", "pte") == 0,
	      "separate values: %s", err);
	CHECK(c.size == 1ULL << 30 && c.reps == 2 && c.quiet &&
	      c.targets == 1ULL << TARGET_PTE, "separate values parsed");
	CHECK(PARSE("--size=1G", "--reps=2") == 0 && c.size == 1ULL << 30 && c.reps == 2, "= form");
	CHECK(PARSE("--size") && strstr(err, "--size needs a value"), "no value: %s", err);
	CHECK(PARSE("-h") == OPTS_HELP && PARSE("--help") == OPTS_HELP, "-h/--help");
	CHECK(PARSE("-x") && strstr(err, "unknown option -x"), "short: %s", err);
	/* the groups, and names of any kind in one list */
	CHECK(PARSE("--strategy=baselines") == 0 && c.targets == TARGETS_BASELINE, "baselines");
	CHECK(PARSE("--strategy=everything") == 0 && c.targets == TARGETS_ALL, "everything");
	CHECK(PARSE("--strategy=all") == 0 && c.targets == TARGETS_PFNMAP && !(c.targets & TARGETS_BASELINE),
	      "all = the pfnmaps only");
	CHECK(PARSE("--strategy=pud,thp,hugetlb1g") == 0 &&
	      c.targets == ((1ULL << TARGET_PUD) | (1ULL << TARGET_THP) | (1ULL << TARGET_HUGETLB1G)),
	      "mixed list 0x%" PRIx64, c.targets);
	CHECK(PARSE("--strategy=baselines,pte") == 0 &&
	      c.targets == (TARGETS_BASELINE | (1ULL << TARGET_PTE)), "group in a list");
	CHECK(PARSE("--attribution", "getrusage") == 0 && c.attribution == ATTR_GETRUSAGE, "attribution");
	CHECK(PARSE("--access=write") == 0 && c.access == ACCESS_WRITE, "access");
}

void test_option_tables(void)
{
	const struct opt *tables[] = { common_opts, extra_opts };

	/* every enum option names its values, every option has help */
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (const struct opt *o = tables[i]; o->name; o++) {
			CHECK(o->help && *o->help, "--%s has no help", o->name);
			CHECK(o->type != OPT_ENUM || (o->values && opt_value(o, 0) && o->def),
			      "--%s: enum without values or default", o->name);
		}
	/* --strategy's values are the target table, in order */
	for (int id = 0; id < NR_TARGETS; id++)
		CHECK(!strcmp(opt_value(&common_opts[0], id), targets[id].name),
		      "value %d: %s vs %s", id, opt_value(&common_opts[0], id), targets[id].name);
	CHECK(opt_value(&common_opts[0], NR_TARGETS) == NULL, "values end with the table");
}

static char *write_tmp(const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/test-profile-XXXXXX", test_build_dir());
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

void test_profile(void)
{
	struct common_params c;
	struct extra e;
	char err[OPT_ERRLEN], arg[300];
	char *p;

	p = write_tmp("# a profile\n\nsize = 1G   # inline comment\n--reps=7\nstrategy=pud\nmode=b\n");
	CHECK(p, "mkstemp");
	if (!p)
		return;
	snprintf(arg, sizeof(arg), "--profile=%s", p);
	CHECK(PARSE("--reps=2", arg) == 0, "profile: %s", err);
	CHECK(c.size == 1ULL << 30, "profile size");
	CHECK(c.reps == 2, "command line wins over profile (reps %" PRIu64 ")", c.reps);
	CHECK(c.targets == 1ULL << BENCH_MMIO_STRATEGY_PUD && e.mode == 1, "profile enums");
	CHECK(c.profile && !strcmp(c.profile, p), "profile recorded");
	CHECK(c.warmup == 1, "warmup default under a profile without the key");
	unlink(p);

	p = write_tmp("warmup=0\nreps=3\n");
	snprintf(arg, sizeof(arg), "--profile=%s", p);
	CHECK(PARSE(arg) == 0 && c.warmup == 0 && c.reps == 3, "profile key warmup=0: %s", err);
	CHECK(PARSE(arg, "--warmup=2") == 0 && c.warmup == 2, "command line wins over the profile's warmup");
	unlink(p);

	p = write_tmp("size=1G\nthis is not an option\n");
	snprintf(arg, sizeof(arg), "--profile=%s", p);
	CHECK(PARSE(arg) && strstr(err, ":2: expected key=value"), "bad line: %s", err);
	unlink(p);

	p = write_tmp("sise=1G\n");
	snprintf(arg, sizeof(arg), "--profile=%s", p);
	CHECK(PARSE(arg) && strstr(err, ":1: unknown option --sise"), "unknown key: %s", err);
	unlink(p);

	p = write_tmp("size=3K\n");
	snprintf(arg, sizeof(arg), "--profile=%s", p);
	CHECK(PARSE(arg) && strstr(err, ":1: --size") && strstr(err, "4K"), "bad value: %s", err);
	unlink(p);

	p = write_tmp("profile=/etc/passwd\n");
	snprintf(arg, sizeof(arg), "--profile=%s", p);
	CHECK(PARSE(arg) && strstr(err, "cannot include"), "nested: %s", err);
	unlink(p);

	CHECK(PARSE("--profile=/nonexistent/profile") && strstr(err, "cannot open profile"),
	      "missing file: %s", err);
	CHECK(PARSE("--profile") && strstr(err, "--profile"), "no file: %s", err);
}

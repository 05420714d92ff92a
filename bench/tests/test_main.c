// SPDX-License-Identifier: GPL-2.0
/* test_main.c - runs every unit test and prints TAP. */
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

int tap_failed_checks;
bool tap_skip;
char tap_skip_reason[128];

const char *test_build_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		strcpy(dir, ".");
		return dir;
	}
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(exe));
	return dir;
}

struct test {
	void (*fn)(void);
	const char *desc;
};

#define ENTRY(fn, desc) { fn, desc },
static const struct test tests[] = { TESTS(ENTRY) };
#undef ENTRY

int main(void)
{
	int n = sizeof(tests) / sizeof(tests[0]), pass = 0, fail = 0, skip = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%d\n", n);
	for (int i = 0; i < n; i++) {
		tap_failed_checks = 0;
		tap_skip = false;
		tests[i].fn();
		if (tap_failed_checks) {
			printf("not ok %d - %s\n", i + 1, tests[i].desc);
			fail++;
		} else if (tap_skip) {
			printf("ok %d - %s # SKIP %s\n", i + 1, tests[i].desc, tap_skip_reason);
			skip++;
		} else {
			printf("ok %d - %s\n", i + 1, tests[i].desc);
			pass++;
		}
	}
	if (skip)
		printf("# %d skipped (counted as passed)\n", skip);
	printf("# %d passed, %d failed\n", pass + skip, fail);
	return fail ? 1 : 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - a tiny, self-contained TAP 13 test runner in the spirit of the
 * kernel's kselftest_harness.h (libc only, header only).
 *
 * Each test is a void function registered in a table.  tap_main() runs every
 * test (or the ones named on the command line) in a forked child with a
 * timeout, so a crash, a hang or a stray signal in one test is reported as
 * "not ok" and the others still run.  In a test (or any helper it calls):
 *
 *   EXPECT(cond, fmt, ...)     record a failure, carry on
 *   ASSERT(cond, fmt, ...)     record a failure, end the test now
 *   EXPECT_EQ(a, b) / ASSERT_EQ(a, b) and _NE, _LE, _GE variants (integers)
 *   SKIP(fmt, ...)             end the test now as skipped (unless it failed)
 *   diag(fmt, ...)             print a "# ..." diagnostic line
 *
 * Output:  TAP version 13 / 1..N / ok N - name / not ok N - name # reason /
 * ok N - name # SKIP why / last line "# P passed, F failed, S skipped".
 * tap_main() returns 0 only if no test failed.
 */
#ifndef BENCH_MMIO_TAP_H
#define BENCH_MMIO_TAP_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct tap_test {
	const char *name;
	void (*fn)(void);
	const char *doc;
};

enum { TAP_PASS = 0, TAP_FAIL = 1, TAP_SKIP = 2 };

/* Lives in a MAP_SHARED page so that the child's verdict reaches the parent. */
struct tap_result {
	int status;
	int nfail;
	char reason[480];
};

static struct tap_result *tap_res;

static inline void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline void tap_vrecord(int status, const char *file, int line, const char *fmt, va_list ap)
{
	char msg[400];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (status == TAP_FAIL) {
		printf("# FAIL %s:%d: %s\n", file, line, msg);
		fflush(stdout);
		tap_res->nfail++;
		if (tap_res->status != TAP_FAIL) {	/* keep the first reason */
			tap_res->status = TAP_FAIL;
			snprintf(tap_res->reason, sizeof(tap_res->reason), "%s (line %d)", msg, line);
		}
	} else if (tap_res->status == TAP_PASS) {
		tap_res->status = TAP_SKIP;
		snprintf(tap_res->reason, sizeof(tap_res->reason), "%s", msg);
	}
}

static inline void tap_record(int status, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void tap_record(int status, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vrecord(status, file, line, fmt, ap);
	va_end(ap);
}

/* End the current test (the child) now; its result is already recorded. */
static inline __attribute__((noreturn)) void tap_end(void)
{
	fflush(stdout);
	fflush(stderr);
	_exit(0);
}

#define EXPECT(cond, fmt, ...) do { \
	if (!(cond)) \
		tap_record(TAP_FAIL, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
} while (0)

#define ASSERT(cond, fmt, ...) do { \
	if (!(cond)) { \
		tap_record(TAP_FAIL, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
		tap_end(); \
	} \
} while (0)

#define SKIP(fmt, ...) do { \
	tap_record(TAP_SKIP, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
	tap_end(); \
} while (0)

#define TAP_CMP_(kind, op, a, b) do { \
	unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
	if (!(a_ op b_)) { \
		tap_record(TAP_FAIL, __FILE__, __LINE__, "%s %s %s: %llu (%#llx) vs %llu (%#llx)", \
			   #a, #op, #b, a_, a_, b_, b_); \
		if (kind) \
			tap_end(); \
	} \
} while (0)

#define EXPECT_EQ(a, b) TAP_CMP_(0, ==, a, b)
#define EXPECT_NE(a, b) TAP_CMP_(0, !=, a, b)
#define EXPECT_LE(a, b) TAP_CMP_(0, <=, a, b)
#define EXPECT_GE(a, b) TAP_CMP_(0, >=, a, b)
#define ASSERT_EQ(a, b) TAP_CMP_(1, ==, a, b)
#define ASSERT_NE(a, b) TAP_CMP_(1, !=, a, b)
#define ASSERT_LE(a, b) TAP_CMP_(1, <=, a, b)
#define ASSERT_GE(a, b) TAP_CMP_(1, >=, a, b)

/* A call that must fail with errno E (one of up to two values). */
#define EXPECT_ERRNO2(call, e1, e2) do { \
	errno = 0; \
	long r_ = (long)(call); \
	int err_ = errno; \
	if (r_ != -1 || (err_ != (e1) && err_ != (e2))) \
		tap_record(TAP_FAIL, __FILE__, __LINE__, "%s: returned %ld errno %d (%s), wanted -1 %s", \
			   #call, r_, err_, strerror(err_), #e1); \
} while (0)
#define EXPECT_ERRNO(call, e) EXPECT_ERRNO2(call, e, e)

static inline void tap_usage(const char *prog, const struct tap_test *t, int n)
{
	printf("usage: %s [--timeout SECONDS] [--list] [TEST...]\n", prog);
	for (int i = 0; i < n; i++)
		printf("  %-14s %s\n", t[i].name, t[i].doc ? t[i].doc : "");
}

/*
 * Run the tests.  after_each (may be NULL) runs in the parent after every
 * test, e.g. to put shared state back.
 */
static inline int tap_main(int argc, char **argv, const struct tap_test *tests, int n,
			   void (*after_each)(void))
{
	unsigned int timeout = 600;
	int run[256], nrun = 0, pass = 0, fail = 0, skip = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--list") || !strcmp(argv[i], "-l")) {
			for (int j = 0; j < n; j++)
				printf("%s\n", tests[j].name);
			return 0;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			tap_usage(argv[0], tests, n);
			return 0;
		} else {
			int j;

			for (j = 0; j < n; j++)
				if (!strcmp(argv[i], tests[j].name))
					break;
			if (j == n || nrun >= 256) {
				fprintf(stderr, "%s: unknown test or option '%s'\n", argv[0], argv[i]);
				tap_usage(argv[0], tests, n);
				return 2;
			}
			run[nrun++] = j;
		}
	}
	if (!nrun)
		for (int j = 0; j < n && j < 256; j++)
			run[nrun++] = j;

	tap_res = mmap(NULL, sizeof(*tap_res), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tap_res == MAP_FAILED) {
		perror("mmap");
		return 2;
	}

	printf("TAP version 13\n1..%d\n", nrun);
	for (int k = 0; k < nrun; k++) {
		const struct tap_test *t = &tests[run[k]];
		struct timespec t0, t1;
		int status = 0;
		pid_t pid;

		memset(tap_res, 0, sizeof(*tap_res));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		printf("# RUN %s%s%s\n", t->name, t->doc ? ": " : "", t->doc ? t->doc : "");
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			tap_res->status = TAP_FAIL;
			snprintf(tap_res->reason, sizeof(tap_res->reason), "fork: %s", strerror(errno));
		} else if (pid == 0) {
			signal(SIGALRM, SIG_DFL);
			alarm(timeout);
			t->fn();
			tap_end();
		} else {
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			if (WIFSIGNALED(status)) {
				int sig = WTERMSIG(status);

				tap_res->status = TAP_FAIL;
				snprintf(tap_res->reason, sizeof(tap_res->reason), "%s (signal %d)%s",
					 sig == SIGALRM ? "timed out" : "killed by a signal", sig,
					 tap_res->nfail ? ", after earlier failures" : "");
			} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				tap_res->status = TAP_FAIL;
				snprintf(tap_res->reason, sizeof(tap_res->reason),
					 "test process exited with status %d", WEXITSTATUS(status));
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("# %s: %.2f s\n", t->name,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (after_each)
			after_each();
		switch (tap_res->status) {
		case TAP_PASS:
			printf("ok %d - %s\n", k + 1, t->name);
			pass++;
			break;
		case TAP_SKIP:
			printf("ok %d - %s # SKIP %s\n", k + 1, t->name, tap_res->reason);
			skip++;
			break;
		default:
			printf("not ok %d - %s # %s\n", k + 1, t->name, tap_res->reason);
			fail++;
			break;
		}
		fflush(stdout);
	}
	printf("# %d passed, %d failed, %d skipped\n", pass, fail, skip);
	fflush(stdout);
	return fail ? 1 : 0;
}

#endif /* BENCH_MMIO_TAP_H */

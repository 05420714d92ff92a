/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - the API of the kernel's tools/testing/selftests/kselftest_harness.h
 * (TEST, TEST_F, FIXTURE*, FIXTURE_VARIANT*, ASSERT_*, EXPECT_*, TH_LOG, SKIP,
 * TEST_HARNESS_MAIN), re-implemented in a few hundred lines, libc only.
 *
 * Why our own: the selftest runs from a static busybox initramfs and is built
 * on a host that has only Debian's kernel *headers* packages, which do not
 * ship tools/testing/selftests; fetching a kernel source package (~150 MB) at
 * build time for one header is not worth it.  A test written against this
 * file builds unchanged against the upstream header (swap the #include).
 *
 * Like upstream: each test runs in a forked child with a timeout (30 s, or
 * TEST_F_TIMEOUT's), so a crash, a hang or a stray signal fails that test
 * only; a failed ASSERT_* ends the test (running the fixture's teardown);
 * EXPECT_* records the failure and goes on; either may be followed by a
 * statement run only on failure (ASSERT_EQ(a, b) TH_LOG("why");), and each
 * check is a single statement.  Output is
 * TAP 13 with upstream's names: "ok N fixture.variant.test", "# SKIP reason".
 * Exit status: 1 if any test failed; else 0 if any passed; else 4 (KSFT_SKIP).
 *
 * Differences: the diagnostics go to stdout (one ordered stream on a serial
 * console); _metadata->name is the full fixture.variant.test name, so that
 * every failure message names the variant; options: -l (list), -r
 * fixture.variant.test, -f fixture, -v variant, -t test (repeatable filters).
 */
#ifndef BENCH_MMIO_HARNESS_H
#define BENCH_MMIO_HARNESS_H

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_XFAIL	2
#define KSFT_XPASS	3
#define KSFT_SKIP	4

#define TEST_TIMEOUT_DEFAULT	30

#ifndef TH_LOG_STREAM
#define TH_LOG_STREAM stdout
#endif

struct __test_results {
	char reason[1024];	/* SKIP reason, or the first failure */
};

struct __fixture_metadata;
struct __fixture_variant_metadata;

struct __test_metadata {
	const char *name;		/* the test's own name */
	char full[256];			/* fixture.variant.test */
	void (*fn)(struct __test_metadata *, struct __fixture_variant_metadata *);
	struct __fixture_metadata *fixture;
	int timeout;
	int line;			/* definition order (__COUNTER__) */
	int exit_code;			/* KSFT_* */
	int trigger;			/* the last check failed: run its handler */
	bool first_failure;		/* ... and it was the test's first */
	bool setup_completed;
	jmp_buf env;			/* a failed ASSERT_* lands here */
	void (*teardown)(struct __test_metadata *);	/* set once setup is done */
	struct __test_results *results;
	struct __test_metadata *next;
};

struct __fixture_variant_metadata {
	const char *name;
	const void *data;
	int line;
	struct __fixture_variant_metadata *next;
};

struct __fixture_metadata {
	const char *name;
	int line;
	struct __test_metadata *tests;
	struct __fixture_variant_metadata *variants;
	struct __fixture_metadata *next;
};

static struct __fixture_metadata _global_fixture_object = { .name = "global" };
static struct __fixture_metadata *__fixture_list;

/* Lists stay sorted by definition order, whatever order constructors run in. */
#define __LIST_INSERT(head, item) do {						\
	__typeof__(item) *__pp = &(head);					\
	while (*__pp && (*__pp)->line <= (item)->line)				\
		__pp = &(*__pp)->next;						\
	(item)->next = *__pp;							\
	*__pp = (item);								\
} while (0)

static inline void __register_fixture(struct __fixture_metadata *f)
{
	for (struct __fixture_metadata *g = __fixture_list; g; g = g->next)
		if (g == f)
			return;
	__LIST_INSERT(__fixture_list, f);
}

static inline void __register_test(struct __test_metadata *t)
{
	struct __fixture_metadata *f = t->fixture;

	if (!f->line || t->line < f->line) {	/* a fixture ranks by its first test */
		for (struct __fixture_metadata **pp = &__fixture_list; *pp; pp = &(*pp)->next)
			if (*pp == f) {
				*pp = f->next;
				break;
			}
		f->line = t->line;
	}
	__register_fixture(f);
	__LIST_INSERT(f->tests, t);
}

/*
 * TH_LOG after a failed check (its optional handler) also becomes the TAP
 * reason of the test's first failure, ahead of the check's own text.
 */
static inline void __th_log(struct __test_metadata *_metadata, const char *file, int line,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static inline void __th_log(struct __test_metadata *_metadata, const char *file, int line,
			    const char *fmt, ...)
{
	char msg[sizeof(_metadata->results->reason)], old[sizeof(msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(TH_LOG_STREAM, "# %s:%d:%s:%s\n", file, line, _metadata->full, msg);
	if (_metadata->trigger && _metadata->first_failure) {
		snprintf(old, sizeof(old), "%s", _metadata->results->reason);
		snprintf(_metadata->results->reason, sizeof(_metadata->results->reason),
			 "%.500s (%.500s)", msg, old);
		_metadata->first_failure = false;
	}
}

#define TH_LOG(fmt, ...) __th_log(_metadata, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

/* Record the first failure's text as the TAP reason. */
#define __TH_FAIL(fmt, ...) do {						\
	fprintf(TH_LOG_STREAM, "# %s:%d:%s:" fmt "\n", __FILE__, __LINE__,	\
		_metadata->full, ##__VA_ARGS__);				\
	if (_metadata->exit_code != KSFT_FAIL) {				\
		snprintf(_metadata->results->reason,				\
			 sizeof(_metadata->results->reason),			\
			 "%s:%d: " fmt, __FILE__, __LINE__, ##__VA_ARGS__);	\
		_metadata->first_failure = true;				\
	}									\
	_metadata->exit_code = KSFT_FAIL;					\
	_metadata->trigger = 1;							\
} while (0)

static inline int __bail(int for_realz, struct __test_metadata *_metadata)
{
	_metadata->first_failure = false;
	if (for_realz)
		longjmp(_metadata->env, 1);
	return 0;
}

/*
 * Each check is one for statement: the check runs in its init clause, and
 * the statement that follows (often TH_LOG, or ";") is its body, run once
 * on failure before an ASSERT_* ends the test.  Unlike upstream's
 * "do {} while (0); for (...)" it is safe in an unbraced if or loop.
 */
#define OPTIONAL_HANDLER(_assert, _check) \
	for (_check; _metadata->trigger; _metadata->trigger = __bail(_assert, _metadata))

#define __is_signed(v)	(((__typeof__(v))-1) < (__typeof__(v))1)

#define __EXPECT(_expected, _expected_str, _seen, _seen_str, _t, _assert)	\
	OPTIONAL_HANDLER(_assert, ({						\
	_Pragma("GCC diagnostic push")						\
	_Pragma("GCC diagnostic ignored \"-Wsign-compare\"")			\
		__typeof__(_expected) __exp = (_expected);			\
		__typeof__(_seen) __seen = (_seen);				\
		if (!(__exp _t __seen)) {					\
			if (__is_signed(__exp) || __is_signed(__seen))		\
				__TH_FAIL("Expected %s (%lld) %s %s (%lld)",	\
					  _expected_str, (long long)(intptr_t)__exp, #_t, \
					  _seen_str, (long long)(intptr_t)__seen); \
			else							\
				__TH_FAIL("Expected %s (%llu) %s %s (%llu)",	\
					  _expected_str,			\
					  (unsigned long long)(uintptr_t)__exp, #_t, \
					  _seen_str,				\
					  (unsigned long long)(uintptr_t)__seen); \
		}							\
	_Pragma("GCC diagnostic pop")						\
	}))

#define __EXPECT_TRUE(_cond, _str, _want, _assert)				\
	OPTIONAL_HANDLER(_assert, ({						\
		if ((!!(_cond)) != (_want))					\
			__TH_FAIL("Expected %s to be %s", _str, #_want);	\
	}))

#define __EXPECT_STR(_a, _b, _t, _assert)					\
	OPTIONAL_HANDLER(_assert, ({						\
		const char *__a = (_a), *__b = (_b);				\
		if (!(strcmp(__a, __b) _t 0))					\
			__TH_FAIL("Expected '%s' %s '%s'", __a, #_t, __b);	\
	}))

#define ASSERT_EQ(e, s)	__EXPECT(e, #e, s, #s, ==, 1)
#define ASSERT_NE(e, s)	__EXPECT(e, #e, s, #s, !=, 1)
#define ASSERT_LT(e, s)	__EXPECT(e, #e, s, #s, <, 1)
#define ASSERT_LE(e, s)	__EXPECT(e, #e, s, #s, <=, 1)
#define ASSERT_GT(e, s)	__EXPECT(e, #e, s, #s, >, 1)
#define ASSERT_GE(e, s)	__EXPECT(e, #e, s, #s, >=, 1)
#define ASSERT_TRUE(c)	__EXPECT_TRUE(c, #c, true, 1)
#define ASSERT_FALSE(c)	__EXPECT_TRUE(c, #c, false, 1)
#define ASSERT_STREQ(a, b) __EXPECT_STR(a, b, ==, 1)
#define ASSERT_STRNE(a, b) __EXPECT_STR(a, b, !=, 1)
#define EXPECT_EQ(e, s)	__EXPECT(e, #e, s, #s, ==, 0)
#define EXPECT_NE(e, s)	__EXPECT(e, #e, s, #s, !=, 0)
#define EXPECT_LT(e, s)	__EXPECT(e, #e, s, #s, <, 0)
#define EXPECT_LE(e, s)	__EXPECT(e, #e, s, #s, <=, 0)
#define EXPECT_GT(e, s)	__EXPECT(e, #e, s, #s, >, 0)
#define EXPECT_GE(e, s)	__EXPECT(e, #e, s, #s, >=, 0)
#define EXPECT_TRUE(c)	__EXPECT_TRUE(c, #c, true, 0)
#define EXPECT_FALSE(c)	__EXPECT_TRUE(c, #c, false, 0)
#define EXPECT_STREQ(a, b) __EXPECT_STR(a, b, ==, 0)
#define EXPECT_STRNE(a, b) __EXPECT_STR(a, b, !=, 0)

/* SKIP(statement, fmt, ...): the test is skipped (unless it already failed), then statement. */
#define SKIP(statement, fmt, ...) do {						\
	if (_metadata->exit_code != KSFT_FAIL) {				\
		snprintf(_metadata->results->reason,				\
			 sizeof(_metadata->results->reason), fmt, ##__VA_ARGS__); \
		_metadata->exit_code = KSFT_SKIP;				\
	}									\
	_metadata->trigger = 0;							\
	statement;								\
} while (0)

#define FIXTURE_DATA(name)	struct _test_data_##name
#define FIXTURE_VARIANT(name)	struct _fixture_variant_##name

#define FIXTURE(fixture_name)							\
	FIXTURE_VARIANT(fixture_name);						\
	static struct __fixture_metadata _##fixture_name##_fixture_object = {	\
		.name = #fixture_name };					\
	FIXTURE_DATA(fixture_name)

#define FIXTURE_SETUP(name)							\
	static void name##_setup(struct __test_metadata __attribute__((unused)) *_metadata, \
				 FIXTURE_DATA(name) __attribute__((unused)) *self, \
				 const FIXTURE_VARIANT(name) __attribute__((unused)) *variant)

#define FIXTURE_TEARDOWN(name)							\
	static void name##_teardown(struct __test_metadata __attribute__((unused)) *_metadata, \
				    FIXTURE_DATA(name) __attribute__((unused)) *self, \
				    const FIXTURE_VARIANT(name) __attribute__((unused)) *variant)

#define FIXTURE_VARIANT_ADD(fixture, vname)					\
	extern const FIXTURE_VARIANT(fixture) _##fixture##_##vname##_variant;	\
	static struct __fixture_variant_metadata _##fixture##_##vname##_object = { \
		.name = #vname, .data = &_##fixture##_##vname##_variant, .line = __COUNTER__ }; \
	static void __attribute__((constructor)) _register_##fixture##_##vname(void) \
	{									\
		__LIST_INSERT(_##fixture##_fixture_object.variants,		\
			      &_##fixture##_##vname##_object);			\
	}									\
	const FIXTURE_VARIANT(fixture) _##fixture##_##vname##_variant =

#define __TEST_REGISTER(fixture_obj, tname, wrapper, tmo)			\
	static struct __test_metadata _##tname##_object = {			\
		.name = #tname, .fn = wrapper, .fixture = &fixture_obj,		\
		.timeout = tmo, .line = __COUNTER__ };				\
	static void __attribute__((constructor)) _register_##tname(void)	\
	{									\
		__register_test(&_##tname##_object);				\
	}

#define TEST(tname) TEST_TIMEOUT_(tname, TEST_TIMEOUT_DEFAULT)
#define TEST_TIMEOUT_(tname, tmo)						\
	static void tname(struct __test_metadata *_metadata);			\
	static void _wrapper_##tname(struct __test_metadata *_metadata,	\
				     struct __fixture_variant_metadata __attribute__((unused)) *v) \
	{									\
		if (!setjmp(_metadata->env)) {					\
			_metadata->setup_completed = true;			\
			tname(_metadata);					\
		}								\
	}									\
	__TEST_REGISTER(_global_fixture_object, tname, _wrapper_##tname, tmo)	\
	static void tname(struct __test_metadata __attribute__((unused)) *_metadata)

#define TEST_F(fixture, tname) TEST_F_TIMEOUT(fixture, tname, TEST_TIMEOUT_DEFAULT)
#define TEST_F_TIMEOUT(fixture, tname, tmo)					\
	static void fixture##_##tname(struct __test_metadata *_metadata,	\
				      FIXTURE_DATA(fixture) *self,		\
				      const FIXTURE_VARIANT(fixture) *variant);	\
	static void _wrapper_##fixture##_##tname(struct __test_metadata *_metadata, \
						 struct __fixture_variant_metadata *v) \
	{									\
		/* static: they live across the longjmp of a failed ASSERT_* */ \
		static FIXTURE_DATA(fixture) self;				\
		static const FIXTURE_VARIANT(fixture) *variant;			\
										\
		variant = v ? v->data : NULL;					\
		memset(&self, 0, sizeof(self));					\
		if (!setjmp(_metadata->env)) {					\
			fixture##_setup(_metadata, &self, variant);		\
			_metadata->setup_completed = true;			\
			if (_metadata->exit_code == KSFT_PASS)			\
				fixture##_##tname(_metadata, &self, variant);	\
		}								\
		if (_metadata->setup_completed && !setjmp(_metadata->env))	\
			fixture##_teardown(_metadata, &self, variant);		\
	}									\
	__TEST_REGISTER(_##fixture##_fixture_object, fixture##_##tname,	\
			_wrapper_##fixture##_##tname, tmo)			\
	static void fixture##_##tname(struct __test_metadata __attribute__((unused)) *_metadata, \
				      FIXTURE_DATA(fixture) __attribute__((unused)) *self, \
				      const FIXTURE_VARIANT(fixture) __attribute__((unused)) *variant)

/* The test's own name, without the fixture prefix __TEST_REGISTER glued on. */
static inline const char *__test_name(const struct __test_metadata *t)
{
	size_t n = strlen(t->fixture->name);

	if (t->fixture != &_global_fixture_object && !strncmp(t->name, t->fixture->name, n) &&
	    t->name[n] == '_')
		return t->name + n + 1;
	return t->name;
}

static inline void __full_name(char *buf, size_t len, const struct __fixture_metadata *f,
			       const struct __fixture_variant_metadata *v,
			       const struct __test_metadata *t)
{
	snprintf(buf, len, "%s%s%s.%s", f->name, v ? "." : "", v ? v->name : "", __test_name(t));
}

static inline bool __test_selected(int argc, char **argv, const char *full,
				   const struct __fixture_metadata *f,
				   const struct __fixture_variant_metadata *v,
				   const struct __test_metadata *t)
{
	bool any = false;

	for (int i = 1; i + 1 < argc; i++) {
		const char *o = argv[i], *a = argv[i + 1];

		if (o[0] != '-' || !strchr("rfvt", o[1]) || o[2])
			continue;
		any = true;
		i++;
		if ((o[1] == 'r' && !strcmp(a, full)) || (o[1] == 'f' && !strcmp(a, f->name)) ||
		    (o[1] == 'v' && v && !strcmp(a, v->name)) ||
		    (o[1] == 't' && !strcmp(a, __test_name(t))))
			return true;
	}
	return !any;
}

/* One test in a child; returns KSFT_PASS, KSFT_FAIL or KSFT_SKIP. */
static inline int __run_test(struct __test_metadata *t, struct __fixture_variant_metadata *v)
{
	int status = 0;
	pid_t pid;

	t->exit_code = KSFT_PASS;
	t->trigger = 0;
	t->first_failure = false;
	t->setup_completed = false;
	t->results->reason[0] = '\0';
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(t->results->reason, sizeof(t->results->reason), "fork: %s", strerror(errno));
		return KSFT_FAIL;
	}
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm((unsigned int)t->timeout);
		t->fn(t, v);
		fflush(NULL);
		_exit(t->exit_code);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && (WEXITSTATUS(status) == KSFT_PASS ||
				  WEXITSTATUS(status) == KSFT_SKIP))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(t->results->reason, sizeof(t->results->reason),
			 "timed out after %d s", t->timeout);
	else if (WIFSIGNALED(status))
		snprintf(t->results->reason, sizeof(t->results->reason), "died of signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (!t->results->reason[0])
		snprintf(t->results->reason, sizeof(t->results->reason), "exit status %d",
			 WEXITSTATUS(status));
	return KSFT_FAIL;
}

static inline int test_harness_run(int argc, char **argv)
{
	struct __test_results *results;
	int total = 0, n = 0, pass = 0, fail = 0, skip = 0, cases = 0;
	bool list = argc > 1 && !strcmp(argv[1], "-l");
	char full[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct __fixture_metadata *f = __fixture_list; f; f = f->next) {
		struct __fixture_variant_metadata *v = f->variants;

		do {
			for (struct __test_metadata *t = f->tests; t; t = t->next) {
				__full_name(full, sizeof(full), f, v, t);
				if (list)
					printf("%s\n", full);
				else if (__test_selected(argc, argv, full, f, v, t))
					total++;
			}
			cases++;
		} while (v && (v = v->next));
	}
	if (list)
		return KSFT_PASS;
	results = mmap(NULL, sizeof(*results), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED) {
		perror("mmap");
		return KSFT_FAIL;
	}
	printf("TAP version 13\n1..%d\n# Starting %d tests from %d test cases.\n",
	       total, total, cases);
	for (struct __fixture_metadata *f = __fixture_list; f; f = f->next) {
		struct __fixture_variant_metadata *v = f->variants;

		do {
			for (struct __test_metadata *t = f->tests; t; t = t->next) {
				int r;

				__full_name(full, sizeof(full), f, v, t);
				if (!__test_selected(argc, argv, full, f, v, t))
					continue;
				snprintf(t->full, sizeof(t->full), "%s", full);
				t->results = results;
				printf("#  RUN           %s ...\n", full);
				r = __run_test(t, v);
				n++;
				if (r == KSFT_PASS) {
					pass++;
					printf("#            OK  %s\nok %d %s\n", full, n, full);
				} else if (r == KSFT_SKIP) {
					skip++;
					printf("#      SKIP      %s\n#            OK  %s\nok %d %s # SKIP %s\n",
					       results->reason, full, n, full, results->reason);
				} else {
					fail++;
					printf("#     FAIL       %s: %s\nnot ok %d %s # %s\n",
					       full, results->reason, n, full, results->reason);
				}
			}
		} while (v && (v = v->next));
	}
	printf("# %s: %d / %d tests passed.\n", fail ? "FAILED" : "PASSED", pass, n);
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", pass, fail, skip);
	munmap(results, sizeof(*results));
	return fail ? KSFT_FAIL : pass ? KSFT_PASS : KSFT_SKIP;
}

#define TEST_HARNESS_MAIN							\
	int main(int argc, char **argv)						\
	{									\
		return test_harness_run(argc, argv);				\
	}

#endif /* BENCH_MMIO_HARNESS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* result.h - the bench_mmio/1 result document and its atomic write. */
#ifndef BENCH_RESULT_H
#define BENCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <jansson.h>

#define RESULT_SCHEMA "bench_mmio/1"

#ifndef BENCH_MMIO_VERSION
#define BENCH_MMIO_VERSION "unknown"
#endif

/* Top-level document with schema, suite, created, command and an empty runs[]. */
json_t *result_new(time_t created, int argc, char **argv);

/*
 * Metric object: {unit, better, n, mean, stddev, min, median, max, ci95,
 * ci95_method, values}.  values[i] is null where valid && !valid[i]; the
 * summary is over the valid values only (all null when there are none).
 * ci95: [lo, hi], the percentile bootstrap 95% CI of the mean (stats.h),
 * within [min, max]; null below two values.  ci95_method: CI95_METHOD.
 */
json_t *metric_json(const char *unit, const char *better, const double *v,
		    const bool *valid, size_t n);

void iso8601_utc(time_t t, char *buf, size_t len);	/* 2024-01-31T12:00:00Z */
/* <dir>/<bench>-<which>-<release>-<YYYYmmddTHHMMSSZ>.json, sanitised. */
int result_path(char *buf, size_t len, const char *dir, const char *bench,
		const char *which, const char *release, time_t t);
int mkdir_p(const char *dir, char *err, size_t errlen);
/*
 * Write doc to path atomically: temp file in the same directory, fsync,
 * rename, fsync of the directory.  On failure nothing is left behind and an
 * existing file at path is untouched.
 */
/*
 * Write doc to path (a buffer of pathlen bytes) through a temporary file and
 * a rename that never replaces: if path exists, the result goes to
 * NAME-2.json, NAME-3.json, ... and path is updated.  0, or -1 with err set.
 */
int result_write_atomic(const json_t *doc, char *path, size_t pathlen, char *err, size_t errlen);

/* Test hook: make result_write_atomic() fail just before the rename. */
extern bool result_fail_before_rename;

#endif

// SPDX-License-Identifier: GPL-2.0
/* result.c - the bench_mmio/1 result document and its atomic write. */
#define _GNU_SOURCE	/* renameat2() */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "result.h"
#include "stats.h"

bool result_fail_before_rename;

void iso8601_utc(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *result_new(time_t created, int argc, char **argv)
{
	char ts[32];
	json_t *cmd = json_array();

	iso8601_utc(created, ts, sizeof(ts));
	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	return json_pack("{ss s{ss ss} ss so s[]}",
			 "schema", RESULT_SCHEMA,
			 "suite", "name", "bench_mmio", "version", BENCH_MMIO_VERSION,
			 "created", ts, "command", cmd, "runs");
}

static json_t *num(double v)
{
	return json_real(v);
}

json_t *metric_json(const char *unit, const char *better, const double *v,
		    const bool *valid, size_t n)
{
	double *ok = calloc(n ? n : 1, sizeof(*ok));
	json_t *vals = json_array(), *m;
	struct summary s;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (valid && !valid[i]) {
			json_array_append_new(vals, json_null());
			continue;
		}
		json_array_append_new(vals, num(v[i]));
		if (ok)
			ok[k++] = v[i];
	}
	summarize(ok, k, &s);
	free(ok);
	m = json_pack("{ss ss sI}", "unit", unit, "better", better, "n", (json_int_t)s.n);
	json_object_set_new(m, "mean", s.n ? num(s.mean) : json_null());
	json_object_set_new(m, "stddev", s.has_stddev ? num(s.stddev) : json_null());
	json_object_set_new(m, "min", s.n ? num(s.min) : json_null());
	json_object_set_new(m, "median", s.n ? num(s.median) : json_null());
	json_object_set_new(m, "max", s.n ? num(s.max) : json_null());
	json_object_set_new(m, "ci95", s.has_ci ? json_pack("[ff]", s.ci_lo, s.ci_hi) : json_null());
	json_object_set_new(m, "ci95_method", json_string(CI95_METHOD));
	json_object_set_new(m, "values", vals);
	return m;
}

static void sanitize(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '+' || *s == '-'))
			*s = '_';
}

int result_path(char *buf, size_t len, const char *dir, const char *bench,
		const char *which, const char *release, time_t t)
{
	char name[NAME_MAX + 1], ts[32];
	struct tm tm;
	int n;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	n = snprintf(name, sizeof(name), "%s-%s-%s-%s", bench, which, release, ts);
	if (n < 0 || (size_t)n >= sizeof(name) - 5)
		return -1;
	sanitize(name);
	n = snprintf(buf, len, "%s/%s.json", dir, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int mkdir_p(const char *dir, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	size_t n = strlen(dir);

	if (!n || n >= sizeof(tmp)) {
		snprintf(err, errlen, "bad output directory '%s'", dir);
		return -1;
	}
	memcpy(tmp, dir, n + 1);
	for (char *p = tmp + 1; ; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = '\0';
			if (mkdir(tmp, 0755) && errno != EEXIST) {
				snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
				return -1;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", dir);
		return -1;
	}
	return 0;
}

/* Move tmp to path unless path exists: 0, or -1 with errno (EEXIST). */
static int publish(const char *tmp, const char *path)
{
	if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a filesystem without RENAME_NOREPLACE: link() never replaces either */
	if (link(tmp, path))
		return -1;
	unlink(tmp);
	return 0;
}

int result_write_atomic(const json_t *doc, char *path, size_t pathlen, char *err, size_t errlen)
{
	char tmp[PATH_MAX], dcopy[PATH_MAX], *dir, *base;
	char pcopy[PATH_MAX], stem[PATH_MAX];
	size_t n;
	int fd, dfd;
	FILE *f;

	if (snprintf(pcopy, sizeof(pcopy), "%s", path) >= (int)sizeof(pcopy) ||
	    snprintf(stem, sizeof(stem), "%s", path) >= (int)sizeof(stem) ||
	    snprintf(dcopy, sizeof(dcopy), "%s", path) >= (int)sizeof(dcopy)) {
		snprintf(err, errlen, "path too long: %s", path);
		return -1;
	}
	dir = dirname(dcopy);
	base = basename(pcopy);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, base) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "path too long: %s", path);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file in %s: %s", dir, strerror(errno));
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "fdopen: %s", strerror(errno));
		close(fd);
		goto fail;
	}
	if (json_dumpf(doc, f, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII) ||
	    fputc('\n', f) == EOF || fflush(f) || fchmod(fd, 0644) || fsync(fd)) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno ? errno : EIO));
		fclose(f);
		goto fail;
	}
	if (fclose(f)) {
		snprintf(err, errlen, "cannot close %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (result_fail_before_rename) {
		snprintf(err, errlen, "injected failure before rename");
		goto fail;
	}
	/*
	 * Never replace a result: two runs in the same second get the same
	 * name, and the later one becomes NAME-2.json, NAME-3.json, ...
	 */
	n = strlen(stem);
	if (n > 5 && !strcmp(stem + n - 5, ".json"))
		stem[n - 5] = '\0';
	for (int i = 2; publish(tmp, path); i++) {
		if (errno != EEXIST || i > 1000) {
			snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
			goto fail;
		}
		if (snprintf(path, pathlen, "%s-%d.json", stem, i) >= (int)pathlen) {
			snprintf(err, errlen, "path too long: %s", stem);
			goto fail;
		}
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	unlink(tmp);
	return -1;
}

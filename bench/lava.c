// SPDX-License-Identifier: GPL-2.0
/*
 * lava.c - `bench_mmio lava RESULT.json...`: a result as LAVA test cases.
 *
 * One line per test case, in the syntax of LAVA's own helper:
 *
 *   lava-test-case NAME --result pass --measurement VALUE --units UNIT
 *   lava-test-case NAME --result pass|fail|skip
 *
 * lava/bench_mmio-lava runs each line's arguments through lava-test-case in
 * the guest (busybox, no python: hence C).  The measurements are exactly the
 * keys and values of compare/export --format=lkp (one naming rule, checked
 * by make test):
 *
 *   <bench>.<target>.<metric>.<stat>     stat: median mean stddev min max
 *   <bench>.<target>.<section>.<count>   faults.pmd, fallbacks.pte, census.leaves.pud
 *   <bench>.<target>.<count metric>      minflt, touch_faults
 *
 * where <target> gains [param=value,...] (written .param_value) when runs of
 * one bench.target differ in more than reps, a point of a sweep names its
 * fields the same way (ns_per_access.accesses_65536.nodes_4.ws_bytes_16384),
 * and every character outside [A-Za-z0-9_.+-] becomes '_'.  Counts are
 * reported when every repetition gave the same value, as in lkp.
 *
 * The checks, pass/fail without a measurement:
 *   <bench>.<target>.status       the run completed (skip: it was skipped)
 *   <bench>.<target>.check        its counts are the ones the model predicts
 *                                 (tlb: skip when the census was unavailable)
 *   <bench>.<target>.attribution  fault attribution is consistent (fault)
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lava.h"
#include "result.h"

#define NAME_LEN 1024

static const char *const count_sections[] = { "faults", "fallbacks", "census" };
static const char *const stats[] = { "median", "mean", "stddev", "min", "max" };

/* A number as Python's repr() writes it (the names of points and params). */
static void py_float(double v, char *buf, size_t len)
{
	char tmp[64], *e;
	int p, exp10;

	if (isnan(v) || isinf(v)) {
		snprintf(buf, len, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
		return;
	}
	for (p = 1; p < 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
	e = strchr(tmp, 'e');
	exp10 = atoi(e + 1);
	if (exp10 < -4 || exp10 >= 16) {
		/* d.ddde+XX, no trailing zeros, at least two exponent digits */
		*e = '\0';
		snprintf(buf, len, "%se%c%02d", tmp, exp10 < 0 ? '-' : '+', abs(exp10));
		return;
	}
	snprintf(buf, len, "%.*f", p - 1 - exp10 > 0 ? p - 1 - exp10 : 0, v);
	if (!strchr(buf, '.'))
		strncat(buf, ".0", len - strlen(buf) - 1);
}

/* str() of a JSON scalar in Python; 0 if it is not one. */
static int py_str(const json_t *v, char *buf, size_t len)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		snprintf(buf, len, "%s", json_string_value(v));
		return 1;
	case JSON_INTEGER:
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return 1;
	case JSON_REAL:
		py_float(json_real_value(v), buf, len);
		return 1;
	case JSON_TRUE:
		snprintf(buf, len, "True");
		return 1;
	case JSON_FALSE:
		snprintf(buf, len, "False");
		return 1;
	case JSON_NULL:
		snprintf(buf, len, "None");
		return 1;
	default:
		snprintf(buf, len, "?");
		return 0;
	}
}

/* A measurement: integers as integers, other numbers exactly (round trip). */
static void measurement(double v, char *buf, size_t len)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, len, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* compare/export's lkp_key(): [ -> .  ] -> ''  , -> .  = -> _  other -> _ */
static void lkp_key(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 1 < len; in++) {
		char c = *in;

		if (c == ']')
			continue;
		if (c == '[' || c == ',')
			c = '.';
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   c == '_' || c == '.' || c == '+' || c == '-'))
			c = '_';
		out[o++] = c;
	}
	out[o] = '\0';
}

static int is_summary(const json_t *m)
{
	json_t *med = json_object_get(m, "median");

	return json_is_object(m) && med && !json_is_object(med);
}

/* --- counts: name -> distinct values --------------------------------------- */

struct count {
	char name[NAME_LEN];
	double vals[2];		/* two distinct values are enough to drop it */
	int n;
};

struct counts {
	struct count *c;
	size_t n, cap;
};

static void count_add(struct counts *cs, const char *name, double v)
{
	struct count *c = NULL;

	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->c[i].name, name)) {
			c = &cs->c[i];
			break;
		}
	if (!c) {
		if (cs->n == cs->cap) {
			cs->cap = cs->cap ? 2 * cs->cap : 32;
			cs->c = realloc(cs->c, cs->cap * sizeof(*cs->c));
			if (!cs->c)
				abort();
		}
		c = &cs->c[cs->n++];
		snprintf(c->name, sizeof(c->name), "%s", name);
		c->n = 0;
	}
	for (int i = 0; i < c->n; i++)
		if (c->vals[i] == v)
			return;
	if (c->n < 2)
		c->vals[c->n++] = v;
}

static void int_leaves(struct counts *cs, const char *prefix, const json_t *x)
{
	char name[NAME_LEN];

	if (json_is_object(x)) {
		const char *k;
		json_t *v;

		json_object_foreach((json_t *)x, k, v) {
			snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "", k);
			int_leaves(cs, name, v);
		}
	} else if (json_is_array(x)) {
		size_t i;
		json_t *v;

		json_array_foreach(x, i, v) {
			snprintf(name, sizeof(name), "%s.%zu", prefix, i);
			int_leaves(cs, name, v);
		}
	} else if (json_is_integer(x)) {
		count_add(cs, prefix, (double)json_integer_value(x));
	}
}

/* --- runs ---------------------------------------------------------------- */

struct run {
	json_t *run;
	char target[256];	/* with #N on a repeated key */
	char base[NAME_LEN];	/* bench.target[param=value,...] */
};

static json_t *key_params(const json_t *run)
{
	json_t *p = json_object_get(run, "params");
	json_t *c = json_is_object(p) ? json_deep_copy(p) : json_object();

	json_object_del(c, "reps");
	return c;
}

static const char *str_or(const json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : dflt;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Python's bmresult: ok_runs(), differing_params(), key_str(). */
static size_t ok_runs(const json_t *doc, struct run **out)
{
	json_t *runs = json_object_get(doc, "runs"), *r;
	struct run *rs = calloc(json_array_size(runs) + 1, sizeof(*rs));
	size_t n = 0, i;

	if (!rs)
		abort();
	json_array_foreach(runs, i, r) {
		json_t *kp;
		int seen = 1;

		if (strcmp(str_or(r, "status", ""), "ok"))
			continue;
		kp = key_params(r);
		for (size_t j = 0; j < n; j++) {
			json_t *kq = key_params(rs[j].run);

			if (!strcmp(str_or(r, "bench", "?"), str_or(rs[j].run, "bench", "?")) &&
			    !strcmp(str_or(r, "target", "?"), str_or(rs[j].run, "target", "?")) &&
			    json_equal(kp, kq))
				seen++;
			json_decref(kq);
		}
		json_decref(kp);
		rs[n].run = r;
		if (seen > 1)
			snprintf(rs[n].target, sizeof(rs[n].target), "%s#%d", str_or(r, "target", "?"), seen);
		else
			snprintf(rs[n].target, sizeof(rs[n].target), "%s", str_or(r, "target", "?"));
		n++;
	}
	for (i = 0; i < n; i++) {
		const char *bench = str_or(rs[i].run, "bench", "?");
		json_t *pi = key_params(rs[i].run), *names = json_object();
		const char **diff = NULL;
		size_t nd = 0, k;
		const char *name;
		json_t *dummy;
		char buf[NAME_LEN], val[256];

		/* the union of the param names of this bench.target */
		for (size_t j = 0; j < n; j++) {
			if (strcmp(bench, str_or(rs[j].run, "bench", "?")) || strcmp(rs[i].target, rs[j].target))
				continue;
			json_t *pj = key_params(rs[j].run);

			json_object_update(names, pj);
			json_decref(pj);
		}
		diff = calloc(json_object_size(names) + 1, sizeof(*diff));
		if (!diff)
			abort();
		json_object_foreach(names, name, dummy) {
			for (size_t j = 0; j < n; j++) {
				if (strcmp(bench, str_or(rs[j].run, "bench", "?")) ||
				    strcmp(rs[i].target, rs[j].target))
					continue;
				json_t *pj = key_params(rs[j].run);
				json_t *a = json_object_get(pi, name), *b = json_object_get(pj, name);
				int same = json_equal(a ? a : json_null(), b ? b : json_null());

				json_decref(pj);
				if (!same) {
					diff[nd++] = name;
					break;
				}
			}
		}
		qsort(diff, nd, sizeof(*diff), cmp_str);
		snprintf(buf, sizeof(buf), "%s.%s", bench, rs[i].target);
		for (k = 0; k < nd; k++) {
			json_t *v = json_object_get(pi, diff[k]);

			py_str(v ? v : json_null(), val, sizeof(val));
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s=%s",
				 k ? "," : "[", diff[k], val);
		}
		if (nd)
			strncat(buf, "]", sizeof(buf) - strlen(buf) - 1);
		snprintf(rs[i].base, sizeof(rs[i].base), "%s", buf);
		free(diff);
		json_decref(names);
		json_decref(pi);
	}
	*out = rs;
	return n;
}

/* --- output ------------------------------------------------------------- */

static void emit(FILE *f, const char *base, const char *leaf, const char *result,
		 const char *value, const char *unit)
{
	char raw[NAME_LEN * 2], key[NAME_LEN * 2];

	snprintf(raw, sizeof(raw), "%s.%s", base, leaf);
	lkp_key(raw, key, sizeof(key));
	fprintf(f, "lava-test-case %s --result %s", key, result);
	if (value)
		fprintf(f, " --measurement %s --units %s", value, unit && *unit ? unit : "none");
	fputc('\n', f);
}

struct named {
	char *name;
	const json_t *m;
};

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* A point's name: its scalar fields, sorted ("accesses=…,ws_bytes=…"). */
static void point_name(const json_t *p, char *buf, size_t len)
{
	struct named f[64];
	size_t n = 0;
	const char *k;
	json_t *v;
	char val[256];

	json_object_foreach((json_t *)p, k, v)
		if ((json_is_string(v) || json_is_integer(v) || json_is_real(v)) && n < 64)
			f[n++] = (struct named){ (char *)k, v };
	qsort(f, n, sizeof(*f), cmp_named);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		py_str(f[i].m, val, sizeof(val));
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s=%s", i ? "," : "", f[i].name, val);
	}
}

static void run_cases(FILE *f, const struct run *r)
{
	struct counts cs = { 0 };
	struct named *ms = NULL;
	size_t nm = 0, cap = 0, i;
	const char *k;
	json_t *v, *p, *check, *cons;
	char buf[NAME_LEN], pn[NAME_LEN], val[64];

	/* counts */
	for (i = 0; i < sizeof(count_sections) / sizeof(count_sections[0]); i++) {
		json_t *sec = json_object_get(r->run, count_sections[i]);

		if (sec && !json_is_null(sec))
			int_leaves(&cs, count_sections[i], sec);
	}
	json_array_foreach(json_object_get(r->run, "faults_per_rep"), i, p)
		int_leaves(&cs, "faults", p);

	/* metrics: run.metrics and each point's summaries */
#define ADD_METRIC(nm_, m_) do {						\
		if (nm == cap) {						\
			cap = cap ? 2 * cap : 64;				\
			ms = realloc(ms, cap * sizeof(*ms));			\
			if (!ms)						\
				abort();					\
		}								\
		ms[nm++] = (struct named){ strdup(nm_), (m_) };		\
	} while (0)
	json_object_foreach(json_object_get(r->run, "metrics"), k, v)
		if (is_summary(v))
			ADD_METRIC(k, v);
	json_array_foreach(json_object_get(r->run, "points"), i, p) {
		point_name(p, pn, sizeof(pn));
		json_object_foreach(p, k, v)
			if (is_summary(v)) {
				snprintf(buf, sizeof(buf), "%s[%s]", k, pn);
				ADD_METRIC(buf, v);
			}
	}
#undef ADD_METRIC
	/* metrics whose unit is "count" are counts */
	for (i = 0; i < nm; i++) {
		size_t j;
		json_t *x;

		if (strcmp(str_or(ms[i].m, "unit", ""), "count"))
			continue;
		json_array_foreach(json_object_get(ms[i].m, "values"), j, x)
			if (json_is_number(x))
				count_add(&cs, ms[i].name, json_number_value(x));
	}

	{
		struct named *cn = calloc(cs.n + 1, sizeof(*cn));

		if (!cn)
			abort();
		for (i = 0; i < cs.n; i++)
			cn[i] = (struct named){ cs.c[i].name, (const json_t *)&cs.c[i] };
		qsort(cn, cs.n, sizeof(*cn), cmp_named);
		for (i = 0; i < cs.n; i++) {
			const struct count *c = (const struct count *)cn[i].m;

			if (c->n != 1)
				continue;
			measurement(c->vals[0], val, sizeof(val));
			emit(f, r->base, c->name, "pass", val, "count");
		}
		free(cn);
	}
	qsort(ms, nm, sizeof(*ms), cmp_named);
	for (i = 0; i < nm; i++) {
		if (!strcmp(str_or(ms[i].m, "unit", ""), "count"))
			continue;
		for (size_t s = 0; s < sizeof(stats) / sizeof(stats[0]); s++) {
			json_t *x = json_object_get(ms[i].m, stats[s]);

			if (!json_is_number(x))
				continue;
			measurement(json_number_value(x), val, sizeof(val));
			snprintf(buf, sizeof(buf), "%s.%s", ms[i].name, stats[s]);
			emit(f, r->base, buf, "pass", val, str_or(ms[i].m, "unit", ""));
		}
	}

	/* checks */
	emit(f, r->base, "status", "pass", NULL, NULL);
	check = json_object_get(r->run, "check");
	if (json_is_object(check)) {
		const char *st = str_or(check, "status", "");

		emit(f, r->base, "check", !strcmp(st, "ok") ? "pass" :
		     !strcmp(st, "unavailable") ? "skip" : "fail", NULL, NULL);
	}
	cons = json_object_get(json_object_get(r->run, "attribution"), "consistent");
	if (json_is_boolean(cons))
		emit(f, r->base, "attribution", json_is_true(cons) ? "pass" : "fail", NULL, NULL);

	for (i = 0; i < nm; i++)
		free(ms[i].name);
	free(ms);
	free(cs.c);
}

int lava_cases(const json_t *doc, FILE *f)
{
	json_t *runs = json_object_get(doc, "runs"), *r;
	struct run *rs;
	size_t n, i;

	n = ok_runs(doc, &rs);
	for (i = 0; i < n; i++)
		run_cases(f, &rs[i]);
	/* the runs that did not complete: a failed (or skipped) case each */
	json_array_foreach(runs, i, r) {
		const char *st = str_or(r, "status", "");
		char base[NAME_LEN];

		if (!strcmp(st, "ok"))
			continue;
		snprintf(base, sizeof(base), "%s.%s", str_or(r, "bench", "?"), str_or(r, "target", "?"));
		emit(f, base, "status", !strcmp(st, "skip") ? "skip" : "fail", NULL, NULL);
	}
	free(rs);
	return 0;
}

int cmd_lava(int argc, char **argv)
{
	int ret = 0;

	if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
		fprintf(argc < 1 ? stderr : stdout,
			"usage: bench_mmio lava RESULT.json...\n"
			"  each result's metrics, counts and checks as lava-test-case lines\n"
			"  (names as compare/export --format=lkp; see README, LAVA)\n");
		return argc < 1 ? 2 : 0;
	}
	for (int i = 0; i < argc; i++) {
		json_error_t jerr;
		json_t *doc = json_load_file(argv[i], 0, &jerr);

		if (!doc || strcmp(str_or(doc, "schema", ""), RESULT_SCHEMA)) {
			fprintf(stderr, "bench_mmio lava: %s: %s\n", argv[i],
				doc ? "not a " RESULT_SCHEMA " result" : jerr.text);
			json_decref(doc);
			ret = 1;
			continue;
		}
		lava_cases(doc, stdout);
		json_decref(doc);
	}
	return ret;
}

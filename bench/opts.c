// SPDX-License-Identifier: GPL-2.0
/* opts.c - one parser for command-line options and --profile files. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

#define PAGE_4K 4096ULL

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int parse_size(const char *s, uint64_t *out, bool zero_ok, char *err, size_t errlen)
{
	const char *p = s;
	uint64_t v = 0, mult = 1;
	int base = 10, digits = 0;

	if (!s || !*s)
		return fail(err, errlen, "empty size");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++) {
		int d;

		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (__builtin_mul_overflow(v, (uint64_t)base, &v) ||
		    __builtin_add_overflow(v, (uint64_t)d, &v))
			return fail(err, errlen, "size '%s' overflows 64 bits", s);
		digits++;
	}
	if (!digits)
		return fail(err, errlen, "invalid size '%s' (expected a number with an optional K, M, G or T suffix, e.g. 256M)", s);
	if (*p) {
		switch (toupper((unsigned char)*p)) {
		case 'K': mult = 1ULL << 10; break;
		case 'M': mult = 1ULL << 20; break;
		case 'G': mult = 1ULL << 30; break;
		case 'T': mult = 1ULL << 40; break;
		default:
			return fail(err, errlen, "invalid size '%s': unknown suffix '%s' (use K, M, G or T)", s, p);
		}
		p++;
		if (!strcmp(p, "iB") || !strcmp(p, "B"))
			p += strlen(p);
		if (*p)
			return fail(err, errlen, "invalid size '%s': trailing characters '%s'", s, p);
	}
	if (__builtin_mul_overflow(v, mult, &v))
		return fail(err, errlen, "size '%s' overflows 64 bits", s);
	if (!v && !zero_ok)
		return fail(err, errlen, "size '%s' must not be zero", s);
	if (v % PAGE_4K)
		return fail(err, errlen, "size '%s' (%" PRIu64 " bytes) is not a multiple of 4K", s, v);
	*out = v;
	return 0;
}

int parse_size_list(const char *s, uint64_t *out, unsigned int max, unsigned int *n,
		    char *err, size_t errlen)
{
	char buf[1024], *save, *tok;

	*n = 0;
	if (strlen(s) >= sizeof(buf))
		return fail(err, errlen, "size list too long");
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			return fail(err, errlen, "more than %u sizes in '%s'", max, s);
		if (parse_size(tok, &out[*n], false, err, errlen))
			return -1;
		(*n)++;
	}
	if (!*n)
		return fail(err, errlen, "no size in '%s'", s);
	return 0;
}

int parse_uint(const char *s, uint64_t *out, char *err, size_t errlen)
{
	uint64_t v = 0;
	const char *p;

	if (!s || !*s)
		return fail(err, errlen, "empty number");
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return fail(err, errlen, "invalid number '%s' (expected a non-negative decimal integer)", s);
		if (__builtin_mul_overflow(v, 10u, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v))
			return fail(err, errlen, "number '%s' overflows 64 bits", s);
	}
	*out = v;
	return 0;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const t[] = { "1", "true", "yes", "on", NULL };
	static const char *const f[] = { "0", "false", "no", "off", NULL };

	for (int i = 0; t[i]; i++) {
		if (!strcasecmp(s, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, f[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

void format_size(uint64_t v, char *buf, size_t len)
{
	static const char sfx[] = "KMGT";
	int i = -1;

	while (i < 3 && v && !(v & 1023)) {
		v >>= 10;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "%" PRIu64 "%c", v, sfx[i]);
}

static const struct opt *find_opt(const struct opt_table *t, size_t nt,
				  const char *name, void **base)
{
	for (size_t i = 0; i < nt; i++)
		for (const struct opt *o = t[i].opts; o->name; o++)
			if (!strcmp(o->name, name)) {
				*base = t[i].base;
				return o;
			}
	return NULL;
}

const char *opt_value(const struct opt *o, int i)
{
	size_t stride = o->values_stride ? o->values_stride : sizeof(o->values[0]);

	return *(const char *const *)((const char *)o->values + (size_t)i * stride);
}

static int enum_index(const struct opt *o, const char *v, size_t len)
{
	for (int i = 0; opt_value(o, i); i++)
		if (strlen(opt_value(o, i)) == len && !strncmp(opt_value(o, i), v, len))
			return i;
	return -1;
}

static const struct opt_group *group_find(const struct opt *o, const char *v, size_t len)
{
	for (const struct opt_group *g = o->groups; g && g->name; g++)
		if (strlen(g->name) == len && !strncmp(g->name, v, len))
			return g;
	return NULL;
}

/* "a|b|c" (values, then groups) */
static void value_list(const struct opt *o, char *list, size_t len)
{
	list[0] = '\0';
	for (int i = 0; opt_value(o, i); i++) {
		if (i)
			strncat(list, "|", len - strlen(list) - 1);
		strncat(list, opt_value(o, i), len - strlen(list) - 1);
	}
	for (const struct opt_group *g = o->groups; g && g->name; g++) {
		strncat(list, "|", len - strlen(list) - 1);
		strncat(list, g->name, len - strlen(list) - 1);
	}
}

static int bad_enum(const struct opt *o, const char *v, char *err, size_t errlen)
{
	char list[200];

	value_list(o, list, sizeof(list));
	return fail(err, errlen, "--%s=%s: expected %s%s", o->name, v, list,
		    (o->flags & OPT_F_LIST) ? " or a comma list" : "");
}

static int set_value(const struct opt *o, void *base, const char *v,
		     char *err, size_t errlen)
{
	char *dst = (char *)base + o->off;
	char sub[OPT_ERRLEN];

	if (!v) {
		if (o->type != OPT_BOOL)
			return fail(err, errlen, "--%s needs a value (--%s=VALUE)", o->name, o->name);
		v = "true";
	}
	switch (o->type) {
	case OPT_SIZE: {
		uint64_t x;

		if (parse_size(v, &x, o->flags & OPT_F_ZERO_OK, sub, sizeof(sub)))
			return fail(err, errlen, "--%s: %s", o->name, sub);
		memcpy(dst, &x, sizeof(x));
		return 0;
	}
	case OPT_UINT: {
		uint64_t x;

		if (parse_uint(v, &x, sub, sizeof(sub)))
			return fail(err, errlen, "--%s: %s", o->name, sub);
		if (x < o->min || (o->max && x > o->max))
			return fail(err, errlen, "--%s=%s: out of range [%" PRIu64 ", %" PRIu64 "]",
				    o->name, v, o->min, o->max ? o->max : UINT64_MAX);
		memcpy(dst, &x, sizeof(x));
		return 0;
	}
	case OPT_ENUM:
		if (o->flags & OPT_F_LIST) {
			uint64_t mask = 0;
			const char *p = v;

			for (;;) {
				size_t len = strcspn(p, ",");
				int idx = enum_index(o, p, len);
				const struct opt_group *g = group_find(o, p, len);

				if ((idx < 0 && !g) || len == 0)
					return bad_enum(o, v, err, errlen);
				mask |= g ? g->mask : 1ULL << idx;
				if (!p[len])
					break;
				p += len + 1;
			}
			memcpy(dst, &mask, sizeof(mask));
		} else {
			int idx = enum_index(o, v, strlen(v));
			unsigned int u = idx;

			if (idx < 0)
				return bad_enum(o, v, err, errlen);
			memcpy(dst, &u, sizeof(u));
		}
		return 0;
	case OPT_BOOL: {
		bool b;

		if (parse_bool(v, &b))
			return fail(err, errlen, "--%s=%s: expected true|false|1|0|yes|no", o->name, v);
		memcpy(dst, &b, sizeof(b));
		return 0;
	}
	case OPT_STRING: {
		char *s = strdup(v);

		if (!s)
			return fail(err, errlen, "out of memory");
		if (!*s) {
			free(s);
			return fail(err, errlen, "--%s: empty value", o->name);
		}
		memcpy(dst, &s, sizeof(s));
		return 0;
	}
	}
	return fail(err, errlen, "--%s: bad option type", o->name);
}

int opts_defaults(const struct opt_table *t, size_t nt, char *err, size_t errlen)
{
	for (size_t i = 0; i < nt; i++)
		for (const struct opt *o = t[i].opts; o->name; o++) {
			char *dst = (char *)t[i].base + o->off;

			if (o->def) {
				if (set_value(o, t[i].base, o->def, err, errlen))
					return -1;
				continue;
			}
			switch (o->type) {
			case OPT_SIZE:
			case OPT_UINT: {
				uint64_t x = OPT_UNSET;

				memcpy(dst, &x, sizeof(x));
				break;
			}
			case OPT_STRING: {
				const char *s = NULL;

				memcpy(dst, &s, sizeof(s));
				break;
			}
			case OPT_BOOL: {
				bool b = false;

				memcpy(dst, &b, sizeof(b));
				break;
			}
			case OPT_ENUM:
				return fail(err, errlen, "--%s: enum option needs a default", o->name);
			}
		}
	return 0;
}

int opts_set(const struct opt_table *t, size_t nt, const char *name,
	     const char *value, char *err, size_t errlen)
{
	void *base;
	const struct opt *o = find_opt(t, nt, name, &base);

	if (!o)
		return fail(err, errlen, "unknown option --%s (see `bench_mmio list`)", name);
	return set_value(o, base, value, err, errlen);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int opts_load_profile(const struct opt_table *t, size_t nt, const char *path,
		      char *err, size_t errlen)
{
	char line[1024], sub[OPT_ERRLEN];
	unsigned int lineno = 0;
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f)
		return fail(err, errlen, "cannot open profile %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *key, *val, *eq, *hash;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			ret = fail(err, errlen, "%s:%u: line too long", path, lineno);
			break;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		key = trim(line);
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			ret = fail(err, errlen, "%s:%u: expected key=value, got '%s'", path, lineno, key);
			break;
		}
		*eq = '\0';
		val = trim(eq + 1);
		key = trim(key);
		if (!strncmp(key, "--", 2))
			key += 2;
		if (!strcmp(key, "profile")) {
			ret = fail(err, errlen, "%s:%u: profiles cannot include other profiles", path, lineno);
			break;
		}
		if (opts_set(t, nt, key, val, sub, sizeof(sub))) {
			ret = fail(err, errlen, "%s:%u: %s", path, lineno, sub);
			break;
		}
	}
	if (!ret && ferror(f))
		ret = fail(err, errlen, "cannot read profile %s: %s", path, strerror(errno));
	fclose(f);
	return ret;
}

/* getopt_long's table for the option tables: index k is the k-th option. */
static struct option *long_options(const struct opt_table *t, size_t nt,
				   const struct opt ***byidx)
{
	size_t n = 0, k = 0;
	struct option *lo;

	for (size_t i = 0; i < nt; i++)
		for (const struct opt *o = t[i].opts; o->name; o++)
			n++;
	lo = calloc(n + 2, sizeof(*lo));
	*byidx = calloc(n + 1, sizeof(**byidx));
	if (!lo || !*byidx) {
		free(lo);
		free(*byidx);
		return NULL;
	}
	for (size_t i = 0; i < nt; i++)
		for (const struct opt *o = t[i].opts; o->name; o++, k++) {
			lo[k] = (struct option){
				.name = o->name,
				.has_arg = o->type == OPT_BOOL ? optional_argument : required_argument,
				.val = 0x100 + (int)k,
			};
			(*byidx)[k] = o;
		}
	lo[k] = (struct option){ .name = "help", .has_arg = no_argument, .val = 'h' };
	return lo;
}

static void *base_of(const struct opt_table *t, size_t nt, const struct opt *o)
{
	for (size_t i = 0; i < nt; i++)
		for (const struct opt *p = t[i].opts; p->name; p++)
			if (p == o)
				return t[i].base;
	return NULL;
}

/*
 * One getopt_long pass over argv: with profile_only, only --profile is
 * applied (loading the file); else every option but --profile's file.
 */
static int getopt_pass(const struct opt_table *t, size_t nt, int argc, char **argv,
		       struct option *lo, const struct opt **byidx, bool profile_only,
		       char *err, size_t errlen)
{
	char **av = calloc(argc + 2, sizeof(*av));
	int c, ret = 0;

	if (!av)
		return fail(err, errlen, "out of memory");
	av[0] = "bench_mmio";	/* getopt wants a program name first */
	memcpy(av + 1, argv, argc * sizeof(*argv));
	optind = 0;		/* a full re-initialisation (GNU) */
	opterr = 0;
	while ((c = getopt_long(argc + 1, av, "+:h", lo, NULL)) != -1) {
		const struct opt *o;

		if (c == 'h') {
			ret = OPTS_HELP;
			continue;
		}
		if (c == '?') {
			ret = optopt ? fail(err, errlen, "unknown option -%c (see `bench_mmio list`)", optopt) :
			      fail(err, errlen, "unknown option %s (see `bench_mmio list`)", av[optind - 1]);
			break;
		}
		if (c == ':') {
			ret = fail(err, errlen, "%s needs a value (%s=VALUE or %s VALUE)",
				   av[optind - 1], av[optind - 1], av[optind - 1]);
			break;
		}
		o = byidx[c - 0x100];
		if (!strcmp(o->name, "profile") != profile_only)
			continue;
		if (profile_only) {
			if (!optarg || !*optarg) {
				ret = fail(err, errlen, "--profile needs a file (--profile=FILE)");
				break;
			}
			ret = opts_load_profile(t, nt, optarg, err, errlen);
			if (ret)
				break;
		}
		ret = set_value(o, base_of(t, nt, o), optarg, err, errlen);
		if (ret)
			break;
	}
	if (ret >= 0 && optind < argc + 1)
		ret = fail(err, errlen, "unexpected argument '%s' (options are --name=value or --name value)",
			   av[optind]);
	free(av);
	return ret;
}

int opts_parse_args(const struct opt_table *t, size_t nt, int argc, char **argv,
		    char *err, size_t errlen)
{
	const struct opt **byidx;
	struct option *lo;
	int ret;

	if (opts_defaults(t, nt, err, errlen))
		return -1;
	lo = long_options(t, nt, &byidx);
	if (!lo)
		return fail(err, errlen, "out of memory");
	ret = getopt_pass(t, nt, argc, argv, lo, byidx, true, err, errlen);
	if (ret >= 0)
		ret = getopt_pass(t, nt, argc, argv, lo, byidx, false, err, errlen);
	free(lo);
	free(byidx);
	return ret;
}

static const char *type_name(const struct opt *o)
{
	switch (o->type) {
	case OPT_SIZE: return "size";
	case OPT_UINT: return "uint";
	case OPT_ENUM: return (o->flags & OPT_F_LIST) ? "enum-list" : "enum";
	case OPT_BOOL: return "bool";
	case OPT_STRING: return "string";
	}
	return "?";
}

void opts_print(const struct opt *o, FILE *f)
{
	for (; o->name; o++) {
		char head[64];

		snprintf(head, sizeof(head), "--%s=%s", o->name, type_name(o));
		fprintf(f, "  %-24s %s", head, o->help);
		if (o->values) {
			char list[200];

			value_list(o, list, sizeof(list));
			fprintf(f, " [%s]", list);
		}
		if (o->def)
			fprintf(f, " (default: %s)", o->def);
		fputc('\n', f);
		for (const struct opt_group *g = o->groups; g && g->name; g++)
			fprintf(f, "  %-24s   %s: %s\n", "", g->name, g->help);
	}
}

json_t *opts_to_json(const struct opt_table *t, size_t nt)
{
	json_t *obj = json_object();

	for (size_t i = 0; i < nt; i++)
		for (const struct opt *o = t[i].opts; o->name; o++) {
			const char *src = (const char *)t[i].base + o->off;
			json_t *v = NULL;

			switch (o->type) {
			case OPT_SIZE:
			case OPT_UINT: {
				uint64_t x;

				memcpy(&x, src, sizeof(x));
				v = x == OPT_UNSET ? json_null() : json_integer((json_int_t)x);
				break;
			}
			case OPT_ENUM:
				if (o->flags & OPT_F_LIST) {
					uint64_t m;

					memcpy(&m, src, sizeof(m));
					v = json_array();
					for (int k = 0; opt_value(o, k); k++)
						if (m & (1ULL << k))
							json_array_append_new(v, json_string(opt_value(o, k)));
				} else {
					unsigned int u;

					memcpy(&u, src, sizeof(u));
					v = json_string(opt_value(o, u));
				}
				break;
			case OPT_BOOL: {
				bool b;

				memcpy(&b, src, sizeof(b));
				v = json_boolean(b);
				break;
			}
			case OPT_STRING: {
				const char *s;

				memcpy(&s, src, sizeof(s));
				v = s ? json_string(s) : json_null();
				break;
			}
			}
			json_object_set_new(obj, o->name, v);
		}
	return obj;
}

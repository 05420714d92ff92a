/* SPDX-License-Identifier: GPL-2.0 */
/*
 * opts.h - option tables shared by the command line and --profile files.
 *
 * A benchmark describes its options in a NULL-terminated table (fio style):
 * name, type, default (as text), help, enum values, and where the parsed value
 * is stored (offsetof into a struct).  Storage by type:
 *   OPT_SIZE, OPT_UINT  uint64_t   (OPT_UNSET when no default)
 *   OPT_ENUM            unsigned   (index into values[])
 *   OPT_ENUM|OPT_F_LIST uint64_t   (bit mask of indices; a group name sets its mask)
 *   OPT_BOOL            bool
 *   OPT_STRING          const char * (NULL when no default)
 */
#ifndef BENCH_OPTS_H
#define BENCH_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

enum opt_type { OPT_SIZE, OPT_UINT, OPT_ENUM, OPT_BOOL, OPT_STRING };

#define OPT_F_ZERO_OK	(1u << 0) /* OPT_SIZE: 0 is a valid value */
#define OPT_F_LIST	(1u << 1) /* OPT_ENUM: comma list, stored as a mask */

#define OPT_UNSET	UINT64_MAX

/* OPT_F_LIST: a name that stands for a set of values. */
struct opt_group {
	const char *name;
	uint64_t mask;
	const char *help;
};

struct opt {
	const char *name;
	enum opt_type type;
	const char *def;		/* default as text, NULL: unset */
	const char *help;
	/*
	 * OPT_ENUM: the names, NULL-terminated; values_stride bytes apart
	 * (0: an array of strings), so that the .name of a table of structs
	 * serves without a copy.
	 */
	const char *const *values;
	size_t values_stride;
	const struct opt_group *groups;	/* OPT_F_LIST: terminated by .name NULL */
	size_t off;			/* offset of the value in the table's struct */
	unsigned int flags;
	uint64_t min, max;		/* OPT_UINT bounds; max 0: no bound */
};

/* Name of enum value i of o (NULL past the last). */
const char *opt_value(const struct opt *o, int i);

struct opt_table {
	const struct opt *opts;		/* terminated by an entry with name NULL */
	void *base;			/* struct the offsets point into */
};

#define OPT_ERRLEN 256

/* "4096", "64K", "256M", "2G", "1T", "0x200000" (binary units, 4K multiple). */
int parse_size(const char *s, uint64_t *out, bool zero_ok, char *err, size_t errlen);
int parse_uint(const char *s, uint64_t *out, char *err, size_t errlen);
/* "64M,256M,1G": up to max sizes (parse_size, non-zero) into out[], *n of them. */
int parse_size_list(const char *s, uint64_t *out, unsigned int max, unsigned int *n,
		    char *err, size_t errlen);
int parse_bool(const char *s, bool *out);
/* Format bytes with the largest exact binary suffix ("256M", "4096"). */
void format_size(uint64_t v, char *buf, size_t len);

/* Apply every default. */
int opts_defaults(const struct opt_table *t, size_t nt, char *err, size_t errlen);
/* Set one option from text; value NULL means "--name" without "=". */
int opts_set(const struct opt_table *t, size_t nt, const char *name,
	     const char *value, char *err, size_t errlen);
/* Parse a profile file: key=value lines, '#' comments, blank lines. */
int opts_load_profile(const struct opt_table *t, size_t nt, const char *path,
		      char *err, size_t errlen);
/*
 * Defaults, then the --profile=FILE named on the command line (if any), then
 * every option of argv[0..argc) in order (getopt_long: --name=value,
 * --name value, a bool alone): the command line wins.  Returns 0, -1 with
 * err set, or OPTS_HELP for -h/--help.
 */
#define OPTS_HELP 1
int opts_parse_args(const struct opt_table *t, size_t nt, int argc, char **argv,
		    char *err, size_t errlen);
/* Print the table for `list` / `help`. */
void opts_print(const struct opt *o, FILE *f);
/* Effective values as a JSON object (typed). */
json_t *opts_to_json(const struct opt_table *t, size_t nt);

#endif

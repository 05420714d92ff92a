/* SPDX-License-Identifier: GPL-2.0 */
/* lava.h - results as LAVA test cases (lava.c). */
#ifndef BENCH_LAVA_H
#define BENCH_LAVA_H

#include <stdio.h>
#include <jansson.h>

/* One bench_mmio/1 result's lava-test-case lines to f. */
int lava_cases(const json_t *doc, FILE *f);
/* bench_mmio lava RESULT.json...: 0, 1 when a file was unusable, 2 usage. */
int cmd_lava(int argc, char **argv);

#endif

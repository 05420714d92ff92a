/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chain.h - a random cyclic pointer chain built in place.
 *
 * The chain visits nodes 0..n-1 of a region (node i is a 64-bit word in the
 * i-th block of @stride bytes) in the order of a keyed bijection pi on
 * [0, n): node pi(k) holds the address of node pi(k + 1 mod n).  pi is a
 * 4-round Feistel network on the smallest even-width power of two >= n,
 * cycle-walked back into [0, n), so building needs no memory beyond the
 * region however large n is, and the order is one a prefetcher cannot
 * follow.  Inside its block a node sits on a cache line chosen by a hash of
 * its index, so that the nodes do not all fall into the same cache sets.
 */
#ifndef BENCH_CHAIN_H
#define BENCH_CHAIN_H

#include <stdint.h>

struct chain {
	uint64_t n, stride, key;
	unsigned int half_bits;		/* the Feistel halves' width */
};

void chain_init(struct chain *c, uint64_t n, uint64_t stride, uint64_t key);
/* The bijection on [0, n). */
uint64_t chain_perm(const struct chain *c, uint64_t k);
/* Byte offset of node i's word from the start of the region. */
uint64_t chain_node_offset(const struct chain *c, uint64_t i);
/* Link the n nodes of [base, base + n * stride); returns the first node. */
volatile uint64_t *chain_build(const struct chain *c, volatile char *base);

/* Follow the chain for @steps dependent loads; returns where it stopped. */
static inline volatile uint64_t *chain_walk(volatile uint64_t *p, uint64_t steps)
{
	uint64_t i = steps;

	for (; i >= 8; i -= 8) {
		p = (volatile uint64_t *)*p; p = (volatile uint64_t *)*p;
		p = (volatile uint64_t *)*p; p = (volatile uint64_t *)*p;
		p = (volatile uint64_t *)*p; p = (volatile uint64_t *)*p;
		p = (volatile uint64_t *)*p; p = (volatile uint64_t *)*p;
	}
	for (; i; i--)
		p = (volatile uint64_t *)*p;
	return p;
}

#endif

// SPDX-License-Identifier: GPL-2.0
/* chain.c - a random cyclic pointer chain built in place (see chain.h). */
#include "chain.h"

/* splitmix64's finaliser: a cheap, well-mixing round function. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void chain_init(struct chain *c, uint64_t n, uint64_t stride, uint64_t key)
{
	unsigned int bits = 1;

	while (bits < 64 && (1ULL << bits) < n)
		bits++;
	c->n = n;
	c->stride = stride;
	c->key = key;
	c->half_bits = (bits + 1) / 2;
}

static uint64_t feistel(const struct chain *c, uint64_t x)
{
	const unsigned int h = c->half_bits;
	const uint64_t mask = (1ULL << h) - 1;
	uint64_t l = x >> h, r = x & mask;

	for (uint64_t round = 0; round < 4; round++) {
		uint64_t f = mix(r ^ mix(c->key + round)) & mask;
		uint64_t t = l ^ f;

		l = r;
		r = t;
	}
	return (l << h) | r;
}

uint64_t chain_perm(const struct chain *c, uint64_t k)
{
	/* a bijection on [0, 4^h) restricted to [0, n): walk until back in */
	do
		k = feistel(c, k);
	while (k >= c->n);
	return k;
}

uint64_t chain_node_offset(const struct chain *c, uint64_t i)
{
	uint64_t lines = c->stride / 64;

	return i * c->stride + (lines > 1 ? (mix(i ^ 0x5bd1e995) % lines) * 64 : 0);
}

volatile uint64_t *chain_build(const struct chain *c, volatile char *base)
{
	uint64_t first = chain_perm(c, 0), cur = first;

	for (uint64_t k = 1; k <= c->n; k++) {
		uint64_t next = k == c->n ? first : chain_perm(c, k);

		*(volatile uint64_t *)(base + chain_node_offset(c, cur)) =
			(uint64_t)(uintptr_t)(base + chain_node_offset(c, next));
		cur = next;
	}
	return (volatile uint64_t *)(base + chain_node_offset(c, first));
}

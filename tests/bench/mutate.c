/* Mutated copies of a hive: see mutate.h. */
#include <errno.h>
#include <hivex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"

typedef struct nodes {
	hive_node_h *node;
	size_t *size; /* keys in each node's subtree, itself included */
	size_t n, cap;
} nodes;

/* Every key in pre-order, with its subtree's size. */
static int collect(hive_h *h, hive_node_h node, nodes *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4096;
		hive_node_h *n2 = realloc(l->node, cap * sizeof *n2);
		size_t *s2 = n2 ? realloc(l->size, cap * sizeof *s2) : NULL;
		if (n2)
			l->node = n2;
		if (!s2)
			return -1;
		l->size = s2;
		l->cap = cap;
	}
	size_t me = l->n++;
	l->node[me] = node;
	hive_node_h *kids = hivex_node_children(h, node);
	for (size_t i = 0; kids && kids[i]; i++)
		if (collect(h, kids[i], l)) {
			free(kids);
			return -1;
		}
	free(kids);
	l->size[me] = l->n - me;
	return 0;
}

static int copy_file(const char *in, const char *out)
{
	FILE *a = fopen(in, "rb"), *b = a ? fopen(out, "wb") : NULL;
	char buf[1 << 16];
	size_t n;
	int rc = a && b ? 0 : -1;
	while (!rc && (n = fread(buf, 1, sizeof buf, a)) > 0)
		rc = fwrite(buf, 1, n, b) == n ? 0 : -1;
	if (a && ferror(a))
		rc = -1;
	if (a)
		fclose(a);
	if (b && fclose(b))
		rc = -1;
	return rc;
}

int bench_mutate(const char *in, const char *out, enum bench_mutation kind, int n)
{
	if (copy_file(in, out)) {
		fprintf(stderr, "bench: copying %s to %s: %s\n", in, out, strerror(errno));
		return -1;
	}
	hive_h *h = hivex_open(out, HIVEX_OPEN_WRITE);
	nodes l = {0};
	if (!h || collect(h, hivex_root(h), &l)) {
		fprintf(stderr, "bench: %s: %s\n", out, strerror(errno));
		if (h)
			hivex_close(h);
		free(l.node);
		free(l.size);
		return -1;
	}
	/* The keys to change: every (l.n / n)th of the hive, or the first n of
	 * the first subtree of n to 2n keys (n keys in one neighbourhood). */
	size_t first = 0, stride = l.n / (size_t)n;
	if (kind == BENCH_SUBTREE) {
		stride = 1;
		while (first < l.n && (l.size[first] < (size_t)n || l.size[first] > 2 * (size_t)n))
			first++;
	}
	int rc = first + stride * (size_t)(n - 1) < l.n ? 0 : -1;
	for (int i = 0; i < n && !rc; i++) {
		uint32_t v = 0x5eed0000u + (uint32_t)i;
		hive_set_value val = {"RegdiffBench", hive_t_REG_DWORD, 4, (char *)&v};
		rc = hivex_node_set_value(h, l.node[first + stride * (size_t)i], &val, 0);
	}
	if (!rc)
		rc = hivex_commit(h, NULL, 0);
	if (rc)
		fprintf(stderr, "bench: %s: could not change it: %s\n", out, strerror(errno));
	hivex_close(h);
	free(l.node);
	free(l.size);
	if (rc)
		remove(out);
	return rc ? -1 : 0;
}

/* The bare walk: see walk.h. */
#include <hivex.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

static unsigned long long sink;

static void walk_node(hive_h *h, hive_node_h node)
{
	char *name = hivex_node_name(h, node);
	sink += name ? strlen(name) : 0;
	free(name);
	sink += (unsigned long long)hivex_node_timestamp(h, node);
	hive_value_h *vals = hivex_node_values(h, node);
	for (size_t i = 0; vals && vals[i]; i++) {
		char *key = hivex_value_key(h, vals[i]);
		hive_type t;
		size_t len;
		char *data = hivex_value_value(h, vals[i], &t, &len);
		sink += len + (key ? strlen(key) : 0) + t;
		free(key);
		free(data);
	}
	free(vals);
	hive_node_h *kids = hivex_node_children(h, node);
	for (size_t i = 0; kids && kids[i]; i++)
		walk_node(h, kids[i]);
	free(kids);
}

int bench_bare_walk(const char *hive)
{
	hive_h *h = hivex_open(hive, 0);
	if (!h)
		return 2;
	walk_node(h, hivex_root(h));
	hivex_close(h);
	return sink == 0;
}

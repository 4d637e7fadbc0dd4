/* checkhive - opens hive files with hivex in its normal (checking) mode and
 * walks every key and value, as regdiff's hive source will.
 *
 * usage: checkhive FILE KEYS VALUES BADNAMES [FILE KEYS VALUES BADNAMES]...
 *
 * Fails unless each FILE opens, every key's subkeys, values, time and every
 * value's data read back, and the counts are exactly those given: KEYS
 * (root included), VALUES, and BADNAMES, the key and value names hivex's
 * UTF-8 API cannot convert (unpaired surrogates: made on purpose in the
 * hostile fixture, an error anywhere else).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hivex.h>

struct counts {
	unsigned long keys, values, bad_names;
};

/* hivex reports a name iconv cannot convert with EILSEQ (keys) or EINVAL
 * (values); anything else is a real failure. */
static int name_ok(char *name, struct counts *c)
{
	if (name) {
		free(name);
		return 1;
	}
	if (errno == EILSEQ || errno == EINVAL) {
		c->bad_names++;
		return 1;
	}
	return 0;
}

static int walk(hive_h *h, hive_node_h node, struct counts *c, int is_root)
{
	c->keys++;
	errno = 0;
	if (!is_root && !name_ok(hivex_node_name(h, node), c))
		return -1;
	errno = 0;
	if (hivex_node_timestamp(h, node) < 0 && errno)
		return -1;

	hive_value_h *vals = hivex_node_values(h, node);
	if (!vals)
		return -1;
	for (size_t i = 0; vals[i]; i++) {
		hive_type t;
		size_t len;
		c->values++;
		errno = 0;
		if (!name_ok(hivex_value_key(h, vals[i]), c)) {
			free(vals);
			return -1;
		}
		char *data = hivex_value_value(h, vals[i], &t, &len);
		if (!data) {
			free(vals);
			return -1;
		}
		free(data);
	}
	free(vals);

	hive_node_h *kids = hivex_node_children(h, node);
	if (!kids)
		return -1;
	size_t n = 0;
	for (; kids[n]; n++)
		if (walk(h, kids[n], c, 0) != 0) {
			free(kids);
			return -1;
		}
	free(kids);
	return n == hivex_node_nr_children(h, node) ? 0 : -1;
}

int main(int argc, char **argv)
{
	int failed = 0;
	if (argc < 5 || (argc - 1) % 4 != 0) {
		fprintf(stderr, "usage: checkhive FILE KEYS VALUES BADNAMES...\n");
		return 2;
	}
	for (int i = 1; i < argc; i += 4) {
		const char *file = argv[i];
		struct counts c = {0, 0, 0};
		hive_h *h = hivex_open(file, 0);
		if (!h) {
			fprintf(stderr, "checkhive: %s: cannot open: %s\n", file, strerror(errno));
			failed = 1;
			continue;
		}
		if (walk(h, hivex_root(h), &c, 1) != 0) {
			fprintf(stderr, "checkhive: %s: walk failed: %s\n", file, strerror(errno));
			failed = 1;
		}
		hivex_close(h);
		printf("%s: %lu keys, %lu values, %lu names hivex cannot convert\n", file, c.keys,
		       c.values, c.bad_names);
		if (c.keys != strtoul(argv[i + 1], NULL, 10) ||
		    c.values != strtoul(argv[i + 2], NULL, 10) ||
		    c.bad_names != strtoul(argv[i + 3], NULL, 10)) {
			fprintf(stderr,
				"checkhive: %s: expected %s keys, %s values, %s bad names\n", file,
				argv[i + 1], argv[i + 2], argv[i + 3]);
			failed = 1;
		}
	}
	return failed;
}

/* A hive source's value data (issue 17): what the walk gets for every
 * value of a real hive, whether read in place from the hive's map (kept),
 * handed over as libhivex's own copy (given) or copied, is exactly what
 * libhivex's hivex_value_value returns for it, and a value libhivex
 * refuses fails with libhivex's reason. The counts of each way are
 * checked too, so that the reads in place stay reads in place.
 *
 *   test_hive_data [HIVE KEPT GIVEN COPIED FAILED]
 *
 * By default regipy's SYSTEM_WIN_10_1709 (90,303 values read in place, 4
 * in big-data segments).
 * HIVE is relative to the folder REGDIFF_SHARED_HIVES, which, when absent,
 * makes the test exit 77 (a ctest skip): the hives are used in place. */
#include <errno.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source_internal.h"
#include "test_util.h"

#ifndef REGDIFF_SHARED_HIVES
#error "define REGDIFF_SHARED_HIVES (the hive folder)"
#endif

#define EXIT_SKIP 77

typedef struct counts {
	uint64_t kept, given, copied, failed;
} counts;

static void ignore_problem(void *ctx, unsigned unread, const char *what)
{
	(void)ctx;
	(void)unread;
	(void)what;
}

/* Value id as the source gives it, against libhivex's reading of it. */
static void check_value(regdiff_source *src, hive_h *h, uint64_t node, uint64_t id,
			regdiff__buf *data, counts *n)
{
	uint32_t type = 0;
	uint64_t declared = UINT64_MAX;
	regdiff__data_ref ref;
	data->len = 0;
	int rc = src->ops->value_ref(src->impl, node, id, &type, &declared, data, &ref);
	hive_type t;
	size_t len;
	errno = 0;
	char *want = hivex_value_value(h, id, &t, &len);
	int e = errno;
	if (rc) {
		n->failed++;
		CHECK(ref.kept == NULL && ref.given == NULL);
		/* The same reason, unless it was refused before libhivex saw
		 * it (cells read twice, data libhivex does not read). */
		if (!strstr(regdiff_error_message(), "shared cells") && !want)
			CHECK_BYTES("reason", regdiff_error_message(),
				    strlen(regdiff_error_message()), strerror(e ? e : EINVAL),
				    strlen(strerror(e ? e : EINVAL)));
		free(want);
		return;
	}
	CHECK(want != NULL);
	const uint8_t *got = ref.kept ? ref.kept : ref.given ? ref.given : data->data;
	size_t size = ref.kept || ref.given ? ref.size : data->len;
	n->kept += ref.kept != NULL;
	n->given += ref.given != NULL;
	n->copied += !ref.kept && !ref.given;
	if (want) {
		CHECK_U64(type, (uint64_t)t);
		CHECK_BYTES("data", got, size, want, len);
	}
	free(ref.given);
	free(want);
}

static void walk(regdiff_source *src, hive_h *h, uint64_t node, unsigned depth, regdiff__buf *data,
		 counts *n)
{
	regdiff__listing l = {0};
	CHECK_RC(src->ops->list(src->impl, node, &l, ignore_problem, NULL), 0);
	for (size_t i = 0; i < l.nvalues; i++)
		check_value(src, h, node, l.values[i].id, data, n);
	for (size_t i = 0; i < l.nchildren && depth < 512; i++)
		walk(src, h, l.children[i].id, depth + 1, data, n);
	regdiff__listing_free(&l);
}

int main(int argc, char **argv)
{
	char *def[] = {argv[0], "regipy/regipy_tests/data/SYSTEM_WIN_10_1709", "90303", "4", "0",
		       "0"};
	if (argc == 1) {
		argv = def;
		argc = 6;
	}
	if (argc != 6) {
		fprintf(stderr, "usage: test_hive_data HIVE KEPT GIVEN COPIED FAILED\n");
		return 2;
	}
	struct stat st;
	if (stat(REGDIFF_SHARED_HIVES, &st) != 0) {
		printf("skipped: %s is absent\n", REGDIFF_SHARED_HIVES);
		return EXIT_SKIP;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", REGDIFF_SHARED_HIVES, argv[1]);
	regdiff_source *src = NULL;
	CHECK_RC(regdiff_source_open_hive(&src, path, "HKLM\\T"), 0);
	hive_h *h = hivex_open(path, 0);
	CHECK(h != NULL);
	CHECK(src == NULL || src->ops->value_ref != NULL);
	counts n = {0};
	if (src && h && src->ops->value_ref) {
		regdiff__buf data = {0};
		uint64_t root;
		CHECK_RC(src->ops->begin(src->impl), 0);
		CHECK_RC(src->ops->root(src->impl, &root), 0);
		walk(src, h, root, 0, &data, &n);
		regdiff__buf_free(&data);
	}
	printf("%s: %llu kept, %llu given, %llu copied, %llu failed\n", argv[1],
	       (unsigned long long)n.kept, (unsigned long long)n.given,
	       (unsigned long long)n.copied, (unsigned long long)n.failed);
	CHECK_U64(n.kept, strtoull(argv[2], NULL, 10));
	CHECK_U64(n.given, strtoull(argv[3], NULL, 10));
	CHECK_U64(n.copied, strtoull(argv[4], NULL, 10));
	CHECK_U64(n.failed, strtoull(argv[5], NULL, 10));
	if (h)
		hivex_close(h);
	regdiff_source_free(src);
	return tu_result("test_hive_data");
}

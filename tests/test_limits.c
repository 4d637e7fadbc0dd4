/* Writer and reader limits agree (issue 8 item 5): whatever the writer is
 * fed, it writes a snapshot that reads back, or fails with a clear error;
 * it never writes one the reader refuses. The writer is fed here directly
 * what a hostile hive makes the walker report: 10,000 unreadable values
 * under key names of 64K characters. */
#include <stdlib.h>
#include <string.h>

#include "core_util.h"
#include "snapshot_priv.h"
#include "test_util.h"

static const uint16_t key_name[] = {'K'};

/* A writer into out with one open key, ready for values and problems. */
static regdiff__writer *writer_with_key(regdiff__buf *out)
{
	regdiff__writer *w = NULL;
	out->len = 0;
	CHECK_RC(regdiff__writer_new(&w, tu_buf_write, out, "limits.rds", 1), 0);
	CHECK_RC(regdiff__writer_key_begin(w, key_name, 1, 0, 0, 0, 0), 0);
	return w;
}

static int finish(regdiff__writer *w, const regdiff__meta *m)
{
	int rc = regdiff__writer_key_end(w);
	if (!rc)
		rc = regdiff__writer_finish(w, m ? m : &cu_default_meta);
	regdiff__writer_free(w);
	return rc;
}

static void check_message(const char *want)
{
	regdiff__buf got = {(uint8_t *)regdiff_error_message(), strlen(regdiff_error_message()), 0};
	CHECK_STR("error message", &got, want);
}

/* 10,000 problems at paths of 65,535 two-byte characters, with long
 * texts: kept cut and within budget, all counted, and the file reads
 * back. Before, the footer grew to gigabytes and was refused. */
static void test_hostile_problems(void)
{
	size_t n = 65535;
	char *path = malloc(2 * n + 1), what[2001];
	for (size_t i = 0; i < n; i++)
		memcpy(path + 2 * i, "\xc3\xa9", 2); /* U+00E9 */
	path[2 * n] = '\0';
	memset(what, 'w', sizeof what - 1);
	what[sizeof what - 1] = '\0';

	regdiff__buf out = {0};
	regdiff__writer *w = writer_with_key(&out);
	for (unsigned i = 0; i < 10000; i++)
		CHECK_RC(regdiff__writer_problem(w, path, what), 0);
	CHECK_RC(finish(w, NULL), 0);

	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, out.data, out.len), 0);
	if (s) {
		CHECK_RC(regdiff_snapshot_verify(s), 0);
		regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
		CHECK_RC(regdiff_snapshot_get_info(&info, s), 0);
		CHECK_U64(info.problems, 10000);
		/* Each kept entry: 6 + 16,383 (16,380 bytes of whole
		 * characters and U+2026) + 1 + 1,024 bytes; kept while the
		 * next one surely fits in 8 MiB. */
		CHECK_U64(regdiff_snapshot_problems_kept(s), 481);
		const char *p = NULL, *t = NULL;
		CHECK_RC(regdiff_snapshot_get_problem(&p, &t, s, 480), 0);
		if (p && t) {
			CHECK_U64(strlen(p), 16383);
			CHECK(memcmp(p, path, 16380) == 0);
			CHECK(strcmp(p + 16380, "\xe2\x80\xa6") == 0);
			CHECK_U64(strlen(t), 1024);
			CHECK(strcmp(t + 1021, "\xe2\x80\xa6") == 0);
		}
		/* Far from the footer's limit. */
		CHECK(out.len < RDS_FOOTER_MAX / 2);
	}
	regdiff_snapshot_free(s);
	regdiff__buf_free(&out);
	free(path);
}

/* Short problems are kept whole, up to 10,000. */
static void test_problems_whole(void)
{
	regdiff__buf out = {0};
	regdiff__writer *w = writer_with_key(&out);
	for (unsigned i = 0; i < 10001; i++)
		CHECK_RC(regdiff__writer_problem(w, "HKLM\\SOFTWARE\\K", "value list not read"), 0);
	CHECK_RC(finish(w, NULL), 0);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, out.data, out.len), 0);
	CHECK_U64(regdiff_snapshot_problems_kept(s), RDS_PROBLEMS_KEPT);
	const char *p = NULL;
	CHECK_RC(regdiff_snapshot_get_problem(&p, NULL, s, 9999), 0);
	CHECK(p && strcmp(p, "HKLM\\SOFTWARE\\K") == 0);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&out);
}

/* Metadata past what a reader takes: refused by the writer, by name. */
static void test_metadata_limits(void)
{
	regdiff__buf out = {0};
	char *big = malloc(RDS_META_MAX + 2);
	memset(big, 'c', RDS_META_MAX + 1);
	big[RDS_META_MAX + 1] = '\0';
	regdiff__meta m = cu_default_meta;
	m.computer = big;
	CHECK_RC(finish(writer_with_key(&out), &m), REGDIFF_ELIMIT);
	check_message("limits.rds: computer name of 65537 bytes, over the snapshot format's "
		      "limit of 65536");

	/* More sources than a reader takes. */
	size_t many = RDS_SOURCES_MAX + 1;
	const char **names = calloc(many, sizeof *names);
	for (size_t i = 0; i < many; i++)
		names[i] = "x";
	m = cu_default_meta;
	m.nsources = many;
	m.mounts = m.kinds = m.locations = names;
	CHECK_RC(finish(writer_with_key(&out), &m), REGDIFF_ELIMIT);
	check_message("limits.rds: 4097 sources, over the snapshot format's limit of 4096");

	/* Each field within its limit, but together past the footer's. */
	big[RDS_META_MAX] = '\0';
	for (size_t i = 0; i < 200; i++)
		names[i] = big;
	m.nsources = 200;
	CHECK_RC(finish(writer_with_key(&out), &m), REGDIFF_ELIMIT);
	check_message("limits.rds: the snapshot's index and metadata take 39323339 bytes, over "
		      "the format's limit of 33554432");
	free(names);
	free(big);
	regdiff__buf_free(&out);
}

/* The largest value fits in a block even after others (short of the
 * block target); one byte more is refused with the limit named. */
static void test_value_limit(void)
{
	uint8_t *data = calloc(1, RDS_VALUE_DATA_MAX + 1);
	/* Names in canonical order: readers refuse any other. */
	static const uint16_t a[] = {'a'}, b[] = {'b'}, c[] = {'c'};
	regdiff__buf out = {0};
	regdiff__writer *w = writer_with_key(&out);
	CHECK_RC(regdiff__writer_value(w, a, 1, 3, data, 200000, 0), 0);
	CHECK_RC(regdiff__writer_value(w, b, 1, 3, data, RDS_VALUE_DATA_MAX, 0), 0);
	CHECK_RC(regdiff__writer_value(w, c, 1, 3, data, RDS_VALUE_DATA_MAX + 1, 0),
		 REGDIFF_ELIMIT);
	check_message("limits.rds: a value of 66060289 bytes, over the snapshot format's limit "
		      "of 66060288 bytes of data");
	CHECK_RC(finish(w, NULL), 0);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, out.data, out.len), 0);
	if (s) {
		CHECK_U64(s->value_bytes, 200000 + (uint64_t)RDS_VALUE_DATA_MAX);
		CHECK_RC(regdiff_snapshot_verify(s), 0);
	}
	regdiff_snapshot_free(s);
	regdiff__buf_free(&out);
	free(data);
}

int main(void)
{
	test_hostile_problems();
	test_problems_whole();
	test_metadata_limits();
	test_value_limit();
	return tu_result("test_limits");
}

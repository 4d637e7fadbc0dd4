/* The temporary snapshots of a direct compare (lib/tempsnap.h): bytes kept
 * in memory up to the bound and read back unchanged, moved to the file
 * past it; only hive files small enough are kept in memory; a snapshot
 * read once, without checksums or (REGDIFF_SHOT_NO_KEY_TIMES) child-names
 * digests, gives the report a saved snapshot gives, and a compare with
 * key times refuses it. The fixture folder is built in
 * (REGDIFF_TEST_FIXTURE_DIR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osfile.h"
#include "regdiff.h"
#include "source_internal.h"
#include "tempsnap.h"
#include "test_util.h"

#define BEFORE REGDIFF_TEST_FIXTURE_DIR "/base.hiv"
#define AFTER REGDIFF_TEST_FIXTURE_DIR "/changed.hiv"

/* What t holds, read back from memory or its file. */
static void check_holds(const regdiff__tempsnap *t, const uint8_t *want, size_t n)
{
	int fd;
	const uint8_t *mem;
	uint64_t size;
	regdiff__tempsnap_bytes(t, &fd, &mem, &size);
	CHECK_U64(size, n);
	uint8_t *got = malloc(n);
	CHECK(got != NULL);
	if (!got)
		return;
	if (fd >= 0)
		CHECK_RC(regdiff__os_pread_all(fd, got, n, 0, "test"), 0);
	else if (mem)
		memcpy(got, mem, n);
	CHECK(fd >= 0 || mem != NULL);
	CHECK_BYTES("bytes", got, n, want, n);
	free(got);
}

static void test_memory_then_file(void)
{
	uint8_t bytes[300];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (uint8_t)(i * 7 + 1);
	regdiff__tempsnap *t;
	CHECK_RC(regdiff__tempsnap_new(&t, 200), 0);
	CHECK_RC(regdiff__tempsnap_write(t, bytes, 120), 0);
	CHECK_RC(regdiff__tempsnap_write(t, bytes + 120, 80), 0);
	CHECK(!regdiff__tempsnap_spilled(t));
	CHECK_U64(regdiff__tempsnap_in_memory(t), 200);
	check_holds(t, bytes, 200);
	/* One byte past the bound: all of it moves to the file. */
	CHECK_RC(regdiff__tempsnap_write(t, bytes + 200, 100), 0);
	CHECK(regdiff__tempsnap_spilled(t));
	CHECK_U64(regdiff__tempsnap_in_memory(t), 0);
	check_holds(t, bytes, 300);
	regdiff__tempsnap_free(t);

	/* No memory at all: the file from the first byte. */
	CHECK_RC(regdiff__tempsnap_new(&t, 0), 0);
	CHECK_RC(regdiff__tempsnap_write(t, bytes, 10), 0);
	CHECK(regdiff__tempsnap_spilled(t));
	check_holds(t, bytes, 10);
	regdiff__tempsnap_free(t);
}

static void test_limit(void)
{
	regdiff_source *small = NULL;
	CHECK_RC(regdiff_source_open(&small, BEFORE), 0);
	if (!small)
		return;
	CHECK_U64(regdiff__tempsnap_limit(&small, 1), REGDIFF__TEMPSNAP_MEM_LIMIT);
	/* The same source, as if its file were larger than the bound (a
	 * sparse file, nothing written). */
	char big[] = "/tmp/regdiff-test-tempsnap-XXXXXX";
	int fd = mkstemp(big);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, (off_t)REGDIFF__TEMPSNAP_MEM_LIMIT + 1) == 0);
	close(fd);
	char *location = small->location;
	small->location = big;
	CHECK_U64(regdiff__tempsnap_limit(&small, 1), 0);
	small->location = location;
	remove(big);
	/* Sizes add up: two small ones still fit. */
	regdiff_source *two[2] = {small, small};
	CHECK_U64(regdiff__tempsnap_limit(two, 2), REGDIFF__TEMPSNAP_MEM_LIMIT);
	CHECK_U64(regdiff__tempsnap_limit(NULL, 0), 0);
	regdiff_source_free(small);
}

/* The JSON-lines report of before against after, or the error. */
static int report(regdiff__buf *out, const regdiff_snapshot *before, const regdiff_snapshot *after,
		  unsigned flags)
{
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.flags = flags;
	regdiff_report_options r = REGDIFF_REPORT_OPTIONS_INIT;
	r.format = REGDIFF_REPORT_JSONL;
	regdiff_diff *d = NULL;
	out->len = 0;
	int rc = regdiff_diff_new(&d, before, after, &o);
	if (!rc)
		rc = regdiff_report_write(NULL, d, &r, tu_buf_write, out);
	regdiff_diff_free(d);
	return rc;
}

/* The JSON-lines report of regdiff_diff_open(BEFORE, AFTER). */
static int diff_open_report(regdiff__buf *out, const regdiff_shot_options *so,
			    const regdiff_diff_options *o)
{
	regdiff_report_options r = REGDIFF_REPORT_OPTIONS_INIT;
	r.format = REGDIFF_REPORT_JSONL;
	regdiff_diff *d = NULL;
	out->len = 0;
	int rc = regdiff_diff_open(&d, NULL, BEFORE, AFTER, NULL, so, o);
	if (!rc)
		rc = regdiff_report_write(NULL, d, &r, tu_buf_write, out);
	regdiff_diff_free(d);
	return rc;
}

/* A snapshot read once (in memory, as the fixtures are small) against
 * the saved one of the same hive. */
static void shoot_once(regdiff_snapshot **out, const char *path, unsigned flags)
{
	regdiff_source *src = NULL;
	regdiff_shot_options o = REGDIFF_SHOT_OPTIONS_INIT;
	o.flags = flags;
	*out = NULL;
	CHECK_RC(regdiff_source_open(&src, path), 0);
	if (src)
		CHECK_RC(regdiff_shot_take(out, &src, 1, &o), 0);
	regdiff_source_free(src);
}

static void shoot_saved(regdiff_snapshot **out, void **buf, const char *path)
{
	regdiff_source *src = NULL;
	size_t len = 0;
	*out = NULL;
	*buf = NULL;
	CHECK_RC(regdiff_source_open(&src, path), 0);
	if (src)
		CHECK_RC(regdiff_shot_to_memory(buf, &len, &src, 1, NULL), 0);
	if (*buf)
		CHECK_RC(regdiff_snapshot_open_memory(out, *buf, len), 0);
	regdiff_source_free(src);
}

static void test_reports(void)
{
	regdiff_snapshot *sb, *sa, *ob, *oa, *nb, *na;
	void *bb, *ba;
	shoot_saved(&sb, &bb, BEFORE);
	shoot_saved(&sa, &ba, AFTER);
	shoot_once(&ob, BEFORE, 0);
	shoot_once(&oa, AFTER, 0);
	shoot_once(&nb, BEFORE, REGDIFF_SHOT_NO_KEY_TIMES);
	shoot_once(&na, AFTER, REGDIFF_SHOT_NO_KEY_TIMES);
	if (!sb || !sa || !ob || !oa || !nb || !na)
		goto out;
	regdiff__buf want = {0}, got = {0};
	for (int times = 0; times < 2; times++) {
		unsigned f = times ? REGDIFF_DIFF_KEY_TIMES : 0;
		CHECK_RC(report(&want, sb, sa, f), 0);
		CHECK(want.len > 0);
		CHECK_RC(report(&got, ob, oa, f), 0);
		CHECK_BYTES("read once", got.data, got.len, want.data, want.len);
		CHECK_RC(report(&got, sb, oa, f), 0);
		CHECK_BYTES("saved against read once", got.data, got.len, want.data, want.len);
	}
	CHECK_RC(report(&want, sb, sa, 0), 0);
	CHECK_RC(report(&got, nb, na, 0), 0);
	CHECK_BYTES("no key times", got.data, got.len, want.data, want.len);
	/* regdiff_diff_open leaves the child-names digests out only when
	 * the diff does without them: its reports are those of shots that
	 * have them all. */
	for (int times = 0; times < 2; times++) {
		regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
		o.flags = times ? REGDIFF_DIFF_KEY_TIMES : 0;
		regdiff_shot_options all = REGDIFF_SHOT_OPTIONS_INIT;
		CHECK_RC(diff_open_report(&want, &all, &o), 0);
		CHECK(want.len > 0);
		CHECK_RC(diff_open_report(&got, NULL, times ? &o : NULL), 0);
		CHECK_BYTES("regdiff_diff_open", got.data, got.len, want.data, want.len);
	}
	CHECK_RC(report(&got, sb, na, REGDIFF_DIFF_KEY_TIMES), REGDIFF_EINVAL);
	CHECK(strcmp(regdiff_error_message(),
		     "snapshot of " AFTER ": shot without key times (REGDIFF_SHOT_NO_KEY_TIMES): "
		     "cannot compare them") == 0);
	regdiff__buf_free(&want);
	regdiff__buf_free(&got);
out:
	regdiff_snapshot_free(sb);
	regdiff_snapshot_free(sa);
	regdiff_snapshot_free(ob);
	regdiff_snapshot_free(oa);
	regdiff_snapshot_free(nb);
	regdiff_snapshot_free(na);
	free(bb);
	free(ba);
}

int main(void)
{
	test_memory_then_file();
	test_limit();
	test_reports();
	return tu_result("test_tempsnap");
}

/* The snapshot writer and reader: records read back exactly as written,
 * metadata, multi-block files with late summaries, skipping, the subtree
 * hashes, and damaged files refused with the right error and never a
 * crash. Snapshots are built in memory from text descriptions (see
 * core_util.h). */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core_util.h"
#include "snapshot_priv.h"

#define MIB (1024u * 1024u)

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_late(const regdiff_snapshot *s, uint64_t ordinal)
{
	for (size_t i = 0; i < s->nlate; i++)
		if (s->late[i].ordinal == ordinal)
			return 1;
	return 0;
}

/* ---- round trip ---- */

/* Every type, odd names, empty data, the default value, flags. */
static const char round_trip_text[] = "HKLM !synthetic\n"
				      "  SOFTWARE @132000000000000001 !mount\n"
				      "    = sz s:default%0020value\n"
				      "    =%0000nul binary x:00\n"
				      "    =A%0000B dword d:1\n"
				      "    =bin binary x:0001fffe\n"
				      "    =Caf%00E9 sz s:caf%00E9%4E2D\n"
				      "    =dw dword d:4294967295\n"
				      "    =dwbe dword_be x:12345678\n"
				      "    =empty binary\n"
				      "    =emptysz sz\n"
				      "    =expand expand s:%0025SystemRoot%0025\n"
				      "    =full full_resource x:02\n"
				      "    =link link s:\\Registry\\Machine\n"
				      "    =lone%D800 sz s:x%DC00\n"
				      "    =multi multi s:a%0000b%0000\n"
				      "    =none none\n"
				      "    =odd 0xFFFF0012 x:0102\n"
				      "    =qw qword q:18446744073709551615\n"
				      "    =req requirements x:03\n"
				      "    =res resource_list x:01\n"
				      "    =%D83D%DE00 sz s:%D83D%DE00\n"
				      "    A%0000 @1\n"
				      "    Broken @-5 !incomplete\n"
				      "      =v dword d:7\n"
				      "    Caf%00E9 @0\n"
				      "      Deeper @9223372036854775807\n"
				      "        Deepest @2\n"
				      "          =bad binary !unreadable\n"
				      "    Prob @4 !problem=access-denied !values-unread\n"
				      "    Prob2 @4 !subkeys-unread\n"
				      "    Sub%D83D%DE00 @3\n"
				      "    %4E2D%6587 @7\n"
				      "      =x sz s:y\n"
				      "HKU !synthetic\n"
				      "  alice @5 !mount\n"
				      "    Big @9\n";

static void test_round_trip(void)
{
	cu_tree t = {0};
	cu_parse(&t, round_trip_text);
	uint8_t *huge = cu_pattern(5 * MIB, 7);
	cu_add_value(&t, "huge", REGDIFF_REG_BINARY, huge, 5 * MIB);
	cu_parse(&t, "    Small @10\n"
		     "      =z qword q:1\n");
	regdiff__buf file = {0};
	regdiff_snapshot *s = cu_snapshot(&t, &file);

	CHECK(cu_check_records(s, &t) == 0);
	CHECK_RC(regdiff_snapshot_verify(s), 0);
	/* A second pass gives the same (the reader can be made again). */
	CHECK(cu_check_records(s, &t) == 0);

	/* The 5 MiB value ended the first block. */
	size_t huge_at = cu_find(&t, "HKU\\alice\\Big") + 1;
	CHECK_U64(s->nblocks, 2);
	CHECK_U64(s->blocks[1].first, huge_at + 1);
	CHECK_U64(s->records, t.n);

	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	CHECK_RC(regdiff_snapshot_get_info(&info, s), 0);
	CHECK_U64(info.format_version, 5);
	CHECK(strcmp(info.producer, "regdiff test") == 0);
	CHECK(info.time == INT64_C(132000000000000000));
	CHECK(strcmp(info.computer, "TESTPC") == 0);
	CHECK(strcmp(info.user, "alice") == 0);
	uint64_t keys = 0, values = 0, bytes = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (t.recs[i].tag == RDS_REC_KEY) {
			keys += !(t.recs[i].flags & RDS_KEY_SYNTHETIC);
		} else {
			values++;
			bytes += t.recs[i].size;
		}
	}
	CHECK_U64(keys, 13);
	CHECK_U64(values, 25);
	CHECK_U64(info.keys, keys);
	CHECK_U64(info.values, values);
	CHECK_U64(info.value_bytes, bytes);
	CHECK_U64(info.problems, 1);
	CHECK_U64(info.sources, 2);

	regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
	CHECK_RC(regdiff_snapshot_get_source(&src, s, 0), 0);
	CHECK(strcmp(src.mount, "HKLM\\SOFTWARE") == 0 && src.kind == REGDIFF_KIND_HIVE &&
	      strcmp(src.kind_name, "hive") == 0 && strcmp(src.location, "/hives/SOFTWARE") == 0);
	CHECK_RC(regdiff_snapshot_get_source(&src, s, 1), 0);
	CHECK(strcmp(src.mount, "HKU\\alice") == 0 && src.kind == REGDIFF_KIND_LIVE &&
	      strcmp(src.kind_name, "live") == 0 && strcmp(src.location, "HKU\\S-1-5-21-1") == 0);
	CHECK_RC(regdiff_snapshot_get_source(&src, s, 2), REGDIFF_EINVAL);
	/* An unknown version (here: a struct never initialised) is refused. */
	regdiff_snapshot_source zero = {0};
	CHECK_RC(regdiff_snapshot_get_source(&zero, s, 0), REGDIFF_EINVAL);
	CHECK(strcmp(regdiff_error_message(),
		     "regdiff_snapshot_source: unknown version 0 (this library knows 1 to 1; "
		     "initialise it with its _INIT macro)") == 0);

	const char *path, *what;
	CHECK_U64(regdiff_snapshot_problems_kept(s), 1);
	CHECK_RC(regdiff_snapshot_get_problem(&path, &what, s, 0), 0);
	CHECK(strcmp(path, "HKLM\\SOFTWARE\\Prob") == 0);
	CHECK(strcmp(what, "access-denied") == 0);
	CHECK_RC(regdiff_snapshot_get_problem(&path, &what, s, 1), REGDIFF_EINVAL);

	/* Flags: given, from an unreadable value, and carried up. */
	size_t broken = cu_find(&t, "HKLM\\SOFTWARE\\Broken");
	size_t deepest = cu_find(&t, "HKLM\\SOFTWARE\\Caf%00E9\\Deeper\\Deepest");
	size_t software = cu_find(&t, "HKLM\\SOFTWARE");
	CHECK_U64(t.recs[broken].eflags, RDS_KEY_INCOMPLETE | RDS_KEY_SUBTREE_INCOMPLETE);
	CHECK_U64(t.recs[deepest].eflags, RDS_KEY_SUBTREE_INCOMPLETE);
	CHECK_U64(t.recs[deepest - 1].eflags, RDS_KEY_SUBTREE_INCOMPLETE);
	CHECK_U64(t.recs[software].eflags, RDS_KEY_MOUNT | RDS_KEY_SUBTREE_INCOMPLETE);
	CHECK_U64(t.recs[0].eflags, RDS_KEY_SYNTHETIC | RDS_KEY_SUBTREE_INCOMPLETE);
	size_t prob = cu_find(&t, "HKLM\\SOFTWARE\\Prob");
	CHECK_U64(t.recs[prob].eflags,
		  RDS_KEY_INCOMPLETE | RDS_KEY_VALUES_UNREAD | RDS_KEY_SUBTREE_INCOMPLETE);
	CHECK_U64(t.recs[prob + 1].eflags,
		  RDS_KEY_INCOMPLETE | RDS_KEY_SUBKEYS_UNREAD | RDS_KEY_SUBTREE_INCOMPLETE);

	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	free(huge);
	cu_tree_free(&t);
}

/* Metadata strings are cleaned of control characters and bad UTF-8 so
 * `info` cannot put escapes on a terminal; NULL strings read back as "". */
static void test_metadata(void)
{
	static const char *const mounts[] = {"HKLM\\SYSTEM"};
	static const char *const kinds[] = {"hive"};
	static const char *const locs[] = {"C:\\Windows\\System32\\config\\SYSTEM\x1b[2J"};
	regdiff__meta m = {"prod\xff\xfe", -1,	"PC\x1b[31mred", NULL, NULL, -1, 1, mounts, kinds,
			   locs,	   NULL};
	cu_tree t = {0};
	cu_parse(&t, "HKLM !synthetic\n  SYSTEM @1 !mount\n");
	regdiff__buf file = {0};
	CHECK_RC(cu_write(&t, &m, 9, &file), 0);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, file.data, file.len), 0);
	if (s) {
		regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
		CHECK_RC(regdiff_snapshot_get_info(&info, s), 0);
		CHECK(strcmp(info.producer, "prod??") == 0);
		CHECK(info.time == -1);
		CHECK(strcmp(info.computer, "PC?[31mred") == 0);
		CHECK(strcmp(info.user, "") == 0);
		CHECK_U64(info.keys, 1);
		CHECK_U64(info.sources, 1);
		regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
		CHECK_RC(regdiff_snapshot_get_source(&src, s, 0), 0);
		CHECK(strcmp(src.location, "C:\\Windows\\System32\\config\\SYSTEM?[2J") == 0);
		CHECK(cu_check_records(s, &t) == 0);
	}
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	cu_tree_free(&t);
}

/* A dirty hive's log replay (footer tag 12) reads back as written, its
 * text cleaned like other metadata; a source without one reads as clean;
 * an unknown state is a corrupt file. */
static void test_log_replay_meta(void)
{
	static const char *const mounts[] = {"HKLM\\SOFTWARE", "HKLM\\SYSTEM"};
	static const char *const kinds[] = {"hive", "hive"};
	static const char *const locs[] = {"SOFTWARE", "SYSTEM"};
	regdiff__logs dirty = {REGDIFF_LOGS_APPLIED, 4, 7, 5, "SYSTEM.LOG1, SYSTEM.LOG2",
			       "stopped\x1b[2J"};
	const regdiff__logs *logs[] = {NULL, &dirty};
	regdiff__meta m = {"p", 0, "", "", NULL, -1, 2, mounts, kinds, locs, logs};
	cu_tree t = {0};
	cu_parse(&t, "HKLM !synthetic\n  SOFTWARE @1 !mount\n  SYSTEM @1 !mount\n");
	regdiff__buf file = {0};
	CHECK_RC(cu_write(&t, &m, 9, &file), 0);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, file.data, file.len), 0);
	if (s) {
		regdiff_logs_info l = REGDIFF_LOGS_INFO_INIT;
		CHECK_RC(regdiff_snapshot_get_source_logs(&l, s, 0), 0);
		CHECK(l.state == REGDIFF_LOGS_CLEAN && !*l.files && !*l.reason);
		CHECK_RC(regdiff_snapshot_get_source_logs(&l, s, 1), 0);
		CHECK(l.state == REGDIFF_LOGS_APPLIED);
		CHECK_U64(l.entries, 4);
		CHECK_U64(l.pages, 7);
		CHECK_U64(l.sequence, 5);
		CHECK(strcmp(l.files, "SYSTEM.LOG1, SYSTEM.LOG2") == 0);
		CHECK(strcmp(l.reason, "stopped?[2J") == 0);
		CHECK_RC(regdiff_snapshot_get_source_logs(&l, s, 2), REGDIFF_EINVAL);
		char line[200];
		CHECK(strcmp(regdiff_logs_describe(line, sizeof line, &l),
			     "dirty, logs applied: 4 entries, 7 pages from SYSTEM.LOG1, "
			     "SYSTEM.LOG2; sequence 5; replay stopped: stopped?[2J") == 0);
	}
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);

	dirty.state = 9;
	CHECK_RC(cu_write(&t, &m, 9, &file), 0);
	s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, file.data, file.len), REGDIFF_EFORMAT);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	cu_tree_free(&t);
}

/* No keys at all; a root with an empty name; many problems (the first
 * RDS_PROBLEMS_KEPT kept, all counted). */
static void test_edge_trees(void)
{
	regdiff__buf file = {0};
	cu_tree t = {0};
	regdiff_snapshot *s = cu_snapshot(&t, &file);
	CHECK_U64(s->nblocks, 0);
	CHECK(cu_check_records(s, &t) == 0);
	CHECK_RC(regdiff_snapshot_verify(s), 0);
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	CHECK_RC(regdiff_snapshot_get_info(&info, s), 0);
	CHECK_U64(info.keys + info.values + info.value_bytes + info.problems, 0);
	regdiff_snapshot_free(s);
	cu_tree_free(&t);

	/* Writing problems straight to the writer: the walker's way. */
	regdiff__writer *w;
	regdiff__buf out = {0};
	CHECK_RC(regdiff__writer_new(&w, tu_buf_write, &out, "(p)", 1), 0);
	const uint16_t root[] = {'R'};
	CHECK_RC(regdiff__writer_key_begin(w, root, 1, 0, 0, 0, RDS_KEY_MOUNT), 0);
	for (unsigned i = 0; i < RDS_PROBLEMS_KEPT + 5; i++) {
		char p[32];
		snprintf(p, sizeof p, "R\\k%u", i);
		CHECK_RC(regdiff__writer_problem(w, p, "x"), 0);
	}
	CHECK_RC(regdiff__writer_key_end(w), 0);
	CHECK_RC(regdiff__writer_finish(w, &cu_default_meta), 0);
	CHECK_U64(regdiff__writer_keys(w), 1);
	CHECK_U64(regdiff__writer_values(w), 0);
	regdiff__writer_free(w);
	s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, out.data, out.len), 0);
	if (s) {
		CHECK_RC(regdiff_snapshot_get_info(&info, s), 0);
		CHECK_U64(info.problems, RDS_PROBLEMS_KEPT + 5);
		CHECK_U64(regdiff_snapshot_problems_kept(s), RDS_PROBLEMS_KEPT);
		const char *path, *what;
		CHECK_RC(regdiff_snapshot_get_problem(&path, &what, s, RDS_PROBLEMS_KEPT - 1), 0);
		CHECK(strcmp(path, "R\\k9999") == 0 && strcmp(what, "x") == 0);
		CHECK_RC(regdiff_snapshot_get_problem(&path, &what, s, RDS_PROBLEMS_KEPT),
			 REGDIFF_EINVAL);
		CHECK_RC(regdiff_snapshot_verify(s), 0);
	}
	regdiff_snapshot_free(s);
	regdiff__buf_free(&out);
	regdiff__buf_free(&file);
}

/* ---- multi-block snapshots ---- */

/* A tree over several blocks: Big's subtree spans blocks (its summary is
 * late), as does HKLM\SOFTWARE's. pad is the size of a value before Big,
 * to move the block boundaries. */
static void big_tree(cu_tree *t, size_t pad, unsigned seed)
{
	cu_parse(t, "HKLM !synthetic\n"
		    "  SOFTWARE @1 !mount\n"
		    "    Aaa @2\n");
	uint8_t *p = cu_pattern(pad, seed);
	cu_add_value(t, "pad", REGDIFF_REG_BINARY, p, pad);
	free(p);
	cu_parse(t, "    Big @3\n");
	for (unsigned i = 0; i < 120; i++) {
		cu_parsef(t,
			  "      K%03u @%u\n"
			  "        =a dword d:%u\n"
			  "        =v binary r:%u:%u\n"
			  "        Deep @4\n"
			  "          =x sz s:deep%u\n",
			  i, 100 + i, i, 9000 + 61 * i, i, i);
	}
	cu_parse(t, "    Mid @5\n"
		    "      =m dword d:1\n"
		    "    Zed @6\n"
		    "      =z binary r:70000:3\n"
		    "HKU !synthetic\n"
		    "  alice @7 !mount\n"
		    "    Tail @8\n"
		    "      =t dword d:2\n");
}

static void check_skip(regdiff_snapshot *s, cu_tree *t, uint64_t from, uint64_t to)
{
	regdiff__reader *r;
	if (regdiff__reader_new(&r, s)) {
		CHECK(!"reader_new");
		return;
	}
	const regdiff__record *rec;
	int rc = 0;
	for (uint64_t i = 0; i <= from && !rc; i++)
		rc = regdiff__reader_next(r, &rec);
	CHECK_RC(rc, 0);
	CHECK_RC(regdiff__reader_skip_to(r, to), 0);
	if (to == t->n) {
		CHECK_RC(regdiff__reader_next(r, &rec), REGDIFF_ITEROVER);
	} else if (regdiff__reader_next(r, &rec) != 0) {
		fprintf(stderr, "  skip %llu -> %llu: %s\n", (unsigned long long)from,
			(unsigned long long)to, regdiff_error_message());
		CHECK(!"record after skip");
	} else {
		const cu_rec *e = &t->recs[to];
		size_t plen;
		const uint16_t *path = regdiff__reader_path(r, &plen);
		int ok = rec->ordinal == to && rec->tag == e->tag && rec->name_len == e->name_len &&
			 memcmp(rec->name, e->name, e->name_len * 2) == 0;
		if (ok && e->tag == RDS_REC_KEY)
			ok = rec->end == e->end && rec->depth == e->depth && plen == e->path_len &&
			     memcmp(path, e->path, plen * 2) == 0;
		if (!ok)
			fprintf(stderr,
				"  skip %llu -> %llu landed on %llu (end %llu/%llu, depth %u/%u, "
				"path length %zu/%zu, path %s)\n",
				(unsigned long long)from, (unsigned long long)to,
				(unsigned long long)rec->ordinal, (unsigned long long)rec->end,
				(unsigned long long)e->end, rec->depth, e->depth, plen, e->path_len,
				plen == e->path_len && memcmp(path, e->path, plen * 2) == 0
				    ? "right"
				    : "WRONG");
		CHECK(ok);
		/* And reading on from there gives the rest in order. */
		uint64_t next = to + 1;
		while ((rc = regdiff__reader_next(r, &rec)) == 0 && rec->ordinal == next)
			next++;
		CHECK_RC(rc, REGDIFF_ITEROVER);
		CHECK_U64(next, t->n);
	}
	regdiff__reader_free(r);
}

static void test_multi_block(void)
{
	cu_tree t = {0};
	big_tree(&t, 1000, 1);
	regdiff__buf file = {0};
	regdiff_snapshot *s = cu_snapshot(&t, &file);
	size_t big = cu_find(&t, "HKLM\\SOFTWARE\\Big");
	size_t software = cu_find(&t, "HKLM\\SOFTWARE");

	CHECK(s->nblocks >= 5);
	CHECK(is_late(s, big));
	CHECK(is_late(s, software));
	CHECK(is_late(s, 0));
	CHECK(!is_late(s, big + 1));
	/* Ends, counts and everything else, late summaries included. */
	CHECK(cu_check_records(s, &t) == 0);
	CHECK_RC(regdiff_snapshot_verify(s), 0);

	/* Skips the diff makes: from a key just read to the end of its
	 * subtree, within a block and across blocks; a skip that ends inside
	 * a later block must leave the paths of the keys still open whole. */
	for (size_t k = 0; k < t.n; k++) {
		if (t.recs[k].tag != RDS_REC_KEY)
			continue;
		int near_block = 0;
		for (size_t b = 0; b < s->nblocks; b++) {
			uint64_t f = s->blocks[b].first;
			near_block |= (k + 6 >= f && k <= f + 6) ||
				      (t.recs[k].end + 6 >= f && t.recs[k].end <= f + 6);
		}
		if (near_block || k <= big + 1 || k % 37 == 0 || t.recs[k].end == t.n)
			check_skip(s, &t, k, t.recs[k].end);
	}
	/* From Big to its subkeys: each the first of its block where there is
	 * one, and spread over the others. (A skip lands where the keys
	 * above the target have been read.) */
	for (uint64_t to = big + 1; to < t.recs[big].end; to++) {
		if (t.recs[to].tag != RDS_REC_KEY || t.recs[to].depth != t.recs[big].depth + 1)
			continue;
		int first = 0;
		for (size_t b = 1; b < s->nblocks; b++)
			first |= s->blocks[b].first == to;
		if (first || to % 29 == 0)
			check_skip(s, &t, big, to);
	}

	/* Backwards or past the end is refused; where it is is a no-op. */
	regdiff__reader *r;
	const regdiff__record *rec;
	CHECK_RC(regdiff__reader_new(&r, s), 0);
	/* A snapshot may have several readers at once. */
	regdiff__reader *r2;
	CHECK_RC(regdiff__reader_new(&r2, s), 0);
	CHECK_RC(regdiff__reader_next(r2, &rec), 0);
	CHECK_U64(rec->ordinal, 0);
	regdiff__reader_free(r2);
	for (int i = 0; i < 3; i++)
		CHECK_RC(regdiff__reader_next(r, &rec), 0);
	CHECK_RC(regdiff__reader_skip_to(r, 3), 0);
	CHECK_RC(regdiff__reader_next(r, &rec), 0);
	CHECK_U64(rec->ordinal, 3);
	CHECK_RC(regdiff__reader_skip_to(r, 2), REGDIFF_EFORMAT);
	regdiff__reader_free(r);
	CHECK_RC(regdiff__reader_new(&r, s), 0);
	CHECK_RC(regdiff__reader_next(r, &rec), 0);
	CHECK_RC(regdiff__reader_skip_to(r, t.n + 1), REGDIFF_EFORMAT);
	regdiff__reader_free(r);

	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	cu_tree_free(&t);
}

/* ---- hashes ---- */

typedef struct hash_diff {
	uint64_t subtree, times, names, data; /* ordinals whose hash differs, as bits */
} hash_diff;

/* Which of the first 64 records' hashes differ between two snapshots of
 * trees of the same shape. */
static hash_diff compare_hashes(const char *a_text, const char *b_text)
{
	hash_diff d = {0, 0, 0, 0};
	regdiff__buf fa = {0}, fb = {0};
	regdiff_snapshot *a = cu_snapshot_of(a_text, &fa);
	regdiff_snapshot *b = cu_snapshot_of(b_text, &fb);
	cu_read ra, rb;
	cu_read_all(a, &ra);
	cu_read_all(b, &rb);
	CHECK(ra.rc == REGDIFF_ITEROVER && rb.rc == REGDIFF_ITEROVER);
	CHECK(ra.n == rb.n && ra.n <= 64);
	for (size_t i = 0; i < ra.n && i < rb.n && i < 64; i++) {
		const regdiff__record *x = &ra.recs[i], *y = &rb.recs[i];
		CHECK(x->tag == y->tag);
		uint64_t bit = UINT64_C(1) << i;
		if (x->tag == RDS_REC_KEY) {
			d.subtree |=
			    !regdiff__digest_eq(&x->subtree_hash, &y->subtree_hash) ? bit : 0;
			d.times |= !regdiff__digest_eq(&x->times_hash, &y->times_hash) ? bit : 0;
			d.names |= !regdiff__digest_eq(&x->names_hash, &y->names_hash) ? bit : 0;
			CHECK(x->end == y->end);
		} else {
			d.data |= x->size != y->size || memcmp(x->data, y->data, x->size) ? bit : 0;
		}
	}
	cu_read_free(&ra);
	cu_read_free(&rb);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);
	return d;
}

#define BITS2(a, b) ((UINT64_C(1) << (a)) | (UINT64_C(1) << (b)))
#define BITS3(a, b, c) (BITS2(a, b) | (UINT64_C(1) << (c)))

static void check_hash_diff(int line, const char *a, const char *b, uint64_t subtree,
			    uint64_t times, uint64_t names, uint64_t data)
{
	hash_diff d = compare_hashes(a, b);
	if (d.subtree != subtree || d.times != times || d.names != names || d.data != data) {
		fprintf(stderr,
			"%s:%d: FAILED: hash differences subtree %llx times %llx names %llx "
			"data %llx, expected %llx %llx %llx %llx\n",
			__FILE__, line, (unsigned long long)d.subtree, (unsigned long long)d.times,
			(unsigned long long)d.names, (unsigned long long)d.data,
			(unsigned long long)subtree, (unsigned long long)times,
			(unsigned long long)names, (unsigned long long)data);
		tu_failures++;
	}
}
#define CHECK_HASH_DIFF(a, b, subtree, times, names, data)                                         \
	check_hash_diff(__LINE__, a, b, subtree, times, names, data)

static void test_hashes(void)
{
	/* Ordinals: 0 R, 1 R\A, 2 =v, 3 R\A\Sub, 4 =w, 5 R\B, 6 =x */
	static const char base[] = "R @1\n"
				   "  A @2\n"
				   "    =v dword d:1\n"
				   "    Sub @3\n"
				   "      =w binary x:0102\n"
				   "  B @4\n"
				   "    =x sz s:x\n";
	CHECK_HASH_DIFF(base, base, 0, 0, 0, 0);
	/* A key's name in another case: its content and its parents'
	 * change, the parent's case-blind child-names hash does not. */
	CHECK_HASH_DIFF(base,
			"R @1\n  A @2\n    =v dword d:1\n    SUB @3\n      =w binary x:0102\n"
			"  B @4\n    =x sz s:x\n",
			BITS3(0, 1, 3), 0, 0, 0);
	/* A value's name in another case. */
	CHECK_HASH_DIFF(base,
			"R @1\n  A @2\n    =V dword d:1\n    Sub @3\n      =w binary x:0102\n"
			"  B @4\n    =x sz s:x\n",
			BITS2(0, 1), 0, 0, 0);
	/* One byte of data. */
	CHECK_HASH_DIFF(base,
			"R @1\n  A @2\n    =v dword d:1\n    Sub @3\n      =w binary x:0103\n"
			"  B @4\n    =x sz s:x\n",
			BITS3(0, 1, 3), 0, 0, UINT64_C(1) << 4);
	/* The type only: the data's own hash is the same. */
	CHECK_HASH_DIFF(base,
			"R @1\n  A @2\n    =v dword d:1\n    Sub @3\n      =w none x:0102\n"
			"  B @4\n    =x sz s:x\n",
			BITS3(0, 1, 3), 0, 0, 0);
	/* A time: only the times hashes, of the key and its parents. */
	CHECK_HASH_DIFF(base,
			"R @1\n  A @2\n    =v dword d:1\n    Sub @33\n      =w binary x:0102\n"
			"  B @4\n    =x sz s:x\n",
			0, BITS3(0, 1, 3), 0, 0);
	CHECK_HASH_DIFF(base,
			"R @1\n  A @2\n    =v dword d:1\n    Sub @3\n      =w binary x:0102\n"
			"  B @5\n    =x sz s:x\n",
			0, BITS2(0, 5), 0, 0);
	/* A key renamed (not only its case): the parent's names hash too. */
	CHECK_HASH_DIFF(base,
			"R @1\n  A @2\n    =v dword d:1\n    Sup @3\n      =w binary x:0102\n"
			"  B @4\n    =x sz s:x\n",
			BITS3(0, 1, 3), 0, UINT64_C(1) << 1, 0);
	/* Empty data against no data is no difference; "x:" is empty. */
	CHECK_HASH_DIFF("R\n  =e binary\n", "R\n  =e binary x:\n", 0, 0, 0, 0);
	/* An unreadable value differs from an empty readable one. */
	CHECK_HASH_DIFF("R\n  =e none\n", "R\n  =e none !unreadable\n", 1, 0, 0, 0);
	/* Moving data from one value to the next is a change. */
	CHECK_HASH_DIFF("R\n  =a binary x:01\n  =b binary\n", "R\n  =a binary\n  =b binary x:01\n",
			1, 0, 0, UINT64_C(6));
	/* A value's name moved into its data is a change. */
	CHECK_HASH_DIFF("R\n  =ab binary\n", "R\n  =a binary x:6200\n", 1, 0, 0, UINT64_C(2));
	/* Subkeys renamed: their own content, the parent's content and
	 * child-names hash. */
	CHECK_HASH_DIFF("R\n  =a none\n  B\n", "R\n  =a none\n  C\n", 5, 0, 1, 0);

	/* Equal subtrees in different places and block layouts: Sub is late
	 * in one snapshot and within a block in the other, and Big is late
	 * in both at different block boundaries. */
	cu_tree t1 = {0}, t2 = {0};
	big_tree(&t1, RDS_BLOCK_TARGET / 5, 1);
	big_tree(&t2, RDS_BLOCK_TARGET + 10, 2);
	regdiff__buf f1 = {0}, f2 = {0};
	regdiff_snapshot *s1 = cu_snapshot(&t1, &f1);
	regdiff_snapshot *s2 = cu_snapshot(&t2, &f2);
	size_t big1 = cu_find(&t1, "HKLM\\SOFTWARE\\Big");
	size_t big2 = cu_find(&t2, "HKLM\\SOFTWARE\\Big");
	CHECK(is_late(s1, big1) && is_late(s2, big2));
	CHECK(s1->blocks[1].first != s2->blocks[1].first);
	cu_read r1, r2;
	cu_read_all(s1, &r1);
	cu_read_all(s2, &r2);
	CHECK(r1.rc == REGDIFF_ITEROVER && r2.rc == REGDIFF_ITEROVER);
	CHECK(r1.n == r2.n && r1.n == t1.n);
	int late_only_in_one = 0;
	for (size_t i = 0; i < r1.n && r1.n == r2.n; i++) {
		const regdiff__record *x = &r1.recs[i], *y = &r2.recs[i];
		if (x->tag != RDS_REC_KEY)
			continue;
		/* Above Aaa (whose pad differs) and Aaa itself differ; all else
		 * is equal. */
		int differs = i <= 2;
		if ((!regdiff__digest_eq(&x->subtree_hash, &y->subtree_hash)) != differs ||
		    !regdiff__digest_eq(&x->times_hash, &y->times_hash) ||
		    !regdiff__digest_eq(&x->names_hash, &y->names_hash) || x->end != y->end) {
			fprintf(stderr, "  record %zu: hashes do not match as expected\n", i);
			tu_failures++;
		}
		late_only_in_one += is_late(s1, i) != is_late(s2, i);
	}
	CHECK(late_only_in_one > 0);
	/* The same subtree at another path has the same hash. */
	cu_tree t3 = {0};
	cu_parse(&t3, "X\n  Same @1\n    =v dword d:1\n    Sub @2\nY\n  Z\n    Same @1\n"
		      "      =v dword d:1\n      Sub @2\n");
	regdiff__buf f3 = {0};
	regdiff_snapshot *s3 = cu_snapshot(&t3, &f3);
	cu_read r3;
	cu_read_all(s3, &r3);
	CHECK(r3.n == 9 && regdiff__digest_eq(&r3.recs[1].subtree_hash, &r3.recs[6].subtree_hash) &&
	      regdiff__digest_eq(&r3.recs[1].times_hash, &r3.recs[6].times_hash) &&
	      regdiff__digest_eq(&r3.recs[1].names_hash, &r3.recs[6].names_hash) &&
	      !regdiff__digest_eq(&r3.recs[0].subtree_hash, &r3.recs[4].subtree_hash));
	cu_read_free(&r1);
	cu_read_free(&r2);
	cu_read_free(&r3);
	regdiff_snapshot_free(s1);
	regdiff_snapshot_free(s2);
	regdiff_snapshot_free(s3);
	regdiff__buf_free(&f1);
	regdiff__buf_free(&f2);
	regdiff__buf_free(&f3);
	cu_tree_free(&t1);
	cu_tree_free(&t2);
	cu_tree_free(&t3);
}

/* ---- damaged files ---- */

/* Opening (and, if that works, reading everything) fails with a format
 * error whose message names the file. Returns the error. */
static int open_fails(const void *p, size_t n, const char *path, const char *what, size_t where)
{
	regdiff_snapshot *s = NULL;
	int rc;
	if (path) {
		cu_write_file(path, p, n);
		rc = regdiff_snapshot_open(&s, path);
	} else {
		rc = regdiff_snapshot_open_memory(&s, p, n);
	}
	if (rc == 0) {
		rc = regdiff_snapshot_verify(s);
		regdiff_snapshot_free(s);
	}
	const char *name = path ? path : "(memory)";
	int ok = (rc == REGDIFF_EFORMAT || rc == REGDIFF_EFOREIGN) &&
		 starts_with(regdiff_error_message(), name) &&
		 regdiff_error_message()[strlen(name)] == ':';
	if (!ok) {
		fprintf(stderr, "  %s at %zu: rc %d (%s)\n", what, where, rc,
			regdiff_error_message());
		tu_failures++;
	}
	return rc;
}

/* The summaries are 16 bytes of SHA-256 (subtree and times, version 5)
 * or BLAKE2b-256 (child names, and all three in version 4), over exactly
 * what docs/snapshot-format.md lists: the digests below were computed
 * apart from regdiff (Python's hashlib.sha256 and hashlib.blake2b,
 * digest_size=32, first 16 bytes), so a change of hash or of what is
 * hashed shows here. */
typedef struct summaries {
	unsigned version;
	uint8_t r_subtree[16], r_times[16], r_names[16], s_subtree[16];
} summaries;

static const summaries v5_summaries = {5,
				       {0x87, 0xde, 0xba, 0xd1, 0xe1, 0x6e, 0xb5, 0xe4, 0xfc, 0x81,
					0xd9, 0x36, 0xe4, 0x25, 0xc0, 0x47},
				       {0x35, 0x63, 0xcd, 0x3b, 0x21, 0xdd, 0x9c, 0x54, 0x50, 0xf0,
					0xde, 0x01, 0xa1, 0x8a, 0x35, 0xcb},
				       {0xd4, 0xfa, 0x59, 0x21, 0xb8, 0xc3, 0xb7, 0x43, 0x64, 0x10,
					0x51, 0xec, 0x1b, 0xe4, 0xd3, 0xec},
				       {0x33, 0x80, 0x8a, 0x01, 0x64, 0x22, 0x16, 0x3a, 0x77, 0xae,
					0xb9, 0x4e, 0xde, 0x45, 0xca, 0xd8}};

static const summaries v4_summaries = {4,
				       {0x1e, 0x83, 0x6f, 0xa4, 0x3d, 0x4e, 0x85, 0x49, 0x54, 0x77,
					0x01, 0x31, 0x03, 0xe1, 0x8e, 0x06},
				       {0x0e, 0x2d, 0x3f, 0x5c, 0x16, 0x74, 0xf9, 0x8d, 0xe0, 0x44,
					0x44, 0x0c, 0xb0, 0xbb, 0xf4, 0x23},
				       {0xd4, 0xfa, 0x59, 0x21, 0xb8, 0xc3, 0xb7, 0x43, 0x64, 0x10,
					0x51, 0xec, 0x1b, 0xe4, 0xd3, 0xec},
				       {0x48, 0x03, 0x42, 0x99, 0x74, 0xfe, 0xcd, 0x5d, 0x5d, 0xc8,
					0x70, 0x3a, 0x8d, 0x9a, 0x49, 0x70}};

static void test_digests(const summaries *want)
{
	/* R has a subkey: from version 4 its name and values are hashed
	 * into a values digest V first, then the u64 2^64-1, V, S's subtree
	 * digest and R's flags. */
	cu_format_version = want->version;
	regdiff__buf file = {0};
	regdiff_snapshot *s = cu_snapshot_of("R @1\n  =v dword d:1\n  S @2\n", &file);
	cu_format_version = RDS_FORMAT_VERSION;
	cu_read r;
	cu_read_all(s, &r);
	CHECK(r.rc == REGDIFF_ITEROVER && r.n == 3);
	if (r.n == 3) {
		CHECK_BYTES("R subtree", r.recs[0].subtree_hash.b, 16, want->r_subtree, 16);
		CHECK_BYTES("R times", r.recs[0].times_hash.b, 16, want->r_times, 16);
		CHECK_BYTES("R child names", r.recs[0].names_hash.b, 16, want->r_names, 16);
		CHECK_BYTES("S subtree", r.recs[2].subtree_hash.b, 16, want->s_subtree, 16);
	}
	cu_read_free(&r);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
}

static void test_truncation(void)
{
	cu_tree t = {0};
	big_tree(&t, 1000, 1);
	regdiff__buf file = {0};
	regdiff_snapshot *s = cu_snapshot(&t, &file);
	size_t n = file.len;
	/* Every shorter length, so every block and record boundary too. */
	int foreign = 0;
	for (size_t len = 0; len < n; len++)
		foreign += open_fails(file.data, len, NULL, "truncated", len) == REGDIFF_EFOREIGN;
	/* Too short for the magic is "not a snapshot"; anything longer is a
	 * damaged one. */
	CHECK_U64(foreign, RDS_MAGIC_LEN);
	/* As real files, at the boundaries of the parts. */
	const char *path = "test_snapshot_truncated.rds";
	size_t cuts[64] = {
	    0,	   1,	 7, 8, 63, 64, 65, 95, 96, n - RDS_TRAILER_SIZE, n - RDS_TRAILER_SIZE + 1,
	    n - 1, n / 2};
	size_t ncuts = 13;
	for (size_t b = 0; b < s->nblocks && ncuts + 2 < 64; b++) {
		cuts[ncuts++] = s->blocks[b].offset;
		cuts[ncuts++] = s->blocks[b].offset + RDS_BLOCK_HEADER_SIZE;
	}
	for (size_t i = 0; i < ncuts; i++)
		open_fails(file.data, cuts[i], path, "truncated file", cuts[i]);
	/* A missing file is not a format error. */
	remove(path);
	regdiff_snapshot *none;
	CHECK_RC(regdiff_snapshot_open(&none, path), REGDIFF_ENOTFOUND);
	CHECK(none == NULL);
	/* Bytes added at the end. */
	regdiff__buf longer = {0};
	regdiff__buf_append(&longer, file.data, n);
	regdiff__buf_append(&longer, "\0", 1);
	open_fails(longer.data, longer.len, NULL, "extended", n);
	/* Two snapshots end to end. */
	regdiff__buf_append(&longer, file.data, n - 1);
	open_fails(longer.data, longer.len, NULL, "concatenated", n);
	regdiff__buf_free(&longer);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	cu_tree_free(&t);
}

static void flip_at(uint8_t *p, size_t n, size_t off, unsigned bit)
{
	p[off] ^= (uint8_t)(1u << bit);
	open_fails(p, n, NULL, "bit flipped", off * 8 + bit);
	p[off] ^= (uint8_t)(1u << bit);
}

static void test_bit_flips(void)
{
	/* A small file: every bit. */
	regdiff__buf file = {0};
	cu_tree t = {0};
	cu_parse(&t, round_trip_text);
	regdiff_snapshot *s = cu_snapshot(&t, &file);
	regdiff_snapshot_free(s);
	for (size_t off = 0; off < file.len; off++)
		for (unsigned bit = 0; bit < 8; bit++)
			flip_at(file.data, file.len, off, bit);
	cu_tree_free(&t);

	/* A multi-block file: every byte of the header, each block header,
	 * the footer's header and the trailer; bytes spread over every
	 * block's payload and the footer's. */
	big_tree(&t, 1000, 1);
	s = cu_snapshot(&t, &file);
	size_t n = file.len;
	uint64_t footer = regdiff__get_u64(file.data + n - RDS_TRAILER_SIZE + 8);
	for (size_t off = 0; off < RDS_HEADER_SIZE; off++)
		flip_at(file.data, n, off, (unsigned)off % 8);
	for (size_t b = 0; b <= s->nblocks; b++) {
		uint64_t start = b < s->nblocks ? s->blocks[b].offset : footer;
		uint64_t end = b + 1 < s->nblocks ? s->blocks[b + 1].offset
			       : b < s->nblocks	  ? footer
						  : n - RDS_TRAILER_SIZE;
		for (uint64_t off = start; off < start + RDS_BLOCK_HEADER_SIZE; off++)
			flip_at(file.data, n, off, (unsigned)off % 8);
		uint64_t stride = (end - start) / 97 + 1;
		for (uint64_t off = start + RDS_BLOCK_HEADER_SIZE; off < end; off += stride)
			flip_at(file.data, n, off, (unsigned)off % 8);
		flip_at(file.data, n, end - 1, 7);
	}
	for (size_t off = n - RDS_TRAILER_SIZE; off < n; off++)
		flip_at(file.data, n, off, (unsigned)off % 8);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	cu_tree_free(&t);
}

static void reseal_header(uint8_t *h)
{
	regdiff__put_u64(h + 56, XXH3_64bits(h, 56));
}

/* The file as copy with its version set (header resealed) is refused as
 * of another version. */
static void open_version(regdiff__buf *copy, const char *path, uint32_t version)
{
	regdiff__put_u32(copy->data + 8, version);
	reseal_header(copy->data);
	cu_write_file(path, copy->data, copy->len);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open(&s, path), REGDIFF_EVERSION);
	CHECK(s == NULL);
}

/* The last error message must be want. */
static void check_message(const char *what, const char *want)
{
	const char *m = regdiff_error_message();
	CHECK_STR(what, &(regdiff__buf){(uint8_t *)m, strlen(m), 0}, want);
}

static void test_header_fields(void)
{
	regdiff__buf file = {0};
	regdiff_snapshot *s = cu_snapshot_of("R @1\n  =v dword d:1\n", &file);
	regdiff_snapshot_free(s);
	regdiff__buf copy = {0};
	regdiff__buf_append(&copy, file.data, file.len);
	const char *path = "test_snapshot_header.rds";

	/* Another magic: not a snapshot at all. */
	copy.data[1] = 'X';
	reseal_header(copy.data);
	CHECK_RC(open_fails(copy.data, copy.len, path, "magic", 1), REGDIFF_EFOREIGN);
	/* A hive, a text file, an empty file. */
	CHECK_RC(open_fails("regf\0\0\0\0", 8, path, "hive", 0), REGDIFF_EFOREIGN);
	CHECK_RC(open_fails("hello, world\n", 13, path, "text", 0), REGDIFF_EFOREIGN);
	CHECK_RC(open_fails("", 0, path, "empty", 0), REGDIFF_EFOREIGN);

	/* Version 6 with a right header hash: a later format, refused as
	 * such, naming the file. */
	memcpy(copy.data, file.data, file.len);
	open_version(&copy, path, 6);
	CHECK(starts_with(regdiff_error_message(), path));
	CHECK(strstr(regdiff_error_message(), "version 6") != NULL);
	/* Version 2 (no key index, zlib blocks): refused, saying to shoot
	 * again. */
	open_version(&copy, path, 2);
	check_message("v2 message", "test_snapshot_header.rds: snapshot from an older regdiff "
				    "(format version 2, before the key index): shoot it again "
				    "with this version");
	/* Version 1 (XXH3 summaries, forgeable): refused, saying to shoot
	 * again. */
	open_version(&copy, path, 1);
	check_message("v1 message", "test_snapshot_header.rds: snapshot from an older regdiff "
				    "(format version 1, whose hashes can be forged): shoot it "
				    "again with this version");
	/* Version 6 with the hash left as it was: damage, not a version. */
	regdiff__put_u32(copy.data + 8, 6);
	regdiff__put_u64(copy.data + 56, regdiff__get_u64(file.data + 56));
	CHECK_RC(open_fails(copy.data, copy.len, NULL, "version unsealed", 8), REGDIFF_EFORMAT);
	/* Version 0 is no format at all. */
	regdiff__put_u32(copy.data + 8, 0);
	reseal_header(copy.data);
	regdiff_snapshot *v0 = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&v0, copy.data, copy.len), REGDIFF_EVERSION);
	regdiff_snapshot_free(v0);
	/* Another header size. */
	memcpy(copy.data, file.data, file.len);
	regdiff__put_u32(copy.data + 12, 128);
	reseal_header(copy.data);
	CHECK_RC(open_fails(copy.data, copy.len, NULL, "header size", 12), REGDIFF_EFORMAT);
	remove(path);
	regdiff__buf_free(&copy);
	regdiff__buf_free(&file);
}

/* Files whose hashes are all right but whose content is not: what a
 * crafted file can say. Each must be refused, never crash. */
typedef void (*craft_fn)(cu_unpacked *u, void *arg);

static int crafted(const regdiff__buf *file, craft_fn fn, void *arg, int want, const char *what)
{
	cu_unpacked u;
	cu_unpack(file->data, file->len, &u);
	fn(&u, arg);
	regdiff__buf out = {0};
	cu_pack(&u, &out);
	regdiff_snapshot *s = NULL;
	int rc = regdiff_snapshot_open_memory(&s, out.data, out.len);
	if (rc == 0) {
		rc = regdiff_snapshot_verify(s);
		regdiff_snapshot_free(s);
	}
	if (rc != want) {
		fprintf(stderr, "  crafted file (%s): %s %d, expected %d\n", what,
			rc ? regdiff_error_message() : "accepted", rc, want);
		tu_failures++;
	} else if (rc && !starts_with(regdiff_error_message(), "(memory): ")) {
		fprintf(stderr, "  crafted file (%s): message \"%s\" names no file\n", what,
			regdiff_error_message());
		tu_failures++;
	}
	regdiff__buf_free(&out);
	cu_unpacked_free(&u);
	return rc;
}

/* Offset of record k of block b. */
static size_t record_offset(const cu_block *b, uint32_t k)
{
	size_t pos = 0;
	for (uint32_t i = 0; i < k; i++)
		pos += cu_record_size(b->raw.data + pos);
	return pos;
}

static void craft_nothing(cu_unpacked *u, void *arg)
{
	(void)u;
	(void)arg;
}

typedef struct cut {
	size_t block;
	uint32_t keep;	/* records kept in that block */
	int fix_counts; /* make the footer's record count match */
} cut;

static void craft_cut(cu_unpacked *u, void *arg)
{
	const cut *c = arg;
	cu_block *b = &u->blocks[c->block];
	b->raw.len = record_offset(b, c->keep);
	b->records = c->keep;
	for (size_t i = c->block + 1; i < u->nblocks; i++)
		regdiff__buf_free(&u->blocks[i].raw);
	u->nblocks = c->block + (c->keep > 0);
	if (c->keep == 0)
		regdiff__buf_free(&b->raw);
	if (c->fix_counts) {
		uint64_t records = 0;
		for (size_t i = 0; i < u->nblocks; i++)
			records += u->blocks[i].records;
		regdiff__put_u64(cu_tlv_find(u, RDS_TLV_COUNTS)->bytes.data + 32, records);
	}
}

typedef struct poke {
	size_t block;
	uint32_t record;
	size_t off; /* within the record */
	size_t width;
	uint64_t value;
} poke;

static void craft_poke(cu_unpacked *u, void *arg)
{
	const poke *p = arg;
	cu_block *b = &u->blocks[p->block];
	uint8_t *r = b->raw.data + record_offset(b, p->record) + p->off;
	if (p->width == 1)
		r[0] = (uint8_t)p->value;
	else if (p->width == 2)
		regdiff__put_u16(r, (uint16_t)p->value);
	else if (p->width == 4)
		regdiff__put_u32(r, (uint32_t)p->value);
	else
		regdiff__put_u64(r, p->value);
}

static void craft_drop_tlv(cu_unpacked *u, void *arg)
{
	cu_tlv *e = cu_tlv_find(u, (uint16_t) * (const unsigned *)arg);
	e->tag = 999; /* unknown tags are skipped */
}

static void craft_drop_index(cu_unpacked *u, void *arg)
{
	(void)arg;
	u->drop_index = 1;
}

static void craft_unknown_tlv(cu_unpacked *u, void *arg)
{
	(void)arg;
	cu_tlv *more = realloc(u->tlvs, (u->ntlvs + 1) * sizeof *u->tlvs);
	if (!more)
		return;
	u->tlvs = more;
	cu_tlv *e = &u->tlvs[u->ntlvs++];
	e->tag = 777;
	e->bytes = (regdiff__buf){0};
	regdiff__buf_append(&e->bytes, "later", 5);
}

static void craft_swap_late(cu_unpacked *u, void *arg)
{
	(void)arg;
	size_t first = SIZE_MAX;
	for (size_t i = 0; i < u->ntlvs; i++) {
		if (u->tlvs[i].tag != RDS_TLV_LATE)
			continue;
		if (first == SIZE_MAX) {
			first = i;
			continue;
		}
		regdiff__buf tmp = u->tlvs[first].bytes;
		u->tlvs[first].bytes = u->tlvs[i].bytes;
		u->tlvs[i].bytes = tmp;
		return;
	}
}

/* A field of a footer entry: block = the entry's tag, record = which of
 * the entries with that tag; off, width (1, 2 or 8), value. */
static void craft_tlv_field(cu_unpacked *u, void *arg)
{
	const poke *p = arg;
	uint32_t k = 0;
	for (size_t i = 0; i < u->ntlvs; i++) {
		if (u->tlvs[i].tag != p->block || k++ != p->record)
			continue;
		uint8_t *e = u->tlvs[i].bytes.data + p->off;
		if (p->width == 1)
			e[0] = (uint8_t)p->value;
		else if (p->width == 2)
			regdiff__put_u16(e, (uint16_t)p->value);
		else
			regdiff__put_u64(e, p->value);
		return;
	}
}

static void craft_header_of_block(cu_unpacked *u, void *arg)
{
	/* Records claimed by block 0 one more than it holds. */
	(void)arg;
	u->blocks[0].records++;
}

static void craft_fewer_records(cu_unpacked *u, void *arg)
{
	(void)arg;
	u->blocks[0].records--;
}

static void test_crafted(void)
{
	cu_tree t = {0};
	big_tree(&t, 1000, 1);
	regdiff__buf file = {0};
	regdiff_snapshot *s = cu_snapshot(&t, &file);
	size_t nblocks = s->nblocks;
	uint32_t *records = calloc(nblocks, sizeof *records);
	for (size_t b = 0; b < nblocks; b++)
		records[b] = s->blocks[b].records;
	size_t big = cu_find(&t, "HKLM\\SOFTWARE\\Big");
	size_t mid = cu_find(&t, "HKLM\\SOFTWARE\\Mid");
	regdiff_snapshot_free(s);

	/* The helpers themselves: unpack and pack give a good file. */
	crafted(&file, craft_nothing, NULL, 0, "unchanged");

	/* Cut after every record. With the footer's count left alone the
	 * index does not cover it; with the count made to match, a subtree
	 * end points past the last record. Both at open or verify. */
	uint64_t first = 0;
	for (size_t b = 0; b < nblocks; b++) {
		uint32_t step = b + 1 == nblocks ? 1 : 7;
		for (uint32_t k = 0; k < records[b]; k += step) {
			cut c = {b, k, 0};
			crafted(&file, craft_cut, &c, REGDIFF_EFORMAT, "cut");
			c.fix_counts = 1;
			/* Between two top-level keys every subtree is whole: only
			 * the footer's key and value counts can tell. */
			int top = first + k > 0 && t.recs[first + k].tag == RDS_REC_KEY &&
				  t.recs[first + k].depth == 0;
			crafted(&file, craft_cut, &c, REGDIFF_EFORMAT,
				top ? "cut between top-level keys, counts fixed"
				    : "cut, count fixed");
		}
		first += records[b];
	}

	/* Record fields: block 0 holds records 0.. (HKLM, SOFTWARE, Aaa, =pad,
	 * Big, K000, =a, =v, Deep, =x, K001 ...). */
	const struct {
		poke p;
		const char *what;
	} pokes[] = {
	    {{0, 0, 0, 1, 'X'}, "unknown record tag"},
	    {{0, 0, 0, 1, RDS_REC_VALUE}, "value before any key"},
	    {{0, 2, 1, 1, 0x80}, "unknown key flag"},
	    {{0, 3, 1, 1, 0x02}, "unknown value flag"},
	    {{0, 0, 2, 2, 1}, "first key not at depth 0"},
	    {{0, 5, 2, 2, 4}, "key two levels deeper than its parent"},
	    {{0, 5, 2, 2, RDS_MAX_DEPTH + 1}, "key beyond the depth limit"},
	    {{0, 5, RDS_KEY_END, 8, 5}, "subtree end at the key itself"},
	    {{0, 5, RDS_KEY_END, 8, 0}, "subtree end before the key"},
	    {{0, 5, RDS_KEY_END, 8, UINT64_MAX}, "subtree end far past the last record"},
	    {{0, 3, 8, 4, 0x7fffffff}, "value size past the block"},
	    {{0, 2, 4, 2, 0xffff}, "key name past the block"},
	    {{0, 3, 2, 2, 0xffff}, "value name past the block"},
	};
	for (size_t i = 0; i < sizeof pokes / sizeof pokes[0]; i++) {
		poke p = pokes[i].p;
		crafted(&file, craft_poke, &p, REGDIFF_EFORMAT, pokes[i].what);
	}

	/* Blocks claiming more or fewer records than they hold. */
	crafted(&file, craft_header_of_block, NULL, REGDIFF_EFORMAT, "block claims one more");
	crafted(&file, craft_fewer_records, NULL, REGDIFF_EFORMAT, "block claims one fewer");

	/* The footer. */
	unsigned tag = RDS_TLV_COUNTS;
	crafted(&file, craft_drop_tlv, &tag, REGDIFF_EFORMAT, "no counts");
	tag = RDS_TLV_PRODUCER;
	crafted(&file, craft_drop_tlv, &tag, REGDIFF_EFORMAT, "no producer");
	crafted(&file, craft_drop_index, NULL, REGDIFF_EFORMAT, "index entry missing");
	tag = RDS_TLV_LATE;
	crafted(&file, craft_drop_tlv, &tag, REGDIFF_EFORMAT, "late summary missing");
	crafted(&file, craft_unknown_tlv, NULL, 0, "unknown footer entry (later revision)");
	crafted(&file, craft_swap_late, NULL, REGDIFF_EFORMAT, "late table out of order");
	poke late_end = {RDS_TLV_LATE, 0, 8 + 3 * RDS_DIGEST_SIZE, 8, UINT64_MAX};
	crafted(&file, craft_tlv_field, &late_end, REGDIFF_EFORMAT, "late end out of range");
	poke late_flags = {RDS_TLV_LATE, 0, 16 + 3 * RDS_DIGEST_SIZE, 1, 0x40};
	crafted(&file, craft_tlv_field, &late_flags, REGDIFF_EFORMAT, "late unknown flag");

	/* The key index: an entry must repeat its key's record byte for byte
	 * (checked whenever the record is read, so by verify), hold no digest
	 * or end of its own, and stand for a key with a late summary. One
	 * left out only costs an inflated block. */
	poke key_digest = {RDS_TLV_KEY, 0, 8 + RDS_KEY_DIGESTS, 1, 1};
	crafted(&file, craft_tlv_field, &key_digest, REGDIFF_EFORMAT, "key index digest");
	poke key_end = {RDS_TLV_KEY, 0, 8 + RDS_KEY_END, 8, 1};
	crafted(&file, craft_tlv_field, &key_end, REGDIFF_EFORMAT, "key index subtree end");
	poke key_name = {RDS_TLV_KEY, 0, 8 + RDS_KEY_FIXED, 2, 'X'};
	crafted(&file, craft_tlv_field, &key_name, REGDIFF_EFORMAT, "key index name");
	poke key_time = {RDS_TLV_KEY, 0, 8 + 8, 8, 42};
	crafted(&file, craft_tlv_field, &key_time, REGDIFF_EFORMAT, "key index time");
	poke key_ordinal = {RDS_TLV_KEY, 0, 0, 8, (uint64_t)mid};
	crafted(&file, craft_tlv_field, &key_ordinal, REGDIFF_EFORMAT,
		"key index entry for a key without a late summary");
	tag = RDS_TLV_KEY;
	crafted(&file, craft_drop_tlv, &tag, 0, "key index entry left out");

	/* A subtree end inside the file but not where the subtree ends (the
	 * diff skips to it when hashes agree, and would miss or misplace
	 * records): Big's end moved to Mid's first value, and K000's end to
	 * its own first value, must each be refused. */
	poke wrong_end = {0, 5, RDS_KEY_END, 8, (uint64_t)big + 1 + 4};
	crafted(&file, craft_poke, &wrong_end, REGDIFF_EFORMAT, "subtree end inside the subtree");
	poke past_sibling = {0, 5, RDS_KEY_END, 8, 20};
	crafted(&file, craft_poke, &past_sibling, REGDIFF_EFORMAT,
		"subtree end past the next sibling");
	poke wrong_late = {RDS_TLV_LATE, 0, 8 + 3 * RDS_DIGEST_SIZE, 8, (uint64_t)mid + 1};
	cu_unpacked u;
	cu_unpack(file.data, file.len, &u);
	for (size_t j = 0, k = 0; j < u.ntlvs; j++) {
		if (u.tlvs[j].tag != RDS_TLV_LATE)
			continue;
		if (regdiff__get_u64(u.tlvs[j].bytes.data) == big)
			wrong_late.record = (uint32_t)k;
		k++;
	}
	cu_unpacked_free(&u);
	crafted(&file, craft_tlv_field, &wrong_late, REGDIFF_EFORMAT,
		"late subtree end past the subtree");

	free(records);
	regdiff__buf_free(&file);
	cu_tree_free(&t);
}

/* A forged key index hides no change: the after side's entry for
 * SOFTWARE (whose subtree holds the change, in Aaa) given the before
 * side's digest is refused on open; given another name, the diff still
 * reports changes (or fails), never "no changes". */
static void test_forged_index(void)
{
	cu_tree t1 = {0}, t2 = {0};
	big_tree(&t1, 1000, 1);
	big_tree(&t2, 1000, 2);
	regdiff__buf f1 = {0}, f2 = {0};
	regdiff_snapshot *before = cu_snapshot(&t1, &f1);
	regdiff_snapshot *after = cu_snapshot(&t2, &f2);
	size_t sw = cu_find(&t2, "HKLM\\SOFTWARE");
	const regdiff__late_entry *was = regdiff__snapshot_late(before, sw);
	CHECK(was && regdiff__snapshot_late(after, sw));
	int rc;
	char *honest = cu_diff_text(before, after, 0, &rc);
	CHECK(rc == REGDIFF_ITEROVER && honest[0] != '\0');
	free(honest);
	regdiff_snapshot_free(after);

	for (int forge_name = 0; was && forge_name <= 1; forge_name++) {
		cu_unpacked u;
		cu_unpack(f2.data, f2.len, &u);
		int found = 0;
		for (size_t i = 0; i < u.ntlvs; i++) {
			uint8_t *e = u.tlvs[i].bytes.data;
			if (u.tlvs[i].tag != RDS_TLV_KEY || regdiff__get_u64(e) != sw)
				continue;
			found = 1;
			if (forge_name)
				e[8 + RDS_KEY_FIXED] = 'Z';
			else
				memcpy(e + 8 + RDS_KEY_DIGESTS, was->subtree_hash.b,
				       RDS_DIGEST_SIZE);
		}
		CHECK(found);
		regdiff__buf forged = {0};
		cu_pack(&u, &forged);
		cu_unpacked_free(&u);
		regdiff_snapshot *f = NULL;
		rc = regdiff_snapshot_open_memory(&f, forged.data, forged.len);
		if (!forge_name) {
			CHECK_RC(rc, REGDIFF_EFORMAT);
			CHECK(strstr(regdiff_error_message(), "key index entry holds a summary"));
		} else {
			CHECK_RC(rc, 0);
			char *got = f ? cu_diff_text(before, f, 0, &rc) : NULL;
			CHECK(got && (rc != REGDIFF_ITEROVER || got[0] != '\0'));
			free(got);
		}
		regdiff_snapshot_free(f);
		regdiff__buf_free(&forged);
	}
	regdiff_snapshot_free(before);
	regdiff__buf_free(&f1);
	regdiff__buf_free(&f2);
	cu_tree_free(&t1);
	cu_tree_free(&t2);
}

/* ---- through the public shot API, to a real file ---- */

static void test_shot(void)
{
	/* Two sources as a tree each; the snapshot must hold exactly this,
	 * mount parents as synthetic keys. */
	cu_tree want = {0};
	cu_parse(&want, "HKLM !synthetic\n"
			"  SOFTWARE @11 !mount\n"
			"    = sz s:dflt\n"
			"    =a dword d:1\n"
			"    =B binary x:ff\n"
			"    Classes @12\n"
			"      .txt @13\n"
			"        = sz s:txtfile\n"
			"    microsoft @14\n"
			"    Zeta @15\n"
			"  SYSTEM @21 !mount\n"
			"    Select @22\n"
			"      =Current dword d:1\n");
	size_t software = cu_find(&want, "HKLM\\SOFTWARE");
	size_t system = cu_find(&want, "HKLM\\SYSTEM");
	regdiff_source *src[2] = {NULL, NULL};
	/* Given out of order: the shot sorts them by mount. */
	CHECK_RC(cu_source(&src[0], &want, system, "HKEY_LOCAL_MACHINE\\SYSTEM", "sys.hiv"), 0);
	CHECK_RC(cu_source(&src[1], &want, software, "HKLM\\SOFTWARE", "soft.hiv"), 0);
	regdiff_shot_options o = REGDIFF_SHOT_OPTIONS_INIT;
	o.user = "bob";
	const char *path = "test_snapshot_shot.rds";
	remove(path);
	CHECK_RC(regdiff_shot_to_file(NULL, path, src, 2, &o), 0);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open(&s, path), 0);
	if (s) {
		CHECK(cu_check_records(s, &want) == 0);
		CHECK_RC(regdiff_snapshot_verify(s), 0);
		regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
		CHECK_RC(regdiff_snapshot_get_info(&info, s), 0);
		CHECK(starts_with(info.producer, "regdiff " REGDIFF_VERSION_STRING " ("));
		CHECK(strcmp(info.computer, "TREEPC") == 0);
		CHECK(strcmp(info.user, "bob") == 0);
		CHECK(info.time > INT64_C(130000000000000000));
		CHECK_U64(info.keys, 7);
		CHECK_U64(info.values, 5);
		CHECK_U64(info.sources, 2);
		regdiff_snapshot_source ss = REGDIFF_SNAPSHOT_SOURCE_INIT;
		CHECK_RC(regdiff_snapshot_get_source(&ss, s, 0), 0);
		CHECK(strcmp(ss.mount, "HKLM\\SOFTWARE") == 0 && ss.kind == REGDIFF_KIND_HIVE &&
		      strcmp(ss.location, "soft.hiv") == 0);
		CHECK_RC(regdiff_snapshot_get_source(&ss, s, 1), 0);
		CHECK(strcmp(ss.mount, "HKLM\\SYSTEM") == 0 && strcmp(ss.location, "sys.hiv") == 0);
	}
	regdiff_snapshot_free(s);

	/* The same in memory and as an opened temporary: same records. */
	void *mem = NULL;
	size_t len = 0;
	CHECK_RC(regdiff_shot_to_memory(&mem, &len, src, 2, NULL), 0);
	s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, mem, len), 0);
	if (s)
		CHECK(cu_check_records(s, &want) == 0);
	regdiff_snapshot_free(s);
	regdiff_free(mem);
	s = NULL;
	CHECK_RC(regdiff_shot_take(&s, src, 2, NULL), 0);
	if (s)
		CHECK(cu_check_records(s, &want) == 0);
	regdiff_snapshot_free(s);

	/* Overlapping mounts are refused and leave the earlier file. */
	regdiff_source *over[2] = {src[1], NULL};
	CHECK_RC(cu_source(&over[1], &want, software + 1, "HKLM\\SOFTWARE\\Classes", "x"), 0);
	CHECK_RC(regdiff_shot_to_file(NULL, path, over, 2, NULL), REGDIFF_EINVAL);
	s = NULL;
	CHECK_RC(regdiff_snapshot_open(&s, path), 0);
	regdiff_snapshot_free(s);
	regdiff_source_free(over[1]);

	remove(path);
	regdiff_source_free(src[0]);
	regdiff_source_free(src[1]);
	cu_tree_free(&want);
}

/* The tree described in text (mounted at TX) into *t, shot through the
 * walker from a source over it (*src, freed by the caller). */
static regdiff_snapshot *shot_of_text(regdiff__buf *text, cu_tree *t, regdiff_source **src)
{
	regdiff__buf_putc(text, 0);
	cu_parse(t, (const char *)text->data);
	CHECK_RC(cu_source(src, t, 0, "TX", "t"), 0);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_shot_take(&s, src, 1, NULL), 0);
	return s;
}

/* A problem's path over 1024 units keeps its first 256 and last 768, and
 * never half of a surrogate pair: here the first cut falls after a high
 * surrogate and the second before a low one, so each moves by one. */
static void test_long_problem_path(void)
{
	enum { EMOJI = 700 }; /* U+1F600, two units each */
	regdiff__buf d = {0}, want = {0};
	regdiff__buf_printf(&d, "TX @1 !mount\n  ");
	for (int i = 0; i < EMOJI; i++)
		regdiff__buf_printf(&d, "%%D83D%%DE00");
	regdiff__buf_printf(&d, " @2\n    =vv binary x:00 !unreadable\n");
	cu_tree t = {0};
	regdiff_source *src = NULL;
	regdiff_snapshot *s = shot_of_text(&d, &t, &src);
	/* "TX\" is 3 units, so unit 255 is a high surrogate: the head keeps
	 * 255 units (126 emoji); the path is 3 + 1400 + 3 units, unit 638 a
	 * low surrogate: the tail starts at 639 (382 emoji, then "\vv"). */
	regdiff__buf_printf(&want, "TX\\");
	for (int i = 0; i < 126; i++)
		regdiff__buf_printf(&want, "\xf0\x9f\x98\x80");
	regdiff__buf_printf(&want, "[... 384 characters left out ...]");
	for (int i = 0; i < 382; i++)
		regdiff__buf_printf(&want, "\xf0\x9f\x98\x80");
	regdiff__buf_printf(&want, "\\vv");
	regdiff__buf_putc(&want, 0);
	const char *path = NULL, *what = NULL;
	CHECK(s && regdiff_snapshot_problems_kept(s) == 1);
	if (s && regdiff_snapshot_problems_kept(s) == 1) {
		CHECK_RC(regdiff_snapshot_get_problem(&path, &what, s, 0), 0);
		CHECK_TEXT(path, (const char *)want.data);
		CHECK_TEXT(what, "value data not read: test value unreadable");
	}
	regdiff_snapshot_free(s);
	regdiff_source_free(src);
	cu_tree_free(&t);
	regdiff__buf_free(&d);
	regdiff__buf_free(&want);
}

/* Keys with the empty name, at the top and below it (only a crafted file
 * has them); under UBSan this also checks that an empty name read before
 * any other passes no NULL to memcpy. */
static void test_empty_names(void)
{
	regdiff__buf file = {0};
	cu_tree t = {0};
	cu_parse(&t, "%. @1\n"
		     "  = sz\n"
		     "  %. @2\n");
	regdiff_snapshot *s = cu_snapshot(&t, &file);
	CHECK(cu_check_records(s, &t) == 0);
	CHECK_RC(regdiff_snapshot_verify(s), 0);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	cu_tree_free(&t);
}

/* Siblings equal but for case, or out of order, which regdiff never
 * writes: the reader refuses them, so no diff reports one path both added
 * and modified. Written straight to the writer, which takes any order. */
static void sibling_case(const char *const names[2], int values, const char *want)
{
	regdiff__writer *w;
	regdiff__buf out = {0};
	CHECK_RC(regdiff__writer_new(&w, tu_buf_write, &out, "(s)", 1), 0);
	const uint16_t root[] = {'R'};
	uint16_t n[2][4];
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 4; j++)
			n[i][j] = (uint16_t)names[i][j];
	CHECK_RC(
	    regdiff__writer_key_begin(w, root, 1, 0, values ? 2 : 0, values ? 0 : 2, RDS_KEY_MOUNT),
	    0);
	for (int i = 0; i < 2; i++) {
		if (values) {
			CHECK_RC(regdiff__writer_value(w, n[i], 4, REGDIFF_REG_DWORD,
						       (const uint8_t *)"\1\0\0\0", 4, 0),
				 0);
		} else {
			CHECK_RC(regdiff__writer_key_begin(w, n[i], 4, 0, 0, 0, 0), 0);
			CHECK_RC(regdiff__writer_key_end(w), 0);
		}
	}
	CHECK_RC(regdiff__writer_key_end(w), 0);
	CHECK_RC(regdiff__writer_finish(w, &cu_default_meta), 0);
	regdiff__writer_free(w);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, out.data, out.len), 0);
	cu_read r;
	cu_read_all(s, &r);
	CHECK_RC(r.rc, REGDIFF_EFORMAT);
	CHECK_TEXT(regdiff_error_message(), want);
	cu_read_free(&r);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&out);
}

static void test_sibling_order(void)
{
	static const char *const dup[2] = {"SAME", "Same"}, *const back[2] = {"Zeta", "Beta"};
	sibling_case(
	    dup, 0,
	    "(memory): corrupt snapshot (sibling keys out of order or equal but for case at "
	    "record 2)");
	sibling_case(
	    back, 0,
	    "(memory): corrupt snapshot (sibling keys out of order or equal but for case at "
	    "record 2)");
	sibling_case(
	    dup, 1,
	    "(memory): corrupt snapshot (values out of order or equal but for case at record "
	    "2)");
	sibling_case(
	    back, 1,
	    "(memory): corrupt snapshot (values out of order or equal but for case at record "
	    "2)");
}

/* The walker's canonical order from listings in reverse (cu_source's):
 * a key with a few values (sorted in place) and one with many (qsort). */
static void test_walk_order(void)
{
	static const char *const few[] = {"", "A", "b", "C", "y", "Z", "_x"};
	regdiff__buf d = {0}, want = {0}, got = {0};
	regdiff__buf_printf(&d, "TX @1 !mount\n  F @2\n");
	regdiff__buf_printf(&want, "TX,F,");
	for (size_t i = 0; i < sizeof few / sizeof *few; i++) {
		regdiff__buf_printf(&d, "    =%s dword d:%zu\n", few[i], i);
		regdiff__buf_printf(&want, "%s,", few[i]);
	}
	regdiff__buf_printf(&d, "  M @3\n");
	regdiff__buf_printf(&want, "M,");
	for (unsigned i = 0; i < 40; i++) {
		regdiff__buf_printf(&d, "    =n%02u dword d:%u\n", i, i);
		regdiff__buf_printf(&want, "n%02u,", i);
	}
	cu_tree t = {0};
	regdiff_source *src = NULL;
	regdiff_snapshot *s = shot_of_text(&d, &t, &src);
	cu_read r = {0};
	if (s)
		cu_read_all(s, &r);
	CHECK_U64(r.n, 1 + 1 + 7 + 1 + 40);
	for (size_t i = 0; i < r.n; i++) {
		cu_text_units(&got, r.names[i], r.recs[i].name_len);
		regdiff__buf_putc(&got, ',');
	}
	CHECK_BYTES("order", got.data, got.len, want.data, want.len);
	cu_read_free(&r);
	regdiff_snapshot_free(s);
	regdiff_source_free(src);
	cu_tree_free(&t);
	regdiff__buf_free(&d);
	regdiff__buf_free(&got);
	regdiff__buf_free(&want);
}

int main(void)
{
	test_round_trip();
	test_metadata();
	test_log_replay_meta();
	test_edge_trees();
	test_multi_block();
	test_hashes();
	test_truncation();
	test_bit_flips();
	test_header_fields();
	test_digests(&v5_summaries);
	test_digests(&v4_summaries);
	test_crafted();
	test_forged_index();
	test_shot();
	test_long_problem_path();
	test_empty_names();
	test_sibling_order();
	test_walk_order();
	return tu_result("test_snapshot");
}

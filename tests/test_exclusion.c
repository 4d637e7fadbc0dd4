/* Shot exclusions in the snapshot (lib/exclusion.c): the footer entry
 * written and read back, the counts the walker's test keeps, and the
 * entries a reader refuses (exact messages). The shot, the compare and
 * every report format are tested end to end in tests/cli/shot_exclude.sh. */
#include <string.h>

#include "exclusion.h"
#include "snapshot_format.h"
#include "snapshot_internal.h"
#include "test_util.h"

/* A snapshot of one empty key HKLM\T whose footer ends with extra. */
static void write_snapshot(regdiff__buf *out, const regdiff__buf *extra)
{
	static const regdiff__meta meta = {"test", 0, "", "", NULL, -1, 0, NULL, NULL, NULL, NULL};
	regdiff__writer *w;
	const uint16_t root[] = {'T'};
	CHECK_RC(regdiff__writer_new(&w, tu_buf_write, out, "(s)", 1), 0);
	regdiff__writer_set_extra(w, extra);
	CHECK_RC(regdiff__writer_key_begin(w, root, 1, 0, 0, 0, RDS_KEY_MOUNT), 0);
	CHECK_RC(regdiff__writer_key_end(w), 0);
	CHECK_RC(regdiff__writer_finish(w, &meta), 0);
	regdiff__writer_free(w);
}

static void test_round_trip(void)
{
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE,
				     "HKLM\\SYSTEM\\ControlSet001\\Services\\**", "--exclude"),
		 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKLM\\SYSTEM\\Acme\\*", "r:2"), 0);
	regdiff__exclusions x;
	CHECK_RC(regdiff__exclusions_init(&x, f), 0);
	regdiff_name svc = NM(u"HKLM\\SYSTEM\\ControlSet001\\Services"),
		     acme = NM(u"HKLM\\SYSTEM\\Acme\\Cache"), other = NM(u"HKLM\\SYSTEM\\Acme");
	CHECK(regdiff__exclusions_skip(&x, svc.units, svc.len));
	CHECK(regdiff__exclusions_skip(&x, acme.units, acme.len));
	CHECK(regdiff__exclusions_skip(&x, acme.units, acme.len));
	CHECK(!regdiff__exclusions_skip(&x, other.units, other.len));
	regdiff__buf extra = {0}, file = {0};
	CHECK_RC(regdiff__exclusions_footer(&x, &extra), 0);
	write_snapshot(&file, &extra);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, file.data, file.len), 0);
	regdiff_snapshot_exclusion e = REGDIFF_SNAPSHOT_EXCLUSION_INIT;
	CHECK_RC(regdiff_snapshot_get_exclusion(&e, s, 0), 0);
	CHECK(strcmp(e.rule, "HKLM\\SYSTEM\\ControlSet001\\Services\\**") == 0);
	CHECK(strcmp(e.origin, "--exclude") == 0);
	CHECK(e.subtrees == 1 && e.persistence == 1);
	/* Every location below Services, in the order the table's tree
	 * holds them. */
	CHECK(strcmp(e.categories, "rdp, dns, dhcp, ntds, winsock, time-provider, service, "
				   "network-provider") == 0);
	CHECK_RC(regdiff_snapshot_get_exclusion(&e, s, 1), 0);
	CHECK(strcmp(e.rule, "HKLM\\SYSTEM\\Acme\\*") == 0 && strcmp(e.origin, "r:2") == 0);
	CHECK(e.subtrees == 2 && e.persistence == 0 && strcmp(e.categories, "") == 0);
	CHECK_RC(regdiff_snapshot_get_exclusion(&e, s, 2), REGDIFF_ITEROVER);
	e.version = 99;
	CHECK_RC(regdiff_snapshot_get_exclusion(&e, s, 0), REGDIFF_EINVAL);
	/* The diff's question, on either side. */
	CHECK(regdiff__excludes(s, s));
	CHECK(regdiff__excluded_sides(s, s, acme.units, acme.len) ==
	      (REGDIFF_NOT_READ_BEFORE | REGDIFF_NOT_READ_AFTER));
	CHECK(regdiff__excluded_sides(s, s, other.units, other.len) == 0);
	regdiff_snapshot_free(s);
	regdiff__exclusions_fini(&x);
	regdiff_filters_free(f);
	regdiff__buf_free(&extra);
	regdiff__buf_free(&file);
}

/* One footer entry of tag 34 made of fixed fields and then text. */
static void entry(regdiff__buf *b, const char *text, size_t len, size_t fixed)
{
	uint8_t h[6 + RDS_TLV_EXCLUSION_FIXED] = {0};
	regdiff__put_u16(h, RDS_TLV_EXCLUSION);
	regdiff__put_u32(h + 2, (uint32_t)(fixed + len));
	b->len = 0;
	CHECK_RC(regdiff__buf_append(b, h, 6 + fixed), 0);
	CHECK_RC(regdiff__buf_append(b, text, len), 0);
}

static void test_refused(void)
{
	static const struct {
		const char *text;
		size_t len, fixed;
		const char *message;
	} cases[] = {
	    {"", 0, 8, "(memory): corrupt snapshot (bad exclusion entry)"},
	    {"HKLM\\A", 6, 16, "(memory): corrupt snapshot (bad exclusion entry)"},
	    {"HKLM\\A\0o", 8, 16, "(memory): corrupt snapshot (bad exclusion entry)"},
	    {"HKLM\\A\0o\0bad\x01", 13, 16, "(memory): corrupt snapshot (bad exclusion entry)"},
	    {"**\\Run\0o\0", 9, 16,
	     "(memory): exclusion rule not understood: filter rule '**\\Run': a rule starts "
	     "with a root written out (HKLM, HKU, HKCU, HKCC): a rule without one would match a "
	     "name anywhere"},
	    {"HKLM\\A\0o\0", 9, 16, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		regdiff__buf extra = {0}, file = {0};
		entry(&extra, cases[i].text, cases[i].len, cases[i].fixed);
		write_snapshot(&file, &extra);
		regdiff_snapshot *s = NULL;
		int rc = regdiff_snapshot_open_memory(&s, file.data, file.len);
		CHECK_RC(rc, cases[i].message ? REGDIFF_EFORMAT : 0);
		if (cases[i].message && strcmp(regdiff_error_message(), cases[i].message) != 0) {
			fprintf(stderr, "case %zu: got '%s'\n", i, regdiff_error_message());
			tu_failures++;
		}
		CHECK(cases[i].message ? s == NULL : s != NULL);
		regdiff_snapshot_free(s);
		regdiff__buf_free(&extra);
		regdiff__buf_free(&file);
	}
}

int main(void)
{
	test_round_trip();
	test_refused();
	tu_arena_free();
	return tu_result("test_exclusion");
}

/* Filter sets (include/regdiff/filter.h): the rule grammar and what it
 * refuses, the matcher (wildcards, value rules, kinds, include beats
 * exclude, the persistence guard), rules files and their file:line
 * errors, the noise profile, and the counts per rule in every report
 * format. */
#include <string.h>

#include "filter_internal.h"
#include "report_internal.h"
#include "test_util.h"

static const regdiff_persistence run_tag = {"run", "T1547.001", "{U}\\...\\Run"};

static regdiff_change change(regdiff_op op, regdiff_name key, regdiff_name value)
{
	regdiff_change c = {.op = op, .key = key, .value = value};
	c.old_data = RAW(REGDIFF_REG_BINARY, "\x01");
	c.new_data = RAW(REGDIFF_REG_BINARY, "\x02");
	return c;
}

/* The verdict of the rules (one per line of text) for c, and the index
 * of the exclude rule that matched. */
static int verdict(const char *text, const regdiff_change *c, size_t *rule)
{
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	CHECK_RC(regdiff_filters_parse(f, text, strlen(text), "t"), 0);
	int v = regdiff_filters_match(rule, f, c);
	regdiff_filters_free(f);
	return v;
}

#define KEEP REGDIFF_FILTER_KEEP
#define REMOVE REGDIFF_FILTER_REMOVE
#define MARKED REGDIFF_FILTER_KEEP_MARKED

static void test_wildcards(void)
{
	regdiff_change ua =
	    change(REGDIFF_VALUE_MODIFIED,
		   NM(u"HKU\\S-1-5-21-9\\Software\\Microsoft\\Windows\\CurrentVersion\\"
		      u"Explorer\\UserAssist\\{CEBFF5CD}\\Count"),
		   NM(u"HRZR_PGYFRFFVBA"));
	size_t rule;
	CHECK_RC(verdict("exclude HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\"
			 "UserAssist\\**",
			 &ua, &rule),
		 REMOVE);
	CHECK_U64(rule, 0);
	/* Case does not matter; '*' is one name, not two. */
	CHECK_RC(verdict("exclude hku\\*\\SOFTWARE\\microsoft\\windows\\currentversion\\explorer\\"
			 "userassist\\*\\count",
			 &ua, NULL),
		 REMOVE);
	CHECK_RC(verdict("exclude HKU\\*\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\"
			 "UserAssist\\*",
			 &ua, NULL),
		 KEEP);
	/* '*' inside a name; '**' matches no name too. */
	CHECK_RC(verdict("exclude HKU\\S-1-5-*\\Software\\**", &ua, NULL), REMOVE);
	CHECK_RC(verdict("exclude HKU\\S-1-6-*\\Software\\**", &ua, NULL), KEEP);
	CHECK_RC(verdict("exclude HKU\\*\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\"
			 "UserAssist\\{CEBFF5CD}\\Count\\**",
			 &ua, NULL),
		 REMOVE);
	/* A rule names a key, not its parent. */
	CHECK_RC(verdict("exclude HKU\\*\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer",
			 &ua, NULL),
		 KEEP);
	/* A name holding a '\' is one name (key_ends), never two. */
	uint16_t k[] = {'H', 'K', 'U', '\\', 'a', '\\', 'b'};
	size_t ends[] = {3, 7};
	regdiff_change odd = change(REGDIFF_KEY_ADDED, NMA(k), NM(u""));
	odd.key_ends = ends;
	odd.key_count = 2;
	CHECK_RC(verdict("exclude HKU\\a\\b", &odd, NULL), KEEP);
	CHECK_RC(verdict("exclude HKU\\*", &odd, NULL), REMOVE);
	odd.key_count = 0; /* split at every '\' */
	CHECK_RC(verdict("exclude HKU\\a\\b", &odd, NULL), REMOVE);
}

static void test_values_and_kinds(void)
{
	regdiff_change seed =
	    change(REGDIFF_VALUE_MODIFIED, NM(u"HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG"),
		   NM(u"Seed"));
	regdiff_change key =
	    change(REGDIFF_KEY_ADDED, NM(u"HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG"), NM(u""));
	regdiff_change dflt = change(REGDIFF_VALUE_ADDED,
				     NM(u"HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG"), NM(u""));
	const char *seed_rule = "exclude HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG:Seed";
	CHECK_RC(verdict(seed_rule, &seed, NULL), REMOVE);
	CHECK_RC(verdict(seed_rule, &key, NULL), KEEP);
	CHECK_RC(verdict(seed_rule, &dflt, NULL), KEEP);
	CHECK_RC(
	    verdict("exclude HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG:(default)", &dflt, NULL),
	    REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG:S*d", &seed, NULL),
		 REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG:*x*", &seed, NULL),
		 KEEP);
	/* Without a value the rule covers the key and its values. */
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG", &seed, NULL),
		 REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG", &key, NULL),
		 REMOVE);
	/* Kinds. */
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\** modified", &seed, NULL), REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\** added", &seed, NULL), KEEP);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\** key-added,value-deleted", &key, NULL), REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\** key-added,value-deleted", &seed, NULL), KEEP);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG:Seed value-modified",
			 &seed, NULL),
		 REMOVE);
	/* A last word that is no kind is part of the key. */
	regdiff_change nt =
	    change(REGDIFF_KEY_ADDED, NM(u"HKLM\\SOFTWARE\\Microsoft\\Windows NT"), NM(u""));
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\Microsoft\\Windows NT", &nt, NULL), REMOVE);
	/* Not compared is never filtered. */
	regdiff_change nc = change(REGDIFF_NOT_COMPARED, NM(u"HKLM\\SOFTWARE\\X"), NM(u""));
	nc.not_read = REGDIFF_NOT_READ_BEFORE | REGDIFF_NOT_READ_VALUES;
	CHECK_RC(verdict("exclude HKLM\\**", &nc, NULL), KEEP);
}

static void test_include_and_guard(void)
{
	regdiff_change run = change(
	    REGDIFF_VALUE_ADDED,
	    NM(u"HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"), NM(u"Backdoor"));
	regdiff_change other =
	    change(REGDIFF_VALUE_ADDED, NM(u"HKU\\alice\\Software\\Acme"), NM(u"X"));
	size_t rule = 7;
	/* Include beats exclude, whatever their order. */
	CHECK_RC(verdict("exclude HKU\\**\ninclude HKU\\alice\\Software\\Acme", &other, &rule),
		 KEEP);
	CHECK_U64(rule, SIZE_MAX);
	CHECK_RC(verdict("include HKU\\alice\\Software\\Acme\nexclude HKU\\**", &other, NULL),
		 KEEP);
	CHECK_RC(verdict("include HKU\\alice\\Software\\Other\nexclude HKU\\**", &other, &rule),
		 REMOVE);
	CHECK_U64(rule, 1);
	/* The first exclude rule that fits is the one counted. */
	CHECK_RC(verdict("exclude HKU\\alice\\**\nexclude HKU\\**", &other, &rule), REMOVE);
	CHECK_U64(rule, 0);
	/* At a persistence location: never removed, marked. */
	run.persistence = &run_tag;
	CHECK_RC(verdict("exclude HKU\\**", &run, &rule), MARKED);
	CHECK_U64(rule, 0);
	regdiff_filters *noise = NULL;
	CHECK_RC(regdiff_filters_new(&noise, REGDIFF_FILTERS_NOISE), 0);
	CHECK_RC(regdiff_filters_add(noise, REGDIFF_FILTER_EXCLUDE, "HKU\\**", "--exclude"), 0);
	CHECK_RC(regdiff_filters_match(NULL, noise, &run), MARKED);
	regdiff_filters_free(noise);
}

/* A bad rule: refused with exactly this message. */
static void refused(const char *rule, const char *message)
{
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, rule, NULL), REGDIFF_EINVAL);
	if (strcmp(regdiff_error_message(), message) != 0) {
		fprintf(stderr, "refused '%s': got '%s'\n", rule, regdiff_error_message());
		tu_failures++;
	}
	CHECK_U64(regdiff_filters_count(f), 0);
	regdiff_filters_free(f);
}

static void test_refused(void)
{
	const char *anywhere = "a rule starts with a root written out (HKLM, HKU, HKCU, HKCC): a "
			       "rule without one would match a name anywhere";
	char want[512];
	const char *bare[] = {"**\\Run", "*\\Software", "Run", "HK*\\Software"};
	for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
		snprintf(want, sizeof want, "filter rule '%s': %s", bare[i], anywhere);
		refused(bare[i], want);
	}
	refused("HKLM\\**\\Run", "filter rule 'HKLM\\**\\Run': '**' right after the root, followed "
				 "by more names, would match a name anywhere in the root: name the "
				 "keys above it");
	refused("HKCU\\**\\Run", "filter rule 'HKCU\\**\\Run': '**' right after the root, followed "
				 "by more names, would match a name anywhere in the root: name the "
				 "keys above it");
	refused("HKCR\\CLSID", "filter rule 'HKCR\\CLSID': HKCR is a merged view: write "
			       "HKLM\\SOFTWARE\\Classes or HKU\\*_Classes");
	refused("HKLM\\\\SOFTWARE", "filter rule 'HKLM\\\\SOFTWARE': an empty name (a doubled, "
				    "leading or trailing '\\')");
	refused("HKLM\\SOFTWARE\\", "filter rule 'HKLM\\SOFTWARE\\': an empty name (a doubled, "
				    "leading or trailing '\\')");
	refused("HKLM\\X:",
		"filter rule 'HKLM\\X:': an empty value name after ':' (write (default) "
		"for the unnamed value)");
	refused("HKLM\\X:V key-added", "filter rule 'HKLM\\X:V key-added': a value rule with only "
				       "key kinds");
	refused("  ", "filter rule '  ': an empty rule");
	/* A whole root is allowed, and so is ** deeper down. */
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKLM\\**", NULL), 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKLM\\SOFTWARE\\**\\Foo", NULL),
		 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKEY_USERS\\*\\**", NULL), 0);
	CHECK_U64(regdiff_filters_count(f), 3);
	regdiff_filters_free(f);
}

static void test_files(void)
{
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	const char *good = "\xEF\xBB\xBF# lab noise\r\n\r\n  exclude HKLM\\SOFTWARE\\Acme\\**  \r\n"
			   "include HKLM\\SOFTWARE\\Acme\\Keep\n";
	CHECK_RC(regdiff_filters_parse(f, good, strlen(good), "lab.rules"), 0);
	CHECK_U64(regdiff_filters_count(f), 2);
	const regdiff_filter_info *i0 = regdiff_filters_get(f, 0), *i1 = regdiff_filters_get(f, 1);
	CHECK(i0 && strcmp(i0->rule, "HKLM\\SOFTWARE\\Acme\\**") == 0);
	CHECK(i0 && strcmp(i0->origin, "lab.rules:3") == 0 && i0->action == REGDIFF_FILTER_EXCLUDE);
	CHECK(i1 && strcmp(i1->origin, "lab.rules:4") == 0 && i1->action == REGDIFF_FILTER_INCLUDE);
	CHECK(regdiff_filters_get(f, 2) == NULL);
	/* A bad line: file and line, and nothing of the file added. */
	const char *bad = "exclude HKLM\\A\nexclude HKLM\\B\n# c\nhide HKLM\\C\n";
	CHECK_RC(regdiff_filters_parse(f, bad, strlen(bad), "bad.rules"), REGDIFF_EINVAL);
	CHECK(strcmp(regdiff_error_message(),
		     "bad.rules:4: a line is 'exclude RULE' or 'include RULE'") == 0);
	const char *bad2 = "exclude HKLM\\A\n\nexclude **\\Run\n";
	CHECK_RC(regdiff_filters_parse(f, bad2, strlen(bad2), "bad2.rules"), REGDIFF_EINVAL);
	CHECK(
	    strcmp(regdiff_error_message(),
		   "bad2.rules:3: a rule starts with a root written out (HKLM, HKU, HKCU, HKCC): a "
		   "rule without one would match a name anywhere") == 0);
	CHECK_U64(regdiff_filters_count(f), 2);
	CHECK_RC(regdiff_filters_load(f, "no/such/file.rules"), REGDIFF_ENOTFOUND);
	CHECK(strstr(regdiff_error_message(), "no/such/file.rules") != NULL);
	regdiff_filters_free(f);
}

static void test_profile(void)
{
	CHECK(strcmp(regdiff_noise_profile_version(), "2026.11") == 0);
	CHECK_U64(regdiff_noise_profile_count(), 58);
	CHECK(regdiff_noise_profile_get(58) == NULL);
	for (size_t i = 0; i < regdiff_noise_profile_count(); i++) {
		const regdiff_filter_info *e = regdiff_noise_profile_get(i);
		CHECK(e->action == REGDIFF_FILTER_EXCLUDE && e->reason[0] && e->windows[0]);
		CHECK(strcmp(e->origin, "noise") == 0 || strcmp(e->origin, "regdiff's own") == 0);
	}
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, REGDIFF_FILTERS_NOISE), 0);
	CHECK_U64(regdiff_filters_count(f), 58);
	CHECK(regdiff_filters_noise(f));
	/* regdiff's own traces are told apart from the same kind of noise. */
	regdiff_change own =
	    change(REGDIFF_VALUE_ADDED,
		   NM(u"HKU\\S-1-5-21-9_Classes\\Local Settings\\Software\\Microsoft\\"
		      u"Windows\\Shell\\MuiCache"),
		   NM(u"C:\\Tools\\REGDIFF.EXE.FriendlyAppName"));
	size_t rule;
	CHECK_RC(regdiff_filters_match(&rule, f, &own), REMOVE);
	CHECK(strcmp(regdiff_filters_get(f, rule)->origin, "regdiff's own") == 0);
	own.value = NM(u"C:\\Tools\\sample.exe.FriendlyAppName");
	CHECK_RC(regdiff_filters_match(&rule, f, &own), REMOVE);
	CHECK(strcmp(regdiff_filters_get(f, rule)->origin, "noise") == 0);
	/* A task's definition is not noise; its last run time is. */
	regdiff_change task =
	    change(REGDIFF_VALUE_MODIFIED,
		   NM(u"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\"
		      u"TaskCache\\Tasks\\{A}"),
		   NM(u"DynamicInfo"));
	CHECK_RC(regdiff_filters_match(NULL, f, &task), REMOVE);
	task.op = REGDIFF_VALUE_ADDED;
	CHECK_RC(regdiff_filters_match(NULL, f, &task), KEEP);
	task.op = REGDIFF_VALUE_MODIFIED;
	task.value = NM(u"Actions");
	CHECK_RC(regdiff_filters_match(NULL, f, &task), KEEP);
	regdiff_filters_free(f);
	CHECK_RC(regdiff_filters_new(&f, 4), REGDIFF_EINVAL);
	CHECK(f == NULL);
}

/* Counts per rule, and the marks, in every format. */
static void test_reports(void)
{
	regdiff_change v[] = {
	    change(REGDIFF_VALUE_ADDED, NM(u"HKLM\\SOFTWARE\\Acme"), NM(u"A")),
	    change(REGDIFF_VALUE_ADDED, NM(u"HKLM\\SOFTWARE\\Acme"), NM(u"B")),
	    change(REGDIFF_VALUE_ADDED,
		   NM(u"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"), NM(u"Evil")),
	};
	v[0].new_data = v[1].new_data = v[2].new_data = RAW(REGDIFF_REG_DWORD, "\x01\x00\x00\x00");
	v[2].persistence = &run_tag;
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKLM\\SOFTWARE\\**", "--exclude"),
		 0);
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.filters = f;
	o.flags = REGDIFF_REPORT_SHOW_FILTERED;
	static const char *const want[] = {
	    /* TXT */
	    "regdiff " REGDIFF_VERSION_STRING "\nComments: \n"
	    "Datetime: 1601-01-01 00:00:00, 1601-01-01 00:00:00\nComputer: , \nUsername: , \n"
	    "Noise profile: none\n"
	    "Filters: 1 rules, 2 changes removed, 1 kept at persistence locations\n"
	    "Filter: HKLM\\SOFTWARE\\** (--exclude): 2 removed, 1 kept\n"
	    "\n----------------------------------\nPersistence: 1\n"
	    "----------------------------------\n"
	    "[run T1547.001, matched filter HKLM\\SOFTWARE\\**] value added: "
	    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Evil: 0x00000001\n"
	    "\n----------------------------------\nValues added: 1\n"
	    "----------------------------------\n"
	    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Evil: 0x00000001 "
	    "[persistence: run T1547.001, matched filter HKLM\\SOFTWARE\\**]\n"
	    "\n----------------------------------\nFiltered: 2\n"
	    "----------------------------------\n"
	    "[filtered by HKLM\\SOFTWARE\\**] value added: HKLM\\SOFTWARE\\Acme\\A: 0x00000001\n"
	    "[filtered by HKLM\\SOFTWARE\\**] value added: HKLM\\SOFTWARE\\Acme\\B: 0x00000001\n"
	    "\n----------------------------------\nTotal changes: 1\n"
	    "----------------------------------\n",
	    /* JSON lines */
	    "{\"op\":\"value_added\",\"key\":\"HKLM\\\\SOFTWARE\\\\Acme\",\"value\":\"A\",\"type\":"
	    "\"REG_DWORD\",\"data\":1,\"data_hex\":\"01000000\",\"filter\":{\"removed\":true,"
	    "\"rule\":\"HKLM\\\\SOFTWARE\\\\**\"}}\n"
	    "{\"op\":\"value_added\",\"key\":\"HKLM\\\\SOFTWARE\\\\Acme\",\"value\":\"B\",\"type\":"
	    "\"REG_DWORD\",\"data\":1,\"data_hex\":\"01000000\",\"filter\":{\"removed\":true,"
	    "\"rule\":\"HKLM\\\\SOFTWARE\\\\**\"}}\n"
	    "{\"op\":\"value_added\",\"key\":\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\"
	    "CurrentVersion\\\\Run\",\"value\":\"Evil\",\"type\":\"REG_DWORD\",\"data\":1,"
	    "\"data_hex\":\"01000000\",\"persistence\":{\"category\":\"run\",\"attack\":"
	    "\"T1547.001\"},\"filter\":{\"removed\":false,\"rule\":\"HKLM\\\\SOFTWARE\\\\**\"}}\n"
	    "{\"meta\":\"filters\",\"noise\":\"none\",\"rules\":1,\"removed\":2,\"kept\":1,"
	    "\"by_rule\":[{\"removed\":2,\"kept\":1,\"rule\":\"HKLM\\\\SOFTWARE\\\\**\","
	    "\"origin\":\"--exclude\",\"reason\":\"\"}]}\n",
	};
	for (int fmt = 0; fmt < 3; fmt++) {
		if (fmt == REGDIFF_REPORT_HTML && !(regdiff_features() & REGDIFF_FEATURE_HTML))
			continue;
		o.format = (regdiff_report_format)fmt;
		tu_iter it = {.v = v, .n = 3};
		tu_sink out = {0};
		regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
		CHECK_RC(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, &out,
					     &counts),
			 0);
		CHECK_U64(counts.total, 1);
		CHECK_U64(counts.persistence, 1);
		CHECK_U64(counts.filtered, 2);
		CHECK_U64(counts.by_op[REGDIFF_VALUE_ADDED], 1);
		if (fmt < 2) {
			CHECK_STR(fmt ? "jsonl" : "txt", &out.got, want[fmt]);
		} else {
			regdiff__buf_putc(&out.got, 0);
			const char *page = (const char *)out.got.data;
			CHECK(strstr(page, "<p id=\"filters\">Noise profile: none</p><p>Filters: 1 "
					   "rules, 2 changes removed, 1 kept at persistence "
					   "locations</p>") != NULL);
			CHECK(strstr(page,
				     "<td>HKLM\\SOFTWARE\\**</td><td>--exclude</td><td></td><td "
				     "class=\"n\">2</td><td class=\"n\">1</td>") != NULL);
			CHECK(strstr(page, "run T1547.001 (matched filter HKLM\\SOFTWARE\\**)") !=
			      NULL);
			CHECK(strstr(page, "<h2>Filtered: 2</h2>") != NULL);
		}
		regdiff__buf_free(&out.got);
	}
	/* Without SHOW_FILTERED the removed are only counted; version 1
	 * options have no filters. */
	o.flags = 0;
	o.format = REGDIFF_REPORT_JSONL;
	tu_iter it = {.v = v, .n = 3};
	tu_sink out = {0};
	CHECK_RC(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, &out, NULL),
		 0);
	regdiff__buf_putc(&out.got, 0);
	CHECK(strstr((const char *)out.got.data, "\"removed\":true") == NULL);
	regdiff__buf_free(&out.got);
	o.version = 1;
	it = (tu_iter){.v = v, .n = 3};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	CHECK_RC(
	    regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, &out, &counts),
	    0);
	CHECK_U64(counts.total, 3);
	CHECK_U64(counts.filtered, 0);
	regdiff__buf_free(&out.got);
	regdiff_filters_free(f);
}

/* A ':' inside a key name is written "\\:" (a bare ':' starts the value
 * part); two backslashes before ':' are a separator, then a name that
 * starts with ':'. */
static void test_escaped_colon(void)
{
	regdiff_change colon = change(REGDIFF_KEY_ADDED, NM(u"HKLM\\SOFTWARE\\C:\\x"), NM(u""));
	regdiff_change lead = change(REGDIFF_KEY_ADDED, NM(u"HKLM\\SOFTWARE\\C\\:x"), NM(u""));
	regdiff_change value =
	    change(REGDIFF_VALUE_ADDED, NM(u"HKLM\\SOFTWARE\\C:\\x"), NM(u"v:w"));
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C\\:\\x", &colon, NULL), REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C\\:\\x", &lead, NULL), KEEP);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\c\\:*\\*", &colon, NULL), REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C\\\\:x", &lead, NULL), REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C\\\\:x", &colon, NULL), KEEP);
	/* The value part starts at the first bare ':' and keeps its own. */
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C\\:\\x:v:w", &value, NULL), REMOVE);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C\\:\\x:v", &value, NULL), KEEP);
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C\\:\\x", &value, NULL), REMOVE);
	/* Unescaped, the same text is a value rule of key HKLM\SOFTWARE\C. */
	CHECK_RC(verdict("exclude HKLM\\SOFTWARE\\C:\\x", &colon, NULL), KEEP);
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKLM\\A\\:", NULL), 0);
	CHECK(strcmp(regdiff_filters_get(f, 0)->rule, "HKLM\\A\\:") == 0);
	regdiff_filters_free(f);
}

/* Rules a shot can apply: exclude rules of keys, nothing else. */
static void test_shot_rules(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
	    {"exclude HKLM\\SYSTEM\\ControlSet001\\Services\\**", NULL},
	    {"exclude HKLM\\SYSTEM\\Select:Current",
	     "shot exclusion 'HKLM\\SYSTEM\\Select:Current' from f:1: a value rule: a shot skips "
	     "whole keys (filter values when comparing)"},
	    {"exclude HKLM\\SYSTEM\\** added",
	     "shot exclusion 'HKLM\\SYSTEM\\** added' from f:1: a rule with change kinds: a shot "
	     "sees keys, not changes"},
	    {"include HKLM\\SYSTEM\\Select",
	     "shot exclusion 'HKLM\\SYSTEM\\Select' from f:1: an include rule cannot bring back "
	     "part of a subtree a shot skips: shots take exclude rules only"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		regdiff_filters *f = NULL;
		CHECK_RC(regdiff_filters_new(&f, 0), 0);
		CHECK_RC(regdiff_filters_parse(f, cases[i].text, strlen(cases[i].text), "f"), 0);
		CHECK_RC(regdiff__filters_shot_check(f), cases[i].message ? REGDIFF_EINVAL : 0);
		CHECK(!cases[i].message || strcmp(regdiff_error_message(), cases[i].message) == 0);
		regdiff_filters_free(f);
	}
	regdiff_filters *f = NULL;
	CHECK_RC(regdiff_filters_new(&f, REGDIFF_FILTERS_NOISE), 0);
	CHECK_RC(regdiff__filters_shot_check(f), REGDIFF_EINVAL);
	CHECK(strcmp(regdiff_error_message(), "shot exclusions: the noise profile filters changes "
					      "when snapshots are compared, not keys when they are "
					      "shot") == 0);
	regdiff_filters_free(f);
	/* The walker's question: a key's whole path, split at each '\\'. */
	CHECK_RC(regdiff_filters_new(&f, 0), 0);
	CHECK_RC(regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKLM\\SYSTEM\\Select", NULL), 0);
	CHECK_RC(
	    regdiff_filters_add(f, REGDIFF_FILTER_EXCLUDE, "HKLM\\SYSTEM\\*\\Services\\**", NULL),
	    0);
	regdiff_name k1 = NM(u"HKLM\\SYSTEM\\select"), k2 = NM(u"HKLM\\SYSTEM\\Select\\x"),
		     k3 = NM(u"HKLM\\SYSTEM\\ControlSet002\\Services"),
		     k4 = NM(u"HKLM\\SYSTEM\\ControlSet002");
	CHECK_U64(regdiff__filters_match_key(f, k1.units, k1.len, NULL, 0), 0);
	CHECK_U64(regdiff__filters_match_key(f, k2.units, k2.len, NULL, 0), SIZE_MAX);
	CHECK_U64(regdiff__filters_match_key(f, k3.units, k3.len, NULL, 0), 1);
	CHECK_U64(regdiff__filters_match_key(f, k4.units, k4.len, NULL, 0), SIZE_MAX);
	regdiff_filters_free(f);
}

int main(void)
{
	test_escaped_colon();
	test_shot_rules();
	test_wildcards();
	test_values_and_kinds();
	test_include_and_guard();
	test_refused();
	test_files();
	test_profile();
	test_reports();
	tu_arena_free();
	return tu_result("test_filter");
}

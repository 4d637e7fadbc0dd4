/* Tests of persistence flagging: the matcher on hand-made changes, user
 * tables, the diff's tags on the persist_* fixture hives mounted as
 * SOFTWARE, SYSTEM, NTUSER.DAT and UsrClass.dat, and how TXT and JSON
 * lines show flagged changes.
 *
 *   test_persistence          run the tests
 *   test_persistence --list   print the fixture diff's changes with their
 *                             tags, in the form of the expected list
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "internal.h"
#include "persistence.h"
#include "report_internal.h"
#include "test_util.h"

#ifndef REGDIFF_TEST_FIXTURE_DIR
#define REGDIFF_TEST_FIXTURE_DIR ""
#endif
#ifndef REGDIFF_TEST_DOCS_DIR
#define REGDIFF_TEST_DOCS_DIR "docs"
#endif

/* A change from UTF-8 key and value names (value NULL: a key op). */
typedef struct made {
	regdiff_change c;
	uint16_t *key, *value;
} made;

static made make(regdiff_op op, const char *key, const char *value)
{
	made m = {0};
	size_t n;
	if (regdiff_name_from_utf8(&m.key, &n, key, strlen(key)) != 0)
		abort();
	m.c.op = op;
	m.c.key = (regdiff_name){m.key, n};
	if (value) {
		if (regdiff_name_from_utf8(&m.value, &n, value, strlen(value)) != 0)
			abort();
		m.c.value = (regdiff_name){m.value, n};
	}
	return m;
}

static void unmake(made *m)
{
	regdiff_free(m->key);
	regdiff_free(m->value);
}

/* The category and technique of change (op, key, value) in locs, as
 * "category technique", or "-". */
static const char *tag_of(const regdiff_locations *locs, regdiff_op op, const char *key,
			  const char *value)
{
	static char out[160];
	made m = make(op, key, value);
	const regdiff_persistence *p = regdiff_locations_match(locs, &m.c);
	if (p)
		snprintf(out, sizeof out, "%s %s", p->category, p->attack);
	else
		snprintf(out, sizeof out, "-");
	unmake(&m);
	return out;
}

#define V REGDIFF_VALUE_ADDED
#define KA REGDIFF_KEY_ADDED
#define KD REGDIFF_KEY_DELETED
#define CV "\\Microsoft\\Windows\\CurrentVersion"
#define NTCV "\\Microsoft\\Windows NT\\CurrentVersion"

static void test_builtin(void)
{
	static const struct {
		regdiff_op op;
		const char *key, *value, *want;
	} cases[] = {
	    /* {SW}, in any case, both views. */
	    {V, "HKLM\\SOFTWARE" CV "\\Run", "Updater", "run T1547.001"},
	    {V, "hklm\\software\\microsoft\\windows\\currentversion\\run", "x", "run T1547.001"},
	    {REGDIFF_VALUE_DELETED, "HKLM\\SOFTWARE" CV "\\Run", "", "run T1547.001"},
	    {REGDIFF_VALUE_MODIFIED, "HKLM\\SOFTWARE\\Wow6432Node" CV "\\Run", "x",
	     "run T1547.001"},
	    /* Next to it, under it, or the key itself with "*": no. */
	    {V, "HKLM\\SOFTWARE" CV "\\RunOnceFoo", "x", "-"},
	    {V, "HKLM\\SOFTWARE" CV "\\Ru", "x", "-"},
	    {V, "HKLM\\SOFTWARE" CV "\\Run\\Sub", "x", "-"},
	    {V, "HKLM\\SOFTWARE" CV, "Run", "-"},
	    {KA, "HKLM\\SOFTWARE" CV "\\Run", NULL, "-"},
	    {REGDIFF_KEY_MODIFIED, "HKLM\\SOFTWARE" CV "\\Run", NULL, "-"},
	    {V, "HKLM\\SOFTWARE\\Wow6432Node\\Wow6432Node" CV "\\Run", "x", "-"},
	    {V, "HKLM\\SYSTEM" CV "\\Run", "x", "-"},
	    /* "**": the key, its subkeys and their values, key ops too. */
	    {KA, "HKLM\\SOFTWARE" CV "\\RunOnce", NULL, "run T1547.001"},
	    {KA, "HKLM\\SOFTWARE" CV "\\RunOnce\\Setup", NULL, "run T1547.001"},
	    {V, "HKLM\\SOFTWARE" CV "\\RunOnce\\Setup\\Deeper", "x", "run T1547.001"},
	    {REGDIFF_KEY_MODIFIED, "HKLM\\SOFTWARE" CV "\\RunOnce\\Setup", NULL, "run T1547.001"},
	    /* {U}: user hives and HKCU, not a user's classes. */
	    {V, "HKU\\S-1-5-21-1-2-3-1001\\Software" CV "\\Run", "x", "run T1547.001"},
	    {V, "HKU\\.DEFAULT\\Software" CV "\\Run", "x", "run T1547.001"},
	    {V, "HKCU\\Software" CV "\\Run", "x", "run T1547.001"},
	    {V, "HKU\\alice\\Software\\Wow6432Node" CV "\\Run", "x", "run T1547.001"},
	    {V, "HKU\\alice_Classes\\Software" CV "\\Run", "x", "-"},
	    {V, "HKU\\alice_classes\\Software" CV "\\Run", "x", "-"},
	    {V, "HKU\\Software" CV "\\Run", "x", "-"},
	    {V, "HKU\\alice\\bob\\Software" CV "\\Run", "x", "-"},
	    /* Not a registry root: a bare hive's mount. */
	    {V, "NTUSER.DAT\\Software" CV "\\Run", "x", "-"},
	    /* Named values only, in any case. */
	    {REGDIFF_VALUE_MODIFIED, "HKLM\\SOFTWARE" NTCV "\\Winlogon", "Userinit",
	     "winlogon T1547.004"},
	    {REGDIFF_VALUE_MODIFIED, "HKLM\\SOFTWARE" NTCV "\\Winlogon", "USERINIT",
	     "winlogon T1547.004"},
	    {REGDIFF_VALUE_MODIFIED, "HKLM\\SOFTWARE" NTCV "\\Winlogon", "UserinitX", "-"},
	    {REGDIFF_VALUE_MODIFIED, "HKLM\\SOFTWARE" NTCV "\\Winlogon", "AutoRestartShell", "-"},
	    {KA, "HKLM\\SOFTWARE" NTCV "\\Winlogon", NULL, "-"},
	    {V, "HKLM\\SOFTWARE" NTCV "\\Winlogon\\Notify\\evil", "DLLName", "winlogon T1547.004"},
	    /* {CS}: CurrentControlSet and every ControlSetNNN. */
	    {V, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Evil", "ImagePath",
	     "service T1543.003"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil", "imagepath", "service T1543.003"},
	    {V, "HKLM\\SYSTEM\\ControlSet1234\\Services\\Evil", "Start", "service T1543.003"},
	    {V, "HKLM\\SYSTEM\\ControlSetX\\Services\\Evil", "ImagePath", "-"},
	    {V, "HKLM\\SYSTEM\\ControlSet\\Services\\Evil", "ImagePath", "-"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil", "DisplayName", "-"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services", "ImagePath", "-"},
	    /* "new key": the key itself added or deleted, nothing below it. */
	    {KA, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil", NULL, "service T1543.003"},
	    {KD, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil", NULL, "service T1543.003"},
	    {KA, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil\\Enum", NULL, "-"},
	    {KA, "HKLM\\SYSTEM\\ControlSet001\\Services", NULL, "-"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil\\Parameters", "ServiceDll",
	     "service T1543.003"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil\\Parameters", "Other", "-"},
	    /* A literal beside a wildcard: both are tried. */
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services\\W32Time\\TimeProviders\\NtpClient",
	     "DllName", "time-provider T1547.003"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services\\W32Time", "ImagePath", "service T1543.003"},
	    {V,
	     "HKLM\\SYSTEM\\ControlSet001\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\"
	     "Catalog_Entries\\000000000001",
	     "PackedCatalogItem", "winsock T1547"},
	    /* One row per value where the list gives several techniques. */
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Control\\Lsa", "Security Packages", "lsa T1547.005"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Control\\Lsa", "Notification Packages",
	     "lsa T1556.002"},
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Control\\Lsa", "Authentication Packages",
	     "lsa T1547.002"},
	    {V, "HKLM\\SYSTEM\\Setup", "CmdLine", "boot T1547"},
	    /* TaskCache: Tree\<path> is one key name or more. */
	    {V, "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tree\\Evil", "SD",
	     "scheduled-task T1053.005"},
	    {REGDIFF_VALUE_DELETED,
	     "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\Evil", "SD",
	     "scheduled-task T1053.005"},
	    {KA, "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tree\\A\\B", NULL,
	     "scheduled-task T1053.005"},
	    {V, "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tree", "SD", "-"},
	    {V, "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tree\\A", "Other", "-"},
	    {V, "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tasks\\{1}", "Actions",
	     "scheduled-task T1053.005"},
	    {V, "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tasks\\{1}\\X", "Actions", "-"},
	    /* {C}: machine classes (both views), a user's classes, HKCR. */
	    {V, "HKCR\\CLSID\\{1}\\InprocServer32", "", "com-hijack T1546.015"},
	    {V, "HKLM\\SOFTWARE\\Classes\\CLSID\\{1}\\InprocServer32", "", "com-hijack T1546.015"},
	    {V, "HKLM\\SOFTWARE\\Wow6432Node\\Classes\\CLSID\\{1}\\LocalServer32", "x",
	     "com-hijack T1546.015"},
	    {V, "HKU\\alice_Classes\\CLSID\\{1}\\TreatAs", "", "com-hijack T1546.015"},
	    {V, "HKU\\alice\\CLSID\\{1}\\InprocServer32", "", "-"},
	    {V, "HKCR\\CLSID\\{1}", "", "-"},
	    {V, "HKCR\\CLSID\\{1}\\InprocServer32\\Sub", "", "-"},
	    {V, "HKLM\\SOFTWARE\\Classes\\exefile\\shell\\open\\command", "",
	     "file-association T1546.001"},
	    /* Every class's commands (issue 10 item 7), UAC bypasses first. */
	    {V, "HKLM\\SOFTWARE\\Classes\\txtfile\\shell\\open\\command", "",
	     "file-association T1546.001"},
	    {V, "HKCU\\Software\\Classes\\ms-settings\\shell\\open\\command", "DelegateExecute",
	     "uac-bypass T1548.002"},
	    {V, "HKCU\\Software\\Classes\\ms-settings\\shell\\open\\command", "Other",
	     "file-association T1546.001"},
	    {V, "HKLM\\SOFTWARE\\Classes\\txtfile\\shell\\open", "", "-"},
	    /* A user's own Software\Classes (Wine, older layouts) and 32-bit
	     * classes (issue 8 item 13, issue 10 items 2 and 3). */
	    {V, "HKCU\\Software\\Classes\\CLSID\\{1}\\InprocServer32", "", "com-hijack T1546.015"},
	    {V, "HKU\\alice\\Software\\Classes\\CLSID\\{1}\\InprocServer32", "",
	     "com-hijack T1546.015"},
	    {V, "HKLM\\SOFTWARE\\Classes\\Wow6432Node\\CLSID\\{1}\\LocalServer32", "",
	     "com-hijack T1546.015"},
	    {V, "HKU\\alice_Classes\\Wow6432Node\\CLSID\\{1}\\TreatAs", "", "com-hijack T1546.015"},
	    {V, "HKU\\alice_Classes\\Software\\Classes\\CLSID\\{1}\\InprocServer32", "", "-"},
	    {V, "HKU\\alice\\Software\\CLSID\\{1}\\InprocServer32", "", "-"},
	    {V, "HKCU\\Software\\Classes\\Wow6432Node\\Wow6432Node\\CLSID\\{1}\\InprocServer32", "",
	     "-"},
	    /* "*" as a class is that key, not a wildcard. */
	    {KA, "HKCR\\*\\ShellEx\\ContextMenuHandlers\\Evil", NULL, "explorer T1547"},
	    {KA, "HKCR\\txtfile\\ShellEx\\ContextMenuHandlers\\Evil", NULL, "explorer T1547"},
	    {KA, "HKCR\\txtfile\\ShellEx\\IconHandler\\Evil", NULL, "-"},
	    {V, "HKLM\\SOFTWARE\\Microsoft\\Office\\Excel\\Addins\\Evil", "LoadBehavior",
	     "office T1137.006"},
	    /* Excel's OPEN, OPEN1, ...: digits or nothing after the name. */
	    {V, "HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Options", "OPEN",
	     "office T1137.006"},
	    {V, "HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Options", "open12",
	     "office T1137.006"},
	    {V, "HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Options", "OPENX", "-"},
	    {V, "HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Options", "OPE", "-"},
	    /* A new service's start type, or an existing one's changed. */
	    {V, "HKLM\\SYSTEM\\ControlSet001\\Services\\Evil", "Start", "service T1543.003"},
	    {REGDIFF_VALUE_MODIFIED, "HKLM\\SYSTEM\\ControlSet001\\Services\\WinDefend", "Start",
	     "service T1562.001"},
	    {REGDIFF_VALUE_DELETED, "HKLM\\SYSTEM\\ControlSet001\\Services\\WinDefend", "Start",
	     "service T1543.003"},
	    {REGDIFF_VALUE_MODIFIED, "HKLM\\SYSTEM\\ControlSet001\\Services\\WinDefend",
	     "FailureCommand", "service T1574.011"},
	    {REGDIFF_VALUE_MODIFIED,
	     "HKLM\\SYSTEM\\ControlSet001\\Services\\TermService\\Parameters", "ServiceDll",
	     "rdp T1505.005"},
	    {V, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager", "BootExecute",
	     "boot T1547.001"},
	    {V, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager",
	     "PendingFileRenameOperations", "boot T1112"},
	    {V, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment",
	     "UserInitMprLogonScript", "logon-script T1037.001"},
	};
	regdiff_locations *locs = NULL;
	CHECK(regdiff_locations_new(&locs, 0) == 0);
	CHECK(regdiff_locations_count(locs) == regdiff__location_table_len);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = tag_of(locs, cases[i].op, cases[i].key, cases[i].value);
		if (strcmp(got, cases[i].want) != 0) {
			fprintf(stderr, "case %zu: %s %s: got %s, want %s\n", i, cases[i].key,
				cases[i].value ? cases[i].value : "(key)", got, cases[i].want);
			tu_failures++;
		}
	}

	/* What is not a change is never tagged. */
	made m = make(REGDIFF_NOT_COMPARED, "HKLM\\SOFTWARE" CV "\\Run", "x");
	CHECK(regdiff_locations_match(locs, &m.c) == NULL);
	m.c.op = (regdiff_op)0;
	CHECK(regdiff_locations_match(locs, &m.c) == NULL);
	m.c.op = REGDIFF_VALUE_ADDED;
	const regdiff_persistence *p = regdiff_locations_match(locs, &m.c);
	CHECK(p && strcmp(p->pattern, "{SW}" CV "\\Run") == 0);
	CHECK(regdiff_locations_match(NULL, &m.c) == NULL);
	CHECK(regdiff_locations_match(locs, NULL) == NULL);
	unmake(&m);
	regdiff_locations_free(locs);

	/* An empty set tags nothing. */
	CHECK(regdiff_locations_new(&locs, REGDIFF_LOCATIONS_NO_BUILTIN) == 0);
	CHECK(regdiff_locations_count(locs) == 0);
	CHECK(strcmp(tag_of(locs, V, "HKLM\\SOFTWARE" CV "\\Run", "x"), "-") == 0);
	regdiff_locations_free(locs);

	CHECK(regdiff_locations_new(NULL, 0) == REGDIFF_EINVAL);
	CHECK(regdiff_locations_new(&locs, 2) == REGDIFF_EINVAL && locs == NULL);
	regdiff_locations_free(NULL);
	CHECK(regdiff_locations_count(NULL) == 0);
}

static const char user_table[] =
    "\xEF\xBB\xBF# My locations, in the form of docs/persistence.md\r\n"
    "\n"
    "| category | key | value | ATT&CK |\n"
    "|---|---|---|:---:|\n"
    "| acme | `HKLM\\SOFTWARE\\Acme\\AutoStart` | * | T1547 |\n"
    "acme-hook | `{U}\\Software\\Acme\\Hook`, `{SW}\\Acme\\Hook` | `Cmd, with comma`, "
    "(default) | T1546\n"
    "  acme-tree|HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme\\Tree|**|T1000.001  \n"
    "| acme-svc | {CS}\\Services\\Acme\\<plugin> | Path, new key | `T1543.003` |\n"
    "| acme-pipe | `HKLM\\SOFTWARE\\Acme\\A|B` | * | T1 |\n";

static void test_user_table(void)
{
	regdiff_locations *locs = NULL;
	CHECK(regdiff_locations_new(&locs, REGDIFF_LOCATIONS_NO_BUILTIN) == 0);
	CHECK(regdiff_locations_parse(locs, user_table, sizeof user_table - 1, "mine.md") == 0);
	CHECK(regdiff_locations_count(locs) == 6);
	static const struct {
		regdiff_op op;
		const char *key, *value, *want;
	} cases[] = {
	    {V, "HKLM\\SOFTWARE\\Acme\\AutoStart", "anything", "acme T1547"},
	    {V, "HKLM\\SOFTWARE\\Acme\\AutoStart\\Sub", "anything", "-"},
	    {V, "HKU\\bob\\Software\\Acme\\Hook", "Cmd, with comma", "acme-hook T1546"},
	    {V, "HKLM\\SOFTWARE\\Wow6432Node\\Acme\\Hook", "cmd, WITH comma", "acme-hook T1546"},
	    {V, "HKCU\\Software\\Acme\\Hook", "", "acme-hook T1546"},
	    {V, "HKCU\\Software\\Acme\\Hook", "Cmd", "-"},
	    {KA, "HKLM\\SOFTWARE\\Acme\\Tree\\X\\Y", NULL, "acme-tree T1000.001"},
	    {KA, "HKLM\\SYSTEM\\ControlSet002\\Services\\Acme\\Plugin1", NULL,
	     "acme-svc T1543.003"},
	    {V, "HKLM\\SYSTEM\\ControlSet002\\Services\\Acme\\Plugin1", "path",
	     "acme-svc T1543.003"},
	    {V, "HKLM\\SYSTEM\\ControlSet002\\Services\\Acme", "Path", "-"},
	    {V, "HKLM\\SOFTWARE\\Acme\\A|B", "x", "acme-pipe T1"},
	    /* The built-in ones are not in this set. */
	    {V, "HKLM\\SOFTWARE" CV "\\Run", "x", "-"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = tag_of(locs, cases[i].op, cases[i].key, cases[i].value);
		if (strcmp(got, cases[i].want) != 0) {
			fprintf(stderr, "user case %zu: %s %s: got %s, want %s\n", i, cases[i].key,
				cases[i].value ? cases[i].value : "(key)", got, cases[i].want);
			tu_failures++;
		}
	}
	made m = make(V, "HKLM\\SOFTWARE\\Acme\\AutoStart", "x");
	const regdiff_persistence *p = regdiff_locations_match(locs, &m.c);
	CHECK(p && strcmp(p->pattern, "HKLM\\SOFTWARE\\Acme\\AutoStart") == 0);
	unmake(&m);

	/* A fifth field (the sources, as in docs/persistence.md) is not
	 * read; "modified" and "<n>" as the built-in table uses them. */
	regdiff_locations *five = NULL;
	static const char five_text[] =
	    "| a | HKLM\\SOFTWARE\\Acme | Start, modified | T1 | Autoruns, `Sigma|x` |\n"
	    "b | HKLM\\SOFTWARE\\Acme | Start, `Cmd<n>` | T2 |\n";
	CHECK(regdiff_locations_new(&five, REGDIFF_LOCATIONS_NO_BUILTIN) == 0);
	CHECK(regdiff_locations_parse(five, five_text, sizeof five_text - 1, "five.md") == 0);
	CHECK(strcmp(tag_of(five, REGDIFF_VALUE_MODIFIED, "HKLM\\SOFTWARE\\Acme", "start"),
		     "a T1") == 0);
	CHECK(strcmp(tag_of(five, V, "HKLM\\SOFTWARE\\Acme", "Start"), "b T2") == 0);
	CHECK(strcmp(tag_of(five, V, "HKLM\\SOFTWARE\\Acme", "Cmd"), "b T2") == 0);
	CHECK(strcmp(tag_of(five, V, "HKLM\\SOFTWARE\\Acme", "cmd0123456789"), "b T2") == 0);
	CHECK(strcmp(tag_of(five, V, "HKLM\\SOFTWARE\\Acme", "Cmd<n>"), "-") == 0);
	CHECK(strcmp(tag_of(five, V, "HKLM\\SOFTWARE\\Acme", "Cm"), "-") == 0);
	CHECK(strcmp(tag_of(five, V, "HKLM\\SOFTWARE\\Acme", "Cmd1a"), "-") == 0);
	regdiff_locations_free(five);

	/* Bad rows: refused with the file and line, and nothing of the text
	 * is added, not even its good rows before the bad one. */
	static const struct {
		const char *text, *message;
	} bad[] = {
	    {"a | HKLM\\X | *\n", "bad.md:1: not 4 fields"},
	    {"a | HKLM\\X | * | T1 | sources | more\n", "bad.md:1: not 4 fields"},
	    {"a | HKLM\\X | modified | T1\n", "bad.md:1: \"modified\" without value names"},
	    {"a | HKLM\\X | *, modified | T1\n", "bad.md:1: \"modified\" without value names"},
	    {"ok | HKLM\\X | * | T1\n\nbad\"cat | HKLM\\X | * | T1\n", "bad.md:3: the category"},
	    {"a | HKLM\\X | * | T1<script>\n", "bad.md:1: the technique"},
	    {"| | HKLM\\X | * | T1 |\n", "bad.md:1: the category"},
	    {"a | | * | T1\n", "bad.md:1: no key"},
	    {"a | HKLM\\\\X | * | T1\n", "bad.md:1: an empty key name"},
	    {"a | HKLM\\X\\ | * | T1\n", "bad.md:1: an empty key name"},
	    {"a | {SW}\\ | * | T1\n", "bad.md:1: an empty key name"},
	    {"a | HKLM\\X | | T1\n", "bad.md:1: no values"},
	    {"a | HKLM\\X | a,,b | T1\n", "bad.md:1: an empty value name"},
	    {"a | HKLM\\<path>\\X | * | T1\n", "bad.md:1: <path> is not the last"},
	    {"a | HKLM\\\xC3\x28 | * | T1\n", "bad.md:1: invalid UTF-8"},
	    {"a | HKLM\\X | \xFF | T1\n", "bad.md:1: invalid UTF-8"},
	    {"a | {U} | new key | T1\n", "bad.md:1: \"new key\" on a placeholder alone"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = regdiff_locations_parse(locs, bad[i].text, strlen(bad[i].text), "bad.md");
		const char *msg = regdiff_error_message();
		if (rc != REGDIFF_EINVAL ||
		    strncmp(msg, bad[i].message, strlen(bad[i].message)) != 0) {
			fprintf(stderr, "bad row %zu: rc %d, message \"%s\", want \"%s...\"\n", i,
				rc, msg, bad[i].message);
			tu_failures++;
		}
		CHECK(regdiff_locations_count(locs) == 6);
	}

	/* Nothing at all, or only comments, is a valid (empty) table. */
	CHECK(regdiff_locations_parse(locs, "", 0, NULL) == 0);
	CHECK(regdiff_locations_parse(locs, "# nothing\n\n", 11, NULL) == 0);
	CHECK(regdiff_locations_count(locs) == 6);
	CHECK(regdiff_locations_parse(NULL, "", 0, NULL) == REGDIFF_EINVAL);
	CHECK(regdiff_locations_parse(locs, NULL, 3, NULL) == REGDIFF_EINVAL);
	regdiff_locations_free(locs);

	/* From a file, on top of the built-in ones. */
	const char *path = "test_persistence_locations.md";
	CHECK(tu_write_file(path, user_table, sizeof user_table - 1));
	CHECK(regdiff_locations_new(&locs, 0) == 0);
	CHECK(regdiff_locations_load(locs, path) == 0);
	CHECK(regdiff_locations_count(locs) == regdiff__location_table_len + 6);
	CHECK(strcmp(tag_of(locs, V, "HKLM\\SOFTWARE" CV "\\Run", "x"), "run T1547.001") == 0);
	CHECK(strcmp(tag_of(locs, V, "HKLM\\SOFTWARE\\Acme\\AutoStart", "x"), "acme T1547") == 0);
	remove(path);
	CHECK(regdiff_locations_load(locs, path) == REGDIFF_ENOTFOUND);
	CHECK(strstr(regdiff_error_message(), path) != NULL);
	CHECK(regdiff_locations_load(locs, NULL) == REGDIFF_EINVAL);
	CHECK(regdiff_locations_count(locs) == regdiff__location_table_len + 6);
	regdiff_locations_free(locs);
}

/* ---- docs/persistence.md lists the built-in table ---- */

/* A concrete key for a pattern: placeholders and wildcards filled in. */
static void concrete(char *out, size_t size, const char *pattern)
{
	static const char *const fills[][2] = {{"{SW}", "HKLM\\SOFTWARE"},
					       {"{U}", "HKU\\someone"},
					       {"{CS}", "HKLM\\SYSTEM\\ControlSet001"},
					       {"{C}", "HKCR"}};
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = pattern; *p && n + 32 < size;) {
		bool done = false;
		for (size_t i = 0; i < 4 && !done && p == pattern; i++) {
			size_t k = strlen(fills[i][0]);
			if (strncmp(p, fills[i][0], k) == 0) {
				n += (size_t)snprintf(out + n, size - n, "%s", fills[i][1]);
				p += k;
				done = true;
			}
		}
		if (done)
			continue;
		if (*p == '<') {
			const char *end = strchr(p, '>');
			n += (size_t)snprintf(out + n, size - n, "X");
			p = end ? end + 1 : p + 1;
			continue;
		}
		out[n++] = *p++;
		out[n] = '\0';
	}
}

static void test_docs_table(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/persistence.md", REGDIFF_TEST_DOCS_DIR);
	regdiff__buf doc = {0};
	if (!tu_read_file(path, &doc)) {
		fprintf(stderr, "%s: cannot read\n", path);
		tu_failures++;
		regdiff__buf_free(&doc);
		return;
	}
	regdiff__buf_putc(&doc, 0);
	const char *text = (const char *)doc.data;
	const char *start = strstr(text, "<!-- locations:start -->\n");
	const char *end = start ? strstr(start, "<!-- locations:end -->") : NULL;
	CHECK(start && end);
	if (!start || !end) {
		regdiff__buf_free(&doc);
		return;
	}
	start += strlen("<!-- locations:start -->\n");
	regdiff_locations *from_doc = NULL, *builtin = NULL;
	CHECK(regdiff_locations_new(&from_doc, REGDIFF_LOCATIONS_NO_BUILTIN) == 0);
	CHECK(regdiff_locations_new(&builtin, 0) == 0);
	int rc = regdiff_locations_parse(from_doc, start, (size_t)(end - start), path);
	if (rc)
		fprintf(stderr, "%s\n", regdiff_error_message());
	CHECK(rc == 0);
	CHECK(regdiff_locations_count(from_doc) == regdiff__location_table_len);
	/* Each row cites its sources: at least one of the enumerators the
	 * issue names, beside the ATT&CK technique. */
	for (const char *line = start; line < end;) {
		const char *nl = strchr(line, '\n');
		size_t n = (size_t)((nl ? nl : end) - line);
		char row[1024];
		snprintf(row, sizeof row, "%.*s", (int)(n < sizeof row ? n : sizeof row - 1), line);
		line += n + 1;
		if (strncmp(row, "| ", 2) != 0 || strncmp(row, "| category", 10) == 0)
			continue;
		const char *src = strrchr(row, '|');
		while (src && src > row && src[-1] != '|')
			src--;
		if (!src || !(strstr(src, "Autoruns") || strstr(src, "RECmd") ||
			      strstr(src, "Sigma") || strstr(src, "RegRipper"))) {
			fprintf(stderr, "%s: a row without a reference: %s\n", path, row);
			tu_failures++;
		}
	}
	for (size_t i = 0; i < regdiff__location_table_len; i++) {
		const regdiff__location_row *row = &regdiff__location_table[i];
		char key[1024], value[128];
		concrete(key, sizeof key, row->key);
		size_t vn = strcspn(row->values, ",");
		snprintf(value, sizeof value, "%.*s", (int)vn, row->values);
		if (strcmp(value, "*") == 0 || strcmp(value, "**") == 0 ||
		    strcmp(value, "new key") == 0)
			snprintf(value, sizeof value, "V");
		else if (strcmp(value, "(default)") == 0)
			value[0] = '\0';
		else if (strlen(value) > 3 && strcmp(value + strlen(value) - 3, "<n>") == 0)
			value[strlen(value) - 3] = '\0';
		made m = make(REGDIFF_VALUE_ADDED, key, value);
		const regdiff_persistence *a = regdiff_locations_match(builtin, &m.c);
		const regdiff_persistence *b = regdiff_locations_match(from_doc, &m.c);
		if (!a || !b || strcmp(a->category, b->category) != 0 ||
		    strcmp(a->attack, b->attack) != 0 || strcmp(a->pattern, b->pattern) != 0 ||
		    strcmp(a->pattern, row->key) != 0) {
			fprintf(stderr, "row %zu (%s : %s): built-in %s %s, docs %s %s\n", i, key,
				value, a ? a->category : "-", a ? a->attack : "",
				b ? b->category : "-", b ? b->attack : "");
			tu_failures++;
		}
		unmake(&m);
	}
	regdiff_locations_free(from_doc);
	regdiff_locations_free(builtin);
	regdiff__buf_free(&doc);
}

/* ---- The fixtures ---- */

static const char *const mounts[][2] = {
    {"HKLM\\SOFTWARE", "persist_software"},
    {"HKLM\\SYSTEM", "persist_system"},
    {"HKU\\alice", "persist_ntuser"},
    {"HKU\\alice_Classes", "persist_usrclass"},
};

static int shoot(regdiff_snapshot **out, char side)
{
	regdiff_source *src[4] = {0};
	int rc = 0;
	for (size_t i = 0; i < 4 && rc == 0; i++) {
		char file[1024];
		snprintf(file, sizeof file, "%s/%s_%c.hiv", REGDIFF_TEST_FIXTURE_DIR, mounts[i][1],
			 side);
		rc = regdiff_source_open_hive(&src[i], file, mounts[i][0]);
	}
	if (rc == 0)
		rc = regdiff_shot_take(out, src, 4, NULL);
	if (rc < 0)
		fprintf(stderr, "shot %c: %s\n", side, regdiff_error_message());
	for (size_t i = 0; i < 4; i++)
		regdiff_source_free(src[i]);
	return rc;
}

static const char *const op_names[REGDIFF_OP_COUNT] = {
    [REGDIFF_KEY_DELETED] = "key_deleted",	 [REGDIFF_KEY_ADDED] = "key_added",
    [REGDIFF_VALUE_DELETED] = "value_deleted",	 [REGDIFF_VALUE_ADDED] = "value_added",
    [REGDIFF_VALUE_MODIFIED] = "value_modified", [REGDIFF_KEY_MODIFIED] = "key_modified",
};

/* "<op> <key>[ : <value>] => <category> <technique>" or "=> -". */
static void describe(regdiff__buf *b, const regdiff_change *c)
{
	char *key = NULL, *value = NULL;
	CHECK(regdiff_name_to_utf8(&key, NULL, c->key, REGDIFF_TEXT_SAFE) == 0);
	bool is_value = c->op == REGDIFF_VALUE_ADDED || c->op == REGDIFF_VALUE_DELETED ||
			c->op == REGDIFF_VALUE_MODIFIED;
	if (is_value)
		CHECK(regdiff_name_to_utf8(&value, NULL, c->value, REGDIFF_TEXT_SAFE) == 0);
	const char *op =
	    c->op > 0 && c->op < REGDIFF_OP_COUNT && op_names[c->op] ? op_names[c->op] : "?";
	regdiff__buf_printf(b, "%s %s%s%s => ", op, key, is_value ? " : " : "",
			    is_value ? (value[0] ? value : "@") : "");
	if (c->persistence)
		regdiff__buf_printf(b, "%s %s\n", c->persistence->category, c->persistence->attack);
	else
		regdiff__buf_printf(b, "-\n");
	regdiff_free(key);
	regdiff_free(value);
}

/* Every change of the four fixture pairs, in diff order, with its tag:
 * reviewed line by line against the fixture descriptions. */
static const char expected[] =
    "value_modified HKLM\\SOFTWARE\\Classes\\CLSID\\{11111111-2222-3333-4444-555555555555} : @ => "
    "-\n"
    "value_modified "
    "HKLM\\SOFTWARE\\Classes\\CLSID\\{11111111-2222-3333-4444-555555555555}\\InprocServer32 : @ => "
    "com-hijack T1546.015\n"
    "key_added HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed "
    "Components\\{BBBBBBBB-0000-0000-0000-000000000002} => -\n"
    "value_added HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed "
    "Components\\{BBBBBBBB-0000-0000-0000-000000000002} : StubPath => active-setup T1547.014\n"
    "value_added HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed "
    "Components\\{BBBBBBBB-0000-0000-0000-000000000002} : Version => -\n"
    "key_added HKLM\\SOFTWARE\\Microsoft\\Office\\Excel\\Addins\\Evil.Addin => office T1137.006\n"
    "value_added HKLM\\SOFTWARE\\Microsoft\\Office\\Excel\\Addins\\Evil.Addin : LoadBehavior => "
    "office T1137.006\n"
    "key_added HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Browser Helper "
    "Objects\\{CCCCCCCC-0000-0000-0000-000000000003} => browser-extension T1176\n"
    "value_added HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run : Added => run T1547.001\n"
    "value_deleted HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run : Gone => run "
    "T1547.001\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run : Mod => run "
    "T1547.001\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\Setup : Step => "
    "run T1547.001\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnceFoo : Neighbour => "
    "-\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\App : "
    "DisplayVersion => -\n"
    "value_added HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Drivers32 : msacm.evil => "
    "codec T1547\n"
    "value_deleted HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution "
    "Options\\notepad.exe : GlobalFlag => ifeo T1546.012\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution "
    "Options\\notepad.exe : UseFilter => -\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows "
    "NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\{AAAAAAAA-0000-0000-0000-000000000001} : "
    "Actions => scheduled-task T1053.005\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows "
    "NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\{AAAAAAAA-0000-0000-0000-000000000001} : Path "
    "=> scheduled-task T1053.005\n"
    "value_deleted HKLM\\SOFTWARE\\Microsoft\\Windows "
    "NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\Defrag\\ScheduledDefrag : "
    "SD => scheduled-task T1053.005\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows : AppInit_DLLs "
    "=> appinit T1546.010\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows : Device => -\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon : "
    "AutoRestartShell => -\n"
    "value_deleted HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon : "
    "LegalNoticeText => -\n"
    "value_modified HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon : Userinit => "
    "winlogon T1547.004\n"
    "key_added HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\System\\Scripts\\Logon\\0 => "
    "logon-script T1037\n"
    "value_added HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\System\\Scripts\\Logon\\0 : "
    "DisplayName => logon-script T1037\n"
    "value_added HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run : Wow => run "
    "T1547.001\n"
    "value_modified HKLM\\SYSTEM\\ControlSet001\\Control\\Lsa : LimitBlankPasswordUse => -\n"
    "value_modified HKLM\\SYSTEM\\ControlSet001\\Control\\Lsa : Notification Packages => lsa "
    "T1556.002\n"
    "value_modified HKLM\\SYSTEM\\ControlSet001\\Control\\Lsa : Security Packages => lsa "
    "T1547.005\n"
    "key_added HKLM\\SYSTEM\\ControlSet001\\Control\\Print\\Monitors\\Evil Monitor => -\n"
    "value_added HKLM\\SYSTEM\\ControlSet001\\Control\\Print\\Monitors\\Evil Monitor : Driver => "
    "print-monitor T1547.010\n"
    "value_modified HKLM\\SYSTEM\\ControlSet001\\Control\\Session Manager : BootExecute => boot "
    "T1547.001\n"
    "value_modified HKLM\\SYSTEM\\ControlSet001\\Control\\Session Manager : ProtectionMode => -\n"
    "key_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc => service T1543.003\n"
    "value_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc : DisplayName => -\n"
    "value_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc : ImagePath => service T1543.003\n"
    "value_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc : Start => service T1543.003\n"
    "value_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc : Type => service T1543.003\n"
    "key_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc\\Parameters => -\n"
    "value_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc\\Parameters : ServiceDll => "
    "service T1543.003\n"
    "value_modified HKLM\\SYSTEM\\ControlSet001\\Services\\GoodSvc : DisplayName => -\n"
    "value_modified HKLM\\SYSTEM\\ControlSet001\\Services\\GoodSvc : Start => service T1562.001\n"
    "key_deleted HKLM\\SYSTEM\\ControlSet001\\Services\\OldSvc => service T1543.003\n"
    "value_deleted HKLM\\SYSTEM\\ControlSet001\\Services\\OldSvc : DisplayName => -\n"
    "value_deleted HKLM\\SYSTEM\\ControlSet001\\Services\\OldSvc : ImagePath => service T1543.003\n"
    "value_modified "
    "HKLM\\SYSTEM\\ControlSet001\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_"
    "Entries\\000000000001 : PackedCatalogItem => winsock T1547\n"
    "value_modified HKLM\\SYSTEM\\ControlSet002\\Services\\W32Time\\TimeProviders\\NtpClient : "
    "DllName => time-provider T1547.003\n"
    "value_modified HKLM\\SYSTEM\\ControlSet002\\Services\\W32Time\\TimeProviders\\NtpClient : "
    "Enabled => -\n"
    "value_modified HKLM\\SYSTEM\\ControlSetX\\Services\\Fake : ImagePath => -\n"
    "value_modified HKLM\\SYSTEM\\Setup : CmdLine => boot T1547\n"
    "value_modified HKLM\\SYSTEM\\Setup : SystemSetupInProgress => -\n"
    "key_added HKU\\alice\\Control Panel => -\n"
    "key_added HKU\\alice\\Control Panel\\Desktop => -\n"
    "value_added HKU\\alice\\Control Panel\\Desktop : SCRNSAVE.EXE => screensaver T1546.002\n"
    "value_added HKU\\alice\\Control Panel\\Desktop : Wallpaper => -\n"
    "value_modified HKU\\alice\\Environment : TEMP => -\n"
    "value_added HKU\\alice\\Environment : UserInitMprLogonScript => logon-script T1037.001\n"
    "key_added HKU\\alice\\Software\\Classes => -\n"
    "key_added HKU\\alice\\Software\\Classes\\CLSID => -\n"
    "key_added HKU\\alice\\Software\\Classes\\CLSID\\{DDDDDDDD-0000-0000-0000-000000000004} => -\n"
    "key_added "
    "HKU\\alice\\Software\\Classes\\CLSID\\{DDDDDDDD-0000-0000-0000-000000000004}\\InprocServer32 "
    "=> -\n"
    "value_added "
    "HKU\\alice\\Software\\Classes\\CLSID\\{DDDDDDDD-0000-0000-0000-000000000004}\\InprocServer32 "
    ": @ => com-hijack T1546.015\n"
    "key_added HKU\\alice\\Software\\Classes\\ms-settings => -\n"
    "key_added HKU\\alice\\Software\\Classes\\ms-settings\\shell => -\n"
    "key_added HKU\\alice\\Software\\Classes\\ms-settings\\shell\\open => -\n"
    "key_added HKU\\alice\\Software\\Classes\\ms-settings\\shell\\open\\command => uac-bypass "
    "T1548.002\n"
    "value_added HKU\\alice\\Software\\Classes\\ms-settings\\shell\\open\\command : @ => "
    "uac-bypass T1548.002\n"
    "value_added HKU\\alice\\Software\\Classes\\ms-settings\\shell\\open\\command : "
    "DelegateExecute => uac-bypass T1548.002\n"
    "value_added HKU\\alice\\Software\\Microsoft\\Command Processor : AutoRun => command-processor "
    "T1546\n"
    "key_added HKU\\alice\\Software\\Microsoft\\Office\\Word\\Addins\\Evil => office T1137.006\n"
    "value_added "
    "HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run : "
    "Evil => startup-approved T1547.001\n"
    "value_modified HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell "
    "Folders : Desktop => -\n"
    "value_modified HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell "
    "Folders : Startup => startup-folder T1547.001\n"
    "value_added HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run : Evil => run "
    "T1547.001\n"
    "key_added HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Nested => -\n"
    "value_added HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Nested : NotRun => "
    "-\n"
    "value_deleted HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce : Once => run "
    "T1547.001\n"
    "value_added HKU\\alice\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnceFoo : Neighbour "
    "=> -\n"
    "value_modified HKU\\alice\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows : Device "
    "=> -\n"
    "value_added HKU\\alice\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows : Load => "
    "run T1547.001\n"
    "value_added HKU\\alice\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon : Shell => "
    "winlogon T1547.004\n"
    "key_added HKU\\alice_Classes\\*\\ShellEx\\ContextMenuHandlers\\Evil => explorer T1547\n"
    "value_added HKU\\alice_Classes\\*\\ShellEx\\ContextMenuHandlers\\Evil : @ => explorer T1547\n"
    "key_added HKU\\alice_Classes\\CLSID\\{AAAAAAAA-1111-1111-1111-111111111111} => -\n"
    "key_added HKU\\alice_Classes\\CLSID\\{AAAAAAAA-1111-1111-1111-111111111111}\\InprocServer32 "
    "=> -\n"
    "value_added HKU\\alice_Classes\\CLSID\\{AAAAAAAA-1111-1111-1111-111111111111}\\InprocServer32 "
    ": @ => com-hijack T1546.015\n"
    "value_modified "
    "HKU\\alice_Classes\\CLSID\\{BBBBBBBB-1111-1111-1111-111111111111}\\LocalServer32 : @ => "
    "com-hijack T1546.015\n"
    "value_modified HKU\\alice_Classes\\exefile\\shell\\open\\command : @ => file-association "
    "T1546.001\n"
    "value_added HKU\\alice_Classes\\Software\\Microsoft\\Windows\\CurrentVersion\\Run : "
    "NotInUserClasses => -\n"
    "value_modified HKU\\alice_Classes\\txtfile\\shell\\open\\command : @ => file-association "
    "T1546.001\n";

static bool have_fixtures(void)
{
	if (!REGDIFF_TEST_FIXTURE_DIR[0]) {
		fprintf(stderr,
			"no fixture hives in this build (hivex missing): fixture tests skipped\n");
		return false;
	}
	return true;
}

/* Runs the fixture diff with opts; its changes described into b (all of
 * them, or the flagged ones only). Returns the diff's end code. */
static int fixture_diff(const regdiff_diff_options *opts, bool flagged_only, regdiff__buf *b)
{
	regdiff_snapshot *before = NULL, *after = NULL;
	regdiff_diff *diff = NULL;
	int rc = shoot(&before, 'a');
	if (rc == 0)
		rc = shoot(&after, 'b');
	if (rc == 0)
		rc = regdiff_diff_new(&diff, before, after, opts);
	const regdiff_change *c;
	while (rc == 0 && (rc = flagged_only ? regdiff_diff_next_persistence(&c, diff)
					     : regdiff_diff_next(&c, diff)) == 0)
		describe(b, c);
	regdiff_diff_free(diff);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);
	return rc;
}

static void test_fixtures(void)
{
	if (!have_fixtures())
		return;
	regdiff__buf all = {0}, flagged = {0}, want = {0};
	CHECK(fixture_diff(NULL, false, &all) == REGDIFF_ITEROVER);
	CHECK_STR("fixture diff", &all, expected);

	/* Only the flagged ones: the expected lines without "=> -". */
	for (const char *s = expected; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = (size_t)(nl - s) + 1;
		if (!(n >= 6 && memcmp(nl - 5, " => -", 5) == 0))
			regdiff__buf_append(&want, s, n);
		s += n;
	}
	regdiff__buf_putc(&want, 0);
	CHECK(fixture_diff(NULL, true, &flagged) == REGDIFF_ITEROVER);
	CHECK_STR("flagged only", &flagged, (const char *)want.data);

	/* Options of version 1 (no locations field): the built-in ones. */
	regdiff_diff_options v1 = REGDIFF_DIFF_OPTIONS_INIT;
	v1.version = 1;
	all.len = 0;
	CHECK(fixture_diff(&v1, false, &all) == REGDIFF_ITEROVER);
	CHECK_STR("fixture diff, options version 1", &all, expected);

	/* A set of the caller's: only its locations are flagged. */
	regdiff_locations *locs = NULL;
	static const char mine[] = "mine | {CS}\\Services\\<name> | DisplayName | T9999\n";
	CHECK(regdiff_locations_new(&locs, REGDIFF_LOCATIONS_NO_BUILTIN) == 0);
	CHECK(regdiff_locations_parse(locs, mine, sizeof mine - 1, "mine") == 0);
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.locations = locs;
	flagged.len = 0;
	CHECK(fixture_diff(&o, true, &flagged) == REGDIFF_ITEROVER);
	CHECK_STR(
	    "caller's locations", &flagged,
	    "value_added HKLM\\SYSTEM\\ControlSet001\\Services\\EvilSvc : DisplayName => mine "
	    "T9999\n"
	    "value_modified HKLM\\SYSTEM\\ControlSet001\\Services\\GoodSvc : DisplayName => "
	    "mine T9999\n"
	    "value_deleted HKLM\\SYSTEM\\ControlSet001\\Services\\OldSvc : DisplayName => mine "
	    "T9999\n");
	regdiff_locations_free(locs);

	regdiff_diff_options bad = REGDIFF_DIFF_OPTIONS_INIT;
	bad.version = 3;
	CHECK(fixture_diff(&bad, false, &all) == REGDIFF_EINVAL);
	CHECK(regdiff_diff_next_persistence(&(const regdiff_change *){NULL}, NULL) ==
	      REGDIFF_EINVAL);

	regdiff__buf_free(&all);
	regdiff__buf_free(&flagged);
	regdiff__buf_free(&want);
}

/* ---- How the reports show them ---- */

static const regdiff_persistence run_tag = {"run", "T1547.001", "{U}\\Software" CV "\\Run"};
/* Tags come from the library's validated tables; the reports escape them
 * anyway. */
static const regdiff_persistence odd_tag = {"a\"b\\c\x1b", "T<1>&", "X"};

static void test_reports(void)
{
	static const uint16_t evil_value[] = {'E', 'v', 0x0000, 0x1B, '"', '<', '&', 0xD800};
	made run = make(REGDIFF_VALUE_ADDED, "HKU\\alice\\Software" CV "\\Run", NULL);
	run.c.value = (regdiff_name){evil_value, sizeof evil_value / sizeof evil_value[0]};
	run.c.new_data =
	    (regdiff_data){.type = REGDIFF_REG_SZ, .bytes = (const uint8_t *)"x\0\0", .len = 4};
	run.c.persistence = &run_tag;
	made mod = make(REGDIFF_VALUE_MODIFIED, "HKLM\\SOFTWARE" NTCV "\\Winlogon", "Shell");
	mod.c.old_data = (regdiff_data){
	    .type = REGDIFF_REG_DWORD, .bytes = (const uint8_t *)"\1\0\0\0", .len = 4};
	mod.c.new_data = (regdiff_data){
	    .type = REGDIFF_REG_DWORD, .bytes = (const uint8_t *)"\2\0\0\0", .len = 4};
	mod.c.persistence = &odd_tag;
	made plain = make(REGDIFF_KEY_ADDED, "HKLM\\SOFTWARE\\Plain", NULL);
	made svc = make(REGDIFF_KEY_DELETED, "HKLM\\SYSTEM\\ControlSet001\\Services\\Old", NULL);
	static const regdiff_persistence svc_tag = {"service", "T1543.003", "x"};
	svc.c.persistence = &svc_tag;
	regdiff_change v[] = {svc.c, plain.c, mod.c, run.c};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;

	regdiff__buf txt = {0};
	tu_iter it = {.v = v, .n = 4};
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_buf_write, &txt, &counts) ==
	      0);
	CHECK(counts.total == 4 && counts.persistence == 3);
	regdiff__buf_putc(&txt, 0);
	const char *body = strstr((const char *)txt.data, "\n\n");
	CHECK(body != NULL);
	CHECK_STR(
	    "TXT", &(regdiff__buf){(uint8_t *)body, body ? strlen(body) : 0, 0},
	    "\n\n----------------------------------\n"
	    "Persistence: 3\n"
	    "----------------------------------\n"
	    "[service T1543.003] key deleted: HKLM\\SYSTEM\\ControlSet001\\Services\\Old\n"
	    "[a\"b\\c\xE2\x90\x9B T<1>&] value modified: HKLM\\SOFTWARE" NTCV
	    "\\Winlogon\\Shell: 0x00000001\n"
	    "[a\"b\\c\xE2\x90\x9B T<1>&] value modified: HKLM\\SOFTWARE" NTCV
	    "\\Winlogon\\Shell: 0x00000002\n"
	    "[run T1547.001] value added: HKU\\alice\\Software" CV
	    "\\Run\\Ev\xE2\x90\x80\xE2\x90\x9B\"<&\xEF\xBF\xBD: \"x\"\n"
	    "\n----------------------------------\n"
	    "Keys deleted: 1\n"
	    "----------------------------------\n"
	    "HKLM\\SYSTEM\\ControlSet001\\Services\\Old [persistence: service T1543.003]\n"
	    "\n----------------------------------\n"
	    "Keys added: 1\n"
	    "----------------------------------\n"
	    "HKLM\\SOFTWARE\\Plain\n"
	    "\n----------------------------------\n"
	    "Values added: 1\n"
	    "----------------------------------\n"
	    "HKU\\alice\\Software" CV "\\Run\\Ev\xE2\x90\x80\xE2\x90\x9B\"<&\xEF\xBF\xBD: \"x\" "
	    "[persistence: run T1547.001]\n"
	    "\n----------------------------------\n"
	    "Values modified: 1\n"
	    "----------------------------------\n"
	    "HKLM\\SOFTWARE" NTCV "\\Winlogon\\Shell: 0x00000001 [persistence: a\"b\\c\xE2\x90\x9B "
	    "T<1>&]\n"
	    "HKLM\\SOFTWARE" NTCV "\\Winlogon\\Shell: 0x00000002 [persistence: a\"b\\c\xE2\x90\x9B "
	    "T<1>&]\n"
	    "\n----------------------------------\n"
	    "Total changes: 4\n"
	    "----------------------------------\n");

	/* CRLF applies to the findings too. */
	regdiff__buf crlf = {0};
	it.i = 0;
	o.flags = REGDIFF_REPORT_CRLF;
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_buf_write, &crlf, NULL) ==
	      0);
	regdiff__buf_putc(&crlf, 0);
	CHECK(strstr(
		  (const char *)crlf.data,
		  "Persistence: 3\r\n----------------------------------\r\n[service T1543.003] key "
		  "deleted: HKLM\\SYSTEM\\ControlSet001\\Services\\Old\r\n[a") != NULL);

	regdiff__buf jsonl = {0};
	it.i = 0;
	o.flags = 0;
	o.format = REGDIFF_REPORT_JSONL;
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_buf_write, &jsonl,
				  &counts) == 0);
	CHECK(counts.persistence == 3);
	CHECK_STR(
	    "JSON lines", &jsonl,
	    "{\"op\":\"key_deleted\",\"key\":"
	    "\"HKLM\\\\SYSTEM\\\\ControlSet001\\\\Services\\\\Old\","
	    "\"time\":\"1601-01-01T00:00:00.0000000Z\",\"persistence\":{\"category\":\"service\","
	    "\"attack\":\"T1543.003\"}}\n"
	    "{\"op\":\"key_added\",\"key\":\"HKLM\\\\SOFTWARE\\\\Plain\",\"time\":\"1601-01-01T00:"
	    "00:"
	    "00.0000000Z\"}\n"
	    "{\"op\":\"value_modified\",\"key\":\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows "
	    "NT\\\\CurrentVersion\\\\Winlogon\",\"value\":\"Shell\",\"old_type\":\"REG_DWORD\","
	    "\"new_type\":\"REG_DWORD\",\"old_data\":1,\"new_data\":2,\"old_data_hex\":"
	    "\"01000000\","
	    "\"new_data_hex\":\"02000000\",\"persistence\":{\"category\":\"a\\\"b\\\\c\\u001b\","
	    "\"attack\":\"T<1>&\"}}\n"
	    "{\"op\":\"value_added\",\"key\":\"HKU\\\\alice\\\\Software\\\\Microsoft\\\\Windows\\\\"
	    "CurrentVersion\\\\Run\",\"value\":\"Ev\\u0000\\u001b\\\"<&\\ud800\",\"type\":\"REG_"
	    "SZ\","
	    "\"data\":\"x\",\"data_hex\":\"78000000\",\"persistence\":{\"category\":\"run\","
	    "\"attack\":\"T1547.001\"}}\n");

	regdiff__buf_free(&txt);
	regdiff__buf_free(&crlf);
	regdiff__buf_free(&jsonl);
	unmake(&run);
	unmake(&mod);
	unmake(&plain);
	unmake(&svc);
}

static int list(void)
{
	regdiff__buf b = {0};
	int rc = fixture_diff(NULL, false, &b);
	fwrite(b.data, 1, b.len, stdout);
	regdiff__buf_free(&b);
	return rc == REGDIFF_ITEROVER ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return list();
	test_builtin();
	test_user_table();
	test_docs_table();
	test_fixtures();
	test_reports();
	return tu_result("test_persistence");
}

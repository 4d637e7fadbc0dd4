/* Every row of the built-in persistence table, tested from the table
 * itself: one concrete change at the row's location in every hive and view
 * its key pattern names (the machine in both registry views, users by SID,
 * .DEFAULT and HKCU, every home of classes and their Wow6432Node,
 * CurrentControlSet and numbered control sets), for every value it lists
 * (or any value, or the key and its subkeys), must be tagged with exactly
 * that row; and changes next to it must not be flagged: a sibling key, a
 * value of a similar name, a subkey of a location that does not cover
 * subkeys, the key itself where only values count, a hive the placeholder
 * does not stand for, and the key's last two names joined into one name
 * holding a backslash (a hostile hive's "CurrentVersion\Run").
 *
 *   test_persistence_rows          run the tests
 *   test_persistence_rows --count  print how many changes were tried
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "persistence.h"
#include "test_util.h"

/* What each placeholder stands for: the views a row is tested in. The
 * classes' views are those of issue 10: the machine's, 32-bit ones in
 * Classes\Wow6432Node (and the WOW64 link a live source may list), a
 * user's UsrClass.dat and their Software\Classes, HKCU and HKCR. */
static const struct {
	const char *name;
	const char *views[12];
	const char *wrong; /* a mount the placeholder does not stand for */
} placeholders[] = {
    {"{SW}",
     {"HKLM\\SOFTWARE", "HKLM\\SOFTWARE\\Wow6432Node"},
     "HKLM\\SOFTWARE\\Wow6432Node\\Wow6432Node"},
    {"{U}",
     {"HKU\\S-1-5-21-1-2-3-1001", "HKU\\.DEFAULT", "HKCU"},
     "HKU\\S-1-5-21-1-2-3-1001_Classes"},
    {"{CS}",
     {"HKLM\\SYSTEM\\CurrentControlSet", "HKLM\\SYSTEM\\ControlSet001",
      "HKLM\\SYSTEM\\ControlSet002"},
     "HKLM\\SYSTEM\\ControlSetX1"},
    {"{C}",
     {"HKLM\\SOFTWARE\\Classes", "HKLM\\SOFTWARE\\Classes\\Wow6432Node",
      "HKLM\\SOFTWARE\\Wow6432Node\\Classes", "HKU\\S-1-5-21-1-2-3-1001_Classes",
      "HKU\\S-1-5-21-1-2-3-1001_Classes\\Wow6432Node",
      "HKU\\S-1-5-21-1-2-3-1001\\Software\\Classes",
      "HKU\\.DEFAULT\\Software\\Classes\\Wow6432Node", "HKCU\\Software\\Classes",
      "HKCU\\Software\\Classes\\Wow6432Node", "HKCR", "HKCR\\Wow6432Node"},
     "HKU\\S-1-5-21-1-2-3-1001\\Classes"},
};

#define KEY_MAX 1024
#define NAMES_MAX 64

static size_t tried;

/* Tags a change of key (ASCII, '\' between names) made of names; join: a
 * '\' index in key (SIZE_MAX: none) that is part of a name, not a
 * separator. */
static const regdiff_persistence *tag(const regdiff_locations *L, regdiff_op op, const char *key,
				      size_t join, const char *value)
{
	static uint16_t k[KEY_MAX], v[256];
	static size_t ends[NAMES_MAX];
	size_t n = strlen(key), names = 0;
	for (size_t i = 0; i < n; i++) {
		k[i] = (uint8_t)key[i];
		if (key[i] == '\\' && i != join && names < NAMES_MAX)
			ends[names++] = i;
	}
	ends[names++] = n;
	size_t vn = value ? strlen(value) : 0;
	for (size_t i = 0; i < vn; i++)
		v[i] = (uint8_t)value[i];
	regdiff_change c = {
	    .op = op, .key = {k, n}, .value = {v, vn}, .key_ends = ends, .key_count = names};
	tried++;
	return regdiff_locations_match(L, &c);
}

/* Where another row rightly takes a change made for row (pattern and
 * technique) in the way why says: the first row that fits a change tags
 * it. */
static const struct {
	const char *pattern, *attack, *why;
	const char *by_pattern, *by_attack;
} overlaps[] = {
    /* Any value of a command key is a file association's. */
    {"{C}\\ms-settings\\shell\\open\\command", "T1548.002", "a similar name",
     "{C}\\<progid>\\shell\\<verb>\\command", "T1546.001"},
    {"{C}\\mscfile\\shell\\open\\command", "T1548.002", "a similar name",
     "{C}\\<progid>\\shell\\<verb>\\command", "T1546.001"},
    {"{C}\\Folder\\shell\\open\\command", "T1548.002", "a similar name",
     "{C}\\<progid>\\shell\\<verb>\\command", "T1546.001"},
    {"{C}\\exefile\\shell\\runas\\command", "T1548.002", "a similar name",
     "{C}\\<progid>\\shell\\<verb>\\command", "T1546.001"},
    /* A service's key added is a new service. */
    {"{CS}\\Services\\<name>", "T1574.011", "the key itself", "{CS}\\Services\\<name>",
     "T1543.003"},
    {"{CS}\\Services\\<name>", "T1562.001", "the key itself", "{CS}\\Services\\<name>",
     "T1543.003"},
    {"{CS}\\Services\\NTDS", "T1547.008", "the key itself", "{CS}\\Services\\<name>", "T1543.003"},
    /* An existing service's Start or Type changed. */
    {"{CS}\\Services\\<name>", "T1543.003", "a listed value modified", "{CS}\\Services\\<name>",
     "T1562.001"},
    /* "<name>\Parameters" as one name is a service's name, and
     * ServiceDll is a service's value too. */
    {"{CS}\\Services\\<name>\\Parameters", "T1543.003", "the last two names as one",
     "{CS}\\Services\\<name>", "T1543.003"},
    {"{CS}\\Services\\TermService\\Parameters", "T1505.005", "the last two names as one",
     "{CS}\\Services\\<name>", "T1543.003"},
};

static bool is_row(const regdiff_persistence *p, const char *pattern, const char *attack)
{
	return p && strcmp(p->pattern, pattern) == 0 && strcmp(p->attack, attack) == 0;
}

static size_t overlaps_used;

/* want: the row the change must be tagged with; NULL: not flagged. row:
 * the row being tested. */
static void expect(const regdiff_locations *L, const regdiff__location_row *row,
		   const regdiff__location_row *want, regdiff_op op, const char *key, size_t join,
		   const char *value, const char *why)
{
	const regdiff_persistence *p = tag(L, op, key, join, value);
	bool ok =
	    want ? is_row(p, want->key, want->attack) && strcmp(p->category, want->category) == 0
		 : p == NULL;
	for (size_t i = 0; !ok && i < sizeof overlaps / sizeof overlaps[0]; i++) {
		if (strcmp(row->key, overlaps[i].pattern) == 0 &&
		    strcmp(row->attack, overlaps[i].attack) == 0 &&
		    strcmp(why, overlaps[i].why) == 0 &&
		    is_row(p, overlaps[i].by_pattern, overlaps[i].by_attack)) {
			ok = true;
			overlaps_used |= (size_t)1 << i;
		}
	}
	if (!ok) {
		fprintf(stderr, "op %d %s : %s (%s): got %s %s [%s], want %s %s\n", (int)op, key,
			value ? value : "(key)", why, p ? p->category : "-", p ? p->attack : "",
			p ? p->pattern : "", want ? want->category : "-", want ? want->attack : "");
		tu_failures++;
	}
}

/* The row's values field, parsed. */
typedef struct values {
	bool any, tree, new_key, modified;
	char names[16][64]; /* "(default)" as "" */
	bool digits[16];    /* the name may be followed by digits */
	size_t n;
} values;

static void parse_values(const char *s, values *v)
{
	memset(v, 0, sizeof *v);
	while (*s) {
		size_t len = strcspn(s, ",");
		char item[64];
		snprintf(item, sizeof item, "%.*s", (int)len, s);
		s += len;
		while (*s == ',' || *s == ' ')
			s++;
		if (strcmp(item, "*") == 0)
			v->any = true;
		else if (strcmp(item, "**") == 0)
			v->tree = true;
		else if (strcmp(item, "new key") == 0)
			v->new_key = true;
		else if (strcmp(item, "modified") == 0)
			v->modified = true;
		else if (v->n < 16) {
			size_t il = strlen(item);
			v->digits[v->n] = il > 3 && strcmp(item + il - 3, "<n>") == 0;
			if (v->digits[v->n])
				item[il - 3] = '\0';
			snprintf(v->names[v->n], sizeof v->names[0], "%s",
				 strcmp(item, "(default)") == 0 ? "" : item);
			v->n++;
		}
	}
}

/* The concrete key of pattern rest (after its placeholder) under mount:
 * <path> is two names, any other <...> one. */
static void concrete(char *out, const char *mount, const char *rest)
{
	size_t n = (size_t)snprintf(out, KEY_MAX, "%s", mount);
	for (const char *p = rest; *p && n + 32 < KEY_MAX;) {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			bool path = strncmp(p, "<path>", 6) == 0;
			n += (size_t)snprintf(out + n, KEY_MAX - n, "%s",
					      path ? "Folder\\{E1}" : "{E1}");
			p = end ? end + 1 : p + 1;
			continue;
		}
		out[n++] = *p++;
		out[n] = '\0';
	}
}

/* The key with its last literal name (not a wildcard's) made another:
 * the sibling key next to the location. False if it has none past the
 * mount. */
static bool sibling(char *out, const char *mount, const char *rest)
{
	char pat[KEY_MAX];
	snprintf(pat, sizeof pat, "%s", rest);
	char *last = NULL;
	for (char *p = pat; *p;) {
		char *end = strchr(p, '\\');
		if (*p != '<')
			last = end ? end : p + strlen(p);
		p = end ? end + 1 : p + strlen(p);
	}
	if (!last)
		return false;
	char buf[KEY_MAX];
	snprintf(buf, sizeof buf, "%.*sX%s", (int)(last - pat), pat, last);
	concrete(out, mount, buf);
	return true;
}

static void test_row(const regdiff_locations *L, const regdiff__location_row *row)
{
	values v;
	parse_values(row->values, &v);
	const char *rest = row->key;
	const char *const *views = (const char *const[]){"", NULL};
	const char *wrong = NULL;
	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++) {
		size_t k = strlen(placeholders[i].name);
		if (strncmp(row->key, placeholders[i].name, k) == 0) {
			rest = row->key + k;
			views = placeholders[i].views;
			wrong = placeholders[i].wrong;
		}
	}
	bool path = strstr(row->key, "<path>") != NULL;
	const char *some = v.n ? v.names[0] : "Evil";
	regdiff_op some_op = v.modified ? REGDIFF_VALUE_MODIFIED : REGDIFF_VALUE_ADDED;
	char key[KEY_MAX], sub[KEY_MAX + 16], near[KEY_MAX], name[80];
	for (size_t vi = 0; vi < 12 && views[vi]; vi++) {
		concrete(key, views[vi], rest);
		snprintf(sub, sizeof sub, "%s\\Sub", key);

		/* At the location. */
		for (size_t i = 0; i < v.n; i++) {
			expect(L, row, row, some_op, key, SIZE_MAX, v.names[i], "a listed value");
			if (!v.modified) {
				expect(L, row, row, REGDIFF_VALUE_DELETED, key, SIZE_MAX,
				       v.names[i], "a listed value deleted");
				expect(L, row, row, REGDIFF_VALUE_MODIFIED, key, SIZE_MAX,
				       v.names[i], "a listed value modified");
			} else {
				const regdiff_persistence *p =
				    tag(L, REGDIFF_VALUE_ADDED, key, SIZE_MAX, v.names[i]);
				if (is_row(p, row->key, row->attack)) {
					fprintf(stderr, "%s : %s added: tagged as modified\n", key,
						v.names[i]);
					tu_failures++;
				}
			}
			if (v.digits[i]) {
				snprintf(name, sizeof name, "%s12", v.names[i]);
				expect(L, row, row, some_op, key, SIZE_MAX, name,
				       "digits after the name");
				snprintf(name, sizeof name, "%s1X", v.names[i]);
				expect(L, row, NULL, some_op, key, SIZE_MAX, name,
				       "not digits after it");
			}
			if (!v.any && !v.tree) {
				snprintf(name, sizeof name, "%sX", v.names[i]);
				expect(L, row, NULL, some_op, key, SIZE_MAX, name,
				       "a similar name");
			}
		}
		if (v.any || v.tree) {
			expect(L, row, row, REGDIFF_VALUE_ADDED, key, SIZE_MAX, "Evil",
			       "any value");
			expect(L, row, row, REGDIFF_VALUE_DELETED, key, SIZE_MAX, "",
			       "the default value");
		}
		if (v.tree) {
			expect(L, row, row, REGDIFF_KEY_ADDED, key, SIZE_MAX, NULL,
			       "the key itself");
			expect(L, row, row, REGDIFF_KEY_ADDED, sub, SIZE_MAX, NULL, "a subkey");
			expect(L, row, row, REGDIFF_KEY_DELETED, sub, SIZE_MAX, NULL,
			       "a subkey deleted");
			expect(L, row, row, REGDIFF_VALUE_MODIFIED, sub, SIZE_MAX, "x",
			       "a subkey's value");
		} else {
			/* Below a task's key is a task in a folder. */
			expect(L, row, path ? row : NULL, some_op, sub, SIZE_MAX, some,
			       "a subkey's value");
			expect(L, row, path ? row : NULL, REGDIFF_KEY_ADDED, sub, SIZE_MAX, NULL,
			       "a subkey");
		}
		if (v.new_key) {
			expect(L, row, row, REGDIFF_KEY_ADDED, key, SIZE_MAX, NULL,
			       "the key added");
			expect(L, row, row, REGDIFF_KEY_DELETED, key, SIZE_MAX, NULL,
			       "the key deleted");
		} else if (!v.tree) {
			expect(L, row, NULL, REGDIFF_KEY_ADDED, key, SIZE_MAX, NULL,
			       "the key itself");
		}

		/* Next to it. */
		if (sibling(near, views[vi], rest))
			expect(L, row, NULL, some_op, near, SIZE_MAX, some, "a sibling key");
		/* The last two names as one: a task's name under Tree may hold
		 * anything, so there it is still a task. */
		const char *sep = strrchr(key, '\\');
		if (sep)
			expect(L, row, path ? row : NULL, some_op, key, (size_t)(sep - key), some,
			       "the last two names as one");
	}
	if (wrong) {
		concrete(key, wrong, rest);
		expect(L, row, NULL, some_op, key, SIZE_MAX, some, "a hive it does not stand for");
	}
}

int main(int argc, char **argv)
{
	regdiff_locations *L = NULL;
	CHECK(regdiff_locations_new(&L, 0) == 0);
	for (size_t i = 0; L && i < regdiff__location_table_len; i++)
		test_row(L, &regdiff__location_table[i]);
	regdiff_locations_free(L);
	/* Each overlap is one the table has: none is left over. */
	CHECK(overlaps_used == ((size_t)1 << sizeof overlaps / sizeof overlaps[0]) - 1);
	if (argc > 1 && strcmp(argv[1], "--count") == 0)
		printf("%zu rows, %zu changes\n", regdiff__location_table_len, tried);
	return tu_result("test_persistence_rows");
}

/* Every option of every command's table is shown in that command's help
 * (`regdiff help CMD` prints exactly what cli_help_write writes) with a
 * description, and is documented in the man page: an option added to a
 * table without them fails here.
 *
 *   test_cli_help MAN_PAGE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int failures;

static char *read_all(FILE *f)
{
	size_t cap = 1 << 16, len = 0, n;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	while ((n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *t = realloc(s, cap *= 2);

			if (!t) {
				free(s);
				return NULL;
			}
			s = t;
		}
	}
	s[len] = '\0';
	return s;
}

/* The option as the man page writes it: every '-' as "\-". */
static void man_form(char *out, size_t size, const char *prefix, const char *name)
{
	size_t n = 0;

	for (const char *p = prefix; *p && n + 3 < size; p++)
		out[n++] = *p;
	for (const char *p = name; *p && n + 3 < size; p++) {
		if (*p == '-')
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n] = '\0';
}

static void check_table(const char *cmd, const cli_option *table, const char *help, const char *man)
{
	for (const cli_option *o = table; o && o->long_name; o++) {
		char want[128], man_want[160];

		if (!o->help || !o->help[0]) {
			fprintf(stderr, "FAIL: %s: --%s has no help text\n", cmd, o->long_name);
			failures++;
		}
		if (o->short_name)
			snprintf(want, sizeof(want), "  -%c, --%s", o->short_name, o->long_name);
		else
			snprintf(want, sizeof(want), "      --%s", o->long_name);
		if (!strstr(help, want)) {
			fprintf(stderr, "FAIL: 'regdiff help %s' does not show '%s'\n", cmd, want);
			failures++;
		}
		man_form(man_want, sizeof(man_want), "\\-\\-", o->long_name);
		if (!strstr(man, man_want)) {
			fprintf(stderr, "FAIL: the man page does not document %s's --%s\n", cmd,
				o->long_name);
			failures++;
		}
	}
}

static void check_help(const char *cmd, const cli_help *h, const char *man)
{
	FILE *f = tmpfile();
	char *text;

	if (!f) {
		perror("tmpfile");
		exit(2);
	}
	cli_help_write(f, h);
	rewind(f);
	text = read_all(f);
	fclose(f);
	if (!text) {
		fputs("out of memory\n", stderr);
		exit(2);
	}
	check_table(cmd, h->options, text, man);
	check_table(cmd, h->more, text, man);
	free(text);
}

int main(int argc, char **argv)
{
	FILE *f;
	char *man;

	if (argc != 2) {
		fputs("usage: test_cli_help MAN_PAGE\n", stderr);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || !(man = read_all(f))) {
		perror(argv[1]);
		return 2;
	}
	fclose(f);
	check_help("(global)", &cli_main_help, man);
	for (const cli_command *c = cli_commands; c->name; c++)
		check_help(c->name, c->help, man);
	free(man);
	if (failures) {
		fprintf(stderr, "%d failures\n", failures);
		return 1;
	}
	puts("every option is in its command's help and in the man page");
	return 0;
}

/* Help texts printed from the option tables, so that an option cannot be
 * parsed without being shown, nor shown without being parsed. */
#include <string.h>

#include "cli.h"

/* The column where option descriptions start. */
enum { HELP_COLUMN = 23 };

/* "  -o, --output FILE", "      --logs=MODE": the option as written. */
static int print_names(FILE *f, const cli_option *o)
{
	int n;

	if (o->short_name)
		n = fprintf(f, "  -%c, --%s", o->short_name, o->long_name);
	else
		n = fprintf(f, "      --%s", o->long_name);
	if (o->arg_name)
		n += fprintf(f, "%s%s", o->arg_name[0] == '=' ? "" : " ", o->arg_name);
	return n;
}

static void print_option(FILE *f, const cli_option *o)
{
	int n = print_names(f, o);

	/* Continuation lines of the description start at the column too. */
	for (const char *p = o->help; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		fprintf(f, "%*s%.*s\n", n < HELP_COLUMN ? HELP_COLUMN - n : 2, "", (int)len, p);
		n = 0;
		p += len + (end ? 1 : 0);
	}
}

/* --quiet and --help, which every command has, come last. */
static bool is_general(const cli_option *o)
{
	return strcmp(o->long_name, "quiet") == 0 || strcmp(o->long_name, "help") == 0;
}

static void print_table(FILE *f, const cli_option *table, bool general)
{
	for (const cli_option *o = table; o && o->long_name; o++)
		if (is_general(o) == general)
			print_option(f, o);
}

void cli_help_write(FILE *f, const cli_help *h)
{
	fputs(h->intro, f);
	fputs("\nOptions:\n", f);
	for (int general = 0; general < 2; general++) {
		print_table(f, h->options, general);
		print_table(f, h->more, general);
	}
	fputc('\n', f);
	fputs(h->outro, f);
}

int cli_help_print(const cli_help *h)
{
	cli_help_write(stdout, h);
	return cli_finish_stdout();
}

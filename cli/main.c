/* regdiff: global options and the choice of command. */
#include <string.h>

#include "cli.h"

static const cli_command *find_command(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int print_version(void)
{
	static const struct {
		unsigned bit;
		const char *name;
	} features[] = {
	    {REGDIFF_FEATURE_HIVE, "hive"},
	    {REGDIFF_FEATURE_HTML, "html"},
	    {REGDIFF_FEATURE_LIVE, "live"},
	    {REGDIFF_FEATURE_IMAGES, "images"},
	};
	unsigned have = regdiff_features();
	const char *lib = regdiff_version();

	/* A shared library other than the one built against shows itself. */
	if (strcmp(lib, REGDIFF_VERSION_STRING) == 0)
		printf("regdiff %s\n", lib);
	else
		printf("regdiff %s (library %s)\n", REGDIFF_VERSION_STRING, lib);
	fputs("features:", stdout);
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		printf(" %c%s", (have & features[i].bit) ? '+' : '-', features[i].name);
	fputc('\n', stdout);
	return cli_finish_stdout();
}

static int help_command(int argc, char **argv)
{
	const cli_command *c;

	if (argc < 2)
		return cli_help_print(&cli_main_help);
	if (argc > 2)
		return cli_usage_error("help: too many arguments");
	c = find_command(argv[1]);
	if (!c)
		return cli_usage_error("help: unknown command '%s'", argv[1]);
	return cli_help_print(c->help);
}

int main(int argc, char **argv)
{
	cli_globals g = {false};
	cli_args a;
	const cli_command *c;
	int opt;

	cli_heap_init();
	argv = cli_utf8_argv(&argc, argv);
	cli_clean_up_on_signals();
	cli_args_init(&a, argc, argv, 1);
	a.stop_at_operand = true;
	while ((opt = cli_args_next(&a, cli_main_help.options)) != 0) {
		switch (opt) {
		case CLI_GLOBAL_QUIET:
			g.quiet = true;
			break;
		case CLI_GLOBAL_HELP:
			return cli_help_print(&cli_main_help);
		case CLI_GLOBAL_VERSION:
			return print_version();
		default:
			return CLI_EXIT_TROUBLE;
		}
	}
	if (a.next >= argc)
		return cli_usage_error("no command given");
	argc -= a.next;
	argv += a.next;
	if (strcmp(argv[0], "help") == 0)
		return help_command(argc, argv);
	c = find_command(argv[0]);
	if (!c)
		return cli_usage_error("unknown command '%s'", argv[0]);
	return c->run(&g, argc, argv);
}

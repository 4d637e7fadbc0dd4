/* regdiff: global options and the choice of command. */
#include <string.h>

#include "cli.h"

static const char main_usage[] =
    "Usage: regdiff [-q] COMMAND [OPTION]... [ARGUMENT]...\n"
    "Take snapshots of the Windows registry and show what changed between two.\n"
    "\n"
    "Commands:\n"
    "  shot     take a snapshot of hive files or of the live registry\n"
    "  compare  compare two snapshots or sources and report the changes\n"
    "  info     check a snapshot file and show what it holds\n"
    "  watch    shoot, run a command, shoot again and report the changes\n"
    "  filters  list the noise profile, check a rules file\n"
    "  help     show this help, or a command's with 'help COMMAND'\n"
    "\n"
    "Options:\n"
    "  -q, --quiet    show no progress on the terminal\n"
    "  -h, --help     show this help and exit\n"
    "  -V, --version  show the version and the features built in, and exit\n"
    "\n"
    "Run 'regdiff COMMAND --help' for a command's options.\n"
    "Exit status: 0 success (compare: no differences), 1 differences found,\n"
    "2 trouble, 3 (compare) no differences in what could be read, but parts\n"
    "were not compared.\n";

typedef struct command {
	const char *name;
	cli_command_fn run;
	const char *usage;
} command;

static const command commands[] = {
    {"shot", cli_cmd_shot, cli_shot_usage},
    {"compare", cli_cmd_compare, cli_compare_usage},
    {"info", cli_cmd_info, cli_info_usage},
    {"watch", cli_cmd_watch, cli_watch_usage},
    {"filters", cli_cmd_filters, cli_filters_usage},
};

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
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

static int print_help(const char *text)
{
	fputs(text, stdout);
	return cli_finish_stdout();
}

static int help_command(int argc, char **argv)
{
	const command *c;

	if (argc < 2)
		return print_help(main_usage);
	if (argc > 2)
		return cli_usage_error("help: too many arguments");
	c = find_command(argv[1]);
	if (!c)
		return cli_usage_error("help: unknown command '%s'", argv[1]);
	return print_help(c->usage);
}

enum { OPT_QUIET = 1, OPT_HELP, OPT_VERSION };

static const cli_option global_options[] = {
    {"quiet", 'q', CLI_NO_ARG, OPT_QUIET},
    {"help", 'h', CLI_NO_ARG, OPT_HELP},
    {"version", 'V', CLI_NO_ARG, OPT_VERSION},
    {NULL, 0, CLI_NO_ARG, 0},
};

int main(int argc, char **argv)
{
	cli_globals g = {false};
	cli_args a;
	const command *c;
	int opt;

	argv = cli_utf8_argv(&argc, argv);
	cli_clean_up_on_signals();
	cli_args_init(&a, argc, argv, 1);
	a.stop_at_operand = true;
	while ((opt = cli_args_next(&a, global_options)) != 0) {
		switch (opt) {
		case OPT_QUIET:
			g.quiet = true;
			break;
		case OPT_HELP:
			return print_help(main_usage);
		case OPT_VERSION:
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

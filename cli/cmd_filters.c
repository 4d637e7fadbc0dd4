/* regdiff filters: the rule grammar and the built-in noise profile. */
#include <string.h>

#include "cli.h"

enum { OPT_LIST = 1, OPT_CHECK, OPT_HELP };

static const cli_option filters_options[] = {
    {"list", 0, CLI_NO_ARG, OPT_LIST, NULL, "the noise profile: rule, reason, Windows versions"},
    {"check", 0, CLI_REQUIRED_ARG, OPT_CHECK, "FILE",
     "read FILE's rules and report the first bad line"},
    {"help", 'h', CLI_NO_ARG, OPT_HELP, NULL, "show this help and exit"},
    {NULL, 0, CLI_NO_ARG, 0, NULL, NULL},
};

const cli_help cli_filters_help = {
    "Usage: regdiff filters --list\n"
    "       regdiff filters --check FILE\n"
    "List the built-in noise profile, or check a rules file.\n"
    "\n"
    "compare and watch take filters: --exclude RULE, --include RULE, --filters\n"
    "FILE and --noise default|none. A RULE is KEY[:VALUE][ KINDS]:\n"
    "  KEY    names joined by '\\', from a root written out: HKLM, HKU, HKCC\n"
    "         (long forms too) or HKCU, which stands for HKU\\*. A name '*' is\n"
    "         any one name, '**' any number of names; '*' inside a name is any\n"
    "         run of characters. Case does not matter. A ':' inside a name is\n"
    "         written '\\:' (C\\:\\Temp is the key C: and its subkey Temp); a\n"
    "         name that starts with ':' follows a doubled '\\' (Foo\\\\:x).\n"
    "  VALUE  after the first ':' not written '\\:', a value name, '*' any run\n"
    "         of characters, (default) the unnamed value: the rule then matches\n"
    "         value changes only.\n"
    "  KINDS  added, deleted, modified, key-added, key-deleted, key-modified,\n"
    "         value-added, value-deleted, value-modified (comma-separated).\n"
    "A rule must start with a root, and '**' may not follow the root when more\n"
    "names come after it (HKLM\\**\\Foo): either would match a name anywhere.\n"
    "An include rule beats every exclude rule. A change at a persistence\n"
    "location is never removed: it stays, marked with the rule it matched.\n"
    "A rules file holds 'exclude RULE' or 'include RULE' lines and # comments.\n"
    "shot --exclude RULE skips keys while shooting: key rules only.\n",
    filters_options,
    NULL,
    "Exit status: 0 success, 2 trouble (a bad rule: FILE:LINE and why).\n",
};

static int list_profile(void)
{
	printf("# regdiff noise profile %s: %zu rules\n", regdiff_noise_profile_version(),
	       regdiff_noise_profile_count());
	for (size_t i = 0; i < regdiff_noise_profile_count(); i++) {
		const regdiff_filter_info *f = regdiff_noise_profile_get(i);

		printf("exclude %s\n", f->rule);
		printf("    # %s: %s (Windows %s)\n", f->origin, f->reason, f->windows);
	}
	return cli_finish_stdout();
}

static int check_file(const char *path)
{
	regdiff_filters *f = NULL;
	int rc = regdiff_filters_new(&f, 0);

	if (rc == 0)
		rc = regdiff_filters_load(f, path);
	if (rc == 0)
		printf("%s: %zu rules\n", path, regdiff_filters_count(f));
	regdiff_filters_free(f);
	if (rc < 0)
		return cli_fail(rc, path);
	return cli_finish_stdout();
}

int cli_cmd_filters(const cli_globals *g, int argc, char **argv)
{
	const char *check = NULL;
	bool list = false;
	cli_args a;
	int opt;

	(void)g;
	cli_args_init(&a, argc, argv, 1);
	while ((opt = cli_args_next(&a, filters_options)) != 0) {
		switch (opt) {
		case OPT_LIST:
			list = true;
			break;
		case OPT_CHECK:
			check = a.value;
			break;
		case OPT_HELP:
			return cli_help_print(&cli_filters_help);
		default:
			return CLI_EXIT_TROUBLE;
		}
	}
	if (a.operands)
		return cli_usage_error("filters: too many arguments");
	if (list == (check != NULL))
		return cli_usage_error("filters: --list or --check FILE is needed");
	return list ? list_profile() : check_file(check);
}

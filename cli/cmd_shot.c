/* regdiff shot: take a snapshot of sources into a file. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_OUTPUT = 1, OPT_COMPUTER, OPT_USER, OPT_EXCLUDE, OPT_FILTERS, OPT_QUIET, OPT_HELP };

static const cli_option shot_options[] = {
    {"output", 'o', CLI_REQUIRED_ARG, OPT_OUTPUT, "FILE",
     "write the snapshot to FILE (required); FILE is\n"
     "replaced only once the snapshot is complete"},
    {"computer", 0, CLI_REQUIRED_ARG, OPT_COMPUTER, "NAME", "record NAME as the computer's name"},
    {"user", 0, CLI_REQUIRED_ARG, OPT_USER, "NAME", "record NAME as the user's name"},
    {"exclude", 0, CLI_REQUIRED_ARG, OPT_EXCLUDE, "RULE",
     "do not read the keys RULE matches, nor their subtrees\n"
     "(a key rule; repeatable): a compare reports them as\n"
     "not shot"},
    {"filters", 0, CLI_REQUIRED_ARG, OPT_FILTERS, "FILE",
     "the same for each 'exclude RULE' line of FILE"},
    CLI_LOGS_OPTION_ROWS,
    CLI_BACKUP_OPTION_ROW,
    {"quiet", 'q', CLI_NO_ARG, OPT_QUIET, NULL,
     "show no progress, and no warning about what could not\n"
     "be read"},
    {"help", 'h', CLI_NO_ARG, OPT_HELP, NULL, "show this help and exit"},
    {NULL, 0, CLI_NO_ARG, 0, NULL, NULL},
};

const cli_help cli_shot_help = {
    "Usage: regdiff shot [-q] -o FILE [--computer NAME] [--user NAME] [SOURCE]...\n"
    "Take a snapshot of the SOURCEs into FILE.\n"
    "\n"
    "A SOURCE is a hive file mounted at a registry path derived from its name\n"
    "(SYSTEM -> HKLM\\SYSTEM, NTUSER.DAT -> HKU\\<user>, ...), MOUNT=FILE to\n"
    "choose the path, or on Windows a path of the live registry (HKLM,\n"
    "HKU\\S-1-5-18, ...). Without a SOURCE, Windows builds take HKLM and HKU.\n"
    "\n"
    "--exclude and --filters take key rules as compare does ('regdiff filters\n"
    "--help'), without value names, change kinds or include rules: a shot skips\n"
    "whole subtrees, which makes it faster. The snapshot records the rules\n"
    "('regdiff info'), and a compare lists each skipped key as not shot, never as\n"
    "deleted or added. A shot cannot keep what it does not read: a warning says\n"
    "when skipped subtrees hold persistence locations.\n",
    shot_options,
    NULL,
    "Exit status: 0 success, 2 trouble.\n",
};

/* The live registry's hives when no SOURCE is given. */
static char *default_sources[] = {"HKLM", "HKU"};

/* A warning, not a failure: the snapshot is good, but "no change" will not
 * be telling of keys it could not read. */
static void warn_problems(const char *path, const regdiff_shot_stats *stats)
{
	if (stats->problems == 0)
		return;
	fputs("regdiff: warning: ", stderr);
	cli_put_safe(stderr, path);
	fprintf(stderr, ": %" PRIu64 " keys or values could not be read (see 'regdiff info')\n",
		stats->problems);
}

/* What the shot skipped, when it holds persistence locations. */
static void warn_not_shot(const char *path)
{
	regdiff_snapshot *snap;

	if (regdiff_snapshot_open(&snap, path) < 0)
		return;
	cli_warn_not_shot(snap, path);
	regdiff_snapshot_free(snap);
}

static int shoot(const cli_globals *g, const char *output, char **specs, int nspecs,
		 regdiff_shot_options *opts)
{
	regdiff_source **sources = calloc((size_t)nspecs, sizeof(*sources));
	regdiff_shot_stats stats = REGDIFF_SHOT_STATS_INIT;
	cli_progress progress;
	int status = CLI_EXIT_TROUBLE;
	int rc = 0;

	if (!sources)
		return cli_error("out of memory");
	for (int i = 0; i < nspecs; i++) {
		rc = cli_source_open(&sources[i], g, specs[i]);
		if (rc < 0) {
			cli_fail(rc, specs[i]);
			goto out;
		}
		if (cli_refuse_overwrite_source(output, sources[i]) != CLI_EXIT_OK)
			goto out;
	}
	cli_progress_init(&progress, g);
	cli_progress_phase(&progress, "shot", true);
	opts->progress = cli_progress_update;
	opts->progress_ctx = &progress;
	rc = regdiff_shot_to_file(&stats, output, sources, (size_t)nspecs, opts);
	cli_progress_end(&progress);
	if (rc < 0) {
		cli_fail(rc, output);
		goto out;
	}
	if (!g->quiet)
		warn_problems(output, &stats);
	/* Only a shot that excluded something has a warning to give, and
	 * only a regular file can be read back: a FIFO written in place
	 * would block the reopen forever. */
	if (!g->quiet && opts->exclude && cli_is_file(output))
		warn_not_shot(output);
	status = CLI_EXIT_OK;
out:
	for (int i = 0; i < nspecs; i++)
		regdiff_source_free(sources[i]);
	free(sources);
	return status;
}

static int shot_command(const cli_globals *global, int argc, char **argv,
			regdiff_filters **excluded)
{
	regdiff_shot_options opts = REGDIFF_SHOT_OPTIONS_INIT;
	cli_globals g = *global;
	const char *output = NULL;
	char **specs;
	int nspecs;
	cli_args a;
	int opt;

	cli_args_init(&a, argc, argv, 1);
	while ((opt = cli_args_next(&a, shot_options)) != 0) {
		switch (opt) {
		case OPT_OUTPUT:
			output = a.value;
			break;
		case OPT_COMPUTER:
			opts.computer = a.value;
			break;
		case OPT_USER:
			opts.user = a.value;
			break;
		case OPT_EXCLUDE:
		case OPT_FILTERS:
			if (cli_shot_exclude_option(excluded, opt == OPT_FILTERS, a.value,
						    "--exclude") != CLI_EXIT_OK)
				return CLI_EXIT_TROUBLE;
			opts.exclude = *excluded;
			break;
		case OPT_QUIET:
			g.quiet = true;
			break;
		case OPT_HELP:
			return cli_help_print(&cli_shot_help);
		default:
			if (cli_logs_option(&g, opt, a.value) <= 0)
				return CLI_EXIT_TROUBLE;
		}
	}
	if (!output || !output[0])
		return cli_usage_error("shot: no output file (-o FILE) given");
	/* A snapshot is binary and is written by renaming a finished
	 * temporary file, which a terminal or a pipe cannot be. */
	if (strcmp(output, "-") == 0)
		return cli_usage_error(
		    "shot: a snapshot cannot go to standard output; name a file");
	specs = argv;
	nspecs = a.operands;
	if (nspecs == 0) {
		if (!(regdiff_features() & REGDIFF_FEATURE_LIVE))
			return cli_usage_error("shot: no SOURCE given");
		specs = default_sources;
		nspecs = 2;
	}
	if (g.live_flags & REGDIFF_LIVE_BACKUP)
		opts.flags |= REGDIFF_SHOT_PRIVATE;
	cli_warn_backup(&g);
	return shoot(&g, output, specs, nspecs, &opts);
}

int cli_cmd_shot(const cli_globals *global, int argc, char **argv)
{
	regdiff_filters *excluded = NULL;
	int status = shot_command(global, argc, argv, &excluded);

	regdiff_filters_free(excluded);
	return status;
}

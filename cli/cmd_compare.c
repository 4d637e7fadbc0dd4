/* regdiff compare: report what changed between two snapshots or sources. */
#include <string.h>

#include "cli.h"

/* Kept as written: clang-format would join lines around the macro. */
/* clang-format off */
const char cli_compare_usage[] =
    "Usage: regdiff compare [OPTION]... BEFORE AFTER\n"
    "Report what changed from BEFORE to AFTER.\n"
    "\n"
    "BEFORE and AFTER are each a snapshot file (from 'regdiff shot') or a\n"
    "SOURCE as 'regdiff shot' takes it: a hive file, MOUNT=FILE or a live\n"
    "registry path, shot on the spot. When both are hive files without a\n"
    "MOUNT, AFTER is mounted where BEFORE is, so that their roots compare.\n"
    "\n"
    "Options:\n"
    CLI_REPORT_OPTIONS_HELP
    CLI_LOGS_OPTIONS_HELP
    "  -q, --quiet          show no progress\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "Exit status: 0 no differences, 1 differences, 2 trouble, 3 no differences\n"
    "in what could be read, but parts could not be read and were not compared.\n";
/* clang-format on */

enum { OPT_QUIET = 1, OPT_HELP };

static const cli_option compare_options[] = {
    {"quiet", 'q', CLI_NO_ARG, OPT_QUIET},
    {"help", 'h', CLI_NO_ARG, OPT_HELP},
    CLI_LOGS_OPTION_ROWS,
    {NULL, 0, CLI_NO_ARG, 0},
};

/* One side of the comparison: a snapshot file, or a source shot now. */
typedef struct side {
	const char *arg;
	regdiff_source *source; /* NULL for a snapshot file */
	regdiff_snapshot *snap;
} side;

/* Opens arg as a snapshot, or failing that as a source spec. */
static int open_side(side *s, const cli_globals *g, const char *arg)
{
	int rc;

	s->arg = arg;
	rc = regdiff_snapshot_open(&s->snap, arg);
	if (rc == 0)
		return CLI_EXIT_OK;
	/* A file that is no snapshot may be a hive, and a name that is no
	 * file may be MOUNT=FILE or a registry path; anything else is a
	 * snapshot we cannot read, and saying so beats a confusing "not a
	 * hive". */
	if (rc != REGDIFF_EFOREIGN && cli_is_file(arg))
		return cli_fail(rc, arg);
	rc = cli_source_open(&s->source, g, arg);
	if (rc < 0)
		return cli_fail(rc, arg);
	return CLI_EXIT_OK;
}

static bool is_bare_hive(const side *s)
{
	return s->source && strchr(s->arg, '=') == NULL &&
	       regdiff_source_kind(s->source) == REGDIFF_KIND_HIVE;
}

/* The report may not go over either side's file. */
static int refuse_overwrite(const cli_report_opts *report, const side *s)
{
	if (s->source)
		return cli_refuse_overwrite_source(report->output, s->source);
	return cli_refuse_overwrite(report->output, s->arg);
}

static int shoot_side(side *s, cli_progress *progress, const char *label)
{
	regdiff_shot_options opts = REGDIFF_SHOT_OPTIONS_INIT;
	int rc;

	if (!s->source)
		return CLI_EXIT_OK;
	opts.progress = cli_progress_update;
	opts.progress_ctx = progress;
	cli_progress_phase(progress, label, true);
	rc = regdiff_shot_take(&s->snap, &s->source, 1, &opts);
	cli_progress_end(progress);
	if (rc < 0)
		return cli_fail(rc, s->arg);
	return CLI_EXIT_OK;
}

static int compare(const cli_globals *g, const cli_report_opts *report, const char *before_arg,
		   const char *after_arg)
{
	side before = {NULL, NULL, NULL};
	side after = {NULL, NULL, NULL};
	cli_progress progress;
	int status;

	cli_progress_init(&progress, g);
	status = open_side(&before, g, before_arg);
	if (status == CLI_EXIT_OK)
		status = open_side(&after, g, after_arg);
	if (status == CLI_EXIT_OK && is_bare_hive(&before) && is_bare_hive(&after)) {
		/* Two copies of one hive taken at different times often have
		 * different file names, from which different mounts would be
		 * derived and nothing would match. */
		int rc =
		    regdiff_source_set_mount(after.source, regdiff_source_mount(before.source));

		if (rc < 0)
			status = cli_fail(rc, after_arg);
	}
	if (status == CLI_EXIT_OK)
		status = refuse_overwrite(report, &before);
	if (status == CLI_EXIT_OK)
		status = refuse_overwrite(report, &after);
	if (status == CLI_EXIT_OK)
		status = shoot_side(&before, &progress, "before");
	if (status == CLI_EXIT_OK)
		status = shoot_side(&after, &progress, "after");
	if (status == CLI_EXIT_OK)
		status = cli_report_run(report, before.snap, after.snap, &progress);
	regdiff_snapshot_free(before.snap);
	regdiff_snapshot_free(after.snap);
	regdiff_source_free(before.source);
	regdiff_source_free(after.source);
	return status;
}

int cli_cmd_compare(const cli_globals *global, int argc, char **argv)
{
	cli_report_opts report;
	cli_globals g = *global;
	cli_args a;
	int opt, status;

	cli_report_init(&report, "compare");
	cli_args_init(&a, argc, argv, 1);
	a.more = cli_report_options;
	while ((opt = cli_args_next(&a, compare_options)) != 0) {
		int taken = cli_report_option(&report, opt, a.value);

		if (taken > 0)
			continue;
		if (taken < 0)
			return CLI_EXIT_TROUBLE;
		switch (opt) {
		case OPT_QUIET:
			g.quiet = true;
			break;
		case OPT_HELP:
			fputs(cli_compare_usage, stdout);
			return cli_finish_stdout();
		default:
			if (cli_logs_option(&g, opt, a.value) <= 0)
				return CLI_EXIT_TROUBLE;
		}
	}
	if (a.operands != 2)
		return cli_usage_error(a.operands < 2 ? "compare: BEFORE and AFTER are needed"
						      : "compare: too many arguments");
	status = cli_report_check(&report);
	if (status == CLI_EXIT_OK)
		status = compare(&g, &report, argv[0], argv[1]);
	cli_report_free(&report);
	return status;
}

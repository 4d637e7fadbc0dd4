/* regdiff compare: report what changed between two snapshots or sources. */
#include <string.h>

#include "cli.h"

enum { OPT_QUIET = 1, OPT_HELP };

static const cli_option compare_options[] = {
    CLI_LOGS_OPTION_ROWS,
    {"quiet", 'q', CLI_NO_ARG, OPT_QUIET, NULL, "show no progress"},
    {"help", 'h', CLI_NO_ARG, OPT_HELP, NULL, "show this help and exit"},
    {NULL, 0, CLI_NO_ARG, 0, NULL, NULL},
};

const cli_help cli_compare_help = {
    "Usage: regdiff compare [OPTION]... BEFORE AFTER\n"
    "Report what changed from BEFORE to AFTER.\n"
    "\n"
    "BEFORE and AFTER are each a snapshot file (from 'regdiff shot') or a\n"
    "SOURCE as 'regdiff shot' takes it: a hive file, MOUNT=FILE or a live\n"
    "registry path, shot on the spot. When both are hive files without a\n"
    "MOUNT, AFTER is mounted where BEFORE is, so that their roots compare.\n",
    compare_options,
    cli_report_options,
    "Exit status: 0 no differences, 1 differences, 2 trouble, 3 no differences\n"
    "in what could be read, but parts could not be read and were not compared.\n",
};

/* The report may not go over either side's file. */
static int refuse_overwrite(const cli_report_opts *report, const regdiff_side *s, const char *arg)
{
	if (regdiff_side_source(s))
		return cli_refuse_overwrite_source(report->output, regdiff_side_source(s));
	return cli_refuse_overwrite(report->output, arg);
}

static int shoot_side(regdiff_side *s, const char *arg, cli_progress *progress, const char *label,
		      unsigned flags)
{
	regdiff_shot_options opts = REGDIFF_SHOT_OPTIONS_INIT;
	int rc;

	if (regdiff_side_snapshot(s))
		return CLI_EXIT_OK;
	opts.progress = cli_progress_update;
	opts.progress_ctx = progress;
	opts.flags = flags;
	cli_progress_phase(progress, label, true);
	rc = regdiff_side_shoot(s, &opts);
	cli_progress_end(progress);
	if (rc < 0)
		return cli_fail(rc, arg);
	return CLI_EXIT_OK;
}

/* Two sources are shot together: at once, where the library can. */
static int shoot_sides(regdiff_side *before, regdiff_side *after, const char *before_arg,
		       const char *after_arg, cli_progress *progress, unsigned flags)
{
	regdiff_shot_options opts = REGDIFF_SHOT_OPTIONS_INIT;
	int status, rc;

	if (regdiff_side_snapshot(before) || regdiff_side_snapshot(after)) {
		status = shoot_side(before, before_arg, progress, "before", flags);
		if (status == CLI_EXIT_OK)
			status = shoot_side(after, after_arg, progress, "after", flags);
		return status;
	}
	opts.progress = cli_progress_update;
	opts.progress_ctx = progress;
	opts.flags = flags;
	cli_progress_phase(progress, "before and after", true);
	rc = regdiff_sides_shoot(before, after, &opts);
	cli_progress_end(progress);
	return rc < 0 ? cli_fail(rc, NULL) : CLI_EXIT_OK;
}

/* Both sides, at once where the library can. */
static int open_sides(regdiff_side **before, regdiff_side **after, const cli_globals *g,
		      const char *before_arg, const char *after_arg)
{
	regdiff_source_options opts = REGDIFF_SOURCE_OPTIONS_INIT;
	int rc;

	opts.logs = g->logs;
	opts.live_flags = g->live_flags;
	rc = regdiff_sides_open(before, after, before_arg, after_arg, &opts);
	return rc < 0 ? cli_fail(rc, NULL) : CLI_EXIT_OK;
}

static int compare(const cli_globals *g, cli_report_opts *report, const char *before_arg,
		   const char *after_arg)
{
	regdiff_side *before = NULL, *after = NULL;
	cli_progress progress;
	const char *note = "";
	int status;

	cli_progress_init(&progress, g);
	status = open_sides(&before, &after, g, before_arg, after_arg);
	if (status == CLI_EXIT_OK) {
		/* The library's bare-hive rule: two hives whose mounts come
		 * from their differing file names compare root to root. */
		int rc = regdiff_sides_line_up(&note, before, after);

		if (rc < 0)
			status = cli_fail(rc, after_arg);
		report->report.note = note;
	}
	if (status == CLI_EXIT_OK)
		status = refuse_overwrite(report, before, before_arg);
	if (status == CLI_EXIT_OK)
		status = refuse_overwrite(report, after, after_arg);
	if (status == CLI_EXIT_OK)
		/* Without --key-times, the digests only it reads are not made. */
		status = shoot_sides(
		    before, after, before_arg, after_arg, &progress,
		    report->diff_flags & REGDIFF_DIFF_KEY_TIMES ? 0 : REGDIFF_SHOT_NO_KEY_TIMES);
	if (status == CLI_EXIT_OK)
		status = cli_report_run(report, regdiff_side_snapshot(before),
					regdiff_side_snapshot(after), &progress);
	regdiff_side_free(before);
	regdiff_side_free(after);
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
	a.more = cli_compare_help.more;
	while ((opt = cli_args_next(&a, cli_compare_help.options)) != 0) {
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
			return cli_help_print(&cli_compare_help);
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

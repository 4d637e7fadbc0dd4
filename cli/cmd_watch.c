/* regdiff watch: shoot, run a command, shoot again, report the changes:
 * the dynamic-analysis loop in one command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_WAIT = 1,
	OPT_BEFORE,
	OPT_AFTER,
	OPT_SHOT_EXCLUDE,
	OPT_SHOT_FILTERS,
	OPT_QUIET,
	OPT_HELP
};

static const cli_option watch_options[] = {
    {"wait", 'w', CLI_REQUIRED_ARG, OPT_WAIT, "SECONDS",
     "wait at most SECONDS for COMMAND to end; then take\n"
     "the second snapshot and leave COMMAND running"},
    {"before", 0, CLI_REQUIRED_ARG, OPT_BEFORE, "FILE", "also keep the first snapshot in FILE"},
    {"after", 0, CLI_REQUIRED_ARG, OPT_AFTER, "FILE", "also keep the second snapshot in FILE"},
    {"shot-exclude", 0, CLI_REQUIRED_ARG, OPT_SHOT_EXCLUDE, "RULE",
     "do not read the keys RULE matches, nor their\n"
     "subtrees, in either shot (as shot --exclude)"},
    {"shot-filters", 0, CLI_REQUIRED_ARG, OPT_SHOT_FILTERS, "FILE",
     "the same for each 'exclude RULE' line of FILE"},
    CLI_LOGS_OPTION_ROWS,
    CLI_BACKUP_OPTION_ROW,
    {"quiet", 'q', CLI_NO_ARG, OPT_QUIET, NULL, "show no progress and no notes about COMMAND"},
    {"help", 'h', CLI_NO_ARG, OPT_HELP, NULL, "show this help and exit"},
    {NULL, 0, CLI_NO_ARG, 0, NULL, NULL},
};

const cli_help cli_watch_help = {
    "Usage: regdiff watch [OPTION]... [SOURCE]... -- COMMAND [ARGUMENT]...\n"
    "Take a snapshot of the SOURCEs, run COMMAND, wait for it to end, take a\n"
    "second snapshot and report what changed, as 'regdiff compare' does.\n"
    "\n"
    "SOURCEs are as 'regdiff shot' takes them; without one, Windows builds\n"
    "watch HKLM and HKU. Each snapshot opens the SOURCEs afresh, so a hive\n"
    "file that COMMAND rewrites is read again. COMMAND's standard output goes\n"
    "to standard error while the report goes to standard output.\n"
    "\n"
    "--exclude, --include and --filters filter the report and never hide a\n"
    "change at a persistence location; --shot-exclude and --shot-filters skip\n"
    "subtrees while shooting (faster), and what is not read cannot be shown.\n",
    watch_options,
    cli_report_options,
    "Exit status: 0 no differences, 1 differences, 2 trouble (COMMAND could\n"
    "not be started, say), 3 no differences in what could be read, but parts\n"
    "were not compared. COMMAND's own exit status is shown, not passed on.\n",
};

static char *default_sources[] = {"HKLM", "HKU"};

typedef struct watch_job {
	char **specs;
	int nspecs;
	char **command;
	int64_t wait_ms;     /* -1: until COMMAND ends */
	const char *keep[2]; /* --before, --after */
	cli_report_opts report;
	cli_globals g;	       /* for the logs mode sources are opened with */
	regdiff_filters *skip; /* --shot-exclude, --shot-filters; owned */
} watch_job;

/* Opens the sources afresh and shoots them, into job->keep[i] if given. */
static int shoot(const watch_job *job, int i, cli_progress *progress, regdiff_snapshot **out)
{
	static const char *const labels[] = {"before", "after"};
	regdiff_shot_options opts = REGDIFF_SHOT_OPTIONS_INIT;
	regdiff_source **sources = calloc((size_t)job->nspecs, sizeof(*sources));
	int status = CLI_EXIT_OK;
	int rc = 0;

	if (!sources)
		return cli_error("out of memory");
	for (int k = 0; k < job->nspecs && status == CLI_EXIT_OK; k++) {
		rc = cli_source_open(&sources[k], &job->g, job->specs[k]);
		if (rc < 0)
			status = cli_fail(rc, job->specs[k]);
	}
	if (status == CLI_EXIT_OK) {
		opts.progress = cli_progress_update;
		opts.progress_ctx = progress;
		if (job->g.live_flags & REGDIFF_LIVE_BACKUP)
			opts.flags |= REGDIFF_SHOT_PRIVATE;
		opts.exclude = job->skip;
		cli_progress_phase(progress, labels[i], true);
		if (job->keep[i]) {
			rc = regdiff_shot_to_file(NULL, job->keep[i], sources, (size_t)job->nspecs,
						  &opts);
			if (rc == 0)
				rc = regdiff_snapshot_open(out, job->keep[i]);
		} else {
			rc = regdiff_shot_take(out, sources, (size_t)job->nspecs, &opts);
		}
		cli_progress_end(progress);
		if (rc < 0)
			status = cli_fail(rc, job->keep[i] ? job->keep[i] : labels[i]);
		else if (i == 0 && !job->g.quiet)
			cli_warn_not_shot(*out, job->keep[i] ? job->keep[i] : labels[i]);
	}
	for (int k = 0; k < job->nspecs; k++)
		regdiff_source_free(sources[k]);
	free(sources);
	return status;
}

static void note_outcome(const watch_job *job, const cli_outcome *o)
{
	if (o->running)
		fprintf(
		    stderr,
		    "regdiff: note: '%s' was still running after the wait; it is left running\n",
		    job->command[0]);
	else if (o->signaled)
		fprintf(stderr, "regdiff: note: '%s' was killed by signal %ld\n", job->command[0],
			o->status);
	else if (o->status != 0)
		fprintf(stderr, "regdiff: note: '%s' exited with status %ld\n", job->command[0],
			o->status);
}

static int watch(const cli_globals *g, const watch_job *job)
{
	regdiff_snapshot *before = NULL, *after = NULL;
	cli_outcome o;
	cli_progress progress;
	int status;

	cli_progress_init(&progress, g);
	status = shoot(job, 0, &progress, &before);
	if (status == CLI_EXIT_OK)
		status =
		    cli_run_command(job->command, job->report.output == NULL, job->wait_ms, &o);
	if (status == CLI_EXIT_OK && !g->quiet)
		note_outcome(job, &o);
	if (status == CLI_EXIT_OK)
		status = shoot(job, 1, &progress, &after);
	if (status == CLI_EXIT_OK)
		status = cli_report_run(&job->report, before, after, &progress);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);
	return status;
}

static int parse_wait(const char *text, int64_t *ms)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(text, &end);
	/* A year is long enough for any sample; more is a typo. */
	if (end == text || *end || errno || !(s >= 0 && s <= 366.0 * 86400))
		return cli_usage_error("watch: --wait wants a number of seconds, not '%s'", text);
	*ms = (int64_t)(s * 1000 + 0.5);
	return CLI_EXIT_OK;
}

/* No output may go over a SOURCE's file, the --locations file or another
 * output. */
static int check_overwrites(const watch_job *job)
{
	const char *outputs[3] = {job->keep[0], job->keep[1], job->report.output};
	int status = CLI_EXIT_OK;

	for (int i = 0; i < 3 && status == CLI_EXIT_OK; i++) {
		for (int k = i + 1; k < 3 && status == CLI_EXIT_OK; k++)
			status = cli_refuse_same_outputs(outputs[i], outputs[k]);
		if (status == CLI_EXIT_OK)
			status = cli_refuse_overwrite(outputs[i], job->report.locations_file);
	}
	for (int k = 0; k < job->nspecs && status == CLI_EXIT_OK; k++) {
		regdiff_source *src = NULL;

		/* A SOURCE that does not open is reported by the first shot. */
		if (regdiff_source_open(&src, job->specs[k]) < 0)
			continue;
		for (int i = 0; i < 3 && status == CLI_EXIT_OK; i++)
			status = cli_refuse_overwrite_source(outputs[i], src);
		regdiff_source_free(src);
	}
	return status;
}

/* Before the command runs, not after. */
static int check_job(watch_job *job)
{
	for (int i = 0; i < 2; i++)
		if (job->keep[i] && (!job->keep[i][0] || strcmp(job->keep[i], "-") == 0))
			return cli_usage_error("watch: a snapshot cannot go to '%s'; name a file",
					       job->keep[i]);
	if (check_overwrites(job) != CLI_EXIT_OK)
		return CLI_EXIT_TROUBLE;
	return cli_report_check(&job->report);
}

static int set_option(watch_job *job, cli_globals *g, int opt, const char *value)
{
	int taken = cli_report_option(&job->report, opt, value);

	if (taken != 0)
		return taken > 0 ? CLI_EXIT_OK : CLI_EXIT_TROUBLE;
	switch (opt) {
	case OPT_WAIT:
		return parse_wait(value, &job->wait_ms);
	case OPT_BEFORE:
		job->keep[0] = value;
		break;
	case OPT_AFTER:
		job->keep[1] = value;
		break;
	case OPT_SHOT_EXCLUDE:
	case OPT_SHOT_FILTERS:
		return cli_shot_exclude_option(&job->skip, opt == OPT_SHOT_FILTERS, value,
					       "--shot-exclude");
	case OPT_QUIET:
		g->quiet = true;
		break;
	default:
		return cli_logs_option(g, opt, value) > 0 ? CLI_EXIT_OK : CLI_EXIT_TROUBLE;
	}
	return CLI_EXIT_OK;
}

static int watch_command(const cli_globals *global, int argc, char **argv, watch_job *job)
{
	cli_globals g = *global;
	cli_args a;
	int opt, status;

	cli_report_init(&job->report, "watch");
	job->report.live_run = true;

	/* Stop at each operand to see where "--" is: SOURCEs come before
	 * it, COMMAND after, and COMMAND's own options are not ours. */
	cli_args_init(&a, argc, argv, 1);
	a.more = cli_watch_help.more;
	a.stop_at_operand = true;
	for (;;) {
		opt = cli_args_next(&a, cli_watch_help.options);
		if (opt == OPT_HELP)
			return cli_help_print(&cli_watch_help);
		if (opt > 0 && set_option(job, &g, opt, a.value) != CLI_EXIT_OK)
			return CLI_EXIT_TROUBLE;
		if (opt < 0)
			return CLI_EXIT_TROUBLE;
		if (opt > 0)
			continue;
		if (a.only_operands || a.next >= argc)
			break;
		a.argv[a.operands++] = a.argv[a.next++];
	}
	if (!a.only_operands || a.next >= argc)
		return cli_usage_error("watch: no COMMAND given (write it after '--')");
	job->command = argv + a.next; /* argv[argc] is NULL, as exec wants */
	job->specs = argv;
	job->nspecs = a.operands;
	if (job->nspecs == 0) {
		if (!(regdiff_features() & REGDIFF_FEATURE_LIVE))
			return cli_usage_error("watch: no SOURCE given");
		job->specs = default_sources;
		job->nspecs = 2;
	}
	job->g = g;
	status = check_job(job);
	if (status == CLI_EXIT_OK) {
		cli_warn_backup(&g);
		status = watch(&g, job);
	}
	cli_report_free(&job->report);
	return status;
}

int cli_cmd_watch(const cli_globals *global, int argc, char **argv)
{
	watch_job job = {.wait_ms = -1}; /* -1: until COMMAND ends; the rest empty */
	int status = watch_command(global, argc, argv, &job);

	regdiff_filters_free(job.skip);
	return status;
}

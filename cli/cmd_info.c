/* regdiff info: check a snapshot file and show its metadata. */
#include <inttypes.h>

#include "cli.h"

enum { OPT_HELP = 1 };

static const cli_option info_options[] = {
    {"help", 'h', CLI_NO_ARG, OPT_HELP, NULL, "show this help and exit"},
    {NULL, 0, CLI_NO_ARG, 0, NULL, NULL},
};

const cli_help cli_info_help = {
    "Usage: regdiff info FILE|DIR\n"
    "Check every block of the snapshot FILE and show what it holds: when and\n"
    "where it was taken, its counts, its sources and what could not be read.\n"
    "For a folder holding a Windows installation, list the hives found and\n"
    "where each is mounted.\n"
    "FILE may be a disk image: its partitions, their file systems and which\n"
    "hold Windows (to be named as IMAGE@N).\n",
    info_options,
    NULL,
    "Exit status: 0 the snapshot is intact, 2 it is not or cannot be read.\n",
};

/* The snapshot's strings come from whatever registry was read: shown
 * safely, and "" as "(unknown)" so that every line has a value. */
static void put_field(const char *label, const char *value)
{
	printf("%s: ", label);
	cli_put_safe(stdout, value && value[0] ? value : "(unknown)");
	fputc('\n', stdout);
}

static int print_sources(const regdiff_snapshot *snap, size_t n)
{
	fputs("Sources:\n", stdout);
	for (size_t i = 0; i < n; i++) {
		regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
		int rc = regdiff_snapshot_get_source(&src, snap, i);

		if (rc < 0)
			return rc;
		fputs("  ", stdout);
		cli_put_safe(stdout, src.mount);
		fputs(": ", stdout);
		cli_put_safe(stdout, src.kind_name);
		fputc(' ', stdout);
		cli_put_safe(stdout, src.location);
		fputc('\n', stdout);

		regdiff_logs_info logs = REGDIFF_LOGS_INFO_INIT;
		char what[1400];

		rc = regdiff_snapshot_get_source_logs(&logs, snap, i);
		if (rc < 0)
			return rc;
		if (logs.state != REGDIFF_LOGS_CLEAN) {
			fputs("    logs: ", stdout);
			cli_put_safe(stdout, regdiff_logs_describe(what, sizeof what, &logs));
			fputc('\n', stdout);
		}
	}
	return 0;
}

static int print_problems(const regdiff_snapshot *snap, uint64_t total)
{
	size_t kept = regdiff_snapshot_problems_kept(snap);

	if (total == 0)
		return 0;
	fputs("Problems:\n", stdout);
	for (size_t i = 0; i < kept; i++) {
		const char *path, *what;
		int rc = regdiff_snapshot_get_problem(&path, &what, snap, i);

		if (rc < 0)
			return rc;
		fputs("  ", stdout);
		cli_put_safe(stdout, path);
		fputs(": ", stdout);
		cli_put_safe(stdout, what);
		fputc('\n', stdout);
	}
	if (total > kept)
		printf("  (%" PRIu64 " more not kept)\n", total - (uint64_t)kept);
	return 0;
}

/* The shot's exclusions: what it did not read, and whether persistence
 * locations were among it. */
static void print_not_shot(const regdiff_snapshot *snap)
{
	regdiff_snapshot_exclusion e = REGDIFF_SNAPSHOT_EXCLUSION_INIT;

	for (size_t i = 0; regdiff_snapshot_get_exclusion(&e, snap, i) == 0; i++) {
		if (i == 0)
			fputs("Not shot:\n", stdout);
		fputs("  ", stdout);
		cli_put_safe(stdout, e.rule);
		fputs(" (", stdout);
		cli_put_safe(stdout, e.origin);
		printf("): %" PRIu64 " %s\n", e.subtrees, e.subtrees == 1 ? "subtree" : "subtrees");
		if (!e.persistence)
			continue;
		printf("    warning: %" PRIu64 " of them at persistence locations (",
		       e.persistence);
		cli_put_safe(stdout, e.categories);
		fputs("): changes there are not in this snapshot\n", stdout);
	}
}

static int show(const cli_globals *g, const char *path)
{
	regdiff_snapshot *snap = NULL;
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	char when[20];
	int rc;

	if (cli_is_dir(path))
		return cli_info_dir(g, path);
	rc = regdiff_snapshot_open(&snap, path);
	/* Verified before anything is printed, so that a bad file shows its
	 * one error line and nothing else. */
	if (rc == 0)
		rc = regdiff_snapshot_verify(snap);
	if (rc == 0)
		rc = regdiff_snapshot_get_info(&info, snap);
	if (rc == REGDIFF_EFOREIGN) {
		/* Not a snapshot: a disk image, perhaps. */
		char why[1024];
		int handled;
		snprintf(why, sizeof why, "%s", regdiff_error_message());
		regdiff_snapshot_free(snap);
		int irc = cli_info_image(path, &handled);
		if (handled)
			return irc;
		return cli_error("%s", why);
	}
	if (rc < 0) {
		regdiff_snapshot_free(snap);
		return cli_fail(rc, path);
	}
	put_field("File", path);
	printf("Format version: %" PRIu32 "\n", info.format_version);
	put_field("Producer", info.producer);
	if (info.time != 0)
		printf("Time: %s UTC\n", regdiff_time_format(when, info.time));
	else
		put_field("Time", NULL);
	put_field("Computer", info.computer);
	put_field("User", info.user);
	/* Live shots only: what was read, and with which rights. */
	if (*info.system)
		put_field("System", info.system);
	if (info.elevated >= 0)
		put_field("Elevated", info.elevated ? "yes" : "no");
	printf("Keys: %" PRIu64 "\n", info.keys);
	printf("Values: %" PRIu64 "\n", info.values);
	printf("Value bytes: %" PRIu64 "\n", info.value_bytes);
	printf("Unreadable: %" PRIu64 "\n", info.problems);
	rc = print_sources(snap, info.sources);
	if (rc == 0)
		print_not_shot(snap);
	if (rc == 0)
		rc = cli_info_snapshot_images(snap);
	if (rc == 0)
		rc = cli_info_snapshot_install(snap);
	if (rc == 0)
		rc = print_problems(snap, info.problems);
	regdiff_snapshot_free(snap);
	if (rc < 0) {
		/* The error line must not end up inside half a stdout line. */
		fflush(stdout);
		return cli_fail(rc, path);
	}
	return cli_finish_stdout();
}

int cli_cmd_info(const cli_globals *g, int argc, char **argv)
{
	cli_args a;
	int opt;

	cli_args_init(&a, argc, argv, 1);
	while ((opt = cli_args_next(&a, info_options)) != 0) {
		switch (opt) {
		case OPT_HELP:
			return cli_help_print(&cli_info_help);
		default:
			return CLI_EXIT_TROUBLE;
		}
	}
	if (a.operands != 1)
		return cli_usage_error(a.operands == 0 ? "info: no FILE given"
						       : "info: one FILE at a time");
	return show(g, argv[0]);
}

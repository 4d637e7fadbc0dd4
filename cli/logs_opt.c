/* --logs=MODE and --no-logs, which shot, compare and watch share, and the
 * opening of sources with them. */
#include <string.h>

#include "cli.h"

int cli_logs_option(cli_globals *g, int opt, const char *value)
{
	if (opt == CLI_OPT_COMPONENTS || opt == CLI_OPT_BACKUP) {
		g->live_flags |=
		    opt == CLI_OPT_BACKUP ? REGDIFF_LIVE_BACKUP : REGDIFF_LIVE_COMPONENTS;
		return 1;
	}
	if (opt == CLI_OPT_NO_LOGS) {
		g->logs = REGDIFF_LOGS_OFF;
		return 1;
	}
	if (opt != CLI_OPT_LOGS)
		return 0;
	if (strcmp(value, "auto") == 0)
		g->logs = REGDIFF_LOGS_AUTO;
	else if (strcmp(value, "require") == 0)
		g->logs = REGDIFF_LOGS_REQUIRE;
	else if (strcmp(value, "off") == 0)
		g->logs = REGDIFF_LOGS_OFF;
	else {
		cli_usage_error("unknown --logs mode '%s' (auto, require or off)", value);
		return -1;
	}
	return 1;
}

int cli_source_open(regdiff_source **out, const cli_globals *g, const char *spec)
{
	regdiff_source_options opts = REGDIFF_SOURCE_OPTIONS_INIT;

	opts.logs = g->logs;
	opts.live_flags = g->live_flags;
	return regdiff_source_open_ext(out, spec, &opts);
}

void cli_warn_backup(const cli_globals *g)
{
	if ((g->live_flags & REGDIFF_LIVE_BACKUP) && !g->quiet)
		fputs("regdiff: warning: --backup: the snapshot holds the SAM's password hashes "
		      "and the LSA secrets; it is written readable by its owner only: keep it "
		      "so, and delete it when done\n",
		      stderr);
}

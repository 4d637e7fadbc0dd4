/* Shot exclusions on the command line (shot --exclude and --filters,
 * watch --shot-exclude and --shot-filters), and the warning when what a
 * shot skipped holds persistence locations. */
#include <inttypes.h>

#include "cli.h"

int cli_shot_exclude_option(regdiff_filters **set, bool file, const char *value, const char *origin)
{
	if (!*set && regdiff_filters_new(set, 0) < 0)
		return cli_fail(REGDIFF_ENOMEM, NULL);
	if ((file ? regdiff_filters_load(*set, value)
		  : regdiff_filters_add(*set, REGDIFF_FILTER_EXCLUDE, value, origin)) < 0)
		return cli_fail(REGDIFF_EINVAL, value);
	return CLI_EXIT_OK;
}

void cli_warn_not_shot(const regdiff_snapshot *snap, const char *name)
{
	regdiff_snapshot_exclusion e = REGDIFF_SNAPSHOT_EXCLUSION_INIT;

	/* A shot cannot keep what it does not read: said when what it
	 * skipped holds the changes an analyst looks for first. */
	for (size_t i = 0; regdiff_snapshot_get_exclusion(&e, snap, i) == 0; i++) {
		if (!e.persistence)
			continue;
		fputs("regdiff: warning: ", stderr);
		cli_put_safe(stderr, name);
		fputs(": exclusion ", stderr);
		cli_put_safe(stderr, e.rule);
		fprintf(stderr,
			": %" PRIu64 " of the subtrees skipped hold persistence locations (",
			e.persistence);
		cli_put_safe(stderr, e.categories);
		fputs("): changes there are not in this snapshot\n", stderr);
	}
}

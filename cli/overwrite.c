/* Refusing outputs that are also inputs: a report written over the
 * snapshot it compares, or a snapshot over the hive it reads, would
 * destroy the evidence; a rename does not care that the file is open. */
#include <string.h>

#include "cli.h"

int cli_refuse_overwrite(const char *output, const char *input)
{
	if (!output || !input || !cli_same_file(output, input))
		return CLI_EXIT_OK;
	if (strcmp(output, input) == 0)
		return cli_error("%s: is also an input; refusing to write over it", output);
	return cli_error("%s: is also an input (as %s); refusing to write over it", output, input);
}

int cli_refuse_overwrite_source(const char *output, const regdiff_source *src)
{
	/* A directory source: each hive it found is an input. */
	for (size_t i = 0; src && i < regdiff_source_member_count(src); i++) {
		regdiff_source_member m = REGDIFF_SOURCE_MEMBER_INIT;
		int status = regdiff_source_get_member(&m, src, i) < 0
				 ? CLI_EXIT_OK
				 : cli_refuse_overwrite(output, m.file);

		if (status != CLI_EXIT_OK)
			return status;
	}
	if (!src || regdiff_source_kind(src) != REGDIFF_KIND_HIVE)
		return CLI_EXIT_OK;
	return cli_refuse_overwrite(output, regdiff_source_location(src));
}

int cli_refuse_same_outputs(const char *a, const char *b)
{
	if (!a || !b || (strcmp(a, b) != 0 && !cli_same_file(a, b)))
		return CLI_EXIT_OK;
	return cli_error("%s: named for two outputs; give each its own file", b);
}

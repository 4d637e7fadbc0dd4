/* regdiff info on Windows installations: what a directory source found,
 * and what a snapshot of one records (users, control set, notes). */
#include "cli.h"

static void put_line(const char *indent, const char *a, const char *sep, const char *b)
{
	fputs(indent, stdout);
	cli_put_safe(stdout, a);
	if (b) {
		fputs(sep, stdout);
		cli_put_safe(stdout, b);
	}
	fputc('\n', stdout);
}

int cli_info_snapshot_install(const regdiff_snapshot *snap)
{
	size_t users = regdiff_snapshot_user_count(snap);
	size_t notes = regdiff_snapshot_note_count(snap);
	unsigned cs = regdiff_snapshot_control_set(snap);

	if (users)
		fputs("Users:\n", stdout);
	for (size_t i = 0; i < users; i++) {
		const char *sid, *name;
		int rc = regdiff_snapshot_get_user(&sid, &name, snap, i);

		if (rc < 0)
			return rc;
		put_line("  ", sid, ": ", name);
	}
	if (cs)
		printf("Control set: ControlSet%03u (Select\\Current of HKLM\\SYSTEM)\n", cs);
	if (notes)
		fputs("Notes:\n", stdout);
	for (size_t i = 0; i < notes; i++) {
		const char *note;
		int rc = regdiff_snapshot_get_note(&note, snap, i);

		if (rc < 0)
			return rc;
		put_line("  ", note, NULL, NULL);
	}
	return 0;
}

int cli_info_dir(const cli_globals *g, const char *path)
{
	regdiff_source *src = NULL;
	int rc = cli_source_open(&src, g, path);

	if (rc < 0)
		return cli_fail(rc, path);
	put_line("", "Installation", ": ", path);
	fputs("Hives:\n", stdout);
	for (size_t i = 0; i < regdiff_source_member_count(src); i++) {
		regdiff_source_member m = REGDIFF_SOURCE_MEMBER_INIT;
		char what[1400];

		if ((rc = regdiff_source_get_member(&m, src, i)) < 0)
			break;
		fputs("  ", stdout);
		cli_put_safe(stdout, m.mount);
		if (*m.user) {
			fputs(" (", stdout);
			cli_put_safe(stdout, m.user);
			fputc(')', stdout);
		}
		put_line(": ", m.file, NULL, NULL);
		if (*m.error)
			put_line("    not read: ", m.error, NULL, NULL);
		if (m.logs.state != REGDIFF_LOGS_CLEAN)
			put_line("    logs: ", regdiff_logs_describe(what, sizeof what, &m.logs),
				 NULL, NULL);
	}
	for (size_t i = 0; rc >= 0 && i < regdiff_source_note_count(src); i++) {
		const char *note;

		if ((rc = regdiff_source_get_note(&note, src, i)) < 0)
			break;
		if (i == 0)
			fputs("Notes:\n", stdout);
		put_line("  ", note, NULL, NULL);
	}
	regdiff_source_free(src);
	if (rc < 0) {
		fflush(stdout);
		return cli_fail(rc, path);
	}
	return cli_finish_stdout();
}

/* Built as a fully static program against an installed regdiff: an HTML
 * report must fail with the library's message (libxml2 is loaded with
 * dlopen, which a static program does not do) and leave no file, while a
 * TXT report of the same diff is written.
 *   html_check DIR HIVE: reports of HIVE against itself into DIR/r.txt
 *   and DIR/r.html */
#include <stdio.h>

#include <regdiff.h>

static int report(const char *dir, const char *hive, const char *name, regdiff_report_format format)
{
	regdiff_source *src = NULL;
	void *buf = NULL;
	size_t len = 0;
	regdiff_snapshot *snap = NULL;
	regdiff_diff *diff = NULL;
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	char path[4096];

	o.format = format;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int rc = regdiff_source_open(&src, hive);
	if (rc == 0)
		rc = regdiff_shot_to_memory(&buf, &len, &src, 1, NULL);
	if (rc == 0)
		rc = regdiff_snapshot_open_memory(&snap, buf, len);
	if (rc == 0)
		rc = regdiff_diff_new(&diff, snap, snap, NULL);
	if (rc == 0)
		rc = regdiff_report_to_file(NULL, diff, &o, path);
	if (rc < 0)
		printf("%s\n", regdiff_error_message());
	regdiff_diff_free(diff);
	regdiff_snapshot_free(snap);
	regdiff_free(buf);
	regdiff_source_free(src);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	if (report(argv[1], argv[2], "r.txt", REGDIFF_REPORT_TXT) != 0)
		return 2;
	return report(argv[1], argv[2], "r.html", REGDIFF_REPORT_HTML) == 0 ? 0 : 1;
}

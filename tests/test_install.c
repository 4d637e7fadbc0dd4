/* The installation entry point other readers use (lib/install.h): a tree
 * made here from the fixtures, opened with an origin that replaces the
 * folder in every location, shot after the folder is gone; and the public
 * listing of what a directory source found, with its failures leaving
 * *out NULL. The fixture folder is built in (REGDIFF_TEST_FIXTURE_DIR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install.h"
#include "test_util.h"

static void copy(const char *fixture, const char *dir, const char *rel)
{
	char src[512], dst[512], path[512];
	snprintf(src, sizeof src, "%s/%s.hiv", REGDIFF_TEST_FIXTURE_DIR, fixture);
	snprintf(dst, sizeof dst, "%s/%s", dir, rel);
	/* mkdir -p of the file's folders */
	for (char *p = strchr(dst + strlen(dir) + 1, '/'); p; p = strchr(p + 1, '/')) {
		snprintf(path, sizeof path, "%.*s", (int)(p - dst), dst);
		mkdir(path, 0700);
	}
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	CHECK(in && out);
	char buf[4096];
	size_t n;
	while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
		CHECK(fwrite(buf, 1, n, out) == n);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

static void remove_tree(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	char dir[] = "install-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	copy("install_system_a", dir, "Windows/System32/config/SYSTEM");
	copy("install_software", dir, "Windows/System32/config/SOFTWARE");
	copy("persist_ntuser_a", dir, "Users/alice/NTUSER.DAT");

	regdiff_source *src = NULL;
	CHECK_RC(regdiff__source_open_install(&src, dir, "disk.E01@2:", REGDIFF_LOGS_AUTO), 0);
	remove_tree(dir); /* every hive was read into memory */
	CHECK_U64(regdiff_source_member_count(src), 3);
	regdiff_source_member m = REGDIFF_SOURCE_MEMBER_INIT;
	CHECK_RC(regdiff_source_get_member(&m, src, 2), 0);
	CHECK(m.mount && strcmp(m.mount, "HKU\\S-1-5-21-1111-2222-3333-1001") == 0);
	CHECK(m.file && strcmp(m.file, "disk.E01@2:/Users/alice/NTUSER.DAT") == 0);
	CHECK(m.user && strcmp(m.user, "alice") == 0);
	CHECK(m.error && *m.error == '\0');
	CHECK(strcmp(regdiff_source_location(src), "disk.E01@2:") == 0);
	CHECK_RC(regdiff_source_get_member(&m, src, 3), REGDIFF_ENOTFOUND);
	regdiff_source_member old = {0};
	CHECK_RC(regdiff_source_get_member(&old, src, 0), REGDIFF_EINVAL);
	const char *note = "x";
	CHECK_RC(regdiff_source_get_note(&note, src, 0), REGDIFF_EINVAL);
	CHECK(note == NULL);

	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_shot_take(&s, &src, 1, NULL), 0);
	if (s) {
		const char *location = NULL, *sid = "x", *name = "x";
		regdiff_snapshot_source ss = REGDIFF_SNAPSHOT_SOURCE_INIT;
		CHECK_RC(regdiff_snapshot_get_source(&ss, s, 0), 0);
		location = ss.location;
		CHECK(location &&
		      strcmp(location, "disk.E01@2:/Windows/System32/config/SOFTWARE") == 0);
		CHECK_U64(regdiff_snapshot_user_count(s), 1);
		CHECK_RC(regdiff_snapshot_get_user(&sid, &name, s, 0), 0);
		CHECK(sid && strcmp(sid, "S-1-5-21-1111-2222-3333-1001") == 0);
		CHECK(name && strcmp(name, "alice") == 0);
		const char *u =
		    regdiff_snapshot_user_name(s, "S-1-5-21-1111-2222-3333-1001_Classes");
		CHECK(u && strcmp(u, "alice") == 0);
		CHECK(regdiff_snapshot_user_name(s, "S-1-5-21-1111-2222-3333-1002") == NULL);
		CHECK_RC(regdiff_snapshot_get_user(&sid, &name, s, 1), REGDIFF_EINVAL);
		CHECK(sid == NULL && name == NULL);
		CHECK_U64(regdiff_snapshot_control_set(s), 2);
		CHECK_U64(regdiff_snapshot_note_count(s), 0);
	}
	regdiff_snapshot_free(s);
	regdiff_source_free(src);

	/* A plain hive source has no members. */
	CHECK_U64(regdiff_source_member_count(NULL), 0);
	return tu_result("test_install");
}

/* The private temporary folders of disk image reads: made 0700 with files
 * 0600, removed whole when freed, and by regdiff_remove_partial_outputs()
 * (what the CLI's signal handler calls) while still in use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tempdir.h"
#include "test_util.h"

static unsigned mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0xffffu;
}

static void make_some(regdiff__tempdir *t, char *file, size_t size)
{
	int fd = -1;
	CHECK(regdiff__tempdir_mkdir(t, "Windows/System32/config") == 0);
	CHECK(regdiff__tempdir_create(t, "Windows/System32/config/SYSTEM", &fd) == 0);
	CHECK(fd >= 0 && write(fd, "regf", 4) == 4);
	if (fd >= 0)
		close(fd);
	snprintf(file, size, "%s/Windows/System32/config/SYSTEM", regdiff__tempdir_path(t));
}

int main(void)
{
	char base[] = "/tmp/test_tempdir-XXXXXX", file[4096], dir[4096];
	CHECK(mkdtemp(base) != NULL);
	setenv("TMPDIR", base, 1);

	regdiff__tempdir *t = NULL;
	CHECK(regdiff__tempdir_new(&t) == 0 && t);
	snprintf(dir, sizeof dir, "%s", regdiff__tempdir_path(t));
	CHECK(strncmp(dir, base, strlen(base)) == 0);
	CHECK(mode_of(dir) == 0700);
	make_some(t, file, sizeof file);
	CHECK(mode_of(file) == 0600);
	CHECK(mode_of(dir) == 0700);
	regdiff__tempdir_free(t);
	CHECK(access(dir, F_OK) != 0);

	/* A signal arriving mid-read: everything goes, files and folders. */
	CHECK(regdiff__tempdir_new(&t) == 0 && t);
	snprintf(dir, sizeof dir, "%s", regdiff__tempdir_path(t));
	make_some(t, file, sizeof file);
	regdiff_remove_partial_outputs();
	CHECK(access(file, F_OK) != 0);
	CHECK(access(dir, F_OK) != 0);
	regdiff__tempdir_free(t); /* then freed as usual, with nothing left to remove */
	CHECK(rmdir(base) == 0);  /* empty */
	return tu_result("test_tempdir");
}

/* Output files that appear whole or not at all: written under a temporary
 * name in the target's folder, flushed, then renamed over the target. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

#include "internal.h"
#include "osfile.h"

struct regdiff__outfile {
	int fd;
	char *path;
	char *tmp;
};

int regdiff__outfile_open(regdiff__outfile **out, const char *path)
{
	*out = NULL;
	regdiff__outfile *f = regdiff__calloc(1, sizeof *f);
	if (!f)
		return REGDIFF_ENOMEM;
	f->fd = -1;
	size_t n = strlen(path);
	f->path = regdiff__strdup(path);
	f->tmp = regdiff__malloc(n + 16);
	if (!f->path || !f->tmp) {
		regdiff__outfile_abort(f);
		return REGDIFF_ENOMEM;
	}
	int rc = regdiff__os_mktemp(f->tmp, n + 16, path, &f->fd);
	if (rc) {
		regdiff__outfile_abort(f);
		return rc;
	}
	*out = f;
	return 0;
}

int regdiff__outfile_write(void *ctx, const void *buf, size_t len)
{
	regdiff__outfile *f = ctx;
	int rc = regdiff__os_write_all(f->fd, buf, len);
	if (rc)
		return regdiff__error_prefix(rc, f->path);
	return 0;
}

int regdiff__outfile_commit(regdiff__outfile *f)
{
	int rc = regdiff__os_sync(f->fd);
	if (!rc && (rc = regdiff__os_keep(f->fd)) != 0)
		rc = regdiff__error_prefix(rc, f->path);
	if (close(f->fd) != 0 && !rc)
		rc = regdiff__error(REGDIFF_EIO, "%s: %s", f->path, strerror(errno));
	f->fd = -1;
	if (!rc)
		rc = regdiff__os_replace(f->tmp, f->path);
	if (rc) {
		regdiff__outfile_abort(f);
		return rc;
	}
	free(f->tmp);
	free(f->path);
	free(f);
	return 0;
}

void regdiff__outfile_abort(regdiff__outfile *f)
{
	if (!f)
		return;
	if (f->fd >= 0) {
		close(f->fd);
		regdiff__os_remove(f->tmp);
	} else if (f->tmp) {
		regdiff__os_remove(f->tmp);
	}
	free(f->tmp);
	free(f->path);
	free(f);
}

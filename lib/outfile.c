/* Output files that appear whole or not at all: a regular file (or a new
 * one) is written under a temporary name in the target's folder, flushed,
 * then renamed over the target, keeping the target's permissions. What is
 * not a regular file (a FIFO, /dev/null, a terminal) cannot be replaced by
 * a rename without destroying it, so it is written in place. */
#define _GNU_SOURCE /* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

#include "internal.h"
#include "osfile.h"
#ifdef REGDIFF_HAVE_TSK
#include "tempdir.h"
#endif

/* The longest file name most file systems take (NAME_MAX). */
#define NAME_LIMIT 255
#define TMP_SUFFIX ".tmp-"
/* The temporary name of an output whose own name leaves no room for the
 * suffix: made in the same folder, not from the name. */
#define SHORT_TMP "regdiff.tmp-"
/* Writes to a temporary file are gathered up to GATHER bytes: a shot
 * hands its blocks over one at a time (about 8 KB each, 400 for
 * SYSTEM_WIN_10_1709), and each write(2) took the thread that makes the
 * blocks 10 us. What is written goes to the disk from each WRITEBACK
 * bytes on, while the rest is being made, so that the flush before the
 * rename has less left to wait for. */
#define GATHER (64u << 10)
#define WRITEBACK (1u << 20)

struct regdiff__outfile {
	int fd;
	bool in_place; /* written straight into a FIFO or device */
	char *path;
	char *tmp;
	uint8_t *gathered; /* GATHER bytes, once a write was gathered */
	size_t held;	   /* bytes in gathered */
	uint64_t written;  /* bytes written to fd */
	uint64_t synced;   /* of them, handed to the disk (start_writeback) */
};

/* The temporary files being written now, for regdiff_remove_partial_outputs
 * to find from a signal handler: plain pointers, set before the file is
 * made and cleared before it is renamed or freed. */
#define LIVE_MAX 16
static char *volatile live[LIVE_MAX];

static void live_add(char *tmp)
{
	for (size_t i = 0; i < LIVE_MAX; i++)
		if (!live[i]) {
			live[i] = tmp;
			return;
		}
	/* More than 16 outputs at once: the rest are not removed on a
	 * signal, as any output is not on SIGKILL. */
}

static void live_remove(const char *tmp)
{
	for (size_t i = 0; i < LIVE_MAX; i++)
		if (live[i] == tmp)
			live[i] = NULL;
}

void regdiff_remove_partial_outputs(void)
{
#ifdef REGDIFF_HAVE_TSK
	regdiff__tempdir_remove_live(); /* files read out of disk images */
#endif
	for (size_t i = 0; i < LIVE_MAX; i++) {
		char *tmp = live[i];
		if (tmp && tmp[0]) {
#ifdef _WIN32
			regdiff__os_remove(tmp);
#else
			unlink(tmp); /* async-signal-safe, unlike remove() */
#endif
		}
	}
}

/* The prefix the temporary name starts with: "<path>.tmp-", or when that
 * would make a name too long, "<folder>/regdiff.tmp-". */
static char *temp_prefix(const char *path)
{
	const char *base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t dir = (size_t)(base - path), n = strlen(path);
	bool fits = strlen(base) + strlen(TMP_SUFFIX) + 6 <= NAME_LIMIT;
	size_t len = fits ? n + strlen(TMP_SUFFIX) : dir + strlen(SHORT_TMP);
	char *prefix = regdiff__malloc(len + 1);
	if (!prefix)
		return NULL;
	memcpy(prefix, path, fits ? n : dir);
	strcpy(prefix + (fits ? n : dir), fits ? TMP_SUFFIX : SHORT_TMP);
	return prefix;
}

static int open_temp(regdiff__outfile *f, const regdiff__os_target_info *t)
{
	char *prefix = temp_prefix(f->path);
	size_t size = prefix ? strlen(prefix) + 7 : 0;
	f->tmp = prefix ? regdiff__calloc(1, size) : NULL;
	if (!f->tmp) {
		free(prefix);
		return REGDIFF_ENOMEM;
	}
	live_add(f->tmp);
	int rc = regdiff__os_mktemp(f->tmp, size, prefix, f->path, &f->fd);
	free(prefix);
	if (rc < 0)
		f->tmp[0] = '\0'; /* nothing was made: nothing to remove */
	if (rc == 0 && t->exists)
		regdiff__os_keep_mode(f->fd, t);
	return rc;
}

int regdiff__outfile_open(regdiff__outfile **out, const char *path)
{
	*out = NULL;
	if (!path[0])
		return regdiff__error(REGDIFF_EINVAL, "empty output file name");
	regdiff__os_target_info t;
	int rc = regdiff__os_target(path, &t);
	if (rc < 0)
		return rc;
	if (t.exists && t.kind == REGDIFF__OS_DIRECTORY)
		return regdiff__error(REGDIFF_EINVAL, "%s: is a directory", path);
	if (t.exists && t.kind == REGDIFF__OS_BLOCK)
		return regdiff__error(REGDIFF_EINVAL,
				      "%s: is a block device; refusing to write over it", path);
	regdiff__outfile *f = regdiff__calloc(1, sizeof *f);
	if (!f)
		return REGDIFF_ENOMEM;
	f->fd = -1;
	f->path = regdiff__strdup(path);
	if (!f->path) {
		regdiff__outfile_abort(f);
		return REGDIFF_ENOMEM;
	}
	f->in_place = t.exists && t.kind == REGDIFF__OS_OTHER;
	rc = f->in_place ? regdiff__os_open_write(path, &f->fd) : open_temp(f, &t);
	if (rc) {
		regdiff__outfile_abort(f);
		return rc;
	}
	*out = f;
	return 0;
}

int regdiff__outfile_make_private(regdiff__outfile *f)
{
	/* chmod of /dev/null or of a FIFO another program made would change
	 * what is not ours. */
	if (f->in_place)
		return 0;
	int rc = regdiff__os_make_private(f->fd);
	return rc ? regdiff__error_prefix(rc, f->path) : 0;
}

/* Starts writing what was written since the last call to the disk, once
 * that is WRITEBACK bytes, without waiting for it (Linux; elsewhere the
 * flush at the end does it all). A hint: its failure changes nothing. */
static void start_writeback(regdiff__outfile *f)
{
#ifdef __linux__
	if (f->in_place || f->written - f->synced < WRITEBACK)
		return;
	(void)sync_file_range(f->fd, (off_t)f->synced, (off_t)(f->written - f->synced),
			      SYNC_FILE_RANGE_WRITE);
	f->synced = f->written;
#else
	(void)f;
#endif
}

static int put(regdiff__outfile *f, const void *buf, size_t len)
{
	int rc = regdiff__os_write_all(f->fd, buf, len);
	if (rc)
		return regdiff__error_prefix(rc, f->path);
	f->written += len;
	start_writeback(f);
	return 0;
}

/* Writes what was gathered. */
static int drain(regdiff__outfile *f)
{
	size_t n = f->held;
	f->held = 0;
	return n ? put(f, f->gathered, n) : 0;
}

int regdiff__outfile_write(void *ctx, const void *buf, size_t len)
{
	regdiff__outfile *f = ctx;
	/* In place (a FIFO, a terminal), what is written goes at once: a
	 * reader may be waiting for it. Without the memory, too. */
	if (!f->in_place && !f->gathered && len < GATHER)
		f->gathered = malloc(GATHER);
	if (!f->gathered || len >= GATHER) {
		int rc = drain(f);
		return rc ? rc : put(f, buf, len);
	}
	if (len > GATHER - f->held) {
		int rc = drain(f);
		if (rc)
			return rc;
	}
	memcpy(f->gathered + f->held, buf, len);
	f->held += len;
	return 0;
}

static void outfile_free(regdiff__outfile *f)
{
	free(f->gathered);
	live_remove(f->tmp);
	free(f->tmp);
	free(f->path);
	free(f);
}

int regdiff__outfile_commit(regdiff__outfile *f)
{
	int rc = drain(f);
	if (!rc && !f->in_place)
		rc = regdiff__os_sync(f->fd);
	if (!rc && !f->in_place && (rc = regdiff__os_keep(f->fd)) != 0)
		rc = regdiff__error_prefix(rc, f->path);
	if (close(f->fd) != 0 && !rc)
		rc = regdiff__error(REGDIFF_EIO, "%s: %s", f->path, strerror(errno));
	f->fd = -1;
	if (!rc && !f->in_place) {
		live_remove(f->tmp);
		rc = regdiff__os_replace(f->tmp, f->path);
	}
	if (rc) {
		regdiff__outfile_abort(f);
		return rc;
	}
	outfile_free(f);
	return 0;
}

void regdiff__outfile_abort(regdiff__outfile *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp && f->tmp[0]) {
		live_remove(f->tmp);
		regdiff__os_remove(f->tmp);
	}
	outfile_free(f);
}

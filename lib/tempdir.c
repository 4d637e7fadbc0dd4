/* Private temporary folders for files read out of disk images. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tempdir.h"

/* One file or folder made in a temporary folder. Entries are pushed in
 * the order they are made, newest first, so that walking the list from
 * its head removes every file before the folder that holds it. */
typedef struct entry {
	struct entry *next;
	int is_dir;
	char path[]; /* absolute */
} entry;

struct regdiff__tempdir {
	entry *volatile head;
	char *path;
};

/* The folders alive now, for the signal handler: set once the folder's
 * first entry is registered, cleared before anything is freed. */
#define LIVE_MAX 8
static regdiff__tempdir *volatile live[LIVE_MAX];

static void remove_entries(entry *e)
{
	for (; e; e = e->next) {
		if (e->is_dir)
			rmdir(e->path);
		else
			unlink(e->path);
	}
}

void regdiff__tempdir_remove_live(void)
{
	for (size_t i = 0; i < LIVE_MAX; i++) {
		regdiff__tempdir *t = live[i];
		if (t)
			remove_entries(t->head);
	}
}

/* Registers path (t's folder joined with rel, or t's folder itself) before
 * it is made; returns the entry's path. */
static const char *push(regdiff__tempdir *t, const char *base, const char *rel, int is_dir)
{
	size_t nb = strlen(base), nr = rel ? strlen(rel) : 0;
	entry *e = regdiff__malloc(sizeof *e + nb + 1 + nr + 1);
	if (!e)
		return NULL;
	e->is_dir = is_dir;
	memcpy(e->path, base, nb);
	if (rel) {
		e->path[nb] = '/';
		memcpy(e->path + nb + 1, rel, nr);
		nb += 1 + nr;
	}
	e->path[nb] = '\0';
	e->next = t->head;
	t->head = e;
	return e->path;
}

int regdiff__tempdir_new(regdiff__tempdir **out)
{
	*out = NULL;
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	regdiff__tempdir *t = regdiff__calloc(1, sizeof *t);
	size_t n = strlen(base) + sizeof "/regdiff-image-XXXXXX";
	char *tmpl = t ? regdiff__malloc(n) : NULL;
	if (!tmpl) {
		free(t);
		return REGDIFF_ENOMEM;
	}
	snprintf(tmpl, n, "%s/regdiff-image-XXXXXX", base);
	size_t slot = LIVE_MAX;
	for (size_t i = 0; i < LIVE_MAX && slot == LIVE_MAX; i++)
		if (!live[i])
			slot = i;
	/* The name is only known once made: a signal between mkdtemp and
	 * the registration below leaves an empty folder, no data. */
	if (!mkdtemp(tmpl)) {
		int e = errno;
		free(tmpl);
		free(t);
		return regdiff__error(REGDIFF_EIO, "cannot make a temporary folder under %s: %s",
				      base, strerror(e));
	}
	t->path = tmpl;
	if (!push(t, tmpl, NULL, 1)) {
		rmdir(tmpl);
		free(tmpl);
		free(t);
		return REGDIFF_ENOMEM;
	}
	if (slot < LIVE_MAX)
		live[slot] = t;
	*out = t;
	return 0;
}

const char *regdiff__tempdir_path(const regdiff__tempdir *t)
{
	return t->path;
}

int regdiff__tempdir_mkdir(regdiff__tempdir *t, const char *rel)
{
	char *copy = regdiff__strdup(rel);
	if (!copy)
		return REGDIFF_ENOMEM;
	int rc = 0;
	/* Each parent in turn: "a", "a/b", "a/b/c". */
	for (char *p = copy; !rc; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		char *full = NULL;
		size_t n = strlen(t->path) + 1 + strlen(copy) + 1;
		if (!(full = regdiff__malloc(n)))
			rc = REGDIFF_ENOMEM;
		if (!rc) {
			snprintf(full, n, "%s/%s", t->path, copy);
			struct stat st;
			if (lstat(full, &st) != 0) {
				if (!push(t, t->path, copy, 1))
					rc = REGDIFF_ENOMEM;
				else if (mkdir(full, 0700) != 0)
					rc = regdiff__error(REGDIFF_EIO, "%s: %s", full,
							    strerror(errno));
			} else if (!S_ISDIR(st.st_mode)) {
				rc = regdiff__error(REGDIFF_EIO, "%s: not a folder", full);
			}
		}
		free(full);
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	return rc;
}

int regdiff__tempdir_create(regdiff__tempdir *t, const char *rel, int *fd)
{
	const char *path = push(t, t->path, rel, 0);
	if (!path)
		return REGDIFF_ENOMEM;
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0)
		return regdiff__error(REGDIFF_EIO, "%s: %s", path, strerror(errno));
	return 0;
}

void regdiff__tempdir_free(regdiff__tempdir *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < LIVE_MAX; i++)
		if (live[i] == t)
			live[i] = NULL;
	entry *e = t->head;
	remove_entries(e);
	while (e) {
		entry *next = e->next;
		free(e);
		e = next;
	}
	free(t->path);
	free(t);
}

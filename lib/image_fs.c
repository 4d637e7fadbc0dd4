/* Files of a volume in a disk image: found by path with names compared
 * without case (as Windows does), and the registry files of a Windows
 * installation copied out into a private temporary folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_internal.h"
#include "osfile.h"

typedef struct dirent_ {
	char *name;
	TSK_INUM_T addr;
	int is_dir;
} dirent_;

static void dirents_free(dirent_ *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].name);
	free(d);
}

static int same_name(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && regdiff__ascii_caseeq(a, b, n);
}

/* A name we may use as a path component in the temporary folder: a
 * hostile volume may hold names no file system allows. */
static int usable_name(const char *s)
{
	return *s && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && !strchr(s, '/');
}

/* The live entries of folder addr. */
static int list_dir(TSK_FS_INFO *fs, TSK_INUM_T addr, dirent_ **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	tsk_error_reset();
	TSK_FS_DIR *dir = tsk_fs_dir_open_meta(fs, addr);
	if (!dir)
		return regdiff__error(REGDIFF_EHIVE, "cannot read a folder: %s",
				      regdiff__tsk_error());
	size_t n = tsk_fs_dir_getsize(dir), cap = 0;
	dirent_ *d = NULL;
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		TSK_FS_FILE *f = tsk_fs_dir_get(dir, i);
		if (!f)
			continue;
		const TSK_FS_NAME *nm = f->name;
		if (nm && nm->name && !(nm->flags & TSK_FS_NAME_FLAG_UNALLOC) &&
		    usable_name(nm->name)) {
			int is_dir = f->meta ? TSK_FS_IS_DIR_META(f->meta->type)
					     : TSK_FS_IS_DIR_NAME(nm->type);
			if (!(rc = regdiff__grow(&d, &cap, *count + 1, sizeof *d))) {
				d[*count].addr = nm->meta_addr;
				d[*count].is_dir = is_dir;
				if (!(d[*count].name = regdiff__strdup(nm->name)))
					rc = REGDIFF_ENOMEM;
				else
					(*count)++;
			}
		}
		tsk_fs_file_close(f);
	}
	tsk_fs_dir_close(dir);
	if (rc) {
		dirents_free(d, *count);
		*count = 0;
		return rc;
	}
	*out = d;
	return 0;
}

int regdiff__image_lookup(TSK_FS_INFO *fs, const char *path, int dir_only, TSK_INUM_T *addr,
			  char **actual)
{
	if (actual)
		*actual = NULL;
	regdiff__buf found = {0};
	TSK_INUM_T at = fs->root_inum;
	int rc = 0, is_dir = 1;
	const char *p = path;
	while (!rc && *p) {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (!len)
			break;
		if (!is_dir) {
			rc = REGDIFF_ENOTFOUND;
			break;
		}
		dirent_ *d;
		size_t n;
		if ((rc = list_dir(fs, at, &d, &n)))
			break;
		rc = REGDIFF_ENOTFOUND;
		for (size_t i = 0; i < n; i++)
			if (strlen(d[i].name) == len && regdiff__ascii_caseeq(d[i].name, p, len)) {
				at = d[i].addr;
				is_dir = d[i].is_dir;
				rc = regdiff__buf_putc(&found, '/');
				if (!rc)
					rc = regdiff__buf_append(&found, d[i].name,
								 strlen(d[i].name));
				break;
			}
		dirents_free(d, n);
		p += len;
	}
	if (!rc && dir_only && !is_dir)
		rc = REGDIFF_ENOTFOUND;
	if (rc == REGDIFF_ENOTFOUND)
		regdiff__error(rc, "%s: not found", path);
	if (!rc && actual) {
		if (!found.len)
			rc = regdiff__buf_putc(&found, '/');
		if (!rc)
			rc = regdiff__buf_putc(&found, '\0');
		if (!rc) {
			*actual = (char *)found.data;
			found.data = NULL;
		}
	}
	regdiff__buf_free(&found);
	if (!rc)
		*addr = at;
	return rc;
}

/* Copies file addr of fs to rel ('/'-separated, no leading '/') in t. */
static int copy_file(TSK_FS_INFO *fs, TSK_INUM_T addr, regdiff__tempdir *t, const char *rel,
		     const char *where)
{
	tsk_error_reset();
	TSK_FS_FILE *f = tsk_fs_file_open_meta(fs, NULL, addr);
	if (!f || !f->meta) {
		if (f)
			tsk_fs_file_close(f);
		return regdiff__error(REGDIFF_EHIVE, "%s/%s: cannot be read (%s)", where, rel,
				      regdiff__tsk_error());
	}
	int fd = -1;
	int rc = regdiff__tempdir_create(t, rel, &fd);
	enum { CHUNK = 1 << 20 };
	char *buf = rc ? NULL : regdiff__malloc(CHUNK);
	if (!rc && !buf)
		rc = REGDIFF_ENOMEM;
	TSK_OFF_T size = f->meta->size, off = 0;
	while (!rc && off < size) {
		size_t want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		tsk_error_reset();
		ssize_t n = tsk_fs_file_read(f, off, buf, want, TSK_FS_FILE_READ_FLAG_NONE);
		if (n <= 0)
			rc = regdiff__error(REGDIFF_EHIVE,
					    "%s/%s: cannot be read at offset %lld (%s)", where, rel,
					    (long long)off, regdiff__tsk_error());
		else
			rc = regdiff__os_write_all(fd, buf, (size_t)n);
		off += n > 0 ? n : 0;
	}
	free(buf);
	if (fd >= 0)
		close(fd);
	tsk_fs_file_close(f);
	return rc;
}

static int has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && regdiff__ascii_caseeq(s + n - m, suffix, m);
}

/* name is base, or base's transaction log (base.LOG, .LOG1, .LOG2). */
static int is_hive_or_log(const char *name, const char *base)
{
	static const char *const logs[] = {"", ".LOG", ".LOG1", ".LOG2"};
	size_t nb = strlen(base);
	if (strlen(name) < nb || !regdiff__ascii_caseeq(name, base, nb))
		return 0;
	for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++)
		if (same_name(name + nb, logs[i]))
			return 1;
	return 0;
}

/* A file of config that may be a system hive or its log: no extension
 * (SYSTEM, SOFTWARE, ...) or a log's. */
static int is_config_file(const char *name)
{
	return !strchr(name, '.') || has_suffix_ci(name, ".LOG") || has_suffix_ci(name, ".LOG1") ||
	       has_suffix_ci(name, ".LOG2");
}

/* The entries of the folder at path, and its path as the volume spells
 * it; REGDIFF_ENOTFOUND, with nothing to free, when it is not there. */
static int open_listing(TSK_FS_INFO *fs, const char *path, dirent_ **d, size_t *n, char **actual)
{
	TSK_INUM_T addr;
	int rc = regdiff__image_lookup(fs, path, 1, &addr, actual);
	if (!rc && (rc = list_dir(fs, addr, d, n))) {
		free(*actual);
		*actual = NULL;
	}
	return rc;
}

/* Copies the files of folder dir (its path in the volume; nothing when it
 * is not there) into the same path in t: base and its logs, or with base
 * NULL what may be a system hive or log. */
static int copy_matching(TSK_FS_INFO *fs, regdiff__tempdir *t, const char *dir, const char *base,
			 const char *where)
{
	char *actual;
	dirent_ *d;
	size_t n;
	int rc = open_listing(fs, dir, &d, &n, &actual);
	if (rc)
		return rc == REGDIFF_ENOTFOUND ? 0 : rc;
	int made = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		if (d[i].is_dir ||
		    !(base ? is_hive_or_log(d[i].name, base) : is_config_file(d[i].name)))
			continue;
		if (!made && !(rc = regdiff__tempdir_mkdir(t, actual + 1)))
			made = 1;
		size_t len = strlen(actual) + 1 + strlen(d[i].name) + 1;
		char *rel = rc ? NULL : regdiff__malloc(len);
		if (!rc && !rel)
			rc = REGDIFF_ENOMEM;
		if (!rc) {
			snprintf(rel, len, "%s/%s", actual + 1, d[i].name);
			rc = copy_file(fs, d[i].addr, t, rel, where);
		}
		free(rel);
	}
	dirents_free(d, n);
	free(actual);
	return rc;
}

/* The profiles under folder profiles (e.g. "Users"): each one's
 * NTUSER.DAT and, at classes below it, UsrClass.dat, with their logs. */
static int copy_profiles(TSK_FS_INFO *fs, regdiff__tempdir *t, const char *profiles,
			 const char *classes, const char *where)
{
	char *actual;
	dirent_ *d;
	size_t n;
	int rc = open_listing(fs, profiles, &d, &n, &actual);
	if (rc)
		return rc == REGDIFF_ENOTFOUND ? 0 : rc;
	for (size_t i = 0; !rc && i < n; i++) {
		if (!d[i].is_dir)
			continue;
		size_t len =
		    strlen(actual) + strlen(d[i].name) + (classes ? strlen(classes) : 0) + 3;
		char *dir = regdiff__malloc(len);
		if (!dir) {
			rc = REGDIFF_ENOMEM;
			break;
		}
		snprintf(dir, len, "%s/%s", actual, d[i].name);
		rc = copy_matching(fs, t, dir, "NTUSER.DAT", where);
		if (!rc && classes) {
			snprintf(dir, len, "%s/%s/%s", actual, d[i].name, classes);
			rc = copy_matching(fs, t, dir, "UsrClass.dat", where);
		}
		free(dir);
	}
	dirents_free(d, n);
	free(actual);
	return rc;
}

int regdiff__image_extract_install(TSK_FS_INFO *fs, regdiff__tempdir *t, const char *where)
{
	int rc = copy_matching(fs, t, "Windows/System32/config", NULL, where);
	if (!rc)
		rc = copy_profiles(fs, t, "Users", "AppData/Local/Microsoft/Windows", where);
	if (!rc) /* Windows XP */
		rc = copy_profiles(fs, t, "Documents and Settings",
				   "Local Settings/Application Data/Microsoft/Windows", where);
	if (!rc)
		rc = copy_profiles(fs, t, "Windows/ServiceProfiles", NULL, where);
	return rc;
}

int regdiff__image_extract_hive(TSK_FS_INFO *fs, regdiff__tempdir *t, const char *path,
				const char *where, char **actual)
{
	TSK_INUM_T addr;
	int rc = regdiff__image_lookup(fs, path, 0, &addr, actual);
	if (rc == REGDIFF_ENOTFOUND)
		return regdiff__error(rc, "%s%s: no such file in the image", where, path);
	if (rc)
		return regdiff__error(rc, "%s%s: %s", where, path, regdiff_error_message());
	TSK_INUM_T dir_addr;
	if (regdiff__image_lookup(fs, path, 1, &dir_addr, NULL) == 0) {
		free(*actual);
		*actual = NULL;
		return regdiff__error(REGDIFF_EINVAL, "%s%s: a folder, not a hive", where, path);
	}
	/* Its folder, then the hive and its logs, by their names there. */
	char *slash = strrchr(*actual, '/');
	char *dir = regdiff__strdup(*actual);
	if (!dir)
		return REGDIFF_ENOMEM;
	dir[slash - *actual] = '\0';
	rc = copy_matching(fs, t, dir[0] ? dir : "/", slash + 1, where);
	free(dir);
	if (rc) {
		free(*actual);
		*actual = NULL;
	}
	return rc;
}

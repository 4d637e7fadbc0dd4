/* The few file operations that differ between POSIX and Windows. */
#ifndef REGDIFF_OSFILE_H
#define REGDIFF_OSFILE_H

#include <stddef.h>
#include <stdint.h>

/* Creates a new file named like target plus a unique suffix, in the same
 * folder; its name goes to tmp (of size tmpsize), its descriptor to *fd. */
int regdiff__os_mktemp(char *tmp, size_t tmpsize, const char *target, int *fd);

/* Keeps the file made by regdiff__os_mktemp when it is closed: until
 * then, on Windows, it is deleted however the process ends. */
int regdiff__os_keep(int fd);

/* Creates an anonymous temporary file (deleted when closed). */
int regdiff__os_anon_tempfile(int *fd);

int regdiff__os_write_all(int fd, const void *buf, size_t len);
int regdiff__os_pread_all(int fd, void *buf, size_t len, uint64_t off, const char *name);
int regdiff__os_file_size(int fd, uint64_t *size, const char *name);
int regdiff__os_sync(int fd);

/* Renames from over to, replacing it. */
int regdiff__os_replace(const char *from, const char *to);

/* Deletes the file at path (UTF-8); 0 or -1 with errno. */
int regdiff__os_remove(const char *path);

/* Opens path read-only; maps errors to REGDIFF_ENOTFOUND, REGDIFF_EACCESS
 * or REGDIFF_EIO with a message naming path. */
int regdiff__os_open_read(const char *path, int *fd);

#endif

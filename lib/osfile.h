/* The few file operations that differ between POSIX and Windows. */
#ifndef REGDIFF_OSFILE_H
#define REGDIFF_OSFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Creates a new file named prefix plus six unique characters; its name
 * goes to tmp (of size tmpsize, at least strlen(prefix) + 7), its
 * descriptor to *fd. Errors name target, the file it is made for. */
int regdiff__os_mktemp(char *tmp, size_t tmpsize, const char *prefix, const char *target, int *fd);

/* What is at a path an output is to be written to. */
enum regdiff__os_kind {
	REGDIFF__OS_REGULAR = 0,
	REGDIFF__OS_DIRECTORY,
	REGDIFF__OS_BLOCK, /* a block device (a disk) */
	REGDIFF__OS_OTHER  /* a FIFO, a character device, a socket */
};
typedef struct regdiff__os_target_info {
	bool exists;
	enum regdiff__os_kind kind;
	unsigned mode; /* permission bits */
	long uid, gid; /* POSIX */
} regdiff__os_target_info;

/* Fills *t for path (following links); exists is false when there is
 * nothing there. */
int regdiff__os_target(const char *path, regdiff__os_target_info *t);

/* Opens an existing path for writing in place (no truncation, no
 * creation). */
int regdiff__os_open_write(const char *path, int *fd);

/* Gives the file open at fd the owner (where permitted) and the
 * permission bits of t. */
void regdiff__os_keep_mode(int fd, const regdiff__os_target_info *t);

/* Makes the file regdiff__os_mktemp made (fd) readable and writable by
 * its owner only (POSIX 0600; Windows: a protected DACL granting only the
 * process's account). In private_file.c. */
int regdiff__os_make_private(int fd);

/* Keeps the file made by regdiff__os_mktemp when it is closed: until
 * then, on Windows, it is deleted however the process ends. */
int regdiff__os_keep(int fd);

/* Creates an anonymous temporary file (deleted when closed). */
int regdiff__os_anon_tempfile(int *fd);

int regdiff__os_write_all(int fd, const void *buf, size_t len);
int regdiff__os_pread_all(int fd, void *buf, size_t len, uint64_t off, const char *name);
int regdiff__os_file_size(int fd, uint64_t *size, const char *name);

/* Reads fd from where it is to its end (a pipe, a terminal and
 * /dev/stdin too: their size says nothing), at most cap bytes: more fails
 * with REGDIFF_ELIMIT naming name. The caller owns *out (free()). */
int regdiff__os_read_to_end(int fd, size_t cap, char **out, size_t *len, const char *name);
int regdiff__os_sync(int fd);

/* Renames from over to, replacing it. */
int regdiff__os_replace(const char *from, const char *to);

/* Deletes the file at path (UTF-8); 0 or -1 with errno. */
int regdiff__os_remove(const char *path);

/* Opens path read-only; maps errors to REGDIFF_ENOTFOUND, REGDIFF_EACCESS
 * or REGDIFF_EIO with a message naming path. */
int regdiff__os_open_read(const char *path, int *fd);

/* Reads the whole file at path (a pipe or /dev/stdin too, to its end) into
 * *text (the caller frees it), at most 16 MiB: past that, REGDIFF_ELIMIT
 * with "PATH: larger than 16 MiB: not WHAT". For the small text files the
 * user gives (tables of locations, filter rules). */
int regdiff__os_read_text(const char *path, const char *what, char **text, size_t *len);

#endif

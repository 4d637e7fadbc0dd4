/* File operations: POSIX, with the Windows equivalents where they differ. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _WIN32
#include <io.h>
#include <share.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

#include "internal.h"
#include "osfile.h"

#ifndef O_BINARY
#define O_BINARY 0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

static int errno_code(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return REGDIFF_ENOTFOUND;
	case EACCES:
	case EPERM:
		return REGDIFF_EACCESS;
	case ENOMEM:
		return REGDIFF_ENOMEM;
	default:
		return REGDIFF_EIO;
	}
}

#ifdef _WIN32
/* Paths reach the library in UTF-8; the C runtime's narrow functions
 * would read them in the ANSI code page, so the wide ones are used. NULL
 * with errno set on failure. */
static wchar_t *wide(const char *utf8)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
	if (!w) {
		errno = n > 0 ? ENOMEM : EINVAL;
		return NULL;
	}
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n);
	return w;
}

/* Every file regdiff holds is opened not inheritable, so that a command
 * watch runs cannot find a handle to the evidence, and without share-write,
 * so that nobody can change a file while regdiff reads or writes it. */
static int wsopen(const wchar_t *w, int flags, int mode)
{
	return _wsopen(w, flags | _O_NOINHERIT, _SH_DENYWR, mode);
}

static int wopen(const char *path, int flags, int mode)
{
	wchar_t *w = wide(path);
	if (!w)
		return -1;
	int fd = wsopen(w, flags, mode);
	free(w);
	return fd;
}

/* Marks the file deleted when its last handle closes (or undoes that):
 * a temporary output file then vanishes however regdiff ends, Ctrl+C,
 * Ctrl+Break, a closed console window or TerminateProcess alike, which a
 * console control handler could not promise. */
static int set_delete_pending(int fd, BOOL pending)
{
	FILE_DISPOSITION_INFO d = {pending};
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	return h != INVALID_HANDLE_VALUE &&
		       SetFileInformationByHandle(h, FileDispositionInfo, &d, sizeof d)
		   ? 0
		   : -1;
}

/* A new file, not inheritable, not shared for writing, and with the
 * DELETE right set_delete_pending needs (which _wopen does not ask for). */
static int create_new(const char *path)
{
	wchar_t *w = wide(path);
	if (!w)
		return -1;
	/* WRITE_DAC for regdiff__os_make_private: once the file is
	 * delete-pending, no second handle to it can be opened. */
	HANDLE h =
	    CreateFileW(w, GENERIC_WRITE | DELETE | WRITE_DAC, FILE_SHARE_READ | FILE_SHARE_DELETE,
			NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
	DWORD e = GetLastError();
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		errno = e == ERROR_FILE_EXISTS || e == ERROR_ALREADY_EXISTS ? EEXIST
			: e == ERROR_ACCESS_DENIED			    ? EACCES
			: e == ERROR_PATH_NOT_FOUND			    ? ENOENT
									    : EIO;
		return -1;
	}
	int fd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_BINARY);
	if (fd < 0)
		CloseHandle(h);
	return fd;
}

/* _mktemp_s reads the name in the ANSI code page: a suffix of our own. */
static int open_unique(char *tmp, size_t tmpsize, const char *prefix)
{
	static volatile LONG counter;
	int fd = -1;
	for (int i = 0; i < 100 && fd < 0; i++) {
		unsigned r = (unsigned)GetCurrentProcessId() * 2654435761u ^
			     (unsigned)InterlockedIncrement(&counter) * 40503u ^
			     (unsigned)GetTickCount();
		snprintf(tmp, tmpsize, "%s%06x", prefix, r & 0xffffffu);
		fd = create_new(tmp);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	/* Where the file system refuses, an ordinary file: no worse than
	 * before. */
	if (fd >= 0)
		(void)set_delete_pending(fd, TRUE);
	return fd;
}
#endif

int regdiff__os_mktemp(char *tmp, size_t tmpsize, const char *prefix, const char *target, int *fd)
{
#ifdef _WIN32
	*fd = open_unique(tmp, tmpsize, prefix);
#else
	snprintf(tmp, tmpsize, "%sXXXXXX", prefix);
	*fd = mkstemp(tmp);
#endif
	if (*fd < 0)
		return regdiff__error(errno_code(errno), "%s: cannot create: %s", target,
				      strerror(errno));
#ifndef _WIN32
	/* mkstemp makes the file 0600; a snapshot or report is an ordinary
	 * file, so give it the permissions umask allows. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(*fd, 0666 & ~mask);
#endif
	return 0;
}

int regdiff__os_target(const char *path, regdiff__os_target_info *t)
{
	memset(t, 0, sizeof *t);
#ifdef _WIN32
	wchar_t *w = wide(path);
	struct _stat64 st;
	int rc = w ? _wstat64(w, &st) : -1;
	free(w);
#else
	struct stat st;
	int rc = stat(path, &st);
#endif
	if (rc != 0) {
		if (errno == ENOENT)
			return 0;
		return regdiff__error(errno_code(errno), "%s: %s", path, strerror(errno));
	}
	t->exists = true;
	t->mode = (unsigned)st.st_mode & 07777;
#ifdef _WIN32
	t->kind = (st.st_mode & _S_IFMT) == _S_IFREG   ? REGDIFF__OS_REGULAR
		  : (st.st_mode & _S_IFMT) == _S_IFDIR ? REGDIFF__OS_DIRECTORY
						       : REGDIFF__OS_OTHER;
#else
	t->uid = (long)st.st_uid;
	t->gid = (long)st.st_gid;
	t->kind = S_ISREG(st.st_mode)	? REGDIFF__OS_REGULAR
		  : S_ISDIR(st.st_mode) ? REGDIFF__OS_DIRECTORY
		  : S_ISBLK(st.st_mode) ? REGDIFF__OS_BLOCK
					: REGDIFF__OS_OTHER;
#endif
	return 0;
}

int regdiff__os_open_write(const char *path, int *fd)
{
#ifdef _WIN32
	*fd = wopen(path, _O_WRONLY | _O_BINARY, 0);
#else
	*fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
#endif
	if (*fd < 0)
		return regdiff__error(errno_code(errno), "%s: cannot open for writing: %s", path,
				      strerror(errno));
	return 0;
}

void regdiff__os_keep_mode(int fd, const regdiff__os_target_info *t)
{
#ifdef _WIN32
	(void)fd;
	(void)t;
#else
	/* The owner first: changing it may clear set-id bits the mode then
	 * restores. Only root may: otherwise the file stays the writer's, as
	 * it would be had the writer created it. */
	int ignored = fchown(fd, (uid_t)t->uid, (gid_t)t->gid);
	(void)ignored;
	fchmod(fd, (mode_t)t->mode);
#endif
}

int regdiff__os_keep(int fd)
{
#ifdef _WIN32
	if (set_delete_pending(fd, FALSE) != 0)
		return regdiff__error(REGDIFF_EIO, "cannot keep the file (error %lu)",
				      (unsigned long)GetLastError());
#else
	(void)fd;
#endif
	return 0;
}

int regdiff__os_anon_tempfile(int *fd)
{
#ifdef _WIN32
	wchar_t dir[MAX_PATH + 1], name[MAX_PATH + 1];
	DWORD n = GetTempPathW(MAX_PATH + 1, dir);
	/* The folder is named, since it is what the user can fix (TMP or
	 * TEMP), not whatever was being read when a file was needed. */
	if (n == 0 || n > MAX_PATH || GetTempFileNameW(dir, L"rgd", 0, name) == 0)
		return regdiff__error(REGDIFF_EIO,
				      "cannot create a temporary file in the temporary folder "
				      "(TMP/TEMP: %ls): Windows error %lu",
				      n && n <= MAX_PATH ? dir : L"?",
				      (unsigned long)GetLastError());
	*fd = wsopen(name, _O_RDWR | _O_BINARY | _O_TEMPORARY, _S_IREAD | _S_IWRITE);
	if (*fd < 0) {
		int e = errno;
		_wremove(name);
		return regdiff__error(errno_code(e),
				      "cannot create a temporary file in the temporary folder "
				      "(TMP/TEMP: %ls): %s",
				      dir, strerror(e));
	}
#else
	const char *env = getenv("TMPDIR");
	const char *dir = env && *env ? env : "/tmp";
	char name[4096];
	if ((size_t)snprintf(name, sizeof name, "%s/regdiff-XXXXXX", dir) >= sizeof name)
		return regdiff__error(REGDIFF_EINVAL,
				      "cannot create a temporary file: $TMPDIR is too long");
	*fd = mkstemp(name);
	if (*fd < 0)
		return regdiff__error(errno_code(errno),
				      "cannot create a temporary file in %s%s: %s", dir,
				      env && *env ? " ($TMPDIR)" : "", strerror(errno));
	unlink(name);
#endif
	return 0;
}

int regdiff__os_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		unsigned chunk = len > (1u << 30) ? (1u << 30) : (unsigned)len;
		ssize_t n = write(fd, p, chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return regdiff__error(errno_code(errno), "write failed: %s",
					      strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int regdiff__os_pread_all(int fd, void *buf, size_t len, uint64_t off, const char *name)
{
	char *p = buf;
	while (len > 0) {
		unsigned chunk = len > (1u << 30) ? (1u << 30) : (unsigned)len;
#ifdef _WIN32
		/* A read at an offset of its own (not a seek then a read), so
		 * that readers in several threads may share the descriptor. */
		OVERLAPPED ov = {0};
		DWORD got = 0;
		ov.Offset = (DWORD)off;
		ov.OffsetHigh = (DWORD)(off >> 32);
		int n;
		if (ReadFile((HANDLE)_get_osfhandle(fd), p, chunk, &got, &ov))
			n = (int)got;
		else if (GetLastError() == ERROR_HANDLE_EOF)
			n = 0;
		else
			return regdiff__error(REGDIFF_EIO, "%s: read failed (Windows error %lu)",
					      name, (unsigned long)GetLastError());
#else
		ssize_t n = pread(fd, p, chunk, (off_t)off);
#endif
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return regdiff__error(REGDIFF_EIO, "%s: read failed: %s", name,
					      strerror(errno));
		}
		if (n == 0)
			return regdiff__error(REGDIFF_EFORMAT,
					      "%s: truncated (unexpected end of file)", name);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int regdiff__os_read_to_end(int fd, size_t cap, char **out, size_t *len, const char *name)
{
	regdiff__buf b = {0};
	*out = NULL;
	*len = 0;
	for (;;) {
		/* One byte past the cap tells "too large" from "just fits". */
		int rc = regdiff__buf_reserve(&b, 64 << 10);
		if (rc < 0) {
			regdiff__buf_free(&b);
			return rc;
		}
		size_t room = b.cap - b.len;
		if (room > cap + 1 - b.len)
			room = cap + 1 - b.len;
#ifdef _WIN32
		int n = _read(fd, b.data + b.len, room > INT_MAX ? INT_MAX : (unsigned)room);
#else
		ssize_t n = read(fd, b.data + b.len, room);
#endif
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			regdiff__buf_free(&b);
			return regdiff__error(errno_code(e), "%s: read failed: %s", name,
					      strerror(e));
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > cap) {
			regdiff__buf_free(&b);
			return regdiff__error(REGDIFF_ELIMIT, "%s: larger than %zu bytes", name,
					      cap);
		}
	}
	*out = (char *)b.data;
	*len = b.len;
	return 0;
}

int regdiff__os_file_size(int fd, uint64_t *size, const char *name)
{
#ifdef _WIN32
	struct _stati64 st;
	if (_fstati64(fd, &st) != 0)
#else
	struct stat st;
	if (fstat(fd, &st) != 0)
#endif
		return regdiff__error(REGDIFF_EIO, "%s: %s", name, strerror(errno));
	*size = (uint64_t)st.st_size;
	return 0;
}

int regdiff__os_sync(int fd)
{
#ifdef _WIN32
	if (_commit(fd) != 0)
#else
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
#endif
		return regdiff__error(REGDIFF_EIO, "flushing to disk failed: %s", strerror(errno));
	return 0;
}

int regdiff__os_replace(const char *from, const char *to)
{
#ifdef _WIN32
	wchar_t *wfrom = wide(from), *wto = wfrom ? wide(to) : NULL;
	BOOL ok =
	    wto && MoveFileExW(wfrom, wto, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
	DWORD e = ok ? 0 : wto ? GetLastError() : ERROR_NO_UNICODE_TRANSLATION;
	free(wfrom);
	free(wto);
	if (!ok)
		return regdiff__error(e == ERROR_ACCESS_DENIED ? REGDIFF_EACCESS : REGDIFF_EIO,
				      "%s: cannot replace (error %lu)", to, (unsigned long)e);
#else
	if (rename(from, to) != 0)
		return regdiff__error(errno_code(errno), "%s: cannot replace: %s", to,
				      strerror(errno));
#endif
	return 0;
}

int regdiff__os_open_read(const char *path, int *fd)
{
#ifdef _WIN32
	*fd = wopen(path, _O_RDONLY | _O_BINARY, 0);
#else
	*fd = open(path, O_RDONLY | O_BINARY | O_CLOEXEC);
#endif
	if (*fd < 0)
		return regdiff__error(errno_code(errno), "%s: %s", path, strerror(errno));
#ifndef _WIN32
	struct stat st;
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(*fd);
		*fd = -1;
		return regdiff__error(REGDIFF_EINVAL, "%s: is a directory", path);
	}
#endif
	return 0;
}

int regdiff__os_remove(const char *path)
{
#ifdef _WIN32
	wchar_t *w = wide(path);
	int rc = w ? _wremove(w) : -1;
	free(w);
	return rc;
#else
	return remove(path);
#endif
}

int regdiff__os_read_text(const char *path, const char *what, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	int fd;
	int rc = regdiff__os_open_read(path, &fd);
	if (rc < 0)
		return rc;
	/* Read to the end, not to the size: a pipe or /dev/stdin has none. A
	 * larger file is surely not one the user wrote by hand. */
	rc = regdiff__os_read_to_end(fd, (size_t)16 << 20, text, len, path);
	close(fd);
	if (rc == REGDIFF_ELIMIT)
		rc = regdiff__error(REGDIFF_ELIMIT, "%s: larger than 16 MiB: not %s", path, what);
	return rc;
}

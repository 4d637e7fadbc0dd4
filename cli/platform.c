/* What differs between POSIX systems and Windows, kept in one place. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L
#endif

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#include <shellapi.h>
#else
#include <time.h>
#include <unistd.h>
#endif

#include "cli.h"

/* Removes the output being written, then dies of the signal as if there
 * had been no handler, so that the parent sees how we ended. */
static void on_signal(int sig)
{
	regdiff_remove_partial_outputs();
	signal(sig, SIG_DFL);
	raise(sig);
}

bool cli_isatty(FILE *stream)
{
#ifdef _WIN32
	return _isatty(_fileno(stream)) != 0;
#else
	return isatty(fileno(stream)) != 0;
#endif
}

void cli_stdout_binary(void)
{
#ifdef _WIN32
	_setmode(_fileno(stdout), _O_BINARY);
#endif
}

bool cli_bom_default(void)
{
#ifdef _WIN32
	return true;
#else
	return false;
#endif
}

int64_t cli_now_ms(void)
{
#ifdef _WIN32
	return (int64_t)GetTickCount64();
#else
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
}

#ifdef _WIN32
static wchar_t *wide(const char *path)
{
	wchar_t *wpath;
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);

	if (n <= 0)
		return NULL;
	wpath = malloc((size_t)n * sizeof(*wpath));
	if (wpath)
		MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wpath, n);
	return wpath;
}

/* 1 for a folder, 0 for a file, -1 for nothing there. */
static int is_folder(const char *path)
{
	wchar_t *wpath = wide(path);
	DWORD attr;

	if (!wpath)
		return -1;
	attr = GetFileAttributesW(wpath);
	free(wpath);
	if (attr == INVALID_FILE_ATTRIBUTES)
		return -1;
	return (attr & FILE_ATTRIBUTE_DIRECTORY) ? 1 : 0;
}

bool cli_is_file(const char *path)
{
	return is_folder(path) == 0;
}

bool cli_is_dir(const char *path)
{
	return is_folder(path) == 1;
}

/* The volume and file index, Windows' device and inode. */
static bool file_id(const char *path, BY_HANDLE_FILE_INFORMATION *info)
{
	wchar_t *wpath = wide(path);
	HANDLE h;
	BOOL ok;

	if (!wpath)
		return false;
	h = CreateFileW(wpath, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
			OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
	free(wpath);
	if (h == INVALID_HANDLE_VALUE)
		return false;
	ok = GetFileInformationByHandle(h, info);
	CloseHandle(h);
	return ok != 0;
}

bool cli_same_file(const char *a, const char *b)
{
	BY_HANDLE_FILE_INFORMATION ia, ib;

	return file_id(a, &ia) && file_id(b, &ib) &&
	       ia.dwVolumeSerialNumber == ib.dwVolumeSerialNumber &&
	       ia.nFileIndexHigh == ib.nFileIndexHigh && ia.nFileIndexLow == ib.nFileIndexLow;
}

void cli_clean_up_on_signals(void)
{
	/* Ctrl+C in a console: the C runtime's SIGINT runs on another
	 * thread, and the process ends after it. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
}

/* The C runtime hands main() its arguments in the ANSI code page, which
 * cannot hold every file or user name; the library takes UTF-8. */
char **cli_utf8_argv(int *argc, char **argv)
{
	int n;
	wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &n);
	char **out;

	if (!wargv)
		return argv;
	out = calloc((size_t)n + 1, sizeof(*out));
	for (int i = 0; out && i < n; i++) {
		int len = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);

		out[i] = len > 0 ? malloc((size_t)len) : NULL;
		if (!out[i]) {
			/* Out of memory this early: the ANSI arguments will do. */
			while (i-- > 0)
				free(out[i]);
			free(out);
			out = NULL;
			break;
		}
		WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, out[i], len, NULL, NULL);
	}
	LocalFree(wargv);
	if (!out)
		return argv;
	*argc = n;
	return out;
}
#else
bool cli_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool cli_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool cli_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

void cli_clean_up_on_signals(void)
{
	static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		struct sigaction old;

		/* A signal ignored by whoever started us (nohup) stays so. */
		if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(signals[i], &sa, NULL);
	}
}

char **cli_utf8_argv(int *argc, char **argv)
{
	(void)argc;
	return argv;
}
#endif

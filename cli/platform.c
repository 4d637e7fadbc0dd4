/* What differs between POSIX systems and Windows, kept in one place. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L
#endif

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
bool cli_is_file(const char *path)
{
	wchar_t *wpath;
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
	DWORD attr;

	if (n <= 0)
		return false;
	wpath = malloc((size_t)n * sizeof(*wpath));
	if (!wpath)
		return false;
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wpath, n);
	attr = GetFileAttributesW(wpath);
	free(wpath);
	return attr != INVALID_FILE_ATTRIBUTES && !(attr & FILE_ATTRIBUTE_DIRECTORY);
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

char **cli_utf8_argv(int *argc, char **argv)
{
	(void)argc;
	return argv;
}
#endif

/* Text for a Windows console. The C runtime hands a console the bytes it
 * is given, which the console reads in its code page (the OEM one, 437 or
 * 850, unless changed): UTF-8 names come out garbled, and PowerShell 5.1
 * decodes a native program's output again in its own way. WriteConsoleW
 * takes UTF-16 and shows it as it is, so text for a console is converted
 * and written that way. Files and pipes get the UTF-8 bytes unchanged. */
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#endif

#include "cli.h"

#ifdef _WIN32
/* The console handle behind stream, or NULL when it is not a console. */
static HANDLE console_of(FILE *stream)
{
	HANDLE h = (HANDLE)_get_osfhandle(_fileno(stream));
	DWORD mode;
	return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) ? h : NULL;
}

/* The bytes of a UTF-8 sequence cut at the end of a write, kept for the
 * next one: [0] stdout, [1] stderr. */
static struct {
	char b[4];
	size_t n;
} carry[2];

/* How many bytes at the end of buf[0..len) start a sequence that is not
 * complete yet. */
static size_t incomplete_tail(const unsigned char *buf, size_t len)
{
	for (size_t back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = buf[len - back];
		if ((c & 0xc0) == 0x80)
			continue; /* a continuation byte: look further back */
		size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > back ? back : 0;
	}
	return 0;
}

static int write_wide(HANDLE h, const char *s, size_t len)
{
	while (len > 0) {
		int chunk = len > 8192 ? 8192 : (int)len;
		wchar_t w[8192];
		/* Invalid bytes become U+FFFD, as the library's text does. */
		int n = MultiByteToWideChar(CP_UTF8, 0, s, chunk, w, 8192);
		DWORD done;
		if (n <= 0 || !WriteConsoleW(h, w, (DWORD)n, &done, NULL))
			return -1;
		s += chunk;
		len -= (size_t)chunk;
	}
	return 0;
}
#endif

int cli_console_write(FILE *stream, const void *buf, size_t len)
{
#ifdef _WIN32
	HANDLE h = console_of(stream);
	if (!h)
		return 0;
	fflush(stream); /* what the C runtime holds goes first */
	int k = stream == stderr;
	char *all = malloc(carry[k].n + len + 1);
	if (!all)
		return -1;
	memcpy(all, carry[k].b, carry[k].n);
	memcpy(all + carry[k].n, buf, len);
	size_t total = carry[k].n + len, tail = incomplete_tail((unsigned char *)all, total);
	int rc = write_wide(h, all, total - tail);
	memcpy(carry[k].b, all + total - tail, tail);
	carry[k].n = tail;
	free(all);
	return rc == 0 ? 1 : -1;
#else
	(void)stream;
	(void)buf;
	(void)len;
	return 0;
#endif
}

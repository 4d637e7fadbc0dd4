/* Error reporting and careful output. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"

int cli_fail(int code, const char *what)
{
	const char *msg = regdiff_error_message();

	fputs("regdiff: ", stderr);
	if (msg && msg[0]) {
		cli_put_safe(stderr, msg);
	} else {
		if (what) {
			cli_put_safe(stderr, what);
			fputs(": ", stderr);
		}
		fputs(regdiff_strerror(code), stderr);
	}
	fputc('\n', stderr);
	return CLI_EXIT_TROUBLE;
}

static void vreport(const char *fmt, va_list ap)
{
	char line[1024];

	/* Formatted first so that names in it are shown safely as a whole. */
	vsnprintf(line, sizeof(line), fmt, ap);
	fputs("regdiff: ", stderr);
	cli_put_safe(stderr, line);
	fputc('\n', stderr);
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return CLI_EXIT_TROUBLE;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	fputs("Try 'regdiff --help'.\n", stderr);
	return CLI_EXIT_TROUBLE;
}

/* The code point of the well-formed UTF-8 sequence at s (shortest form,
 * no surrogates, at most U+10FFFF) and its length in *n, or U+FFFD for
 * one byte. */
static uint32_t utf8_next(const unsigned char *s, size_t *n)
{
	uint32_t cp;

	*n = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		*n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		*n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		*n = 4;
	else
		return 0xfffd;
	cp = s[0] & (0x7f >> *n);
	for (size_t i = 1; i < *n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*n = 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((*n == 3 && cp < 0x800) || (*n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff)) {
		*n = 1;
		return 0xfffd;
	}
	return cp;
}

/* What is made safe, and how, is the library's to say (REGDIFF_TEXT_SAFE,
 * as in TXT reports): the text goes through it as UTF-16, a piece at a
 * time. */
static void put_units(FILE *f, const uint16_t *units, size_t n)
{
	regdiff_name name = {units, n};
	char *safe = NULL;

	if (n == 0)
		return;
	if (regdiff_name_to_utf8(name, REGDIFF_TEXT_SAFE, &safe, NULL) == 0) {
		if (cli_console_write(f, safe, strlen(safe)) == 0)
			fputs(safe, f);
	} else
		fputs("\xef\xbf\xbd", f); /* out of memory: one U+FFFD for it all */
	regdiff_free(safe);
}

void cli_put_safe(FILE *f, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	uint16_t units[256 + 2];
	size_t k = 0;

	while (*s) {
		size_t n;
		uint32_t cp = utf8_next(s, &n);

		if (cp >= 0x10000) {
			units[k++] = (uint16_t)(0xd800 | (cp - 0x10000) >> 10);
			units[k++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
		} else {
			units[k++] = (uint16_t)cp;
		}
		if (k >= 256) {
			put_units(f, units, k);
			k = 0;
		}
		s += n;
	}
	put_units(f, units, k);
}

int cli_finish_stdout(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_error("standard output: %s", errno ? strerror(errno) : "write error");
	return CLI_EXIT_OK;
}

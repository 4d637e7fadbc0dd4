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

/* The length of the well-formed UTF-8 sequence at s (shortest form, no
 * surrogates, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void cli_put_safe(FILE *f, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (*s) {
		size_t n = utf8_len(s);

		if (n == 1 && (*s < 0x20 || *s == 0x7f)) {
			/* U+2400 + c is the control picture; U+2421 for DEL. */
			unsigned pic = *s == 0x7f ? 0x21 : *s;

			fputc(0xe2, f);
			fputc(0x90 | (pic >> 6), f);
			fputc(0x80 | (pic & 0x3f), f);
		} else if (n == 0 || (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)) {
			/* Invalid UTF-8 and C1 controls: U+FFFD. */
			fputs("\xef\xbf\xbd", f);
			if (n == 0)
				n = 1;
		} else {
			fwrite(s, 1, n, f);
		}
		s += n;
	}
}

int cli_finish_stdout(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_error("standard output: %s", errno ? strerror(errno) : "write error");
	return CLI_EXIT_OK;
}

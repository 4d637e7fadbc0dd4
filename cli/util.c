/* Error reporting and careful output. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"

int cli_fail(int code, const char *what)
{
	/* Copied: the message lives only until the next library call, and
	 * showing it safely is one. */
	char msg[1024];

	snprintf(msg, sizeof msg, "%s", regdiff_error_last()->message);
	fputs("regdiff: ", stderr);
	if (msg[0]) {
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

CLI_PRINTF(1, 0) static void vreport(const char *fmt, va_list ap)
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

void cli_put_safe(FILE *f, const char *text)
{
	char *safe = NULL;

	/* The library decides what is safe, as it does for reports. */
	if (regdiff_text_safe(&safe, text, strlen(text)) == 0) {
		if (cli_console_write(f, safe, strlen(safe)) == 0)
			fputs(safe, f);
	} else
		fputs("\xef\xbf\xbd", f); /* out of memory: one U+FFFD for it all */
	regdiff_free(safe);
}

int cli_finish_stdout(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_error("standard output: %s", errno ? strerror(errno) : "write error");
	return CLI_EXIT_OK;
}

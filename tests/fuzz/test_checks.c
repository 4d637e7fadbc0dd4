/* The fuzz targets' report checks must reject what they are there to
 * catch: a checker that accepts everything would make every fuzz run
 * pass. Each case is a report and whether it must pass. */
#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"
#include "json_check.h"

static int failures;

static void json_case(const char *text, int ok)
{
	const char *why;
	size_t at;
	int rc = json_check_object((const uint8_t *)text, strlen(text), &why, &at);
	if ((rc == 0) != ok) {
		fprintf(stderr, "json_check_object(%s): %s, expected %s\n", text,
			rc == 0 ? "accepted" : why, ok ? "accepted" : "rejected");
		failures++;
	}
}

static void report_case(const char *text, size_t len, regdiff_report_format format, unsigned flags,
			uint64_t lines, int ok)
{
	fuzz_out o = {.data = (uint8_t *)text, .len = len, .cap = len};
	regdiff_report_options opts = REGDIFF_REPORT_OPTIONS_INIT;
	opts.format = format;
	opts.flags = flags;
	char why[1024] = "";
	int rc = fuzz_report_problem(&o, &opts, lines, why, sizeof why);
	if ((rc == 0) != ok) {
		fprintf(stderr, "report %.*s: %s, expected %s\n", (int)len, text,
			rc == 0 ? "accepted" : why, ok ? "accepted" : "rejected");
		failures++;
	}
}

#define TXT(s, flags, ok) report_case(s, sizeof s - 1, REGDIFF_REPORT_TXT, flags, 0, ok)
#define JSONL(s, lines, ok) report_case(s, sizeof s - 1, REGDIFF_REPORT_JSONL, 0, lines, ok)

int main(void)
{
	json_case("{}", 1);
	json_case(" {\"a\":1} ", 1);
	json_case(
	    "{\"op\":\"key_added\",\"key\":\"HKLM\\\\x\\ud800\",\"n\":[1,-2.5e+3,true,null,{}]}",
	    1);
	json_case("{\"\xf0\x9f\x98\x80\":\"\xc3\xa9\"}", 1);
	json_case("", 0);
	json_case("[]", 0);
	json_case("{\"a\":1}{}", 0);
	json_case("{\"a\":1,}", 0);
	json_case("{\"a\":1,\"a\":2}", 0);
	json_case("{\"a\":01}", 0);
	json_case("{\"a\":1.}", 0);
	json_case("{\"a\":\"\x01\"}", 0);
	json_case("{\"a\":\"\\x\"}", 0);
	json_case("{\"a\":\"\\u12g4\"}", 0);
	json_case("{\"a\":\"\xc0\xaf\"}", 0);	      /* overlong */
	json_case("{\"a\":\"\xed\xa0\x80\"}", 0);     /* an encoded surrogate */
	json_case("{\"a\":\"\xf4\x90\x80\x80\"}", 0); /* above U+10FFFF */
	json_case("{\"a\":\"\xe2\x82\"}", 0);	      /* cut short */
	json_case("{\"a\":tru}", 0);
	json_case("{\"a\" 1}", 0);
	json_case("{\"a\":\"b}", 0);

	JSONL("{\"a\":1}\n{\"b\":2}\n", 2, 1);
	JSONL("", 0, 1);
	JSONL("{\"a\":1}\n{\"b\":2}\n", 3, 0); /* a change without its line */
	JSONL("{\"a\":1}", 1, 0);	       /* no line end */
	JSONL("{\"a\":1}\n\n", 2, 0);	       /* an empty line */
	JSONL("{\"a\":\"x\ny\"}\n", 1, 0);     /* a raw LF in a string */

	TXT("a\xe2\x90\x9b[31m b\n", 0, 1);
	TXT("a\r\nb\r\n", REGDIFF_REPORT_CRLF, 1);
	TXT("\xff\xfe"
	    "a\0\r\0\n\0",
	    REGDIFF_REPORT_UTF16LE | REGDIFF_REPORT_CRLF, 1);
	TXT("\xff\xfe"
	    "=\xd8\x00\xde\n\0",
	    REGDIFF_REPORT_UTF16LE, 1);
	TXT("a\x1b[31m\n", 0, 0);
	TXT("a\tb\n", 0, 0);
	TXT("a\x7f\n", 0, 0);
	TXT("a\xc2\x9b\n", 0, 0); /* C1 CSI */
	TXT("a\xff\n", 0, 0);
	TXT("a\r\n", 0, 0);
	TXT("a\n", REGDIFF_REPORT_CRLF, 0);
	TXT("a\rb\r\n", REGDIFF_REPORT_CRLF, 0);
	TXT("a", 0, 0);
	TXT("a\0\n\0", REGDIFF_REPORT_UTF16LE, 0); /* no BOM */
	TXT("\xff\xfe"
	    "\x00\xd8\n\0",
	    REGDIFF_REPORT_UTF16LE, 0); /* lone surrogate */
	TXT("\xff\xfe"
	    "\x1b\0\n\0",
	    REGDIFF_REPORT_UTF16LE, 0);

	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("all checks reject what they must\n");
	return 0;
}

/* Dumps Windows' upper case of every UTF-16 code unit, as the registry
 * compares names: RtlUpcaseUnicodeChar, the function the configuration
 * manager's name comparison uses. One line per unit that changes,
 * "XXXX YYYY" in hex. Run on Windows (or under Wine) and feed the output
 * to tools/gen_upcase.py:
 *
 *   x86_64-w64-mingw32-gcc -O2 -o dump_upcase.exe tools/dump_upcase.c
 *   wine dump_upcase.exe > tools/upcase_windows.txt
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

typedef WCHAR(NTAPI *upcase_fn)(WCHAR);

int main(void)
{
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	FARPROC proc = ntdll ? GetProcAddress(ntdll, "RtlUpcaseUnicodeChar") : NULL;
	upcase_fn upcase;

	if (!proc) {
		fputs("dump_upcase: ntdll has no RtlUpcaseUnicodeChar\n", stderr);
		return 2;
	}
	memcpy(&upcase, &proc, sizeof upcase);
	for (unsigned c = 0; c < 0x10000; c++) {
		unsigned u = upcase((WCHAR)c);
		if (u != c)
			printf("%04X %04X\n", c, u);
	}
	return fflush(stdout) == 0 ? 0 : 2;
}

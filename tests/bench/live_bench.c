/* Benchmark of the live source (Windows build; not a test): `regdiff shot`
 * of HKLM and HKU against a bare RegEnumKeyExW/RegEnumValueW walk of the
 * same keys, both as processes, interleaved, in the same run:
 *
 *   regdiff_live_bench [-n REPEATS] [--regdiff PATH\regdiff.exe]
 *
 * The walk reads what a shot must read at least: every key's subkey
 * names and last-write time, every value's name, type and data. Like the
 * shot it opens links as links (REG_OPTION_OPEN_LINK: CurrentControlSet
 * is not walked twice) and leaves HKLM\COMPONENTS out. Under Wine the
 * registry lives in wineserver, another process: its CPU time is no
 * process's own, so wall time is the figure that counts there. Exit
 * status 2 when an operation fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "median.h"

#define MAX_REPEATS 99

typedef struct figure {
	double t[MAX_REPEATS], cpu[MAX_REPEATS];
	int n;
} figure;

static unsigned long long keys, values, bytes;
static wchar_t name[32768];
static BYTE *data;
static DWORD data_cap;

static void walk(HKEY h, int depth)
{
	DWORD nsub = 0, maxsub = 0, nval = 0, maxname = 0, maxdata = 0;
	FILETIME ft;
	if (RegQueryInfoKeyW(h, NULL, NULL, NULL, &nsub, &maxsub, NULL, &nval, &maxname, &maxdata,
			     NULL, &ft) != ERROR_SUCCESS)
		return;
	keys++;
	if (maxdata > data_cap) {
		BYTE *p = realloc(data, maxdata);
		if (p) {
			data = p;
			data_cap = maxdata;
		}
	}
	for (DWORD i = 0;; i++) {
		DWORD nlen = 32768, type, dlen = data_cap;
		LONG e = RegEnumValueW(h, i, name, &nlen, NULL, &type, data, &dlen);
		if (e == ERROR_NO_MORE_ITEMS)
			break;
		if (e == ERROR_SUCCESS) {
			values++;
			bytes += dlen;
		}
	}
	for (DWORD i = 0;; i++) {
		DWORD nlen = 32768;
		LONG e = RegEnumKeyExW(h, i, name, &nlen, NULL, NULL, NULL, NULL);
		if (e == ERROR_NO_MORE_ITEMS)
			break;
		if (e != ERROR_SUCCESS)
			continue;
		if (depth == 0 && _wcsicmp(name, L"COMPONENTS") == 0)
			continue;
		HKEY c;
		if (RegOpenKeyExW(h, name, REG_OPTION_OPEN_LINK, KEY_READ, &c) == ERROR_SUCCESS) {
			walk(c, depth + 1);
			RegCloseKey(c);
		}
	}
}

static int bare_walk(void)
{
	walk(HKEY_LOCAL_MACHINE, 0);
	walk(HKEY_USERS, 1);
	printf("%llu keys, %llu values, %llu bytes of data\n", keys, values, bytes);
	return keys == 0;
}

static double seconds(FILETIME f)
{
	return (double)(((unsigned long long)f.dwHighDateTime << 32) | f.dwLowDateTime) / 1e7;
}

/* Runs command line cmd as a process, its output thrown away; its wall
 * and CPU (user + kernel) time go to f. */
static void run(figure *f, wchar_t *cmd)
{
	STARTUPINFOW si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
	SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
	HANDLE nul =
	    CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
	si.hStdOutput = si.hStdError = nul;
	si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
	PROCESS_INFORMATION pi;
	LARGE_INTEGER t0, t1, freq;
	QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&t0);
	if (!CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
		fwprintf(stderr, L"regdiff_live_bench: cannot run %ls (error %lu)\n", cmd,
			 GetLastError());
		exit(2);
	}
	WaitForSingleObject(pi.hProcess, INFINITE);
	QueryPerformanceCounter(&t1);
	DWORD code = 2;
	FILETIME c, x, k, u;
	GetExitCodeProcess(pi.hProcess, &code);
	GetProcessTimes(pi.hProcess, &c, &x, &k, &u);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	CloseHandle(nul);
	if (code != 0 && code != 3) {
		fwprintf(stderr, L"regdiff_live_bench: %ls failed (exit status %lu)\n", cmd, code);
		exit(2);
	}
	f->t[f->n] = (double)(t1.QuadPart - t0.QuadPart) / (double)freq.QuadPart;
	f->cpu[f->n++] = seconds(k) + seconds(u);
}

int main(int argc, char **argv)
{
	int repeats = 5;
	wchar_t self[MAX_PATH], regdiff[MAX_PATH], tmp[MAX_PATH], out[MAX_PATH];
	if (argc == 2 && strcmp(argv[1], "--walk") == 0)
		return bare_walk();
	GetModuleFileNameW(NULL, self, MAX_PATH);
	wcscpy(regdiff, self);
	wchar_t *slash = wcsrchr(regdiff, L'\\');
	wcscpy(slash ? slash + 1 : regdiff, L"regdiff.exe");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			repeats = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--regdiff") == 0 && i + 1 < argc &&
			   MultiByteToWideChar(CP_ACP, 0, argv[i + 1], -1, regdiff, MAX_PATH)) {
			i++;
		} else {
			fputs("usage: regdiff_live_bench [-n REPEATS] [--regdiff PATH]\n", stderr);
			return 2;
		}
	}
	if (repeats < 1 || repeats > MAX_REPEATS) {
		fputs("regdiff_live_bench: REPEATS must be 1 to 99\n", stderr);
		return 2;
	}
	GetTempPathW(MAX_PATH, tmp);
	_snwprintf(out, MAX_PATH, L"%lsregdiff-live-bench-%lu.rds", tmp, GetCurrentProcessId());
	wchar_t walk_cmd[2 * MAX_PATH + 16], shot_cmd[3 * MAX_PATH + 64];
	_snwprintf(walk_cmd, sizeof walk_cmd / sizeof *walk_cmd, L"\"%ls\" --walk", self);
	_snwprintf(shot_cmd, sizeof shot_cmd / sizeof *shot_cmd,
		   L"\"%ls\" -q shot -o \"%ls\" HKLM HKU", regdiff, out);
	figure w = {0}, s = {0};
	for (int r = 0; r < repeats; r++) {
		wchar_t cmd[sizeof shot_cmd / sizeof *shot_cmd];
		wcscpy(cmd, walk_cmd); /* CreateProcessW may write to it */
		run(&w, cmd);
		wcscpy(cmd, shot_cmd);
		run(&s, cmd);
		DeleteFileW(out);
	}
	double wt = median_of(w.t, w.n), wc = median_of(w.cpu, w.n);
	double st = median_of(s.t, s.n), sc = median_of(s.cpu, s.n);
	printf("HKLM and HKU, live; median of %d runs each, interleaved\n", repeats);
	printf("  %-40s %9s %7s %9s %7s\n", "operation", "wall", "ratio", "cpu", "ratio");
	printf("  %-40s %7.3f s %6.2fx %7.3f s %6.2fx\n", "bare RegEnumKeyExW/RegEnumValueW walk",
	       wt, 1.0, wc, 1.0);
	printf("  %-40s %7.3f s %6.2fx %7.3f s %6.2fx  goal <= 1.5x\n", "regdiff shot", st, st / wt,
	       sc, wc > 0 ? sc / wc : 0.0);
	return 0;
}

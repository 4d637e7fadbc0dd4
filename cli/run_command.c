/* Running watch's COMMAND: fork and exec on POSIX, CreateProcessW on
 * Windows, each waited for with an optional time limit. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <wchar.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#endif

#include "cli.h"

#ifdef _WIN32
static wchar_t *wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(*w)) : NULL;

	if (w)
		MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

/* Appends arg quoted so that CommandLineToArgvW and the C runtime give it
 * back unchanged: backslashes double only before a quote. */
static void quote_arg(wchar_t *out, size_t *len, const wchar_t *arg)
{
	bool plain = arg[0] != 0 && wcspbrk(arg, L" \t\n\v\"") == NULL;

	if (plain) {
		for (; *arg; arg++)
			out[(*len)++] = *arg;
		return;
	}
	out[(*len)++] = L'"';
	for (;;) {
		size_t slashes = 0;

		while (*arg == L'\\') {
			arg++;
			slashes++;
		}
		if (*arg == 0) {
			for (size_t i = 0; i < 2 * slashes; i++)
				out[(*len)++] = L'\\';
			break;
		}
		if (*arg == L'"')
			slashes = 2 * slashes + 1;
		for (size_t i = 0; i < slashes; i++)
			out[(*len)++] = L'\\';
		out[(*len)++] = *arg++;
	}
	out[(*len)++] = L'"';
}

static wchar_t *command_line(char **argv)
{
	size_t cap = 1, len = 0;
	wchar_t **w;
	wchar_t *line = NULL;
	int n = 0;

	while (argv[n])
		n++;
	w = calloc((size_t)n, sizeof(*w));
	for (int i = 0; w && i < n; i++) {
		if (!(w[i] = wide(argv[i])))
			goto out;
		/* Worst case: every unit a backslash before a quote, doubled. */
		cap += 2 * wcslen(w[i]) + 3;
	}
	if (w && (line = malloc(cap * sizeof(*line)))) {
		for (int i = 0; i < n; i++) {
			if (i)
				line[len++] = L' ';
			quote_arg(line, &len, w[i]);
		}
		line[len] = 0;
	}
out:
	for (int i = 0; w && i < n; i++)
		free(w[i]);
	free(w);
	return line;
}

static HANDLE inheritable(DWORD which)
{
	HANDLE h = GetStdHandle(which);

	if (h && h != INVALID_HANDLE_VALUE)
		SetHandleInformation(h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
	return h;
}

/* WaitForSingleObject with a wait of wait_ms (-1: no limit). Its DWORD of
 * milliseconds ends at 49.7 days, whose last value means INFINITE, while
 * --wait may be as long as a year. */
static DWORD wait_for(HANDLE h, int64_t wait_ms)
{
	DWORD r;

	if (wait_ms < 0)
		return WaitForSingleObject(h, INFINITE);
	do {
		DWORD step = wait_ms < INFINITE ? (DWORD)wait_ms : INFINITE - 1;

		r = WaitForSingleObject(h, step);
		wait_ms -= step;
	} while (r == WAIT_TIMEOUT && wait_ms > 0);
	return r;
}

static int run(char **command, bool out_to_stderr, int64_t wait_ms, cli_outcome *o)
{
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	wchar_t *line = command_line(command);
	DWORD code = 0;
	BOOL ok;

	if (!line)
		return cli_error("out of memory");
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = inheritable(STD_INPUT_HANDLE);
	si.hStdError = inheritable(STD_ERROR_HANDLE);
	si.hStdOutput = out_to_stderr ? si.hStdError : inheritable(STD_OUTPUT_HANDLE);
	fflush(stdout);
	fflush(stderr);
	ok = CreateProcessW(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
	free(line);
	if (!ok)
		return cli_error("watch: cannot run '%s' (Windows error %lu)", command[0],
				 (unsigned long)GetLastError());
	CloseHandle(pi.hThread);
	if (wait_for(pi.hProcess, wait_ms) == WAIT_TIMEOUT) {
		o->running = true;
	} else if (GetExitCodeProcess(pi.hProcess, &code)) {
		o->status = (long)code;
	}
	CloseHandle(pi.hProcess);
	return CLI_EXIT_OK;
}
#else
static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The child tells an exec failure through a pipe that a successful exec
 * closes, so that "cannot run" is trouble and not a status of 127. */
static int run(char **command, bool out_to_stderr, int64_t wait_ms, cli_outcome *o)
{
	int fds[2], err = 0, st = 0;
	int64_t deadline = wait_ms < 0 ? -1 : cli_now_ms() + wait_ms;
	pid_t pid, done;
	ssize_t n;

	if (pipe(fds) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0)
		return cli_error("watch: cannot start '%s': %s", command[0], strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(fds[0]);
		close(fds[1]);
		return cli_error("watch: cannot start '%s': %s", command[0], strerror(err));
	}
	if (pid == 0) {
		close(fds[0]);
		if (out_to_stderr)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(command[0], command);
		err = errno;
		(void)!write(fds[1], &err, sizeof(err));
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (n == (ssize_t)sizeof(err)) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		return cli_error("watch: cannot run '%s': %s", command[0], strerror(err));
	}
	for (;;) {
		done = waitpid(pid, &st, deadline < 0 ? 0 : WNOHANG);
		if (done == pid)
			break;
		if (done < 0 && errno != EINTR)
			return cli_error("watch: waiting for '%s': %s", command[0],
					 strerror(errno));
		if (done == 0) {
			int64_t left = deadline - cli_now_ms();

			if (left <= 0) {
				o->running = true;
				return CLI_EXIT_OK;
			}
			sleep_ms(left < 20 ? (long)left : 20);
		}
	}
	if (WIFSIGNALED(st)) {
		o->signaled = true;
		o->status = WTERMSIG(st);
	} else {
		o->status = WEXITSTATUS(st);
	}
	return CLI_EXIT_OK;
}
#endif

int cli_run_command(char **command, bool out_to_stderr, int64_t wait_ms, cli_outcome *o)
{
	o->running = false;
	o->signaled = false;
	o->status = 0;
	return run(command, out_to_stderr, wait_ms, o);
}

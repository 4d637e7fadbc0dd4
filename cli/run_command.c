/* Running watch's COMMAND: fork and exec on POSIX, CreateProcessW on
 * Windows, each waited for with an optional time limit, together with
 * every process it starts (a job object on Windows, a subreaper on
 * Linux; elsewhere the command alone). */
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
#ifdef __linux__
#include <sys/prctl.h>
#endif
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

/* Every handle we hold was opened not inheritable, but a host program or
 * the C runtime may hold others that are: the command gets exactly the
 * three standard handles (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), never, say,
 * a writable handle to the "before" snapshot it could rewrite. */
typedef struct child_handles {
	HANDLE list[3];
	DWORD n;
	LPPROC_THREAD_ATTRIBUTE_LIST attrs;
} child_handles;

static void add_handle(child_handles *c, HANDLE h)
{
	if (!h || h == INVALID_HANDLE_VALUE)
		return;
	/* Windows refuses a list that names a handle twice. */
	for (DWORD i = 0; i < c->n; i++)
		if (c->list[i] == h)
			return;
	c->list[c->n++] = h;
}

static bool child_handles_init(child_handles *c, const STARTUPINFOW *si)
{
	SIZE_T size = 0;

	c->n = 0;
	add_handle(c, si->hStdInput);
	add_handle(c, si->hStdOutput);
	add_handle(c, si->hStdError);
	c->attrs = NULL;
	InitializeProcThreadAttributeList(NULL, 1, 0, &size);
	if (size == 0 || !(c->attrs = malloc(size)))
		return false;
	if (!InitializeProcThreadAttributeList(c->attrs, 1, 0, &size)) {
		free(c->attrs);
		c->attrs = NULL;
		return false;
	}
	if (c->n > 0 && !UpdateProcThreadAttribute(c->attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
						   c->list, c->n * sizeof(HANDLE), NULL, NULL)) {
		DeleteProcThreadAttributeList(c->attrs);
		free(c->attrs);
		c->attrs = NULL;
		return false;
	}
	return true;
}

static void child_handles_free(child_handles *c)
{
	if (c->attrs) {
		DeleteProcThreadAttributeList(c->attrs);
		free(c->attrs);
	}
}

/* A job that tells, through a completion port, when its last process has
 * ended: a dropper that starts its payload and exits at once is not
 * "done" until the payload is. */
typedef struct job {
	HANDLE job, port;
} job;

static bool job_open(job *j)
{
	JOBOBJECT_ASSOCIATE_COMPLETION_PORT acp;

	j->job = CreateJobObjectW(NULL, NULL);
	j->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
	if (!j->job || !j->port)
		return false;
	acp.CompletionKey = j->job;
	acp.CompletionPort = j->port;
	return SetInformationJobObject(j->job, JobObjectAssociateCompletionPortInformation, &acp,
				       sizeof(acp)) != 0;
}

static void job_close(job *j)
{
	/* Closing the job does not end its processes: no
	 * JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE. */
	if (j->job)
		CloseHandle(j->job);
	if (j->port)
		CloseHandle(j->port);
	j->job = j->port = NULL;
}

/* Milliseconds to wait in one call: wait_ms (-1: no limit) is counted
 * down by the caller. A DWORD of milliseconds ends at 49.7 days, whose
 * last value means INFINITE, while --wait may be as long as a year. */
static DWORD step_of(int64_t wait_ms)
{
	if (wait_ms < 0)
		return INFINITE;
	return wait_ms < INFINITE ? (DWORD)wait_ms : INFINITE - 1;
}

/* Waits until the job's last process has ended: true, or false when the
 * time is up first. */
static bool wait_job(const job *j, int64_t wait_ms)
{
	int64_t deadline = wait_ms < 0 ? -1 : cli_now_ms() + wait_ms;

	for (;;) {
		DWORD msg = 0;
		ULONG_PTR key = 0;
		LPOVERLAPPED ov = NULL;
		int64_t left = deadline < 0 ? -1 : deadline - cli_now_ms();

		if (deadline >= 0 && left <= 0)
			return false;
		if (!GetQueuedCompletionStatus(j->port, &msg, &key, &ov, step_of(left))) {
			if (GetLastError() == WAIT_TIMEOUT)
				continue; /* the deadline decides */
			return true;	  /* the port is gone: nothing more to learn */
		}
		if ((HANDLE)key == j->job && msg == JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO)
			return true;
	}
}

/* Waits for one process, where no job could be had. */
static bool wait_process(HANDLE h, int64_t wait_ms)
{
	DWORD r;

	do {
		DWORD step = step_of(wait_ms);

		r = WaitForSingleObject(h, step);
		if (wait_ms >= 0)
			wait_ms -= step;
	} while (r == WAIT_TIMEOUT && wait_ms > 0);
	return r != WAIT_TIMEOUT;
}

#ifndef ERROR_ELEVATION_REQUIRED
#define ERROR_ELEVATION_REQUIRED 740 /* not in every mingw-w64 winerror.h */
#endif

static int cannot_run(const char *name, DWORD e)
{
	if (e == ERROR_ELEVATION_REQUIRED)
		return cli_error("watch: '%s' needs elevation (Windows error 740): run regdiff "
				 "from an elevated prompt so that COMMAND runs elevated too",
				 name);
	return cli_error("watch: cannot run '%s' (Windows error %lu)", name, (unsigned long)e);
}

static int run(char **command, bool out_to_stderr, int64_t wait_ms, cli_outcome *o)
{
	STARTUPINFOEXW si;
	PROCESS_INFORMATION pi;
	child_handles handles;
	job j = {NULL, NULL};
	wchar_t *line = command_line(command);
	DWORD code = 0, flags = CREATE_SUSPENDED;
	bool jobbed, done;
	BOOL ok;

	if (!line)
		return cli_error("out of memory");
	memset(&si, 0, sizeof(si));
	si.StartupInfo.cb = sizeof(si);
	si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
	si.StartupInfo.hStdInput = inheritable(STD_INPUT_HANDLE);
	si.StartupInfo.hStdError = inheritable(STD_ERROR_HANDLE);
	si.StartupInfo.hStdOutput =
	    out_to_stderr ? si.StartupInfo.hStdError : inheritable(STD_OUTPUT_HANDLE);
	if (child_handles_init(&handles, &si.StartupInfo)) {
		si.lpAttributeList = handles.attrs;
		flags |= EXTENDED_STARTUPINFO_PRESENT;
	}
	fflush(stdout);
	fflush(stderr);
	ok = CreateProcessW(NULL, line, NULL, NULL, TRUE, flags, NULL, NULL, &si.StartupInfo, &pi);
	if (!ok && (flags & EXTENDED_STARTUPINFO_PRESENT) &&
	    GetLastError() == ERROR_INVALID_PARAMETER) {
		/* Windows 7 takes no console pseudo-handle in the list; regdiff's
		 * own files are not inheritable anyway. */
		si.lpAttributeList = NULL;
		si.StartupInfo.cb = sizeof(si.StartupInfo);
		ok = CreateProcessW(NULL, line, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL,
				    &si.StartupInfo, &pi);
	}
	free(line);
	child_handles_free(&handles);
	if (!ok)
		return cannot_run(command[0], GetLastError());
	/* Started suspended, so that it is in the job before it can start
	 * anything. Without a job (regdiff itself in a job that allows no
	 * other, before Windows 8) only the command itself is waited for. */
	jobbed = job_open(&j) && AssignProcessToJobObject(j.job, pi.hProcess);
	ResumeThread(pi.hThread);
	CloseHandle(pi.hThread);
	done = jobbed ? wait_job(&j, wait_ms) : wait_process(pi.hProcess, wait_ms);
	job_close(&j);
	if (!done || WaitForSingleObject(pi.hProcess, 0) == WAIT_TIMEOUT)
		o->running = true;
	else if (GetExitCodeProcess(pi.hProcess, &code))
		o->status = (long)code;
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
	int fds[2], err = 0, st = 0, cst = 0;
	bool reaper = false;
	int64_t deadline = wait_ms < 0 ? -1 : cli_now_ms() + wait_ms;
	pid_t pid, done;
	ssize_t n;

	/* A dropper starts its payload and exits: the second shot must wait
	 * for the payload too. A process group would not do (a daemon leaves
	 * it with setsid, and a command in a group of its own is stopped when
	 * it reads the terminal); a subreaper inherits every orphan. */
#ifdef PR_SET_CHILD_SUBREAPER
	reaper = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
#endif
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
		/* As a subreaper, every descendant orphaned on the way is
		 * ours to wait for: ECHILD means the last of them has ended. */
		done = waitpid(reaper ? -1 : pid, &cst, deadline < 0 ? 0 : WNOHANG);
		if (done == pid)
			st = cst;
		if (done < 0 && errno == ECHILD)
			break;
		if (done == pid && !reaper)
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

/* regdiff watch: shoot, run a command, shoot again, report the changes:
 * the dynamic-analysis loop in one command. */
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

const char cli_watch_usage[] =
    "Usage: regdiff watch [OPTION]... [SOURCE]... -- COMMAND [ARGUMENT]...\n"
    "Take a snapshot of the SOURCEs, run COMMAND, wait for it to end, take a\n"
    "second snapshot and report what changed, as 'regdiff compare' does.\n"
    "\n"
    "SOURCEs are as 'regdiff shot' takes them; without one, Windows builds\n"
    "watch HKLM and HKU. Each snapshot opens the SOURCEs afresh, so a hive\n"
    "file that COMMAND rewrites is read again. COMMAND's standard output goes\n"
    "to standard error while the report goes to standard output.\n"
    "\n"
    "Options:\n"
    "  -w, --wait SECONDS   wait at most SECONDS for COMMAND to end; then take\n"
    "                       the second snapshot and leave COMMAND running\n"
    "      --before FILE    also keep the first snapshot in FILE\n"
    "      --after FILE     also keep the second snapshot in FILE\n"
    "  -f, --format FORMAT  txt (the default), jsonl or html\n"
    "  -o, --output FILE    write the report to FILE (default: standard output)\n"
    "  -c, --comment TEXT   the report's comment line\n"
    "      --crlf           txt: end lines with CR LF\n"
    "      --utf16          txt: write UTF-16LE with a byte order mark\n"
    "      --key-times      also report keys whose only change is their\n"
    "                       last-write time\n"
    "  -q, --quiet          show no progress and no notes about COMMAND\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "Exit status: 0 no differences, 1 differences, 2 trouble (COMMAND could\n"
    "not be started, say). COMMAND's own exit status is shown, not passed on.\n";

enum {
	OPT_WAIT = 1,
	OPT_BEFORE,
	OPT_AFTER,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_COMMENT,
	OPT_CRLF,
	OPT_UTF16,
	OPT_KEY_TIMES,
	OPT_QUIET,
	OPT_HELP
};

static const cli_option watch_options[] = {
    {"wait", 'w', CLI_REQUIRED_ARG, OPT_WAIT},
    {"before", 0, CLI_REQUIRED_ARG, OPT_BEFORE},
    {"after", 0, CLI_REQUIRED_ARG, OPT_AFTER},
    {"format", 'f', CLI_REQUIRED_ARG, OPT_FORMAT},
    {"output", 'o', CLI_REQUIRED_ARG, OPT_OUTPUT},
    {"comment", 'c', CLI_REQUIRED_ARG, OPT_COMMENT},
    {"crlf", 0, CLI_NO_ARG, OPT_CRLF},
    {"utf16", 0, CLI_NO_ARG, OPT_UTF16},
    {"key-times", 0, CLI_NO_ARG, OPT_KEY_TIMES},
    {"quiet", 'q', CLI_NO_ARG, OPT_QUIET},
    {"help", 'h', CLI_NO_ARG, OPT_HELP},
    {NULL, 0, CLI_NO_ARG, 0},
};

static char *default_sources[] = {"HKLM", "HKU"};

typedef struct watch_job {
	char **specs;
	int nspecs;
	char **command;
	int64_t wait_ms;     /* -1: until COMMAND ends */
	const char *keep[2]; /* --before, --after */
	regdiff_report_options report;
	unsigned diff_flags;
	const char *output; /* NULL: stdout */
} watch_job;

/* How COMMAND ended. */
typedef struct outcome {
	bool running; /* still running when the wait was over */
	bool signaled;
	long status; /* exit status, or signal number */
} outcome;

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

static int run_command(char **command, bool out_to_stderr, int64_t wait_ms, outcome *o)
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
	if (WaitForSingleObject(pi.hProcess, wait_ms < 0 ? INFINITE : (DWORD)wait_ms) ==
	    WAIT_TIMEOUT) {
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
static int run_command(char **command, bool out_to_stderr, int64_t wait_ms, outcome *o)
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

/* Opens the sources afresh and shoots them, into job->keep[i] if given. */
static int shoot(const watch_job *job, int i, cli_progress *progress, regdiff_snapshot **out)
{
	static const char *const labels[] = {"before", "after"};
	regdiff_shot_options opts = REGDIFF_SHOT_OPTIONS_INIT;
	regdiff_source **sources = calloc((size_t)job->nspecs, sizeof(*sources));
	int status = CLI_EXIT_OK;
	int rc = 0;

	if (!sources)
		return cli_error("out of memory");
	for (int k = 0; k < job->nspecs && status == CLI_EXIT_OK; k++) {
		rc = regdiff_source_open(&sources[k], job->specs[k]);
		if (rc < 0)
			status = cli_fail(rc, job->specs[k]);
	}
	if (status == CLI_EXIT_OK) {
		opts.progress = cli_progress_update;
		opts.progress_ctx = progress;
		cli_progress_phase(progress, labels[i], true);
		if (job->keep[i]) {
			rc =
			    regdiff_shot_to_file(job->keep[i], sources, (size_t)job->nspecs, &opts);
			if (rc == 0)
				rc = regdiff_snapshot_open(out, job->keep[i]);
		} else {
			rc = regdiff_shot_take(out, sources, (size_t)job->nspecs, &opts);
		}
		cli_progress_end(progress);
		if (rc < 0)
			status = cli_fail(rc, job->keep[i] ? job->keep[i] : labels[i]);
	}
	for (int k = 0; k < job->nspecs; k++)
		regdiff_source_free(sources[k]);
	free(sources);
	return status;
}

typedef struct stdout_sink {
	int error; /* errno, or -1 when unknown; 0 while all is well */
} stdout_sink;

static int write_stdout(void *ctx, const void *buf, size_t len)
{
	stdout_sink *sink = ctx;

	errno = 0;
	if (fwrite(buf, 1, len, stdout) == len)
		return 0;
	sink->error = errno ? errno : -1;
	return -1;
}

static int report(const watch_job *job, regdiff_snapshot *before, regdiff_snapshot *after,
		  cli_progress *progress)
{
	regdiff_diff_options dopts = REGDIFF_DIFF_OPTIONS_INIT;
	regdiff_report_counts counts;
	stdout_sink sink = {0};
	regdiff_diff *diff = NULL;
	int rc;

	dopts.flags = job->diff_flags;
	if (job->output || !cli_isatty(stdout)) {
		dopts.progress = cli_progress_update;
		dopts.progress_ctx = progress;
	}
	cli_progress_phase(progress, "compare", false);
	rc = regdiff_diff_new(&diff, before, after, &dopts);
	if (rc < 0)
		return cli_fail(rc, NULL);
	if (job->output) {
		rc = regdiff_report_to_file(diff, &job->report, job->output, &counts);
	} else {
		cli_stdout_binary();
		rc = regdiff_report_write(diff, &job->report, write_stdout, &sink, &counts);
	}
	cli_progress_end(progress);
	regdiff_diff_free(diff);
	if (rc < 0 && sink.error)
		return cli_error("standard output: %s",
				 sink.error > 0 ? strerror(sink.error) : "write error");
	if (rc < 0)
		return cli_fail(rc, job->output ? job->output : "standard output");
	if (!job->output && cli_finish_stdout() != CLI_EXIT_OK)
		return CLI_EXIT_TROUBLE;
	return counts.total == 0 ? CLI_EXIT_OK : CLI_EXIT_DIFFERENT;
}

static void note_outcome(const watch_job *job, const outcome *o)
{
	if (o->running)
		fprintf(
		    stderr,
		    "regdiff: note: '%s' was still running after the wait; it is left running\n",
		    job->command[0]);
	else if (o->signaled)
		fprintf(stderr, "regdiff: note: '%s' was killed by signal %ld\n", job->command[0],
			o->status);
	else if (o->status != 0)
		fprintf(stderr, "regdiff: note: '%s' exited with status %ld\n", job->command[0],
			o->status);
}

static int watch(const cli_globals *g, const watch_job *job)
{
	regdiff_snapshot *before = NULL, *after = NULL;
	outcome o = {false, false, 0};
	cli_progress progress;
	int status;

	cli_progress_init(&progress, g);
	status = shoot(job, 0, &progress, &before);
	if (status == CLI_EXIT_OK)
		status = run_command(job->command, job->output == NULL, job->wait_ms, &o);
	if (status == CLI_EXIT_OK && !g->quiet)
		note_outcome(job, &o);
	if (status == CLI_EXIT_OK)
		status = shoot(job, 1, &progress, &after);
	if (status == CLI_EXIT_OK)
		status = report(job, before, after, &progress);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);
	return status;
}

static int parse_wait(const char *text, int64_t *ms)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(text, &end);
	/* A year is long enough for any sample; more is a typo. */
	if (end == text || *end || errno || !(s >= 0 && s <= 366.0 * 86400))
		return cli_usage_error("watch: --wait wants a number of seconds, not '%s'", text);
	*ms = (int64_t)(s * 1000 + 0.5);
	return CLI_EXIT_OK;
}

static int parse_format(const char *name, regdiff_report_format *out)
{
	if (strcmp(name, "txt") == 0)
		*out = REGDIFF_REPORT_TXT;
	else if (strcmp(name, "jsonl") == 0)
		*out = REGDIFF_REPORT_JSONL;
	else if (strcmp(name, "html") == 0)
		*out = REGDIFF_REPORT_HTML;
	else
		return cli_usage_error("watch: unknown format '%s' (txt, jsonl or html)", name);
	return CLI_EXIT_OK;
}

static int check_job(const watch_job *job)
{
	if (job->output && !job->output[0])
		return cli_usage_error("watch: empty output file name");
	for (int i = 0; i < 2; i++)
		if (job->keep[i] && (!job->keep[i][0] || strcmp(job->keep[i], "-") == 0))
			return cli_usage_error("watch: a snapshot cannot go to '%s'; name a file",
					       job->keep[i]);
	if (job->report.format != REGDIFF_REPORT_TXT && job->report.flags)
		return cli_usage_error("watch: --crlf and --utf16 are for the txt format only");
	/* Before the command runs, not after. */
	if (job->report.format == REGDIFF_REPORT_HTML &&
	    !(regdiff_features() & REGDIFF_FEATURE_HTML))
		return cli_error("HTML reports are not built into this copy of regdiff");
	return CLI_EXIT_OK;
}

static int set_option(watch_job *job, cli_globals *g, int opt, const char *value)
{
	switch (opt) {
	case OPT_WAIT:
		return parse_wait(value, &job->wait_ms);
	case OPT_BEFORE:
		job->keep[0] = value;
		break;
	case OPT_AFTER:
		job->keep[1] = value;
		break;
	case OPT_FORMAT:
		return parse_format(value, &job->report.format);
	case OPT_OUTPUT:
		job->output = strcmp(value, "-") == 0 ? NULL : value;
		break;
	case OPT_COMMENT:
		job->report.comment = value;
		break;
	case OPT_CRLF:
		job->report.flags |= REGDIFF_REPORT_CRLF;
		break;
	case OPT_UTF16:
		job->report.flags |= REGDIFF_REPORT_UTF16LE;
		break;
	case OPT_KEY_TIMES:
		job->diff_flags |= REGDIFF_DIFF_KEY_TIMES;
		break;
	case OPT_QUIET:
		g->quiet = true;
		break;
	default:
		return CLI_EXIT_TROUBLE;
	}
	return CLI_EXIT_OK;
}

int cli_cmd_watch(const cli_globals *global, int argc, char **argv)
{
	watch_job job = {NULL, 0, NULL, -1, {NULL, NULL}, REGDIFF_REPORT_OPTIONS_INIT, 0, NULL};
	cli_globals g = *global;
	cli_args a;
	int opt;

	/* Stop at each operand to see where "--" is: SOURCEs come before
	 * it, COMMAND after, and COMMAND's own options are not ours. */
	cli_args_init(&a, argc, argv, 1);
	a.stop_at_operand = true;
	for (;;) {
		opt = cli_args_next(&a, watch_options);
		if (opt == OPT_HELP) {
			fputs(cli_watch_usage, stdout);
			return cli_finish_stdout();
		}
		if (opt > 0 && set_option(&job, &g, opt, a.value) != CLI_EXIT_OK)
			return CLI_EXIT_TROUBLE;
		if (opt < 0)
			return CLI_EXIT_TROUBLE;
		if (opt > 0)
			continue;
		if (a.only_operands || a.next >= argc)
			break;
		a.argv[a.operands++] = a.argv[a.next++];
	}
	if (!a.only_operands || a.next >= argc)
		return cli_usage_error("watch: no COMMAND given (write it after '--')");
	job.command = argv + a.next; /* argv[argc] is NULL, as exec wants */
	job.specs = argv;
	job.nspecs = a.operands;
	if (job.nspecs == 0) {
		if (!(regdiff_features() & REGDIFF_FEATURE_LIVE))
			return cli_usage_error("watch: no SOURCE given");
		job.specs = default_sources;
		job.nspecs = 2;
	}
	if (check_job(&job) != CLI_EXIT_OK)
		return CLI_EXIT_TROUBLE;
	return watch(&g, &job);
}

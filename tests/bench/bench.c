/* Benchmark (not a test): each regdiff operation against a bare libhivex
 * walk of the same hive, all measured in the same run, so that the ratios
 * hold on a busy machine where absolute times do not.
 *
 *   regdiff_bench [-n REPEATS] [--big] [--no-reports] [--hives DIR] [--work DIR]
 *                 [--regdiff PATH]
 *
 * Every operation runs as its own process (the walk as regdiff_bench_walk,
 * regdiff operations as the CLI), REPEATS times, interleaved; the figures
 * are the median time and the largest peak RSS (wait4's ru_maxrss, taken
 * by a launcher process that stays small: see start_launcher). The
 * inputs are made in the work folder on first use: mutated copies of
 * SYSTEM_WIN_10_1709 (mutate.c) and, with --big, a hive of five copies of
 * it (../shared/tools/grow-hive.py) with the same mutations. After each
 * hive's figures comes the floor of a shot (floor.c). Exit status 2 when
 * an operation fails; speed goals are read from the figures, nothing is
 * asserted. */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "floor.h"
#include "median.h"
#include "mutate.h"

#define MAX_REPEATS 99
#define SEED "regipy/regipy_tests/data/SYSTEM_WIN_10_1709"

typedef struct figure {
	double t[MAX_REPEATS];
	double cpu[MAX_REPEATS]; /* user and system time */
	long rss_kib;		 /* the largest of the runs */
	int n;
} figure;

static const char *regdiff_path = REGDIFF_BENCH_CLI;
static const char *walk_path = REGDIFF_BENCH_WALK;
extern char **environ;

static void die(const char *what, const char *why)
{
	fprintf(stderr, "regdiff_bench: %s: %s\n", what, why);
	exit(2);
}

/* Operations are spawned by a launcher, a child forked at start while
 * this process is still small: a process's ru_maxrss counts the image it
 * was spawned from before its exec (a vfork shares it), and this one grows
 * to hold a hive while it makes the inputs. Requests go down a pipe as the
 * program path and its arguments, NUL-terminated, an empty one last;
 * results come back as a launch_result. */
typedef struct launch_result {
	int err; /* posix_spawn's, or 0 */
	int status;
	double wall, cpu;
	long maxrss_kib;
} launch_result;

static int to_launcher = -1, from_launcher = -1;

static void write_full(int fd, const void *p, size_t n)
{
	for (const char *c = p; n;) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die("launcher pipe", strerror(errno));
		c += k;
		n -= (size_t)k;
	}
}

static int read_full(int fd, void *p, size_t n)
{
	for (char *c = p; n;) {
		ssize_t k = read(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static void launch(launch_result *r, char *const *argv)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	memset(r, 0, sizeof *r);
	double t = bench_now();
	pid_t pid;
	r->err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r->err)
		return;
	struct rusage ru;
	while (wait4(pid, &r->status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4", strerror(errno));
	r->wall = bench_now() - t;
	r->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	r->maxrss_kib = ru.ru_maxrss;
}

/* The launcher's loop: one request, one result, until the pipe closes. */
static void launcher(int in, int out)
{
	static char req[65536];
	char *argv[64];
	for (;;) {
		uint32_t len;
		if (read_full(in, &len, sizeof len) || len > sizeof req || read_full(in, req, len))
			_exit(0);
		int n = 0;
		for (size_t off = 0; off < len && req[off] && n < 63; off += strlen(req + off) + 1)
			argv[n++] = req + off;
		argv[n] = NULL;
		launch_result r;
		launch(&r, argv);
		write_full(out, &r, sizeof r);
	}
}

static void start_launcher(void)
{
	int down[2], up[2];
	if (pipe(down) || pipe(up))
		die("pipe", strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		launcher(down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	to_launcher = down[1];
	from_launcher = up[0];
}

/* Runs one operation as a process, through the launcher: hive set, the
 * bare walk of it (regdiff_bench_walk); else argv
 * through the CLI, its output thrown away. Exit statuses 0, 1
 * (differences) and 3 (parts not compared) are success. */
static void run(figure *f, const char *hive, char *const *argv)
{
	char *walk_argv[] = {(char *)walk_path, (char *)hive, NULL};
	const char *path = hive ? walk_path : regdiff_path;
	char *const *args = hive ? walk_argv : argv;
	static char req[65536];
	size_t len = 0;
	for (int i = 0; args[i]; i++) {
		const char *a = i ? args[i] : path; /* argv[0] is the path to run */
		size_t n = strlen(a) + 1;
		if (len + n + 1 > sizeof req)
			die(a, "arguments too long");
		memcpy(req + len, a, n);
		len += n;
	}
	req[len++] = '\0';
	uint32_t n32 = (uint32_t)len;
	write_full(to_launcher, &n32, sizeof n32);
	write_full(to_launcher, req, len);
	launch_result r;
	if (read_full(from_launcher, &r, sizeof r))
		die("launcher", "ended");
	if (r.err)
		die(path, strerror(r.err));
	int code = WIFEXITED(r.status) ? WEXITSTATUS(r.status) : 128 + WTERMSIG(r.status);
	if (code != 0 && code != 1 && code != 3) {
		char what[4096] = "";
		for (int i = 0; argv && argv[i]; i++)
			snprintf(what + strlen(what), sizeof what - strlen(what), "%s ", argv[i]);
		die(hive ? hive : what, "failed");
	}
	f->cpu[f->n] = r.cpu;
	f->t[f->n++] = r.wall;
	if (r.maxrss_kib > f->rss_kib)
		f->rss_kib = r.maxrss_kib;
}

static double median(figure *f)
{
	return median_of(f->t, f->n);
}

static double median_cpu(figure *f)
{
	return median_of(f->cpu, f->n);
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static int exists(const char *path)
{
	return file_size(path) >= 0;
}

static void join(char *out, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size)
		die(dir, "path too long");
}

/* Lines of a file: a JSON-lines report's changes. */
static long count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int c;
	while (f && (c = getc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

/* walk: the walk's figure, for the ratios. */
static void print_row(const char *what, figure *f, figure *walk, const char *goal)
{
	double m = median(f), c = median_cpu(f);
	printf("  %-36s %7.3f s %6.2fx %7.3f s %6.2fx %8.1f MiB  %s\n", what, m, m / median(walk),
	       c, c / median_cpu(walk), (double)f->rss_kib / 1024, goal);
}

static void print_head(void)
{
	printf("  %-36s %9s %7s %9s %7s %12s  %s\n", "operation", "wall", "ratio", "cpu", "ratio",
	       "peak RSS", "goal");
}

static void shot_argv(char **argv, const char *out, const char *hive)
{
	static char mount[8192];
	snprintf(mount, sizeof mount, "HKLM\\BENCH=%s", hive);
	argv[0] = "regdiff";
	argv[1] = "-q";
	argv[2] = "shot";
	argv[3] = "-o";
	argv[4] = (char *)out;
	argv[5] = mount;
	argv[6] = NULL;
}

static void compare_argv(char **argv, const char *a, const char *b, const char *format,
			 const char *out)
{
	int i = 0;
	argv[i++] = "regdiff";
	argv[i++] = "-q";
	argv[i++] = "compare";
	argv[i++] = "-f";
	argv[i++] = (char *)format;
	if (out) {
		argv[i++] = "-o";
		argv[i++] = (char *)out;
	}
	argv[i++] = (char *)a;
	argv[i++] = (char *)b;
	argv[i] = NULL;
}

/* Runs the walk of hive and each of the n operations (argvs) in
 * turn, repeats times over: interleaved, so that a burst of load on the
 * machine falls on all of them alike. */
static void run_rounds(figure *walk, const char *hive, figure *figs, char **const *argvs, int n,
		       int repeats)
{
	for (int r = 0; r < repeats; r++) {
		run(walk, hive, NULL);
		for (int i = 0; i < n; i++)
			run(&figs[i], NULL, argvs[i]);
	}
}

/* A snapshot of hive at snap, taken once (untimed) when not there. */
static void shoot_once(const char *hive, const char *snap)
{
	char *argv[8];
	figure f = {0};
	shot_argv(argv, snap, hive);
	run(&f, NULL, argv);
}

/* Changes of a compare, counted from its JSON-lines report. */
static long changes(const char *a, const char *b, const char *work)
{
	char out[4096], *argv[12];
	figure f = {0};
	join(out, sizeof out, work, "changes.jsonl");
	compare_argv(argv, a, b, "jsonl", out);
	run(&f, NULL, argv);
	long n = count_lines(out);
	remove(out);
	return n;
}

/* The copies of a hive with 100 values added spread over it or in one
 * subtree (mutate.c), made once in the work folder under prefix, their
 * snapshots, and the changes each shows against s0, the hive's own. */
typedef struct mutations {
	char hive[2][4096], snap[2][4096];
	long changes[2];
} mutations;

static void make_mutations(mutations *m, const char *hive, const char *s0, const char *work,
			   const char *prefix)
{
	static const char *const name[2] = {"spread", "subtree"};
	static const enum bench_mutation kind[2] = {BENCH_SPREAD, BENCH_SUBTREE};
	for (int i = 0; i < 2; i++) {
		char file[64];
		snprintf(file, sizeof file, "%s%s.hive", prefix, name[i]);
		join(m->hive[i], sizeof m->hive[i], work, file);
		snprintf(file, sizeof file, "%s%s.rds", prefix, name[i]);
		join(m->snap[i], sizeof m->snap[i], work, file);
		if (!exists(m->hive[i]) && bench_mutate(hive, m->hive[i], kind[i], 100))
			die(m->hive[i], "could not make it");
		shoot_once(m->hive[i], m->snap[i]);
		m->changes[i] = changes(s0, m->snap[i], work);
	}
}

/* The rows of the compares of the hive's snapshot with each mutation's,
 * figs[0] and figs[1]. */
static void print_mutations(const mutations *m, figure *figs, figure *walk)
{
	static const char *const where[2] = {"spread", "in a subtree"};
	static const char *const goal[2] = {"<= 0.5x", "<= 0.1x"};
	for (int i = 0; i < 2; i++) {
		char what[64];
		snprintf(what, sizeof what, "compare snapshots, %ld %s", m->changes[i], where[i]);
		print_row(what, &figs[i], walk, goal[i]);
	}
}

static void bench_seed(const char *hives, const char *work, int repeats)
{
	char seed[4096], s0[4096], s1[4096];
	join(seed, sizeof seed, hives, SEED);
	join(s0, sizeof s0, work, "seed.rds");
	join(s1, sizeof s1, work, "seed-shot.rds");
	if (!exists(seed))
		die(seed, "not found (give --hives DIR)");
	shoot_once(seed, s0);
	mutations m;
	make_mutations(&m, seed, s0, work, "");
	long n_hives = changes(seed, m.hive[0], work);

	figure walk = {0}, f[4];
	memset(f, 0, sizeof f);
	char *a_shot[8], *a_hives[12], *a_spread[12], *a_sub[12];
	char **const argvs[4] = {a_shot, a_hives, a_spread, a_sub};
	shot_argv(a_shot, s1, seed);
	compare_argv(a_hives, seed, m.hive[0], "txt", NULL);
	compare_argv(a_spread, s0, m.snap[0], "txt", NULL);
	compare_argv(a_sub, s0, m.snap[1], "txt", NULL);
	run_rounds(&walk, seed, f, argvs, 4, repeats);
	long long hsize = file_size(seed), ssize = file_size(s1);
	printf("%s (%.1f MB)\n", seed, (double)hsize / 1e6);
	print_head();
	print_row("bare libhivex walk", &walk, &walk, "");
	print_row("shot", &f[0], &walk, "<= 1.5x");
	char what[64];
	snprintf(what, sizeof what, "compare hive/hive (%ld changes)", n_hives);
	print_row(what, &f[1], &walk, "<= 2.5x");
	print_mutations(&m, &f[2], &walk);
	printf("  snapshot: %.1f%% of the hive's size\n", 100.0 * (double)ssize / (double)hsize);
	bench_floor(seed, s1, work, repeats, median(&walk));
	remove(s1);
}

/* The 176,000-change report of SYSTEM against SYSTEM_B in each format:
 * time and memory per megabyte of report. */
static void bench_reports(const char *hives, const char *work, int repeats)
{
	static const char *const formats[] = {"txt", "jsonl", "html"};
	char a[4096], b[4096], sa[4096], sb[4096], out[4096];
	join(a, sizeof a, hives, "regipy/regipy_tests/data/SYSTEM");
	join(b, sizeof b, hives, "regipy/regipy_tests/data/SYSTEM_B");
	join(sa, sizeof sa, work, "system.rds");
	join(sb, sizeof sb, work, "system_b.rds");
	join(out, sizeof out, work, "report.out");
	if (!exists(a) || !exists(b))
		return;
	shoot_once(a, sa);
	shoot_once(b, sb);
	long n = changes(sa, sb, work);
	printf("reports of SYSTEM vs SYSTEM_B snapshots (%ld changes)\n", n);
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		figure f = {0};
		char *argv[12];
		compare_argv(argv, sa, sb, formats[i], out);
		for (int r = 0; r < repeats; r++)
			run(&f, NULL, argv);
		double m = median(&f), mb = (double)file_size(out) / 1e6;
		printf("  %-6s %8.1f MB %8.3f s wall %8.3f s cpu %6.1f MB/s %9.1f MiB peak RSS\n",
		       formats[i], mb, m, median_cpu(&f), mb / m, (double)f.rss_kib / 1024);
		remove(out);
	}
}

/* Five copies of the seed hive under one root: the memory figures, and
 * compares of 100 changes at a scale where starting a process and opening
 * two snapshots no longer weigh as they do beside a 40 ms walk. */
static void bench_big(const char *hives, const char *work, int repeats)
{
	char seed[4096], base[4096], big[4096], sa[4096], sb[4096], grow[4096];
	join(seed, sizeof seed, hives, SEED);
	join(base, sizeof base, hives, "hivex/images/minimal");
	join(grow, sizeof grow, hives, "../tools/grow-hive.py");
	join(big, sizeof big, work, "big.hive");
	join(sa, sizeof sa, work, "big.rds");
	join(sb, sizeof sb, work, "big-shot.rds");
	if (!exists(big)) {
		char cmd[6 * 4096 + 64];
		snprintf(cmd, sizeof cmd,
			 "/usr/bin/python3 '%s' '%s' '%s' '%s.tmp' 5 && mv '%s.tmp' '%s'", grow,
			 seed, base, big, big, big);
		fprintf(stderr, "regdiff_bench: making %s (a minute or two)\n", big);
		if (system(cmd) != 0)
			die(big, "grow-hive.py failed");
	}
	shoot_once(big, sa);
	mutations m;
	make_mutations(&m, big, sa, work, "big-");
	figure walk = {0}, f[5];
	memset(f, 0, sizeof f);
	char *a_shot[8], *a_snaps[12], *a_hives[12], *a_spread[12], *a_sub[12];
	char **const argvs[5] = {a_shot, a_snaps, a_hives, a_spread, a_sub};
	shot_argv(a_shot, sb, big);
	compare_argv(a_snaps, sa, sb, "txt", NULL);
	compare_argv(a_hives, big, big, "txt", NULL);
	compare_argv(a_spread, sa, m.snap[0], "txt", NULL);
	compare_argv(a_sub, sa, m.snap[1], "txt", NULL);
	run_rounds(&walk, big, f, argvs, 5, repeats);
	double hive_mib = (double)file_size(big) / 1048576;
	printf("%s (%.1f MB, five copies of the seed)\n", big, hive_mib * 1.048576);
	print_head();
	print_row("bare libhivex walk", &walk, &walk, "");
	print_row("shot", &f[0], &walk, "RSS <= hive + 32 MiB");
	print_row("compare snapshots (0 changes)", &f[1], &walk, "RSS < 16 MiB");
	print_row("compare hive with itself", &f[2], &walk, "RSS <= 2 hives + 64 MiB");
	print_mutations(&m, &f[3], &walk);
	printf("  beyond the hive: shot %+.1f MiB, compare of hives %+.1f MiB over two\n",
	       (double)f[0].rss_kib / 1024 - hive_mib, (double)f[2].rss_kib / 1024 - 2 * hive_mib);
	bench_floor(big, sb, work, repeats, median(&walk));
	remove(sb);
}

int main(int argc, char **argv)
{
	const char *hives = REGDIFF_BENCH_HIVES, *work = REGDIFF_BENCH_WORK;
	int repeats = 5, big = 0, reports = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			repeats = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--big"))
			big = 1;
		else if (!strcmp(argv[i], "--no-reports"))
			reports = 0;
		else if (!strcmp(argv[i], "--hives") && i + 1 < argc)
			hives = argv[++i];
		else if (!strcmp(argv[i], "--work") && i + 1 < argc)
			work = argv[++i];
		else if (!strcmp(argv[i], "--regdiff") && i + 1 < argc)
			regdiff_path = argv[++i];
		else {
			fprintf(stderr, "usage: regdiff_bench [-n REPEATS] [--big] [--no-reports] "
					"[--hives DIR] [--work DIR] [--regdiff PATH]\n");
			return 2;
		}
	}
	if (repeats < 1 || repeats > MAX_REPEATS)
		die("-n", "REPEATS must be 1 to 99");
	if (mkdir(work, 0777) != 0 && errno != EEXIST)
		die(work, strerror(errno));
	start_launcher();
	printf("median of %d runs each, interleaved; ratios are to the bare walk of the same "
	       "run;\ncpu is user + system time (both threads), wall the elapsed time\n",
	       repeats);
	bench_seed(hives, work, repeats);
	if (reports)
		bench_reports(hives, work, repeats);
	if (big)
		bench_big(hives, work, repeats);
	return 0;
}

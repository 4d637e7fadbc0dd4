/* The regdiff command-line tool: declarations shared by its files.
 *
 * The tool is a thin client of the public API (regdiff.h). Exit statuses
 * follow diff(1): 0 success (compare: no differences), 1 differences,
 * 2 trouble (bad usage or any failure); compare and watch add 3: no
 * differences in what could be read, but parts were not compared.
 */
#ifndef REGDIFF_CLI_H
#define REGDIFF_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "regdiff.h"

#if defined(__MINGW32__)
/* mingw takes "printf" for msvcrt's, which lacks %zu; the build uses
 * the C99 one (__USE_MINGW_ANSI_STDIO). */
#define CLI_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_DIFFERENT = 1,
	CLI_EXIT_TROUBLE = 2,
	/* compare, watch: no difference in what could be read, but parts of
	 * either side could not be read and were not compared */
	CLI_EXIT_INCOMPLETE = 3
};

/* Settings shared by every command. */
typedef struct cli_globals {
	bool quiet;	     /* -q: no progress display */
	int logs;	     /* --logs / --no-logs: enum regdiff_logs_mode */
	unsigned live_flags; /* --components: enum regdiff_live_flags */
} cli_globals;

/* A command's entry point: argv[0] is the command's name. Returns the exit
 * status. */
typedef int (*cli_command_fn)(const cli_globals *g, int argc, char **argv);

int cli_cmd_shot(const cli_globals *g, int argc, char **argv);
int cli_cmd_compare(const cli_globals *g, int argc, char **argv);
int cli_cmd_info(const cli_globals *g, int argc, char **argv);
int cli_cmd_watch(const cli_globals *g, int argc, char **argv);
int cli_cmd_filters(const cli_globals *g, int argc, char **argv);

/* Each command's help, printed by "COMMAND --help" and "help COMMAND"
 * (help.c). */
typedef struct cli_help cli_help;
extern const cli_help cli_shot_help;
extern const cli_help cli_compare_help;
extern const cli_help cli_info_help;
extern const cli_help cli_watch_help;
extern const cli_help cli_filters_help;

/* regdiff's own help and global options (commands.c). */
enum { CLI_GLOBAL_QUIET = 1, CLI_GLOBAL_HELP, CLI_GLOBAL_VERSION };
extern const cli_help cli_main_help;

/* The commands; the table ends with a NULL name (commands.c). */
typedef struct cli_command {
	const char *name;
	cli_command_fn run;
	const cli_help *help;
} cli_command;
extern const cli_command cli_commands[];

/* regdiff info on a disk image; *handled 0 when path is none. */
int cli_info_image(const char *path, int *handled);
/* Prints the disk images a snapshot's sources came from; 0 or an error code. */
int cli_info_snapshot_images(const regdiff_snapshot *snap);

/* --- info_install.c: regdiff info on Windows installations ---------------- */

/* Prints what a directory source finds under path; an exit status. */
int cli_info_dir(const cli_globals *g, const char *path);
/* Prints a snapshot's users, control set and notes; 0 or an error code. */
int cli_info_snapshot_install(const regdiff_snapshot *snap);

/* --- platform.c: what differs between POSIX and Windows ---------------- */

/* Whether path (UTF-8) names an existing regular file. */
bool cli_is_file(const char *path);

/* Whether path (UTF-8) names an existing folder. */
bool cli_is_dir(const char *path);

/* Whether a and b name the same existing file (device and inode, or
 * Windows' volume and file index), links followed. */
bool cli_same_file(const char *a, const char *b);

/* Makes SIGINT and SIGTERM (and SIGHUP) remove the temporary file of the
 * output being written before the process dies of them. */
void cli_clean_up_on_signals(void);
/* Tunes the heap before anything is allocated (heap.c). */
void cli_heap_init(void);

/* Whether stream is a terminal. */
bool cli_isatty(FILE *stream);

/* Sets stdout to binary mode where the C library would otherwise
 * translate line ends (Windows), so reports keep their exact bytes. */
void cli_stdout_binary(void);

/* console.c: writes len bytes of UTF-8 to stream as UTF-16 with
 * WriteConsoleW when stream is a Windows console (a sequence cut at the
 * end is kept for the next call). Returns 1 when written so, 0 when stream
 * is no console (write it as usual), -1 on failure. */
int cli_console_write(FILE *stream, const void *buf, size_t len);

/* Whether a TXT report written to a file gets a UTF-8 byte order mark
 * when neither --bom nor --no-bom is given: on Windows, where Notepad
 * and PowerShell 5.1 read a file without one in the ANSI code page. */
bool cli_bom_default(void);

/* Milliseconds from a monotonic clock. */
int64_t cli_now_ms(void);

/* The program's arguments in UTF-8: argv itself on POSIX; on Windows a
 * conversion of the wide command line (never freed: it lives as long as
 * the program). */
char **cli_utf8_argv(int *argc, char **argv);

/* --- util.c: errors and output --------------------------------------- */

/* Reports a library failure as one line "regdiff: <message>" on stderr,
 * the message being regdiff_error_message(), or when that is empty
 * "<what>: <regdiff_strerror(code)>" (what may be NULL). Returns
 * CLI_EXIT_TROUBLE. */
int cli_fail(int code, const char *what);

/* Reports a failure of the tool itself as "regdiff: <message>". Returns
 * CLI_EXIT_TROUBLE. */
int cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Reports bad usage: "regdiff: <message>" and a hint to read the help.
 * Returns CLI_EXIT_TROUBLE. */
int cli_usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Writes text to f made safe by regdiff_text_safe() (controls
 * as pictures; bidirectional, invisible and invalid characters as
 * U+FFFD), as TXT reports are, so that a hostile snapshot cannot drive
 * the reader's terminal or hide in a message. */
void cli_put_safe(FILE *f, const char *text);

/* Flushes stdout; reports a write failure (a full disk, a closed pipe) and
 * returns CLI_EXIT_TROUBLE, else CLI_EXIT_OK. */
int cli_finish_stdout(void);

/* --- overwrite.c: outputs that are also inputs ------------------------ */

/* Reports and returns CLI_EXIT_TROUBLE when output (may be NULL) is the
 * same file as input (may be NULL); else CLI_EXIT_OK. */
int cli_refuse_overwrite(const char *output, const char *input);

/* The same for the file a source reads (nothing for live sources). */
int cli_refuse_overwrite_source(const char *output, const regdiff_source *src);

/* The same for two outputs of one command: the same file or the same
 * name. */
int cli_refuse_same_outputs(const char *a, const char *b);

/* --- args.c: option parsing -------------------------------------------- */

enum cli_arg_kind { CLI_NO_ARG = 0, CLI_REQUIRED_ARG = 1 };

typedef struct cli_option {
	const char *long_name; /* without the "--"; NULL ends the table */
	char short_name;       /* 0 if none */
	enum cli_arg_kind arg;
	int id;		      /* returned by cli_args_next; must be > 0 */
	const char *arg_name; /* the argument in the help ("FILE"; "=MODE" is
			       * written without a space), or NULL */
	const char *help;     /* its description, lines split by '\n' */
} cli_option;

/* Walks argv: options ("-x", "-xVALUE", "-x VALUE", clusters "-qx",
 * "--name", "--name=VALUE", "--name VALUE") may come before, between or
 * after operands, "--" ends the options, and "-" alone is an operand. The
 * operands are gathered, in order, at the front of argv. */
typedef struct cli_args {
	int argc;
	char **argv;
	int next;	      /* index of the next argument to read */
	int sub;	      /* position inside a cluster of short options */
	bool stop_at_operand; /* leave the first operand and all after it */
	bool only_operands;   /* "--" was seen */
	int operands;	      /* operands gathered at argv[0 .. operands-1] */
	const char *value;    /* the current option's argument */
	/* A second table of options, looked in after the one passed to
	 * cli_args_next (the options commands share), or NULL. */
	const cli_option *more;
} cli_args;

/* Starts walking argv[first .. argc-1]. */
void cli_args_init(cli_args *a, int argc, char **argv, int first);

/* The next option's id, 0 when the arguments are used up (the operands are
 * then argv[0 .. operands-1], or with stop_at_operand argv[next ..
 * argc-1]), or -1 after reporting bad usage. */
int cli_args_next(cli_args *a, const cli_option *options);

/* --- help.c: help texts from the option tables ----------------------- */

/* A command's help: intro ("Usage: ...", what it does, up to the options),
 * the options of both its tables (those cli_args_next and cli_args.more
 * take), and outro (the exit statuses). */
struct cli_help {
	const char *intro;
	const cli_option *options;
	const cli_option *more; /* or NULL */
	const char *outro;
};

/* Writes h to f: intro, "Options:" and a line or more for each option
 * (--quiet and --help last), then outro. */
void cli_help_write(FILE *f, const cli_help *h);

/* Writes h to stdout and returns cli_finish_stdout(). */
int cli_help_print(const cli_help *h);

/* --- logs_opt.c: --logs=MODE and --no-logs (shot, compare, watch) ------ */

enum { CLI_OPT_LOGS = 200, CLI_OPT_NO_LOGS, CLI_OPT_COMPONENTS, CLI_OPT_BACKUP };

/* Their rows in a command's option table. */
/* clang-format off */
#define CLI_LOGS_OPTION_ROWS							\
	{"logs", 0, CLI_REQUIRED_ARG, CLI_OPT_LOGS, "=MODE",			\
	 "dirty hives: auto (the default) replays their\n"			\
	 "transaction logs where valid and records what was\n"		\
	 "not; require refuses a dirty hive whose logs cannot\n"		\
	 "be applied; off reads the primary file as it is"},			\
	{"no-logs", 0, CLI_NO_ARG, CLI_OPT_NO_LOGS, NULL,			\
	 "the same as --logs=off"},						\
	{"components", 0, CLI_NO_ARG, CLI_OPT_COMPONENTS, NULL,		\
	 "a live shot of HKLM: also read HKLM\\COMPONENTS,\n"		\
	 "which servicing loads and unloads at will"}
/* --backup (shot, watch): its row and help lines. */
#define CLI_BACKUP_OPTION_ROW							\
	{"backup", 0, CLI_NO_ARG, CLI_OPT_BACKUP, NULL,				\
	 "a live shot: use the backup privilege to read what\n"		\
	 "every ACL denies (HKLM\\SAM\\SAM, HKLM\\SECURITY);\n"		\
	 "the snapshot holds password hashes and secrets and\n"		\
	 "is written readable by its owner only (0600)"}
/* clang-format on */

/* Warns on stderr, unless g->quiet, that snapshots taken with --backup
 * hold secrets. */
void cli_warn_backup(const cli_globals *g);

/* Takes opt into g->logs: 1 when it is one of them, 0 when not, -1 after
 * reporting bad usage. */
int cli_logs_option(cli_globals *g, int opt, const char *value);

/* regdiff_source_open with g's logs mode. */
int cli_source_open(regdiff_source **out, const cli_globals *g, const char *spec);

/* --- progress.c ------------------------------------------------------ */

/* A progress line on stderr, "\r"-updated at most ten times a second, shown
 * only when stderr is a terminal and -q was not given. */
typedef struct cli_progress {
	bool enabled;
	const char *label; /* e.g. "before" */
	bool with_values;  /* show the value count too */
	int64_t last_ms;   /* when the line was last drawn */
	int width;	   /* characters drawn on the line */
} cli_progress;

void cli_progress_init(cli_progress *p, const cli_globals *g);

/* Starts a phase named label; the next update draws at once. */
void cli_progress_phase(cli_progress *p, const char *label, bool with_values);

/* A regdiff_progress_fn: ctx is a cli_progress. Never cancels. */
int cli_progress_update(void *ctx, uint64_t keys, uint64_t values);

/* Clears the line, if anything was drawn. */
void cli_progress_end(cli_progress *p);

/* --- report_opts.c: the report options of compare and watch ----------- */

/* Their ids in a command's option table; a command's own ids stay below. */
enum cli_report_opt {
	CLI_OPT_FORMAT = 100,
	CLI_OPT_OUTPUT,
	CLI_OPT_COMMENT,
	CLI_OPT_CRLF,
	CLI_OPT_UTF16,
	CLI_OPT_REGSHOT,
	CLI_OPT_KEY_TIMES,
	CLI_OPT_LOCATIONS,
	CLI_OPT_FULL_DATA,
	CLI_OPT_ALL_NOT_COMPARED,
	CLI_OPT_EXCLUDE,
	CLI_OPT_INCLUDE,
	CLI_OPT_FILTERS,
	CLI_OPT_NOISE,
	CLI_OPT_SHOW_FILTERED,
	CLI_OPT_BOM,
	CLI_OPT_NO_BOM
};

/* Their rows, for cli_args.more. */
extern const cli_option cli_report_options[];

/* What the report options ask for. */
typedef struct cli_report_opts {
	const char *command; /* "compare", "watch": the start of messages */
	regdiff_report_options report;
	unsigned diff_flags;	      /* regdiff_diff_flags */
	const char *output;	      /* -o FILE; NULL: standard output */
	const char *locations_file;   /* --locations FILE, or NULL */
	int bom;		      /* --bom 1, --no-bom 0, -1 neither */
	regdiff_locations *locations; /* its locations, once checked; owned */
	regdiff_filters *rules;	      /* --exclude, --include, --filters; owned */
	const char *filter_files[16]; /* the --filters FILEs */
	size_t nfilter_files;
	int noise;     /* --noise: enum cli_noise */
	bool live_run; /* watch: the noise profile by default */
} cli_report_opts;

enum cli_noise { CLI_NOISE_AUTO = 0, CLI_NOISE_ON, CLI_NOISE_OFF };

/* --- shot_exclude.c: what shot and watch do not read ------------------ */

/* Adds an exclude RULE given by option origin (file false) or a rules
 * FILE's rules to *set (made on first use; the caller frees it).
 * CLI_EXIT_OK, or CLI_EXIT_TROUBLE after reporting. */
int cli_shot_exclude_option(regdiff_filters **set, bool file, const char *value,
			    const char *origin);

/* Warns on stderr for each exclusion of snap (named name) whose skipped
 * subtrees hold persistence locations. */
void cli_warn_not_shot(const regdiff_snapshot *snap, const char *name);

/* --- filter_opts.c: the filter options of compare and watch ---------- */

/* Like cli_report_option() for the filter options; a bad rule or rules
 * file is reported at once. */
int cli_filter_option(cli_report_opts *r, int opt, const char *value);

/* The filters of a report on before and after: the noise profile when
 * --noise default, or by default for a live run (watch) or two snapshots
 * of live registries only; then r's rules. *out is NULL when there are
 * none and --noise was not given. The caller owns *out. Returns
 * CLI_EXIT_OK or CLI_EXIT_TROUBLE after reporting. */
int cli_filters_make(const cli_report_opts *r, const regdiff_snapshot *before,
		     const regdiff_snapshot *after, regdiff_filters **out);

/* The defaults: a txt report on standard output, the built-in locations. */
void cli_report_init(cli_report_opts *r, const char *command);

/* Takes option opt with its value (may be NULL) into r. Returns 1 when opt
 * is a report option, 0 when it is not (it is the command's own), -1 after
 * reporting bad usage. */
int cli_report_option(cli_report_opts *r, int opt, const char *value);

/* Checks that the options go together and loads the --locations file, so
 * that a mistake shows before anything slow or irreversible is done
 * (watch: before COMMAND runs). Returns CLI_EXIT_OK, or CLI_EXIT_TROUBLE
 * after reporting. cli_report_free() frees what it loaded, either way. */
int cli_report_check(cli_report_opts *r);

/* Frees the locations cli_report_check() loaded. */
void cli_report_free(cli_report_opts *r);

/* Compares before with after (both borrowed) and writes the report to the
 * -o FILE (replaced only once complete) or standard output, drawing
 * progress on progress. r must have passed cli_report_check(). Returns
 * CLI_EXIT_OK (no differences), CLI_EXIT_DIFFERENT, CLI_EXIT_INCOMPLETE
 * (none in what could be read, but not everything was), or
 * CLI_EXIT_TROUBLE after reporting. */
int cli_report_run(const cli_report_opts *r, const regdiff_snapshot *before,
		   const regdiff_snapshot *after, cli_progress *progress);

/* --- run_command.c: watch's COMMAND -------------------------------------- */

/* How a command ended. */
typedef struct cli_outcome {
	bool running;  /* still running when the wait was over */
	bool signaled; /* POSIX: killed by a signal */
	long status;   /* its exit status, or the signal's number */
} cli_outcome;

/* Runs command (command[0] looked up on PATH; the array ends with NULL)
 * with our standard streams, its standard output sent to standard error
 * when out_to_stderr, and waits for it to end, or at most wait_ms
 * milliseconds (-1: no limit), after which it is left running. Returns
 * CLI_EXIT_OK with *o filled in, or CLI_EXIT_TROUBLE after reporting that
 * the command could not be started. */
int cli_run_command(char **command, bool out_to_stderr, int64_t wait_ms, cli_outcome *o);

#endif

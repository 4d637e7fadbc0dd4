/* The global options and the commands: tables for main() and for the test
 * that checks each help against its options (tests/test_cli_help.c). */
#include "cli.h"

static const cli_option global_options[] = {
    {"quiet", 'q', CLI_NO_ARG, CLI_GLOBAL_QUIET, NULL, "show no progress on the terminal"},
    {"help", 'h', CLI_NO_ARG, CLI_GLOBAL_HELP, NULL, "show this help and exit"},
    {"version", 'V', CLI_NO_ARG, CLI_GLOBAL_VERSION, NULL,
     "show the version and the features built in, and exit"},
    {NULL, 0, CLI_NO_ARG, 0, NULL, NULL},
};

const cli_help cli_main_help = {
    "Usage: regdiff [-q] COMMAND [OPTION]... [ARGUMENT]...\n"
    "Take snapshots of the Windows registry and show what changed between two.\n"
    "\n"
    "Commands:\n"
    "  shot     take a snapshot of hive files or of the live registry\n"
    "  compare  compare two snapshots or sources and report the changes\n"
    "  info     check a snapshot file and show what it holds\n"
    "  watch    shoot, run a command, shoot again and report the changes\n"
    "  filters  list the noise profile, check a rules file\n"
    "  help     show this help, or a command's with 'help COMMAND'\n",
    global_options,
    NULL,
    "Run 'regdiff COMMAND --help' for a command's options.\n"
    "Exit status: 0 success (compare: no differences), 1 differences found,\n"
    "2 trouble, 3 (compare) no differences in what could be read, but parts\n"
    "were not compared.\n",
};

const cli_command cli_commands[] = {
    {"shot", cli_cmd_shot, &cli_shot_help},
    {"compare", cli_cmd_compare, &cli_compare_help},
    {"info", cli_cmd_info, &cli_info_help},
    {"watch", cli_cmd_watch, &cli_watch_help},
    {"filters", cli_cmd_filters, &cli_filters_help},
    {NULL, NULL, NULL},
};

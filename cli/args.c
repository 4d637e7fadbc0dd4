/* Option parsing. Our own rather than getopt_long so that it behaves the
 * same on every platform and reports errors in the tool's one-line form. */
#include <string.h>

#include "cli.h"

void cli_args_init(cli_args *a, int argc, char **argv, int first)
{
	memset(a, 0, sizeof(*a));
	a->argc = argc;
	a->argv = argv;
	a->next = first;
}

static const cli_option *find_long(const cli_option *options, const char *name, size_t len)
{
	for (const cli_option *o = options; o->long_name; o++)
		if (strlen(o->long_name) == len && memcmp(o->long_name, name, len) == 0)
			return o;
	return NULL;
}

static const cli_option *find_short(const cli_option *options, char c)
{
	for (const cli_option *o = options; o->long_name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static int next_long(cli_args *a, const cli_option *options, const char *arg)
{
	const char *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const cli_option *o = find_long(options, name, len);

	if (!o && a->more)
		o = find_long(a->more, name, len);
	if (!o)
		return cli_usage_error("unknown option '--%.*s'", (int)len, name), -1;
	a->next++;
	if (o->arg == CLI_NO_ARG) {
		if (eq)
			return cli_usage_error("option '--%s' takes no argument", o->long_name), -1;
		return o->id;
	}
	if (eq) {
		a->value = eq + 1;
		return o->id;
	}
	if (a->next >= a->argc)
		return cli_usage_error("option '--%s' needs an argument", o->long_name), -1;
	a->value = a->argv[a->next++];
	return o->id;
}

static int next_short(cli_args *a, const cli_option *options, const char *arg)
{
	char c = arg[a->sub];
	const cli_option *o = find_short(options, c);

	if (!o && a->more)
		o = find_short(a->more, c);
	if (!o)
		return cli_usage_error("unknown option '-%c'", c), -1;
	a->sub++;
	if (o->arg == CLI_NO_ARG) {
		if (arg[a->sub] == '\0') {
			a->sub = 0;
			a->next++;
		}
		return o->id;
	}
	/* The rest of the cluster, or else the next argument, is the value. */
	a->next++;
	if (arg[a->sub] != '\0') {
		a->value = arg + a->sub;
	} else if (a->next < a->argc) {
		a->value = a->argv[a->next++];
	} else {
		a->sub = 0;
		return cli_usage_error("option '-%c' needs an argument", c), -1;
	}
	a->sub = 0;
	return o->id;
}

int cli_args_next(cli_args *a, const cli_option *options)
{
	a->value = NULL;
	while (a->next < a->argc) {
		const char *arg = a->argv[a->next];

		if (a->sub > 0)
			return next_short(a, options, arg);
		if (a->only_operands || arg[0] != '-' || arg[1] == '\0') {
			if (a->stop_at_operand)
				return 0;
			/* Operands move to the front; the write position never
			 * passes the read position, so nothing unread is lost. */
			a->argv[a->operands++] = a->argv[a->next++];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			a->next++;
			a->only_operands = true;
			if (a->stop_at_operand)
				return 0;
			continue;
		}
		if (arg[1] == '-')
			return next_long(a, options, arg);
		a->sub = 1;
		return next_short(a, options, arg);
	}
	return 0;
}

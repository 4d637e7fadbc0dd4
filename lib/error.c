/* Errors, version and features. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MESSAGE_MAX 1024

static _Thread_local char last_message[MESSAGE_MAX];
static _Thread_local regdiff_error_info last = {REGDIFF_OK, ""};

int regdiff__error(int code, const char *fmt, ...)
{
	va_list ap;
	last.code = code;
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	return code;
}

int regdiff__error_prefix(int code, const char *prefix)
{
	char tmp[MESSAGE_MAX];
	memcpy(tmp, last_message, sizeof tmp);
	size_t n = strlen(prefix);
	if (n > MESSAGE_MAX - 3)
		n = MESSAGE_MAX - 3;
	memcpy(last_message, prefix, n);
	memcpy(last_message + n, ": ", 2);
	size_t rest = MESSAGE_MAX - n - 3;
	size_t m = strnlen(tmp, rest);
	memcpy(last_message + n + 2, tmp, m);
	last_message[n + 2 + m] = '\0';
	last.code = code;
	return code;
}

const regdiff_error_info *regdiff_error_last(void)
{
	/* Set here rather than in the initialiser: the address of a
	 * thread-local array is not a constant. */
	last.message = last_message;
	return &last;
}

const char *regdiff_error_message(void)
{
	return last_message;
}

void regdiff_error_clear(void)
{
	last.code = REGDIFF_OK;
	last_message[0] = '\0';
}

int regdiff__check_version(unsigned version, unsigned newest, const char *type)
{
	if (version >= 1 && version <= newest)
		return 0;
	return regdiff__error(REGDIFF_EINVAL,
			      "%s: unknown version %u (this library knows 1 to %u; initialise it "
			      "with its _INIT macro)",
			      type, version, newest);
}

const char *regdiff_strerror(int code)
{
	switch (code) {
	case REGDIFF_OK:
		return "success";
	case REGDIFF_ENOMEM:
		return "out of memory";
	case REGDIFF_EIO:
		return "input/output error";
	case REGDIFF_EINVAL:
		return "invalid argument";
	case REGDIFF_EFORMAT:
		return "corrupt or truncated snapshot";
	case REGDIFF_EVERSION:
		return "unsupported snapshot format version";
	case REGDIFF_EFOREIGN:
		return "not a regdiff snapshot";
	case REGDIFF_EHIVE:
		return "cannot read hive";
	case REGDIFF_ENOTFOUND:
		return "not found";
	case REGDIFF_EUNSUPPORTED:
		return "not supported in this build";
	case REGDIFF_ELIMIT:
		return "limit exceeded";
	case REGDIFF_ECANCELED:
		return "canceled";
	case REGDIFF_EACCESS:
		return "permission denied";
	case REGDIFF_ITEROVER:
		return "end of iteration";
	default:
		return "unknown error";
	}
}

const char *regdiff_version(void)
{
	return REGDIFF_VERSION_STRING;
}

unsigned regdiff_version_number(void)
{
	return REGDIFF_VERSION_NUMBER;
}

unsigned regdiff_features(void)
{
	unsigned f = 0;
#ifdef REGDIFF_HAVE_HIVEX
	f |= REGDIFF_FEATURE_HIVE;
#endif
#ifdef _WIN32
	f |= REGDIFF_FEATURE_LIVE;
#endif
#ifdef REGDIFF_HAVE_HTML
	f |= REGDIFF_FEATURE_HTML;
#endif
#ifdef REGDIFF_HAVE_TSK
	f |= REGDIFF_FEATURE_IMAGES;
#endif
	return f;
}

void regdiff_free(void *p)
{
	free(p);
}

void *regdiff__malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		regdiff__error(REGDIFF_ENOMEM, "out of memory (%zu bytes)", n);
	return p;
}

void *regdiff__calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		regdiff__error(REGDIFF_ENOMEM, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *regdiff__realloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);
	if (!p)
		regdiff__error(REGDIFF_ENOMEM, "out of memory (%zu bytes)", n);
	return p;
}

char *regdiff__strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = regdiff__malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* Registry paths as users write them: canonical form with short root
 * names. */
#include <stdlib.h>
#include <string.h>

#include "source_internal.h"

static const struct {
	const char *longname;
	const char *shortname;
} roots[] = {
    {"HKEY_LOCAL_MACHINE", "HKLM"}, {"HKEY_USERS", "HKU"},	     {"HKEY_CURRENT_USER", "HKCU"},
    {"HKEY_CLASSES_ROOT", "HKCR"},  {"HKEY_CURRENT_CONFIG", "HKCC"},
};

static int ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i], y = b[i];
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 32);
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 32);
		if (x != y || !x)
			return 0;
	}
	return 1;
}

/* The short root name for a first component, or NULL if it is not one. */
static const char *root_short(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		if ((strlen(roots[i].longname) == n && ascii_caseeq(s, roots[i].longname, n)) ||
		    (strlen(roots[i].shortname) == n && ascii_caseeq(s, roots[i].shortname, n)))
			return roots[i].shortname;
	}
	return NULL;
}

void regdiff__path_parts_free(char **parts, size_t n)
{
	for (size_t i = 0; parts && i < n; i++)
		free(parts[i]);
	free(parts);
}

int regdiff__path_split(const char *path, char ***out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	if (!path || !*path)
		return regdiff__error(REGDIFF_EINVAL, "empty registry path");
	size_t n = 1;
	for (const char *p = path; *p; p++)
		n += *p == '\\';
	char **parts = regdiff__calloc(n, sizeof *parts);
	if (!parts)
		return REGDIFF_ENOMEM;
	const char *start = path;
	for (size_t i = 0; i < n; i++) {
		const char *end = strchr(start, '\\');
		size_t len = end ? (size_t)(end - start) : strlen(start);
		if (len == 0) {
			regdiff__path_parts_free(parts, n);
			return regdiff__error(REGDIFF_EINVAL,
					      "%s: empty component in registry path", path);
		}
		const char *shortname = i == 0 ? root_short(start, len) : NULL;
		if (shortname) {
			parts[i] = regdiff__strdup(shortname);
		} else if ((parts[i] = regdiff__malloc(len + 1))) {
			memcpy(parts[i], start, len);
			parts[i][len] = '\0';
		}
		if (!parts[i]) {
			regdiff__path_parts_free(parts, n);
			return REGDIFF_ENOMEM;
		}
		start = end ? end + 1 : start + len;
	}
	*out = parts;
	*nout = n;
	return 0;
}

int regdiff_path_canonical(char **out, const char *path)
{
	regdiff_error_clear();
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_path_canonical: NULL argument");
	*out = NULL;
	char **parts;
	size_t n;
	int rc = regdiff__path_split(path, &parts, &n);
	if (rc)
		return rc;
	regdiff__buf b = {0};
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = regdiff__buf_putc(&b, '\\');
		if (!rc)
			rc = regdiff__buf_append(&b, parts[i], strlen(parts[i]));
	}
	if (!rc)
		rc = regdiff__buf_putc(&b, 0);
	regdiff__path_parts_free(parts, n);
	if (rc) {
		regdiff__buf_free(&b);
		return rc;
	}
	*out = (char *)b.data;
	return 0;
}

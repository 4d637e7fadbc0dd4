/* Sources: opening them from a command-line style spec, and what every
 * source shares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "install.h"

int regdiff__source_new(regdiff_source **out, const regdiff__source_ops *ops, void *impl,
			const char *mount, const char *location)
{
	*out = NULL;
	regdiff_source *s = regdiff__calloc(1, sizeof *s);
	char *canon = NULL;
	int rc = s ? regdiff_path_canonical(&canon, mount) : REGDIFF_ENOMEM;
	uint16_t *units = NULL;
	size_t nunits;
	if (!rc) /* keys are named in UTF-16: the mount must convert */
		rc = regdiff_name_from_utf8(&units, &nunits, canon, strlen(canon));
	free(units);
	if (rc && rc != REGDIFF_ENOMEM) {
		/* A mount derived from a file name that is no registry name
		 * (not UTF-8, say): the message must name the file. */
		char why[256];
		snprintf(why, sizeof why, "%s", regdiff_error_message());
		rc = regdiff__error(
		    rc, "%s: cannot be mounted at '%s' (%s); give a mount as MOUNT=FILE", location,
		    mount, why);
	}
	if (!rc && !(s->location = regdiff__strdup(location)))
		rc = REGDIFF_ENOMEM;
	if (rc) {
		ops->free(impl);
		if (s)
			free(s->location);
		free(s);
		free(canon);
		return rc;
	}
	s->ops = ops;
	s->impl = impl;
	s->mount = canon;
	*out = s;
	return 0;
}

int regdiff__is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* The log mode of opts (NULL: the default), checked. */
static int logs_mode(const regdiff_source_options *opts, int *logs)
{
	*logs = opts ? opts->logs : REGDIFF_LOGS_AUTO;
	if (opts && (opts->version < 1 || opts->version > REGDIFF_SOURCE_OPTIONS_VERSION ||
		     *logs < REGDIFF_LOGS_AUTO || *logs > REGDIFF_LOGS_OFF))
		return regdiff__error(REGDIFF_EINVAL,
				      "regdiff_source_options: bad version or mode");
	return 0;
}

static int open_install(regdiff_source **out, const char *dir, const regdiff_source_options *opts)
{
	int logs;
	int rc = logs_mode(opts, &logs);
	if (rc)
		return rc;
#ifdef REGDIFF_HAVE_HIVEX
	return regdiff__source_open_install(out, dir, NULL, logs);
#else
	(void)out;
	return regdiff__error(REGDIFF_EUNSUPPORTED,
			      "%s: offline hives are not supported by this build (no libhivex)",
			      dir);
#endif
}

int regdiff_source_open(regdiff_source **out, const char *spec)
{
	return regdiff_source_open_ext(out, spec, NULL);
}

int regdiff_source_open_ext(regdiff_source **out, const char *spec,
			    const regdiff_source_options *opts)
{
	regdiff_error_clear();
	if (!out || !spec)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_source_open: NULL argument");
	*out = NULL;
	if (!*spec)
		return regdiff__error(REGDIFF_EINVAL, "empty source");
	/* A folder is a Windows installation. */
	if (regdiff__is_dir(spec))
		return open_install(out, spec, opts);
	/* A disk image, by its content (a hive stays a hive), or one named
	 * with a partition: IMAGE@N[:/path]. */
	int handled;
	int irc = regdiff__source_open_image(out, spec, opts, &handled);
	if (handled)
		return irc;
	/* An existing file is a hive even if its name has an '='. */
	if (regdiff__is_file(spec))
		return regdiff_source_open_hive_ext(out, spec, NULL, opts);
	const char *eq = strchr(spec, '=');
	if (eq) {
		size_t n = (size_t)(eq - spec);
		char *mount = regdiff__malloc(n + 1);
		if (!mount)
			return REGDIFF_ENOMEM;
		memcpy(mount, spec, n);
		mount[n] = '\0';
		int rc = !n ? regdiff__error(REGDIFF_EINVAL, "%s: empty mount before '='", spec)
			 : !eq[1]
			     ? regdiff__error(REGDIFF_EINVAL, "%s: empty file name after '='", spec)
			     : regdiff_source_open_hive_ext(out, eq + 1, mount, opts);
		free(mount);
		return rc;
	}
	char **parts;
	size_t n;
	if (regdiff__path_split(spec, &parts, &n) == 0) {
		int live = strcmp(parts[0], "HKLM") == 0 || strcmp(parts[0], "HKU") == 0 ||
			   strcmp(parts[0], "HKCU") == 0 || strcmp(parts[0], "HKCR") == 0 ||
			   strcmp(parts[0], "HKCC") == 0;
		regdiff__path_parts_free(parts, n);
		if (live)
			return regdiff_source_open_live(
			    out, spec, opts && opts->version >= 2 ? opts->live_flags : 0);
	}
	/* Neither a file nor a registry path: let the hive opener say why. */
	return regdiff_source_open_hive_ext(out, spec, NULL, opts);
}

int regdiff_source_open_hive(regdiff_source **out, const char *file, const char *mount)
{
	return regdiff_source_open_hive_ext(out, file, mount, NULL);
}

int regdiff_source_open_hive_ext(regdiff_source **out, const char *file, const char *mount,
				 const regdiff_source_options *opts)
{
	regdiff_error_clear();
	if (!out || !file)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_source_open_hive: NULL argument");
	*out = NULL;
	int logs;
	int rc = logs_mode(opts, &logs);
	if (rc)
		return rc;
#ifdef REGDIFF_HAVE_HIVEX
	return regdiff__source_open_hive_impl(out, file, mount, logs);
#else
	(void)mount;
	(void)logs;
	return regdiff__error(REGDIFF_EUNSUPPORTED,
			      "%s: offline hives are not supported by this build (no libhivex)",
			      file);
#endif
}

int regdiff_source_open_live(regdiff_source **out, const char *path, unsigned flags)
{
	regdiff_error_clear();
	if (!out || !path)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_source_open_live: NULL argument");
	*out = NULL;
#ifdef _WIN32
	return regdiff__source_open_live_impl(out, path, flags);
#else
	(void)flags;
	return regdiff__error(
	    REGDIFF_EUNSUPPORTED,
	    "%s: no such file, and the live registry is only available on Windows", path);
#endif
}

const char *regdiff_source_mount(const regdiff_source *src)
{
	return src ? src->mount : NULL;
}

int regdiff_source_set_mount(regdiff_source *src, const char *mount)
{
	regdiff_error_clear();
	if (!src || !mount)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_source_set_mount: NULL argument");
	char *canon;
	int rc = regdiff_path_canonical(&canon, mount);
	if (rc)
		return rc;
	free(src->mount);
	src->mount = canon;
	src->mount_derived = 0;
	return 0;
}

regdiff_kind regdiff_source_kind(const regdiff_source *src)
{
	return src ? src->ops->kind : REGDIFF_KIND_UNKNOWN;
}

const char *regdiff_kind_name(regdiff_kind kind)
{
	switch (kind) {
	case REGDIFF_KIND_HIVE:
		return "hive";
	case REGDIFF_KIND_LIVE:
		return "live";
	case REGDIFF_KIND_INSTALL:
		return "install";
	default:
		return "unknown";
	}
}

const char *regdiff_source_location(const regdiff_source *src)
{
	return src ? src->location : NULL;
}

void regdiff_source_free(regdiff_source *src)
{
	if (!src)
		return;
	src->ops->free(src->impl);
	regdiff__logs_clear(&src->logs);
	regdiff__buf_free(&src->image);
	free(src->mount);
	free(src->location);
	free(src);
}

int regdiff_source_get_logs(regdiff_logs_info *out, const regdiff_source *src)
{
	regdiff_error_clear();
	if (!src || !out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_source_get_logs: NULL argument");
	int rc =
	    regdiff__check_version(out->version, REGDIFF_LOGS_INFO_VERSION, "regdiff_logs_info");
	if (rc)
		return rc;
	regdiff__logs_info(&src->logs, out);
	return 0;
}

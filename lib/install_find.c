/* Finding a Windows installation's hives under a folder: a volume root, a
 * Windows folder or a config folder. Names match ignoring case, as an
 * NTFS image mounted on Linux needs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "install.h"

const struct regdiff__machine_hive regdiff__machine_hives[REGDIFF__MACHINE_HIVES] = {
    {"SYSTEM", "HKLM\\SYSTEM"},	  {"SOFTWARE", "HKLM\\SOFTWARE"},
    {"SAM", "HKLM\\SAM"},	  {"SECURITY", "HKLM\\SECURITY"},
    {"DEFAULT", "HKU\\.DEFAULT"}, {"COMPONENTS", "HKLM\\COMPONENTS"},
    {"DRIVERS", "HKLM\\DRIVERS"}, {"ELAM", "HKLM\\ELAM"},
};

/* Service profiles: their folders under Windows\ServiceProfiles and the
 * SIDs Windows loads them at. */
static const struct {
	const char *folder, *sid;
} services[] = {{"LocalService", "S-1-5-19"}, {"NetworkService", "S-1-5-20"}};

int regdiff__is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	char *s = regdiff__malloc(n + 1 + strlen(name) + 1);
	if (s)
		sprintf(s, "%.*s/%s", (int)n, dir, name);
	return s;
}

/* dir/NAME where NAME matches name ignoring case, or NULL; want_dir: a
 * folder, else a file. Names that differ only in case cannot be made on
 * NTFS; in a folder that has them, the first in readdir's order is taken. */
static char *child(const char *dir, const char *name, int want_dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char *found = NULL;
	size_t n = strlen(name);
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (strlen(e->d_name) != n || !regdiff__ascii_caseeq(e->d_name, name, n))
			continue;
		char *p = join(dir, e->d_name);
		if (p && (want_dir ? regdiff__is_dir(p) : is_file(p)))
			found = p;
		else
			free(p);
	}
	closedir(d);
	return found;
}

/* dir/a/b/... through each name in turn (the last a file unless want_dir). */
static char *descend(const char *dir, const char *const *names, size_t n, int want_dir)
{
	char *p = regdiff__strdup(dir);
	for (size_t i = 0; p && i < n; i++) {
		char *q = child(p, names[i], i + 1 < n || want_dir);
		free(p);
		p = q;
	}
	return p;
}

/* The folder above dir, textually ("a/b" -> "a", "b" -> "."), or dir/..
 * where that cannot be said. */
static char *parent(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	size_t k = n;
	while (k > 0 && dir[k - 1] != '/')
		k--;
	const char *last = dir + k;
	size_t lastn = n - k;
	if ((lastn == 1 && last[0] == '.') || (lastn == 2 && last[0] == '.' && last[1] == '.'))
		return join(dir, "..");
	if (k == 0)
		return regdiff__strdup(".");
	while (k > 1 && dir[k - 1] == '/')
		k--;
	char *s = regdiff__malloc(k + 1);
	if (s) {
		memcpy(s, dir, k);
		s[k] = '\0';
	}
	return s;
}

static int has_machine_hive(const char *dir)
{
	for (size_t i = 0; i < REGDIFF__MACHINE_HIVES; i++) {
		char *p = child(dir, regdiff__machine_hives[i].name, 0);
		free(p);
		if (p)
			return 1;
	}
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* dir/names... when it is a folder holding a machine hive, else NULL. */
static char *config_at(const char *dir, const char *const *names, size_t n)
{
	char *config = descend(dir, names, n, 1);
	if (config && !has_machine_hive(config)) {
		free(config);
		config = NULL;
	}
	return config;
}

/* Locates root, Windows and config folders from what dir is. */
static int locate(regdiff__layout *l, const char *dir)
{
	static const char *const from_root[] = {"Windows", "System32", "config"};
	static const char *const from_windows[] = {"System32", "config"};
	char *config = config_at(dir, from_root, 3);
	if (config) {
		l->root = regdiff__strdup(dir);
		l->windows = child(dir, "Windows", 1);
	} else if ((config = config_at(dir, from_windows, 2))) {
		l->windows = regdiff__strdup(dir);
		l->root = parent(dir);
	} else if (has_machine_hive(dir)) {
		config = regdiff__strdup(dir);
		char *sys32 = parent(dir);
		l->windows = sys32 ? parent(sys32) : NULL;
		l->root = l->windows ? parent(l->windows) : NULL;
		free(sys32);
	} else {
		return regdiff__error(
		    REGDIFF_ENOTFOUND,
		    "%s: no Windows installation here (no Windows/System32/config "
		    "with registry hives)",
		    dir);
	}
	l->config = config;
	if (!l->config || !l->root || !l->windows)
		return REGDIFF_ENOMEM;
	/* The Windows folder's own name ("Windows", "WINNT"), for
	 * %SystemRoot% in profile paths. */
	const char *wn = base_name(l->windows);
	l->windows_name =
	    regdiff__strdup(strcmp(wn, "..") == 0 || strcmp(wn, ".") == 0 ? "Windows" : wn);
	return l->windows_name ? 0 : REGDIFF_ENOMEM;
}

static int same_file(const char *a, const char *b)
{
	struct stat x, y;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Adds the profile folder dir (rel: its path from the root) when it holds
 * a user hive not found already (Documents and Settings may be a junction
 * to Users). */
static int add_profile(regdiff__layout *l, const char *dir, const char *rel, const char *name,
		       const char *const *classes, size_t nclasses, const char *sid)
{
	static const char *const ntuser_name[] = {"NTUSER.DAT"};
	char *ntuser = descend(dir, ntuser_name, 1, 0);
	char *usrclass = descend(dir, classes, nclasses, 0);
	for (size_t i = 0; i < l->nprofiles && (ntuser || usrclass); i++) {
		const regdiff__profile_dir *p = &l->profiles[i];
		if ((ntuser && p->ntuser && same_file(ntuser, p->ntuser)) ||
		    (usrclass && p->usrclass && same_file(usrclass, p->usrclass))) {
			free(ntuser);
			free(usrclass);
			ntuser = usrclass = NULL;
		}
	}
	if (!ntuser && !usrclass)
		return 0;
	regdiff__profile_dir *q =
	    regdiff__realloc(l->profiles, (l->nprofiles + 1) * sizeof *l->profiles);
	if (!q) {
		free(ntuser);
		free(usrclass);
		return REGDIFF_ENOMEM;
	}
	l->profiles = q;
	q = &l->profiles[l->nprofiles++];
	*q = (regdiff__profile_dir){regdiff__strdup(rel), regdiff__strdup(name), ntuser, usrclass,
				    sid};
	return q->rel && q->name ? 0 : REGDIFF_ENOMEM;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every profile folder in the folder `folder` (a name under the root, as
 * found), sorted by name so that the result does not depend on readdir. */
static int scan_profiles(regdiff__layout *l, const char *folder_name, const char *const *classes,
			 size_t nclasses)
{
	char *folder = child(l->root, folder_name, 1);
	if (!folder)
		return 0;
	DIR *d = opendir(folder);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while (d && !rc && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		rc = regdiff__grow(&names, &cap, n + 1, sizeof *names);
		if (!rc && !(names[n++] = regdiff__strdup(e->d_name)))
			rc = REGDIFF_ENOMEM;
	}
	if (d)
		closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_names);
	const char *folder_base = base_name(folder);
	for (size_t i = 0; i < n && !rc; i++) {
		char *dir = join(folder, names[i]);
		char *rel = join(folder_base, names[i]);
		if (!dir || !rel)
			rc = REGDIFF_ENOMEM;
		else if (regdiff__is_dir(dir))
			rc = add_profile(l, dir, rel, names[i], classes, nclasses, NULL);
		free(dir);
		free(rel);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(folder);
	return rc;
}

static int scan_services(regdiff__layout *l, const char *const *classes, size_t nclasses)
{
	char *folder = child(l->windows, "ServiceProfiles", 1);
	int rc = 0;
	for (size_t i = 0; folder && !rc && i < sizeof services / sizeof *services; i++) {
		char *dir = child(folder, services[i].folder, 1);
		char *rel = NULL;
		if (dir) {
			size_t n = strlen(l->windows_name) + strlen(base_name(folder)) +
				   strlen(base_name(dir)) + 3;
			if ((rel = regdiff__malloc(n)))
				snprintf(rel, n, "%s/%s/%s", l->windows_name, base_name(folder),
					 base_name(dir));
			rc = rel ? add_profile(l, dir, rel, services[i].folder, classes, nclasses,
					       services[i].sid)
				 : REGDIFF_ENOMEM;
		}
		free(dir);
		free(rel);
	}
	free(folder);
	return rc;
}

int regdiff__layout_find(regdiff__layout *l, const char *dir)
{
	static const char *const classes[] = {"AppData", "Local", "Microsoft", "Windows",
					      "UsrClass.dat"};
	static const char *const xp_classes[] = {"Local Settings", "Application Data", "Microsoft",
						 "Windows", "UsrClass.dat"};
	memset(l, 0, sizeof *l);
	int rc = regdiff__is_dir(dir) ? locate(l, dir)
				      : regdiff__error(REGDIFF_ENOTFOUND, "%s: not a folder", dir);
	for (size_t i = 0; !rc && i < REGDIFF__MACHINE_HIVES; i++)
		l->machine[i] = child(l->config, regdiff__machine_hives[i].name, 0);
	if (!rc)
		rc = scan_profiles(l, "Users", classes, 5);
	if (!rc)
		rc = scan_profiles(l, "Documents and Settings", xp_classes, 5);
	if (!rc)
		rc = scan_services(l, classes, 5);
	if (rc)
		regdiff__layout_free(l);
	return rc;
}

void regdiff__layout_free(regdiff__layout *l)
{
	if (!l)
		return;
	free(l->root);
	free(l->windows);
	free(l->windows_name);
	free(l->config);
	for (size_t i = 0; i < REGDIFF__MACHINE_HIVES; i++)
		free(l->machine[i]);
	for (size_t i = 0; i < l->nprofiles; i++) {
		free(l->profiles[i].rel);
		free(l->profiles[i].name);
		free(l->profiles[i].ntuser);
		free(l->profiles[i].usrclass);
	}
	free(l->profiles);
	memset(l, 0, sizeof *l);
}

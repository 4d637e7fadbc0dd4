/* A Windows installation read as one source: the discovery of its hives
 * (install_find.c), the mapping of profile folders to SIDs
 * (install_profiles.c) and the composite source holding them
 * (source_install.c). */
#ifndef REGDIFF_INSTALL_H
#define REGDIFF_INSTALL_H

#include "source_internal.h"

/* Opens the Windows installation under dir (a volume root, a Windows folder or a config folder) as
 * one composite source. origin, when not NULL, replaces dir at the start of every location recorded
 * for its hives (e.g. "disk.E01@2:" so that a report shows where each hive came from in the image).
 * logs_mode: enum regdiff_logs_mode. Every hive is read into private memory here, so dir may be
 * removed after it returns. */
int regdiff__source_open_install(regdiff_source **out, const char *dir, const char *origin,
				 int logs_mode);

/* ---- discovery (install_find.c) ---- */

enum { REGDIFF__MACHINE_HIVES = 8 };

/* A profile folder and the user hives found in it. */
typedef struct regdiff__profile_dir {
	char *rel;		 /* relative to the volume root, '/' between names, as found */
	char *name;		 /* the folder's name */
	char *ntuser;		 /* NTUSER.DAT, NULL if absent */
	char *usrclass;		 /* UsrClass.dat, NULL if absent */
	const char *service_sid; /* a service profile's well-known SID, else NULL */
} regdiff__profile_dir;

typedef struct regdiff__layout {
	char *root;    /* the volume root (the folder above Windows) */
	char *windows; /* the Windows folder; its name as found */
	char *windows_name;
	char *config; /* Windows/System32/config */
	/* The machine hives, in the order of regdiff__machine_hives; NULL where absent. */
	char *machine[REGDIFF__MACHINE_HIVES];
	regdiff__profile_dir *profiles;
	size_t nprofiles;
} regdiff__layout;

/* Hive file names and where Windows mounts them. */
extern const struct regdiff__machine_hive {
	const char *name, *mount;
} regdiff__machine_hives[REGDIFF__MACHINE_HIVES];

/* Whether path is a folder (a directory source rather than a hive). */
int regdiff__is_dir(const char *path);

/* Finds the installation under dir. REGDIFF_ENOTFOUND with a message
 * naming dir when it holds none. */
int regdiff__layout_find(regdiff__layout *out, const char *dir);
void regdiff__layout_free(regdiff__layout *l);

/* ---- SIDs (install_profiles.c) ---- */

/* A ProfileList entry whose ProfileImagePath is on this volume. */
typedef struct regdiff__profile_sid {
	char *sid;
	char *rel;  /* the profile folder relative to the volume root, '\' between names */
	char *name; /* the profile folder's last name: the user name shown */
} regdiff__profile_sid;

/* Reads SOFTWARE's ProfileList (src: a hive source of SOFTWARE), with
 * %SystemDrive%, %SystemRoot% and the system drive's letter resolved
 * against windows_name. *out is empty when there is no ProfileList. */
int regdiff__profiles_read(regdiff__profile_sid **out, size_t *n, regdiff_source *software,
			   const char *windows_name);
void regdiff__profiles_free(regdiff__profile_sid *p, size_t n);

/* The control set SYSTEM's Select\Current names (1 for ControlSet001), or
 * 0 when src has none. */
unsigned regdiff__control_set_current(regdiff_source *system);

/* ---- the composite (source_install.c) ---- */

/* The install metadata a composite source adds to a snapshot. */
typedef struct regdiff__install_meta {
	size_t nusers;
	const char *const *sids, *const *names;
	size_t nnotes;
	const char *const *notes;
} regdiff__install_meta;

/* Whether src is a composite, and its members (borrowed). */
size_t regdiff__install_members(const regdiff_source *src, regdiff_source *const **members);
void regdiff__install_meta_get(const regdiff_source *src, regdiff__install_meta *out);

#endif

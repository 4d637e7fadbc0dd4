/* regdiff - Windows installations: a folder as one source.
 *
 * regdiff_source_open() on a folder that holds a Windows installation (a
 * volume root with Windows/System32/config, a Windows folder, or the config
 * folder itself) opens every hive it finds as one source: the machine hives
 * where Windows mounts them (HKLM\SYSTEM, HKLM\SOFTWARE, HKLM\SAM,
 * HKLM\SECURITY, HKU\.DEFAULT, HKLM\COMPONENTS, HKLM\DRIVERS, HKLM\ELAM),
 * and each profile's NTUSER.DAT and UsrClass.dat at HKU\<SID> and
 * HKU\<SID>_Classes, the SID taken from SOFTWARE's ProfileList (the folder
 * name when there is none, which a note says). A snapshot of it keeps the
 * SID -> user name map, the notes and the current control set.
 */
#ifndef REGDIFF_INSTALL_PUBLIC_H
#define REGDIFF_INSTALL_PUBLIC_H

#include "common.h"
#include "snapshot.h"
#include "source.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One hive a directory source found. Caller-allocated; strings and the
 * logs' strings are borrowed from the source. */
#define REGDIFF_SOURCE_MEMBER_VERSION 1
typedef struct regdiff_source_member {
	unsigned version;	/* REGDIFF_SOURCE_MEMBER_VERSION */
	const char *mount;	/* "HKLM\SYSTEM", "HKU\S-1-5-21-...-1001_Classes", ... */
	const char *file;	/* where it was found */
	const char *user;	/* the user name of an HKU\<SID> hive, else "" */
	const char *error;	/* why it could not be read (it is not compared), else "" */
	regdiff_logs_info logs; /* its version is set with the member's */
} regdiff_source_member;
#define REGDIFF_SOURCE_MEMBER_INIT                                                                 \
	{                                                                                          \
		REGDIFF_SOURCE_MEMBER_VERSION, NULL, NULL, NULL, NULL, REGDIFF_LOGS_INFO_INIT      \
	}

/* The hives of a directory source (0 for any other source). */
REGDIFF_API size_t regdiff_source_member_count(const regdiff_source *src);

/* Hive i of a directory source into *out (whose version the caller sets).
 * REGDIFF_ENOTFOUND past the last. */
REGDIFF_API int regdiff_source_get_member(regdiff_source_member *out, const regdiff_source *src,
					  size_t i);

/* Notes on how a directory source mounted its hives ("Users/bob: no
 * ProfileList entry, mounted at its folder name: HKU\bob"). *out is
 * borrowed from the source; NULL after a failure. */
REGDIFF_API size_t regdiff_source_note_count(const regdiff_source *src);
REGDIFF_API int regdiff_source_get_note(const char **out, const regdiff_source *src, size_t i);

/* A snapshot's SID -> user name map: entry i (0 <= i < count). *sid and
 * *name are borrowed from the snapshot; NULL after a failure. */
REGDIFF_API size_t regdiff_snapshot_user_count(const regdiff_snapshot *snap);
REGDIFF_API int regdiff_snapshot_get_user(const char **sid, const char **name,
					  const regdiff_snapshot *snap, size_t i);

/* The user name of sid in the snapshot's map (sid may end in "_Classes"),
 * or NULL. Borrowed. */
REGDIFF_API const char *regdiff_snapshot_user_name(const regdiff_snapshot *snap, const char *sid);

/* The snapshot's notes (see regdiff_source_get_note). Borrowed. */
REGDIFF_API size_t regdiff_snapshot_note_count(const regdiff_snapshot *snap);
REGDIFF_API int regdiff_snapshot_get_note(const char **out, const regdiff_snapshot *snap, size_t i);

/* The control set that Select\Current named in the snapshot's HKLM\SYSTEM
 * hive (1 for ControlSet001), or 0 when it holds none: persistence
 * locations under CurrentControlSet are looked for there only. */
REGDIFF_API unsigned regdiff_snapshot_control_set(const regdiff_snapshot *snap);

#ifdef __cplusplus
}
#endif
#endif

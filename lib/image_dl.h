/* libtsk and libewf, loaded when the first image is opened rather than by
 * the dynamic loader at start-up: with their dependency trees (libstdc++,
 * libcurl, GnuTLS, Kerberos, SQLite, ...) they cost every process ~32 ms
 * before main, images or not.
 *
 * Their headers still give the types; each function the image code calls
 * is then a pointer in regdiff__image_api, filled by dlsym, and the macros
 * below keep the call sites spelled as libtsk's documentation spells
 * them. Include this header, never <tsk/libtsk.h> or <libewf.h> alone: a
 * direct call would bring the DT_NEEDED entry back (tests/images/nolib.sh
 * checks it is gone). */
#ifndef REGDIFF_IMAGE_DL_H
#define REGDIFF_IMAGE_DL_H

#include <stddef.h>
#include <tsk/libtsk.h>
#ifdef REGDIFF_HAVE_EWF
#include <libewf.h>
#endif

#define REGDIFF__TSK_FUNCS(X)                                                                      \
	X(tsk_error_get)                                                                           \
	X(tsk_error_reset)                                                                         \
	X(tsk_fs_close)                                                                            \
	X(tsk_fs_dir_close)                                                                        \
	X(tsk_fs_dir_get)                                                                          \
	X(tsk_fs_dir_getsize)                                                                      \
	X(tsk_fs_dir_open_meta)                                                                    \
	X(tsk_fs_file_close)                                                                       \
	X(tsk_fs_file_open_meta)                                                                   \
	X(tsk_fs_file_read)                                                                        \
	X(tsk_fs_open_img)                                                                         \
	X(tsk_fs_open_vol)                                                                         \
	X(tsk_fs_type_toname)                                                                      \
	X(tsk_img_close)                                                                           \
	X(tsk_img_open_utf8_sing)                                                                  \
	X(tsk_img_read)                                                                            \
	X(tsk_img_type_toname)                                                                     \
	X(tsk_vs_close)                                                                            \
	X(tsk_vs_open)                                                                             \
	X(tsk_vs_part_get)                                                                         \
	X(tsk_vs_part_read)                                                                        \
	X(tsk_vs_type_toname)

#ifdef REGDIFF_HAVE_EWF
#define REGDIFF__EWF_FUNCS(X)                                                                      \
	X(libewf_error_free)                                                                       \
	X(libewf_get_access_flags_read)                                                            \
	X(libewf_glob)                                                                             \
	X(libewf_glob_free)                                                                        \
	X(libewf_handle_close)                                                                     \
	X(libewf_handle_free)                                                                      \
	X(libewf_handle_get_utf8_hash_value)                                                       \
	X(libewf_handle_initialize)                                                                \
	X(libewf_handle_open)
#else
#define REGDIFF__EWF_FUNCS(X)
#endif

#define REGDIFF__API_MEMBER(f) __typeof__(f) *f;
typedef struct regdiff__image_api {
	REGDIFF__TSK_FUNCS(REGDIFF__API_MEMBER)
	REGDIFF__EWF_FUNCS(REGDIFF__API_MEMBER)
} regdiff__image_api;
#undef REGDIFF__API_MEMBER

/* Filled by regdiff__image_load; read-only after that. */
extern regdiff__image_api regdiff__image_fn;

/* Loads the libraries once per process (thread-safe). 0 when loaded;
 * otherwise REGDIFF_EUNSUPPORTED with a message naming image (the file
 * being opened), the library and dlerror's reason, on every call. */
int regdiff__image_load(const char *image);

/* Not in lib/image_dl.c, which names the functions themselves. */
#ifndef REGDIFF__IMAGE_DL_LOADER
#define tsk_error_get regdiff__image_fn.tsk_error_get
#define tsk_error_reset regdiff__image_fn.tsk_error_reset
#define tsk_fs_close regdiff__image_fn.tsk_fs_close
#define tsk_fs_dir_close regdiff__image_fn.tsk_fs_dir_close
#define tsk_fs_dir_get regdiff__image_fn.tsk_fs_dir_get
#define tsk_fs_dir_getsize regdiff__image_fn.tsk_fs_dir_getsize
#define tsk_fs_dir_open_meta regdiff__image_fn.tsk_fs_dir_open_meta
#define tsk_fs_file_close regdiff__image_fn.tsk_fs_file_close
#define tsk_fs_file_open_meta regdiff__image_fn.tsk_fs_file_open_meta
#define tsk_fs_file_read regdiff__image_fn.tsk_fs_file_read
#define tsk_fs_open_img regdiff__image_fn.tsk_fs_open_img
#define tsk_fs_open_vol regdiff__image_fn.tsk_fs_open_vol
#define tsk_fs_type_toname regdiff__image_fn.tsk_fs_type_toname
#define tsk_img_close regdiff__image_fn.tsk_img_close
#define tsk_img_open_utf8_sing regdiff__image_fn.tsk_img_open_utf8_sing
#define tsk_img_read regdiff__image_fn.tsk_img_read
#define tsk_img_type_toname regdiff__image_fn.tsk_img_type_toname
#define tsk_vs_close regdiff__image_fn.tsk_vs_close
#define tsk_vs_open regdiff__image_fn.tsk_vs_open
#define tsk_vs_part_get regdiff__image_fn.tsk_vs_part_get
#define tsk_vs_part_read regdiff__image_fn.tsk_vs_part_read
#define tsk_vs_type_toname regdiff__image_fn.tsk_vs_type_toname
#define libewf_error_free regdiff__image_fn.libewf_error_free
#define libewf_get_access_flags_read regdiff__image_fn.libewf_get_access_flags_read
#define libewf_glob regdiff__image_fn.libewf_glob
#define libewf_glob_free regdiff__image_fn.libewf_glob_free
#define libewf_handle_close regdiff__image_fn.libewf_handle_close
#define libewf_handle_free regdiff__image_fn.libewf_handle_free
#define libewf_handle_get_utf8_hash_value regdiff__image_fn.libewf_handle_get_utf8_hash_value
#define libewf_handle_initialize regdiff__image_fn.libewf_handle_initialize
#define libewf_handle_open regdiff__image_fn.libewf_handle_open
#endif

#endif

/* mkhive's model of a hive description, shared by its parser
 * (mkhive_desc.c) and its hive writer (mkhive.c). */
#ifndef MKHIVE_H
#define MKHIVE_H

#include <stddef.h>
#include <stdint.h>

#define FILETIME_2020 132223104000000000LL /* 2020-01-01T00:00:00Z */

/* A key or value name: UTF-16 code units, any of them, NUL included. */
struct name {
	uint16_t *u;
	size_t n;
};

struct value {
	struct name name; /* length 0: the default value */
	uint32_t type;
	uint8_t *data;
	size_t len;
	int line;   /* in the description */
	size_t off; /* the vk cell, once written */
};

struct key {
	struct name name;
	struct key *parent; /* NULL for the root */
	struct key **kids;
	size_t nkids;
	struct value *vals;
	size_t nvals;
	int64_t time;  /* FILETIME */
	int time_line; /* where an explicit time was given, 0 if none */
	size_t off;    /* the nk cell, once written */
};

struct desc {
	struct name filename; /* as given, before Windows' truncation */
	int64_t time;	      /* the base block's last-written time */
	uint32_t minor;	      /* format version 1.minor */
	struct key root;
	int seen_filename, seen_root, seen_time, seen_version;
};

/* Where parsing is, for die(); desc_line is 0 outside parsing. */
extern const char *desc_path;
extern int desc_line;

/* Prints the message (with desc_path:desc_line while parsing), removes the
 * half-written output and exits with status 1. */
#ifdef __GNUC__
__attribute__((format(printf, 1, 2), noreturn))
#endif
void die(const char *fmt, ...);

void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t size);

/* The whole file, NUL-terminated (len excludes the NUL). Caller frees. */
char *read_file(const char *path, size_t *len);

/* Windows' order of sibling names: unit by unit after upper-casing. */
int name_cmp(struct name a, struct name b);

/* Bytes the name takes in a cell: Latin-1 if every unit fits, else UTF-16. */
size_t stored_len(struct name a);

/* Reads the description at path into d, which holds the defaults. */
void parse_description(const char *path, struct desc *d);

#endif

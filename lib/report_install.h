/* Report headers on Windows installations (report_install.c). */
#ifndef REGDIFF_REPORT_INSTALL_H
#define REGDIFF_REPORT_INSTALL_H

#include "report_internal.h"

enum {
	REGDIFF__INSTALL_USER,	      /* a: SID, b: user name */
	REGDIFF__INSTALL_CONTROL_SET, /* number: Select\Current */
	REGDIFF__INSTALL_ONLY,	      /* a: a mount the other side lacks, b: its user or NULL */
	REGDIFF__INSTALL_NOTE,	      /* a: the note */
	/* a: a shot exclusion's rule, b: its origin, count: subtrees not
	 * shot, persist: of them at persistence locations, c: their
	 * categories (not a Windows installation's, but said the same way) */
	REGDIFF__INSTALL_NOT_SHOT,
	REGDIFF__INSTALL_KINDS
};

typedef struct regdiff__install_item {
	const char *a, *b, *c; /* borrowed from the snapshots */
	unsigned number;
	uint64_t count, persist;
} regdiff__install_item;

/* Item i of a kind for side (0 before, 1 after): 0, or REGDIFF_ITEROVER
 * past the last (or when the changes come from no diff). */
int regdiff__report_install_item(const regdiff__report_job *job, int side, int kind, size_t i,
				 regdiff__install_item *out);

/* All items of a kind for side as one text, "; " between (not made
 * terminal-safe). */
int regdiff__report_install_text(regdiff__buf *b, const regdiff__report_job *job, int side,
				 int kind);

/* The header label of each kind: "Users", "Control set", ... */
extern const char *const regdiff__install_labels[REGDIFF__INSTALL_KINDS];

#endif

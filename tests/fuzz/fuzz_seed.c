/* Makes seed inputs for the fuzz targets from real snapshots (make_seeds.sh
 * runs it), and checks that recipes rebuild what they came from:
 *
 *   fuzz_seed recipe SNAPSHOT OUT          the recipe of SNAPSHOT
 *   fuzz_seed changes OPTIONS BEFORE AFTER OUT
 *                                          the changes from BEFORE to AFTER
 *                                          as a fuzz_report input, with
 *                                          that options byte (decimal)
 *   fuzz_seed check-recipe SNAPSHOT        its recipe must build a file
 *                                          that verifies and compares
 *                                          equal to SNAPSHOT
 *   fuzz_seed tables VARIANT OUT           a variant of the snapshot with
 *                                          child tables the snapshot
 *                                          target compares with (it must
 *                                          verify and have tables)
 *
 * Exits 0, or 1 with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fuzz_util.h"
#include "recipe.h"
#include "snapshot_priv.h"

_Noreturn static void die(const char *what, const char *name)
{
	fprintf(stderr, "fuzz_seed: %s: %s%s%s\n", name, what, *regdiff_error_message() ? ": " : "",
		regdiff_error_message());
	exit(1);
}

static void read_file(const char *path, regdiff__buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open", path);
	uint8_t chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (regdiff__buf_append(b, chunk, n))
			die("out of memory", path);
	if (ferror(f))
		die("cannot read", path);
	fclose(f);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("cannot write", path);
}

static int put(regdiff__buf *b, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		if (regdiff__buf_putc(b, (uint8_t)(v >> (8 * i))))
			return REGDIFF_ENOMEM;
	return 0;
}

static int put_name(regdiff__buf *b, regdiff_name n)
{
	size_t len = n.len > 0xffff ? 0xffff : n.len;
	int rc = put(b, len, 2);
	for (size_t i = 0; !rc && i < len; i++)
		rc = put(b, n.units[i], 2);
	return rc;
}

static int put_data(regdiff__buf *b, const regdiff_data *d)
{
	size_t len = d->len > 0xffff ? 0xffff : d->len;
	int rc = put(b, d->type, 4);
	if (!rc)
		rc = put(b, len, 2);
	return rc || !len ? rc : regdiff__buf_append(b, d->bytes, len);
}

static int put_string(regdiff__buf *b, const char *s)
{
	size_t len = strlen(s) > 255 ? 255 : strlen(s);
	int rc = put(b, len, 1);
	return rc ? rc : regdiff__buf_append(b, s, len);
}

/* The fuzz_report input of the diff (see fuzz_report.c). */
static int encode_changes(regdiff__buf *b, unsigned options, regdiff_snapshot *before,
			  regdiff_snapshot *after)
{
	regdiff_snapshot_info info[2] = {REGDIFF_SNAPSHOT_INFO_INIT, REGDIFF_SNAPSHOT_INFO_INIT};
	int rc = regdiff_snapshot_get_info(&info[0], before);
	if (!rc)
		rc = regdiff_snapshot_get_info(&info[1], after);
	if (!rc)
		rc = put(b, options & ~0x18u, 1); /* no comment, no failing output */
	for (int i = 0; !rc && i < 2; i++) {
		rc = put(b, (uint64_t)info[i].time, 8);
		if (!rc)
			rc = put_string(b, info[i].computer);
		if (!rc)
			rc = put_string(b, info[i].user);
	}
	regdiff_diff *diff = NULL;
	if (!rc)
		rc = regdiff_diff_new(&diff, before, after, NULL);
	const regdiff_change *c;
	while (!rc && (rc = regdiff_diff_next(&c, diff)) == 0) {
		rc = put(b, (unsigned)c->op, 1);
		if (!rc)
			rc = put_name(b, c->key);
		if (!rc)
			rc = put_name(b, c->value);
		if (!rc)
			rc = put_data(b, &c->old_data);
		if (!rc)
			rc = put_data(b, &c->new_data);
		if (!rc)
			rc = put(b, (uint64_t)c->old_time, 8);
		if (!rc)
			rc = put(b, (uint64_t)c->new_time, 8);
		if (!rc)
			rc = put(b, c->not_read, 1);
	}
	regdiff_diff_free(diff);
	return rc == REGDIFF_ITEROVER ? 0 : rc;
}

static void check_recipe(const char *path, const regdiff__buf *file)
{
	uint8_t *recipe, *built;
	size_t rlen, blen;
	regdiff_snapshot *orig = NULL, *copy = NULL;
	if (recipe_of(file->data, file->len, &recipe, &rlen))
		die("no recipe", path);
	if (recipe_build(recipe, rlen, &built, &blen))
		die("recipe does not build", path);
	if (regdiff_snapshot_open_memory(&orig, file->data, file->len) ||
	    regdiff_snapshot_open_memory(&copy, built, blen))
		die("does not open", path);
	if (regdiff_snapshot_verify(copy))
		die("rebuilt from its recipe, does not verify", path);
	regdiff_diff *diff;
	const regdiff_change *c;
	if (regdiff_diff_new(&diff, orig, copy, NULL))
		die("cannot compare", path);
	/* What was not read is reported as such even against itself. */
	int rc;
	while ((rc = regdiff_diff_next(&c, diff)) == 0 && c->op == REGDIFF_NOT_COMPARED)
		;
	if (rc != REGDIFF_ITEROVER)
		die(rc ? "compare failed" : "rebuilt from its recipe, differs", path);
	regdiff_diff_free(diff);
	regdiff_snapshot_free(orig);
	regdiff_snapshot_free(copy);
	free(recipe);
	free(built);
}

int main(int argc, char **argv)
{
	regdiff__buf a = {0}, b = {0}, out = {0};
	if (argc == 4 && strcmp(argv[1], "recipe") == 0) {
		read_file(argv[2], &a);
		uint8_t *recipe;
		size_t len;
		if (recipe_of(a.data, a.len, &recipe, &len))
			die("no recipe", argv[2]);
		write_file(argv[3], recipe, len);
		free(recipe);
	} else if (argc == 6 && strcmp(argv[1], "changes") == 0) {
		regdiff_snapshot *before, *after;
		read_file(argv[3], &a);
		read_file(argv[4], &b);
		if (regdiff_snapshot_open_memory(&before, a.data, a.len))
			die("does not open", argv[3]);
		if (regdiff_snapshot_open_memory(&after, b.data, b.len))
			die("does not open", argv[4]);
		if (encode_changes(&out, (unsigned)atoi(argv[2]), before, after))
			die("cannot compare", argv[3]);
		write_file(argv[5], out.data, out.len);
		regdiff_snapshot_free(before);
		regdiff_snapshot_free(after);
	} else if (argc == 4 && strcmp(argv[1], "tables") == 0) {
		regdiff_snapshot *s;
		if (fuzz_write_tables(&out, (unsigned)atoi(argv[2])) ||
		    regdiff_snapshot_open_memory(&s, out.data, out.len))
			die("cannot write the tables snapshot", argv[3]);
		if (regdiff_snapshot_verify(s))
			die("the tables snapshot does not verify", argv[3]);
		if (s->nchildren == 0)
			die("the tables snapshot has no child tables", argv[3]);
		regdiff_snapshot_free(s);
		write_file(argv[3], out.data, out.len);
	} else if (argc == 3 && strcmp(argv[1], "check-recipe") == 0) {
		read_file(argv[2], &a);
		check_recipe(argv[2], &a);
	} else {
		fprintf(stderr, "usage: fuzz_seed recipe SNAPSHOT OUT\n"
				"       fuzz_seed changes OPTIONS BEFORE AFTER OUT\n"
				"       fuzz_seed check-recipe SNAPSHOT\n"
				"       fuzz_seed tables VARIANT OUT\n");
		return 2;
	}
	regdiff__buf_free(&a);
	regdiff__buf_free(&b);
	regdiff__buf_free(&out);
	return 0;
}

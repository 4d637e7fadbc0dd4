/* Fuzz target: the TXT, JSON lines and .reg formatters, fed arbitrary changes
 * (any names, types, data and times) through regdiff__report_run. Every
 * report that is written is checked: JSON lines must be one valid JSON
 * object per change, TXT well-formed text with no control character but
 * its line ends. A failing output is simulated too.
 *
 * Input (little-endian; what is missing at the end reads as zeros):
 *   u8 options: bit 0 JSON lines, bit 1 CRLF, bit 2 UTF-16LE (TXT only),
 *     bit 3 a comment follows, bit 4 the output fails (a u16 byte count
 *     follows the comment), bit 5 / bit 6 the before / after
 *     description is unknown (NULL), bit 7 a .reg script (the undo one
 *     with bit 0), checked to be UTF-16LE lines regedit can read
 *   [u8 length, comment bytes]  [u16 bytes the output takes]
 *   before and after: i64 time | u8 length, computer | u8 length, user
 *   then changes to the end:
 *     u8 op | u16 units, key | u16 units, value name |
 *     u32 old type | u16 length, old data | u32 new type | u16 length,
 *     new data | i64 old time | i64 new time | u8 not_read
 * Strings from outside the registry (comment, computer, user) end at
 * their first NUL, as C strings do. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "report_internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

typedef struct feed {
	fuzz_in in;
	regdiff_change change;
	uint16_t *key, *value; /* aligned copies of the names */
	uint64_t delivered;
	int invalid_op;	  /* an op that is not a regdiff_op was given */
	int not_compared; /* a REGDIFF_NOT_COMPARED change was given */
} feed;

static uint16_t *read_name(fuzz_in *in, regdiff_name *name)
{
	const uint8_t *p;
	size_t n = fuzz_bytes(in, (size_t)fuzz_u16(in) * 2, &p) / 2;
	uint16_t *units = malloc(n ? n * sizeof *units : 1);
	if (!units)
		fuzz_fail("out of memory");
	for (size_t i = 0; i < n; i++)
		units[i] = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
	name->units = units;
	name->len = n;
	return units;
}

static void read_data(fuzz_in *in, regdiff_data *d)
{
	d->type = fuzz_u32(in);
	d->len = fuzz_bytes(in, fuzz_u16(in), &d->bytes);
}

static int next(void *ctx, const regdiff_change **out)
{
	feed *f = ctx;
	free(f->key);
	free(f->value);
	f->key = f->value = NULL;
	if (f->in.n == 0)
		return REGDIFF_ITEROVER;
	regdiff_change *c = &f->change;
	memset(c, 0, sizeof *c);
	c->op = (regdiff_op)fuzz_u8(&f->in);
	f->key = read_name(&f->in, &c->key);
	f->value = read_name(&f->in, &c->value);
	read_data(&f->in, &c->old_data);
	read_data(&f->in, &c->new_data);
	c->old_time = (int64_t)fuzz_u64(&f->in);
	c->new_time = (int64_t)fuzz_u64(&f->in);
	unsigned not_read = fuzz_u8(&f->in);
	if (c->op < REGDIFF_KEY_DELETED || c->op >= REGDIFF_OP_COUNT)
		f->invalid_op = 1;
	if (c->op == REGDIFF_NOT_COMPARED) {
		c->not_read = not_read;
		f->not_compared = 1;
	}
	f->delivered++;
	*out = c;
	return 0;
}

static char *read_string(fuzz_in *in)
{
	const uint8_t *p;
	size_t n = fuzz_bytes(in, fuzz_u8(in), &p);
	char *s = malloc(n + 1);
	if (!s)
		fuzz_fail("out of memory");
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	feed f = {.in = {data, size}};
	unsigned o = fuzz_u8(&f.in);
	regdiff_report_options opts = REGDIFF_REPORT_OPTIONS_INIT;
	opts.format = (o & 1) ? REGDIFF_REPORT_JSONL : REGDIFF_REPORT_TXT;
	if (o & 128)
		opts.format = (o & 1) ? REGDIFF_REPORT_REG_UNDO : REGDIFF_REPORT_REG;
	else if (!(o & 1))
		opts.flags =
		    ((o & 2) ? REGDIFF_REPORT_CRLF : 0) | ((o & 4) ? REGDIFF_REPORT_UTF16LE : 0);
	char *comment = (o & 8) ? read_string(&f.in) : NULL;
	opts.comment = comment;
	fuzz_out out = {.fail_after = SIZE_MAX};
	if (o & 16)
		out.fail_after = fuzz_u16(&f.in);
	regdiff_snapshot_info info[2] = {REGDIFF_SNAPSHOT_INFO_INIT, REGDIFF_SNAPSHOT_INFO_INIT};
	char *strings[4];
	for (int i = 0; i < 2; i++) {
		memset(&info[i], 0, sizeof info[i]);
		info[i].time = (int64_t)fuzz_u64(&f.in);
		info[i].producer = "";
		info[i].computer = strings[2 * i] = read_string(&f.in);
		info[i].user = strings[2 * i + 1] = read_string(&f.in);
	}

	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	int rc =
	    regdiff__report_run(next, &f, (o & 32) ? NULL : &info[0], (o & 64) ? NULL : &info[1],
				&opts, fuzz_out_write, &out, &counts);
	if (rc == 0) {
		uint64_t sum = 0;
		for (int op = 0; op < REGDIFF_OP_COUNT; op++)
			sum += counts.by_op[op];
		if (sum != f.delivered)
			fuzz_fail("%llu changes given, %llu counted",
				  (unsigned long long)f.delivered, (unsigned long long)sum);
		if (f.invalid_op)
			fuzz_fail("a change of unknown kind was accepted");
		if (out.failed)
			fuzz_fail("the output failed, yet the report succeeded");
		fuzz_check_report(&out, &opts, sum);
	} else {
		fuzz_check_error(rc);
		/* Refusals the input explains; anything else is a bug. */
		int explained = (rc == REGDIFF_EINVAL && (f.invalid_op || f.not_compared)) ||
				(rc == REGDIFF_EIO && out.failed);
		if (!explained)
			fuzz_fail("report of valid changes failed (%d): %s", rc,
				  regdiff_error_message());
	}
	fuzz_out_free(&out);
	free(f.key);
	free(f.value);
	free(comment);
	for (int i = 0; i < 4; i++)
		free(strings[i]);
	return 0;
}

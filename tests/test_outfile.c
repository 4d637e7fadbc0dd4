/* Output files (lib/outfile.c): writes of every size, gathered or not,
 * make the file byte for byte; the target keeps its earlier content until
 * the commit and after an abort, which leaves no temporary file; and a
 * FIFO, written in place, gets each write at once, not gathered. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "test_util.h"

#define TARGET "outfile_target.bin"
#define FIFO "outfile_fifo"

/* Sizes around the 64 KiB a write is gathered up to, and enough of them
 * to pass the 1 MiB from which writing to the disk starts early. */
static const size_t sizes[] = {1,    100,  65535, 65536,  65537, 3,	70000,	 65000, 536, 0,
			       8000, 8000, 8000,  200000, 1,	 65535, 1 << 20, 12345, 64,  7};

static uint8_t byte_at(size_t i)
{
	return (uint8_t)(i * 2654435761u >> 13);
}

static size_t total_size(void)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		n += sizes[i];
	return n;
}

static void write_all_sizes(regdiff__outfile *f, uint8_t *want)
{
	size_t at = 0;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		CHECK_RC(regdiff__outfile_write(f, want + at, sizes[i]), 0);
		at += sizes[i];
	}
}

static void check_file(const char *path, const void *want, size_t n)
{
	regdiff__buf got = {0};
	CHECK(tu_read_file(path, &got));
	CHECK_BYTES(path, got.data, got.len, want, n);
	regdiff__buf_free(&got);
}

/* Files in the working folder whose name begins with the target's. */
static int leftovers(void)
{
	DIR *d = opendir(".");
	CHECK(d != NULL);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		n += strncmp(e->d_name, TARGET ".tmp-", strlen(TARGET ".tmp-")) == 0;
	if (d)
		closedir(d);
	return n;
}

static void test_sizes_and_commit(void)
{
	size_t n = total_size();
	uint8_t *want = malloc(n);
	CHECK(want != NULL);
	for (size_t i = 0; i < n; i++)
		want[i] = byte_at(i);
	CHECK(tu_write_file(TARGET, "old", 3));
	regdiff__outfile *f = NULL;
	CHECK_RC(regdiff__outfile_open(&f, TARGET), 0);
	write_all_sizes(f, want);
	/* Not there before the commit. */
	check_file(TARGET, "old", 3);
	CHECK_U64(leftovers(), 1);
	CHECK_RC(regdiff__outfile_commit(f), 0);
	check_file(TARGET, want, n);
	CHECK_U64(leftovers(), 0);

	/* An abort after gathered and direct writes: the earlier file stays. */
	CHECK_RC(regdiff__outfile_open(&f, TARGET), 0);
	CHECK_RC(regdiff__outfile_write(f, "new", 3), 0);
	CHECK_RC(regdiff__outfile_write(f, want, 300000), 0);
	regdiff__outfile_abort(f);
	check_file(TARGET, want, n);
	CHECK_U64(leftovers(), 0);

	/* Small writes only, all of them still gathered at the commit. */
	CHECK_RC(regdiff__outfile_open(&f, TARGET), 0);
	CHECK_RC(regdiff__outfile_write(f, "ab", 2), 0);
	CHECK_RC(regdiff__outfile_write(f, "cde", 3), 0);
	CHECK_RC(regdiff__outfile_commit(f), 0);
	check_file(TARGET, "abcde", 5);
	free(want);
	remove(TARGET);
}

static void test_fifo_in_place(void)
{
	remove(FIFO);
	CHECK(mkfifo(FIFO, 0600) == 0);
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0);
	regdiff__outfile *f = NULL;
	CHECK_RC(regdiff__outfile_open(&f, FIFO), 0);
	CHECK_RC(regdiff__outfile_write(f, "line 1\n", 7), 0);
	/* There already, before the commit: a reader may be waiting. */
	char got[16] = {0};
	CHECK_U64((uint64_t)read(r, got, sizeof got), 7);
	CHECK(memcmp(got, "line 1\n", 7) == 0);
	CHECK_RC(regdiff__outfile_write(f, "2", 1), 0);
	CHECK_U64((uint64_t)read(r, got, sizeof got), 1);
	CHECK(got[0] == '2');
	CHECK_RC(regdiff__outfile_commit(f), 0);
	close(r);
	struct stat st;
	CHECK(stat(FIFO, &st) == 0 && S_ISFIFO(st.st_mode));
	remove(FIFO);
}

int main(void)
{
	test_sizes_and_commit();
	test_fifo_in_place();
	return tu_result("test_outfile");
}

/* Replays inputs through a fuzz target without libFuzzer, so that the
 * regression inputs (and the seed corpus) run in every build, sanitized
 * or not, under ctest:
 *
 *   fuzz_<target>_replay FILE|FOLDER...
 *
 * Each file, and each file in each folder (not recursively, in name
 * order), is one input. A broken promise aborts, as under libFuzzer;
 * otherwise prints "replayed N inputs" and exits 0. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

static size_t replayed;

static void replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fuzz_fail("cannot open %s", path);
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *p = realloc(data, cap);
			if (!p)
				fuzz_fail("out of memory reading %s", path);
			data = p;
		}
		size_t n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	if (ferror(f))
		fuzz_fail("cannot read %s", path);
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	replayed++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_folder(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		fuzz_fail("cannot open the folder %s", dir);
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		char *path = malloc(strlen(dir) + strlen(e->d_name) + 2);
		char **more = realloc(names, (n + 1) * sizeof *names);
		if (!path || !more)
			fuzz_fail("out of memory listing %s", dir);
		names = more;
		sprintf(path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			names[n++] = path;
		else
			free(path);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		replay_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			fuzz_fail("%s does not exist", argv[i]);
		if (S_ISDIR(st.st_mode))
			replay_folder(argv[i]);
		else
			replay_file(argv[i]);
	}
	printf("replayed %zu inputs\n", replayed);
	return 0;
}

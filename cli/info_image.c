/* regdiff info IMAGE: a disk image's partitions, their file systems and
 * which hold Windows. */
#include <inttypes.h>

#include "cli.h"

static void put_line(const char *label, const char *value)
{
	printf("%s: ", label);
	cli_put_safe(stdout, value);
	fputc('\n', stdout);
}

static int show_image(const char *path, const regdiff_image *img)
{
	regdiff_image_info info = REGDIFF_IMAGE_INFO_INIT;
	int rc = regdiff_image_get_info(&info, img);
	if (rc < 0)
		return cli_fail(rc, path);
	put_line("File", path);
	printf("Image: %s, %" PRIu64 " bytes\n", info.format, info.size);
	put_line("Partition table", info.table[0] ? info.table : "none (a volume image)");
	if (info.md5[0])
		put_line("Acquisition MD5", info.md5);
	if (info.sha1[0])
		put_line("Acquisition SHA1", info.sha1);
	fputs("Partitions:\n", stdout);
	unsigned windows = 0;
	for (unsigned n = 1; n <= info.partitions; n++) {
		regdiff_image_part p = REGDIFF_IMAGE_PART_INIT;
		if ((rc = regdiff_image_get_part(&p, img, n)) < 0) {
			fflush(stdout);
			return cli_fail(rc, path);
		}
		printf("  %u: start %" PRIu64 ", size %" PRIu64 ", ", p.number, p.start, p.size);
		cli_put_safe(stdout, p.problem[0] ? p.problem : p.fs[0] ? p.fs : "no file system");
		fputs(p.windows ? ", Windows\n" : "\n", stdout);
		windows += p.windows != 0;
	}
	fputs("Windows:", stdout);
	for (unsigned n = 1; n <= info.partitions; n++) {
		regdiff_image_part p = REGDIFF_IMAGE_PART_INIT;
		if (regdiff_image_get_part(&p, img, n) == 0 && p.windows) {
			fputc(' ', stdout);
			cli_put_safe(stdout, path);
			printf("@%u", n);
		}
	}
	fputs(windows ? "\n" : " none found\n", stdout);
	return cli_finish_stdout();
}

int cli_info_image(const char *path, int *handled)
{
	regdiff_image *img;
	int rc = regdiff_image_open(&img, path);

	/* Not an image at all: the caller's message (a snapshot's) stands. */
	*handled = rc != REGDIFF_EFOREIGN;
	if (!*handled)
		return 0;
	if (rc < 0)
		return cli_fail(rc, path);
	rc = show_image(path, img);
	regdiff_image_free(img);
	return rc;
}

int cli_info_snapshot_images(const regdiff_snapshot *snap)
{
	regdiff_snapshot_image im = REGDIFF_SNAPSHOT_IMAGE_INIT;
	int rc;

	for (size_t i = 0; (rc = regdiff_snapshot_get_image(&im, snap, i)) == 0; i++) {
		if (i == 0)
			fputs("Images:\n", stdout);
		fputs("  ", stdout);
		cli_put_safe(stdout, im.path);
		printf("@%u: ", im.partition);
		cli_put_safe(stdout, im.format);
		printf(", %" PRIu64 " bytes", im.size);
		if (im.md5[0]) {
			fputs(", acquisition MD5 ", stdout);
			cli_put_safe(stdout, im.md5);
		}
		if (im.sha1[0]) {
			fputs(", SHA1 ", stdout);
			cli_put_safe(stdout, im.sha1);
		}
		fputc('\n', stdout);
	}
	return rc == REGDIFF_ITEROVER ? 0 : rc;
}

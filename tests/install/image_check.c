/* Built as a fully static program against an installed regdiff: opening
 * a disk image must fail with the library's message (libtsk is loaded with
 * dlopen, which a static program does not do), not crash. */
#include <stdio.h>

#include <regdiff.h>

int main(int argc, char **argv)
{
	regdiff_image *img;

	if (argc != 2)
		return 2;
	if (regdiff_image_open(&img, argv[1]) == 0) {
		regdiff_image_free(img);
		return 0;
	}
	printf("%s\n", regdiff_error_message());
	return 1;
}

/* Built against an installed regdiff: the header found and the library
 * linked must be the same version. */
#include <stdio.h>
#include <string.h>

#include <regdiff.h>

int main(void)
{
	const char *v = regdiff_version();

	if (strcmp(v, REGDIFF_VERSION_STRING) != 0) {
		fprintf(stderr, "library %s, header %s\n", v, REGDIFF_VERSION_STRING);
		return 1;
	}
	printf("%s\n", v);
	return 0;
}

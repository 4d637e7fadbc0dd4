/* Built as a library named by libxml2's soname, holding none of its
 * functions: tests/html/nolib.sh puts it first on LD_LIBRARY_PATH, where
 * dlopen finds it and dlsym then fails, as with a broken or foreign
 * libxml2. */
int regdiff_stub_not_libxml2(void);

int regdiff_stub_not_libxml2(void)
{
	return 0;
}

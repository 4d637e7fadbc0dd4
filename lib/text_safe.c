/* Terminal-safe text for callers: the rendering the reports use for text
 * from outside the registry, so that a program (the CLI's "info", its
 * messages) shows a hostile snapshot's metadata as reports do. */
#include "render.h"

int regdiff_text_safe(char **out, const char *text, size_t len)
{
	regdiff_error_clear();
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_text_safe: out is NULL");
	*out = NULL;
	if (!text && len > 0)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_text_safe: text is NULL");

	regdiff__buf b = {0};
	int rc = regdiff__render_safe_utf8(&b, text, len);
	if (rc == 0)
		rc = regdiff__buf_putc(&b, 0);
	if (rc < 0) {
		regdiff__buf_free(&b);
		return rc;
	}
	*out = (char *)b.data;
	return 0;
}

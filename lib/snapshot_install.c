/* A snapshot's Windows installation metadata: the SID -> user name map,
 * notes on how hives were mounted, the current control set. */
#include <string.h>

#include "snapshot_priv.h"

size_t regdiff_snapshot_user_count(const regdiff_snapshot *snap)
{
	return snap ? snap->nusers : 0;
}

int regdiff_snapshot_get_user(const char **sid, const char **name, const regdiff_snapshot *snap,
			      size_t i)
{
	regdiff_error_clear();
	if (sid)
		*sid = NULL;
	if (name)
		*name = NULL;
	if (!sid || !name || !snap || i >= snap->nusers)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_snapshot_get_user: no user %zu", i);
	*sid = snap->user_sids[i];
	*name = snap->user_names[i];
	return 0;
}

const char *regdiff_snapshot_user_name(const regdiff_snapshot *snap, const char *sid)
{
	if (!snap || !sid)
		return NULL;
	size_t n = strlen(sid);
	if (n > 8 && strcmp(sid + n - 8, "_Classes") == 0)
		n -= 8;
	for (size_t i = 0; i < snap->nusers; i++)
		if (strlen(snap->user_sids[i]) == n && strncmp(snap->user_sids[i], sid, n) == 0)
			return snap->user_names[i];
	return NULL;
}

size_t regdiff_snapshot_note_count(const regdiff_snapshot *snap)
{
	return snap ? snap->nnotes : 0;
}

int regdiff_snapshot_get_note(const char **out, const regdiff_snapshot *snap, size_t i)
{
	regdiff_error_clear();
	if (out)
		*out = NULL;
	if (!out || !snap || i >= snap->nnotes)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_snapshot_get_note: no note %zu", i);
	*out = snap->notes[i];
	return 0;
}

unsigned regdiff_snapshot_control_set(const regdiff_snapshot *snap)
{
	return snap ? snap->control_set : 0;
}

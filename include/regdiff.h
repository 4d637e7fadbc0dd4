/* regdiff - snapshots of the Windows registry and what changed between
 * two of them. This is the one header to include.
 *
 * Flow: open sources (regdiff_source_*), take a snapshot (regdiff_shot_*),
 * open snapshots (regdiff_snapshot_*), compare two (regdiff_diff_*) and
 * write a report (regdiff_report_*). Conventions: functions return 0 or a
 * negative REGDIFF_E* code with a message from regdiff_error_message();
 * objects are opaque and freed with their own _free(), which accepts NULL;
 * each declaration says who owns what it returns.
 */
#ifndef REGDIFF_H
#define REGDIFF_H

#include "regdiff/common.h"
#include "regdiff/name.h"
#include "regdiff/source.h"
#include "regdiff/image.h"
#include "regdiff/snapshot.h"
#include "regdiff/install.h"
#include "regdiff/diff.h"
#include "regdiff/data.h"
#include "regdiff/report.h"
#include "regdiff/filter.h"
#include "regdiff/side.h"

#endif

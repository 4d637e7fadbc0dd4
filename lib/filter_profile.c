/* The built-in noise profile: registry locations Windows itself (and
 * regdiff, by running) changes while a sample runs, each with why and on
 * which Windows versions. Listed by "regdiff filters --list" and in
 * docs/filters.md.
 *
 * Where an entry comes from, in its comment:
 *   [N]  Noriben's reg_approvelist (Rurik/Noriben, Noriben.config, commit
 *        065e09c0): registry paths a sandbox run writes on its own.
 *   [F]  forensic parsers of the artifact (regipy's bam, userassist,
 *        muicache and shellbags plugins; RegRipper's bam.pl, muicache.pl):
 *        what Windows records there, and when.
 * Every entry is narrower than its source where the source would cover a
 * persistence location (docs/persistence.md): Noriben's Services\W32Time
 * and WinSock2\Parameters, Office and SystemCertificates are left out. The
 * persistence guard holds anyway: a change at a persistence location is
 * never removed, only marked.
 *
 * Order matters: the first exclude rule that fits a change counts it, so
 * regdiff's own traces come before the general rules that also cover
 * them. Bump the version with every change to the table. */
#include "filter_internal.h"

#define CV "\\Microsoft\\Windows\\CurrentVersion"
#define NTCV "\\Microsoft\\Windows NT\\CurrentVersion"
/* ControlSet001 offline and in a live shot of Windows (which does not
 * follow the CurrentControlSet link); CurrentControlSet under Wine, where
 * it is a key of its own. */
#define CS "HKLM\\SYSTEM\\*ControlSet*"
#define MUI "HKU\\*_Classes\\Local Settings\\Software\\Microsoft\\Windows\\Shell"
#define OWN "regdiff's own"
#define ALL "7, 8.1, 10, 11"
#define X REGDIFF_FILTER_EXCLUDE

static const regdiff_filter_info profile[] = {
    /* ---- regdiff's own traces: it runs as regdiff.exe ---- */
    /* [F] muicache: the display name of every program run, Vista and later */
    {X, MUI "\\MuiCache:*\\regdiff.exe.*", "regdiff.exe's display name (MUICache)", ALL, OWN},
    /* [F] bam: last run time per program and user */
    {X, CS "\\Services\\bam\\State\\UserSettings\\*:*\\regdiff.exe", "regdiff.exe's last run (BAM)",
     "10 1809+, 11", OWN},
    {X, CS "\\Services\\bam\\UserSettings\\*:*\\regdiff.exe", "regdiff.exe's last run (BAM)",
     "10 1709-1803", OWN},
    {X, CS "\\Services\\dam\\State\\UserSettings\\*:*\\regdiff.exe", "regdiff.exe's last run (DAM)",
     "10 1809+, 11", OWN},
    {X, CS "\\Services\\dam\\UserSettings\\*:*\\regdiff.exe", "regdiff.exe's last run (DAM)",
     "10 1709-1803", OWN},
    /* [F] the Program Compatibility Assistant's list of programs run */
    {X, "HKCU\\Software" NTCV "\\AppCompatFlags\\Compatibility Assistant\\Store:*\\regdiff.exe",
     "regdiff.exe run (Compatibility Assistant)", "8.1, 10, 11", OWN},
    {X, "HKCU\\Software" NTCV "\\AppCompatFlags\\Compatibility Assistant\\Persisted:*\\regdiff.exe",
     "regdiff.exe run (Compatibility Assistant)", "7", OWN},
    /* [F] userassist: value names are ROT13 ("ertqvss.rkr" is regdiff.exe) */
    {X, "HKCU\\Software" CV "\\Explorer\\UserAssist\\*\\Count:*ertqvss.rkr",
     "regdiff.exe's run count (UserAssist)", ALL, OWN},

    /* ---- Windows ---- */
    /* [N] HKLM\Software\Microsoft\Cryptography\RNG\Seed */
    {X, "HKLM\\SOFTWARE\\Microsoft\\Cryptography\\RNG:Seed",
     "the random number generator's seed, rewritten as it is used", ALL, "noise"},
    /* [F] bam */
    {X, CS "\\Services\\bam\\State\\UserSettings\\**",
     "Background Activity Moderator: last run time of each program", "10 1809+, 11", "noise"},
    {X, CS "\\Services\\bam\\UserSettings\\**",
     "Background Activity Moderator: last run time of each program", "10 1709-1803", "noise"},
    {X, CS "\\Services\\dam\\State\\UserSettings\\**",
     "Desktop Activity Moderator: last run time of each program", "10 1809+, 11", "noise"},
    {X, CS "\\Services\\dam\\UserSettings\\**",
     "Desktop Activity Moderator: last run time of each program", "10 1709-1803", "noise"},
    /* [F] TaskCache: DynamicInfo holds a task's last run and result; the
     * task's definition (Actions, Triggers, ...) is a persistence location */
    {X, "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tasks\\*:DynamicInfo value-modified",
     "a scheduled task's last run time and result", ALL, "noise"},
    /* [N] HKCU\Software\Classes\Local Settings\Software\Microsoft\Windows\Shell\* */
    {X, MUI "\\MuiCache\\**", "display names of programs run (MUICache)", ALL, "noise"},
    {X, MUI "\\BagMRU\\**", "folders opened in Explorer (shell bags)", ALL, "noise"},
    {X, MUI "\\Bags\\**", "folder view settings (shell bags)", ALL, "noise"},
    /* [N] HKCU\Software\Microsoft\Windows\Shell\BagMRU, \Bags, ShellNoRoam */
    {X, "HKCU\\Software\\Microsoft\\Windows\\Shell\\BagMRU\\**",
     "folders opened in Explorer (shell bags)", ALL, "noise"},
    {X, "HKCU\\Software\\Microsoft\\Windows\\Shell\\Bags\\**", "folder view settings (shell bags)",
     ALL, "noise"},
    {X, "HKCU\\Software\\Microsoft\\Windows\\ShellNoRoam\\**",
     "folder views and display names (shell bags, MUICache)", "7", "noise"},
    /* [F] userassist */
    {X, "HKCU\\Software" CV "\\Explorer\\UserAssist\\**",
     "programs run from Explorer and their counts (UserAssist)", ALL, "noise"},
    /* [N] ...\Explorer\RunMRU, ComDlg32\.*MRU.*, SessionInfo, StartPage2,
     * CIDOpen, CIDSave, Streams */
    {X, "HKCU\\Software" CV "\\Explorer\\RecentDocs\\**", "recently opened files", ALL, "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\ComDlg32\\**",
     "files and folders of open and save dialogs", ALL, "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\RunMRU\\**", "commands typed in the Run box", ALL,
     "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\TypedPaths\\**", "paths typed in Explorer", ALL, "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\SessionInfo\\**", "Explorer's session state", ALL,
     "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\StartPage2\\**", "Start menu and taskbar state", ALL,
     "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\FeatureUsage\\**", "taskbar use counts (FeatureUsage)",
     "10, 11", "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\CIDSizeMRU\\**", "window sizes of programs run", ALL,
     "noise"},
    {X, "HKCU\\Software" CV "\\Explorer\\Streams\\**", "Explorer window positions", ALL, "noise"},
    /* [N] HKCU\Software\Microsoft\Internet Explorer\TypedURLs, Applets, Notepad */
    {X, "HKCU\\Software\\Microsoft\\Internet Explorer\\TypedURLs\\**", "addresses typed", ALL,
     "noise"},
    {X, "HKCU\\Software" CV "\\Applets\\**", "Regedit's last key, Paint's recent files", ALL,
     "noise"},
    {X, "HKCU\\Software\\Microsoft\\Notepad\\**", "Notepad's window and font", ALL, "noise"},
    /* [N] ...\Internet Settings\Wpad\*, Internet Settings\Cache\Paths\* */
    {X, "HKCU\\Software" CV "\\Internet Settings\\Wpad\\**", "proxy auto-detection state", ALL,
     "noise"},
    {X, "HKLM\\SOFTWARE" CV "\\Internet Settings\\Cache\\Paths\\**", "WinINet cache folders", ALL,
     "noise"},
    /* [N] Prefetcher, Tracing, NetworkList\Nla\Cache, Notifications,
     * AppCompatFlags\Appraiser, DiagTrack, Reliability Analysis\RAC,
     * ProfileList\.*\RefCount, Device Association Framework\Store */
    {X, "HKLM\\SOFTWARE" NTCV "\\Prefetcher\\**", "prefetcher statistics", ALL, "noise"},
    {X, "HKLM\\SOFTWARE\\Microsoft\\Tracing\\**", "RAS and WinINet tracing state", ALL, "noise"},
    {X, "HKLM\\SOFTWARE" NTCV "\\Tracing\\**", "tracing state", ALL, "noise"},
    {X, "HKLM\\SOFTWARE" NTCV "\\NetworkList\\Nla\\Cache\\**", "network location cache", ALL,
     "noise"},
    {X, "HKLM\\SOFTWARE" NTCV "\\Notifications\\**", "notification state", "8.1, 10, 11", "noise"},
    {X, "HKLM\\SOFTWARE" NTCV "\\AppCompatFlags\\Appraiser\\**", "upgrade compatibility appraiser",
     "7, 8.1, 10", "noise"},
    {X, "HKLM\\SOFTWARE" CV "\\Diagnostics\\DiagTrack\\**", "telemetry state", "10, 11", "noise"},
    {X, "HKLM\\SOFTWARE\\Microsoft\\Reliability Analysis\\RAC\\**", "reliability monitor state",
     "7, 8.1, 10", "noise"},
    {X, "HKLM\\SOFTWARE" NTCV "\\ProfileList\\*:RefCount", "a loaded profile's use count", ALL,
     "noise"},
    {X, "HKLM\\SOFTWARE\\Microsoft\\Device Association Framework\\Store\\**",
     "devices seen on the network", "8.1, 10, 11", "noise"},
    /* [N] HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Orchestrator\*,
     * WaaSAssessment\*, HKLM\SYSTEM\WaaS\WaaSMedic\State\* */
    {X, "HKLM\\SOFTWARE" CV "\\WindowsUpdate\\Orchestrator\\**", "Windows Update's schedule",
     "10, 11", "noise"},
    {X, "HKLM\\SOFTWARE" CV "\\WaaSAssessment\\**", "Windows Update's assessment", "10, 11",
     "noise"},
    {X, "HKLM\\SYSTEM\\WaaS\\WaaSMedic\\State\\**", "Windows Update Medic's state", "10, 11",
     "noise"},
    /* Defender's signature updates run on their own schedule; its
     * Exclusions and policies (defence evasion) are left to show */
    {X, "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\**",
     "Defender's signature update state", "8.1, 10, 11", "noise"},
    /* [N] Services\Tcpip\Parameters: here only the DHCP lease times */
    {X, CS "\\Services\\Tcpip\\Parameters\\Interfaces\\*:Lease*", "DHCP lease times", ALL, "noise"},
    /* [N] Services\SharedAccess\Epoch2 */
    {X, CS "\\Services\\SharedAccess\\Epoch*\\**", "firewall change counter", ALL, "noise"},
    /* Performance counters' names, rewritten when a counter set is
     * installed or removed */
    {X, "HKLM\\SOFTWARE" NTCV "\\Perflib\\**", "performance counter names", ALL, "noise"},
    /* The lock screen's image cache */
    {X, "HKLM\\SOFTWARE" CV "\\Authentication\\LogonUI\\Creative\\**", "lock screen images",
     "10, 11", "noise"},
    {X, "HKCU\\Software" CV "\\Lock Screen\\**", "lock screen images", "8.1, 10, 11", "noise"},

    /* The service control manager's start counter, bumped when it
     * starts (seen in tests/wine/noise.sh) */
    {X, CS "\\Control\\ServiceCurrent:(default)", "the service control manager's start count",
     "7, 8.1, 10, 11, Wine", "noise"},

    /* ---- Wine ---- */
    /* Seen in regdiff's own Wine tests (tests/wine/lib.sh,
     * without_wine_noise): Wine rewrites its settings and fills in the
     * network cards while a program runs. */
    {X, "HKCU\\Software\\Wine\\**", "Wine's own settings", "Wine", "noise"},
    {X, "HKLM\\SOFTWARE\\Wine\\**", "Wine's own settings", "Wine", "noise"},
    {X, "HKLM\\SOFTWARE" NTCV "\\NetworkCards\\**",
     "network adapters, listed when Wine first looks at the network", "Wine", "noise"},
};

const char *regdiff_noise_profile_version(void)
{
	return "2026.11";
}

size_t regdiff_noise_profile_count(void)
{
	return sizeof profile / sizeof profile[0];
}

const regdiff_filter_info *regdiff_noise_profile_get(size_t i)
{
	return i < regdiff_noise_profile_count() ? &profile[i] : NULL;
}

/* The built-in persistence locations: registry autostart extensibility
 * points gathered from public autostart enumerators (Sysinternals
 * Autoruns, RECmd's RegistryASEPs, RegRipper and regipy plugins) and
 * SigmaHQ rules; see docs/persistence.md. Rows follow the order of that
 * list. Where a row of the list names several keys, each has its own row
 * here; where one row names several techniques (Lsa), each value has its
 * own. Placeholders, wildcards and value syntax are those of user files. */
#include "persistence.h"

#define CV "\\Microsoft\\Windows\\CurrentVersion"
#define NTCV "\\Microsoft\\Windows NT\\CurrentVersion"
#define HKLM_SW "HKLM\\SOFTWARE"

const regdiff__location_row regdiff__location_table[] = {
    /* Run keys */
    {"run", "{SW}" CV "\\Run", "*", "T1547.001"},
    {"run", "{SW}" CV "\\RunOnce", "**", "T1547.001"},
    {"run", "{SW}" CV "\\RunOnceEx", "**", "T1547.001"},
    {"run", "{SW}" CV "\\RunServices", "*", "T1547.001"},
    {"run", "{SW}" CV "\\RunServicesOnce", "*", "T1547.001"},
    {"run", "{U}\\Software" CV "\\Run", "*", "T1547.001"},
    {"run", "{U}\\Software" CV "\\RunOnce", "**", "T1547.001"},
    {"run", "{U}\\Software" CV "\\RunOnceEx", "**", "T1547.001"},
    {"run", "{U}\\Software" CV "\\RunServices", "*", "T1547.001"},
    {"run", "{U}\\Software" CV "\\RunServicesOnce", "*", "T1547.001"},
    /* The 32-bit view of a user's Run keys, which Windows also runs. */
    {"run", "{U}\\Software\\Wow6432Node" CV "\\Run", "*", "T1547.001"},
    {"run", "{U}\\Software\\Wow6432Node" CV "\\RunOnce", "**", "T1547.001"},
    {"run", "{U}\\Software\\Wow6432Node" CV "\\RunOnceEx", "**", "T1547.001"},
    {"run", HKLM_SW CV "\\Policies\\Explorer\\Run", "*", "T1547.001"},
    {"run", "{U}\\Software" CV "\\Policies\\Explorer\\Run", "*", "T1547.001"},
    {"run", HKLM_SW NTCV "\\Terminal Server\\Install\\Software" CV "\\Run", "*", "T1547.001"},
    {"run", HKLM_SW NTCV "\\Terminal Server\\Install\\Software" CV "\\RunOnce", "*", "T1547.001"},
    {"run", HKLM_SW NTCV "\\Terminal Server\\Install\\Software" CV "\\RunOnceEx", "*", "T1547.001"},
    {"run", "{U}\\Software" NTCV "\\Windows", "Load, Run", "T1547.001"},

    {"startup-approved", "{SW}" CV "\\Explorer\\StartupApproved\\Run", "*", "T1547.001"},
    {"startup-approved", "{SW}" CV "\\Explorer\\StartupApproved\\Run32", "*", "T1547.001"},
    {"startup-approved", "{SW}" CV "\\Explorer\\StartupApproved\\StartupFolder", "*", "T1547.001"},
    {"startup-approved", "{U}\\Software" CV "\\Explorer\\StartupApproved\\Run", "*", "T1547.001"},
    {"startup-approved", "{U}\\Software" CV "\\Explorer\\StartupApproved\\Run32", "*", "T1547.001"},
    {"startup-approved", "{U}\\Software" CV "\\Explorer\\StartupApproved\\StartupFolder", "*",
     "T1547.001"},

    {"startup-folder", "{U}\\Software" CV "\\Explorer\\User Shell Folders", "Startup, AltStartup",
     "T1547.001"},
    {"startup-folder", "{U}\\Software" CV "\\Explorer\\Shell Folders", "Startup, AltStartup",
     "T1547.001"},
    {"startup-folder", HKLM_SW CV "\\Explorer\\Shell Folders", "Common Startup, Common AltStartup",
     "T1547.001"},
    {"startup-folder", HKLM_SW CV "\\Explorer\\User Shell Folders",
     "Common Startup, Common AltStartup", "T1547.001"},

    {"logon-script", "{U}\\Environment", "UserInitMprLogonScript", "T1037.001"},
    /* The machine's environment: the list's "HKLM\Environment". */
    {"logon-script", "{CS}\\Control\\Session Manager\\Environment", "UserInitMprLogonScript",
     "T1037.001"},
    {"logon-script", HKLM_SW "\\Policies\\Microsoft\\Windows\\System\\Scripts\\Startup", "**",
     "T1037"},
    {"logon-script", HKLM_SW "\\Policies\\Microsoft\\Windows\\System\\Scripts\\Shutdown", "**",
     "T1037"},
    {"logon-script", HKLM_SW "\\Policies\\Microsoft\\Windows\\System\\Scripts\\Logon", "**",
     "T1037"},
    {"logon-script", HKLM_SW "\\Policies\\Microsoft\\Windows\\System\\Scripts\\Logoff", "**",
     "T1037"},

    {"winlogon", HKLM_SW NTCV "\\Winlogon", "Userinit, Shell, Taskman, AppSetup, VmApplet, GinaDLL",
     "T1547.004"},
    {"winlogon", HKLM_SW NTCV "\\Winlogon\\Notify", "**", "T1547.004"},
    {"winlogon", "{U}\\Software" NTCV "\\Winlogon", "Shell", "T1547.004"},
    {"winlogon", HKLM_SW CV "\\Policies\\System", "Shell, UIHost, Userinit", "T1547.004"},
    {"winlogon", "{U}\\Software" CV "\\Policies\\System", "Shell, UIHost, Userinit", "T1547.004"},

    {"credential-provider", HKLM_SW CV "\\Authentication\\Credential Providers", "**", "T1556"},
    {"credential-provider", HKLM_SW CV "\\Authentication\\Credential Provider Filters", "**",
     "T1556"},
    {"credential-provider", HKLM_SW CV "\\Authentication\\PLAP Providers", "**", "T1556"},

    {"boot", "{CS}\\Control\\Session Manager",
     "BootExecute, SetupExecute, Execute, S0InitialCommand, BootShell, "
     "PendingFileRenameOperations",
     "T1547.012"},
    {"boot", "{CS}\\Control\\Session Manager\\KnownDLLs", "*", "T1546.009"},
    {"boot", "{CS}\\Control\\Session Manager\\AppCertDlls", "*", "T1546.009"},
    {"boot", "{CS}\\Control\\Session Manager\\SubSystems", "*", "T1546.009"},
    {"boot", "HKLM\\SYSTEM\\Setup", "CmdLine", "T1547"},
    {"boot", "{CS}\\Control\\SafeBoot", "AlternateShell", "T1547"},

    {"service", "{CS}\\Services\\<name>",
     "ImagePath, Start, Type, ServiceDll, ObjectName, FailureCommand, new key", "T1543.003"},
    {"service", "{CS}\\Services\\<name>\\Parameters", "ServiceDll", "T1543.003"},
    {"service", HKLM_SW NTCV "\\SvcHost", "*", "T1543.003"},

    {"time-provider", "{CS}\\Services\\W32Time\\TimeProviders\\<name>", "DllName", "T1547.003"},

    {"appinit", "{SW}" NTCV "\\Windows", "AppInit_DLLs, LoadAppInit_DLLs", "T1546.010"},

    {"ifeo", "{SW}" NTCV "\\Image File Execution Options\\<exe>", "Debugger, GlobalFlag",
     "T1546.012"},
    {"ifeo", "{SW}" NTCV "\\SilentProcessExit\\<exe>", "MonitorProcess, ReportingMode",
     "T1546.012"},

    {"debugger", "{SW}" NTCV "\\AeDebug", "Debugger, Auto", "T1546"},

    {"command-processor", "{SW}\\Microsoft\\Command Processor", "AutoRun", "T1546"},
    {"command-processor", "{U}\\Software\\Microsoft\\Command Processor", "AutoRun", "T1546"},

    {"file-association", "{C}\\exefile\\shell\\open\\command", "*", "T1546.001"},
    {"file-association", "{C}\\cmdfile\\shell\\open\\command", "*", "T1546.001"},
    {"file-association", "{C}\\batfile\\shell\\open\\command", "*", "T1546.001"},
    {"file-association", "{C}\\comfile\\shell\\open\\command", "*", "T1546.001"},
    {"file-association", "{C}\\htafile\\shell\\open\\command", "*", "T1546.001"},
    {"file-association", "{C}\\piffile\\shell\\open\\command", "*", "T1546.001"},

    {"com-hijack", "{C}\\CLSID\\<clsid>\\InprocServer32", "*", "T1546.015"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\LocalServer32", "*", "T1546.015"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\TreatAs", "*", "T1546.015"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\ScriptletURL", "*", "T1546.015"},

    {"shim", "{SW}" NTCV "\\AppCompatFlags\\Custom", "**", "T1546.011"},
    {"shim", "{SW}" NTCV "\\AppCompatFlags\\InstalledSDB", "**", "T1546.011"},

    {"explorer", "{SW}" CV "\\ShellServiceObjectDelayLoad", "*", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\ShellServiceObjects", "**", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\SharedTaskScheduler", "**", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\ShellExecuteHooks", "**", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\ShellIconOverlayIdentifiers", "**", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\Browser Helper Objects", "**", "T1547"},
    /* "*" here is the class of all files, a key of that name. */
    {"explorer", "{C}\\*\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\AllFileSystemObjects\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\Directory\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\Directory\\ShellEx\\CopyHookHandlers", "**", "T1547"},
    {"explorer", "{C}\\Directory\\ShellEx\\DragDropHandlers", "**", "T1547"},
    {"explorer", "{C}\\Directory\\Background\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\Drive\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\Folder\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\Folder\\ShellEx\\DragDropHandlers", "**", "T1547"},

    {"active-setup", "{SW}\\Microsoft\\Active Setup\\Installed Components\\<guid>", "StubPath",
     "T1547.014"},

    {"office", "{SW}\\Microsoft\\Office\\<app>\\Addins\\<name>", "**", "T1137"},
    {"office", "{U}\\Software\\Microsoft\\Office\\<app>\\Addins\\<name>", "**", "T1137"},
    {"office", "{SW}\\Microsoft\\Office test\\Special\\Perf", "**", "T1137"},
    {"office", "{U}\\Software\\Microsoft\\Office test\\Special\\Perf", "**", "T1137"},

    {"lsa", "{CS}\\Control\\Lsa", "Authentication Packages", "T1547.002"},
    {"lsa", "{CS}\\Control\\Lsa", "Notification Packages", "T1556.002"},
    {"lsa", "{CS}\\Control\\Lsa", "Security Packages", "T1547.005"},
    {"lsa", "{CS}\\Control\\Lsa\\OSConfig", "Security Packages", "T1547.005"},

    {"network-provider", "{CS}\\Control\\NetworkProvider\\Order", "ProviderOrder", "T1556.008"},

    {"winsock", "{CS}\\Services\\WinSock2\\Parameters\\Protocol_Catalog9", "**", "T1547"},
    {"winsock", "{CS}\\Services\\WinSock2\\Parameters\\NameSpace_Catalog5", "**", "T1547"},

    {"netsh", HKLM_SW "\\Microsoft\\NetSh", "*", "T1546.007"},

    {"print-monitor", "{CS}\\Control\\Print\\Monitors\\<name>", "Driver", "T1547.010"},
    {"print-provider", "{CS}\\Control\\Print\\Providers\\<name>", "**", "T1547.012"},

    {"rdp", "{CS}\\Control\\Terminal Server\\Wds\\rdpwd", "StartupPrograms", "T1547"},
    {"rdp", "{CS}\\Control\\Terminal Server\\WinStations\\RDP-Tcp", "InitialProgram", "T1547"},

    /* A task's key in Tree may be in folders: <path> is one component or
     * more. A deleted SD value hides a task. */
    {"scheduled-task", HKLM_SW NTCV "\\Schedule\\TaskCache\\Tree\\<path>",
     "Actions, SD, Index, Id, new key", "T1053.005"},
    {"scheduled-task", HKLM_SW NTCV "\\Schedule\\TaskCache\\Tasks\\<guid>",
     "Actions, SD, Index, Id, new key", "T1053.005"},

    {"codec", "{SW}" NTCV "\\Drivers32", "*", "T1547"},
};

const size_t regdiff__location_table_len =
    sizeof regdiff__location_table / sizeof regdiff__location_table[0];

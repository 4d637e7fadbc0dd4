/* The built-in persistence locations: registry autostart extensibility
 * points gathered from public references (MITRE ATT&CK, Sysinternals
 * Autoruns, RECmd's ASEP batch files, SigmaHQ's registry rules, RegRipper
 * plugins, PersistenceSniper); docs/persistence.md lists them with their
 * sources and test_persistence checks that the two agree. Where one key
 * has values of several techniques, each has its own row. The first row
 * that fits a change tags it, so a row for one key comes before a row
 * with a wildcard in its place. Placeholders, wildcards and value syntax
 * are those of user files. */
#include "persistence.h"

#define CV "\\Microsoft\\Windows\\CurrentVersion"
#define NTCV "\\Microsoft\\Windows NT\\CurrentVersion"

const regdiff__location_row regdiff__location_table[] = {
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
    {"run", "{U}\\Software\\Wow6432Node" CV "\\Run", "*", "T1547.001"},
    {"run", "{U}\\Software\\Wow6432Node" CV "\\RunOnce", "**", "T1547.001"},
    {"run", "{U}\\Software\\Wow6432Node" CV "\\RunOnceEx", "**", "T1547.001"},
    {"run", "{SW}" CV "\\Policies\\Explorer\\Run", "*", "T1547.001"},
    {"run", "{U}\\Software" CV "\\Policies\\Explorer\\Run", "*", "T1547.001"},
    {"run",
     "HKLM\\SOFTWARE" NTCV
     "\\Terminal Server\\Install\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
     "*", "T1547.001"},
    {"run",
     "HKLM\\SOFTWARE" NTCV
     "\\Terminal Server\\Install\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
     "**", "T1547.001"},
    {"run",
     "HKLM\\SOFTWARE" NTCV
     "\\Terminal Server\\Install\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnceEx",
     "**", "T1547.001"},
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
    {"startup-folder", "{SW}" CV "\\Explorer\\Shell Folders", "Common Startup, Common AltStartup",
     "T1547.001"},
    {"startup-folder", "{SW}" CV "\\Explorer\\User Shell Folders",
     "Common Startup, Common AltStartup", "T1547.001"},
    {"logon-script", "{U}\\Environment", "UserInitMprLogonScript", "T1037.001"},

    /* The environment: a logon script, .NET profilers and startup hooks
     * loaded into every .NET process, and the search path. */
    {"profiler", "{U}\\Environment",
     "COR_PROFILER, COR_ENABLE_PROFILING, COR_PROFILER_PATH, COR_PROFILER_PATH_32, "
     "COR_PROFILER_PATH_64, CORECLR_PROFILER, CORECLR_ENABLE_PROFILING, CORECLR_PROFILER_PATH, "
     "CORECLR_PROFILER_PATH_32, CORECLR_PROFILER_PATH_64, DOTNET_STARTUP_HOOKS",
     "T1574.012"},
    {"path-hijack", "{U}\\Environment", "Path", "T1574.007"},
    {"logon-script", "{CS}\\Control\\Session Manager\\Environment", "UserInitMprLogonScript",
     "T1037.001"},
    {"profiler", "{CS}\\Control\\Session Manager\\Environment",
     "COR_PROFILER, COR_ENABLE_PROFILING, COR_PROFILER_PATH, COR_PROFILER_PATH_32, "
     "COR_PROFILER_PATH_64, CORECLR_PROFILER, CORECLR_ENABLE_PROFILING, CORECLR_PROFILER_PATH, "
     "CORECLR_PROFILER_PATH_32, CORECLR_PROFILER_PATH_64, DOTNET_STARTUP_HOOKS",
     "T1574.012"},
    {"path-hijack", "{CS}\\Control\\Session Manager\\Environment", "Path", "T1574.007"},

    /* Group Policy scripts, in both places policy keeps them. */
    {"logon-script", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\System\\Scripts", "**",
     "T1037"},
    {"logon-script", "{U}\\Software\\Policies\\Microsoft\\Windows\\System\\Scripts", "**", "T1037"},
    {"logon-script", "HKLM\\SOFTWARE" CV "\\Group Policy\\Scripts", "**", "T1037"},
    {"logon-script", "{U}\\Software" CV "\\Group Policy\\Scripts", "**", "T1037"},
    {"logon-script", "HKLM\\SOFTWARE" CV "\\Group Policy\\State\\<sid>\\Scripts", "**", "T1037"},

    /* Winlogon, both views. */
    {"winlogon", "{SW}" NTCV "\\Winlogon",
     "Userinit, Shell, Taskman, AppSetup, VmApplet, GinaDLL, mpnotify, System, UIHost",
     "T1547.004"},
    {"winlogon", "{SW}" NTCV "\\Winlogon\\Notify", "**", "T1547.004"},
    {"winlogon", "{SW}" NTCV "\\Winlogon\\GPExtensions\\<guid>", "DllName", "T1547.004"},
    {"winlogon", "{SW}" NTCV "\\Winlogon\\AlternateShells\\AvailableShells", "*", "T1547.004"},
    {"winlogon", "{U}\\Software" NTCV "\\Winlogon", "Shell, Userinit", "T1547.004"},
    {"winlogon", "{SW}" CV "\\Policies\\System", "Shell, UIHost, Userinit", "T1547.004"},
    {"winlogon", "{U}\\Software" CV "\\Policies\\System", "Shell, UIHost, Userinit", "T1547.004"},
    {"credential-provider", "HKLM\\SOFTWARE" CV "\\Authentication\\Credential Providers", "**",
     "T1556"},
    {"credential-provider", "HKLM\\SOFTWARE" CV "\\Authentication\\Credential Provider Filters",
     "**", "T1556"},
    {"credential-provider", "HKLM\\SOFTWARE" CV "\\Authentication\\PLAP Providers", "**", "T1556"},

    /* Programs run before Windows starts: Autostart Execution (the
     * Print Processors technique, T1547.012, is not these). */
    {"boot", "{CS}\\Control\\Session Manager",
     "BootExecute, BootExecuteNoPnpSync, SetupExecute, SetupExecuteNoPnpSync, PlatformExecute, "
     "Execute, S0InitialCommand, BootShell",
     "T1547.001"},
    {"boot", "{CS}\\Control\\Session Manager",
     "PendingFileRenameOperations, PendingFileRenameOperations2", "T1112"},
    {"boot", "{CS}\\Control\\Session Manager\\KnownDLLs", "*", "T1574.001"},
    {"boot", "{CS}\\Control\\Session Manager\\AppCertDlls", "*", "T1546.009"},
    {"boot", "{CS}\\Control\\Session Manager\\SubSystems", "*", "T1546.009"},
    {"boot", "HKLM\\SYSTEM\\Setup", "CmdLine", "T1547"},
    {"boot", "HKLM\\SYSTEM\\Select", "Current, Default, LastKnownGood", "T1112"},
    {"boot", "{CS}\\Control\\BootVerificationProgram", "ImagePath", "T1547"},
    {"safeboot", "{CS}\\Control\\SafeBoot", "AlternateShell", "T1547"},
    {"safeboot", "{CS}\\Control\\SafeBoot\\Minimal", "**", "T1562.009"},
    {"safeboot", "{CS}\\Control\\SafeBoot\\Network", "**", "T1562.009"},

    /* Services: rows for one service's or one key's values first, as the
     * first row that fits tags a change. */
    {"rdp", "{CS}\\Services\\TermService\\Parameters", "ServiceDll", "T1505.005"},
    {"dns", "{CS}\\Services\\DNS\\Parameters", "ServerLevelPluginDll", "T1574.002"},
    {"dhcp", "{CS}\\Services\\DHCPServer\\Parameters", "CalloutDlls, CalloutEnabled", "T1574.002"},
    {"ntds", "{CS}\\Services\\NTDS", "LsaDbExtPt, DirectoryServiceExtPt", "T1547.008"},
    {"winsock", "{CS}\\Services\\WinSock2\\Parameters", "AutodialDLL", "T1546"},
    {"winsock", "{CS}\\Services\\WinSock2\\Parameters\\Protocol_Catalog9", "**", "T1547"},
    {"winsock", "{CS}\\Services\\WinSock2\\Parameters\\NameSpace_Catalog5", "**", "T1547"},
    {"time-provider", "{CS}\\Services\\W32Time\\TimeProviders\\<name>", "DllName", "T1547.003"},
    {"network-provider", "{CS}\\Services\\<name>\\NetworkProvider", "ProviderPath", "T1556.008"},
    {"network-provider", "{CS}\\Control\\NetworkProvider\\Order", "ProviderOrder", "T1556.008"},
    {"service", "{CS}\\Services\\<name>\\Performance", "Library", "T1574.011"},
    {"service", "{CS}\\Services\\<name>", "FailureCommand", "T1574.011"},

    /* An existing service's start type or type changed is more often a
     * security product disabled than persistence; a new service's are
     * the next row's. */
    {"service", "{CS}\\Services\\<name>", "Start, Type, modified", "T1562.001"},
    {"service", "{CS}\\Services\\<name>", "ImagePath, Start, Type, ServiceDll, ObjectName, new key",
     "T1543.003"},
    {"service", "{CS}\\Services\\<name>\\Parameters", "ServiceDll", "T1543.003"},
    {"service", "HKLM\\SOFTWARE" NTCV "\\SvcHost", "*", "T1543.003"},
    {"appinit", "{SW}" NTCV "\\Windows",
     "AppInit_DLLs, LoadAppInit_DLLs, RequireSignedAppInit_DLLs", "T1546.010"},
    {"ifeo", "{SW}" NTCV "\\Image File Execution Options\\<exe>",
     "Debugger, GlobalFlag, VerifierDlls", "T1546.012"},
    {"ifeo", "{SW}" NTCV "\\SilentProcessExit\\<exe>", "MonitorProcess, ReportingMode",
     "T1546.012"},
    {"debugger", "{SW}" NTCV "\\AeDebug", "Debugger, Auto", "T1546"},
    {"debugger", "{SW}\\Microsoft\\.NETFramework", "DbgManagedDebugger, DbgJITDebugLaunchSetting",
     "T1546"},
    {"debugger", "{SW}\\Microsoft\\Windows\\Windows Error Reporting\\Hangs",
     "Debugger, ReflectDebugger", "T1546"},
    {"debugger", "{SW}\\Microsoft\\Windows\\Windows Error Reporting\\RuntimeExceptionHelperModules",
     "*", "T1546"},
    {"command-processor", "{SW}\\Microsoft\\Command Processor", "AutoRun", "T1546"},
    {"command-processor", "{U}\\Software\\Microsoft\\Command Processor", "AutoRun", "T1546"},

    /* Classes: UAC-bypass handlers before the file associations they
     * look like. */
    {"uac-bypass", "{C}\\ms-settings\\shell\\open\\command",
     "(default), DelegateExecute, IsolatedCommand, new key", "T1548.002"},
    {"uac-bypass", "{C}\\mscfile\\shell\\open\\command",
     "(default), DelegateExecute, IsolatedCommand, new key", "T1548.002"},
    {"uac-bypass", "{C}\\Folder\\shell\\open\\command",
     "(default), DelegateExecute, IsolatedCommand, new key", "T1548.002"},
    {"uac-bypass", "{C}\\exefile\\shell\\runas\\command",
     "(default), DelegateExecute, IsolatedCommand, new key", "T1548.002"},
    {"file-association", "{C}\\<progid>\\shell\\<verb>\\command", "*", "T1546.001"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\InprocServer32", "*", "T1546.015"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\LocalServer32", "*", "T1546.015"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\InprocHandler32", "*", "T1546.015"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\TreatAs", "*", "T1546.015"},
    {"com-hijack", "{C}\\CLSID\\<clsid>\\ScriptletURL", "*", "T1546.015"},
    {"shim", "{SW}" NTCV "\\AppCompatFlags\\Custom", "**", "T1546.011"},
    {"shim", "{SW}" NTCV "\\AppCompatFlags\\InstalledSDB", "**", "T1546.011"},
    {"telemetry", "{SW}" NTCV "\\AppCompatFlags\\TelemetryController\\<name>", "Command, new key",
     "T1053.005"},
    {"explorer", "{SW}" CV "\\ShellServiceObjectDelayLoad", "*", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\ShellServiceObjects", "**", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\SharedTaskScheduler", "**", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\ShellExecuteHooks", "**", "T1547"},
    {"explorer", "{SW}" CV "\\Explorer\\ShellIconOverlayIdentifiers", "**", "T1547"},
    {"browser-extension", "{SW}" CV "\\Explorer\\Browser Helper Objects", "**", "T1176"},
    {"explorer", "{U}\\Software" CV "\\ShellServiceObjectDelayLoad", "*", "T1547"},
    {"explorer", "{U}\\Software" CV "\\Explorer\\ShellServiceObjects", "**", "T1547"},
    {"explorer", "{U}\\Software" CV "\\Explorer\\SharedTaskScheduler", "**", "T1547"},
    {"explorer", "{U}\\Software" CV "\\Explorer\\ShellExecuteHooks", "**", "T1547"},
    {"explorer", "{U}\\Software" CV "\\Explorer\\ShellIconOverlayIdentifiers", "**", "T1547"},
    {"browser-extension", "{U}\\Software" CV "\\Explorer\\Browser Helper Objects", "**", "T1176"},

    /* Shell extensions of any class, the class of all files (a key named
     * "*") too. */
    {"explorer", "{C}\\Directory\\Background\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\<class>\\ShellEx\\ContextMenuHandlers", "**", "T1547"},
    {"explorer", "{C}\\<class>\\ShellEx\\PropertySheetHandlers", "**", "T1547"},
    {"explorer", "{C}\\<class>\\ShellEx\\DragDropHandlers", "**", "T1547"},
    {"explorer", "{C}\\<class>\\ShellEx\\CopyHookHandlers", "**", "T1547"},
    {"explorer", "{C}\\<class>\\ShellEx\\ColumnHandlers", "**", "T1547"},
    {"explorer", "{C}\\PROTOCOLS\\Handler", "**", "T1546"},
    {"explorer", "{C}\\PROTOCOLS\\Filter", "**", "T1546"},

    /* Browsers. */
    {"browser-extension", "{SW}\\Google\\Chrome\\Extensions", "**", "T1176"},
    {"browser-extension", "{SW}\\Microsoft\\Edge\\Extensions", "**", "T1176"},
    {"browser-extension", "{SW}\\Policies\\Google\\Chrome\\ExtensionInstallForcelist", "*",
     "T1176"},
    {"browser-extension", "{SW}\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist", "*",
     "T1176"},
    {"browser-extension", "{SW}\\Microsoft\\Internet Explorer\\Toolbar", "*", "T1176"},
    {"browser-extension", "{SW}\\Microsoft\\Internet Explorer\\Extensions", "**", "T1176"},
    {"browser-extension", "{U}\\Software\\Google\\Chrome\\Extensions", "**", "T1176"},
    {"browser-extension", "{U}\\Software\\Microsoft\\Edge\\Extensions", "**", "T1176"},
    {"browser-extension", "{U}\\Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist", "*",
     "T1176"},
    {"browser-extension", "{U}\\Software\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist",
     "*", "T1176"},
    {"browser-extension", "{U}\\Software\\Microsoft\\Internet Explorer\\Toolbar", "*", "T1176"},
    {"browser-extension", "{U}\\Software\\Microsoft\\Internet Explorer\\Extensions", "**", "T1176"},
    {"browser-extension", "{U}\\Software\\Microsoft\\Internet Explorer\\URLSearchHooks", "*",
     "T1176"},
    {"active-setup", "{SW}\\Microsoft\\Active Setup\\Installed Components\\<guid>", "StubPath",
     "T1547.014"},
    {"office", "{SW}\\Microsoft\\Office\\<app>\\Addins\\<name>", "**", "T1137.006"},
    {"office", "{SW}\\Microsoft\\Office test\\Special\\Perf", "**", "T1137.002"},
    {"office", "{U}\\Software\\Microsoft\\Office\\<app>\\Addins\\<name>", "**", "T1137.006"},
    {"office", "{U}\\Software\\Microsoft\\Office test\\Special\\Perf", "**", "T1137.002"},
    {"office", "{U}\\Software\\Microsoft\\Office\\<version>\\Excel\\Options", "OPEN<n>",
     "T1137.006"},
    {"office", "{U}\\Software\\Microsoft\\Office\\<version>\\Outlook\\WebView\\<folder>", "URL",
     "T1137.004"},
    {"office", "{U}\\Software\\Microsoft\\Office\\<version>\\Outlook\\Today", "URL, UserDefinedUrl",
     "T1137.004"},
    {"lsa", "{CS}\\Control\\Lsa", "Authentication Packages", "T1547.002"},
    {"lsa", "{CS}\\Control\\Lsa", "Notification Packages", "T1556.002"},
    {"lsa", "{CS}\\Control\\Lsa", "Security Packages", "T1547.005"},
    {"lsa", "{CS}\\Control\\Lsa\\OSConfig", "Security Packages", "T1547.005"},
    {"lsa", "{CS}\\Control\\SecurityProviders", "SecurityProviders", "T1547.005"},
    {"lsa", "{CS}\\Control\\LsaExtensionConfig", "**", "T1547.008"},
    {"amsi", "{SW}\\Microsoft\\AMSI\\Providers", "**", "T1546"},
    {"netsh", "{SW}\\Microsoft\\NetSh", "*", "T1546.007"},
    {"print-monitor", "{CS}\\Control\\Print\\Monitors\\<name>", "Driver", "T1547.010"},
    {"print-processor", "{CS}\\Control\\Print\\Environments\\<env>\\Print Processors\\<name>",
     "Driver, new key", "T1547.012"},
    {"print-provider", "{CS}\\Control\\Print\\Providers\\<name>", "**", "T1547.012"},
    {"rdp", "{CS}\\Control\\Terminal Server\\Wds\\rdpwd", "StartupPrograms", "T1547"},
    {"rdp", "{CS}\\Control\\Terminal Server\\WinStations\\RDP-Tcp", "InitialProgram", "T1547"},
    {"rdp", "{SW}\\Policies\\Microsoft\\Windows NT\\Terminal Services", "InitialProgram", "T1547"},
    {"rdp", "{U}\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", "InitialProgram",
     "T1547"},

    /* A task's key in Tree may be in folders: <path> is one component or
     * more. A deleted SD value hides a task. */
    {"scheduled-task", "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tree\\<path>",
     "Actions, Triggers, Path, SD, Index, Id, new key", "T1053.005"},
    {"scheduled-task", "HKLM\\SOFTWARE" NTCV "\\Schedule\\TaskCache\\Tasks\\<guid>",
     "Actions, Triggers, Path, SD, Index, Id, new key", "T1053.005"},
    {"screensaver", "{U}\\Control Panel\\Desktop", "SCRNSAVE.EXE", "T1546.002"},
    {"screensaver", "{U}\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop",
     "SCRNSAVE.EXE", "T1546.002"},
    {"screensaver", "{SW}\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop", "SCRNSAVE.EXE",
     "T1546.002"},

    /* The rarer tail. */
    {"codec", "{SW}" NTCV "\\Drivers32", "*", "T1547"},
    {"codec", "{C}\\CLSID\\{083863F1-70DE-11d0-BD40-00A0C911CE86}\\Instance", "**", "T1547"},
    {"codec", "{C}\\CLSID\\{7ED96837-96F0-4812-B211-F13C24117ED3}\\Instance", "**", "T1547"},
    {"font-driver", "{SW}" NTCV "\\Font Drivers", "*", "T1547"},
    {"ime", "{CS}\\Control\\Keyboard Layouts\\<layout>", "Ime File", "T1547"},
    {"sip", "{SW}\\Microsoft\\Cryptography\\OID\\EncodingType 0\\<function>\\<guid>",
     "Dll, FuncName", "T1553.003"},
    {"sip", "{SW}\\Microsoft\\Cryptography\\Providers\\Trust\\<function>\\<guid>",
     "$DLL, $Function", "T1553.003"},
    {"odbc", "{SW}\\ODBC\\ODBCINST.INI\\<driver>", "Driver, Setup", "T1547"},
    {"msdtc", "{SW}\\Microsoft\\MSDTC\\MTxOCI",
     "OracleOciLib, OracleOciLibPath, OracleSqlLib, OracleSqlLibPath, OracleXaLib, OracleXaLibPath",
     "T1574.001"},
    {"fax", "{SW}\\Microsoft\\Fax\\Device Providers\\<guid>", "ImageName", "T1112"},
    {"provisioning", "{SW}\\Microsoft\\Provisioning\\Commands", "**", "T1218"},
    {"event-viewer", "{SW}" NTCV "\\Event Viewer",
     "MicrosoftRedirectionProgram, MicrosoftRedirectionProgramCommandLineParameters, "
     "MicrosoftRedirectionURL",
     "T1546"},
    {"accessibility", "{SW}" NTCV "\\Accessibility\\ATs\\<name>", "StartExe, ATExe, new key",
     "T1546.008"},
    {"accessibility", "{U}\\Software" NTCV "\\Accessibility", "Configuration", "T1546.008"},
    {"windows-ce", "{SW}\\Microsoft\\Windows CE Services\\AutoStartOnConnect", "*", "T1547"},
    {"windows-ce", "{SW}\\Microsoft\\Windows CE Services\\AutoStartOnDisconnect", "*", "T1547"},
};

const size_t regdiff__location_table_len =
    sizeof regdiff__location_table / sizeof regdiff__location_table[0];

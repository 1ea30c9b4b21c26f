using System.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.NativeFix;

/// <summary>
/// The build step that makes libLibTorchSharp.so load on an older libstdc++, exercised on libraries compiled here:
/// a stand-in libstdc++.so.6 (with or without GLIBCXX_3.4.32) and a library that needs that version from it.
/// </summary>
public sealed class WeakenMissingVersionNeedsTests : IDisposable
{
    private readonly TemporaryFolder folder = new("sweeps-native-fix-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Execute_SystemLacksTheVersion_MarksOnlyThatNeedWeak()
    {
        var system = BuildSystemLibrary(definesNewVersion: false);
        var library = BuildLibraryNeedingNewVersion();

        Assert.True(Run(system, library));

        var needs = ReadElfVersionNeeds(library);
        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", needs);
        Assert.Contains("Name: GLIBCXX_3.4.30  Flags: none", needs);
    }

    [Fact]
    public void Execute_SystemHasTheVersion_LeavesTheLibraryByteForByte()
    {
        var system = BuildSystemLibrary(definesNewVersion: true);
        var library = BuildLibraryNeedingNewVersion();
        var before = File.ReadAllBytes(library);

        Assert.True(Run(system, library));

        Assert.Equal(before, File.ReadAllBytes(library));
    }

    [Fact]
    public void Execute_Always_WeakensEvenWhereTheSystemHasTheVersion()
    {
        var system = BuildSystemLibrary(definesNewVersion: true);
        var library = BuildLibraryNeedingNewVersion();

        Assert.True(Run(system, library, always: true));

        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", ReadElfVersionNeeds(library));
    }

    [Fact]
    public void Execute_Twice_SecondRunChangesNothingAndKeepsTheTimestamp()
    {
        var system = BuildSystemLibrary(definesNewVersion: false);
        var library = BuildLibraryNeedingNewVersion();
        var stamp = File.GetLastWriteTimeUtc(library);
        Run(system, library);
        var patched = File.ReadAllBytes(library);

        Run(system, library);

        Assert.Equal(patched, File.ReadAllBytes(library));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(library));
    }

    private bool Run(string systemFolder, string library, bool always = false) => new WeakenMissingVersionNeeds
    {
        Always = always,
        BuildEngine = new QuietBuildEngine(),
        Libraries = [new TaskItem(library)],
        Soname = "libstdc++.so.6",
        Versions = ["GLIBCXX_3.4.32"],
        SearchFolders = [systemFolder],
    }.Execute();

    // A stand-in for the system's libstdc++: soname libstdc++.so.6, defining GLIBCXX_3.4.30 and maybe GLIBCXX_3.4.32.
    private string BuildSystemLibrary(bool definesNewVersion)
    {
        var system = Path.Combine(folder.Path, definesNewVersion ? "new-system" : "old-system");
        Directory.CreateDirectory(system);
        var source = folder.Write("stdcxx.c", "int old_symbol(void) { return 30; }\nint new_symbol(void) { return 32; }\n");
        var script = folder.Write(definesNewVersion ? "new.map" : "old.map", definesNewVersion
            ? "GLIBCXX_3.4.30 { global: old_symbol; local: *; };\nGLIBCXX_3.4.32 { global: new_symbol; } GLIBCXX_3.4.30;\n"
            : "GLIBCXX_3.4.30 { global: old_symbol; new_symbol; local: *; };\n");
        Gcc("-shared", "-fPIC", "-o", Path.Combine(system, "libstdc++.so.6"), source, $"-Wl,--version-script={script}", "-Wl,-soname,libstdc++.so.6");
        return system;
    }

    // Linked against a libstdc++ that has GLIBCXX_3.4.32, so it records a need for that version (like libLibTorchSharp.so).
    private string BuildLibraryNeedingNewVersion()
    {
        var linkAgainst = BuildSystemLibrary(definesNewVersion: true);
        var source = folder.Write("needs.c", "int old_symbol(void);\nint new_symbol(void);\nint both(void) { return old_symbol() + new_symbol(); }\n");
        var library = Path.Combine(folder.Path, "libneeds.so");
        Gcc("-shared", "-fPIC", "-o", library, source, $"-L{linkAgainst}", "-l:libstdc++.so.6");
        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: none", ReadElfVersionNeeds(library));
        return library;
    }

    private static void Gcc(params string[] arguments) => Tool("gcc", arguments);

    private static string ReadElfVersionNeeds(string library) => Tool("readelf", "-V", library);

    private static string Tool(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{name} failed: {output}");
        return output;
    }

    private sealed class QuietBuildEngine : IBuildEngine
    {
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => true;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) { }
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogWarningEvent(BuildWarningEventArgs e) { }
    }
}

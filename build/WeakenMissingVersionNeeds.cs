// MSBuild task (compiled by RoslynCodeTaskFactory, see TorchSharpNativeFix.targets).
//
// libLibTorchSharp.so from TorchSharp 0.107.0 records that it needs GLIBCXX_3.4.32 from libstdc++.so.6. The only
// symbol behind that version is std::ios_base_library_init(), which the library references but never relocates, so
// it runs fine against an older libstdc++ (Debian 12 ships GLIBCXX_3.4.30). The dynamic loader still refuses the
// library because the version need is marked mandatory. ELF lets a version need be WEAK (VER_FLG_WEAK in vna_flags):
// the loader then only warns when it is absent. This task sets that flag for the named versions, and only where the
// system's libstdc++ does not define them, so a system that has them keeps the library byte-for-byte.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenMissingVersionNeeds : Microsoft.Build.Utilities.Task
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The shared libraries to patch in place (copies in an output folder, never the package cache).</summary>
    [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The soname whose version needs may be weakened, e.g. libstdc++.so.6.</summary>
    [Required] public string Soname { get; set; } = "";

    /// <summary>The versions that are known to be safe to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string[] Versions { get; set; } = Array.Empty<string>();

    /// <summary>Folders searched for the system's copy of the soname, in order.</summary>
    [Required] public string[] SearchFolders { get; set; } = Array.Empty<string>();

    /// <summary>Weaken every listed version whatever this system has: for output that runs on other machines (the GPU smoke kit).</summary>
    public bool Always { get; set; }

    public override bool Execute()
    {
        var system = SearchFolders.Select(f => Path.Combine(f, Soname)).FirstOrDefault(File.Exists);
        if (system is null && !Always)
        {
            Log.LogMessage(MessageImportance.Normal, $"No system {Soname} found; nothing to patch.");
            return true;
        }

        var defined = Always ? new HashSet<string>() : ReadVersionDefinitions(File.ReadAllBytes(system!));
        var missing = new HashSet<string>(Versions.Where(v => !defined.Contains(v)));
        if (missing.Count == 0)
        {
            Log.LogMessage(MessageImportance.Low, $"{system} defines {string.Join(", ", Versions)}; nothing to patch.");
            return true;
        }

        foreach (var item in Libraries)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            var changed = MarkWeak(bytes, Soname, missing);
            if (changed.Count == 0) continue;

            // Write a new file (never through a hard link into the package cache) and keep the timestamp, so the
            // next incremental copy sees an unchanged file and this task finds the flag already set.
            var stamp = File.GetLastWriteTimeUtc(path);
            var temp = path + ".weakening";
            File.WriteAllBytes(temp, bytes);
            File.Delete(path);
            File.Move(temp, path);
            File.SetLastWriteTimeUtc(path, stamp);
            Log.LogMessage(MessageImportance.High,
                $"Marked {string.Join(", ", changed)} from {Soname} as a weak version need in {path} " +
                $"(the system {system} lacks it; see README, 'TorchSharp on older Linux').");
        }
        return true;
    }

    private static HashSet<string> ReadVersionDefinitions(byte[] elf)
    {
        var names = new HashSet<string>();
        foreach (var section in Sections(elf).Where(s => s.Type == ShtGnuVerdef))
        {
            var strings = Sections(elf)[(int)section.Link];
            var offset = (int)section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var aux = offset + (int)U32(elf, offset + 12);
                names.Add(CString(elf, (int)strings.Offset + (int)U32(elf, aux)));
                var next = U32(elf, offset + 16);
                if (next == 0) break;
                offset += (int)next;
            }
        }
        return names;
    }

    private static List<string> MarkWeak(byte[] elf, string soname, HashSet<string> versions)
    {
        var changed = new List<string>();
        foreach (var section in Sections(elf).Where(s => s.Type == ShtGnuVerneed))
        {
            var strings = Sections(elf)[(int)section.Link];
            var offset = (int)section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var file = CString(elf, (int)strings.Offset + (int)U32(elf, offset + 4));
                var count = U16(elf, offset + 2);
                var aux = offset + (int)U32(elf, offset + 8);
                for (var j = 0; j < count && file == soname; j++)
                {
                    var name = CString(elf, (int)strings.Offset + (int)U32(elf, aux + 8));
                    var flags = U16(elf, aux + 4);
                    if (versions.Contains(name) && (flags & VerFlgWeak) == 0)
                    {
                        var weak = (ushort)(flags | VerFlgWeak);
                        elf[aux + 4] = (byte)weak;
                        elf[aux + 5] = (byte)(weak >> 8);
                        changed.Add(name);
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                var next = U32(elf, offset + 12);
                if (next == 0) break;
                offset += (int)next;
            }
        }
        return changed;
    }

    private readonly struct Section
    {
        public Section(uint type, ulong offset, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Link = link;
            Info = info;
        }

        public uint Type { get; }
        public ulong Offset { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    private static List<Section> Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Not a little-endian 64-bit ELF file.");
        var table = (int)U64(elf, 0x28);
        var size = U16(elf, 0x3A);
        var count = U16(elf, 0x3C);
        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var at = table + i * size;
            sections.Add(new Section(U32(elf, at + 4), U64(elf, at + 0x18), U32(elf, at + 0x28), U32(elf, at + 0x2C)));
        }
        return sections;
    }

    private static ushort U16(byte[] b, int at) => BitConverter.ToUInt16(b, at);
    private static uint U32(byte[] b, int at) => BitConverter.ToUInt32(b, at);
    private static ulong U64(byte[] b, int at) => BitConverter.ToUInt64(b, at);

    private static string CString(byte[] b, int at)
    {
        var end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}

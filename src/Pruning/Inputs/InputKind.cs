using Mono.Unix;

namespace Sweeps.Pruning.Inputs;

/// <summary>What a path is once links are followed: only regular files and folders are ever opened as inputs.</summary>
public enum InputKind { Missing, RegularFile, Folder, Special }

public static class InputKinds
{
    /// <summary>
    /// stat(2), not File.Exists: .NET reports a FIFO or a device as an ordinary file of length 0, and opening a FIFO
    /// blocks until a writer comes.
    /// </summary>
    public static InputKind Of(string path)
    {
        try
        {
            var info = new UnixFileInfo(path);
            if (!info.Exists) return InputKind.Missing;
            return info.FileType switch
            {
                FileTypes.RegularFile => InputKind.RegularFile,
                FileTypes.Directory => InputKind.Folder,
                _ => InputKind.Special,
            };
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or InvalidOperationException)
        {
            return InputKind.Missing;
        }
    }

    public static string Describe(string path) => new UnixFileInfo(path) switch
    {
        { Exists: false } => "missing",
        { FileType: FileTypes.Fifo } => "a FIFO",
        { FileType: FileTypes.CharacterDevice or FileTypes.BlockDevice } => "a device",
        { FileType: FileTypes.Socket } => "a socket",
        { FileType: FileTypes.Directory } => "a folder",
        _ => "a file",
    };
}

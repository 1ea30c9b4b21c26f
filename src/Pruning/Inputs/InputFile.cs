using System.Text;

namespace Sweeps.Pruning.Inputs;

/// <summary>
/// Reads an input file only if it is a regular file, never more than a cap chosen for the kind of file, counted while
/// reading (a device or a file that grows reports a length that means nothing).
/// </summary>
public static class InputFile
{
    // Caps per kind of file: far above any real one, far below what would exhaust memory.
    public const long GridBytes = 1L << 20;
    public const long JsonConfigBytes = 4L << 20;
    public const long VocabularyBytes = 64L << 20;
    public const long TableBytes = 2L << 30;
    public const long SquadJsonBytes = 1L << 30;
    public const long FingerprintCacheBytes = 64L << 20;

    /// <summary>Throws unless <paramref name="path"/> is a regular file (links followed).</summary>
    public static void RequireRegular(string path, string what)
    {
        var kind = InputKinds.Of(path);
        if (kind == InputKind.RegularFile) return;
        throw new InputFileException(path, kind == InputKind.Missing
            ? $"not found; expected {what}"
            : $"is {InputKinds.Describe(path)}; expected {what} (a regular file)");
    }

    /// <summary>Throws unless <paramref name="path"/> is a folder (links followed).</summary>
    public static void RequireFolder(string path, string what)
    {
        var kind = InputKinds.Of(path);
        if (kind == InputKind.Folder) return;
        throw new InputFileException(path, kind == InputKind.Missing ? $"not found; expected {what}" : $"is {InputKinds.Describe(path)}; expected {what} (a folder)");
    }

    /// <summary>Opens a regular file for reading; reads past <paramref name="maxBytes"/> throw <see cref="InputFileException"/>.</summary>
    public static Stream OpenRead(string path, long maxBytes, string what)
    {
        RequireRegular(path, what);
        try
        {
            return new CappedStream(File.OpenRead(path), path, maxBytes);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputFileException(path, $"cannot be read (permission denied); expected {what}");
        }
    }

    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        using var stream = OpenRead(path, maxBytes, what);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The file as UTF-8 text; invalid UTF-8 is an error naming the file.</summary>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        var bytes = ReadAllBytes(path, maxBytes, what);
        try
        {
            // A byte-order mark (what some Windows editors put first) is not part of the text, as every UTF-8 reader agrees.
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return text.StartsWith('\uFEFF') ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new InputFileException(path, $"is not valid UTF-8 text; expected {what}");
        }
    }

    public static IEnumerable<string> ReadLines(string path, long maxBytes, string what)
    {
        using var reader = new StreamReader(OpenRead(path, maxBytes, what), new UTF8Encoding(false));
        while (reader.ReadLine() is { } line) yield return line;
    }

    /// <summary>A read-only stream that fails once more than its cap has been read.</summary>
    private sealed class CappedStream(Stream inner, string path, long maxBytes) : Stream
    {
        private long read;

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        private int Count(int n)
        {
            read += n;
            if (read > maxBytes) throw new InputFileException(path, $"is larger than a file of this kind may be: at most {maxBytes:N0} bytes are read");
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

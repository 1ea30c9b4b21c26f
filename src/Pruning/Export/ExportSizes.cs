using System.IO.Compression;

namespace Sweeps.Pruning.Export;

/// <summary>
/// What pruning saves on disk, measured: the trial's artefact (masks at 1 bit per weight, plus its head), the exported
/// weights file, and that file compressed with gzip — zeros compress, so the last is the honest size of a pruned model
/// shipped dense.
/// </summary>
public sealed record ExportSizes(long ArtifactBytes, long WeightsBytes, long CompressedWeightsBytes)
{
    public static ExportSizes Measure(string artifactPath, string weightsPath)
    {
        long compressed;
        using (var input = File.OpenRead(weightsPath))
        {
            var counter = new CountingStream();
            using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true)) input.CopyTo(gzip);
            compressed = counter.Length;
        }
        return new ExportSizes(new FileInfo(artifactPath).Length, new FileInfo(weightsPath).Length, compressed);
    }

    // Counts what is written and keeps none of it: only the compressed size is wanted.
    private sealed class CountingStream : Stream
    {
        private long length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
    }
}

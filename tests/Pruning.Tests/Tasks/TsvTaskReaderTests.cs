using System.Text;
using Sweeps.Pruning.Tasks;

namespace Sweeps.Pruning.Tests.Tasks;

public sealed class TsvTaskReaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sweeps-glue-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string, string, string, int, string?> GlueFixtures => new()
    {
        // task, header (null: none), one data line, expected label, expected text B
        { "sst2", "sentence\tlabel", "a great film\t1", 1, null },
        { "cola", "", "gj04\t0\t*\tthe book was by John written .", 0, null },
        { "mrpc", "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String", "1\t1\t2\tHe left early .\tHe went early .", 1, "He went early ." },
        { "qqp", "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate", "7\t1\t2\tHow old is it ?\tWhat age is it ?\t1", 1, "What age is it ?" },
        { "mnli", "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label",
            "0\t1\t1n\tfiction\t(x)\t(y)\t(x)\t(y)\tThe cat sat .\tA cat is sitting .\tentailment\tcontradiction", 2, "A cat is sitting ." },
        { "qnli", "index\tquestion\tsentence\tlabel", "0\tWho won ?\tThe blue team won .\tnot_entailment", 1, "The blue team won ." },
        { "rte", "index\tsentence1\tsentence2\tlabel", "0\tIt rained .\tThe ground is wet .\tentailment", 0, "The ground is wet ." },
    };

    [Theory]
    [MemberData(nameof(GlueFixtures))]
    public void Read_GlueFolder_ParsesTextsAndLabels(string task, string header, string line, int label, string? textB)
    {
        var format = GlueFormats.Find(task)!;
        var content = (header.Length > 0 ? header + "\n" : "") + line + "\n" + line + "\n";
        foreach (var file in format.DevFiles.Values.Append(format.TrainFile)) File.WriteAllText(Path.Combine(folder, file), content);

        var loaded = TsvTaskReader.Read(format, folder);

        Assert.Equal(2, loaded.Train.Count);
        Assert.Equal(format.DevFiles.Keys.Order(), loaded.Dev.Keys.Order());
        Assert.Equal(label, loaded.Train[0].Label);
        Assert.Equal(textB, loaded.Train[0].TextB);
        Assert.False(string.IsNullOrWhiteSpace(loaded.Train[0].TextA));
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    public void Read_OldMacOrWindowsLineEndings_ReadAsTheLinesTheyAre(string newline)
    {
        var content = string.Join(newline, "sentence\tlabel", "a great film\t1", "a dull film\t0", "");
        foreach (var file in new[] { "train.tsv", "dev.tsv" }) File.WriteAllText(Path.Combine(folder, file), content);

        var loaded = TsvTaskReader.Read(GlueFormats.Find("sst2")!, folder);

        Assert.Equal(["a great film", "a dull film"], loaded.Train.Select(e => e.TextA));
        Assert.Equal([1, 0], loaded.Train.Select(e => e.Label));
    }

    [Fact]
    public void Read_StsB_ParsesScoresAsRegressionTargets()
    {
        var header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore";
        var content = $"{header}\n0\tmain\tf\t2012\t1\tnone\tnone\tA plane takes off .\tAn air plane is taking off .\t5.000\n";
        File.WriteAllText(Path.Combine(folder, "train.tsv"), content);
        File.WriteAllText(Path.Combine(folder, "dev.tsv"), content);

        var loaded = TsvTaskReader.Read(GlueFormats.StsB, folder);

        Assert.True(loaded.IsRegression);
        Assert.Equal(5.0f, loaded.Dev["dev"][0].Label);
    }

    [Fact]
    public void ReadSplit_LineWithMissingColumn_ErrorNamesFileAndLine()
    {
        var path = Write("sentence\tlabel\nfine\t1\nno label here\n");

        var error = Assert.Throws<DataFormatException>(() => TsvTaskReader.ReadSplit(GlueFormats.Sst2, path));
        Assert.Equal(3, error.Line);
        Assert.Contains($"{path}:3:", error.Message);
    }

    [Fact]
    public void ReadSplit_UnknownLabel_ErrorNamesValueAndExpected()
    {
        var path = Write("sentence\tlabel\nfine\tpositive\n");

        var error = Assert.Throws<DataFormatException>(() => TsvTaskReader.ReadSplit(GlueFormats.Sst2, path));
        Assert.Contains("unknown label 'positive'", error.Message);
        Assert.Contains("0, 1", error.Message);
    }

    [Fact]
    public void ReadSplit_HeaderWithoutTextColumn_ErrorNamesTheColumn()
    {
        var path = Write("text\tlabel\nfine\t1\n");

        var error = Assert.Throws<DataFormatException>(() => TsvTaskReader.ReadSplit(GlueFormats.Sst2, path));
        Assert.Contains("'sentence'", error.Message);
    }

    [Fact]
    public void ReadSplit_EmptyFile_Error() =>
        Assert.Throws<DataFormatException>(() => TsvTaskReader.ReadSplit(GlueFormats.Sst2, Write("")));

    [Fact]
    public void ReadSplit_BinaryFile_ErrorSaysBinary()
    {
        var path = Path.Combine(folder, "binary.tsv");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF]);

        var error = Assert.Throws<DataFormatException>(() => TsvTaskReader.ReadSplit(GlueFormats.Sst2, path));
        Assert.Contains("binary", error.Message);
    }

    [Fact]
    public void Read_MissingDevFile_ErrorNamesIt()
    {
        File.WriteAllText(Path.Combine(folder, "train.tsv"), "sentence\tlabel\nfine\t1\n");

        var error = Assert.Throws<DataFormatException>(() => TsvTaskReader.Read(GlueFormats.Sst2, folder));
        Assert.Contains("dev.tsv", error.Message);
    }

    private string Write(string content)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.tsv");
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }
}

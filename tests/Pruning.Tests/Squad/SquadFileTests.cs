using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Tasks;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Squad;

public sealed class SquadFileTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Load_OfficialLayout_EveryQuestionWithItsAnswers()
    {
        var path = folder.Write("dev-v1.1.json", """
            {"version": "1.1", "data": [{"title": "Super_Bowl_50", "paragraphs": [
              {"context": "The Denver Broncos defeated the Carolina Panthers.",
               "qas": [{"id": "q1", "question": "Who won?", "answers": [{"text": "Denver Broncos", "answer_start": 4}, {"text": "Broncos", "answer_start": 11}]},
                       {"id": "q2", "question": "Who lost?", "answers": [{"text": "Carolina Panthers", "answer_start": 32}]}]}]}]}
            """);

        var examples = SquadFile.Load(path);

        Assert.Equal(["q1", "q2"], examples.Select(e => e.Id));
        Assert.Equal(["Denver Broncos", "Broncos"], examples[0].Answers.Select(a => a.Text));
        Assert.Equal(32, examples[1].Answers[0].Start);
    }

    [Theory]
    [InlineData("""{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "q", "question": "?", "answers": [{"text": "bc", "answer_start": 0}]}]}]}]}""", "data[0].paragraphs[0].qas[0].answers[0]: answer_start 0 does not point at 'bc'")]
    [InlineData("""{"data": [{"paragraphs": [{"context": "abc", "qas": [{"id": "q", "question": "?", "answers": []}]}]}]}""", "data[0].paragraphs[0].qas[0]: no answers")]
    [InlineData("""{"data": [{"paragraphs": [{"qas": []}]}]}""", "data[0].paragraphs[0]: expected a string \"context\"")]
    [InlineData("""{"version": "1.1"}""", "expected an object with a \"data\" array")]
    [InlineData("""{"data": [""", "not valid JSON")]
    [InlineData("""{"data": [{"paragraphs": [{"context": "ab", "qas": [{"id": "q", "question": "?", "answers": [{"text": "a", "answer_start": 0}]}, {"id": "q", "question": "?", "answers": [{"text": "a", "answer_start": 0}]}]}]}]}""", "question id 'q' appears twice")]
    public void Load_BrokenFile_ErrorNamesFileAndWhere(string json, string expected)
    {
        var path = folder.Write("broken.json", json);

        var error = Assert.Throws<DataFormatException>(() => SquadFile.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}

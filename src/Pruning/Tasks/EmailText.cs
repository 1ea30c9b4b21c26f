using System.Text.RegularExpressions;
using System.Text;
using HtmlAgilityPack;
using MimeKit;

namespace Sweeps.Pruning.Tasks;

/// <summary>
/// Reduces a raw e-mail to what a reader sees: the subject and the body text, HTML stripped. Headers are dropped
/// on purpose: relays, spam-filter stamps and the like give the label away.
/// </summary>
public static partial class EmailText
{
    private const int MaxBodyCharacters = 4000;

    public static (string Subject, string Body) Extract(string rawEmail)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(rawEmail)));
        }
        catch (FormatException)
        {
            return ("", Clean(rawEmail));
        }

        var body = message.TextBody;
        if (body is null || LooksLikeHtml().IsMatch(body)) body = StripHtml(message.HtmlBody ?? body ?? "");
        return (Clean(message.Subject ?? ""), Truncate(Clean(body)));
    }

    private static string StripHtml(string html)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        foreach (var node in document.DocumentNode.SelectNodes("//script|//style") ?? Enumerable.Empty<HtmlNode>())
            node.Remove();
        return HtmlEntity.DeEntitize(document.DocumentNode.InnerText);
    }

    // Tabs and line breaks would break the TSV the task is stored in; runs of white space carry no meaning.
    private static string Clean(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Truncate(string text) => text.Length <= MaxBodyCharacters ? text : text[..MaxBodyCharacters];

    [GeneratedRegex(@"[\s\p{Cc}]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<\s*(html|body|p|br|div|font|table|a)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LooksLikeHtml();
}

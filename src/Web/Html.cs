using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Sweeps.Artifacts;

namespace Sweeps.Web;

/// <summary>One part of a page that updates live: its element id and its inner HTML.</summary>
public sealed record PageSection(string Id, string Heading, string Content);

/// <summary>A page: its title, the way back up, and its sections in order.</summary>
public sealed record Page(string Title, IReadOnlyList<(string Text, string Href)> Trail, IReadOnlyList<PageSection> Sections);

/// <summary>Small HTML helpers and the layout every page shares (no template engine: the pages are a few tables).</summary>
public static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A path segment, escaped.</summary>
    public static string U(string segment) => Uri.EscapeDataString(segment);

    public static string Number(double value, string format = "F4") =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "–";

    public static string Bytes(long bytes) => MemorySize.Format(bytes);

    /// <summary>A table whose cells are HTML already; wrapped so that a phone scrolls it sideways rather than the page.</summary>
    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows, string? caption = null, string css = "")
    {
        var text = new StringBuilder($"<div class=\"scroll\"><table class=\"{css}\">");
        if (caption is not null) text.Append($"<caption>{caption}</caption>");
        text.Append("<thead><tr>").AppendJoin("", headers.Select(h => $"<th>{h}</th>")).Append("</tr></thead><tbody>");
        foreach (var row in rows) text.Append("<tr>").AppendJoin("", row.Select(c => c.StartsWith("<td", StringComparison.Ordinal) ? c : $"<td>{c}</td>")).Append("</tr>");
        return text.Append("</tbody></table></div>").ToString();
    }

    /// <summary>A definition list of (term, HTML) pairs.</summary>
    public static string Facts(IEnumerable<(string Term, string Html)> facts) =>
        "<dl class=\"facts\">" + string.Concat(facts.Select(f => $"<dt>{E(f.Term)}</dt><dd>{f.Html}</dd>")) + "</dl>";

    public static string Document(Page page)
    {
        var text = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        text.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        text.Append($"<title>{E(page.Title)} · Sweeps</title><link rel=\"stylesheet\" href=\"/sweeps/assets/sweeps.css\">");
        text.Append("<link rel=\"icon\" href=\"data:,\"></head><body><header><nav>");
        text.AppendJoin(" <span class=\"sep\">/</span> ", page.Trail.Select(t => $"<a href=\"{t.Href}\">{E(t.Text)}</a>"));
        text.Append($"</nav><span id=\"live-state\" class=\"live\">loading…</span></header><main><h1>{E(page.Title)}</h1>");
        foreach (var section in page.Sections)
            text.Append($"<section><h2>{E(section.Heading)}</h2><div id=\"{section.Id}\">{section.Content}</div></section>");
        return text.Append("</main><script src=\"/sweeps/assets/live.js\"></script></body></html>").ToString();
    }
}

using Spectre.Console;
using Spectre.Console.Rendering;

namespace Platform.Ctl.Output;

/// <summary>Borderless, left-aligned columns as kubectl prints them, via Spectre.Console; never wrapped when redirected.</summary>
public static class TablePrinter
{
    public static void Write(IAnsiConsole console, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, bool withHeaders = true)
    {
        var table = new Table().NoBorder().HideHeaders();
        table.ShowHeaders = withHeaders;
        foreach (var h in headers) table.AddColumn(new TableColumn(Markup.Escape(h)) { Padding = new Padding(0, 0, 3, 0), NoWrap = true });
        foreach (var row in rows) table.AddRow(row.Select(c => (IRenderable)new Text(c)).ToArray());
        console.Write(table);
    }
}

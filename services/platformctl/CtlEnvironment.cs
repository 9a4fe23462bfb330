using Spectre.Console;

namespace Platform.Ctl;

/// <summary>Where platformctl reads and writes, so tests run it in-process with their own streams and variables.</summary>
public sealed record CtlEnvironment(TextWriter Out, TextWriter Error, TextReader In, IReadOnlyDictionary<string, string?> Variables)
{
    public static CtlEnvironment FromProcess() => new(System.Console.Out, System.Console.Error, System.Console.In,
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value));

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>A Spectre console on <see cref="Out"/>, wide enough that tables never wrap when piped.</summary>
    public IAnsiConsole Console()
    {
        var redirected = !ReferenceEquals(Out, System.Console.Out) || System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (redirected) console.Profile.Width = 400;
        return console;
    }
}

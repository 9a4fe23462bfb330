using System.CommandLine;
using Platform.Ctl.Commands;

namespace Platform.Ctl;

/// <summary>The command tree. <see cref="RunAsync"/> is the whole program, callable in-process by tests.</summary>
public static class CtlApp
{
    public static async Task<int> RunAsync(string[] args, CtlEnvironment env, CancellationToken ct = default)
    {
        var g = new GlobalOptions();
        var root = new RootCommand("platformctl: manage the platform's resources through the apiserver (kubectl-style)");
        g.AddTo(root);
        root.Subcommands.Add(ApplyCommand.Create(g, env));
        root.Subcommands.Add(GetCommand.Create(g, env));
        root.Subcommands.Add(DescribeCommand.Create(g, env));
        root.Subcommands.Add(DeleteCommand.Create(g, env));
        root.Subcommands.Add(ScaleCommand.Create(g, env));
        foreach (var c in NodeCommands.Create(g, env)) root.Subcommands.Add(c);
        root.Subcommands.Add(TopCommand.Create(g, env));
        root.Subcommands.Add(LogsCommand.Create(g, env));
        root.Subcommands.Add(ExecCommand.Create(g, env));
        root.Subcommands.Add(CreateCommand.Create(g, env));
        root.Subcommands.Add(RolloutCommand.Create(g, env));
        root.Subcommands.Add(ConfigCommand.Create(g, env));
        root.Subcommands.Add(KafkaTopicsCommand.Create(g, env));
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error }, ct);
    }

    /// <summary>Runs a command body; a <see cref="CtlException"/> or unreachable server is one line on stderr and exit code 1.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(CtlEnvironment env, Func<ParseResult, CancellationToken, Task> body) =>
        Action(env, async (parse, ct) =>
        {
            await body(parse, ct);
            return 0;
        });

    /// <summary>As above, for a body that decides the exit code (<c>exec</c> exits with the command's).</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(CtlEnvironment env, Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, ct) =>
        {
            try
            {
                return await body(parse, ct);
            }
            catch (CtlException ex)
            {
                await env.Error.WriteLineAsync("error: " + ex.Message);
                return 1;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C, e.g. ending `get -w`: the conventional exit code of SIGINT.
                return 130;
            }
            catch (HttpRequestException ex)
            {
                await env.Error.WriteLineAsync($"error: cannot reach the apiserver ({ex.Message})");
                return 1;
            }
        };
}

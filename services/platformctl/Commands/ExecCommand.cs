using System.CommandLine;
using System.Net.WebSockets;
using System.Text;
using Platform.Ctl.Streams;
using Platform.RemoteCommand;

namespace Platform.Ctl.Commands;

/// <summary>
/// <c>exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS...]</c>: the apiserver's <c>pods/exec</c> WebSocket (the
/// channel protocol kubectl speaks). Output is printed as it arrives; platformctl exits with the command's exit code.
/// </summary>
public static class ExecCommand
{
    public static Command Create(GlobalOptions g, CtlEnvironment env)
    {
        var pod = new Argument<string>("pod") { Description = "the pod (NAME or pod/NAME)" };
        var command = new Argument<string[]>("command") { Description = "the command and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
        var container = new Option<string?>("--container", "-c") { Description = "the container (required when the pod has several)" };
        var stdin = new Option<bool>("--stdin", "-i") { Description = "pass platformctl's stdin to the command" };
        var tty = new Option<bool>("--tty", "-t") { Description = "run the command in a terminal of the current window's size (stderr joins stdout; the local terminal stays line-buffered)" };
        var cmd = new Command("exec", "Run a command in a container of a pod") { pod, command, container, stdin, tty };
        cmd.SetAction(CtlApp.Action(env, async (parse, ct) =>
        {
            var name = parse.GetValue(pod)!;
            if (name.StartsWith("pod/", StringComparison.Ordinal) || name.StartsWith("pods/", StringComparison.Ordinal)) name = name[(name.IndexOf('/') + 1)..];
            var (withStdin, withTty) = (parse.GetValue(stdin), parse.GetValue(tty));
            var query = new StringBuilder("?stdout=true");
            foreach (var arg in parse.GetValue(command)!) query.Append("&command=").Append(Uri.EscapeDataString(arg));
            if (parse.GetValue(container) is { Length: > 0 } c) query.Append("&container=").Append(Uri.EscapeDataString(c));
            query.Append(withStdin ? "&stdin=true" : "").Append(withTty ? "&tty=true" : "&stderr=true");

            using var session = CtlSession.Create(parse, g, env);
            var path = $"/api/v1/namespaces/{Uri.EscapeDataString(session.Namespace)}/pods/{Uri.EscapeDataString(name)}/exec{query}";
            await using var exec = await ConnectAsync(session, path, ct);
            if (withTty && !Console.IsOutputRedirected)
                await exec.ResizeAsync(new TerminalSize((ushort)Console.WindowWidth, (ushort)Console.WindowHeight), ct);
            var input = withStdin ? CopyStdinAsync(env.In, exec, ct) : Task.CompletedTask;
            var (exit, message) = await exec.ReadOutputAsync(new TextWriterStream(env.Out), new TextWriterStream(env.Error), ct);
            // A command may end before reading all of stdin; platformctl's own stdin then simply stops mattering.
            if (input.IsFaulted) await env.Error.WriteLineAsync($"warning: stdin was not passed on completely: {input.Exception!.InnerException!.Message}");
            if (exit is null) throw new CtlException(message!);
            if (exit != 0) await env.Error.WriteLineAsync($"command terminated with exit code {exit}");
            return exit.Value;
        }));
        return cmd;
    }

    /// <summary>Opens the WebSocket; a refused upgrade is asked again as a plain GET, whose Status says why (pod not found, forbidden).</summary>
    private static async Task<RemoteCommandClient> ConnectAsync(CtlSession session, string path, CancellationToken ct)
    {
        var url = new UriBuilder(new Uri(session.Server, path)) { Scheme = session.Server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        try
        {
            return await RemoteCommandClient.ConnectAsync(url, o =>
            {
                if (session.Token is { } token) o.SetRequestHeader("Authorization", "Bearer " + token);
            }, ct);
        }
        catch (WebSocketException ex)
        {
            await session.Api.GetRawAsync(path, ct);   // throws the apiserver's reason as a CtlException
            throw new CtlException($"the apiserver refused the exec stream: {ex.Message}");
        }
    }

    private static async Task CopyStdinAsync(TextReader input, RemoteCommandClient exec, CancellationToken ct)
    {
        var chars = new char[16 * 1024];
        int n;
        while ((n = await input.ReadAsync(chars.AsMemory(), ct)) > 0)
            await exec.WriteStdinAsync(Encoding.UTF8.GetBytes(chars, 0, n), ct);
        await exec.CloseStdinAsync(ct);
    }
}

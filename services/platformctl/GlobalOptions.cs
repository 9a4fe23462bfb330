using System.CommandLine;
using Platform.Ctl.Config;

namespace Platform.Ctl;

/// <summary>Options every command takes.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server", "-s") { Description = "apiserver URL (default: PLATFORM_APISERVER_URL, the context, http://127.0.0.1:7070)", Recursive = true };
    public Option<string?> CertificateAuthority { get; } = new("--certificate-authority") { Description = "PEM CA the apiserver's HTTPS certificate is checked against (default: PLATFORM_CA_FILE, the context; none: the system's roots)", Recursive = true };
    public Option<string?> Token { get; } = new("--token") { Description = "bearer token (default: PLATFORM_TOKEN, the context)", Recursive = true };
    public Option<string?> Context { get; } = new("--context") { Description = "use this context of the config file", Recursive = true };
    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "namespace (default: the context's, or default)", Recursive = true };
    public Option<string?> Config { get; } = new("--config") { Description = "config file (default: PLATFORMCTL_CONFIG or ~/.platformctl/config.json)", Recursive = true };

    public string ConfigPath(System.CommandLine.ParseResult parse, CtlEnvironment env) => parse.GetValue(Config) ?? CtlConfig.DefaultPath(env.Variables);

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Server);
        root.Options.Add(CertificateAuthority);
        root.Options.Add(Token);
        root.Options.Add(Context);
        root.Options.Add(Namespace);
        root.Options.Add(Config);
    }
}

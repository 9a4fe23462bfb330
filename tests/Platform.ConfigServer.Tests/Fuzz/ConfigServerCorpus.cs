using System.Text;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing.Fuzz;

namespace Platform.ConfigServer.Tests.Fuzz;

/// <summary>
/// What Spring Cloud Config clients, curl and Git webhooks send the config server (environment, file-style documents,
/// plain-text files, /encrypt and /decrypt, bus refresh, /monitor), bent by the shared <see cref="Mutator"/>:
/// traversal and control characters in path segments, huge names, wrong credentials, malformed bodies.
/// </summary>
internal sealed class ConfigServerCorpus
{
    /// <summary>The environment tests' repository, plus a placeholder that refers to itself.</summary>
    public static TempRepo Repository() => TempRepo.Sample().With("loop.yml", "loop:\n  a: ${loop.a}\n  b: ${loop.b:${loop.a}}\n");

    private static readonly string[] Apps = ["orders", "application", "orders,billing", "loop", "nobody"];
    private static readonly string[] Profiles = ["dev", "prod", "default", "dev,prod"];
    private static readonly string[] Labels = ["main", "release(_)1.0", "v2"];
    private static readonly string[] Extensions = ["yml", "yaml", "properties", "json"];

    private const string PushPayload = """{"ref":"refs/heads/main","commits":[{"id":"abc","added":[],"modified":["orders-dev.yml"],"removed":["application.yml"]}]}""";

    public FuzzRequest Next(Mutator m)
    {
        var (app, profile, label) = (m.Pick(Apps), m.Pick(Profiles), m.Pick(Labels));
        var request = m.Next(12) switch
        {
            0 or 1 => new FuzzRequest(m.Method("GET"), m.Path(app, profile) + Resolve(m)) { Label = "environment" },
            2 => new FuzzRequest(m.Method("GET"), m.Path(app, profile, label) + Resolve(m)) { Label = "environment-label" },
            3 => new FuzzRequest("GET", "/" + Mutated(m, app) + "-" + Mutated(m, profile) + "." + m.Pick(Extensions) + Resolve(m)) { Label = "document" },
            4 => new FuzzRequest("GET", "/" + Mutated(m, label) + "/" + Mutated(m, app) + "-" + Mutated(m, profile) + "." + m.Pick(Extensions)) { Label = "document-label" },
            5 => new FuzzRequest(m.Method("GET"), m.Path(app, profile, label, "nginx.conf") + (m.OneIn(3) ? "/" + m.Segment("conf") : "")) { Label = "plain-text" },
            6 => Crypto(m, "/encrypt", "s3cr3t value"),
            7 => Crypto(m, "/decrypt", m.Pick("00112233445566778899aabbccddeeff672b2ff7726818c2fe784f10f080fb8b", "{cipher}abcdef", "zz", "")),
            8 => new FuzzRequest(m.Method("GET"), m.Pick("/encrypt/status", "/key", "/healthz", "/readyz") + (m.OneIn(3) ? m.Query(("x", "1")) : "")) { Label = "status" },
            9 => new FuzzRequest(m.Method("POST"), "/actuator/busrefresh" + (m.OneIn(4) ? "" : "/" + m.Segment(m.Pick("customers", "customers:**", "orders:8080")))) { Label = "busrefresh" },
            _ => Monitor(m),
        };
        return Authorize(m, request);
    }

    private static string Resolve(Mutator m) => m.OneIn(4) ? m.Query(("resolvePlaceholders", m.Pick("true", "false"))) : "";

    /// <summary>A name for inside a <c>{name}-{profiles}.ext</c> segment: mostly real, sometimes hostile.</summary>
    private static string Mutated(Mutator m, string real) => m.OneIn(3) ? m.Segment(real) : Uri.EscapeDataString(real);

    private static FuzzRequest Crypto(Mutator m, string path, string text)
    {
        var request = new FuzzRequest(m.Method("POST"), path) { Label = path.TrimStart('/') };
        return m.Next(6) switch
        {
            0 => request.WithBody(text + "=", "application/x-www-form-urlencoded"),
            1 => request.WithBody(m.InvalidUtf8(text), m.ContentType("text/plain")),
            2 => request.WithBody(m.RandomBytes(), m.ContentType("application/octet-stream")),
            3 => request.WithBody(new string('a', m.Next(60_000, 70_000)), "text/plain"),
            4 => request.WithBody(m.MutateText(text), m.ContentType("text/plain")),
            _ => request.WithBody(text, "text/plain"),
        };
    }

    private static FuzzRequest Monitor(Mutator m)
    {
        var request = new FuzzRequest(m.Method("POST"), "/monitor") { Label = "monitor" };
        if (m.OneIn(4)) request = request.WithHeader("X-GitHub-Event", m.HeaderValue("push"));
        return m.Next(3) switch
        {
            0 => request.WithBody("path=" + Uri.EscapeDataString(m.MutateText("orders.yml")), "application/x-www-form-urlencoded"),
            1 => request.WithBody(Encoding.UTF8.GetBytes(m.BrokenYaml()), m.ContentType("application/json")),
            _ => request.WithBody(m.JsonBody(PushPayload), m.ContentType("application/json")),
        };
    }

    /// <summary>HTTP Basic as Spring clients send it most of the time; otherwise the bearer token, nothing, or a broken header.</summary>
    private static FuzzRequest Authorize(Mutator m, FuzzRequest request)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConfigServerHost.User}:{ConfigServerHost.Password}"));
        return m.Next(10) switch
        {
            0 => request,
            1 => request.WithHeader("Authorization", "Bearer " + ConfigServerHost.Token),
            2 => request.WithHeader("Authorization", m.Pick("Basic !!!notbase64", "Basic " + Convert.ToBase64String("nocolon"u8), "Digest x", "Bearer", "Basic ")),
            3 => request.WithHeader("Authorization", "Basic " + m.HeaderValue(basic)),
            _ => request.WithHeader("Authorization", "Basic " + basic),
        };
    }
}

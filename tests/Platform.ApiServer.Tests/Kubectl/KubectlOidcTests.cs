using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Oidc;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl with an OIDC ID token (<c>--token=&lt;id_token&gt;</c>, as a kubelogin-style credential plugin hands it
/// over): <c>auth whoami</c> names the issuer's user, pods in the namespace its RoleBinding names are listed, and
/// another namespace answers Forbidden naming that user.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlOidcTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task KubectlWithIdToken_GetsPodsInItsNamespace_AndForbiddenNamingTheUserElsewhere()
    {
        await using var idp = await OidcTestServer.StartAsync();
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:Oidc:IssuerUrl"] = idp.Issuer;
            s["ApiServer:Oidc:ClientId"] = "kubectl";
            s["ApiServer:Oidc:UsernamePrefix"] = "oidc:";
        }, builderHook: kubectl.UseHttps);
        var ns = "oidc-" + Guid.NewGuid().ToString("N")[..8];
        var other = "other-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        foreach (var n in new[] { ns, other }) await kubectl.OkAsync(null, "create", "namespace", n);
        await kubectl.OkAsync(null, "run", "web", "--image=nginx:1.25", "-n", ns);
        await kubectl.OkAsync(null, "run", "db", "--image=postgres:16", "-n", other);
        await kubectl.OkAsync(null, "create", "rolebinding", "carol-edit", "--clusterrole=edit", "--user=oidc:carol", "-n", ns);

        var token = "--token=" + idp.Token(audience: "kubectl", subject: "carol");
        Assert.Contains("oidc:carol", await kubectl.OkAsync(null, "auth", "whoami", token));
        await Eventually.WaitAsync(async () => (await kubectl.RunAsync(null, "get", "pods", token)).ExitCode == 0, TimeSpan.FromSeconds(15), "the binding reaches the authorizer");
        Assert.Contains("web", await kubectl.OkAsync(null, "get", "pods", "-o", "name", token));

        var (code, _, stderr) = await kubectl.RunAsync(null, "get", "pods", "-n", other, token);
        Assert.NotEqual(0, code);
        Assert.Contains("Forbidden", stderr, StringComparison.Ordinal);
        Assert.Contains("\"oidc:carol\"", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("db", (await kubectl.RunAsync(null, "get", "pods", "-n", other, "-o", "name", token)).Stdout);
    }
}

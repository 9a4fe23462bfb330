using Platform.ApiServer.PodSecurity;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using static Platform.ApiServer.Tests.PodSecurity.PodSecurityApi;

namespace Platform.ApiServer.Tests.PodSecurity;

/// <summary>Volume names and paths cannot climb out of where they belong, at any Pod Security level: 422 naming the field.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class VolumeValidationTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task VolumeNamesAndPathsWithDotDot_Are422NamingTheField_EvenInAPrivilegedNamespace()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.LabelAsync(ns, (PodSecurityLabels.Enforce, "privileged"));
        var pods = $"/api/v1/namespaces/{ns}/pods";

        async Task<(string Field, string Reason)> RefusedAsync(string volumes, string mount)
        {
            var body = await http.PostAsync(pods, Pod("p", $$"""{"containers":[{"name":"main","image":"x","volumeMounts":[{{mount}}]}],"volumes":[{{volumes}}]}""")).ExpectAsync(422);
            var error = body["errors"]![0]!; // the first: a mount of an invalid volume is refused as well
            return ((string)error["field"]!, (string)error["reason"]!);
        }

        Assert.Equal(("spec.volumes[0].name", "'../../etc' must be a DNS-1123 label (at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit)"),
            await RefusedAsync("""{"name":"../../etc","emptyDir":{}}""", """{"name":"../../etc","mountPath":"/data"}"""));
        Assert.Equal(("spec.containers[0].volumeMounts[0].mountPath", "must not contain '..'"),
            await RefusedAsync("""{"name":"data","emptyDir":{}}""", """{"name":"data","mountPath":"/data/../etc"}"""));
        Assert.Equal(("spec.containers[0].volumeMounts[0].subPath", "must not contain '..'"),
            await RefusedAsync("""{"name":"data","emptyDir":{}}""", """{"name":"data","mountPath":"/data","subPath":"a/../../x"}"""));
        Assert.Equal(("spec.containers[0].volumeMounts[0].subPath", "must be a relative path"),
            await RefusedAsync("""{"name":"data","emptyDir":{}}""", """{"name":"data","mountPath":"/data","subPath":"/etc"}"""));
        Assert.Equal(("spec.volumes[0].hostPath.path", "must not contain '..'"),
            await RefusedAsync("""{"name":"host","hostPath":{"path":"/var/../etc"}}""", """{"name":"host","mountPath":"/host"}"""));
        Assert.Equal(("spec.containers[0].volumeMounts[0].name", "'other' is not the name of a volume of the pod"),
            await RefusedAsync("""{"name":"data","emptyDir":{}}""", """{"name":"other","mountPath":"/data"}"""));

        // The manifest in the namespace's template form: a Deployment is refused the same way.
        var deployment = await http.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"x"}],"volumes":[{"name":"../x","emptyDir":{}}]}}}}
            """)).ExpectAsync(422);
        Assert.Equal("spec.template.spec.volumes[0].name", (string?)deployment["errors"]![0]!["field"]);

        await http.PostAsync(pods, Pod("ok", """{"containers":[{"name":"main","image":"x","volumeMounts":[{"name":"data","mountPath":"/data","subPath":"logs/app"}]}],"volumes":[{"name":"data","emptyDir":{}}]}""")).ExpectAsync(201);
    }
}

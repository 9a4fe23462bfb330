using System.Text.Json.Nodes;

namespace Platform.Console.Apiserver;

/// <summary><c>SelfSubjectAccessReview</c> (<c>kubectl auth can-i</c>) asked with a user's token; an error counts as no.</summary>
internal static class AccessReview
{
    private const string ReviewPath = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    /// <summary>May the token's user do <paramref name="verb"/> on <paramref name="resource"/> in <paramref name="ns"/> (null: every namespace / cluster scope)?</summary>
    public static async Task<bool> AllowsAsync(Platform.ApiServer.Client.ApiClient user, string verb, string group, string resource, string? ns, CancellationToken ct)
    {
        var attributes = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource };
        if (ns is not null) attributes["namespace"] = ns;
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = attributes },
        };
        try
        {
            var answer = await user.SendAsync(HttpMethod.Post, ReviewPath, review, ct);
            return (bool?)answer.Object["status"]?["allowed"] ?? false;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

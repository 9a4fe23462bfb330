using System.Net;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Console.Apiserver;

namespace Platform.Console.Auth;

/// <summary>
/// Checks a bearer token by asking the apiserver who it belongs to (<c>SelfSubjectReview</c>, what
/// <c>kubectl auth whoami</c> does): any valid token may ask, an unknown or expired one is 401.
/// </summary>
internal sealed class TokenSignIn(ApiServerClients clients)
{
    public const int MaxTokenLength = 8192;
    private const string ReviewPath = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    public sealed record Outcome(string? UserName, IReadOnlyList<string> Groups, string? Error);

    public async Task<Outcome> ReviewAsync(string? token, CancellationToken ct)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token)) return new(null, [], "token: required");
        if (token.Length > MaxTokenLength) return new(null, [], $"token: at most {MaxTokenLength} characters");
        if (token.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return new(null, [], "token: must not contain spaces or control characters");
        try
        {
            var review = new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" };
            var answer = await clients.For(token).SendAsync(HttpMethod.Post, ReviewPath, review, ct);
            var info = answer.Object["status"]?["userInfo"];
            var name = (string?)info?["username"];
            if (string.IsNullOrEmpty(name)) return new(null, [], "the apiserver answered without a user name");
            var groups = info?["groups"] is JsonArray g ? g.Select(x => (string?)x).OfType<string>().ToList() : [];
            return new(name, groups, null);
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new(null, [], "the apiserver does not accept this token (401 Unauthorized)");
        }
        catch (ApiException ex)
        {
            return new(null, [], $"the apiserver refused the review: {(int?)ex.StatusCode} {ex.Detail}");
        }
        catch (HttpRequestException ex)
        {
            return new(null, [], "the apiserver cannot be reached: " + ex.Message);
        }
    }
}

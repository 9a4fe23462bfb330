using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ConfigServer.Security;

namespace Platform.ConfigServer.Encryption;

/// <summary>Spring's encryption API: <c>POST /encrypt</c>, <c>POST /decrypt</c>, <c>GET /encrypt/status</c>, <c>GET /key</c>.</summary>
internal static class EncryptionEndpoints
{
    private const int MaxBody = 64 * 1024;

    public static IEndpointRouteBuilder MapEncryptionApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("").RequireAuthorization(Policies.Admin).WithTags("encryption");
        admin.MapPost("/encrypt", Encrypt);
        admin.MapPost("/decrypt", Decrypt);
        var read = routes.MapGroup("").RequireAuthorization(Policies.Read).WithTags("encryption");
        read.MapGet("/encrypt/status", Status);
        read.MapGet("/key", PublicKey);
        return routes;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Encrypt(HttpRequest request, EncryptorProvider provider)
    {
        if (provider.Encryptor is not { } encryptor) return NoKey();
        var (text, problem) = await ReadBodyAsync(request);
        if (problem is not null) return problem;
        return TypedResults.Content(encryptor.Encrypt(text!), "text/plain; charset=utf-8");
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Decrypt(HttpRequest request, EncryptorProvider provider)
    {
        if (provider.Encryptor is not { } encryptor) return NoKey();
        var (text, problem) = await ReadBodyAsync(request);
        if (problem is not null) return problem;
        var cipher = text!.StartsWith(CipherValueDecryptor.Prefix, StringComparison.Ordinal) ? text[CipherValueDecryptor.Prefix.Length..] : text;
        try
        {
            return TypedResults.Content(encryptor.Decrypt(cipher), "text/plain; charset=utf-8");
        }
        catch (CryptographicException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad Request", detail: $"body: cannot decrypt ({ex.Message})");
        }
    }

    internal static Results<Ok<EncryptionStatus>, NotFound<EncryptionStatus>> Status(EncryptorProvider provider) =>
        provider.Encryptor is null
            ? TypedResults.NotFound(new EncryptionStatus("NO_KEY", "No key was installed for encryption service"))
            : TypedResults.Ok(new EncryptionStatus("OK", null));

    /// <summary>Only an RSA key has a public half; with a symmetric key Spring answers 404 too.</summary>
    internal static ProblemHttpResult PublicKey(EncryptorProvider provider) =>
        TypedResults.Problem(statusCode: 404, title: "Not Found",
            detail: provider.Encryptor is null ? "key: no key installed (ConfigServer:Encrypt:Key)" : "key: a symmetric key has no public key to share");

    private static ProblemHttpResult NoKey() =>
        TypedResults.Problem(statusCode: 404, title: "Not Found", detail: "ConfigServer:Encrypt:Key: no key was installed for the encryption service");

    /// <summary>
    /// The raw body. <c>curl -d</c> sends it form-encoded, so like Spring a form body is URL-decoded and a
    /// trailing <c>=</c> (an empty form value) is dropped.
    /// </summary>
    private static async Task<(string? Text, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBody)
            return (null, TypedResults.Problem(statusCode: 413, title: "Payload Too Large", detail: $"body: at most {MaxBody} bytes"));
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (text.Length > MaxBody)
            return (null, TypedResults.Problem(statusCode: 413, title: "Payload Too Large", detail: $"body: at most {MaxBody} bytes"));
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            text = WebUtility.UrlDecode(text);
            if (text.EndsWith('=')) text = text[..^1];
        }
        if (text.Length == 0) return (null, TypedResults.Problem(statusCode: 400, title: "Bad Request", detail: "body: must not be empty"));
        return (text, null);
    }
}

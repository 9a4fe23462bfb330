using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ApiServer.Auth;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>Token management for admins: <c>/apis/auth.platform.io/v1/tokens</c>.</summary>
internal static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/apis/auth.platform.io/v1/tokens").RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        g.MapPost("", CreateToken);
        g.MapGet("", ListTokens);
        g.MapDelete("/{name}", DeleteToken);
        return app;
    }

    public static async Task<Created<TokenCreated>> CreateToken(HttpContext ctx, TokenRequest request, TokenStore tokens, CancellationToken ct)
    {
        RequireAdmin(ctx);
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(request.Name)) errors.Add(new("name", "required"));
        else if (!LabelNames.IsDns1123Subdomain(request.Name)) errors.Add(new("name", "must be a DNS-1123 subdomain"));
        Role role = default;
        if (string.IsNullOrEmpty(request.Role)) errors.Add(new("role", "required"));
        else if (!Enum.TryParse(request.Role, ignoreCase: true, out role) || int.TryParse(request.Role, out _) || role is Role.ServiceAccount)
            errors.Add(new("role", $"'{request.Role}' is not one of admin, editor, viewer, node, scheduler, controller, apiserver, user"));
        if (role == Role.Editor && string.IsNullOrEmpty(request.Namespace)) errors.Add(new("namespace", "required for the editor role"));
        if (role == Role.Node && string.IsNullOrEmpty(request.NodeName)) errors.Add(new("nodeName", "required for the node role"));
        if (request.Namespace is { Length: > 0 } ns && !LabelNames.IsDns1123Label(ns)) errors.Add(new("namespace", "must be a DNS-1123 label"));
        if (errors.Count > 0) throw ApiProblem.Invalid("Token", request.Name, errors);
        var ns2 = role is Role.Editor or Role.Viewer ? request.Namespace : null;
        var node = role == Role.Node ? request.NodeName : null;
        var token = await tokens.CreateAsync(request.Name!, role, ns2, node, ct)
            ?? throw ApiProblem.AlreadyExists($"tokens \"{request.Name}\" already exists");
        return TypedResults.Created($"/apis/auth.platform.io/v1/tokens/{request.Name}",
            new TokenCreated(request.Name!, role.ToString().ToLowerInvariant(), ns2, node, token));
    }

    public static async Task<Ok<List<TokenInfo>>> ListTokens(HttpContext ctx, TokenStore tokens, CancellationToken ct)
    {
        RequireAdmin(ctx);
        return TypedResults.Ok(await tokens.ListAsync(ct));
    }

    public static async Task<NoContent> DeleteToken(HttpContext ctx, string name, TokenStore tokens, CancellationToken ct)
    {
        RequireAdmin(ctx);
        if (!await tokens.DeleteAsync(name, ct)) throw ApiProblem.NotFound($"tokens \"{name}\" not found");
        return TypedResults.NoContent();
    }

    private static void RequireAdmin(HttpContext ctx)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        if (caller.Role != Role.Admin) throw ApiProblem.Forbidden($"{caller.Role.ToString().ToLowerInvariant()} token \"{caller.Name}\" may not manage tokens: admin only");
    }
}

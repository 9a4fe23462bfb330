using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Auth;

/// <summary>The roles and scopes a route requires: every listed role, and every listed scope in <c>scope</c>/<c>scp</c>.</summary>
internal sealed record RoleRequirement(IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes)
{
    public static RoleRequirement From(ComponentArgs args) => new(args.List("roles", required: false), args.List("scopes", required: false));

    /// <summary>Null when satisfied, else what is missing.</summary>
    public string? Missing(ClaimsPrincipal user)
    {
        var missingRoles = Roles.Where(r => !user.IsInRole(r)).ToList();
        var granted = user.FindAll("scope").Concat(user.FindAll("scp"))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        var missingScopes = Scopes.Where(s => !granted.Contains(s)).ToList();
        if (missingRoles.Count == 0 && missingScopes.Count == 0) return null;
        return string.Join("; ", new[]
        {
            missingRoles.Count > 0 ? "missing role(s): " + string.Join(", ", missingRoles) : null,
            missingScopes.Count > 0 ? "missing scope(s): " + string.Join(", ", missingScopes) : null,
        }.Where(s => s is not null));
    }

    public Task ForbidAsync(HttpContext ctx, string missing) =>
        Problems.WriteAsync(ctx, StatusCodes.Status403Forbidden, "Forbidden", $"route requires {missing}",
            $"Bearer error=\"insufficient_scope\", error_description=\"{missing}\"");
}

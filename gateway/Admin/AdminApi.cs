using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Platform.Contracts.Routing;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Admin;

/// <summary>Spring Cloud Gateway's actuator endpoints under <c>/actuator/gateway</c>, behind the admin bearer token.</summary>
internal static class AdminApi
{
    public static IEndpointRouteBuilder MapGatewayAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/actuator/gateway").AddEndpointFilter(RequireAdminAsync);
        group.MapGet("/routes", ListRoutes);
        group.MapGet("/routes/{**id}", GetRoute);
        group.MapPost("/routes/{**id}", PostRoute).Accepts<RouteSpec>("application/json");
        group.MapDelete("/routes/{**id}", DeleteRoute);
        group.MapPost("/refresh", Refresh);
        group.MapGet("/conflicts", Conflicts);
        group.MapGet("/globalfilters", GlobalFilters);
        group.MapGet("/routefilters", RouteFilters);
        group.MapGet("/routepredicates", RoutePredicates);
        return app;
    }

    private static async ValueTask<object?> RequireAdminAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.Admin.Token ?? "";
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (presented.Length == 0)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"gateway-admin\"";
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "Authorization: the admin bearer token (Gateway:Admin:Token) is required");
        }
        if (!Platform.ServiceDefaults.SecretComparison.FixedTimeEquals(presented, expected))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"gateway-admin\", error=\"invalid_token\"";
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "Authorization: the bearer token is not the admin token");
        }
        return await next(context);
    }

    internal static Ok<List<RouteView>> ListRoutes(GatewayRuntime runtime) =>
        TypedResults.Ok(runtime.Current.Routes.Select(r => RouteView.From(r, runtime.DefaultFilters)).ToList());

    internal static Results<Ok<RouteView>, ProblemHttpResult> GetRoute(string id, GatewayRuntime runtime) =>
        runtime.Current.Find(id) is { } r
            ? TypedResults.Ok(RouteView.From(r, runtime.DefaultFilters))
            : TypedResults.Problem(statusCode: 404, title: "Not Found", detail: $"id: no route '{id}'");

    /// <summary>
    /// Reads the body itself: the framework's binder turns a charset it does not know (<c>charset=x-unknown</c>) into a
    /// 500; here any body that is not a route definition in UTF-8 JSON is a 400 saying why.
    /// </summary>
    internal static async Task<Results<Created<RouteView>, ProblemHttpResult>> PostRoute(string id, HttpRequest request, GatewayRuntime runtime,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        // Predicates and filters stay JsonElements, read later: bytes that are no UTF-8 would only fail then, as a 500.
        if (!Utf8.IsValid(body.GetBuffer().AsSpan(0, (int)body.Length)))
            return TypedResults.Problem(statusCode: 400, title: "Invalid route", detail: "body: not a route definition in UTF-8 JSON (invalid UTF-8)");
        if (InvalidString(body.GetBuffer().AsSpan(0, (int)body.Length)) is { } invalid)
            return TypedResults.Problem(statusCode: 400, title: "Invalid route", detail: $"body: not a route definition in UTF-8 JSON ({invalid})");
        RouteSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<RouteSpec>(body.GetBuffer().AsSpan(0, (int)body.Length), json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid route", detail: $"body: not a route definition in UTF-8 JSON ({ex.Message})");
        }
        if (spec is null) return TypedResults.Problem(statusCode: 400, title: "Invalid route", detail: "body: a route definition (uri, predicates, filters) is required");
        if (OtherSource(id, runtime) is { } held) return held;
        try
        {
            runtime.Upsert(RouteSpecs.ToDefinition(id, spec, RouteSources.Admin));
        }
        catch (RouteDefinitionException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid route", detail: ex.Message);
        }
        // The id is free text (control characters included); the Location header carries it percent-encoded.
        var location = "/actuator/gateway/routes/" + string.Join('/', id.Split('/').Select(Uri.EscapeDataString));
        return TypedResults.Created(location, RouteView.From(runtime.Current.Find(id)!, runtime.DefaultFilters));
    }

    /// <summary>
    /// A string the JSON grammar allows but .NET cannot hold: a lone surrogate escape (<c>"\ud800"</c>). Predicates and
    /// filters stay JsonElements read later, where it would fail as a 500; every string is decoded once here instead.
    /// </summary>
    private static string? InvalidString(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) reader.GetString();
            }
        }
        catch (InvalidOperationException ex)
        {
            return $"a string at byte {reader.TokenStartIndex}: {ex.Message}";
        }
        catch (JsonException)
        {
            return null; // malformed JSON: the deserializer below says where
        }
        return null;
    }

    internal static Results<Ok, ProblemHttpResult> DeleteRoute(string id, GatewayRuntime runtime) =>
        runtime.Remove(id, RouteSources.Admin)
            ? TypedResults.Ok()
            : OtherSource(id, runtime) ?? TypedResults.Problem(statusCode: 404, title: "Not Found", detail: $"id: no route '{id}'");

    /// <summary>
    /// 409 when the id belongs to the routes file or a Route resource: the admin API neither replaces nor removes
    /// them (a Route is its namespace's, changed through the apiserver where its editors are authorized).
    /// </summary>
    private static ProblemHttpResult? OtherSource(string id, GatewayRuntime runtime) =>
        runtime.SourceOf(id) is { } source && source != RouteSources.Admin
            ? TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"id: route '{id}' comes from {RouteSources.Describe(source)}; change it there")
            : null;

    /// <summary>Route resources held but not served: another namespace's Route claimed an overlapping host and path first.</summary>
    internal static Ok<IReadOnlyList<Tenancy.RouteConflict>> Conflicts(GatewayRuntime runtime) => TypedResults.Ok(runtime.Conflicts);

    internal static Results<Ok, ProblemHttpResult> Refresh(GatewayRuntime runtime)
    {
        try { runtime.Refresh(); }
        catch (RouteDefinitionException ex) { return TypedResults.Problem(statusCode: 409, title: "Refresh rejected", detail: ex.Message); }
        return TypedResults.Ok();
    }

    internal static Ok<Dictionary<string, int>> GlobalFilters(GatewayRuntime runtime) =>
        TypedResults.Ok(runtime.Compiler.GlobalFilters.ToDictionary(g => g.GetType().FullName!, g => g.Order));

    internal static Ok<Dictionary<string, string[]>> RouteFilters(GatewayRuntime runtime) =>
        TypedResults.Ok(runtime.Compiler.FilterFactories.OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToDictionary(f => f.Name, f => f.ShortcutFields.ToArray()));

    internal static Ok<Dictionary<string, string[]>> RoutePredicates(GatewayRuntime runtime) =>
        TypedResults.Ok(runtime.Compiler.PredicateFactories.OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToDictionary(f => f.Name, f => f.ShortcutFields.ToArray()));
}

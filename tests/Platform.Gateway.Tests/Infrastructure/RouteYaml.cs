namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>One <c>spring.cloud.gateway.routes</c> entry in the shortcut syntax, indented for the tests' route files.</summary>
public static class RouteYaml
{
    public static string Route(string id, string uri, string predicate, string filter) => $"""
                - id: {id}
                  uri: {uri}
                  predicates: [ '{predicate.Replace("'", "''", StringComparison.Ordinal)}' ]
                  filters: [ '{filter.Replace("'", "''", StringComparison.Ordinal)}' ]

        """;
}

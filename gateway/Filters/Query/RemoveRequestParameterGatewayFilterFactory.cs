using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Query;

/// <summary><c>RemoveRequestParameter=red</c>: the query parameter <c>red</c> (every occurrence) is not sent upstream.</summary>
internal sealed class RemoveRequestParameterGatewayFilterFactory : IGatewayFilterFactory
{
    public string Name => "RemoveRequestParameter";
    public IReadOnlyList<string> ShortcutFields { get; } = ["name"];

    public IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("name");
        return DelegateGatewayFilter.Pre(ctx => ctx.Request.QueryString = QueryParameters.Without(ctx.Request.QueryString, name, out _));
    }
}

namespace Platform.Gateway.Filters;

/// <summary>
/// A filter the gateway ships: its name, shortcut order and argument schema come from <see cref="FilterSchemas"/>
/// (Platform.Contracts), the one place the apiserver also reads when it admits a Route resource.
/// </summary>
internal abstract class BuiltInFilterFactory(ComponentSchema schema) : IGatewayFilterFactory
{
    public ComponentSchema Schema => schema;
    public string Name => schema.Name;
    public IReadOnlyList<string> ShortcutFields => schema.ShortcutFields;
    public ShortcutType ShortcutType => schema.ShortcutType;

    public abstract IGatewayFilter Create(ComponentArgs args, FilterContext context);
}

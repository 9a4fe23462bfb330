using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Options;
using Platform.Connect.Api;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Transforms;
using Platform.Connect.Configuration;

namespace Platform.Connect.Plugins;

/// <summary>
/// Every connector, transformation, predicate and converter: the built-in ones in this assembly and those in the
/// assemblies of <c>Connect:PluginPath</c> (each subfolder loaded in its own context, like Kafka's plugin isolation).
/// A plugin answers to its full type name, its simple name and the aliases of its <see cref="PluginAttribute"/>.
/// </summary>
internal sealed class PluginRegistry
{
    private readonly Dictionary<string, PluginDescriptor> _byName = new(StringComparer.Ordinal);

    public PluginRegistry(IOptions<ConnectOptions> options, ILogger<PluginRegistry> logger)
    {
        Add(typeof(PluginRegistry).Assembly);
        if (options.Value.PluginPath is { Length: > 0 } path) LoadFolder(path, logger);
        All = [.. _byName.Values.Distinct().OrderBy(p => p.ClassName, StringComparer.Ordinal)];
    }

    public IReadOnlyList<PluginDescriptor> All { get; }

    public PluginDescriptor? Find(string? name) => name is not null && _byName.TryGetValue(name.Trim(), out var d) ? d : null;

    public PluginDescriptor? Find(string? name, params PluginKind[] kinds) => Find(name) is { } d && kinds.Contains(d.Kind) ? d : null;

    public T Create<T>(PluginDescriptor plugin) where T : class => (T)Activator.CreateInstance(plugin.Type)!;

    private void LoadFolder(string path, ILogger logger)
    {
        foreach (var dll in Directory.EnumerateFiles(path, "*.dll", SearchOption.AllDirectories))
        {
            // The contract assembly must be the host's, or the plugin's types would not implement the host's interfaces.
            if (Path.GetFileName(dll) == typeof(IConnector).Assembly.GetName().Name + ".dll") continue;
            try
            {
                var context = new AssemblyLoadContext("plugin:" + Path.GetDirectoryName(dll), isCollectible: false);
                context.Resolving += (ctx, name) =>
                {
                    var candidate = Path.Combine(Path.GetDirectoryName(dll)!, name.Name + ".dll");
                    return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
                };
                Add(context.LoadFromAssemblyPath(Path.GetFullPath(dll)));
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or ReflectionTypeLoadException)
            {
                logger.LogWarning(ex, "Connect:PluginPath: {Assembly} is not a loadable plugin assembly; skipped", dll);
            }
        }
    }

    private void Add(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (type.IsAbstract || type.IsInterface || type.GetConstructor(Type.EmptyTypes) is null) continue;
            PluginKind? kind = type switch
            {
                _ when typeof(ISourceConnector).IsAssignableFrom(type) => PluginKind.Source,
                _ when typeof(ISinkConnector).IsAssignableFrom(type) => PluginKind.Sink,
                _ when typeof(ITransformation).IsAssignableFrom(type) => PluginKind.Transformation,
                _ when typeof(IPredicate).IsAssignableFrom(type) => PluginKind.Predicate,
                _ when typeof(IConverter).IsAssignableFrom(type) => PluginKind.Converter,
                _ => null,
            };
            if (kind is null) continue;
            var aliases = type.GetCustomAttribute<PluginAttribute>()?.Aliases ?? [];
            var names = aliases.Concat([type.FullName!.Replace('+', '$'), type.Name]).Distinct().ToList();
            var version = kind is PluginKind.Source or PluginKind.Sink
                ? ((IConnector)Activator.CreateInstance(type)!).Version
                : type.Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
            var descriptor = new PluginDescriptor(type, kind.Value, names[0], version, names);
            foreach (var name in names) _byName.TryAdd(name, descriptor);
        }
    }
}

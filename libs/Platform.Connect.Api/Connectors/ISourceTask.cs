using Platform.Connect.Api.Data;

namespace Platform.Connect.Api.Connectors;

/// <summary>Reads records from an external system. <see cref="PollAsync"/> may block until data arrives or the token fires.</summary>
public interface ISourceTask
{
    void Start(IReadOnlyDictionary<string, string> props, ISourceTaskContext context);
    Task<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken);
    void Stop();
}

/// <summary>What the worker offers a source task.</summary>
public interface ISourceTaskContext
{
    /// <summary>The last committed offset stored under <paramref name="partition"/>, or null when none was committed.</summary>
    IReadOnlyDictionary<string, object?>? Offset(IReadOnlyDictionary<string, object?> partition);
}

namespace Platform.ApiServer.Client.Informers;

/// <summary>Where an informer's changes come from after its list.</summary>
public enum InformerSource
{
    /// <summary><c>platform.&lt;plural&gt;</c> through an <see cref="InformerEventSource"/> consumer (components).</summary>
    Kafka,
    /// <summary>The apiserver's <c>?watch=true</c> stream from the list's resourceVersion (tools, tests).</summary>
    Watch,
}

/// <summary>How one informer lists, follows and resyncs.</summary>
public sealed class InformerOptions
{
    public InformerSource Source { get; set; } = InformerSource.Kafka;

    /// <summary>Only this namespace is listed, watched and held; null for all (and for cluster-scoped kinds).</summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// Checks an object before the informer takes it: null to accept, else the reason. A refused event throws a
    /// <see cref="FormatException"/> (its consumer dead-letters it with the reason) and a refused list item is
    /// skipped; either way the version held before stays, as does everything derived from it.
    /// </summary>
    public Func<Platform.Contracts.Resources.Resource, string?>? Validate { get; set; }

    /// <summary>
    /// Check every Kafka event against the apiserver's schema before <see cref="Validate"/> (default on): an event the
    /// apiserver would have refused as a write is refused here too, dead-lettered with the field errors.
    /// </summary>
    public bool ValidateSchema { get; set; } = true;

    /// <summary>
    /// The kind's events leave fields out (a Secret's <c>data</c> goes neither on Kafka nor on the watch): an event for
    /// an object the informer would hold makes it GET the object and hold what the apiserver answers, a 404 being a
    /// deletion. Replays older than what is held cost no request. A failed GET throws, so the consumer retries the event.
    /// </summary>
    public bool GetOnEvent { get; set; }

    /// <summary>
    /// Hold only each object's metadata (client-go's metadata informer): lists and watches ask the apiserver for
    /// <c>PartialObjectMetadata</c>, events are cut down to their metadata. For counting or finding objects whose
    /// content the component has no business reading (Secrets) or no need to keep in memory.
    /// </summary>
    public bool MetadataOnly { get; set; }

    /// <summary>A query the list (and watch) sends, e.g. <c>fieldSelector=spec.nodeName%3Dnode-1</c>; null lists everything.</summary>
    public string? Query { get; set; }

    /// <summary>
    /// Which objects the informer holds. Events are not filtered by the server on Kafka, so this must agree with
    /// <see cref="Query"/>; an object that stops matching is handed to handlers as deleted, as a field-selected
    /// watch does.
    /// </summary>
    public Func<Platform.Contracts.Resources.Resource, bool>? Filter { get; set; }

    /// <summary>Every period each held object is handed to <c>OnUpdate(obj, obj)</c> again; null never.</summary>
    public TimeSpan? ResyncPeriod { get; set; }

    /// <summary>
    /// How long a deletion is remembered to refuse a late replay of the object's older versions. Kafka re-delivers
    /// at most the uncommitted tail after a rebalance, and a restart lists anew, so minutes are plenty; without a
    /// bound the memory of deletions would grow with the cluster's churn.
    /// </summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The first wait after a failed list; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}

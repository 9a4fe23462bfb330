namespace Platform.ApiServer.Protobuf;

/// <summary>Messages whose Go types write their own JSON, so they are decoded by <see cref="WellKnownTypes"/>, not field by field.</summary>
internal enum WellKnown
{
    None,
    /// <summary>meta/v1 Time: RFC 3339 in seconds, <c>null</c> when unset.</summary>
    Time,
    /// <summary>meta/v1 MicroTime: RFC 3339 with microseconds.</summary>
    MicroTime,
    /// <summary>meta/v1 Duration: Go's duration string (<c>1h2m3s</c>).</summary>
    Duration,
    /// <summary>meta/v1 FieldsV1: its raw bytes are JSON.</summary>
    FieldsV1,
    /// <summary>runtime RawExtension: an embedded object, JSON or a protobuf envelope.</summary>
    RawExtension,
    /// <summary>intstr IntOrString: a number or a string.</summary>
    IntOrString,
    /// <summary>resource Quantity (and QuantityValue): its string.</summary>
    Quantity,
}

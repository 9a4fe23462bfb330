namespace Platform.Testing.Fuzz;

/// <summary>What came back: status, content type and (the start of) the body as text.</summary>
public sealed record FuzzResponse(int Status, string? ContentType, string Body, bool ViaRawSocket)
{
    /// <summary>
    /// Kestrel's own answer to a request it could not parse (bad request line, control characters in a header, a
    /// request line or headers too long): sent before any middleware runs, without a body or content type, so no service
    /// can explain it. Every answer from a service's pipeline has a body (status code pages fill empty ones).
    /// </summary>
    public bool IsProtocolRejection => Body.Length == 0 && ContentType is null && Status is 400 or 414 or 431 or 505;
}

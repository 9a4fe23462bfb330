namespace Platform.NodeAgent.PortForward;

/// <summary>The <c>error</c> and <c>data</c> streams of one forwarded connection, matched by their <c>requestID</c>.</summary>
internal sealed class PortForwardStreamPair(string requestId)
{
    public string RequestId => requestId;
    public PortForwardStream? Data { get; private set; }
    public PortForwardStream? Error { get; private set; }
    public bool Complete => Data is not null && Error is not null;

    /// <summary>Cancelled once both streams are there: stops the wait for the second one.</summary>
    public CancellationTokenSource Completed { get; } = new();

    /// <summary>Adds a stream; false when the pair already has one of its type.</summary>
    public bool Add(PortForwardStream stream)
    {
        if (stream.Type == PortForwardStream.Data)
        {
            if (Data is not null) return false;
            Data = stream;
        }
        else
        {
            if (Error is not null) return false;
            Error = stream;
        }
        return true;
    }
}

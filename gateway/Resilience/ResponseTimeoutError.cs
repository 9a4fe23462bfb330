using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway.Resilience;

/// <summary>The error YARP's forwarder reports for its own activity timeout, so passive health counts it against the instance.</summary>
internal sealed class ResponseTimeoutError(TimeSpan timeout) : IForwarderErrorFeature
{
    public ForwarderError Error => ForwarderError.RequestTimedOut;
    public Exception? Exception { get; } = new ResponseTimeoutException(timeout);
}

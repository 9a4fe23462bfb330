using System.Xml;

namespace Platform.Gateway.Resilience;

/// <summary>An upstream that sent no response headers within the route's response timeout (Spring's message).</summary>
internal sealed class ResponseTimeoutException(TimeSpan timeout)
    : TimeoutException($"Response took longer than timeout: {XmlConvert.ToString(timeout)}");

using Platform.Testing;

namespace Platform.Discovery.Tests.Infrastructure;

/// <summary>The npm eureka-js-client, installed once per test class.</summary>
public sealed class NpmPackages() : NodePackages(EurekaJsClient)
{
    public const string EurekaJsClient = "eureka-js-client@4.5.0";
}

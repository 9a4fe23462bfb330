namespace Platform.Bench.Chaos;

/// <summary>Where the running local platform is: the variables <c>./platform env</c> exports.</summary>
internal sealed record PlatformEnvironment(
    string Root,
    string State,
    string ApiServers,
    string Token,
    string DatabaseUrl,
    string KafkaBootstrap,
    Uri Gateway,
    Uri Eureka,
    Uri ConfigServer)
{
    public static PlatformEnvironment FromProcess()
    {
        static string Need(string name) => System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
            ? v
            : throw new InvalidOperationException($"{name} is not set: run through ./platform chaos, which exports ./platform env");
        return new PlatformEnvironment(
            Need("PLATFORM_ROOT"),
            Need("PLATFORM_STATE"),
            System.Environment.GetEnvironmentVariable("PLATFORM_APISERVER_URLS") is { Length: > 0 } urls ? urls : Need("PLATFORM_APISERVER_URL"),
            Need("PLATFORM_TOKEN"),
            Need("PLATFORM_DATABASE_URL"),
            Need("PLATFORM_KAFKA_BOOTSTRAP"),
            new Uri(Need("GATEWAY_URL")),
            new Uri(Need("EUREKA_URL").TrimEnd('/') + "/"),
            new Uri(Need("CONFIG_SERVER_URL").TrimEnd('/') + "/"));
    }
}

namespace Platform.Gateway.Filters.Grpc;

/// <summary>Settings bound from <c>Gateway:JsonToGrpc</c>.</summary>
public sealed class JsonToGrpcOptions
{
    /// <summary>The default descriptor directory: <c>grpc-descriptors</c> under the gateway's working directory.</summary>
    public static string DefaultDirectory => System.IO.Path.GetFullPath("grpc-descriptors");

    /// <summary>
    /// <c>Gateway:JsonToGrpc:DescriptorDirectory</c>: the folder a Route resource's (a namespace's) JsonToGrpc reads its
    /// <c>protoDescriptor</c> from; relative paths resolve against it and a path or link leading outside it is refused
    /// without being looked at. Routes of the gateway's own routes file are not confined (Spring's working directory).
    /// Default: <c>grpc-descriptors</c> under the working directory.
    /// </summary>
    public string? DescriptorDirectory { get; set; }
}

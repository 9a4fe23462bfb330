namespace Platform.Gateway.Filters.Grpc;

/// <summary>The destination did not answer as a gRPC server does.</summary>
internal sealed class GrpcProtocolException(string message) : Exception(message);

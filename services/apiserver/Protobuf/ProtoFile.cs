namespace Platform.ApiServer.Protobuf;

/// <summary>What one .proto file declares: its package and its messages and enums (by name within the package).</summary>
internal sealed record ProtoFile(string Package, IReadOnlyList<string> Imports, IReadOnlyList<(string Name, List<ProtoField> Fields)> Messages, IReadOnlyList<string> Enums);

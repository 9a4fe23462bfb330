using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Platform.Gateway.Filters.Grpc;

/// <summary>
/// JsonToGrpc's <c>protoDescriptor</c>: a FileDescriptorSet (<c>protoc --include_imports --descriptor_set_out=x.pb</c>)
/// read from the gateway's disk (<c>file:</c> prefix optional; relative to the working directory, as Spring's
/// <c>file:</c> resources are), and the one method of it the route calls.
/// </summary>
internal static class ProtoDescriptorSet
{
    /// <summary>A descriptor set is a few KB; the bound keeps a route from making the gateway read a huge or endless file.</summary>
    private const long MaxFileBytes = 4 << 20;

    /// <summary>
    /// The method <paramref name="service"/>/<paramref name="method"/>; <paramref name="service"/> is a full name
    /// (<c>pkg.HelloService</c>) or, as in Spring, a service's simple name. <paramref name="protoFile"/>, when given,
    /// picks the file of the set whose name ends like it (Spring's <c>protoFile</c>).
    /// </summary>
    /// <param name="confinedTo">
    /// For a Route of a namespace, <c>Gateway:JsonToGrpc:DescriptorDirectory</c>: relative paths resolve against it and
    /// the file (through its links) must lie inside it, so a team cannot read or probe the gateway's other files.
    /// </param>
    public static MethodDescriptor FindMethod(string descriptorPath, string? protoFile, string service, string method, string? confinedTo = null)
    {
        var files = Load(descriptorPath, confinedTo);
        if (protoFile is { Length: > 0 })
        {
            var name = System.IO.Path.GetFileName(StripScheme(protoFile));
            files = files.Where(f => System.IO.Path.GetFileName(f.Name) == name).ToList();
            if (files.Count == 0)
                throw new GatewayArgumentException("protoFile", $"'{protoFile}': no file named {name} in the descriptor set {descriptorPath}");
        }
        var services = files.SelectMany(f => f.Services).ToList();
        var matches = services.Where(s => s.FullName == service).ToList();
        if (matches.Count == 0) matches = services.Where(s => s.Name == service).ToList();
        if (matches.Count != 1)
        {
            throw new GatewayArgumentException("service", matches.Count == 0
                ? $"'{service}' is not a service of {descriptorPath} (services: {string.Join(", ", services.Select(s => s.FullName))})"
                : $"'{service}' names several services ({string.Join(", ", matches.Select(s => s.FullName))}): give the full name");
        }
        var m = matches[0].FindMethodByName(method)
            ?? throw new GatewayArgumentException("method", $"'{method}' is not a method of {matches[0].FullName} (methods: {string.Join(", ", matches[0].Methods.Select(x => x.Name))})");
        if (m.IsClientStreaming || m.IsServerStreaming)
            throw new GatewayArgumentException("method", $"{matches[0].FullName}/{method} streams; JsonToGrpc calls unary methods only");
        return m;
    }

    private static IReadOnlyList<FileDescriptor> Load(string descriptorPath, string? confinedTo)
    {
        if (descriptorPath.StartsWith("classpath:", StringComparison.OrdinalIgnoreCase))
            throw new GatewayArgumentException("protoDescriptor", $"'{descriptorPath}': there is no Java classpath here; give a file path (file:proto/hello.pb)");
        var root = confinedTo is null ? null : System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(confinedTo)) + System.IO.Path.DirectorySeparatorChar;
        var path = root is null ? System.IO.Path.GetFullPath(StripScheme(descriptorPath)) : System.IO.Path.GetFullPath(StripScheme(descriptorPath), root);
        // Checked before the file is looked at, so the answer says nothing about files outside the directory.
        if (root is not null && !path.StartsWith(root, StringComparison.Ordinal)) throw Outside(descriptorPath);
        try
        {
            var info = new FileInfo(path);
            // Through links to the file itself; devices, FIFOs and /proc files report no length and are refused
            // before they are opened, so a route cannot make the gateway block on, or read without end from, one.
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target) info = target;
            if (root is not null && !info.FullName.StartsWith(root, StringComparison.Ordinal)) throw Outside(descriptorPath);
            if (!info.Exists) throw new GatewayArgumentException("protoDescriptor", $"'{descriptorPath}': no such file ({path})");
            if (info.Length == 0) throw new GatewayArgumentException("protoDescriptor", $"'{descriptorPath}' is empty or not a regular file");
            if (info.Length > MaxFileBytes) throw new GatewayArgumentException("protoDescriptor", $"'{descriptorPath}' is {info.Length} bytes, more than {MaxFileBytes}");
            var bytes = new byte[info.Length];
            using (var file = info.OpenRead()) file.ReadExactly(bytes);
            var set = FileDescriptorSet.Parser.ParseFrom(bytes);
            if (set.File.Count == 0) throw new GatewayArgumentException("protoDescriptor", $"'{descriptorPath}' holds no file descriptor");
            return FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or DescriptorValidationException or ArgumentException or InvalidOperationException)
        {
            throw new GatewayArgumentException("protoDescriptor",
                $"'{descriptorPath}' is not a FileDescriptorSet (protoc --include_imports --descriptor_set_out): {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) // EndOfStreamException too: the file shrank
        {
            throw new GatewayArgumentException("protoDescriptor", $"'{descriptorPath}' cannot be read: {ex.Message}");
        }
    }

    private static GatewayArgumentException Outside(string descriptorPath) => new("protoDescriptor",
        $"'{descriptorPath}': a Route of a namespace may name only descriptor sets inside Gateway:JsonToGrpc:DescriptorDirectory");

    private static string StripScheme(string path) =>
        path.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? path[5..] : path;
}

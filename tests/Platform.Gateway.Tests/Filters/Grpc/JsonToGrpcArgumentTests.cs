using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Filters.Grpc;

namespace Platform.Gateway.Tests.Filters.Grpc;

/// <summary>JsonToGrpc's arguments: what admission refuses from the shared schema, and what the gateway refuses when it reads the descriptor.</summary>
public sealed class JsonToGrpcArgumentTests
{
    private static readonly string HelloPb = JsonToGrpcTests.Proto("hello.pb");
    private static readonly string TypesPb = JsonToGrpcTests.Proto("types.pb");

    [Theory]
    [InlineData("JsonToGrpc=file:x.pb", "service")]
    [InlineData("JsonToGrpc=file:x.pb, x.proto, HelloService", "method")]
    [InlineData("JsonToGrpc=, x.proto, HelloService, hello", "protoDescriptor")]
    public void Admission_MissingArgument_IsRefusedNamingIt(string shortcut, string argument)
    {
        var ex = Assert.Throws<GatewayArgumentException>(() => ComponentSchemas.Validate(ComponentDefinition.ParseShortcut(shortcut), isFilter: true));
        Assert.Equal((argument, "required"), (ex.Argument, ex.Message));
    }

    [Fact]
    public void Admission_SpringShortcutOrder_BindsDescriptorFileServiceMethod()
    {
        var args = ComponentSchemaValidator.Validate(ComponentDefinition.ParseShortcut("JsonToGrpc=file:proto/hello.pb, file:proto/hello.proto, HelloService, hello"), FilterSchemas.JsonToGrpc);
        Assert.Equal(("file:proto/hello.pb", "file:proto/hello.proto", "HelloService", "hello"),
            (args.Find("protoDescriptor"), args.Find("protoFile"), args.Find("service"), args.Find("method")));
    }

    [Theory]
    [InlineData("file:/no/such/dir/hello.pb", "", "HelloService", "hello", "protoDescriptor", "no such file")]
    [InlineData("/dev/zero", "", "HelloService", "hello", "protoDescriptor", "empty or not a regular file")]
    [InlineData("classpath:proto/hello.pb", "", "HelloService", "hello", "protoDescriptor", "no Java classpath")]
    [InlineData("{hello.proto}", "", "HelloService", "hello", "protoDescriptor", "is not a FileDescriptorSet")]
    [InlineData("{hello.pb}", "", "GoodbyeService", "hello", "service", "'GoodbyeService' is not a service of")]
    [InlineData("{hello.pb}", "", "HelloService", "bye", "method", "'bye' is not a method of HelloService (methods: hello)")]
    [InlineData("{hello.pb}", "other.proto", "HelloService", "hello", "protoFile", "no file named other.proto")]
    [InlineData("{types.pb}", "", "platform.test.Types", "Watch", "method", "streams; JsonToGrpc calls unary methods only")]
    public void Gateway_BadDescriptorServiceOrMethod_IsRefusedNamingTheArgument(string descriptor, string protoFile, string service, string method,
        string argument, string reason)
    {
        descriptor = descriptor.Replace("{hello.pb}", HelloPb, StringComparison.Ordinal).Replace("{types.pb}", TypesPb, StringComparison.Ordinal)
            .Replace("{hello.proto}", JsonToGrpcTests.Proto("hello.proto"), StringComparison.Ordinal);
        var ex = Assert.Throws<GatewayArgumentException>(() => Create($"{descriptor}, {protoFile}, {service}, {method}", "http://127.0.0.1:9"));
        Assert.Equal(argument, ex.Argument);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_ALinkToADevice_IsRefusedWithoutReadingIt_ALinkToADescriptorIsFollowed()
    {
        var dir = Directory.CreateTempSubdirectory("jsontogrpc-");
        try
        {
            var device = Path.Combine(dir.FullName, "zero.pb");
            File.CreateSymbolicLink(device, "/dev/zero");
            var ex = Assert.Throws<GatewayArgumentException>(() => Create($"{device}, , HelloService, hello", "http://127.0.0.1:9"));
            Assert.Contains("empty or not a regular file", ex.Message, StringComparison.Ordinal);
            var link = Path.Combine(dir.FullName, "hello.pb");
            File.CreateSymbolicLink(link, HelloPb);
            Assert.NotNull(Create($"{link}, , HelloService, hello", "http://127.0.0.1:9"));
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Gateway_ServiceByFullOrSimpleName_AndAnHttpsUri_Build()
    {
        Assert.NotNull(Create($"{TypesPb}, types.proto, platform.test.Types, Echo", "https://127.0.0.1:9/ignored"));
        Assert.NotNull(Create($"file:{TypesPb}, , Types, Echo", "http://127.0.0.1:9"));
    }

    [Fact]
    public void Gateway_AUriItCannotCall_IsRefused()
    {
        var ex = Assert.Throws<GatewayArgumentException>(() => Create($"{HelloPb}, , HelloService, hello", "no://op"));
        Assert.Equal("uri", ex.Argument);
    }

    private static IGatewayFilter Create(string shortcut, string uri)
    {
        var args = ComponentSchemaValidator.Validate(ComponentDefinition.ParseShortcut("JsonToGrpc=" + shortcut), FilterSchemas.JsonToGrpc);
        return new JsonToGrpcGatewayFilterFactory(new ServiceCollection().BuildServiceProvider()).Create(args, new FilterContext(new RouteDefinition { Id = "r", Uri = uri }));
    }
}

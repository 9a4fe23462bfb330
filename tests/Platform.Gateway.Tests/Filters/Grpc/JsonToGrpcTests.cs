using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Platform.Gateway.Tests.Filters.Parity;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Filters.Grpc;

/// <summary>JsonToGrpc through a real h2c gRPC backend: Spring's documentation example, every field kind, bad bodies and gRPC errors.</summary>
public sealed class JsonToGrpcTests
{
    internal static string Proto(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "grpc", file);

    private static Task<GatewayHost> TypesGatewayAsync(GrpcBackend backend, string method, string extra = "") => GatewayHost.StartAsync($"""
        spring:
          cloud:
            gateway:
              routes:
                - id: types
                  uri: {backend.Url}
                  predicates:
                    - Path=/types/**
                  filters:
                    - JsonToGrpc=file:{Proto("types.pb")}, types.proto, platform.test.Types, {method}
        {extra}
        """);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task DocExample_JsonBecomesAUnaryCallOverH2c_AndTheReplyJson()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var gw = await SpringDocExample.StartAsync("jsontogrpc", ("https://localhost:6565", backend.Url),
            ("file:proto/hello.pb", "file:" + Proto("hello.pb")), ("file:proto/hello.proto", "file:" + Proto("hello.proto")));

        using var r = await gw.Client.PostAsync("/json/hello", Json("""{"firstName":"Duff","lastName":"McKennitt"}"""));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"greeting":"Hello, Duff McKennitt"}""", await r.Content.ReadAsStringAsync());
        Assert.Equal(("HTTP/2", "application/grpc", "trailers"), (backend.LastProtocol, backend.LastContentType, backend.LastTe));
    }

    [Fact]
    public async Task EveryFieldKind_IsEncodedOnTheWire_AndDecodedBackAsProto3Json()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var gw = await TypesGatewayAsync(backend, "Echo");

        // Proto field names are accepted as well as json names (user_id), 64-bit integers as text or numbers, enums by name or number.
        using var r = await gw.Client.PostAsync("/types/echo", Json("""
            {"name":"n","count":-7,"big":"9007199254740993","ubig":18446744073709551615,"signed":-3,"ratio":0.5,"small":1.5,
             "flag":true,"blob":"AAEC/w==","color":"GREEN","address":{"street":"Main","zip":12345},"tags":["a","b"],
             "scores":[1,2,3],"counts":{"x":1,"y":2},"history":[{"zip":1},{"street":"Old"}],"stamp":"42","user_id":"u-1",
             "byZip":{"7":{"street":"Seven"}},"phone":"555"}
            """));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"name":"n","count":-7,"big":"9007199254740993","ubig":"18446744073709551615","signed":-3,"ratio":0.5,"small":1.5,
             "flag":true,"blob":"AAEC/w==","color":"GREEN","address":{"street":"Main","zip":12345},"tags":["a","b"],
             "scores":[1,2,3],"counts":{"x":1,"y":2},"history":[{"zip":1},{"street":"Old"}],"stamp":"42","userId":"u-1",
             "byZip":{"7":{"street":"Seven"}},"phone":"555"}
            """), JsonNode.Parse(body)), body);

        // The wire, read with protobuf's own reader: field numbers and encodings as the .proto says.
        var fields = Fields(backend.LastMessage!);
        Assert.Equal("n", fields[1][0].ToStringUtf8());
        Assert.Equal(9007199254740993L, fields[3][0].CreateCodedInput().ReadInt64());
        Assert.Equal(-3, fields[5][0].CreateCodedInput().ReadSInt32());
        Assert.Equal(2, fields[10][0].CreateCodedInput().ReadEnum());
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, fields[9][0].ToByteArray());
        Assert.Equal("u-1", fields[17][0].ToStringUtf8());
        Assert.Equal(3, fields[13].Count);
        Assert.Equal(2, fields[14].Count);
    }

    [Fact]
    public async Task EnumByNumber_AndDefaultsLeftOut_LikeJsonFormatPrinter()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var gw = await TypesGatewayAsync(backend, "Echo");
        using var r = await gw.Client.PostAsync("/types/echo", Json("""{"color":1,"tags":[],"name":null}"""));
        Assert.Equal("""{"color":"RED"}""", await r.Content.ReadAsStringAsync());
        using var empty = await gw.Client.PostAsync("/types/echo", new ByteArrayContent([]));
        Assert.Equal(("{}", HttpStatusCode.OK), (await empty.Content.ReadAsStringAsync(), empty.StatusCode));
    }

    [Theory]
    [InlineData("""{"name":"n","nickname":"x"}""", "$.nickname", "unknown field of platform.test.Everything")]
    [InlineData("""{"address":{"zip":"north"}}""", "$.address.zip", "expected an integer")]
    [InlineData("""{"count":2147483648}""", "$.count", "expected an integer in [-2147483648, 2147483647]")]
    [InlineData("""{"color":"BLUE"}""", "$.color", "'BLUE' is not a value of platform.test.Color")]
    [InlineData("""{"history":[{"zip":1},{"oops":1}]}""", "$.history[1].oops", "unknown field of platform.test.Address")]
    [InlineData("""{"blob":"***"}""", "$.blob", "expected base64 text")]
    [InlineData("""{"tags":"a"}""", "$.tags", "expected a JSON array")]
    [InlineData("""[1]""", "$", "expected a JSON object")]
    [InlineData("""{"email":"a@b","phone":"1"}""", "$.phone", "another field of oneof contact is already set")]
    public async Task BodyNotFittingTheMessage_Is400NamingTheField_AndNothingIsCalled(string json, string field, string detail)
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var gw = await TypesGatewayAsync(backend, "Echo");
        using var r = await gw.Client.PostAsync("/types/echo", Json(json));
        var problem = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(field, (string?)problem["field"]);
        Assert.Contains(detail, (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(0, backend.Calls);
    }

    [Fact]
    public async Task NotJson_Is400_AndTooDeep_Is400_AndTooLarge_Is413()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync($"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: small
                      uri: {backend.Url}
                      predicates:
                        - Path=/small/**
                      filters:
                        - name: JsonToGrpc
                          args:
                            protoDescriptor: {Proto("types.pb")}
                            service: Types
                            method: Echo
                            maxSize: 1KB
            """);
        using var notJson = await gw.Client.PostAsync("/small", Json("{name"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var deep = await gw.Client.PostAsync("/small", Json(string.Concat(Enumerable.Repeat("""{"a":""", 70)) + "1" + new string('}', 70)));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Contains("depth", await deep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var large = await gw.Client.PostAsync("/small", Json($$"""{"name":"{{new string('x', 2000)}}"}"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(0, backend.Calls);
    }

    [Fact]
    public async Task GrpcError_IsTheMappedHttpStatus_WithTheGrpcMessage()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var gw = await TypesGatewayAsync(backend, "Fail");
        using var r = await gw.Client.PostAsync("/types/fail", Json("""{"name":"42"}"""));
        var problem = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal(("NOT_FOUND", "no order 42 (été)"), ((string?)problem["grpcStatus"], (string?)problem["grpcMessage"]));
    }

    [Fact]
    public async Task SlowBackend_IsCutAtTheRouteResponseTimeout_504_WhichItWasToldAsGrpcTimeout()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var gw = await TypesGatewayAsync(backend, "Slow", """
                      metadata:
                        response-timeout: 1500
            """);
        using var r = await gw.Client.PostAsync("/types/slow", Json("{}"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, r.StatusCode);
        // The 504 can come back before a loaded machine has run the backend's handler: wait for it, bounded.
        Assert.Equal("1500m", await backend.SlowGrpcTimeout.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task BackendDown_Is502()
    {
        await using var backend = await GrpcBackend.StartAsync();
        var url = backend.Url;
        await backend.DisposeAsync();
        await using var gw = await GatewayHost.StartAsync($"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: down
                      uri: {url}
                      predicates:
                        - Path=/down/**
                      filters:
                        - JsonToGrpc={Proto("hello.pb")},,HelloService,hello
            """);
        using var r = await gw.Client.PostAsync("/down", Json("{}"));
        Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode);
        Assert.Contains("HelloService/hello", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadBalancedRoute_CallsAnInstanceFromTheRegistry_And503WhenThereIsNone()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var eureka = await FakeEureka.StartAsync();
        eureka.Put("HELLO-GRPC", "a", backend.Port);
        await using var gw = await GatewayHost.StartAsync($"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: hello
                      uri: lb://hello-grpc
                      predicates:
                        - Path=/hello/**
                      filters:
                        - JsonToGrpc={Proto("hello.pb")},,HelloService,hello
                    - id: nobody
                      uri: lb://nobody
                      predicates:
                        - Path=/nobody/**
                      filters:
                        - JsonToGrpc={Proto("hello.pb")},,HelloService,hello
            """, new Dictionary<string, string?> { ["Gateway:Discovery:EurekaUrl"] = eureka.EurekaUrl });

        var greeting = await Eventually.WaitAsync(async () =>
        {
            using var r = await gw.Client.PostAsync("/hello", Json("""{"firstName":"Lb"}"""));
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromSeconds(15), "the registry's instance");
        Assert.Equal("""{"greeting":"Hello, Lb "}""", greeting);
        using var none = await gw.Client.PostAsync("/nobody", Json("{}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
        Assert.Contains("no instance", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Each field number's values, as their raw bytes (length-delimited content, or the varint/fixed re-read by the caller).</summary>
    private static Dictionary<int, List<ByteString>> Fields(byte[] message)
    {
        var result = new Dictionary<int, List<ByteString>>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!result.TryGetValue(number, out var list)) result[number] = list = [];
            list.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                WireFormat.WireType.Fixed64 => Raw(o => o.WriteFixed64(input.ReadFixed64())),
                WireFormat.WireType.Fixed32 => Raw(o => o.WriteFixed32(input.ReadFixed32())),
                _ => Raw(o => o.WriteUInt64(input.ReadUInt64())),
            });
        }
        return result;
    }

    private static ByteString Raw(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}

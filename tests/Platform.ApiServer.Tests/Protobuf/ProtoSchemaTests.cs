using Platform.ApiServer.Protobuf;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Tests.Protobuf;

public sealed class ProtoSchemaTests
{
    private const string Proto = """
        syntax = "proto2";
        package test.v1;
        import "other.proto";
        option go_package = "x";
        message Thing {
          optional string name = 1;
          repeated Part parts = 2 [packed = false];
          map<string, int64> counts = 3;
          optional Color color = 4;
          reserved 5;
        }
        message Part {
          optional .test.v1.Thing parent = 1;
        }
        enum Color {
          RED = 0;
          BLUE = -1;
        }
        """;

    [Fact]
    public void EmbeddedSchema_LoadsAndCoversEveryKindServedFromAVendoredGroup()
    {
        var schema = ProtoSchema.Kubernetes;
        Assert.True(schema.Messages.Count > 400, $"{schema.Messages.Count} messages");
        var served = ResourceKinds.All.Where(k => ProtoSchema.Serves(k.ApiVersion)).ToList();
        Assert.Contains(served, k => k.Kind == "Deployment");
        foreach (var kind in served)
            Assert.True(schema.ForKind(kind.ApiVersion, kind.Kind) is not null, $"{kind.ApiVersion} {kind.Kind} has no message");
        Assert.False(ProtoSchema.Serves("gateway.platform.io/v1"));
        Assert.Equal("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions", schema.ForKind("v1", "DeleteOptions")!.FullName);
        Assert.Null(schema.ForKind("v1", "Deployment"));
    }

    [Fact]
    public void JsonHints_FromTheGoStructTags_AreApplied()
    {
        var schema = ProtoSchema.Kubernetes;
        ProtoField Field(string message, string name) => schema.Find(message)!.Fields.Values.Single(f => f.Name == name);

        Assert.True(Field("k8s.io.api.core.v1.Volume", "volumeSource").Inline);
        Assert.True(Field("k8s.io.api.core.v1.Probe", "handler").Inline);
        Assert.Equal("uid", Field("k8s.io.api.authentication.v1.BoundObjectReference", "uID").JsonName);
        Assert.True(schema.Find("k8s.io.apimachinery.pkg.apis.meta.v1.Verbs")!.IsArray);
        Assert.True(Field("k8s.io.api.apps.v1.DeploymentSpec", "replicas").KeepZero);       // *int32
        Assert.False(Field("k8s.io.api.apps.v1.DeploymentSpec", "minReadySeconds").KeepZero); // int32 omitempty
        Assert.True(Field("k8s.io.api.core.v1.ContainerPort", "containerPort").KeepZero);   // int32, no omitempty
        Assert.True(Field("k8s.io.api.core.v1.VolumeSource", "emptyDir").KeepZero);         // *EmptyDirVolumeSource
        Assert.False(Field("k8s.io.api.apps.v1.DeploymentSpec", "strategy").KeepZero);      // a struct value
        Assert.Equal(WellKnown.Time, Field("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp").Message!.WellKnown);
    }

    [Fact]
    public void Parser_ReadsMessagesFieldsMapsAndEnums()
    {
        var schema = ProtoSchema.Load([("test.proto", Proto)], "");
        var thing = schema.Find("test.v1.Thing")!;
        Assert.Equal([1, 2, 3, 4], thing.Fields.Keys.Order());
        Assert.Equal(FieldLabel.Repeated, thing.Fields[2].Label);
        Assert.Same(schema.Find("test.v1.Part"), thing.Fields[2].Message);
        Assert.Equal((FieldLabel.Map, ProtoType.Int64, ProtoType.String), (thing.Fields[3].Label, thing.Fields[3].Type, thing.Fields[3].KeyType));
        Assert.Equal(ProtoType.Enum, thing.Fields[4].Type);
        Assert.Same(thing, schema.Find("test.v1.Part")!.Fields[1].Message);
    }

    [Theory]
    [InlineData("syntax = \"proto3\";\npackage p;", "test.proto:1: syntax \"proto3\": only proto2 is read")]
    [InlineData("syntax = \"proto2\";\npackage p;\nmessage M {\n  optional Missing m = 1;\n}", "p.M.m: type 'Missing' is not declared")]
    [InlineData("syntax = \"proto2\";\npackage p;\nmessage M {\n  message N {}\n}", "test.proto:4: 'message' in message M")]
    [InlineData("syntax = \"proto2\";\npackage p;\nmessage M {\n  optional string a = 1;\n  optional string b = 1;\n}", "declares field number 1 twice")]
    [InlineData("syntax = \"proto2\";\npackage p;\nmessage M {\n  oneof x { string a = 1; }\n}", "'oneof' in message M")]
    [InlineData("syntax = \"proto2\";\nmessage M {}", "no package declared")]
    public void Parser_RefusesWhatItDoesNotRead_NamingTheLine(string proto, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ProtoSchema.Load([("test.proto", proto)], ""));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test.v1.Nope name zero", "no message test.v1.Nope")]
    [InlineData("test.v1.Thing nope zero", "no field test.v1.Thing.nope")]
    [InlineData("test.v1.Thing name inline", "'inline' does not apply to test.v1.Thing.name")]
    [InlineData("test.v1.Thing * array", "test.v1.Thing is not a message of repeated items")]
    [InlineData("test.v1.Thing name", "is not 'message field flag'")]
    public void Hints_ThatDoNotMatchTheProtoFiles_AreRefused(string hint, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ProtoSchema.Load([("test.proto", Proto)], hint));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}

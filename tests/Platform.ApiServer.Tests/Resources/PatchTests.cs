using System.Text.Json.Nodes;
using Platform.ApiServer.Api;
using Platform.ApiServer.Resources.Patching;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Tests.Resources;

/// <summary>JSON Patch (RFC 6902) and Kubernetes' strategic merge patch, as kubectl sends them.</summary>
public sealed class PatchTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void JsonPatch_AddRemoveReplaceMoveCopyTest_ApplyInOrder_WithEscapedPointers()
    {
        var result = JsonPatch.Apply(Obj("""{"metadata":{"labels":{"a/b":"1","x":"2"}},"list":[1,2]}"""), (JsonArray)JsonNode.Parse("""
            [{"op":"test","path":"/metadata/labels/a~1b","value":"1"},
             {"op":"replace","path":"/metadata/labels/a~1b","value":"one"},
             {"op":"add","path":"/list/-","value":3},
             {"op":"add","path":"/list/0","value":0},
             {"op":"remove","path":"/metadata/labels/x"},
             {"op":"copy","from":"/list/3","path":"/last"},
             {"op":"move","from":"/last","path":"/metadata/labels/last"}]
            """)!);
        Assert.Equal("""{"metadata":{"labels":{"a/b":"one","last":3}},"list":[0,1,2,3]}""", result.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""", "operation 0: test failed")]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", "operation 0: path \"/missing\" does not exist")]
    [InlineData("""[{"op":"add","path":"/a","value":1},{"op":"frobnicate","path":"/a"}]""", "operation 1: op \"frobnicate\"")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""", "is not a JSON pointer")]
    public void JsonPatch_ThatCannotApply_Is422NamingTheOperation(string patch, string expected)
    {
        var ex = Assert.Throws<ApiProblem>(() => JsonPatch.Apply(Obj("""{"a":1}"""), (JsonArray)JsonNode.Parse(patch)!));
        Assert.Equal(422, ex.Status);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void StrategicMerge_MergesContainersByName_PortsByContainerPort_AndEnvByName()
    {
        var deployment = Obj("""
            {"spec":{"containers":[
              {"name":"app","image":"a:1","ports":[{"containerPort":80,"name":"http"}],"env":[{"name":"A","value":"1"}],"args":["x","y"]},
              {"name":"side","image":"s:1"}]}}
            """);
        var patch = Obj("""
            {"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"side"}],"containers":[
              {"name":"app","image":"a:2","ports":[{"containerPort":9090}],"env":[{"name":"B","value":"2"},{"name":"A","$patch":"delete"}],"args":["z"]},
              {"name":"side","$patch":"delete"},
              {"name":"new","image":"n:1"}]}}
            """);
        var result = StrategicMergePatch.Apply(deployment, patch);
        Assert.Equal("""
            {"spec":{"containers":[{"name":"app","image":"a:2","ports":[{"containerPort":80,"name":"http"},{"containerPort":9090}],"env":[{"name":"B","value":"2"}],"args":["z"]},{"name":"new","image":"n:1"}]}}
            """.Trim(), result.ToJsonString());
    }

    [Fact]
    public void StrategicMerge_ServicePortsByPort_NullDeletes_ReplaceDirective_AndFinalizersAsASet()
    {
        var service = Obj("""{"metadata":{"finalizers":["a"],"labels":{"x":"1","y":"2"}},"spec":{"ports":[{"port":80,"targetPort":8080}],"selector":{"app":"old","tier":"web"}}}""");
        var patch = Obj("""{"metadata":{"finalizers":["b","a"],"labels":{"y":null}},"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443}],"selector":{"$patch":"replace","app":"new"}}}""");
        Assert.Equal(
            """{"metadata":{"finalizers":["a","b"],"labels":{"x":"1"}},"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443}],"selector":{"app":"new"}}}""",
            StrategicMergePatch.Apply(service, patch).ToJsonString());
    }
}

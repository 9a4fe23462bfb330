using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.Net.Http.Headers;
using Platform.Discovery.Api.Codecs;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api;

/// <summary>Content negotiation for Eureka documents: JSON when <c>Accept</c> mentions json, XML otherwise; gzip when accepted.</summary>
internal static class EurekaRendering
{
    private static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };

    public static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("json", StringComparison.OrdinalIgnoreCase));

    public static bool WantsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(a => a is not null && a.Contains("gzip", StringComparison.OrdinalIgnoreCase));

    public static byte[] Render(bool xml, bool gzip, Action<Utf8JsonWriter> json, Action<XmlWriter> writeXml)
    {
        using var buffer = new MemoryStream();
        if (xml)
        {
            using var w = XmlWriter.Create(buffer, XmlSettings);
            writeXml(w);
        }
        else
        {
            // The writers produce valid documents by construction; validation costs ~15% at 100k instances.
            using var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
            json(w);
        }
        return gzip ? Gzip(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) : buffer.ToArray();
    }

    public static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var zipped = new MemoryStream(body.Length / 8 + 64);
        using (var z = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true)) z.Write(body);
        return zipped.ToArray();
    }

    public static IResult Send(HttpContext context, byte[] body, bool xml, bool gzip)
    {
        if (gzip) context.Response.Headers.ContentEncoding = "gzip";
        context.Response.Headers.Vary = HeaderNames.Accept + ", " + HeaderNames.AcceptEncoding;
        return TypedResults.Bytes(body, xml ? "application/xml" : "application/json");
    }

    public static IResult Applications(HttpContext context, ApplicationsView view)
    {
        var (xml, gzip) = (!WantsJson(context.Request), WantsGzip(context.Request));
        return Send(context, RenderApplications(view, xml, gzip), xml, gzip);
    }

    public static byte[] RenderApplications(ApplicationsView view, bool xml, bool gzip) =>
        Render(xml, gzip, w => EurekaJsonWriter.WriteApplications(w, view), w => EurekaXmlWriter.WriteApplications(w, view));

    public static IResult Application(HttpContext context, ApplicationView app)
    {
        var (xml, gzip) = (!WantsJson(context.Request), WantsGzip(context.Request));
        return Send(context, Render(xml, gzip, w => EurekaJsonWriter.WriteApplication(w, app), w => EurekaXmlWriter.WriteApplication(w, app)), xml, gzip);
    }

    public static IResult Instance(HttpContext context, InstanceView instance)
    {
        var (xml, gzip) = (!WantsJson(context.Request), WantsGzip(context.Request));
        return Send(context, Render(xml, gzip, w => EurekaJsonWriter.WriteInstanceDocument(w, instance), w => EurekaXmlWriter.WriteInstance(w, instance)), xml, gzip);
    }
}

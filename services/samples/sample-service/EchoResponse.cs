namespace Platform.Samples.SampleService;

internal sealed record EchoResponse(string App, int Port, string Method, string Path, IReadOnlyDictionary<string, string> Headers);

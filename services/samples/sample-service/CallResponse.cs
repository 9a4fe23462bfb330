namespace Platform.Samples.SampleService;

internal sealed record CallResponse(string Service, int Status, string Body);

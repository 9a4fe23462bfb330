using Platform.Samples.SampleService;

SampleServiceApp.Create(args).Run();

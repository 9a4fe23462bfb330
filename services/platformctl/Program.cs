using Platform.Ctl;

return await CtlApp.RunAsync(args, CtlEnvironment.FromProcess());

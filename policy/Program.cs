using NeoCloud.Infra.Policy.Hosting;
using NeoCloud.Infra.Policy.Offline;

// `check ...` runs the offline checker; anything else is the engine starting the analyzer.
return args.Length > 0 && args[0] == "check"
    ? CheckCommand.Run(args[1..])
    : await AnalyzerHost.RunAsync(args).ConfigureAwait(false);

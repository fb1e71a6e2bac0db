using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks;
using Pulumi;

// The project's error contract (README "Exit codes"): invalid configuration exits 2 after printing every problem with its
// key path, BEFORE the engine is contacted, so nothing is registered (not even the stack resource); an internal error
// exits 3 with one line (the stack trace with NEOCLOUD_VERBOSE=1). Once the engine runs, Deployment.RunAsync's code stands.
return await ErrorContract.RunAsync("neocloud stack program", args, Console.Error, async () =>
{
    BindResult bound;
    try
    {
        bound = EnvironmentBinder.Bind(EngineConfig.FromEnvironment());
    }
    catch (EnvironmentConfigException ex)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return ErrorContract.ExitInvalidInput;
    }

    if (!bound.IsValid)
    {
        await Console.Error.WriteLineAsync(new EnvironmentConfigException(bound.Errors).Message);
        return ErrorContract.ExitInvalidInput;
    }

    return await Deployment.RunAsync(() => new EnvironmentStack(bound.Model!).Outputs);
});

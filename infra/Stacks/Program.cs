using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Stacks;
using Pulumi;

// Bind and validate the stack's configuration BEFORE the engine is contacted: invalid configuration prints every
// problem with its key path and exits 1 without registering anything (not even the stack resource).
BindResult bound;
try
{
    bound = EnvironmentBinder.Bind(EngineConfig.FromEnvironment());
}
catch (EnvironmentConfigException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

if (!bound.IsValid)
{
    await Console.Error.WriteLineAsync(new EnvironmentConfigException(bound.Errors).Message);
    return 1;
}

return await Deployment.RunAsync(() => new EnvironmentStack(bound.Model!).Outputs);

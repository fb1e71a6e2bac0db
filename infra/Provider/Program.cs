using NeoCloud.Infra.Components.Gpu;
using Pulumi.Experimental.Provider;

// The component provider: every non-abstract ComponentResource of NeoCloud.Infra.Components, served under the package
// name `neocloud` (types `neocloud:index:<ClassName>`). ComponentProviderHost (pulumi-dotnet v3.112.1,
// sdk/Pulumi/Provider/ComponentProviderHost.cs) takes the schema namespace from the assembly name
// (`NeoCloud.Infra.Components` -> `neo-cloud`), sets the version to 0.0.0, serves GetSchema (ComponentAnalyzer) and
// Construct (the component's public (name, args, options) constructor) over gRPC and prints its port first.
await ComponentProviderHost.Serve(args, typeof(GpuNodePool).Assembly, "neocloud");

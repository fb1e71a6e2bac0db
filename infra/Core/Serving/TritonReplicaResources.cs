namespace NeoCloud.Infra.Core.Serving;

/// <summary>
/// The CPU and memory a Triton replica requests (and is limited to) unless its Args say otherwise: the defaults of
/// <c>TritonServiceArgs.Cpu</c> / <c>.Memory</c>, which the stacks do not override. The platform check places replicas
/// with these figures.
/// </summary>
public static class TritonReplicaResources
{
    /// <summary>CPU request and limit of a replica.</summary>
    public const string Cpu = "4";

    /// <summary>Memory request and limit of a replica.</summary>
    public const string Memory = "16Gi";
}

using System.Collections.Immutable;

namespace NeoCloud.Infra.Core.Serving;

/// <summary>One PriorityClass (scheduling.k8s.io/v1: <c>value</c>, <c>globalDefault</c>, <c>preemptionPolicy</c>, <c>description</c>).</summary>
/// <param name="Name">Object name.</param>
/// <param name="Value">Priority; higher schedules first and may preempt lower.</param>
/// <param name="PreemptionPolicy"><c>PreemptLowerPriority</c> or <c>Never</c>.</param>
/// <param name="Description">What runs at this priority.</param>
public sealed record PriorityClassShape(string Name, int Value, string PreemptionPolicy, string Description);

/// <summary>
/// The priorities a GPU cluster's workloads run at: serving above training above batch, all below the
/// <c>system-cluster-critical</c> (2000000000) and <c>system-node-critical</c> classes Kubernetes reserves for the
/// control plane and node agents (values above 1000000000 are reserved: kubernetes/api scheduling/v1 types.go,
/// <c>HighestUserDefinablePriority</c>). Serving may preempt training and batch pods when a pool is full; batch never
/// preempts anything. None is the global default, so pods that name none keep priority 0.
/// </summary>
public static class ServingPriorities
{
    /// <summary>Online inference: preempts training and batch.</summary>
    public static readonly PriorityClassShape Serving = new("neocloud-serving", 100_000, "PreemptLowerPriority", "Online inference (TritonService / vLLM replicas): may preempt training and batch pods");

    /// <summary>Training jobs: below serving, above batch.</summary>
    public static readonly PriorityClassShape Training = new("neocloud-training", 10_000, "PreemptLowerPriority", "Training jobs: yield to serving, may preempt batch");

    /// <summary>Batch and best-effort work: never preempts.</summary>
    public static readonly PriorityClassShape Batch = new("neocloud-batch", 1_000, "Never", "Batch and best-effort work: never preempts, yields to serving and training");

    /// <summary>Every class, highest first.</summary>
    public static readonly ImmutableArray<PriorityClassShape> All = [Serving, Training, Batch];
}

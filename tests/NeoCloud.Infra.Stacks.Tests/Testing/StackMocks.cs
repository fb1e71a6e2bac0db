using System.Collections.Immutable;
using NeoCloud.Infra.Components.Tests.Testing;
using Pulumi.Testing;

namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>
/// The shared <see cref="RecordingMocks"/>, plus what the cloud would report for a LoadBalancer Service: an ingress
/// address in <c>status</c> (the on-prem Prometheus federation endpoint of a hybrid stack).
/// </summary>
internal sealed class StackMocks : IMocks
{
    public const string LoadBalancerIp = "10.10.0.50";

    public StackMocks(bool preview = false) => Recorded = new RecordingMocks { Preview = preview };

    public RecordingMocks Recorded { get; }

    public async Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        var (id, state) = await Recorded.NewResourceAsync(args);
        if (args.Type == "kubernetes:core/v1:Service" && args.Inputs.TryGetValue("spec", out var spec)
            && spec is IReadOnlyDictionary<string, object> s && s.TryGetValue("type", out var type) && Equals(type, "LoadBalancer"))
        {
            var ingress = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("ip", LoadBalancerIp));
            var status = ImmutableDictionary<string, object>.Empty.Add("loadBalancer", ImmutableDictionary<string, object>.Empty.Add("ingress", ingress));
            state = ((ImmutableDictionary<string, object>)state).SetItem("status", status);
        }

        return (id, state);
    }

    public Task<object> CallAsync(MockCallArgs args) => Recorded.CallAsync(args);
}

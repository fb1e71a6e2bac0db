namespace NeoCloud.Infra.Core.Environments;

// The private hybrid path (issue 14 item 6): a hybrid burst needs what its federation and its internal serving endpoint
// travel over, declared in config, before anything is created.
public static partial class EnvironmentBinder
{
    private sealed partial class Binding
    {
        /// <summary>
        /// For every on-prem → burst pair of a <c>serving[].burst</c>: the on-prem cluster declares its load-balancer
        /// implementation (<c>clusters[i].loadBalancer</c>: the federation endpoint is a LoadBalancer Service, which gets
        /// an address only from one) and the burst cluster its encrypted private link (<c>clusters[j].privateLink</c>: the
        /// federated metrics and the internal serving endpoint never cross networks in plain text). One error per cluster.
        /// </summary>
        private void CheckHybridPaths(EnvironmentModel model)
        {
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in model.Serving.Where(s => s.Burst is not null))
            {
                var onPrem = model.Pool(s.Pool).Cluster;
                var burst = model.Pool(s.Burst!.Pool).Cluster;
                var onPremIndex = model.Clusters.IndexOf(model.Cluster(onPrem));
                var burstIndex = model.Clusters.IndexOf(model.Cluster(burst));
                if (model.Cluster(onPrem).LoadBalancer is null && reported.Add(onPrem))
                {
                    errors.Add($"neocloud:clusters[{onPremIndex}].loadBalancer",
                        $"is required: cluster \"{onPrem}\" exposes its Prometheus to burst cluster \"{burst}\" through a LoadBalancer Service, which gets no address without a load-balancer implementation; allowed: {string.Join(", ", LoadBalancerImplementations())}");
                }

                if (model.Cluster(burst).PrivateLink is null && reported.Add(burst))
                {
                    errors.Add($"neocloud:clusters[{burstIndex}].privateLink",
                        $"is required: burst cluster \"{burst}\" federates metrics from and serves traffic for \"{onPrem}\" only over a declared encrypted private path; allowed: {{kind: vpn | direct-connect-macsec, onPremCidrs: [...]}}");
                }
            }
        }

        // The names clusters[].loadBalancer accepts (the section's table), in the enum's order.
        private static IEnumerable<string> LoadBalancerImplementations() =>
            LoadBalancers.OrderBy(kv => kv.Value).Select(kv => kv.Key);
    }
}

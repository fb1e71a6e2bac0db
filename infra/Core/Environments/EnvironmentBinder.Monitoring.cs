using System.Collections.Immutable;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Stacks;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>The <c>neocloud:monitoring</c> section: YAML shapes, types and secret references here; every other rule is <see cref="PrometheusStackPlanner.Validate"/>.</summary>
public static partial class EnvironmentBinder
{
    /// <summary>
    /// The one table from <see cref="PrometheusStackSpec"/> property paths to <c>neocloud:monitoring</c> keys. Properties the
    /// section does not set (namespace, ownership, federation: the stack's layout and the top-level keys) have no row;
    /// their problems are reported where they are set.
    /// </summary>
    internal static readonly ImmutableSortedDictionary<string, string> MonitoringKeys = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create(nameof(PrometheusStackSpec.ReleaseName), "releaseLabel"),
        KeyValuePair.Create(nameof(PrometheusStackSpec.Retention), "retention"),
        KeyValuePair.Create(nameof(PrometheusStackSpec.StorageSize), "storageSize"),
        KeyValuePair.Create(nameof(PrometheusStackSpec.StorageClass), "storageClass"),
        KeyValuePair.Create(nameof(PrometheusStackSpec.GrafanaAdminUser), "grafana.adminUser"),
        KeyValuePair.Create(nameof(PrometheusReceiverSpec.Name), "name"),
        KeyValuePair.Create(nameof(PrometheusReceiverSpec.Kind), "kind"),
        KeyValuePair.Create("Secret", "secretKey"),
        KeyValuePair.Create(nameof(PrometheusReceiverSpec.Channel), "channel"),
    ]);

    /// <summary>The <c>neocloud:monitoring</c> key path of a <see cref="PrometheusStackSpec"/> property path, or null when the section does not set it.</summary>
    /// <param name="propertyPath">e.g. <c>Retention</c>, <c>AlertReceivers[1].Kind</c>.</param>
    internal static string? MonitoringKeyOf(string propertyPath)
    {
        const string section = "neocloud:monitoring";
        if (ReceiverPath().Match(propertyPath) is { Success: true } m)
        {
            return MonitoringKeys.TryGetValue(m.Groups[2].Value, out var key) ? $"{section}.receivers[{m.Groups[1].Value}].{key}" : null;
        }

        return propertyPath.Contains('.', StringComparison.Ordinal) || !MonitoringKeys.TryGetValue(propertyPath, out var top) ? null : $"{section}.{top}";
    }

    [GeneratedRegex(@"^AlertReceivers\[([0-9]+)\]\.([A-Za-z]+)$")]
    private static partial Regex ReceiverPath();

    private sealed partial class Binding
    {
        private const string DefaultRelease = "kube-prometheus-stack";

        /// <summary>
        /// The spec of the PrometheusStack the stack creates on each cluster, with this section's values: ownership =
        /// the top-level keys (their problems are reported there), namespace = the stack's layout, no per-cluster values.
        /// </summary>
        private PrometheusStackSpec StackSpec(string release, string retention, string size, string? storageClass, string adminUser, ImmutableArray<PrometheusReceiverSpec> receivers) => new(
            BoundOwnership,
            StackLayout.MonitoringNamespace,
            CreateNamespace: true,
            release,
            retention,
            size,
            storageClass,
            GpuOperatorNamespace: null,
            adminUser,
            receivers,
            ExposeFederation: false,
            FederationSourceRanges: []);

        private MonitoringSpec? BindMonitoring()
        {
            var m = TopObject("monitoring");
            if (m is null)
            {
                return config.Values.ContainsKey("monitoring") ? null : new MonitoringSpec(StackSpec(DefaultRelease, "15d", "50Gi", null, "admin", []));
            }

            var retention = m.String("retention") ?? "15d";
            var size = m.String("storageSize") ?? "50Gi";
            var storageClass = m.String("storageClass", secret: SecretUse.Allowed);
            var release = m.String("releaseLabel") ?? DefaultRelease;
            var adminUser = "admin";
            string? adminPasswordKey = null;
            if (m.Object("grafana") is { } g)
            {
                adminUser = g.String("adminUser") ?? "admin";
                adminPasswordKey = SecretKey(g, "adminPasswordSecretKey", "the Grafana admin password");
                g.RejectUnknownKeys();
            }

            var raw = new List<(PrometheusReceiverSpec Spec, string? SecretKey)>();
            foreach (var r in m.Objects("receivers") ?? [])
            {
                var name = r.String("name");
                var kind = r.String("kind");
                var pagerDuty = kind == "pagerduty";
                var key = SecretKey(r, "secretKey", pagerDuty ? "the PagerDuty routing key" : "the webhook URL", required: true);
                var channel = r.String("channel");
                r.RejectUnknownKeys();

                // The secret reference is YAML-only (checked by SecretKey above), so the spec always counts it as given.
                raw.Add((new PrometheusReceiverSpec(name, kind, HasSecret: true, channel), key));
            }

            m.RejectUnknownKeys();
            var spec = StackSpec(release, retention, size, storageClass, adminUser, [.. raw.Select(r => r.Spec)]);
            var problems = Check(m.Path, spec, PrometheusStackPlanner.Validate(spec), path => MonitoringKeyOf(path) ?? SpecCheck.NotThisSection);
            foreach (var problem in problems)
            {
                if (MonitoringKeyOf(problem.PropertyPath) is { } keyPath)
                {
                    errors.Add(keyPath, problem.Reason);
                }
            }

            if (problems.Any(p => MonitoringKeyOf(p.PropertyPath) is not null))
            {
                return null;
            }

            return new MonitoringSpec(spec)
            {
                GrafanaAdminPasswordSecretKey = adminPasswordKey,
                Receivers = [.. raw.Where(r => r.SecretKey is not null).Select(r => new AlertReceiverSpec(r.Spec.Name!, AlertmanagerConfig.Kinds[r.Spec.Kind!], r.SecretKey!, r.Spec.Channel))],
            };
        }
    }
}

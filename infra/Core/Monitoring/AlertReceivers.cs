using System.Collections.Immutable;
using YamlDotNet.Serialization;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>Where Alertmanager sends notifications.</summary>
public enum AlertReceiverKind
{
    /// <summary>A generic webhook (<c>webhook_configs[].url</c>); the secret is the URL.</summary>
    Webhook,

    /// <summary>Slack incoming webhook (<c>slack_configs[].api_url</c>); the secret is the webhook URL.</summary>
    Slack,

    /// <summary>PagerDuty Events API v2 (<c>pagerduty_configs[].routing_key</c>); the secret is the integration (routing) key.</summary>
    PagerDuty,
}

/// <summary>One Alertmanager receiver as configured (<c>neocloud:monitoring.receivers[]</c>).</summary>
/// <param name="Name">Receiver name (a DNS label).</param>
/// <param name="Kind">Webhook, Slack or PagerDuty.</param>
/// <param name="SecretKey">The secret <c>neocloud:</c> config key holding the URL or key; never a plain value.</param>
/// <param name="Channel">Slack only: the channel (e.g. <c>#gpu-alerts</c>), or null for the webhook's default.</param>
public sealed record AlertReceiverSpec(string Name, AlertReceiverKind Kind, string SecretKey, string? Channel = null);

/// <summary>
/// The Alertmanager configuration (<c>alertmanager.yaml</c>) for configured receivers. Field names follow the
/// Alertmanager configuration reference (https://prometheus.io/docs/alerting/latest/configuration/:
/// <c>webhook_config.url</c>, <c>slack_config.api_url</c>/<c>channel</c>, <c>pagerduty_config.routing_key</c>,
/// <c>send_resolved</c>, <c>route.routes[].continue</c>) and the tests run <c>amtool check-config</c> on it. The document
/// holds the secrets, so it goes into a Secret (prometheus-operator reads key <see cref="ConfigKey"/> of the Secret named by
/// <c>alertmanagerSpec.configSecret</c>), never into chart values.
/// </summary>
public static class AlertmanagerConfig
{
    /// <summary>The key of the configuration in its Secret (the chart's own Secret uses the same key:
    /// kube-prometheus-stack 88.5.3 templates/alertmanager/secret.yaml).</summary>
    public const string ConfigKey = "alertmanager.yaml";

    /// <summary>The config values of <see cref="AlertReceiverKind"/> (<c>kind: webhook|slack|pagerduty</c>).</summary>
    public static readonly ImmutableSortedDictionary<string, AlertReceiverKind> Kinds = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
        KeyValuePair.Create("webhook", AlertReceiverKind.Webhook),
        KeyValuePair.Create("slack", AlertReceiverKind.Slack),
        KeyValuePair.Create("pagerduty", AlertReceiverKind.PagerDuty),
    ]);

    /// <summary>The config value of <paramref name="kind"/> (the inverse of <see cref="Kinds"/>): <c>webhook</c>, <c>slack</c> or <c>pagerduty</c>.</summary>
    public static string KindName(AlertReceiverKind kind) => Kinds.First(kv => kv.Value == kind).Key;

    /// <summary>
    /// Renders the configuration: every alert goes to every receiver (the first is the root route's receiver, the
    /// others are child routes with <c>continue: true</c>), grouped by alert name and namespace, resolved notifications
    /// on, and critical alerts inhibiting warnings of the same alert and namespace.
    /// </summary>
    /// <param name="receivers">The receivers with their secret values (URL or key), in order; at least one.</param>
    public static string Render(IReadOnlyList<(AlertReceiverSpec Receiver, string Secret)> receivers)
    {
        ArgumentNullException.ThrowIfNull(receivers);
        if (receivers.Count == 0)
        {
            throw new ArgumentException("at least one receiver is needed; without one the chart's default (no receiver) stays", nameof(receivers));
        }

        var list = new List<object>();
        foreach (var (r, secret) in receivers)
        {
            ArgumentException.ThrowIfNullOrEmpty(secret, nameof(receivers));
            var entry = new Dictionary<string, object> { ["name"] = r.Name };
            switch (r.Kind)
            {
                case AlertReceiverKind.Webhook:
                    entry["webhook_configs"] = new List<object> { new Dictionary<string, object> { ["url"] = secret, ["send_resolved"] = true } };
                    break;
                case AlertReceiverKind.Slack:
                    var slack = new Dictionary<string, object> { ["api_url"] = secret, ["send_resolved"] = true };
                    if (!string.IsNullOrEmpty(r.Channel))
                    {
                        slack["channel"] = r.Channel;
                    }

                    entry["slack_configs"] = new List<object> { slack };
                    break;
                default:
                    entry["pagerduty_configs"] = new List<object> { new Dictionary<string, object> { ["routing_key"] = secret, ["send_resolved"] = true } };
                    break;
            }

            list.Add(entry);
        }

        var route = new Dictionary<string, object>
        {
            ["receiver"] = receivers[0].Receiver.Name,
            ["group_by"] = new List<object> { "alertname", "namespace" },
            ["group_wait"] = "30s",
            ["group_interval"] = "5m",
            ["repeat_interval"] = "4h",
        };
        if (receivers.Count > 1)
        {
            route["routes"] = receivers.Skip(1).Select(r => (object)new Dictionary<string, object> { ["receiver"] = r.Receiver.Name, ["continue"] = true }).ToList();
        }

        var document = new Dictionary<string, object>
        {
            ["route"] = route,
            ["receivers"] = list,
            ["inhibit_rules"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["source_matchers"] = new List<object> { "severity = critical" },
                    ["target_matchers"] = new List<object> { "severity = warning" },
                    ["equal"] = new List<object> { "alertname", "namespace" },
                },
            },
        };
        return new SerializerBuilder().Build().Serialize(document);
    }
}

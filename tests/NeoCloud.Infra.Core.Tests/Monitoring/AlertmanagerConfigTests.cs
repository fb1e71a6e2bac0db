using System.Collections.Immutable;
using NeoCloud.Infra.Core.Monitoring;

namespace NeoCloud.Infra.Core.Tests.Monitoring;

public class AlertmanagerConfigTests
{
    private static readonly (AlertReceiverSpec, string)[] Receivers =
    [
        (new AlertReceiverSpec("oncall", AlertReceiverKind.PagerDuty, "pagerdutyRoutingKey"), "0123456789abcdef0123456789abcdef"),
        (new AlertReceiverSpec("chat", AlertReceiverKind.Slack, "slackWebhookUrl", "#gpu-alerts"), "https://hooks.slack.com/services/T000/B000/XXXX"),
        (new AlertReceiverSpec("hook", AlertReceiverKind.Webhook, "alertWebhookUrl"), "https://alerts.example.com/hook"),
    ];

    [Fact]
    public void Rendered_config_with_every_receiver_kind_passes_amtool_check_config()
    {
        var file = Path.Combine(Path.GetTempPath(), $"neocloud-alertmanager-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, AlertmanagerConfig.Render(Receivers));
        try
        {
            var (exit, output) = Amtool("check-config", file);
            Assert.True(exit == 0, $"amtool check-config failed:\n{output}\n{File.ReadAllText(file)}");
            Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
            Assert.Contains(" - 3 receivers", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Every_receiver_gets_every_alert_and_carries_its_secret()
    {
        var yaml = AlertmanagerConfig.Render(Receivers);
        Assert.Contains("receiver: oncall", yaml, StringComparison.Ordinal);
        Assert.Contains("routing_key: 0123456789abcdef0123456789abcdef", yaml, StringComparison.Ordinal);
        Assert.Contains("api_url: https://hooks.slack.com/services/T000/B000/XXXX", yaml, StringComparison.Ordinal);
        Assert.Contains("url: https://alerts.example.com/hook", yaml, StringComparison.Ordinal);
        Assert.Equal(2, yaml.Split("continue: true").Length - 1);
        Assert.Throws<ArgumentException>(() => AlertmanagerConfig.Render([]));
    }

    [Fact]
    public void Chart_values_read_grafana_admin_and_alertmanager_config_from_secrets()
    {
        var settings = new PrometheusSettings("monitoring", "monitoring", "15d", "100Gi", null) { AlertmanagerConfigured = true };
        var values = KubePrometheusStackChart.Values(settings, new Dictionary<string, string>());
        var admin = Map(Map(values["grafana"])["admin"]);
        Assert.Equal("monitoring-grafana-admin", admin["existingSecret"]);
        Assert.Equal("admin-user", admin["userKey"]);
        Assert.Equal("admin-password", admin["passwordKey"]);
        Assert.False(Map(values["grafana"]).ContainsKey("adminPassword"));
        var spec = Map(Map(values["alertmanager"])["alertmanagerSpec"]);
        Assert.Equal(true, spec["useExistingSecret"]);
        Assert.Equal("monitoring-alertmanager-config", spec["configSecret"]);

        var unconfigured = KubePrometheusStackChart.Values(settings with { AlertmanagerConfigured = false }, new Dictionary<string, string>());
        Assert.False(Map(unconfigured["alertmanager"]).ContainsKey("alertmanagerSpec"));
        Assert.Equal("monitoring-grafana-admin", Map(Map(unconfigured["grafana"])["admin"])["existingSecret"]);
    }

    private static ImmutableSortedDictionary<string, object> Map(object value) => (ImmutableSortedDictionary<string, object>)value;

    private static (int Exit, string Output) Amtool(params string[] args) => Promtool.RunTool("amtool", "prometheus-alertmanager", args);
}

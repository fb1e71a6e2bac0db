using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeoCloud.Infra.Core.Monitoring;

/// <summary>Grafana dashboards (JSON model) delivered as ConfigMaps the kube-prometheus-stack Grafana sidecar loads.</summary>
public static class GrafanaDashboards
{
    /// <summary>The label the Grafana sidecar watches.</summary>
    public const string Label = "grafana_dashboard";

    /// <summary>Its value.</summary>
    public const string LabelValue = "1";

    /// <summary>GPU dashboard: utilisation, framebuffer, engine activity and XID errors per node and GPU (DCGM).</summary>
    public static string Gpu() => Dashboard("neocloud-gpu", "NeoCloud / GPUs", [
        Panel("GPU utilisation (%, MIG instances from the graphics engine)", $"avg by (node, gpu, GPU_I_PROFILE) ({ServingAlerts.GpuUtilisationPercent})", "percent"),
        Panel("Framebuffer used (MiB)", "sum by (node, gpu) (DCGM_FI_DEV_FB_USED)", "decmbytes"),
        Panel("Framebuffer free (MiB)", "sum by (node, gpu) (DCGM_FI_DEV_FB_FREE)", "decmbytes"),
        Panel("Graphics engine active (MIG-aware)", "avg by (node, gpu, GPU_I_PROFILE) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)", "percentunit"),
        Panel("Last XID error (value, not a count)", "max by (node, gpu) (DCGM_FI_DEV_XID_ERRORS)", "none"),
    ]);

    /// <summary>Triton dashboard: p95/p99 latency from the summaries, queue time per request, throughput, replicas.</summary>
    public static string Triton() => Dashboard("neocloud-triton", "NeoCloud / Triton", [
        Panel("p95 latency (ms)", "max by (namespace, model) (nv_inference_request_summary_us{quantile=\"0.95\"}) / 1000", "ms"),
        Panel("p99 latency (ms)", "max by (namespace, model) (nv_inference_request_summary_us{quantile=\"0.99\"}) / 1000", "ms"),
        Panel("Average queue time per request (ms)", "sum by (namespace, model) (rate(nv_inference_queue_duration_us[5m])) / clamp_min(sum by (namespace, model) (rate(nv_inference_request_success[5m])), 1) / 1000", "ms"),
        Panel("Successful requests/s", "sum by (namespace, model) (rate(nv_inference_request_success[5m]))", "reqps"),
        Panel("Failed requests/s", "sum by (namespace, model) (rate(nv_inference_request_failure[5m]))", "reqps"),
        Panel("KEDA metric value", "keda_scaler_metrics_value", "none"),
    ]);

    private static string Dashboard(string uid, string title, JsonObject[] panels)
    {
        for (var i = 0; i < panels.Length; i++)
        {
            panels[i]["id"] = i + 1;
            panels[i]["gridPos"] = new JsonObject { ["h"] = 8, ["w"] = 12, ["x"] = i % 2 * 12, ["y"] = i / 2 * 8 };
        }

        var dashboard = new JsonObject
        {
            ["uid"] = uid,
            ["title"] = title,
            ["schemaVersion"] = 39,
            ["editable"] = false,
            ["time"] = new JsonObject { ["from"] = "now-6h", ["to"] = "now" },
            ["refresh"] = "30s",
            ["tags"] = new JsonArray("neocloud"),
            ["templating"] = new JsonObject { ["list"] = new JsonArray(new JsonObject { ["name"] = "datasource", ["type"] = "datasource", ["query"] = "prometheus" }) },
            ["panels"] = new JsonArray(panels),
        };
        return dashboard.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Panel(string title, string expr, string unit) => new()
    {
        ["type"] = "timeseries",
        ["title"] = title,
        ["datasource"] = new JsonObject { ["type"] = "prometheus", ["uid"] = "${datasource}" },
        ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = unit }, ["overrides"] = new JsonArray() },
        ["targets"] = new JsonArray(new JsonObject { ["refId"] = "A", ["expr"] = expr, ["legendFormat"] = "__auto" }),
    };
}

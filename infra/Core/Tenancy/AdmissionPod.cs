using System.Globalization;
using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Platform;

namespace NeoCloud.Infra.Core.Tenancy;

/// <summary>
/// The pod a platform-check workload creates, as the JSON the admission rules read: its labels, nodeSelector, tolerations
/// and one container with its GPU requests (also as limits, as Kubernetes requires for extended resources). The inventory has no
/// images (the caller names the container's) or security contexts, so <see cref="PodAdmissionRules.RequiredLabels"/>,
/// <see cref="PodAdmissionRules.GpuPools"/> and <see cref="PodAdmissionRules.Tolerations"/> decide on what the stack places.
/// </summary>
public static class AdmissionPod
{
    /// <summary>The pod of <paramref name="workload"/>, its container running <paramref name="image"/>.</summary>
    public static JsonObject From(PlatformWorkload workload, string image)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(image);
        var requests = new JsonObject();
        var limits = new JsonObject();
        foreach (var (name, amount) in workload.Requests.Where(r => PodAdmissionRules.IsGpuResource(r.Key)))
        {
            requests[name] = amount.ToString(CultureInfo.InvariantCulture);
            limits[name] = amount.ToString(CultureInfo.InvariantCulture);
        }

        var tolerations = new JsonArray();
        foreach (var t in workload.Tolerations)
        {
            var o = new JsonObject { ["operator"] = t.Operator };
            if (t.Key is not null)
            {
                o["key"] = t.Key;
            }

            if (t.Value is not null)
            {
                o["value"] = t.Value;
            }

            if (t.Effect is { } e)
            {
                o["effect"] = e.ToString();
            }

            tolerations.Add(o);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["namespace"] = workload.Namespace,
                ["labels"] = new JsonObject([.. workload.PodLabels.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]),
            },
            ["spec"] = new JsonObject
            {
                ["nodeSelector"] = new JsonObject([.. workload.NodeSelector.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))]),
                ["tolerations"] = tolerations,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = workload.Name,
                    ["image"] = image,
                    ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = limits },
                }),
            },
        };
    }
}

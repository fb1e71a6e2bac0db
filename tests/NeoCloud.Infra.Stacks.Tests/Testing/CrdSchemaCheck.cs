using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace NeoCloud.Infra.Stacks.Tests.Testing;

/// <summary>
/// Custom resources checked against the schemas of their CRDs by <c>crd-schemas/check.mjs</c> (node), which uses the
/// npm <c>@kubernetes-models/*</c> packages its package-lock.json pins (scripts/test.sh runs <c>npm ci</c> there).
/// </summary>
internal static class CrdSchemaCheck
{
    public static string Directory => Path.Combine(RepoFiles.Root, "tests", "NeoCloud.Infra.Stacks.Tests", "crd-schemas");

    /// <summary>apiVersion/kind of every built-in kind: the official client's models (KubernetesClient).</summary>
    private static readonly HashSet<(string ApiVersion, string Kind)> BuiltIn = [.. typeof(V1Pod).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<KubernetesEntityAttribute>())
        .Where(e => e is { Kind: { Length: > 0 } })
        .Select(e => (string.IsNullOrEmpty(e!.Group) ? e.ApiVersion : $"{e.Group}/{e.ApiVersion}", e.Kind))];

    /// <summary>Whether a manifest is a custom resource (not a built-in kind, not a Helm chart).</summary>
    public static bool IsCustomResource(JsonObject manifest)
    {
        var apiVersion = (string)manifest["apiVersion"]!;
        var kind = ((string)manifest["kind"]!).Replace("Patch", string.Empty, StringComparison.Ordinal);
        return !apiVersion.StartsWith("helm.sh/", StringComparison.Ordinal) && !BuiltIn.Contains((apiVersion, kind));
    }

    /// <summary>Runs the check on objects keyed by an id; returns which ids had a schema and every problem found.</summary>
    public static Result Run(IReadOnlyList<(string Id, JsonObject Object)> objects)
    {
        var input = Path.Combine(Path.GetTempPath(), $"neocloud-crd-{Guid.NewGuid():N}.json");
        File.WriteAllText(input, new JsonArray([.. objects.Select(o => new JsonObject { ["id"] = o.Id, ["object"] = o.Object.DeepClone() })]).ToJsonString());
        try
        {
            if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
            {
                throw new InvalidOperationException($"{Directory}/node_modules is missing: run `npm ci` there (scripts/test.sh does)");
            }

            var start = new ProcessStartInfo("node", ["check.mjs", input])
            {
                WorkingDirectory = Directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            var stderr = node.StandardError.ReadToEndAsync();
            var stdout = node.StandardOutput.ReadToEnd();
            node.WaitForExit();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"node check.mjs exited with {node.ExitCode}: {stderr.Result}");
            }

            return JsonSerializer.Deserialize<Result>(stdout, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? throw new InvalidOperationException($"check.mjs printed no result: {stdout}");
        }
        finally
        {
            File.Delete(input);
        }
    }

    internal sealed record Problem(string Id, string Message);

    internal sealed record Result(IReadOnlyList<string> Covered, IReadOnlyList<string> Uncovered, IReadOnlyList<Problem> Problems)
    {
        public IEnumerable<string> ProblemsOf(string id) => Problems.Where(p => p.Id == id).Select(p => p.Message);
    }
}

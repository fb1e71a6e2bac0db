using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NeoCloud.Infra.Stacks.Tests.Testing;

namespace NeoCloud.Infra.Stacks.Tests;

/// <summary>
/// Strict schemas for the built-in kinds: every Kubernetes object a checked-in stack registers (except custom resources
/// and Helm charts) deserializes into the official client's model of its kind (KubernetesClient, the kubernetes-client
/// csharp models generated from the API's OpenAPI document) with unknown members rejected, so a misspelt or misplaced
/// field fails here instead of being dropped by the API server.
/// </summary>
public sealed class StrictSchemaTests
{
    /// <summary>apiVersion/kind → the client's model type, from its <see cref="KubernetesEntityAttribute"/>.</summary>
    private static readonly Dictionary<(string ApiVersion, string Kind), Type> Models = typeof(V1Pod).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(x => x.Entity is { Kind: { Length: > 0 } } && !x.Type.Name.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(x => (string.IsNullOrEmpty(x.Entity!.Group) ? x.Entity.ApiVersion : $"{x.Entity.Group}/{x.Entity.ApiVersion}", x.Entity.Kind))
        .ToDictionary(g => g.Key, g => g.First().Type);

    private static readonly JsonSerializerOptions Strict = CreateStrict();

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("cloud")]
    public async Task Every_registered_built_in_object_matches_its_API_schema(string stack)
    {
        var run = await StackRun.StackAsync(stack);
        var objects = run.Mocks.Resources
            .Where(r => r.Type is { } t && t.StartsWith("kubernetes:", StringComparison.Ordinal) && !t.StartsWith("kubernetes:helm.sh/", StringComparison.Ordinal))
            .Select(r => (Resource: r, Manifest: RegisteredManifests.Manifest(r)))
            .ToList();
        var checkedCount = 0;
        var problems = new List<string>();
        foreach (var (resource, manifest) in objects)
        {
            var apiVersion = (string)manifest["apiVersion"]!;
            var kind = ((string)manifest["kind"]!).Replace("Patch", string.Empty, StringComparison.Ordinal);
            if (!Models.TryGetValue((apiVersion, kind), out var model))
            {
                continue; // a custom resource (ScaledObject, ServiceMonitor, CephObjectStore ...): not a built-in kind
            }

            manifest["kind"] = kind;
            try
            {
                _ = JsonSerializer.Deserialize(manifest.ToJsonString(), model, Strict);
                checkedCount++;
            }
            catch (JsonException ex)
            {
                problems.Add($"{resource.Type} {resource.Name}: {ex.Message}");
            }
        }

        Assert.Empty(problems);
        Assert.True(checkedCount >= 10, $"only {checkedCount} built-in objects were checked");
    }

    [Fact]
    public void A_misspelt_field_is_rejected()
    {
        const string deployment = """{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {"replica": 2, "selector": {}, "template": {}}}""";

        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(deployment, Models[("apps/v1", "Deployment")], Strict));
        Assert.Contains("replica", ex.Message, StringComparison.Ordinal);
    }

    private static JsonSerializerOptions CreateStrict()
    {
        // The client's own converters (quantities, int-or-string, dates), with unmapped members disallowed.
        var options = new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        KubernetesJson.AddJsonOptions(o =>
        {
            foreach (var converter in o.Converters)
            {
                if (!options.Converters.Contains(converter))
                {
                    options.Converters.Add(converter);
                }
            }

            options.PropertyNamingPolicy = o.PropertyNamingPolicy;
            options.DefaultIgnoreCondition = o.DefaultIgnoreCondition;
        });
        return options;
    }
}

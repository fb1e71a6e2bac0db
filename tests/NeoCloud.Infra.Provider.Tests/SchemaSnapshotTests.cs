using System.Text.Json.Nodes;
using Json.Schema;
using NeoCloud.Infra.Tests.Shared;
using Pulumi.Experimental.Provider;

namespace NeoCloud.Infra.Provider.Tests;

/// <summary>
/// The schema snapshot (infra/Provider/schema.json): what Pulumi's <see cref="ComponentProvider.GetSchema"/> returns
/// for the components, byte for byte (the provider's own serialization), and valid against Pulumi's package
/// meta-schema. Regenerate after an intended change with
/// <c>NEOCLOUD_UPDATE_SCHEMA=1 dotnet test tests/NeoCloud.Infra.Provider.Tests --filter FullyQualifiedName~SchemaSnapshotTests</c>
/// and review the diff.
/// </summary>
public sealed class SchemaSnapshotTests
{
    /// <summary>The checked-in snapshot.</summary>
    public static string SnapshotPath => RepoRoot.PathOf("infra/Provider/schema.json");

    /// <summary>
    /// The schema the provider serves, from Pulumi's own <see cref="ComponentProvider"/>: over the whole assembly once
    /// no component is pending on the analyzer in <see cref="ComponentCatalog.PendingContract"/> (exactly what the
    /// provider's GetSchema does), else over the accepted ones (the analyzer rejects the whole assembly while one fails).
    /// </summary>
    public static async Task<string> GenerateAsync()
    {
        var provider = ComponentCatalog.PendingOn(ContractCheck.Analyzer).Count == 0
            ? new ComponentProvider(ComponentCatalog.Assembly, ComponentCatalog.Metadata)
            : new ComponentProvider(ComponentCatalog.Assembly, ComponentCatalog.Metadata, ComponentCatalog.AcceptedByAnalyzer());
        var response = await provider.GetSchema(new GetSchemaRequest(0, null, null), CancellationToken.None);
        return response.Schema ?? throw new InvalidOperationException("GetSchema returned no schema");
    }

    [Fact]
    public async Task The_schema_matches_the_snapshot()
    {
        var actual = await GenerateAsync() + "\n";
        if (Environment.GetEnvironmentVariable("NEOCLOUD_UPDATE_SCHEMA") == "1")
        {
            await File.WriteAllTextAsync(SnapshotPath, actual);
        }
        var expected = await File.ReadAllTextAsync(SnapshotPath);
        Assert.True(expected == actual,
            $"the schema the provider serves differs from {SnapshotPath}; if the change is intended, regenerate it with "
            + "NEOCLOUD_UPDATE_SCHEMA=1 dotnet test tests/NeoCloud.Infra.Provider.Tests --filter FullyQualifiedName~SchemaSnapshotTests "
            + $"and review the diff. First difference at character {FirstDifference(expected, actual)}:\n"
            + Excerpt(actual, FirstDifference(expected, actual)));
    }

    [Fact]
    public async Task The_snapshot_serves_every_accepted_component_under_its_index_token()
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(SnapshotPath))!;
        Assert.Equal("neocloud", (string?)schema["name"]);
        var resources = schema["resources"]!.AsObject().Select(r => r.Key).ToList();
        Assert.Equal(ComponentCatalog.AcceptedByAnalyzer().Select(t => $"neocloud:index:{t.Name}").Order(StringComparer.Ordinal), resources.Order(StringComparer.Ordinal));
        Assert.All(schema["resources"]!.AsObject(), r => Assert.Equal(true, (bool?)r.Value!["isComponent"]));
    }

    [Fact]
    public async Task The_snapshot_is_valid_against_Pulumis_package_meta_schema()
    {
        var errors = Validate(JsonNode.Parse(await File.ReadAllTextAsync(SnapshotPath)));
        Assert.True(errors.Count == 0, "infra/Provider/schema.json violates pulumi.json:\n  " + string.Join("\n  ", errors));
    }

    [Fact]
    public void The_meta_schema_rejects_what_Pulumi_rejects()
    {
        // The validation is not vacuous: a resource property with an unknown type and a package without a name fail.
        var bad = JsonNode.Parse("""
            {"resources": {"neocloud:index:X": {"isComponent": true, "inputProperties": {"a": {"type": "enum"}}}}}
            """);
        var errors = Validate(bad);
        Assert.Contains(errors, e => e.Contains("name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/resources/neocloud:index:X/inputProperties/a", StringComparison.Ordinal));
    }

    /// <summary>Every error of <paramref name="instance"/> against the checked-in meta-schema (MetaSchema/pulumi.json), as "location: message".</summary>
    public static List<string> Validate(JsonNode? instance)
    {
        var metaSchema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "MetaSchema", "pulumi.json"));
        var result = metaSchema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))];
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }
        return i;
    }

    private static string Excerpt(string text, int at) => text.Substring(Math.Max(0, at - 200), Math.Min(400, text.Length - Math.Max(0, at - 200)));
}

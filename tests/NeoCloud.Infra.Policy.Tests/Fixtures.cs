using System.Text.Json;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Tests;

/// <summary>Builds resource snapshots from JSON text (with the engine's sentinels) and runs single rules.</summary>
internal static class Fixtures
{
    public const string UnknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    public const string UnknownObject = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
    public const string UnknownArray = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
    public const string UnknownNumber = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
    public const string UnknownBool = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";

    /// <summary>A recognisable secret value: tests assert it never appears in a message.</summary>
    public const string SecretText = "SUPER-SECRET-hunter2-7f3a";

    /// <summary>JSON of a secret wrapping <paramref name="json"/>.</summary>
    public static string Secret(string json) =>
        $$$$$"""{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","value":{{{{{json}}}}}}""";

    public static ObjectValue Props(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return (ObjectValue)PulumiWireValues.DecodeObject(PulumiWireValues.DecodeProperties(doc.RootElement));
    }

    public static ResourceSnapshot Resource(string type, string name, string json) =>
        ResourceSnapshot.Create(type, name, Props(json));

    public static StackInfo Stack(StackKind kind = StackKind.Prod) =>
        StackInfo.Unconfigured with { Name = kind == StackKind.Prod ? "prod" : "dev", Kind = kind };

    public static IReadOnlyList<Diagnostic> Run(IResourceRule rule, ResourceSnapshot resource, StackKind kind = StackKind.Prod)
    {
        var pack = new PolicyPack("test", "0.0.0", [rule]);
        return pack.Analyze(resource, PolicySettings.Defaults(pack.Rules, kind), Stack(kind));
    }

    public static IReadOnlyList<Diagnostic> RunStack(IStackRule rule, IEnumerable<ResourceSnapshot> resources, StackKind kind = StackKind.Prod)
    {
        var pack = new PolicyPack("test", "0.0.0", [rule]);
        return pack.AnalyzeStack(new StackSnapshot(resources), PolicySettings.Defaults(pack.Rules, kind), Stack(kind));
    }

    /// <summary>A Deployment with the given containers JSON array and extra pod spec fields.</summary>
    public static ResourceSnapshot Deployment(string name, string containers, string podSpecExtra = "", string labels = """{"neocloud.io/environment":"prod","neocloud.io/cost-center":"ml"}""", string? replicas = null) =>
        Resource("kubernetes:apps/v1:Deployment", name, $$$$$"""
        {"metadata":{"name":"{{{{{name}}}}}","namespace":"serving","labels":{{{{{labels}}}}}},
         "spec":{{{{{{(replicas is null ? "" : $"\"replicas\":{replicas},")}}}}}"template":{"metadata":{"labels":{"app":"{{{{{name}}}}}"}},"spec":{"containers":{{{{{containers}}}}}{{{{{podSpecExtra}}}}}}}}}
        """);

    public static string RepoRoot() => NeoCloud.Infra.Tests.Shared.RepoRoot.FullPath;

    public static void AssertNoSecret(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Assert.DoesNotContain(SecretText, d.Message, StringComparison.Ordinal);
        }
    }
}

using System.Reflection;
using System.Text.RegularExpressions;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Policy.Rules;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Tests.Rules;

/// <summary>
/// The pack speaks Core's label vocabulary (<see cref="ResourceLabels"/>, <c>GpuNodeLabels</c>, …): every label or tag key
/// of the NeoCloud, NVIDIA and Kubernetes families that the pack's sources or its rules' descriptors mention is a
/// constant Core defines, and the pack declares no constant of its own for one. (Issue 17: the pack read
/// <c>neocloud.io/bucket-purpose</c>, a key nothing writes, while the Storage component wrote <c>neocloud.io/bucket-role</c>.)
/// </summary>
public sealed partial class LabelVocabularyTests
{
    /// <summary>
    /// A prefixed label key of the families (<c>neocloud.io</c>, <c>nvidia.com</c>, <c>kubernetes.io</c> and their
    /// subdomains), not followed by a character that would make it a longer name or a pattern (<c>nvidia.com/mig-*</c>,
    /// <c>nvidia.com/mig-&lt;profile&gt;</c>, the resource prefix <c>nvidia.com/mig-</c>).
    /// </summary>
    [GeneratedRegex(@"(?<![\w.\-/])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*(?:neocloud\.io|nvidia\.com|kubernetes\.io)/[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?![\w.*<>/-])")]
    private static partial Regex FamilyKey();

    /// <summary>A C# string constant of the pack: <c>const string X = "…"</c>.</summary>
    [GeneratedRegex("""const\s+string\s+(\w+)\s*=\s*"([^"]*)"\s*;""")]
    private static partial Regex StringConstant();

    /// <summary>Every public string constant of Core (any public type, nested ones included).</summary>
    private static readonly Lazy<HashSet<string>> CoreConstants = new(() =>
        typeof(ResourceLabels).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal));

    private static IEnumerable<string> Keys(string text) => FamilyKey().Matches(text).Select(m => m.Groups[1].Value);

    private static IEnumerable<(string File, string Text)> PackSources()
    {
        var root = Path.Combine(Fixtures.RepoRoot(), "policy");
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .Select(f => (Path.GetRelativePath(Fixtures.RepoRoot(), f), File.ReadAllText(f)));
    }

    [Fact]
    public void The_scanner_finds_keys_and_ignores_patterns_and_prefixes()
    {
        Assert.Equal(
            ["neocloud.io/bucket-purpose", "nvidia.com/mig.config", "node.kubernetes.io/instance-type", "app.kubernetes.io/name"],
            Keys("""tags["neocloud.io/bucket-purpose"]; "nvidia.com/mig.config" node.kubernetes.io/instance-type, (app.kubernetes.io/name)""").ToList());
        Assert.Empty(Keys("""nvidia.com/mig-* nvidia.com/mig-<profile> "nvidia.com/mig-" aws:s3/bucket:Bucket /v2/health/ready example.com/x"""));
        Assert.DoesNotContain("neocloud.io/bucket-purpose", CoreConstants.Value);
    }

    [Fact]
    public void Every_key_in_the_pack_sources_is_a_core_constant()
    {
        var foreign = PackSources()
            .SelectMany(s => Keys(s.Text).Where(k => !CoreConstants.Value.Contains(k)).Select(k => $"{s.File}: {k}"))
            .Distinct()
            .ToList();

        Assert.True(foreign.Count == 0, "label keys Core does not define (add them to Core.Naming.ResourceLabels or use Core's constant):\n" + string.Join('\n', foreign));
    }

    [Fact]
    public void The_pack_declares_no_label_key_constant_of_its_own()
    {
        var copies = PackSources()
            .SelectMany(s => StringConstant().Matches(s.Text).Where(m => Keys(m.Groups[2].Value).Any()).Select(m => $"{s.File}: {m.Groups[1].Value} = \"{m.Groups[2].Value}\""))
            .ToList();

        Assert.True(copies.Count == 0, "use Core's constant instead of a copy:\n" + string.Join('\n', copies));
    }

    [Fact]
    public void Every_key_the_rules_show_or_default_to_is_a_core_constant()
    {
        static IEnumerable<string> Strings(PropertyValue value) => value.Unwrap() switch
        {
            StringValue s => [s.Value],
            ArrayValue a => a.Elements.SelectMany(Strings),
            _ => [],
        };

        var texts = NeoCloudPolicyPack.Rules().SelectMany(r => new[] { r.Descriptor.DisplayName, r.Descriptor.Description }
            .Concat(r.Descriptor.Schema.Properties.SelectMany(p => Strings(p.Default).Append(p.Description))));
        var keys = texts.SelectMany(Keys).Distinct().ToList();

        Assert.Contains(ResourceLabels.Pool, keys); // gpu-workloads-target-gpu-pools' poolLabel default
        Assert.Contains(ResourceLabels.Environment, keys); // required-labels' requiredKeys default
        Assert.All(keys, k => Assert.True(CoreConstants.Value.Contains(k), $"{k} is not a Core constant"));
    }

    [Fact]
    public void The_storage_component_writes_the_bucket_role_key_the_pack_reads()
    {
        // The component's key is the truth (issue 17): ReplicatedBucket tags its buckets through its Core plan
        // (ReplicatedBucketPlan.Tags) with Core's constants, so the pack and the component cannot drift apart.
        var root = Fixtures.RepoRoot();
        var component = File.ReadAllText(Path.Combine(root, "infra", "Components", "Storage", "ReplicatedBucket.cs"));
        var plan = File.ReadAllText(Path.Combine(root, "infra", "Core", "Storage", "ReplicatedBucketPlan.cs"));

        Assert.Contains("SetItem(ResourceLabels.BucketRole, role)", plan, StringComparison.Ordinal);
        Assert.Contains("Tags(ResourceLabels.BucketRoleReplica)", component, StringComparison.Ordinal);
        Assert.DoesNotContain("\"neocloud.io/bucket-", component + plan, StringComparison.Ordinal);
    }
}

using System.Collections.Immutable;
using NeoCloud.Infra.Core.Hardware;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Infra.Core.Tests.Hardware;

public sealed class MigConfigTests
{
    private static readonly Dictionary<string, MigConfigDefinition> NoCustom = [];

    private static GpuModel H100 => HardwareCatalog.Default.FindGpu("H100-SXM5-80GB")!;

    private static GpuModel A100_40 => HardwareCatalog.Default.FindGpu("A100-SXM4-40GB")!;

    private static GpuModel A100_80 => HardwareCatalog.Default.FindGpu("A100-SXM4-80GB")!;

    private static ImmutableSortedDictionary<string, int> L(params (string Profile, int Count)[] terms) =>
        terms.ToImmutableSortedDictionary(t => t.Profile, t => t.Count, StringComparer.Ordinal);

    private static MigConfigDefinition Custom(string name, params (int[]? Devices, ImmutableSortedDictionary<string, int> Layout)[] entries) =>
        new(name, [.. entries.Select(e => new MigDeviceLayout(e.Devices is null ? null : [.. e.Devices], e.Layout))]);

    [Fact]
    public void Built_in_names_follow_mig_parted()
    {
        Assert.Equal(
            new[] { "all-disabled", "all-1g.10gb", "all-1g.20gb", "all-2g.20gb", "all-3g.40gb", "all-4g.40gb", "all-7g.80gb", "all-balanced" },
            MigConfigs.BuiltInNames(H100).ToArray());
        Assert.Equal(new[] { "all-disabled" }, MigConfigs.BuiltInNames(HardwareCatalog.Default.FindGpu("L4")!).ToArray());

        // config-default.yaml: all-1g.10gb is 4 on A100-40GB and 7 on the 80GB models.
        Assert.Equal(4, MigConfigs.BuiltInLayout("all-1g.10gb", A100_40)!["1g.10gb"]);
        Assert.Equal(7, MigConfigs.BuiltInLayout("all-1g.10gb", H100)!["1g.10gb"]);
    }

    [Fact]
    public void Every_built_in_config_is_a_valid_layout()
    {
        foreach (var gpu in HardwareCatalog.Default.Gpus)
        {
            foreach (var name in MigConfigs.BuiltInNames(gpu))
            {
                var r = MigConfigs.Resolve(name, gpu, 8, NoCustom);
                Assert.True(r.IsValid, $"{gpu.Id} {name}: {string.Join("; ", r.Errors)}");
                Assert.Equal(8, r.PerDevice.Length);
            }
        }
    }

    [Fact]
    public void Unknown_name_lists_the_valid_ones()
    {
        var r = MigConfigs.Resolve("all-2g.10gb", H100, 8, NoCustom);
        Assert.False(r.IsValid);
        Assert.Equal(
            "\"all-2g.10gb\" is not a MIG config of H100-SXM5-80GB; valid: all-disabled, all-1g.10gb, all-1g.20gb, all-2g.20gb, all-3g.40gb, all-4g.40gb, all-7g.80gb, all-balanced",
            Assert.Single(r.Errors));
    }

    [Fact]
    public void Custom_config_resolves_per_device_and_leaves_the_rest_disabled()
    {
        var custom = Custom("inference", ([0, 1], L(("1g.10gb", 7))), ([2], L(("3g.40gb", 2))));
        var r = MigConfigs.Resolve("inference", H100, 4, new Dictionary<string, MigConfigDefinition> { ["inference"] = custom });
        Assert.True(r.IsValid);
        Assert.Equal(["1g.10gb×7", "1g.10gb×7", "3g.40gb×2", "(disabled)"], r.PerDevice.Select(MigGeometry.Describe));
    }

    [Fact]
    public void Custom_config_errors_name_the_device_set()
    {
        var custom = Custom(
            "bad",
            ([0, 1], L(("3g.40gb", 2), ("1g.10gb", 1))),
            ([1, 8], L(("7g.80gb", 1))));
        var r = MigConfigs.Resolve("bad", H100, 8, new Dictionary<string, MigConfigDefinition> { ["bad"] = custom });
        Assert.False(r.IsValid);
        Assert.Contains(r.Errors, e => e.StartsWith("custom MIG config \"bad\", devices [0,1]: no non-overlapping placement on H100-SXM5-80GB", StringComparison.Ordinal));
        Assert.Contains("custom MIG config \"bad\", devices [1,8]: device 1 is also in devices [0,1]; device sets must not overlap", r.Errors);
        Assert.Contains("custom MIG config \"bad\", devices [1,8]: device index 8 is out of range; a node of H100-SXM5-80GB here has GPUs 0-7", r.Errors);
    }

    [Fact]
    public void Rendered_config_parses_back_with_device_filters_per_model()
    {
        var custom = Custom("inference", ([0, 1], L(("1g.10gb", 7))), ([2], L(("3g.40gb", 2))));
        var yaml = MigPartedConfig.Render(
        [
            new MigConfigUse("all-balanced", H100),
            new MigConfigUse("all-balanced", A100_40),
            new MigConfigUse("all-balanced", A100_80),
            new MigConfigUse("all-1g.10gb", H100),
            new MigConfigUse("all-1g.10gb", H100),
            new MigConfigUse("inference", H100, custom) { GpusPerNode = 4 },
        ]);

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        Assert.Equal("v1", root["version"].ToString());
        var configs = (YamlMappingNode)root["mig-configs"];
        Assert.Equal(["all-1g.10gb", "all-balanced", "all-disabled", "inference"], configs.Children.Keys.Select(k => k.ToString()));

        var disabled = (YamlMappingNode)Assert.Single((YamlSequenceNode)configs["all-disabled"]);
        Assert.Equal("all", disabled["devices"].ToString());
        Assert.Equal("false", disabled["mig-enabled"].ToString());

        var one = (YamlMappingNode)Assert.Single((YamlSequenceNode)configs["all-1g.10gb"]);
        Assert.False(one.Children.ContainsKey("device-filter"));
        Assert.Equal("7", ((YamlMappingNode)one["mig-devices"])["1g.10gb"].ToString());

        var balanced = ((YamlSequenceNode)configs["all-balanced"]).Cast<YamlMappingNode>().ToArray();
        Assert.Equal(2, balanced.Length);
        var filters = balanced.Select(e => string.Join(",", ((YamlSequenceNode)e["device-filter"]).Select(n => n.ToString()))).ToArray();
        Assert.Equal(["0x20B010DE", "0x20B210DE,0x233010DE"], filters);
        var a100 = (YamlMappingNode)balanced[0]["mig-devices"];
        Assert.Equal("2", a100["1g.5gb"].ToString());
        Assert.Equal("1", a100["3g.20gb"].ToString());
        var hopper = (YamlMappingNode)balanced[1]["mig-devices"];
        Assert.Equal("2", hopper["1g.10gb"].ToString());
        Assert.Equal("1", hopper["2g.20gb"].ToString());
        Assert.Equal("1", hopper["3g.40gb"].ToString());
        Assert.Equal("true", balanced[1]["mig-enabled"].ToString());

        var inference = ((YamlSequenceNode)configs["inference"]).Cast<YamlMappingNode>().ToArray();
        Assert.Equal(3, inference.Length);
        Assert.Equal(["0", "1"], ((YamlSequenceNode)inference[0]["devices"]).Select(n => n.ToString()));
        Assert.Equal("false", inference[2]["mig-enabled"].ToString());
        Assert.Equal(["3"], ((YamlSequenceNode)inference[2]["devices"]).Select(n => n.ToString()));

        // Profile names are quoted, as in NVIDIA's config.
        Assert.Contains("\"1g.10gb\": 7", yaml);
        Assert.Equal(yaml, MigPartedConfig.Render(
        [
            new MigConfigUse("inference", H100, custom) { GpusPerNode = 4 },
            new MigConfigUse("all-1g.10gb", H100),
            new MigConfigUse("all-balanced", A100_80),
            new MigConfigUse("all-balanced", A100_40),
            new MigConfigUse("all-balanced", H100),
        ]));
    }

    [Fact]
    public void Rendering_always_has_all_disabled()
    {
        var root = (YamlMappingNode)Parse(MigPartedConfig.Render([])).RootNode;
        Assert.Equal(["all-disabled"], ((YamlMappingNode)root["mig-configs"]).Children.Keys.Select(k => k.ToString()));
    }

    [Fact]
    public void Rendering_rejects_a_name_invalid_for_its_gpu()
    {
        var ex = Assert.Throws<ArgumentException>(() => MigPartedConfig.Render([new MigConfigUse("all-1g.5gb", H100)]));
        Assert.Contains("\"all-1g.5gb\" is not a MIG config of H100-SXM5-80GB", ex.Message);
        Assert.Equal("uses", ex.ParamName);
    }

    [Fact]
    public void Parsing_a_rendered_document_gives_back_each_models_layouts()
    {
        var custom = Custom("serving-mixed", ([0, 1, 2, 3], L(("1g.10gb", 7))), ([4, 5, 6, 7], L(("3g.40gb", 2))));
        var yaml = MigPartedConfig.Render(
        [
            new MigConfigUse("serving-mixed", H100, custom),
            new MigConfigUse("all-balanced", H100),
            new MigConfigUse("all-balanced", A100_40),
        ]);

        var document = MigPartedDocument.Parse(yaml);

        Assert.Equal(["all-balanced", "all-disabled", "serving-mixed"], document.Names.Order(StringComparer.Ordinal));
        var h100 = document.For(H100);
        var resolved = MigConfigs.Resolve("serving-mixed", H100, 8, h100);
        Assert.True(resolved.IsValid, string.Join("; ", resolved.Errors));
        var original = MigConfigs.Resolve("serving-mixed", H100, 8, new Dictionary<string, MigConfigDefinition> { ["serving-mixed"] = custom });
        Assert.Equal(original.PerDevice.Select(MigGeometry.Describe), resolved.PerDevice.Select(MigGeometry.Describe));
        // all-balanced carries one entry per model (device-filter): each model reads back its own layout.
        Assert.Equal(MigGeometry.Describe(H100.BalancedLayout), MigGeometry.Describe(Assert.Single(h100["all-balanced"].Entries).Layout));
        Assert.Equal(MigGeometry.Describe(A100_40.BalancedLayout), MigGeometry.Describe(Assert.Single(document.For(A100_40)["all-balanced"].Entries).Layout));
        Assert.NotEqual(MigGeometry.Describe(H100.BalancedLayout), MigGeometry.Describe(A100_40.BalancedLayout));
    }

    [Fact]
    public void Parsing_rejects_a_document_without_mig_configs() =>
        Assert.Throws<FormatException>(() => MigPartedDocument.Parse("version: v1\n"));

    private static YamlDocument Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Single();
    }
}

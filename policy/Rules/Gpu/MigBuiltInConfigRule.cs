using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Hardware;
using NeoCloud.Infra.Core.Policy;
using NeoCloud.Infra.Policy.Rules.Configuration;
using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Model;

namespace NeoCloud.Infra.Policy.Rules.Gpu;

/// <summary>
/// Analyze-time half of the MIG check: a node group or node whose <c>nvidia.com/mig.config</c> label is a built-in config
/// name (<c>all-disabled</c>, <c>all-balanced</c>, <c>all-&lt;profile&gt;</c>) that Core's catalog does not define for its
/// GPU (e.g. <c>all-2g.10gb</c>, an A100 40GB profile, on a p5.48xlarge H100 node group) is reported per resource, before
/// anything is created. Other names are custom configs: <see cref="MigConfigValidRule"/> resolves them at AnalyzeStack
/// against the stack's mig-parted ConfigMap. Names and layouts come from Core (<see cref="MigConfigs"/>), never from here.
/// </summary>
public sealed class MigBuiltInConfigRule(HardwareCatalog catalog) : IResourceRule
{
    private const string BuiltInPrefix = "all-";

    /// <summary>Uses the Core catalog embedded in NeoCloud.Infra.Core.</summary>
    public MigBuiltInConfigRule() : this(HardwareCatalog.Default)
    {
    }

    /// <inheritdoc />
    public PolicyDescriptor Descriptor { get; } = new(
        "mig-builtin-config-valid", "Built-in MIG config names fit the GPU",
        "A node group or node labelled nvidia.com/mig.config with a built-in config name (all-disabled, all-balanced, all-<profile>) uses one that NeoCloud.Infra.Core defines for its GPU model; custom names are checked by mig-config-valid.",
        PolicySeverity.Critical, PolicyKind.Resource, EnforcementLevel.Mandatory, EnforcementLevel.Mandatory, ConfigSchema.None, ["gpu", "mig"]);

    /// <summary>True for names of the built-in form; anything else is a custom config of the mig-parted ConfigMap.</summary>
    public static bool IsBuiltInName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(BuiltInPrefix, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public IEnumerable<Violation> Check(ResourceSnapshot resource, RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!GpuPool.Types.Contains(resource.Type))
        {
            return [];
        }
        GpuPool pool;
        try
        {
            pool = GpuPool.From(resource, catalog);
        }
        catch (UnknownValueException)
        {
            return [Violation.CannotEvaluate($"the labels or instance type of '{resource.Name}'", resource.Urn)];
        }
        // No GPU model: mig-config-valid reports it at AnalyzeStack (it may come from a label set elsewhere).
        if (pool.MigConfig is not { } config || !IsBuiltInName(config) || pool.Gpu is not { } gpu ||
            MigConfigs.BuiltInLayout(config, gpu) is not null)
        {
            return [];
        }
        var labels = resource.Type == "aws:eks/nodeGroup:NodeGroup" ? resource["labels"] : resource["metadata"]["labels"];
        var shown = labels[GpuNodeLabels.MigConfig].IsSecret ? "[secret]" : config;
        return [new Violation(
            $"pool '{pool.Name}' ({gpu.Id}): {GpuNodeLabels.MigConfig}={shown} is not a built-in MIG config of this GPU; valid: {string.Join(", ", MigConfigs.BuiltInNames(gpu))} (or a custom config of the stack's mig-parted ConfigMap)",
            resource.Urn)];
    }
}

using NeoCloud.Infra.Components.Kubernetes;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;
using Pulumi.Kubernetes.Types.Inputs.Scheduling.V1;
using K8s = Pulumi.Kubernetes;
using Shapes = NeoCloud.Infra.Core.Serving.ServingPriorities;

namespace NeoCloud.Infra.Components.Serving;

/// <summary>Inputs of <see cref="ServingPriorityClasses"/>.</summary>
public sealed class ServingPriorityClassesArgs : NeoCloudArgs
{
    internal Core.Naming.OwnershipSpec ToOwnershipSpec() => ToOwnership();
}

/// <summary>
/// The cluster's PriorityClasses (Core's <c>ServingPriorities</c>): <c>neocloud-serving</c> above
/// <c>neocloud-training</c> above <c>neocloud-batch</c>. Serving pods name the first through
/// <see cref="TritonServiceArgs.PriorityClassName"/> (the <see cref="ServingClassName"/> output).
/// </summary>
public sealed class ServingPriorityClasses : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:ServingPriorityClasses";

    /// <summary>Creates the three PriorityClasses.</summary>
    /// <param name="name">Component name (children are <c>&lt;name&gt;-&lt;class&gt;</c>).</param>
    /// <param name="args">Ownership labels.</param>
    /// <param name="options">Component options; pass the Kubernetes provider through <c>Providers</c>.</param>
    public ServingPriorityClasses(string name, ServingPriorityClassesArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(ServingPriorityClassesArgs), name, args?.ToOwnershipSpec(), Core.Naming.OwnershipPlanner.Validate, o => o), options)
    {
    }

    private ServingPriorityClasses(string name, ServingPriorityClassesArgs args, Core.Naming.OwnershipSpec ownership, ComponentResourceOptions? options)
        : base(TypeToken, name, args, options)
    {
        var labels = CoreData.ToLabels(ownership.Tags.SetItems(Core.Naming.ResourceLabels.For("neocloud", name, "priority", ownership.Environment, ownership.CostCenter)));
        Output<string>? serving = null;
        foreach (var shape in Shapes.All)
        {
            var pc = new K8s.Scheduling.V1.PriorityClass($"{name}-{shape.Name}", new PriorityClassArgs
            {
                Metadata = new ObjectMetaArgs { Name = shape.Name, Labels = labels },
                Value = shape.Value,
                GlobalDefault = false,
                PreemptionPolicy = shape.PreemptionPolicy,
                Description = shape.Description,
            }, new CustomResourceOptions { Parent = this });
            if (shape == Shapes.Serving)
            {
                serving = pc.Metadata.Apply(m => m.Name);
            }
        }

        ServingClassName = serving!;
        RegisterOutputs(new Dictionary<string, object?> { ["servingClassName"] = ServingClassName });
    }

    /// <summary>Name of the serving PriorityClass.</summary>
    [Output("servingClassName")]
    public Output<string> ServingClassName { get; private set; }
}

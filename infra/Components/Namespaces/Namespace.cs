using NeoCloud.Infra.Components.Kubernetes;
using NeoCloud.Infra.Core.Naming;
using Pulumi;
using K8s = Pulumi.Kubernetes;

namespace NeoCloud.Infra.Components.Namespaces;

/// <summary>Inputs of <see cref="Namespace"/>; validated by Core's <see cref="NamespacePlanner.Validate"/>.</summary>
public sealed class NamespaceArgs : NeoCloudArgs
{
    /// <summary>Required. The namespace's name (a DNS-1123 label; not default or kube-*). The Kubernetes object is named so.</summary>
    [Input("namespaceName", required: true)]
    public string NamespaceName { get; set; } = null!;

    /// <summary>Required. The application the namespace holds: its <c>app.kubernetes.io/name</c> label, e.g. <c>vector-db</c>.</summary>
    [Input("app", required: true)]
    public string App { get; set; } = null!;

    internal NamespaceSpec ToSpec() => new(NamespaceName, App, ToOwnership());
}

/// <summary>
/// A platform namespace: one Kubernetes Namespace named <see cref="NamespaceArgs.NamespaceName"/>, labelled with the
/// recommended <c>app.kubernetes.io/*</c> labels and <c>neocloud.io/environment</c> / <c>neocloud.io/cost-center</c>
/// (plus <see cref="NeoCloudArgs.Tags"/>). What the stack creates for the shared services (model store, vector DB);
/// tenant namespaces are <c>Tenant</c>'s. The child is named <c>name</c> itself, so a program whose namespace was a
/// root resource of that name can move it into the component with an alias (same name, no parent) instead of
/// replacing it (the stack does: <c>EnvironmentStack.Namespace</c>).
/// </summary>
public sealed class Namespace : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "neocloud:index:Namespace";

    /// <summary>Creates the namespace; throws <see cref="ComponentArgsException"/> listing every problem before registering anything when the Args are invalid.</summary>
    /// <param name="name">Component name; the Kubernetes Namespace resource has the same name.</param>
    /// <param name="args">The namespace's inputs.</param>
    /// <param name="options">Options; the Kubernetes provider reaches the child through them.</param>
    public Namespace(string name, NamespaceArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(NamespaceArgs), name, args?.ToSpec(), NamespacePlanner.Validate, NamespacePlanner.Plan), options)
    {
    }

    private Namespace(string name, NamespaceArgs args, NamespacePlan plan, ComponentResourceOptions? options)
        : base(TypeToken, name, args, ComponentContract.WithAliases(options))
    {
        var created = new K8s.Core.V1.Namespace(name, new K8s.Types.Inputs.Core.V1.NamespaceArgs
        {
            Metadata = new K8s.Types.Inputs.Meta.V1.ObjectMetaArgs { Name = plan.Name, Labels = CoreData.ToLabels(plan.Labels) },
        }, new CustomResourceOptions { Parent = this });
        NamespaceName = created.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["namespaceName"] = NamespaceName });
    }

    /// <summary>The namespace's name, known once the Namespace is created (depend on it through this output).</summary>
    [Output("namespaceName")]
    public Output<string> NamespaceName { get; private set; }
}

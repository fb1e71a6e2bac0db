using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Naming;

namespace NeoCloud.Infra.Core.Tests.Autoscaling;

public class KedaOperatorPlannerTests
{
    private static KedaOperatorSpec Valid() => new("keda", new OwnershipSpec("prod", "ml-platform"), "keda", true, "monitoring");

    public static TheoryData<Func<KedaOperatorSpec, KedaOperatorSpec>, string> Rules() => new()
    {
        { s => s with { Name = "Keda" }, "(name)" },
        { s => s with { Name = new string('k', 54) }, "(name)" },
        { s => s with { Ownership = new OwnershipSpec("prod", "Ml") }, "CostCenter" },
        { s => s with { Ownership = new OwnershipSpec(null!, "ml-platform") }, "Environment" },
        { s => s with { Namespace = null }, "Namespace" },
        { s => s with { Namespace = "kube_keda" }, "Namespace" },
        { s => s with { MonitoringRelease = "" }, "MonitoringRelease" },
        { s => s with { MonitoringRelease = "release with spaces" }, "MonitoringRelease" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void EachRuleReportsItsPropertyPath(Func<KedaOperatorSpec, KedaOperatorSpec> breakIt, string path) =>
        Assert.Equal(path, Assert.Single(KedaOperatorPlanner.Validate(breakIt(Valid()))).PropertyPath);

    [Fact]
    public void AValidSpecPlansLabelsAndValues()
    {
        Assert.Empty(KedaOperatorPlanner.Validate(Valid()));
        Assert.Empty(KedaOperatorPlanner.Validate(Valid() with { MonitoringRelease = null, Name = new string('k', 53) }));
        var plan = KedaOperatorPlanner.Plan(Valid() with { Ownership = new OwnershipSpec("prod", "ml-platform", ImmutableSortedDictionary<string, string>.Empty.Add("team", "platform")) });
        Assert.Equal("platform", plan.Labels["team"]);
        Assert.Equal("prod", plan.Labels["neocloud.io/environment"]);
        Assert.Equal("keda", plan.Labels["app.kubernetes.io/name"]);
        Assert.True(plan.Values.ContainsKey("prometheus"));
        Assert.False(KedaOperatorPlanner.Plan(Valid() with { MonitoringRelease = null }).Values.ContainsKey("prometheus"));
    }

    [Fact]
    public void AnInvalidSpecIsNeverPlanned() =>
        Assert.Throws<ArgumentException>(() => KedaOperatorPlanner.Plan(Valid() with { Namespace = "KEDA" }));
}

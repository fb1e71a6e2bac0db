using System.Collections.Immutable;
using NeoCloud.Infra.Core.Autoscaling;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Core.Serving;

namespace NeoCloud.Infra.Core.Tests.Serving;

public class TritonServicePlannerTests
{
    private const string Mig = "nvidia.com/mig-1g.10gb";

    internal static TritonServiceSpec Valid() => new(
        "llama", new OwnershipSpec("dev", "ml-platform"), "team-a", "llama-3-8b", "team-a", Mig,
        PlacementSet: true, new ModelRepositorySpec("http://rook-ceph-rgw-models.storage.svc:80", "models", "llama-3-8b"),
        ModelBucketSet: false, CredentialsSecretNameSet: true, ControlMode: null, Models: [], MinReplicas: 2, MaxReplicas: 8,
        new LatencySlo(200, 500), new QueueTimeScaling(50, 5, 2), EnableAutoscaling: true, PrometheusAddressSet: true,
        MonitoringRelease: "monitoring", Cpu: "4", Memory: "16Gi", ModelLoadTimeoutSeconds: 900);

    public static TheoryData<string, Func<TritonServiceSpec, TritonServiceSpec>, string> Rules() => new()
    {
        { "name too long", s => s with { Name = new string('a', 48) }, "(name)" },
        { "name not a DNS label", s => s with { Name = "Llama_3" }, "(name)" },
        { "environment", s => s with { Ownership = new OwnershipSpec("Prod", "ml-platform") }, "Environment" },
        { "cost center", s => s with { Ownership = new OwnershipSpec("dev", "ML") }, "CostCenter" },
        { "reserved tag", s => s with { Ownership = s.Ownership with { Tags = ImmutableSortedDictionary<string, string>.Empty.Add("neocloud.io/tenant", "x") } }, "Tags[\"neocloud.io/tenant\"]" },
        { "namespace missing", s => s with { Namespace = null }, "Namespace" },
        { "namespace shape", s => s with { Namespace = "Team A" }, "Namespace" },
        { "model missing", s => s with { Model = "" }, "Model" },
        { "model shape", s => s with { Model = "meta/llama" }, "Model" },
        { "tenant missing", s => s with { Tenant = null }, "Tenant" },
        { "tenant shape", s => s with { Tenant = "-a" }, "Tenant" },
        { "gpu resource missing", s => s with { GpuResource = null }, "GpuResource" },
        { "gpu resource shape", s => s with { GpuResource = "nvidia.com/gpu-2" }, "GpuResource" },
        { "placement", s => s with { PlacementSet = false }, "Placement" },
        { "credentials", s => s with { CredentialsSecretNameSet = false }, "CredentialsSecretName" },
        { "repository missing", s => s with { ModelRepository = null }, "ModelRepository" },
        { "endpoint with path", s => s with { ModelRepository = s.ModelRepository! with { Endpoint = "http://rgw/models" } }, "ModelRepository.Endpoint" },
        { "endpoint scheme", s => s with { ModelRepository = s.ModelRepository! with { Endpoint = "ftp://rgw" } }, "ModelRepository.Endpoint" },
        { "bucket missing", s => s with { ModelRepository = s.ModelRepository! with { Bucket = null } }, "ModelRepository.Bucket" },
        { "bucket with slash", s => s with { ModelRepository = s.ModelRepository! with { Bucket = "a/b" } }, "ModelRepository.Bucket" },
        { "prefix slash", s => s with { ModelRepository = s.ModelRepository! with { Prefix = "/llama" } }, "ModelRepository.Prefix" },
        { "control mode", s => s with { ControlMode = "lazy" }, "ControlMode" },
        { "explicit without models", s => s with { ControlMode = "explicit" }, "Models" },
        { "negative min", s => s with { MinReplicas = -1 }, "MinReplicas" },
        { "max missing", s => s with { MaxReplicas = null }, "MaxReplicas" },
        { "max below min", s => s with { MinReplicas = 9 }, "MaxReplicas" },
        { "max zero", s => s with { MinReplicas = 0, MaxReplicas = 0, Autoscaling = s.Autoscaling with { QueryOverride = "q", FallbackReplicas = 1 } }, "MaxReplicas" },
        { "slo order", s => s with { Slo = new LatencySlo(600, 500) }, "Slo.P95Ms" },
        { "slo positive", s => s with { Slo = new LatencySlo(0, 500) }, "Slo.P95Ms" },
        { "target in flight", s => s with { Autoscaling = s.Autoscaling with { TargetInFlightPerReplica = 0 } }, "Autoscaling.TargetInFlightPerReplica" },
        { "activation in flight", s => s with { Autoscaling = s.Autoscaling with { ActivationInFlight = -1 } }, "Autoscaling.ActivationInFlight" },
        { "threshold", s => s with { Autoscaling = s.Autoscaling with { ThresholdMs = 0 } }, "Autoscaling.ThresholdMs" },
        { "activation threshold", s => s with { Autoscaling = s.Autoscaling with { ActivationThresholdMs = double.NaN } }, "Autoscaling.ActivationThresholdMs" },
        { "fallback above max", s => s with { Autoscaling = s.Autoscaling with { FallbackReplicas = 9 } }, "Autoscaling.FallbackReplicas" },
        { "blank query override", s => s with { Autoscaling = s.Autoscaling with { QueryOverride = " " } }, "Autoscaling.QueryOverride" },
        { "scale to zero without override", s => s with { MinReplicas = 0 }, "MinReplicas" },
        { "prometheus when autoscaling", s => s with { PrometheusAddressSet = false }, "PrometheusAddress" },
        { "monitoring release", s => s with { MonitoringRelease = "" }, "MonitoringRelease" },
        { "cpu", s => s with { Cpu = "four" }, "Cpu" },
        { "cpu zero", s => s with { Cpu = "0m" }, "Cpu" },
        { "memory", s => s with { Memory = "16 GB" }, "Memory" },
        { "model load timeout", s => s with { ModelLoadTimeoutSeconds = 5 }, "ModelLoadTimeoutSeconds" },
    };

    [Fact]
    public void AValidSpecHasNoProblemsAndPlans()
    {
        Assert.Empty(TritonServicePlanner.Validate(Valid()));
        var plan = TritonServicePlanner.Plan(Valid());
        Assert.Equal(8, plan.MaxReplicas);
        Assert.Equal(ModelControlMode.None, plan.ControlMode);
        Assert.Equal("s3://rook-ceph-rgw-models.storage.svc:80/models/llama-3-8b", plan.Repository.TritonPath);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void EachRuleReportsItsPropertyPath(string rule, Func<TritonServiceSpec, TritonServiceSpec> breakIt, string path)
    {
        var problem = Assert.Single(TritonServicePlanner.Validate(breakIt(Valid())));
        Assert.True(path == problem.PropertyPath, $"{rule}: expected {path}, got {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.Reason));
    }

    [Fact]
    public void AllowedVariantsPass()
    {
        Assert.Empty(TritonServicePlanner.Validate(Valid() with { MinReplicas = 0, Autoscaling = new QueueTimeScaling(50, 5, 1, "sum(onprem_excess)") }));
        Assert.Empty(TritonServicePlanner.Validate(Valid() with { EnableAutoscaling = false, PrometheusAddressSet = false, MonitoringRelease = null }));
        Assert.Empty(TritonServicePlanner.Validate(Valid() with { ModelRepository = new ModelRepositorySpec(null, null, "llama"), ModelBucketSet = true }));
        Assert.Empty(TritonServicePlanner.Validate(Valid() with { ControlMode = "explicit", Models = ["llama"], Cpu = "3500m", Memory = "1.5Gi" }));
        Assert.Empty(TritonServicePlanner.Validate(Valid() with { GpuResource = "nvidia.com/gpu", Name = new string('a', 47) }));
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceAndNothingThrows()
    {
        var empty = new TritonServiceSpec(null, new OwnershipSpec(null!, null!), null, null, null, null, false, null, false, false, null, default, 1, null, new LatencySlo(500, 1000), new QueueTimeScaling(50, 5, 1), true, false, null, "4", "16Gi", 900);
        Assert.Equal(
            ["(name)", "Environment", "CostCenter", "Namespace", "Model", "Tenant", "GpuResource", "Placement", "CredentialsSecretName", "ModelRepository", "MaxReplicas", "PrometheusAddress"],
            TritonServicePlanner.Validate(empty).Select(p => p.PropertyPath));
        Assert.Throws<ArgumentException>(() => TritonServicePlanner.Plan(empty));
    }

    [Fact]
    public void LabelsCarryTagsCostAttributionTenantAndModelAndTagsNeverOverrideThem()
    {
        var tags = ImmutableSortedDictionary<string, string>.Empty.Add("team", "search").Add(ResourceLabels.Model, "other");
        var plan = TritonServicePlanner.Plan(Valid() with { Ownership = new OwnershipSpec("dev", "ml-platform", tags) });
        Assert.Equal("search", plan.Labels["team"]);
        Assert.Equal("dev", plan.Labels["neocloud.io/environment"]);
        Assert.Equal("ml-platform", plan.Labels["neocloud.io/cost-center"]);
        Assert.Equal("team-a", plan.Labels["neocloud.io/tenant"]);
        Assert.Equal("llama-3-8b", plan.Labels[ResourceLabels.Model]);
        Assert.Equal("triton", plan.Labels["app.kubernetes.io/name"]);
        Assert.Equal("monitoring", plan.MonitorLabels["release"]);
        Assert.False(plan.Selector.ContainsKey("team"));
    }

    [Fact]
    public void ModelBucketReplacesTheRepositoryBucketInTheServerArguments()
    {
        var plan = TritonServicePlanner.Plan(Valid() with { ModelRepository = new ModelRepositorySpec(null, null, "llama"), ModelBucketSet = true });
        Assert.Contains("--model-repository=s3://models-abc123/llama", plan.ServerArgs("models-abc123"));
    }

    [Fact]
    public void ThePlacementMustOfferTheResourceAndHoldTheMaximum()
    {
        var plan = TritonServicePlanner.Plan(Valid() with { MaxReplicas = 20 });
        var over = Assert.Single(TritonServicePlanner.CheckPlacement(plan, "h100-mig", new Dictionary<string, int> { [Mig] = 14 }));
        Assert.Equal("MaxReplicas", over.PropertyPath);
        Assert.Equal("deployment \"llama\" asks for up to 20 × nvidia.com/mig-1g.10gb, but pool \"h100-mig\" holds 14 at its maximum size; lower the maximum to 14 or grow the pool", over.Reason);
        var missing = Assert.Single(TritonServicePlanner.CheckPlacement(plan, "h100", new Dictionary<string, int> { ["nvidia.com/gpu"] = 32, [Mig] = 0 }));
        Assert.Equal("GpuResource", missing.PropertyPath);
        Assert.Equal("deployment \"llama\" requests nvidia.com/mig-1g.10gb, but pool \"h100\" does not offer it; it offers nvidia.com/gpu", missing.Reason);
        Assert.Empty(TritonServicePlanner.CheckPlacement(plan, "h100-mig", new Dictionary<string, int> { [Mig] = 20 }));
    }
}

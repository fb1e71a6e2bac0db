using System.Collections.Immutable;
using NeoCloud.Infra.Components.Autoscaling;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Autoscaling;

namespace NeoCloud.Infra.Components.Tests.Autoscaling;

/// <summary>The MIG scale-down lock under the mock engine: its objects, nodes-only RBAC, the script Core tests, the pod.</summary>
public sealed class MigScaleDownLockTests
{
    private static MigScaleDownLockArgs Args(Action<MigScaleDownLockArgs>? change = null)
    {
        var args = new MigScaleDownLockArgs
        {
            Environment = "prod",
            CostCenter = "ml-platform",
            KubernetesVersion = "1.33",
            SystemNodeSelector = new() { ["neocloud.io/node-role"] = "system" },
        };
        change?.Invoke(args);
        return args;
    }

    private static ImmutableDictionary<string, object> Map(object value) => Assert.IsAssignableFrom<ImmutableDictionary<string, object>>(value);

    private static ImmutableArray<object> List(object value) => Assert.IsAssignableFrom<ImmutableArray<object>>(value);

    [Fact]
    public async Task Registers_a_ServiceAccount_that_may_only_read_and_patch_nodes()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new MigScaleDownLock("burst-mig-scale-down-lock", Args()));

        var account = mocks.Single("kubernetes:core/v1:ServiceAccount");
        Assert.Equal("burst-mig-scale-down-lock", Map(account.Inputs["metadata"])["name"]);
        Assert.Equal("kube-system", Map(account.Inputs["metadata"])["namespace"]);

        var role = mocks.Single("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
        var rule = Map(Assert.Single(List(role.Inputs["rules"])));
        Assert.Equal([string.Empty], List(rule["apiGroups"]).ToArray());
        Assert.Equal(["nodes"], List(rule["resources"]).ToArray());
        Assert.Equal(["get", "list", "watch", "patch"], List(rule["verbs"]).ToArray());

        var binding = mocks.Single("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        Assert.Equal("burst-mig-scale-down-lock", Map(binding.Inputs["roleRef"])["name"]);
        var subject = Map(Assert.Single(List(binding.Inputs["subjects"])));
        Assert.Equal("ServiceAccount", subject["kind"]);
        Assert.Equal("burst-mig-scale-down-lock", subject["name"]);
        Assert.Equal("kube-system", subject["namespace"]);
        Assert.Equal("prod", Map(Map(role.Inputs["metadata"])["labels"])["neocloud.io/environment"]);
    }

    [Fact]
    public async Task Runs_the_script_Core_tests_in_one_pinned_non_root_pod_on_the_system_pool()
    {
        var (mocks, _) = await PulumiTest.RunAsync(() => _ = new MigScaleDownLock("burst-mig-scale-down-lock", Args()));

        var config = mocks.Single("kubernetes:core/v1:ConfigMap");
        Assert.Equal("burst-mig-scale-down-lock-script", Map(config.Inputs["metadata"])["name"]);
        Assert.Equal(MigNodeLock.Script, Map(config.Inputs["data"])[MigScaleDownLockPlanner.ScriptKey]);

        var deployment = mocks.Single("kubernetes:apps/v1:Deployment");
        var spec = Map(deployment.Inputs["spec"]);
        Assert.Equal(1, Convert.ToInt32(spec["replicas"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Recreate", Map(spec["strategy"])["type"]);
        var pod = Map(Map(spec["template"])["spec"]);
        Assert.Equal("burst-mig-scale-down-lock", pod["serviceAccountName"]);
        Assert.Equal("system", Map(pod["nodeSelector"])["neocloud.io/node-role"]);
        Assert.Equal("system-cluster-critical", pod["priorityClassName"]);
        Assert.Equal(true, Map(pod["securityContext"])["runAsNonRoot"]);
        var container = Map(Assert.Single(List(pod["containers"])));
        Assert.Equal("docker.io/alpine/k8s:1.33.5", container["image"]);
        Assert.Equal(["/bin/sh", "/opt/mig-scale-down-lock/lock.sh"], List(container["command"]).ToArray());
        var env = List(container["env"]).Select(Map).ToDictionary(e => (string)e["name"], e => (string)e["value"]);
        Assert.Equal("15", env["LOCK_INTERVAL_SECONDS"]);
        Assert.Equal("300", env["LOCK_CONFIG_CHANGE_GRACE_SECONDS"]);
        Assert.Equal("/tmp", env["HOME"]);
        Assert.Equal(true, Map(container["securityContext"])["readOnlyRootFilesystem"]);
        var probe = List(Map(Map(container["livenessProbe"])["exec"])["command"]).Cast<string>().ToArray();
        Assert.Contains("/tmp/heartbeat", probe[2], StringComparison.Ordinal);
        var volumes = List(pod["volumes"]).Select(Map).ToList();
        Assert.Equal("burst-mig-scale-down-lock-script", Map(Assert.Single(volumes, v => Equals(v["name"], "script"))["configMap"])["name"]);
        Assert.Contains(volumes, v => Equals(v["name"], "scratch") && v.ContainsKey("emptyDir"));
        Assert.Equal(["burst-mig-scale-down-lock-script", "burst-mig-scale-down-lock"],
            mocks.Resources.Where(r => r.Type is "kubernetes:core/v1:ConfigMap" or "kubernetes:apps/v1:Deployment").Select(r => (string)Map(r.Inputs["metadata"])["name"]).ToArray());
    }

    [Fact]
    public async Task An_unpinned_Kubernetes_minor_is_one_error_at_kubernetesVersion_and_registers_nothing()
    {
        var ex = Assert.Throws<ComponentArgsException>(() => new MigScaleDownLock("burst-mig-scale-down-lock", Args(a => a.KubernetesVersion = "1.29")));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal("KubernetesVersion", problem.PropertyPath);
        Assert.StartsWith("\"1.29\" has no pinned kubectl image (one per Kubernetes minor); pinned: 1.33 → docker.io/alpine/k8s:1.33.5", problem.Reason, StringComparison.Ordinal);

        var (error, mocks) = await Gpu.GpuNodePoolTests.RunFailing(() => _ = new MigScaleDownLock("burst-mig-scale-down-lock", Args(a => a.KubernetesVersion = "1.29")));
        Assert.Contains("MigScaleDownLockArgs.KubernetesVersion: \"1.29\" has no pinned kubectl image", error.Message, StringComparison.Ordinal);
        Assert.Empty(mocks.Resources);
    }
}

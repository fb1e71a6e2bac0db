using NeoCloud.Infra.Policy.Rules.Evaluation;
using NeoCloud.Infra.Policy.Rules.Gpu;
using NeoCloud.Infra.Policy.Rules.Model;
using NeoCloud.Infra.Policy.Rules.Security;
using NeoCloud.Infra.Policy.Rules.Tenancy;
using static NeoCloud.Infra.Policy.Tests.Fixtures;

namespace NeoCloud.Infra.Policy.Tests.Rules;

/// <summary>
/// The three policies that printed secret values (issue 12) now print [secret] on their own (the rule's text, checked
/// without the pack), and the pack scrubs every message of every policy as a second line of defence.
/// </summary>
public sealed class SecretMessageTests
{
    [Fact]
    public void Tenant_isolation_prints_a_secret_namespace_name_as_secret()
    {
        var ns = Resource("kubernetes:core/v1:Namespace", "tenant-x", "{\"metadata\":{\"name\":" + Secret(Quoted(SecretText)) + ",\"labels\":{\"neocloud.io/tenant\":\"x\"}}}");

        var direct = Direct(new TenantIsolationRule(), [ns]);

        Assert.Equal(2, direct.Count);
        Assert.All(direct, v => Assert.Contains("'[secret]'", v.Message, StringComparison.Ordinal));
        AssertNoSecret(RunStack(new TenantIsolationRule(), [ns]));
    }

    [Fact]
    public void Mig_config_valid_prints_secret_label_values_as_secret()
    {
        var pool = Resource("aws:eks/nodeGroup:NodeGroup", "h100",
            """{"instanceTypes":["p5.48xlarge"],"scalingConfig":{"minSize":0,"desiredSize":1,"maxSize":2},"labels":{"neocloud.io/pool":"""
            + Secret(Quoted("pool-" + SecretText)) + ",\"nvidia.com/mig.config\":" + Secret(Quoted(SecretText))
            + """},"taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NO_SCHEDULE"}]}""");

        var violation = Assert.Single(Direct(new MigConfigValidRule(), [pool]));

        Assert.DoesNotContain(SecretText, violation.Message, StringComparison.Ordinal);
        Assert.Contains("[secret]", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_plaintext_secrets_prints_a_name_inside_a_secret_as_secret()
    {
        var env = Secret("[{\"name\":\"API_TOKEN_" + SecretText + "\",\"value\":\"literal\"}]");
        var deployment = Deployment("triton", """[{"name":"triton","image":"nvcr.io/nvidia/tritonserver:24.08-py3","env":""" + env + "}]");
        var chart = Resource("kubernetes:helm.sh/v3:Release", "chart", """{"values":{"auth":""" + Secret("{" + Quoted(SecretText) + """:{"password":"x1234"}}""") + "}}");
        var rule = new NoPlaintextSecretsRule();
        var context = new RuleContext(Stack(), PolicySettings.Defaults([rule], StackKind.Prod).For(rule).Config);

        var fromEnv = Assert.Single(rule.Check(deployment, context));
        var fromChart = Assert.Single(rule.Check(chart, context));

        Assert.Contains("env '[secret]'", fromEnv.Message, StringComparison.Ordinal);
        Assert.Contains("values.auth.[secret].[secret]", fromChart.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretText, fromEnv.Message + fromChart.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pack_scrubs_secret_values_from_any_message()
    {
        var scrubber = SecretScrubber.Of([Resource("x:y:Z", "r", "{\"a\":" + Secret(Quoted(SecretText)) + ",\"b\":" + Secret(Quoted("ab")) + "}")]);

        Assert.Equal("a [secret] b ab", scrubber.Scrub($"a {SecretText} b ab"));
        Assert.True(SecretScrubber.Of([Resource("x:y:Z", "r", """{"a":"plain"}""")]).IsEmpty);
    }

    private static string Quoted(string text) => "\"" + text + "\"";

    private static List<Violation> Direct(IStackRule rule, IEnumerable<ResourceSnapshot> resources)
    {
        var context = new RuleContext(Stack(), PolicySettings.Defaults([rule], StackKind.Prod).For(rule).Config);
        return [.. rule.Check(new StackSnapshot(resources), context)];
    }
}

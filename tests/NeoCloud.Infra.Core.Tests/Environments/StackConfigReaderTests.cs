using System.Text.Json.Nodes;
using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>The stack-file reader (YAML events, input limits, per-value secrets) and the engine path's secrets.</summary>
public sealed class StackConfigReaderTests
{
    [Fact]
    public void Anchors_and_aliases_copy_values_and_their_secret_paths()
    {
        var config = StackConfig.FromYaml("""
            config:
              neocloud:x:
                a: &quota {cpu: "8", token: {secure: v1:abc}}
                b: *quota
            """);

        var x = (JsonObject)config.Values["x"]!;
        Assert.Equal("8", x["b"]!["cpu"]!.GetValue<string>());
        Assert.Equal(["neocloud:x.a.token", "neocloud:x.b.token"], config.SecretPaths);
        Assert.Equal(StackConfig.SecretPlaceholder, x["b"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public void Plain_scalars_follow_the_yaml_core_schema_and_top_level_scalars_stay_text()
    {
        var config = StackConfig.FromYaml("""
            config:
              neocloud:top: 42
              neocloud:x: {i: 42, d: 1.5, b: true, n: null, s: "42", t: !!str 7, e: ""}
            """);

        Assert.Equal("42", config.Values["top"]!.GetValue<string>());
        var x = config.Values["x"]!;
        Assert.Equal(42L, x["i"]!.GetValue<long>());
        Assert.Equal(1.5, x["d"]!.GetValue<double>());
        Assert.True(x["b"]!.GetValue<bool>());
        Assert.Null(x["n"]);
        Assert.Equal("42", x["s"]!.GetValue<string>());
        Assert.Equal("7", x["t"]!.GetValue<string>());
    }

    [Fact]
    public void Every_reading_problem_is_listed_with_its_path()
    {
        var ex = Assert.Throws<EnvironmentConfigException>(() => StackConfig.FromYaml("""
            config:
              neocloud:a: {n: 1e999, n: 2}
              neocloud:b: [*nowhere]
            """));

        Assert.Equal(["neocloud:a.n", "neocloud:a.n", "neocloud:b[0]"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Too_many_aliases_stop_at_the_limit()
    {
        var aliases = string.Join(", ", Enumerable.Repeat("*a", InputLimits.MaxYamlAliases + 1));
        var ex = Assert.Throws<EnvironmentConfigException>(() => StackConfig.FromYaml($"config:\n  neocloud:a: &a 1\n  neocloud:b: [{aliases}]\n"));

        Assert.Contains($"more than {InputLimits.MaxYamlAliases} YAML aliases", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_secret_keys_bind_with_their_values_kept_out_of_messages()
    {
        var prod = StackConfig.FromYaml(File.ReadAllText(RepoFiles.StackFile("prod")), "prod");
        var engine = prod.Values.ToDictionary(kv => "neocloud:" + kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value!.ToJsonString());
        var serving = JsonNode.Parse(engine["neocloud:serving"])!.AsArray();
        serving[0]!["model"] = "private/model-CANARY-31f";
        engine["neocloud:serving"] = serving.ToJsonString();

        var bound = EnvironmentBinder.Bind(StackConfig.FromEngine(engine, ["neocloud:serving"], "prod"));

        // A model id is a label, a metric label and a repository path: secret, it is one error per entry, by key.
        Assert.Null(bound.Model);
        Assert.Equal(Enumerable.Range(0, serving.Count).Select(i => $"neocloud:serving[{i}].model"), bound.Errors.Select(e => e.Path));
        Assert.All(bound.Errors, e => Assert.StartsWith("is a secret (secure:), but a model id cannot be secret", e.Message, StringComparison.Ordinal));
        Assert.All(bound.Errors, e => Assert.DoesNotContain("CANARY", e.ToString(), StringComparison.Ordinal));

        serving[1]!["pool"] = "pool-CANARY-31f";
        engine["neocloud:serving"] = serving.ToJsonString();
        var invalid = EnvironmentBinder.Bind(StackConfig.FromEngine(engine, ["neocloud:serving"], "prod"));
        Assert.Contains(invalid.Errors, e => e.Path == "neocloud:serving[1].pool");
        Assert.All(invalid.Errors, e => Assert.DoesNotContain("CANARY", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void An_engine_value_with_a_lone_surrogate_escape_is_an_input_error_with_its_path()
    {
        // Found by the engine property test: System.Text.Json parses "\ud800" and throws when the string is read.
        var ex = Assert.Throws<EnvironmentConfigException>(() => StackConfig.FromEngine(new Dictionary<string, string>
        {
            ["neocloud:storage"] = """{"onprem":{"storageClass":"\ud800"}}""",
            ["neocloud:tenants"] = """[{"\udc00":1}]""",
        }));

        Assert.Equal(["neocloud:storage.onprem.storageClass", "neocloud:tenants"], ex.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }
}

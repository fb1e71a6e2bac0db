using System.Text.Json.Nodes;
using CsCheck;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Plan.Tests;

/// <summary>
/// Property tests of the error contract over mutated copies of the checked-in stacks (fixed seed, bounded count, one
/// thread: a few seconds in CI). The acceptance run with thousands of inputs is bench/robustness/run.sh.
/// </summary>
public sealed class StackFilePropertyTests : IDisposable
{
    /// <summary>CsCheck's seed for these suites (any run is reproducible from it).</summary>
    internal const string Seed = "0N0XIzNsQ0O2";

    private static readonly string[] Stacks = [.. new[] { "dev", "prod", "cloud" }.Select(s => File.ReadAllText(Path.Combine(RepoRoot.FullPath, $"Pulumi.{s}.yaml")))];
    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-property-").FullName;

    public StackFilePropertyTests()
    {
        var config = Path.Combine(_dir, "policy", "config");
        Directory.CreateDirectory(config);
        foreach (var f in Directory.GetFiles(Path.Combine(RepoRoot.FullPath, "policy", "config")))
        {
            File.Copy(f, Path.Combine(config, Path.GetFileName(f)));
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Mutated_stack_files_keep_the_error_contract()
    {
        // One sample of 120 inputs: CsCheck's seed fixes the whole run (it seeds only the first of several iterations).
        Gen.Select(Gen.Int[0, Stacks.Length - 1], Gen.Int[0, 5], Gen.Int).Array[120].Sample(inputs =>
        {
            foreach (var (stack, mutations, seed) in inputs)
            {
                var text = InputMutator.MutateYaml(Stacks[stack], new Random(seed), mutations);
                var outcome = PlanContract.Evaluate(text, _dir, TimeSpan.FromSeconds(10));
                Assert.True(outcome.Breaches.Count == 0, string.Join("; ", outcome.Breaches));
            }
        }, seed: Seed, iter: 1, threads: 1);
    }

    [Fact]
    public void Engine_configuration_never_crashes_the_binder_nor_prints_a_secret_key()
    {
        // The Pulumi program's path: the engine hands every key as text (JSON for structures) and marks secret keys.
        var baseline = StackConfig.FromYaml(Stacks[1], "prod");
        var keys = baseline.Values.Keys.ToArray();
        // One sample of 300 inputs: CsCheck's seed fixes the whole run (it seeds only the first of several iterations).
        Gen.Select(Gen.Int[0, keys.Length - 1], Gen.Int[1, 4], Gen.Int, Gen.Bool).Array[300].Sample(inputs =>
        {
            foreach (var (keyIndex, mutations, seed, secret) in inputs)
            {
                var random = new Random(seed);
                var config = baseline.Values.ToDictionary(kv => "neocloud:" + kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString() ?? string.Empty);
                var key = "neocloud:" + keys[keyIndex];
                var value = baseline.Values[keys[keyIndex]];
                var mutated = value is JsonValue ? "\"" + InputMutator.Canary + "\"" : InputMutator.MutateJson(Canaried(value!), random, mutations);
                config[key] = mutated.StartsWith('"') ? AsText(mutated) : mutated;

                BindResult result;
                try
                {
                    result = EnvironmentBinder.Bind(StackConfig.FromEngine(config, secret ? [key] : [], "prod"));
                }
                catch (EnvironmentConfigException ex)
                {
                    Assert.All(ex.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Path)));
                    continue;
                }

                Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Path)));
                if (secret)
                {
                    Assert.All(result.Errors, e => Assert.DoesNotContain(InputMutator.Canary, e.ToString(), StringComparison.Ordinal));
                }
            }
        }, seed: Seed, iter: 1, threads: 1);
    }

    /// <summary>A JSON string literal's text as the engine would hand it; corrupted JSON stays as it is.</summary>
    private static string AsText(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonValue v && v.TryGetValue<string>(out var s) ? s : json;
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
        catch (InvalidOperationException)
        {
            return json; // a lone surrogate escape
        }
    }

    /// <summary>The JSON of a value with its first string replaced by the canary (so a leak is visible).</summary>
    private static string Canaried(JsonNode value)
    {
        var copy = value.DeepClone();
        var first = copy is JsonArray a ? a.FirstOrDefault() as JsonObject : copy as JsonObject;
        if (first?.FirstOrDefault(p => p.Value is JsonValue v && v.TryGetValue<string>(out _)) is { Key: { } k })
        {
            first[k] = InputMutator.Canary + "-x";
        }

        return copy.ToJsonString();
    }
}

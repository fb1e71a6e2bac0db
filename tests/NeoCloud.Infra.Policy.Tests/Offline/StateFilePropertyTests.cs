using CsCheck;
using NeoCloud.Infra.Policy.Offline;
using NeoCloud.Infra.Tests.Shared;

namespace NeoCloud.Infra.Policy.Tests.Offline;

/// <summary>
/// Property tests of the offline check's error contract over mutated preview and state files (fixed seed, bounded
/// count, one thread). The acceptance run with thousands of inputs is bench/robustness/run.sh.
/// </summary>
public sealed class StateFilePropertyTests : IDisposable
{
    private const string Seed = "0N0XIzNsQ0O2";

    private static readonly (string Text, bool Preview)[] Inputs =
    [
        (File.ReadAllText(Data("preview.json")), true),
        (File.ReadAllText(Data("clean-export.json")), false),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("neocloud-check-property-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Mutated_previews_and_exports_keep_the_error_contract()
    {
        // One sample of 200 inputs: CsCheck's seed fixes the whole run (it seeds only the first of several iterations).
        Gen.Select(Gen.Int[0, Inputs.Length - 1], Gen.Int[1, 6], Gen.Int).Array[200].Sample(inputs =>
        {
            foreach (var (input, mutations, seed) in inputs)
            {
                var (text, preview) = Inputs[input];
                var mutated = InputMutator.MutateJson(text, new Random(seed), mutations);
                var outcome = CheckContract.Evaluate(mutated, preview, _dir, TimeSpan.FromSeconds(10));
                Assert.True(outcome.Breaches.Count == 0, string.Join("; ", outcome.Breaches));
            }
        }, seed: Seed, iter: 1, threads: 1);
    }

    [Fact]
    public void The_parser_throws_nothing_but_its_own_input_error()
    {
        // One sample of 500 inputs: CsCheck's seed fixes the whole run (it seeds only the first of several iterations).
        Gen.Select(Gen.Int[0, Inputs.Length - 1], Gen.Int[1, 6], Gen.Int).Array[500].Sample(inputs =>
        {
            foreach (var (input, mutations, seed) in inputs)
            {
                var (text, preview) = Inputs[input];
                var mutated = InputMutator.MutateJson(text, new Random(seed), mutations);
                try
                {
                    StateFile.Parse(mutated, preview ? StateFileFormat.PreviewJson : StateFileFormat.StackExport);
                }
                catch (StateFileException e)
                {
                    Assert.NotEmpty(e.Problems);
                    Assert.All(e.Problems, p => Assert.StartsWith("$", p.Path, StringComparison.Ordinal));
                }
            }
        }, seed: Seed, iter: 1, threads: 1);
    }

    private static string Data(string name) => Path.Combine(Fixtures.RepoRoot(), "tests", "NeoCloud.Infra.Policy.Tests", "Offline", "data", name);
}

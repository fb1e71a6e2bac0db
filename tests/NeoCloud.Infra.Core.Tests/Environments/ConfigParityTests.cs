using System.Collections.Immutable;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Gpu;
using NeoCloud.Infra.Core.Monitoring;
using NeoCloud.Infra.Core.Networking;
using NeoCloud.Infra.Core.Serving;
using NeoCloud.Infra.Core.Storage;
using NeoCloud.Infra.Core.Tenancy;
using NeoCloud.Infra.Core.VectorDb;
using Xunit.Abstractions;

namespace NeoCloud.Infra.Core.Tests.Environments;

/// <summary>
/// Parity (issue 17): for every invalid fixture, each binder problem that comes from a component's rule is that
/// component planner's reason for the spec the binder built, at the key the section's table maps its property path to
/// (and with the properties it names written as keys); every other problem is YAML-only by the binder's own
/// classification (<see cref="ConfigErrorSource"/>). A binder rule that speaks for a value the planner also judges
/// differently, or a planner problem the binder drops, fails.
/// </summary>
public sealed class ConfigParityTests(ITestOutputHelper output)
{
    private static IEnumerable<string> FixtureNames() =>
        Directory.GetFiles(RepoFiles.Fixture("invalid"), "*.yaml").Order(StringComparer.Ordinal).Select(f => Path.GetFileNameWithoutExtension(f));

    public static TheoryData<string> InvalidFixtures() => [.. FixtureNames()];

    /// <summary>The component planner of a spec, called here independently of the binder.</summary>
    internal static ImmutableArray<SpecProblem> Validate(object spec) => spec switch
    {
        GpuNodePoolSpec s => GpuPoolPlanner.Validate(s),
        CpuNodePoolSpec s => CpuPoolPlanner.Validate(s),
        TritonServiceSpec s => TritonServicePlanner.Validate(s),
        NeoCloud.Infra.Core.Tenancy.TenantSpec s => TenantPlanner.Validate(s),
        ReplicatedBucketSpec s => ReplicatedBucketPlanner.Validate(s),
        OnPremObjectStoreSpec s => OnPremObjectStorePlanner.Validate(s),
        VectorDatabaseSpec s => VectorDatabasePlanner.Validate(s),
        PrometheusStackSpec s => PrometheusStackPlanner.Validate(s),
        EksClusterSpec s => EksClusterPlanner.Validate(s),
        NeoCloud.Infra.Core.Traffic.InferenceGatewaySpec s => NeoCloud.Infra.Core.Traffic.InferenceGatewayPlanner.Validate(s),
        _ => throw new InvalidOperationException($"the binder validated a {spec.GetType().Name}: add its planner to {nameof(ConfigParityTests)}.{nameof(Validate)}"),
    };

    /// <summary>Every way the binder's report of <paramref name="trace"/> departs from the components' rules (empty = parity).</summary>
    internal static List<string> Departures(BindTrace trace)
    {
        var departures = new List<string>();
        if (!trace.Result.Errors.SequenceEqual(trace.Errors.Select(e => e.Error)))
        {
            departures.Add("the classified errors are not the errors Bind reports");
        }

        foreach (var check in trace.Checks)
        {
            var problems = Validate(check.Spec);
            if (!problems.SequenceEqual(check.Problems))
            {
                departures.Add($"{check.ObjectPath}: the binder recorded other problems than the planner returns for its spec: [{string.Join("; ", check.Problems)}] vs [{string.Join("; ", problems)}]");
            }

            foreach (var problem in problems)
            {
                if (check.ReportedAt(problem) is not { } at)
                {
                    continue; // ownership (the top-level keys) or a property the section does not set
                }

                var message = check.Message(problem);
                var here = trace.Errors.Where(e => e.Error.Path == at).ToList();
                if (here.Any(e => e.Source == ConfigErrorSource.Spec && e.Error.Message == message))
                {
                    continue;
                }

                if (here.Any(e => e.Source is ConfigErrorSource.Shape or ConfigErrorSource.UnknownKey))
                {
                    continue; // the value did not read, so the planner judged a default: one mistake, one error
                }

                departures.Add(here.Count == 0
                    ? $"{at}: the component says \"{message}\"; the binder says nothing"
                    : $"{at}: the component says \"{message}\"; the binder's own rule says \"{string.Join("\" and \"", here.Select(e => e.Error.Message))}\"");
            }
        }

        foreach (var e in trace.Errors.Where(e => e.Source == ConfigErrorSource.Spec))
        {
            if (e.Check is null || e.Problem is null || !Validate(e.Check.Spec).Contains(e.Problem)
                || e.Check.ReportedAt(e.Problem) != e.Error.Path || e.Check.Message(e.Problem) != e.Error.Message)
            {
                departures.Add($"{e.Error}: classified as a component's problem, but no planner problem of its spec reads so");
            }
        }

        return departures;
    }

    [Theory]
    [MemberData(nameof(InvalidFixtures))]
    public void The_binder_reports_what_the_components_report_for_each_invalid_fixture(string fixture)
    {
        var trace = EnvironmentBinder.Trace(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", fixture + ".yaml")));

        foreach (var e in trace.Errors)
        {
            output.WriteLine($"{e.Source,-11} {e.Error}" + (e.Problem is { } p ? $"   [{p.PropertyPath}]" : ""));
        }

        Assert.False(trace.Result.IsValid);
        var departures = Departures(trace);
        Assert.True(departures.Count == 0, string.Join("\n", departures));
    }

    [Fact]
    public void Every_section_with_a_component_rule_is_exercised_by_a_fixture()
    {
        var specs = FixtureNames()
            .Select(f => EnvironmentBinder.Trace(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", f + ".yaml"))))
            .SelectMany(t => t.Errors)
            .Where(e => e.Source == ConfigErrorSource.Spec)
            .Select(e => e.Check!.Spec.GetType().Name)
            .ToHashSet(StringComparer.Ordinal);

        // The fixtures state the components' rules of these sections; a section whose planner problems stopped being
        // classified as the component's would drop out here.
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { nameof(GpuNodePoolSpec), nameof(CpuNodePoolSpec), nameof(TritonServiceSpec), nameof(NeoCloud.Infra.Core.Tenancy.TenantSpec), nameof(ReplicatedBucketSpec), nameof(VectorDatabaseSpec) }, specs);
    }

    [Fact]
    public void A_binder_rule_that_departs_from_the_component_fails_parity()
    {
        // Fixture 02: the planner's MinSize > MaxSize rule, reported by the binder.
        var trace = EnvironmentBinder.Trace(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", "02-min-greater-than-max.yaml")));
        Assert.Empty(Departures(trace));
        var spec = Assert.Single(trace.Errors, e => e.Source == ConfigErrorSource.Spec);

        // The same key with the binder's own wording (a re-implemented rule): a departure.
        var own = trace with { Errors = [.. trace.Errors.Select(e => e == spec ? e with { Source = ConfigErrorSource.Reference, Check = null, Problem = null, Error = e.Error with { Message = "minSize must be at most maxSize" } } : e)] };
        own = own with { Result = own.Result with { Errors = [.. own.Errors.Select(e => e.Error)] } };
        Assert.Contains(Departures(own), d => d.Contains("the binder's own rule says", StringComparison.Ordinal));

        // The planner's problem dropped by the binder: a departure.
        var dropped = trace with { Errors = [.. trace.Errors.Where(e => e != spec)], Result = trace.Result with { Errors = [.. trace.Result.Errors.Where(e => e != spec.Error)] } };
        Assert.Contains(Departures(dropped), d => d.Contains("the binder says nothing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_reason_names_the_key_the_user_wrote()
    {
        var trace = EnvironmentBinder.Trace(StackConfig.FromYamlFile(RepoFiles.Fixture("invalid", "02-min-greater-than-max.yaml")));
        var e = Assert.Single(trace.Errors, e => e.Source == ConfigErrorSource.Spec);

        Assert.Equal("MinSize", e.Problem!.PropertyPath);
        Assert.Contains("MaxSize (2)", e.Problem.Reason, StringComparison.Ordinal); // the component's words (its Args)
        Assert.Equal("(3) must not exceed maxSize (2)", e.Error.Message);              // the binder's: the YAML key
        Assert.Equal("set \"MaxSize\" or maxSize", e.Check!.Render("set \"MaxSize\" or MaxSize")); // user values in quotes stay
    }
}

using System.Collections;
using System.Reflection;
using NeoCloud.Infra.Components.Gpu;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Core.Environments;
using NeoCloud.Infra.Core.Naming;
using NeoCloud.Infra.Tests.Shared;
using Pulumi;

namespace NeoCloud.Infra.Components.Tests.Contract;

/// <summary>
/// Parity at the component (issue 17): for every invalid fixture, each binder problem classified as a component's
/// (<see cref="ConfigErrorSource.Spec"/>) is what the component itself throws when its Args carry the spec the binder
/// built. The Args are built from the spec by property name (spec names are the Args' plain names, architecture.md
/// "The component contract" 1); the component runs under the mock engine, where its <see cref="ComponentArgsException"/>
/// must list the same (property path, reason) and nothing may be registered.
/// </summary>
public sealed class ComponentParityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static IEnumerable<string> FixtureNames() =>
        Directory.GetFiles(RepoRoot.PathOf("tests/NeoCloud.Infra.Core.Tests/Fixtures/invalid"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileNameWithoutExtension(f));

    public static TheoryData<string> Fixtures() => [.. FixtureNames()];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task The_component_throws_what_the_binder_reports_as_its_rule(string fixture)
    {
        var trace = EnvironmentBinder.Trace(StackConfig.FromYamlFile(RepoRoot.PathOf($"tests/NeoCloud.Infra.Core.Tests/Fixtures/invalid/{fixture}.yaml")));
        var failures = new List<string>();
        foreach (var group in trace.Errors.Where(e => e.Source == ConfigErrorSource.Spec).GroupBy(e => e.Check!))
        {
            var check = group.Key;
            var built = SpecArgs.Build(check.Spec);
            var thrown = Construct(built);
            if (thrown is not ComponentArgsException problems)
            {
                failures.Add($"{check.ObjectPath}: new {built.Component.Name}(\"{built.ResourceName}\", <the binder's spec as {built.Args.GetType().Name}>) threw {thrown?.GetType().Name ?? "nothing"}, not ComponentArgsException ({thrown?.Message.Split('\n')[0]})");
                continue;
            }

            // The Args → spec path of the component gives back the binder's spec: the component finds exactly the planner's problems.
            if (!problems.Problems.ToHashSet().SetEquals(check.Problems))
            {
                failures.Add($"{check.ObjectPath}: {built.Component.Name} reports [{string.Join("; ", problems.Problems)}], the planner on the binder's spec [{string.Join("; ", check.Problems)}] (spec properties not carried to the Args: {string.Join(", ", built.Unmapped)})");
            }

            output.WriteLine($"{check.ObjectPath}: {built.Component.Name} threw {problems.Problems.Length} problem(s); the binder reports {group.Count()} as the component's: {string.Join("; ", group.Select(e => e.Problem))}");
            foreach (var e in group)
            {
                if (!problems.Problems.Contains(e.Problem!))
                {
                    failures.Add($"{e.Error}: the component does not report {e.Problem} (it reports: {string.Join("; ", problems.Problems)}; spec properties not carried to the Args: {string.Join(", ", built.Unmapped)})");
                }
            }

            // Under the engine: the program fails with the component's message, listing each problem with its Args path, and registers nothing.
            var mocks = new RecordingMocks();
            Exception? underEngine = null;
            try
            {
                await PulumiTest.RunAsync(() => ConstructorFailures.Rethrow(Construct(built)), mocks: mocks);
            }
            catch (Exception ex)
            {
                underEngine = ex;
            }

            var messages = underEngine is null ? [] : ConstructorFailures.Chain(underEngine).Select(x => x.Message).ToList();
            foreach (var e in group)
            {
                var line = $"{built.Args.GetType().Name}.{e.Problem!.PropertyPath}: {e.Problem.Reason}";
                if (!messages.Any(m => m.Contains(line, StringComparison.Ordinal)))
                {
                    failures.Add($"{e.Error}: under the engine the program did not fail with \"{line}\"");
                }
            }

            if (mocks.Resources.Count > 0)
            {
                failures.Add($"{check.ObjectPath}: invalid {built.Args.GetType().Name} registered {string.Join(", ", mocks.Resources.Select(r => r.Type))}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_spec_a_fixture_checks_has_its_component()
    {
        var specTypes = FixtureNames()
            .SelectMany(f => EnvironmentBinder.Trace(StackConfig.FromYamlFile(RepoRoot.PathOf($"tests/NeoCloud.Infra.Core.Tests/Fixtures/invalid/{f}.yaml"))).Checks)
            .Select(c => c.Spec.GetType())
            .Distinct()
            .ToList();

        Assert.NotEmpty(specTypes);
        Assert.All(specTypes, t => Assert.NotNull(SpecArgs.ComponentOf(t)));
    }

    private static Exception? Construct(SpecArgs.Built built) =>
        ConstructorFailures.Capture(() => Activator.CreateInstance(built.Component, built.ResourceName, built.Args, null));
}

/// <summary>
/// Builds a component's Args from a Core spec by property name: the inverse of the component's <c>ToSpec</c>, without a
/// hand-written copy per component. Ownership becomes <c>Environment</c>/<c>CostCenter</c>/<c>Tags</c>; a flag
/// <c>XSet</c> / <c>HasX</c> (the spec only knows that another resource's output was given) and the names in
/// <c>ProvidedInputs</c> become a given Input; nested records become nested Args.
/// </summary>
internal static class SpecArgs
{
    /// <summary>A component ready to construct, with the spec properties that have no Args property.</summary>
    public sealed record Built(Type Component, string ResourceName, object Args, IReadOnlyList<string> Unmapped);

    /// <summary>The component of a spec type: <c>XSpec</c> → the component <c>X</c>, or null.</summary>
    public static Type? ComponentOf(Type specType) =>
        typeof(GpuNodePool).Assembly.GetTypes().SingleOrDefault(t => typeof(ComponentResource).IsAssignableFrom(t) && !t.IsAbstract && t.Name + "Spec" == specType.Name);

    public static Built Build(object spec)
    {
        var component = ComponentOf(spec.GetType()) ?? throw new InvalidOperationException($"no component for {spec.GetType().Name}");
        var argsType = component.GetConstructors().Single().GetParameters()[1].ParameterType;
        var unmapped = new List<string>();
        var args = Activator.CreateInstance(argsType)!;
        Copy(spec, args, "", unmapped);
        var name = new[] { "Name", "PoolName", "TenantName" }
            .Select(p => spec.GetType().GetProperty(p)?.GetValue(spec) as string)
            .FirstOrDefault(n => !string.IsNullOrEmpty(n)) ?? "parity";
        return new Built(component, name, args, unmapped);
    }

    private static void Copy(object source, object target, string path, List<string> unmapped)
    {
        var targetType = target.GetType();
        foreach (var sp in source.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (sp.GetIndexParameters().Length > 0 || sp.Name == "EqualityContract")
            {
                continue;
            }

            var value = sp.GetValue(source);
            if (value is OwnershipSpec o)
            {
                Set(target, "Environment", o.Environment);
                Set(target, "CostCenter", o.CostCenter);
                Set(target, "Tags", new Dictionary<string, string>(o.Tags, StringComparer.Ordinal));
                continue;
            }

            if (sp.Name == "ProvidedInputs" && value is IEnumerable<string> inputs)
            {
                foreach (var input in inputs)
                {
                    if (targetType.GetProperty(input) is not { } tp || Given(tp.PropertyType) is not { } given)
                    {
                        unmapped.Add(path + input);
                        continue;
                    }

                    tp.SetValue(target, given);
                }

                continue;
            }

            var flagged = sp.Name.EndsWith("Set", StringComparison.Ordinal) ? sp.Name[..^3] : sp.Name.StartsWith("Has", StringComparison.Ordinal) ? sp.Name[3..] : null;
            if (value is bool flag && flagged is not null && targetType.GetProperty(flagged) is { } flaggedProperty && targetType.GetProperty(sp.Name) is null)
            {
                if (flag)
                {
                    if (Given(flaggedProperty.PropertyType) is { } given)
                    {
                        flaggedProperty.SetValue(target, given);
                    }
                    else
                    {
                        unmapped.Add(path + sp.Name);
                    }
                }

                continue;
            }

            if (targetType.GetProperty(sp.Name) is not { CanWrite: true } property)
            {
                unmapped.Add(path + sp.Name);
                continue;
            }

            if (TryConvert(value, property.PropertyType, path + sp.Name + ".", unmapped, out var converted))
            {
                property.SetValue(target, converted);
            }
            else
            {
                unmapped.Add(path + sp.Name);
            }
        }
    }

    private static void Set(object target, string property, object value) => target.GetType().GetProperty(property)?.SetValue(target, value);

    /// <summary>A placeholder for an Input another resource would produce (what the spec calls "set").</summary>
    private static object? Given(Type type)
    {
        if (type == typeof(Input<string>))
        {
            return (Input<string>)"given";
        }

        if (type == typeof(InputList<string>))
        {
            return (InputList<string>)new[] { "given" };
        }

        if (type == typeof(Input<NodePlacement>))
        {
            return (Input<NodePlacement>)new NodePlacement("given", [], [], "none", "given", 1, 1, 1, [], [], 1000, 1024);
        }

        return type.IsValueType ? null : type.GetConstructor(Type.EmptyTypes)?.Invoke([]);
    }

    private static bool TryConvert(object? value, Type type, string path, List<string> unmapped, out object? converted)
    {
        converted = null;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null)
        {
            return !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
        }

        if (underlying.IsInstanceOfType(value))
        {
            converted = value;
            return true;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Input<>)
            && TryConvert(value, type.GetGenericArguments()[0], path, unmapped, out var inner)
            && type.GetMethod("op_Implicit", [type.GetGenericArguments()[0]]) is { } implicitInput)
        {
            converted = implicitInput.Invoke(null, [inner]);
            return true;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && value is IEnumerable pairs)
        {
            var dictionary = (IDictionary)Activator.CreateInstance(type)!;
            foreach (var pair in pairs)
            {
                var pairType = pair.GetType();
                if (!TryConvert(pairType.GetProperty("Value")!.GetValue(pair), type.GetGenericArguments()[1], path, unmapped, out var v))
                {
                    return false;
                }

                dictionary[pairType.GetProperty("Key")!.GetValue(pair)!] = v;
            }

            converted = dictionary;
            return true;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var list && (list == typeof(List<>) || list == typeof(InputList<>)) && value is IEnumerable items and not string)
        {
            var element = type.GetGenericArguments()[0];
            var copy = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            foreach (var item in items)
            {
                if (!TryConvert(item, element, path, unmapped, out var e))
                {
                    return false;
                }

                copy.Add(e);
            }

            converted = list == typeof(List<>) ? copy : type.GetMethod("op_Implicit", [copy.GetType()])!.Invoke(null, [copy]);
            return true;
        }

        if (typeof(ResourceArgs).IsAssignableFrom(underlying) && underlying.GetConstructor(Type.EmptyTypes) is { } constructor && !value.GetType().IsPrimitive)
        {
            var nested = constructor.Invoke([]);
            Copy(value, nested, path, unmapped);
            converted = nested;
            return true;
        }

        return false;
    }
}

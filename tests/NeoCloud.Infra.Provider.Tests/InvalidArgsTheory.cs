using System.Reflection;
using NeoCloud.Infra.Components;
using NeoCloud.Infra.Components.Tests.Testing;
using NeoCloud.Infra.Tests.Shared;
using Pulumi;

namespace NeoCloud.Infra.Provider.Tests;

/// <summary>
/// The constructor contract (architecture.md "The component contract" 3) for every component: Args with every required
/// <c>[Input]</c> left unset make the one public constructor <c>X(string name, XArgs args, ComponentResourceOptions?
/// options)</c> throw <see cref="ComponentArgsException"/> listing a problem for EACH required property (path = the
/// property's C# name), and under the mock engine nothing is registered, not even the component. The Args are created
/// the way the provider's Construct creates them: the parameterless constructor, then only what the program set.
/// </summary>
public sealed class InvalidArgsTheory
{
    private const string ResourceName = "invalid";

    [Theory]
    [MemberData(nameof(ComponentCatalog.Names), MemberType = typeof(ComponentCatalog))]
    public async Task Args_with_every_required_input_unset_throw_every_problem_and_register_nothing(string name) =>
        ComponentCatalog.AssertOutcome(name, ContractCheck.InvalidArgs, await CheckAsync(ComponentCatalog.Find(name)));

    /// <summary>Null when <paramref name="component"/> meets the contract, else every way it misses it.</summary>
    public static async Task<string?> CheckAsync(Type component)
    {
        var constructors = component.GetConstructors();
        var parameters = constructors.Length == 1 ? constructors[0].GetParameters() : [];
        if (parameters.Length != 3 || parameters[0].ParameterType != typeof(string) || parameters[1].Name != "args"
            || !typeof(NeoCloudArgs).IsAssignableFrom(parameters[1].ParameterType) || parameters[2].ParameterType != typeof(ComponentResourceOptions))
        {
            return $"needs exactly one public constructor (string name, XArgs args, ComponentResourceOptions? options) with XArgs : NeoCloudArgs; has "
                + string.Join(" and ", constructors.Select(c => "(" + string.Join(", ", c.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}")) + ")"));
        }
        var constructor = constructors[0];
        var argsType = parameters[1].ParameterType;
        if (argsType.GetConstructor(Type.EmptyTypes) is null)
        {
            return $"{argsType.Name} has no public parameterless constructor (the provider's Construct needs one)";
        }

        var required = argsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(IsRequiredInput)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var failures = new List<string>();

        // Outside the engine: the structured problems, before anything touches the deployment.
        var direct = Construct(constructor, argsType);
        if (direct is not ComponentArgsException problems)
        {
            return $"new {component.Name}(\"{ResourceName}\", new {argsType.Name}()) threw {Describe(direct)}, not ComponentArgsException";
        }
        if (problems.ArgsType != argsType.Name || problems.ResourceName != ResourceName)
        {
            failures.Add($"ComponentArgsException names ({problems.ArgsType}, \"{problems.ResourceName}\"), not ({argsType.Name}, \"{ResourceName}\")");
        }
        var missing = required.Where(p => !problems.Problems.Any(problem => problem.PropertyPath == p)).ToList();
        if (missing.Count > 0)
        {
            failures.Add($"no problem for the required {string.Join(", ", missing)} (problems: "
                + string.Join("; ", problems.Problems.Select(p => $"{p.PropertyPath}: {p.Reason}")) + ")");
        }

        // Under the mock engine: the program fails with that message and nothing is registered.
        var mocks = new RecordingMocks();
        Exception? underEngine = null;
        try
        {
            await PulumiTest.RunAsync(() => ConstructorFailures.Rethrow(Construct(constructor, argsType)), mocks: mocks);
        }
        catch (Exception e)
        {
            underEngine = e;
        }
        if (underEngine is null || !ConstructorFailures.Chain(underEngine).Any(e => e.Message.Contains($"invalid {argsType.Name}", StringComparison.Ordinal)))
        {
            failures.Add($"under the engine the program did not fail with the ComponentArgsException (got {Describe(underEngine)})");
        }
        if (mocks.Resources.Count > 0)
        {
            failures.Add("registered " + string.Join(", ", mocks.Resources.Select(r => $"{r.Type} \"{r.Name}\"")));
        }
        return failures.Count == 0 ? null : string.Join("; ", failures);
    }

    /// <summary><c>[Input(name, required: true)]</c> (the attribute keeps IsRequired internal: read its constructor arguments).</summary>
    private static bool IsRequiredInput(PropertyInfo property) =>
        property.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(InputAttribute)) is { } input
        && input.ConstructorArguments.Count > 1 && input.ConstructorArguments[1].Value is true;

    private static Exception? Construct(ConstructorInfo constructor, Type argsType) =>
        ConstructorFailures.Capture(() => constructor.Invoke([ResourceName, Activator.CreateInstance(argsType), null]));

    private static string Describe(Exception? e) => e is null ? "nothing (it succeeded)" : $"{e.GetType().Name}: {FirstLine(e.Message)}";

    private static string FirstLine(string text) => text.Split('\n')[0];
}

using System.Collections.Immutable;
using NeoCloud.Infra.Components;
using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Core.Naming;
using Pulumi;

namespace NeoCloud.Infra.Provider.Tests;

/// <summary>
/// The checks themselves, on sample components defined here (outside the Components assembly, so the catalog does not
/// serve them): one written to the contract passes both, and each way of missing it is caught. This is what keeps the
/// per-component tests from being vacuous while most components are pending on this branch.
/// </summary>
public sealed class ContractSelfTests
{
    [Fact]
    public async Task A_component_written_to_the_contract_passes_both_checks()
    {
        Assert.Null(AnalyzerAcceptanceTests.Analyze(typeof(SampleQueue)));
        Assert.Null(await InvalidArgsTheory.CheckAsync(typeof(SampleQueue)));
    }

    [Fact]
    public async Task A_component_that_registers_before_validating_fails_the_theory()
    {
        var failure = await InvalidArgsTheory.CheckAsync(typeof(RegistersFirstQueue));
        Assert.NotNull(failure);
        Assert.Contains("not ComponentArgsException", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_component_that_skips_a_required_property_fails_the_theory()
    {
        var failure = await InvalidArgsTheory.CheckAsync(typeof(ForgetfulQueue));
        Assert.NotNull(failure);
        Assert.Contains("no problem for the required Capacity", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_property_without_Output_fails_the_analyzer()
    {
        var failure = AnalyzerAcceptanceTests.Analyze(typeof(LeakyQueue));
        Assert.NotNull(failure);
        Assert.Contains("Property Spec has no Input or Output attribute", failure, StringComparison.Ordinal);
    }
}

/// <summary>The sample's Args, in the contract's style.</summary>
public sealed class SampleQueueArgs : NeoCloudArgs
{
    /// <summary>Queue capacity, 1..100. Required.</summary>
    [Input("capacity", required: true)]
    public int? Capacity { get; set; }

    /// <summary>Queue name, a DNS label. Required.</summary>
    [Input("queueName", required: true)]
    public string? QueueName { get; set; }

    /// <summary>Validates like a planner: every problem, incl. ownership; a required property left null is "is required".</summary>
    public ImmutableArray<SpecProblem> Validate(bool skipCapacity = false)
    {
        var problems = new SpecProblems();
        foreach (var ownership in OwnershipPlanner.Validate(new OwnershipSpec(Environment, CostCenter, ImmutableSortedDictionary<string, string>.Empty)))
        {
            problems.Add(ownership.PropertyPath, ownership.Reason);
        }
        problems.Require(skipCapacity || Capacity is not null, "Capacity", "is required");
        problems.Require(QueueName is not null, "QueueName", "is required");
        return problems.ToImmutable();
    }
}

/// <summary>Validates before <c>base</c>: meets the contract.</summary>
public sealed class SampleQueue : ComponentResource
{
    public SampleQueue(string name, SampleQueueArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(SampleQueueArgs), name, args, a => a.Validate(), a => a.QueueName!), options)
    {
    }

    private SampleQueue(string name, SampleQueueArgs args, string queueName, ComponentResourceOptions? options)
        : base("neocloud:index:SampleQueue", name, args, options)
    {
        QueueName = Output.Create(queueName);
        RegisterOutputs();
    }

    /// <summary>The queue's name.</summary>
    [Output("queueName")]
    public Output<string> QueueName { get; private set; }
}

/// <summary>Registers, then validates: the engine has the component before the exception.</summary>
public sealed class RegistersFirstQueue : ComponentResource
{
    public RegistersFirstQueue(string name, SampleQueueArgs args, ComponentResourceOptions? options = null)
        : base("neocloud:index:RegistersFirstQueue", name, args, options)
    {
        ComponentArgsException.ThrowIfAny(nameof(SampleQueueArgs), name, args.Validate());
    }
}

/// <summary>Validates before <c>base</c> but reports nothing for a missing Capacity.</summary>
public sealed class ForgetfulQueue : ComponentResource
{
    public ForgetfulQueue(string name, SampleQueueArgs args, ComponentResourceOptions? options = null)
        : this(name, args, ComponentContract.Plan(nameof(SampleQueueArgs), name, args, a => a.Validate(skipCapacity: true), a => a.QueueName!), options)
    {
    }

    private ForgetfulQueue(string name, SampleQueueArgs args, string queueName, ComponentResourceOptions? options)
        : base("neocloud:index:ForgetfulQueue", name, args, options)
    {
        _ = queueName;
    }
}

/// <summary>Publishes a plain public property without <c>[Output]</c>.</summary>
public sealed class LeakyQueue : ComponentResource
{
    public LeakyQueue(string name, SampleQueueArgs args, ComponentResourceOptions? options = null)
        : base("neocloud:index:LeakyQueue", name, args, options)
    {
        Spec = args.QueueName ?? "";
    }

    /// <summary>Not an output.</summary>
    public string Spec { get; }
}

using System.Collections.Immutable;
using NeoCloud.Infra.Core.Policy;

namespace NeoCloud.Infra.Plan.Policy;

/// <summary>A Core verdict with the enforcement level the stack's policy pack config gives its policy.</summary>
/// <param name="Policy">Policy name.</param>
/// <param name="Status">Pass, fail or not applicable.</param>
/// <param name="Level">Enforcement level for this stack.</param>
/// <param name="Message">What was found.</param>
/// <param name="Subject">What the verdict is about.</param>
internal sealed record PolicyVerdict(string Policy, CheckStatus Status, EnforcementLevel Level, string Message, string Subject)
{
    /// <summary>True when this verdict would block <c>pulumi preview/up</c>: a failure at mandatory (or remediate) level.</summary>
    public bool Blocking => Status == CheckStatus.Fail && Level is EnforcementLevel.Mandatory or EnforcementLevel.Remediate;
}

/// <summary>The policy verdicts of a stack.</summary>
/// <param name="PackConfig">The stack's <c>--policy-pack-config</c> file as configured (<c>policy.packConfig</c>).</param>
/// <param name="PackConfigFound">Whether that file exists; when it does not, levels come from the enforcement profile.</param>
/// <param name="LevelSource">Where the levels come from, in words.</param>
/// <param name="Verdicts">Every verdict, in check order.</param>
internal sealed record PolicyPlan(string PackConfig, bool PackConfigFound, string LevelSource, ImmutableArray<PolicyVerdict> Verdicts)
{
    /// <summary>Failures at mandatory level.</summary>
    public int MandatoryViolations => Verdicts.Count(v => v.Blocking);

    /// <summary>Failures at advisory level.</summary>
    public int AdvisoryViolations => Verdicts.Count(v => v.Status == CheckStatus.Fail && v.Level == EnforcementLevel.Advisory);
}

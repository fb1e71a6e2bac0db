using NeoCloud.Infra.Core.Policy;

namespace NeoCloud.Infra.Tests.Shared;

/// <summary>
/// <c>--policy-pack-config</c> files and what every user of Core's one parser (<see cref="PolicyPackConfig"/>) must make
/// of them: the offline plan (<c>neocloud plan</c>, tests/NeoCloud.Infra.Plan.Tests) and the policy pack's offline check
/// (tests/NeoCloud.Infra.Policy.Tests) run each case through their own entry point. The policies named are policies of
/// both (Core's <see cref="ConfigChecks"/> names, which the pack's stack rules carry).
/// </summary>
public static class PackConfigCases
{
    /// <summary>The word no error may print: it stands for any text of a file that may be any file.</summary>
    public const string Canary = "CANARY";

    /// <summary>The file name both users give the parser as the source name.</summary>
    public const string FileName = "pack.json";

    /// <summary>A valid file: the level each policy gets (null: the user's own fallback, i.e. the file does not set it).</summary>
    public static TheoryData<string, string, EnforcementLevel?> Valid => new()
    {
        { """{ "all": "mandatory", "bucket-replication-prod": { "enforcementLevel": "advisory", "bucketMarkers": ["model"] } }""", ConfigChecks.BucketsReplicatedInProd, EnforcementLevel.Advisory },
        { """{ "all": "mandatory", "bucket-replication-prod": { "enforcementLevel": "advisory" } }""", ConfigChecks.MigConfigValidForGpu, EnforcementLevel.Mandatory },
        { """{ "mig-config-valid": "Disabled" }""", ConfigChecks.MigConfigValidForGpu, EnforcementLevel.Disabled },
        { """{ "mig-config-valid": "remediate" }""", ConfigChecks.MigConfigValidForGpu, EnforcementLevel.Remediate },
        { "// a comment\n{ \"all\": \"advisory\", }", ConfigChecks.TenantHasQuotaAndDefaultDeny, EnforcementLevel.Advisory },
        { """{ "mig-config-valid": "remediate", "mig-config-valid": "mandatory" }""", ConfigChecks.MigConfigValidForGpu, EnforcementLevel.Mandatory },
        { """{ "bucket-replication-prod": { "bucketMarkers": ["model"] } }""", ConfigChecks.BucketsReplicatedInProd, null },
        { """{ "vector-db-ha": "mandatory" }""", ConfigChecks.MigConfigValidForGpu, null },
        { "{}", ConfigChecks.VectorDbReplicatedInProd, null },
    };

    /// <summary>An invalid file: every fragment must be in the error, and no <see cref="Canary"/>.</summary>
    public static TheoryData<string, string[]> Invalid => new()
    {
        { """[ "CANARY" ]""", ["pack.json: must be a JSON object of policy name → level or settings"] },
        { """{ "CANARY-key": CANARY-bare }""", ["pack.json: is not valid JSON (line 1, byte "] },
        { "{ \"all\": \"advisory\",\n  \"CANARY\" }", ["pack.json: is not valid JSON (line 2, byte "] },
        { """{ "mig-config-valid": "CANARY-level" }""", ["pack.json: mig-config-valid: is not an enforcement level; allowed: advisory, mandatory, disabled, remediate"] },
        { """{ "all": "strict-CANARY" }""", ["pack.json: all: is not an enforcement level"] },
        { """{ "CANARY-policy": "CANARY-level" }""", ["pack.json: entry #1: is not an enforcement level"] },
        { """{ "all": 3 }""", ["pack.json: all: must be an enforcement level (advisory, mandatory, disabled, remediate) or an object of enforcementLevel and settings; got a number"] },
        { """{ "mig-config-valid": { "enforcementLevel": true } }""", ["pack.json: mig-config-valid.enforcementLevel: is not an enforcement level"] },
        {
            """{ "CANARY-a": [1], "CANARY-b": { "enforcementLevel": "CANARY" }, "tenant-isolation": null }""",
            ["pack.json: entry #1: must be an enforcement level", "got an array", "pack.json: entry #2.enforcementLevel: is not an enforcement level", "pack.json: tenant-isolation: must be an enforcement level", "got null"]
        },
    };
}

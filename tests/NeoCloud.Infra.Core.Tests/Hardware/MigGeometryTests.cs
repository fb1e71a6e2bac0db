using System.Collections.Immutable;
using NeoCloud.Infra.Core.Hardware;

namespace NeoCloud.Infra.Core.Tests.Hardware;

public sealed class MigGeometryTests
{
    public static readonly TheoryData<string> MigGpus = new(HardwareCatalog.Default.Gpus.Where(g => g.MigSupported).Select(g => g.Id));

    /// <summary>
    /// Combinations documented as valid, written with the six profile roles every 8-memory-slice GPU of the catalog has
    /// (small 1g, double-memory 1g, 2g, 3g, 4g, 7g; e.g. 1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb on H100).
    /// Source: MIG User Guide, "Supported MIG Profiles", A100 placement figure / configuration table (the rows of one
    /// 4-slice left half — 4g | 3g | 2g+2g | 2g+1g+1g | 1g+1g+2g | 1g×4 — with one right half — 3g | 2g+1g | 1g×3 —
    /// plus 7g), which the guide states carry over to A100-80GB with the 80GB names; and mig-parted's
    /// config-default.yaml (all-&lt;profile&gt;, all-balanced) for H100, H100 NVL, H200 and B200.
    /// </summary>
    private static readonly (string Name, (int Role, int Count)[] Terms)[] Documented =
    [
        ("7g", [(5, 1)]),
        ("4g+3g", [(4, 1), (3, 1)]),
        ("4g+2g+1g", [(4, 1), (2, 1), (0, 1)]),
        ("4g+1g×3", [(4, 1), (0, 3)]),
        ("3g×2", [(3, 2)]),
        ("3g+2g+1g", [(3, 1), (2, 1), (0, 1)]),
        ("3g+1g×3", [(3, 1), (0, 3)]),
        ("3g+2g×2", [(3, 1), (2, 2)]),
        ("3g+2g+1g×2", [(3, 1), (2, 1), (0, 2)]),
        ("3g+1g×4", [(3, 1), (0, 4)]),
        ("2g×3+1g", [(2, 3), (0, 1)]),
        ("2g×2+1g×3", [(2, 2), (0, 3)]),
        ("2g+1g×5", [(2, 1), (0, 5)]),
        ("1g×7 (all-1g)", [(0, 7)]),
        ("2g×3 (all-2g)", [(2, 3)]),
        ("double 1g×4 (all-1g double)", [(1, 4)]),
        ("balanced: 1g×2+2g+3g", [(0, 2), (2, 1), (3, 1)]),
    ];

    private static GpuModel Gpu(string id) => HardwareCatalog.Default.FindGpu(id)!;

    private static ImmutableSortedDictionary<string, int> L(params (string Profile, int Count)[] terms) =>
        terms.ToImmutableSortedDictionary(t => t.Profile, t => t.Count, StringComparer.Ordinal);

    /// <summary>Profiles by role: 0 small 1g, 1 double-memory 1g, 2 2g, 3 3g, 4 4g, 5 7g.</summary>
    private static string[] Roles(GpuModel gpu)
    {
        var ones = gpu.MigProfiles.Where(p => p.ComputeSlices == 1).OrderBy(p => p.MemorySlices).ToArray();
        return [ones[0].Name, ones[1].Name, .. new[] { 2, 3, 4, 7 }.Select(c => gpu.MigProfiles.Single(p => p.ComputeSlices == c).Name)];
    }

    [Theory]
    [MemberData(nameof(MigGpus))]
    public void Every_documented_combination_is_valid(string gpuId)
    {
        var gpu = Gpu(gpuId);
        var roles = Roles(gpu);
        var all = MigGeometry.EnumerateLayouts(gpu).Select(MigGeometry.Describe).ToHashSet();
        foreach (var (name, terms) in Documented)
        {
            var layout = L([.. terms.Select(t => (roles[t.Role], t.Count))]);
            var check = MigGeometry.Validate(gpu, layout);
            Assert.True(check.IsValid, $"{gpuId} {name}: {string.Join("; ", check.Errors)}");
            Assert.Equal(layout.Values.Sum(), check.Placements.Length);
            Assert.Contains(MigGeometry.Describe(layout), all);
        }
    }

    /// <summary>
    /// The A100 configuration table of the MIG User Guide (written for the profiles of the R450 driver: 1g.5gb, 2g.10gb,
    /// 3g.20gb, 4g.20gb, 7g.40gb) lists 19 configurations — placements, so 2g+1g+1g and 1g+1g+2g in the left half are
    /// distinct rows. Hand count: 6 left halves × 3 right halves + 7g = 19. The same geometry holds for every 8-slice GPU.
    /// As profile multisets those 19 are 14: the left halves 2g+1g+1g and 1g+1g+2g coincide (−3), and
    /// 2g+2g | 1g×3 = 2g+1g+1g | 2g+1g and 1g×4 | 2g+1g = 2g+1g+1g | 1g×3 (−2).
    /// </summary>
    [Theory]
    [MemberData(nameof(MigGpus))]
    public void Guide_configuration_count_matches_the_maximal_placements(string gpuId)
    {
        var gpu = Gpu(gpuId);
        var roles = Roles(gpu);
        var maximal = MigGeometry.EnumerateMaximalPlacements(gpu, [roles[0], roles[2], roles[3], roles[4], roles[5]]);
        Assert.Equal(19, maximal.Length);
        var multisets = maximal
            .Select(c => MigGeometry.Describe(c.GroupBy(p => p.Profile).ToDictionary(g => g.Key, g => g.Count())))
            .Distinct();
        Assert.Equal(14, multisets.Count());
    }

    [Theory]
    [MemberData(nameof(MigGpus))]
    public void Enumeration_is_exhaustive_deterministic_and_every_layout_validates(string gpuId)
    {
        var gpu = Gpu(gpuId);
        var layouts = MigGeometry.EnumerateLayouts(gpu);

        // 77 non-empty multisets fit the 7-compute / 8-memory-slice geometry (cross-checked with an independent brute force
        // over all count vectors; the guide gives no count for this notion).
        Assert.Equal(77, layouts.Length);
        Assert.Equal(layouts.Select(MigGeometry.Describe), MigGeometry.EnumerateLayouts(gpu).Select(MigGeometry.Describe));
        Assert.Equal(layouts.Length, layouts.Select(MigGeometry.Describe).Distinct().Count());
        foreach (var l in layouts)
        {
            Assert.True(MigGeometry.Validate(gpu, l).IsValid);
        }

        // Every sub-multiset of a valid layout is valid too, and every maximal placement's multiset is enumerated.
        var set = layouts.Select(MigGeometry.Describe).ToHashSet();
        foreach (var config in MigGeometry.EnumerateMaximalPlacements(gpu))
        {
            var ms = config.GroupBy(p => p.Profile).ToDictionary(g => g.Key, g => g.Count());
            Assert.Contains(MigGeometry.Describe(ms), set);
        }
    }

    [Fact]
    public void H100_layout_counts()
    {
        var gpu = Gpu("H100-SXM5-80GB");
        var layouts = MigGeometry.EnumerateLayouts(gpu);
        Assert.Contains("1g.10gb×7", layouts.Select(MigGeometry.Describe));
        Assert.DoesNotContain("1g.10gb×1+3g.40gb×2", layouts.Select(MigGeometry.Describe));
    }

    [Fact]
    public void Empty_layout_is_valid_everywhere()
    {
        foreach (var gpu in HardwareCatalog.Default.Gpus)
        {
            var check = MigGeometry.Validate(gpu, L());
            Assert.True(check.IsValid);
            Assert.Empty(check.Placements);
        }
    }

    [Fact]
    public void Placements_are_reported_by_start()
    {
        var check = MigGeometry.Validate(Gpu("H100-SXM5-80GB"), L(("1g.10gb", 2), ("2g.20gb", 1), ("3g.40gb", 1)));
        Assert.True(check.IsValid);
        Assert.Equal(["2g.20gb@0", "1g.10gb@2", "1g.10gb@3", "3g.40gb@4"], check.Placements.Select(p => p.ToString()));
    }

    [Fact]
    public void Two_4g_instances_overlap()
    {
        var check = MigGeometry.Validate(Gpu("H100-SXM5-80GB"), L(("4g.40gb", 2)));
        Assert.False(check.IsValid);
        Assert.Contains("\"4g.40gb\" ×2 exceeds its maximum of 1 per GPU", check.Errors);
        Assert.Contains(check.Errors, e => e.Contains("4g.40gb cannot be placed (at 0 it needs memory slices 0-3, which 4g.40gb@0 already uses)", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_3g_and_a_1g_do_not_fit_on_H100()
    {
        var check = MigGeometry.Validate(Gpu("H100-SXM5-80GB"), L(("3g.40gb", 2), ("1g.10gb", 1)));
        Assert.False(check.IsValid);
        var error = Assert.Single(check.Errors);
        Assert.StartsWith("no non-overlapping placement on H100-SXM5-80GB: after 3g.40gb@0, 3g.40gb@4, 1g.10gb cannot be placed", error);
        Assert.Contains("at 0 it needs memory slice 0, which 3g.40gb@0 already uses", error);
        Assert.Contains("at 6 it needs memory slice 6, which 3g.40gb@4 already uses", error);
    }

    [Fact]
    public void Eight_1g_exceed_the_slices()
    {
        var check = MigGeometry.Validate(Gpu("H100-SXM5-80GB"), L(("1g.10gb", 8)));
        Assert.False(check.IsValid);
        Assert.Contains("\"1g.10gb\" ×8 exceeds its maximum of 7 per GPU", check.Errors);
        Assert.Contains("8×1g.10gb needs 8 compute slices; H100-SXM5-80GB has 7", check.Errors);
    }

    [Fact]
    public void Profile_of_another_model_is_rejected()
    {
        var check = MigGeometry.Validate(Gpu("H100-SXM5-80GB"), L(("1g.5gb", 1)));
        Assert.False(check.IsValid);
        Assert.Equal(
            "profile \"1g.5gb\" is not a MIG profile of H100-SXM5-80GB (profiles: 1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb)",
            Assert.Single(check.Errors));
    }

    [Theory]
    [InlineData("L40S")]
    [InlineData("A10G")]
    [InlineData("L4")]
    public void Mig_on_a_gpu_without_mig_is_rejected(string id)
    {
        var check = MigGeometry.Validate(Gpu(id), L(("1g.10gb", 1)));
        Assert.False(check.IsValid);
        Assert.Equal($"MIG is not supported on {id}", Assert.Single(check.Errors));
        Assert.Empty(MigGeometry.EnumerateLayouts(Gpu(id)));
    }

    [Fact]
    public void A_3g_at_the_upper_half_blocks_the_1g_at_6_but_leaves_the_left_half()
    {
        var gpu = Gpu("A100-SXM4-40GB");
        Assert.True(MigGeometry.Validate(gpu, L(("3g.20gb", 1), ("1g.5gb", 4))).IsValid);
        Assert.False(MigGeometry.Validate(gpu, L(("3g.20gb", 1), ("1g.5gb", 5))).IsValid);
        Assert.True(MigGeometry.Validate(gpu, L(("1g.10gb", 4))).IsValid);
        Assert.False(MigGeometry.Validate(gpu, L(("1g.10gb", 4), ("1g.5gb", 1))).IsValid);
    }
}

using System.Globalization;
using NeoCloud.Infra.Plan.Costing;

namespace NeoCloud.Infra.Plan.Output;

/// <summary>Display and JSON rounding of USD amounts.</summary>
internal static class Usd
{
    /// <summary><c>$1,234.56</c>; amounts below one cent keep four decimals.</summary>
    public static string Format(decimal amount) =>
        amount != 0 && Math.Abs(amount) < 0.01m
            ? (amount < 0 ? "-$" : "$") + Math.Abs(amount).ToString("0.0000", CultureInfo.InvariantCulture)
            : (amount < 0 ? "-$" : "$") + Math.Abs(amount).ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>A signed change: <c>+$12.00</c>, <c>-$3.50</c>, <c>$0.00</c>.</summary>
    public static string Delta(decimal amount) => amount > 0 ? "+" + Format(amount) : Format(amount);

    /// <summary><c>$a – $b</c>, or one amount when both ends are equal.</summary>
    public static string Format(UsdRange range) => range.Min == range.Max ? Format(range.Min) : $"{Format(range.Min)} – {Format(range.Max)}";

    /// <summary>A signed range change.</summary>
    public static string Delta(UsdRange range) => range.Min == range.Max ? Delta(range.Min) : $"{Delta(range.Min)} – {Delta(range.Max)}";

    /// <summary>Rounded to 4 decimals for JSON (stable across runs).</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 4, MidpointRounding.AwayFromZero);
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

using NeoCloud.Infra.Core.Environments;

namespace NeoCloud.Infra.Core.Platform;

/// <summary>
/// Arrival rate over time (requests per second, linear between points; constant after the last), optionally with
/// windows where the metric source (Prometheus) is down.
/// </summary>
/// <param name="Name">Trace name.</param>
/// <param name="Points">(seconds, requests per second), ascending in time.</param>
/// <param name="DurationSeconds">Simulated length.</param>
/// <param name="SpikeAtSeconds">When the disturbance the trace is about begins (for "time to meet the SLO"), or null.</param>
/// <param name="Outages">(start, end) seconds where every metric query fails.</param>
public sealed record LoadTrace(string Name, ImmutableArray<(double Seconds, double Rate)> Points, int DurationSeconds, int? SpikeAtSeconds, ImmutableArray<(int Start, int End)> Outages)
{
    /// <summary>The built-in trace names.</summary>
    public static ImmutableArray<string> BuiltIns { get; } = ["steady", "ramp", "spike", "diurnal"];

    /// <summary>The arrival rate at <paramref name="t"/> seconds.</summary>
    public double RateAt(double t)
    {
        if (Points.IsDefaultOrEmpty)
        {
            return 0;
        }

        if (t <= Points[0].Seconds)
        {
            return Points[0].Rate;
        }

        for (var i = 1; i < Points.Length; i++)
        {
            if (t <= Points[i].Seconds)
            {
                var (t0, r0) = Points[i - 1];
                var (t1, r1) = Points[i];
                return t1 <= t0 ? r1 : r0 + ((r1 - r0) * (t - t0) / (t1 - t0));
            }
        }

        return Points[^1].Rate;
    }

    /// <summary>True when the metric source is down at <paramref name="t"/>.</summary>
    public bool MetricDown(int t) => !Outages.IsDefaultOrEmpty && Outages.Any(o => t >= o.Start && t < o.End);

    /// <summary>
    /// A built-in trace scaled to a deployment: <paramref name="baseRate"/> is the steady load (the check uses 60 % of what
    /// the minimum replicas serve) and <paramref name="peakRate"/> the diurnal peak (80 % of what the maximum replicas serve).
    /// steady: base for 30 min; ramp: base → 10 × base over 20 min, then 10 min flat; spike: base for 5 min, 5 × base for
    /// 15 min, base for 15 min (the HPA's default 300 s scale-down window plus the 5 min over which settling is judged);
    /// diurnal: 24 h between 10 % and 100 % of the peak (lowest at 04:00, highest at 16:00).
    /// </summary>
    public static LoadTrace BuiltIn(string name, double baseRate, double peakRate)
    {
        return name switch
        {
            "steady" => new(name, [(0, baseRate)], 1800, null, []),
            "ramp" => new(name, [(0, baseRate), (1200, 10 * baseRate)], 1800, 0, []),
            "spike" => new(name, [(0, baseRate), (299.999, baseRate), (300, 5 * baseRate), (1199.999, 5 * baseRate), (1200, baseRate)], 2100, 300, []),
            "diurnal" => new(name, [.. Enumerable.Range(0, 97).Select(i => (i * 900.0, peakRate * (0.55 - (0.45 * Math.Cos(2 * Math.PI * ((i * 900.0) - (4 * 3600)) / 86400)))))], 86400, null, []),
            _ => throw new ArgumentException($"unknown trace \"{name}\"; built-in traces: {string.Join(", ", BuiltIns)}, or a .csv/.json trace file", nameof(name)),
        };
    }

    /// <summary>
    /// Reads a trace file. CSV: a header line <c>seconds,requestsPerSecond</c>, then one point per line. JSON:
    /// <c>{"name": "...", "durationSeconds": 3600, "spikeAtSeconds": 300, "points": [{"seconds": 0, "requestsPerSecond": 10}, ...],
    /// "outages": [{"start": 600, "end": 900}]}</c> (everything but <c>points</c> optional). Rates must be 0 or more and
    /// times ascending.
    /// </summary>
    /// <exception cref="FormatException">The file is not a valid trace; the message names the line or field.</exception>
    public static LoadTrace FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // A regular file within the stack-file limit (no FIFO, device or directory; bounded read), as for every input.
        var text = InputLimits.ReadRegularTextFile(path, InputLimits.MaxConfigFileBytes, path);
        var name = Path.GetFileNameWithoutExtension(path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(name, text) : FromCsv(name, text);
    }

    /// <summary>Parses a CSV trace (see <see cref="FromFile"/>).</summary>
    public static LoadTrace FromCsv(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var points = new List<(double, double)>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#') || (i == 0 && !char.IsAsciiDigit(line[0])))
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != 2
                || !double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var t)
                || !double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
            {
                throw new FormatException($"trace {name} line {i + 1}: \"{line}\" is not <seconds>,<requestsPerSecond>");
            }

            points.Add((t, r));
        }

        return Validated(name, points, null, null, []);
    }

    /// <summary>Parses a JSON trace (see <see cref="FromFile"/>).</summary>
    public static LoadTrace FromJson(string name, string text)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("points", out var pts) || pts.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"trace {name}: needs an object with a \"points\" array");
        }

        var points = new List<(double, double)>();
        var index = 0;
        foreach (var p in pts.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("seconds", out var s) || !s.TryGetDouble(out var t)
                || !p.TryGetProperty("requestsPerSecond", out var rv) || !rv.TryGetDouble(out var r))
            {
                throw new FormatException($"trace {name}: points[{index}] needs numeric \"seconds\" and \"requestsPerSecond\"");
            }

            points.Add((t, r));
            index++;
        }

        int? duration = root.TryGetProperty("durationSeconds", out var d) && d.TryGetInt32(out var dv) ? dv : null;
        int? spike = root.TryGetProperty("spikeAtSeconds", out var sp) && sp.TryGetInt32(out var sv) ? sv : null;
        var outages = new List<(int, int)>();
        if (root.TryGetProperty("outages", out var os) && os.ValueKind == JsonValueKind.Array)
        {
            foreach (var o in os.EnumerateArray())
            {
                if (!o.TryGetProperty("start", out var a) || !a.TryGetInt32(out var av) || !o.TryGetProperty("end", out var b) || !b.TryGetInt32(out var bv) || bv <= av)
                {
                    throw new FormatException($"trace {name}: each outage needs integer \"start\" < \"end\"");
                }

                outages.Add((av, bv));
            }
        }

        var label = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : name;
        return Validated(label, points, duration, spike, outages);
    }

    private static LoadTrace Validated(string name, List<(double T, double R)> points, int? duration, int? spike, List<(int, int)> outages)
    {
        if (points.Count == 0)
        {
            throw new FormatException($"trace {name}: no points");
        }

        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].R < 0 || double.IsNaN(points[i].R) || double.IsInfinity(points[i].R))
            {
                throw new FormatException($"trace {name}: point {i + 1} has rate {points[i].R}; rates must be 0 or more");
            }

            if (i > 0 && points[i].T < points[i - 1].T)
            {
                throw new FormatException($"trace {name}: point {i + 1} at {points[i].T} s comes before point {i} at {points[i - 1].T} s; times must ascend");
            }
        }

        var length = duration ?? (int)Math.Max(900, Math.Ceiling(points[^1].T));
        if (length is < 60 or > 7 * 86400)
        {
            throw new FormatException($"trace {name}: duration {length} s is outside 60 s .. 7 days");
        }

        return new LoadTrace(name, [.. points], length, spike, [.. outages]);
    }
}

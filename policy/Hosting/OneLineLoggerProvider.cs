using Microsoft.Extensions.Logging;

namespace NeoCloud.Infra.Policy.Hosting;

/// <summary>
/// Logs every event as one line on stderr: <c>neocloud-infra analyzer: &lt;level&gt; &lt;category&gt;: &lt;message&gt;
/// (&lt;exception type&gt;: &lt;exception message&gt;)</c>. No stack trace unless asked for (<c>NEOCLOUD_VERBOSE=1</c>), so an
/// aborted stream or a broken connection is one line, not forty. Written by hand: Microsoft.Extensions.Logging.Console always prints the
/// exception with its stack trace and spreads an entry over two lines.
/// </summary>
public sealed class OneLineLoggerProvider(TextWriter output, bool withStackTraces) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly TextWriter _output = output;
    private readonly bool _withStackTraces = withStackTraces;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new OneLineLogger(this, ShortCategory(categoryName));

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static string ShortCategory(string category) => category.LastIndexOf('.') is var dot and >= 0 ? category[(dot + 1)..] : category;

    private void Write(string line)
    {
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    private sealed class OneLineLogger(OneLineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var message = Flatten(formatter(state, exception));
            if (exception is not null)
            {
                message += provider._withStackTraces
                    ? $" ({exception})"
                    : $" ({exception.GetType().Name}: {Flatten(exception.Message)})";
            }
            provider.Write($"neocloud-infra analyzer: {Level(logLevel)} {category}: {message}");
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Critical => "critical",
            LogLevel.Error => "error",
            LogLevel.Warning => "warning",
            LogLevel.Information => "info",
            _ => "debug",
        };

        private static string Flatten(string text) => text.ReplaceLineEndings(" ");
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace NeoCloud.Infra.Core.Environments;

/// <summary>
/// The limits every reader of user input enforces (stack files, pack configs, preview and state files). Each is checked
/// before or while parsing, so an input over a limit fails in bounded time and memory with an error that names the limit.
/// Documented in the README ("Input limits").
/// </summary>
public static class InputLimits
{
    /// <summary>Largest stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>) or policy pack config read: 1 MiB.</summary>
    public const long MaxConfigFileBytes = 1L << 20;

    /// <summary>Largest preview (<c>pulumi preview --json</c>) or state export read by the offline check: 256 MiB.</summary>
    public const long MaxStateFileBytes = 256L << 20;

    /// <summary>Deepest nesting of mappings and lists in a stack file or engine config value.</summary>
    public const int MaxConfigDepth = 64;

    /// <summary>Most YAML aliases (<c>*name</c>) in one stack file.</summary>
    public const int MaxYamlAliases = 256;

    /// <summary>Most YAML nodes after alias expansion: an alias counts every node it copies (bounds an alias bomb).</summary>
    public const int MaxYamlNodes = 200_000;

    /// <summary>Longest string value of a stack file (a kubeconfig or certificate fits).</summary>
    public const int MaxConfigStringLength = 1 << 20;

    /// <summary>Deepest nesting of a preview or state file (property values may nest up to 256 levels under a resource).</summary>
    public const int MaxStateDepth = 320;

    /// <summary>Longest string of a preview or state file.</summary>
    public const int MaxStateStringLength = 16 << 20;

    /// <summary>
    /// Reads a UTF-8 text file that must be a regular file (no directory, FIFO, socket or device) of at most
    /// <paramref name="maxBytes"/> bytes; never reads more than that, so <c>/dev/zero</c> or a growing file cannot exhaust memory.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The size limit.</param>
    /// <param name="displayName">How errors name the file (a key path or file name).</param>
    /// <exception cref="EnvironmentConfigException">The path is invalid, not a regular file, too large, unreadable or not UTF-8.</exception>
    public static string ReadRegularTextFile(string path, long maxBytes, string displayName)
    {
        var bytes = ReadRegularFile(path, maxBytes, displayName);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Span).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw Error(displayName, "is not UTF-8 text");
        }
    }

    /// <summary>
    /// Reads the bytes of a regular file (no directory, FIFO, socket or device) of at most <paramref name="maxBytes"/>
    /// bytes; never reads more than that.
    /// </summary>
    /// <exception cref="EnvironmentConfigException">The path is invalid, not a regular file, too large or unreadable.</exception>
    public static ReadOnlyMemory<byte> ReadRegularFile(string path, long maxBytes, string displayName)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (PathProblem(path) is { } problem)
        {
            throw Error(displayName, problem);
        }

        if (Directory.Exists(path))
        {
            throw Error(displayName, "is a directory; expected a regular file");
        }

        if (!File.Exists(path))
        {
            throw Error(displayName, "does not exist");
        }

        if (SpecialFileKind(path) is { } kind)
        {
            throw Error(displayName, $"is a {kind}; only regular files are read");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var length = stream.CanSeek ? stream.Length : 0;
            if (length > maxBytes)
            {
                throw Error(displayName, $"is larger than the input limit of {Bytes(maxBytes)} (InputLimits)");
            }

            var buffer = new MemoryStream((int)Math.Max(length, 0) + 1);
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw Error(displayName, $"is larger than the input limit of {Bytes(maxBytes)} (InputLimits)");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }
        catch (IOException ex)
        {
            throw Error(displayName, "cannot be read: " + ex.Message);
        }
        catch (UnauthorizedAccessException)
        {
            throw Error(displayName, "cannot be read: permission denied");
        }
    }

    /// <summary>Why <paramref name="path"/> cannot name a file (empty, a NUL character), or null when it can.</summary>
    public static string? PathProblem(string path) =>
        path.Length == 0 ? "is an empty path"
        : path.Contains('\0', StringComparison.Ordinal) ? "contains a NUL character; a file path cannot"
        : path.Length > 4096 ? "is longer than 4096 characters"
        : null;

    /// <summary>A readable size: 1 MiB, 256 MiB, 512 KiB.</summary>
    public static string Bytes(long bytes) => bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB"
        : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? $"{bytes >> 10} KiB"
        : $"{bytes} bytes";

    private static EnvironmentConfigException Error(string displayName, string message) => new([new ConfigError(displayName, message)]);

    /// <summary>
    /// The kind of a non-regular file (FIFO, device, socket), or null for a regular file. .NET does not expose the file
    /// type on Unix, so on Linux this asks <c>statx(2)</c> (its struct layout is the same on every architecture);
    /// opening a FIFO would block and a device such as <c>/dev/zero</c> never ends.
    /// </summary>
    private static string? SpecialFileKind(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (NativeMethods.statx(-100 /* AT_FDCWD */, path, 0, 0x1 /* STATX_TYPE */, buffer) != 0)
            {
                return null; // the read that follows reports the problem (missing, permission)
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null; // a libc without statx (glibc < 2.28): fall back to the size limit
        }

        var mode = BitConverter.ToUInt16(buffer, 28) & 0xF000; // stx_mode, S_IFMT
        return mode switch
        {
            0x8000 => null,
            0x1000 => "FIFO (named pipe)",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            0x4000 => "directory",
            _ => "special file",
        };
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; this one call is not worth enabling it
        internal static extern int statx(int dirfd, string pathname, int flags, uint mask, [Out] byte[] buffer);
#pragma warning restore SYSLIB1054
    }
}

using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TagOlym.Core.Models;

namespace TagOlym.Web.Serving;

/// <summary>A model file; its stamp is its last-write time and length, its version the training time and a content hash.</summary>
public sealed class FileModelSource(string location, string fullPath, string? name, TimeProvider clock) : IModelSource
{
    public string Location { get; } = location;

    public string FullPath { get; } = fullPath;

    public ValueTask<string?> GetStampAsync(CancellationToken cancellationToken)
    {
        var file = new FileInfo(FullPath);
        return ValueTask.FromResult(file.Exists
            ? string.Create(CultureInfo.InvariantCulture, $"{file.LastWriteTimeUtc.Ticks}:{file.Length}")
            : null);
    }

    public async ValueTask<ServedModel> LoadAsync(CancellationToken cancellationToken)
    {
        var stamp = await GetStampAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"no model file at {FullPath}", FullPath);
        var model = TagModel.Load(FullPath);
        string hash;
        using (var stream = new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        var identity = new ModelIdentity(
            string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(FullPath) : name,
            VersionOf(model.Manifest.CreatedUtc, hash),
            RunId: null);
        return new ServedModel(identity, model, Location, stamp, clock.GetUtcNow());
    }

    /// <summary><c>yyyyMMdd.HHmmss-</c> and the first 8 hex digits of the file's SHA-256: sortable and unique per file.</summary>
    public static string VersionOf(DateTimeOffset createdUtc, string sha256Hex) =>
        string.Create(CultureInfo.InvariantCulture, $"{createdUtc.UtcDateTime:yyyyMMdd.HHmmss}-{sha256Hex[..8]}");
}

/// <summary>Opens every location that is not a URI with a scheme (or is a <c>file:</c> URI) as a model file.</summary>
public sealed class FileModelSourceFactory(ServicePaths paths, IOptions<ModelOptions> options, TimeProvider clock) : IModelSourceFactory
{
    public bool CanOpen(string location) =>
        !string.IsNullOrWhiteSpace(location)
        && (location.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !location.Contains(":/", StringComparison.Ordinal));

    public IModelSource Open(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var path = location.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(location).LocalPath : location;
        return new FileModelSource(location, paths.Resolve(path), options.Value.Name, clock);
    }
}

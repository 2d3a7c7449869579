using TagOlym.Core;

namespace TagOlym.Web.Serving;

/// <summary>
/// Resolves the relative paths of the configuration (model, sample data, training arguments) against one base folder:
/// <c>BaseDirectory</c> when configured, else the repository root when the service runs from a clone (the folder
/// holding <c>TagOlym.sln</c> above the content root), else the content root (e.g. <c>/app</c> in the container).
/// </summary>
public sealed class ServicePaths
{
    public ServicePaths(IConfiguration configuration, IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        Base = configuration["BaseDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : RepositoryRoot.Find(environment.ContentRootPath) ?? environment.ContentRootPath;
    }

    public string Base { get; }

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(Base, path));
}

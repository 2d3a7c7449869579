using Microsoft.Extensions.Options;
using TagOlym.Web.Admin;
using TagOlym.Web.Predict;

namespace TagOlym.Web.Serving;

/// <summary>Registers the model source, the current model, the manager that swaps models and the watcher that polls.</summary>
public static class ServingSetup
{
    public static IServiceCollection AddModelServing(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ModelOptions>(configuration.GetSection(ModelOptions.Section));
        services.Configure<PredictOptions>(configuration.GetSection(PredictOptions.Section));
        services.Configure<AdminOptions>(configuration.GetSection(AdminOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServicePaths>();
        services.AddSingleton<IModelSourceFactory, FileModelSourceFactory>();
        services.AddSingleton(sp => ModelSources.Open(
            sp.GetServices<IModelSourceFactory>(), sp.GetRequiredService<IOptions<ModelOptions>>().Value.Path));
        services.AddSingleton<CurrentModel>();
        services.AddSingleton<ModelManager>();
        services.AddSingleton<ModelBootstrapper>();
        services.AddHostedService<ModelWatcher>();
        return services;
    }
}

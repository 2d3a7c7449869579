using TagOlym.Web.Admin;
using TagOlym.Web.Predict;

namespace TagOlym.Web.Serving;

/// <summary>Registers the served models (each with its source, current model and the manager that swaps it) and the watcher that polls them.</summary>
public static class ServingSetup
{
    public static IServiceCollection AddModelServing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Model:Path must be a registry URI (models:/NAME@ALIAS) or a model file")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ProbePost), "Model:ProbePost must not be empty")
            .ValidateOnStart();
        services.AddOptions<PredictOptions>().Bind(configuration.GetSection(PredictOptions.Section))
            .Validate(o => o.MaxPosts > 0 && o.MaxPostChars > 0 && o.MaxBodyBytes > 0,
                "Predict:MaxPosts, Predict:MaxPostChars and Predict:MaxBodyBytes must be positive")
            .ValidateOnStart();
        services.Configure<AdminOptions>(configuration.GetSection(AdminOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServicePaths>();
        services.Configure<TrackingOptions>(configuration.GetSection(TrackingOptions.Section));
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<IModelSourceFactory, RegistryModelSourceFactory>();
        services.AddSingleton<IModelSourceFactory, FileModelSourceFactory>();
        services.AddSingleton<ModelCatalog>();

        // the default model's parts, for what serves only it (bootstrap, admin reload)
        services.AddSingleton(sp => sp.GetRequiredService<ModelCatalog>().Default.Source);
        services.AddSingleton(sp => sp.GetRequiredService<ModelCatalog>().Default.Current);
        services.AddSingleton(sp => sp.GetRequiredService<ModelCatalog>().Default.Manager);
        services.AddSingleton<ModelBootstrapper>();
        services.AddHostedService<ModelWatcher>();
        return services;
    }
}

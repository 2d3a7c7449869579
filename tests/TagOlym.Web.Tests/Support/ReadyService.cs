namespace TagOlym.Web.Tests.Support;

/// <summary>A service serving a copy of model A, ready, shared by the tests of one class.</summary>
public sealed class ReadyService : IAsyncLifetime
{
    public ServiceFactory Factory { get; } = new(TestModels.CopyOf(TestModels.A));

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => Client = await Factory.ReadyClientAsync();

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}

using System.Net;
using System.Net.Sockets;
using TagOlym.Core.Tests.Tracking;

namespace TagOlym.Cli.Tests;

/// <summary>
/// The stand-in MLflow server of the Core tests, served over real HTTP on 127.0.0.1, so the CLI (another
/// process) talks to it exactly as it would to an MLflow server.
/// </summary>
public sealed class LoopbackMlflowServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly HttpMessageInvoker fake;
    private readonly Task loop;

    public LoopbackMlflowServer(string directory)
    {
        fake = new HttpMessageInvoker(new FakeMlflowServer(directory));
        var port = FreePort();
        Uri = new Uri($"http://127.0.0.1:{port}");
        listener.Prefixes.Add($"{Uri}");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public Uri Uri { get; }

    public int Requests { get; private set; }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        fake.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the listener was stopped under a pending accept
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Requests++;
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(Uri, context.Request.RawUrl));
            if (context.Request.HasEntityBody)
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                request.Content = new ByteArrayContent(body.ToArray());
                if (context.Request.ContentType is { } type)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await fake.SendAsync(request, CancellationToken.None);
            }
            catch (InvalidOperationException e)
            {
                // an endpoint the stand-in does not know: answer as a broken server would, rather than hang the client
                response = new HttpResponseMessage(HttpStatusCode.NotImplemented) { Content = new StringContent(e.Message) };
            }

            using var answer = response;
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } contentType)
            {
                context.Response.ContentType = contentType.ToString();
            }

            var bytes = await response.Content.ReadAsByteArrayAsync();
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}

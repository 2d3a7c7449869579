using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>One request/response pair recorded from a real MLflow 2.9.2 server (<c>shared/data/golden/mlflow</c>).</summary>
public sealed record RecordedExchange(string Name, string Method, string Path, JsonNode? RequestBody, string? RequestContentType, int Status, JsonNode? ResponseBody, string? ResponseContentType)
{
    /// <summary>The sqlite-backed server's recordings; <c>filestore</c> the file-backed one's (<c>no-serve-artifacts</c>: a server without the artifact proxy).</summary>
    public static readonly string[] Backends = ["sqlite", "filestore"];

    public static string Directory(string backend) =>
        backend == "sqlite" ? SharedData.Path("data", "golden", "mlflow") : SharedData.Path("data", "golden", "mlflow", backend);

    public static IReadOnlyList<string> Names(string backend) =>
        System.IO.Directory.GetFiles(Directory(backend), "*.json").Select(System.IO.Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public static RecordedExchange Load(string backend, string name)
    {
        var json = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(Directory(backend), name + ".json")))!;
        return new RecordedExchange(
            name,
            json["method"]!.GetValue<string>(),
            json["path"]!.GetValue<string>(),
            json["request_body"]?.DeepClone(),
            json["request_content_type"]?.GetValue<string>(),
            json["status"]!.GetValue<int>(),
            json["response_body"]?.DeepClone(),
            json["response_content_type"]?.GetValue<string>());
    }

    /// <summary>The response body as the server sent it: JSON text, or the text itself.</summary>
    public string ResponseText => ResponseBody is JsonValue v && v.TryGetValue<string>(out var s) ? s : ResponseBody?.ToJsonString() ?? "";

    public HttpResponseMessage ToResponse(HttpRequestMessage request)
    {
        var mediaType = (ResponseContentType ?? "application/json").Split(';')[0];
        return new HttpResponseMessage((HttpStatusCode)Status)
        {
            Content = new StringContent(ResponseText, Encoding.UTF8, mediaType),
            RequestMessage = request,
        };
    }
}

/// <summary>
/// Plays the server's side of recorded exchanges: each request must match the next recording (method, path and
/// query, body JSON, content type), and gets the recorded answer.
/// </summary>
public sealed class ReplayHandler(params RecordedExchange[] expected) : HttpMessageHandler
{
    private int next;

    public List<(HttpRequestMessage Request, string? Body)> Received { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Received.Add((request, body));
        next.Should().BeLessThan(expected.Length, $"no more requests were recorded, yet {request.Method} {request.RequestUri} was sent");
        var exchange = expected[next++];
        Check(exchange, request, body);
        return exchange.ToResponse(request);
    }

    public static void Check(RecordedExchange exchange, HttpRequestMessage request, string? body)
    {
        request.Method.Method.Should().Be(exchange.Method, exchange.Name);
        Uri.UnescapeDataString(request.RequestUri!.PathAndQuery).Should().Be(Uri.UnescapeDataString(exchange.Path), exchange.Name);
        switch (exchange.RequestBody)
        {
            case null:
                body.Should().BeNullOrEmpty(exchange.Name);
                break;
            case JsonValue text when text.TryGetValue<string>(out var raw):
                body.Should().Be(raw, exchange.Name);
                break;
            default:
                JsonNode.DeepEquals(JsonNode.Parse(body!), exchange.RequestBody).Should()
                    .BeTrue($"{exchange.Name}: sent {body}, the server accepted {exchange.RequestBody.ToJsonString()}");
                break;
        }

        if (exchange.RequestContentType is not null)
        {
            request.Content!.Headers.ContentType!.MediaType.Should().Be(exchange.RequestContentType, exchange.Name);
        }
    }
}

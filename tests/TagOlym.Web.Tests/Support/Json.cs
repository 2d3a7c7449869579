using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TagOlym.Web.Tests.Support;

public static class Http
{
    public static Uri Url(string path) => new(path, UriKind.Relative);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent PredictBody(params string[] posts) =>
        JsonBody(new JsonObject { ["texts"] = new JsonArray(posts.Select(p => (JsonNode)new JsonObject { ["text"] = p }).ToArray()) }.ToJsonString());

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static Task<HttpResponseMessage> PredictAsync(this HttpClient client, params string[] posts) =>
        client.PostAsync(Url("/predict"), PredictBody(posts));

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);

    public static Task<T?> ReadAsAsync<T>(this HttpResponseMessage response) => response.Content.ReadFromJsonAsync<T>(Web);
}

// Calling TagOlym from a forum's backend: dotnet run docs/forum-client.cs [http://localhost:5221]
// Sends two posts to POST /predict and prints each post's suggested tags, or the service's problem.
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

var service = new Uri(args.Length > 0 ? args[0] : "http://localhost:5221");
using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(10) };

string[] posts =
[
    "How many ways can 5 people sit around a round table?\n\nTwo seatings are the same when one is a rotation of the other.",
    "Find all primes $p$ such that $p^2+2$ is also prime.",
];
var body = new JsonObject { ["texts"] = new JsonArray([.. posts.Select(p => (JsonNode)new JsonObject { ["text"] = p })]) };
using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

using var response = await http.PostAsync(new Uri("/predict", UriKind.Relative), content);
var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
if (!response.IsSuccessStatusCode)
{
    // RFC 7807 problem details: "detail" says what is wrong, "errors" names the field (texts[i].text)
    Console.Error.WriteLine($"{(int)response.StatusCode} {answer["title"]}: {answer["detail"]}");
    return 1;
}

Console.WriteLine($"model {answer["model"]!["name"]} version {answer["model"]!["version"]}");
var predictions = answer["predictions"]!.AsArray();
for (var i = 0; i < posts.Length; i++)
{
    var tags = predictions[i]!["tags"]!.AsArray().Select(t => $"{t!["tag"]} ({t["score"]!.GetValue<double>():0.00})");
    Console.WriteLine($"post {i + 1}: {string.Join(", ", tags.DefaultIfEmpty("no tag"))}");
}

return 0;

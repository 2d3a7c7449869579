// The floor the service is measured against: the same Kestrel and minimal API, reading the same request body to its end
// and answering a fixed JSON of the service's shape, with no model, no validation, no logging of requests, no metrics.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var answer = """{"model":{"name":"tagolym","version":"1","runId":null},"predictions":[{"tags":[{"tag":"algebra","score":0.9,"threshold":0.5}]}]}"""u8.ToArray();
app.MapPost("/predict", async (HttpContext context) =>
{
    var buffer = new byte[16 * 1024];
    while (await context.Request.Body.ReadAsync(buffer) > 0)
    {
    }

    context.Response.ContentType = "application/json";
    await context.Response.Body.WriteAsync(answer);
});

app.Run();

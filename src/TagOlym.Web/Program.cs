using TagOlym.Web.Admin;
using TagOlym.Web.Docs;
using TagOlym.Web.Health;
using TagOlym.Web.Logging;
using TagOlym.Web.ModelInfo;
using TagOlym.Web.Predict;
using TagOlym.Web.Serving;

var builder = WebApplication.CreateBuilder(args);
builder.AddStructuredLogging();
builder.Services.AddProblemAnswers();
builder.Services.AddModelServing(builder.Configuration);
builder.Services.AddModelHealth();
builder.Services.AddApiDocs();

var app = builder.Build();
app.UseRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiDocs();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapPredict();
app.MapHealth();
app.MapModelInfo();
app.MapAdmin();

app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;

using TagOlym.Web.Access;
using TagOlym.Web.Admin;
using TagOlym.Web.Docs;
using TagOlym.Web.Feedback;
using TagOlym.Web.Health;
using TagOlym.Web.Logging;
using TagOlym.Web.Metrics;
using TagOlym.Web.ModelInfo;
using TagOlym.Web.Predict;
using TagOlym.Web.Serving;

var builder = WebApplication.CreateBuilder(args);
builder.AddStructuredLogging();
builder.Services.AddProblemAnswers();
builder.Services.AddModelServing(builder.Configuration);
builder.Services.AddModelHealth();
builder.Services.AddFeedback(builder.Configuration);
builder.Services.AddServiceMetrics(builder.Configuration);
builder.Services.AddClientAccess(builder.Configuration);
builder.Services.AddApiDocs();

var app = builder.Build();
app.UseConfiguredPathBase();
app.UseRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiDocs();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRouting();
app.UseRequestMetrics();
app.UseClientAccess();

app.MapPredict();
app.MapFeedback();
app.MapHealth();
app.MapModelInfo();
app.MapServiceMetrics();
app.MapAdmin();

app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using TagOlym.Web.Predict;

namespace TagOlym.Web.Http;

/// <summary>
/// Reading a JSON body the same way on every endpoint that takes one: 415 when it is not JSON, 413 over the size limit,
/// 400 when it does not parse (<see cref="JsonErrors"/>: a value of the wrong kind names its field, e.g. <c>limit</c>).
/// </summary>
public static class JsonRequests
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The body as <typeparamref name="T"/>, or the problem that stops it.</summary>
    /// <param name="limitKey">The configuration key of <paramref name="maxBytes"/>, quoted in the 413 answer.</param>
    /// <param name="shape">The expected form, quoted in the 400 answer.</param>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpContext context, long maxBytes, string limitKey, string shape, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"the body must be JSON (Content-Type: application/json); got '{context.Request.ContentType ?? "none"}'"));
        }

        var body = await ReadBodyAsync(context, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"the body is over the limit of {maxBytes:N0} bytes ({limitKey})",
                extensions: new Dictionary<string, object?> { ["limit"] = maxBytes }));
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(body.Value.Span, Json), null);
        }
        catch (JsonException e)
        {
            return (null, JsonErrors.WrongKind(e) is { } wrongKind ? TypedResults.Problem(wrongKind.ProblemDetails) : JsonErrors.Malformed(e, shape));
        }
    }

    /// <summary>One problem naming one field, e.g. <c>limit</c> or <c>texts[3].id</c>.</summary>
    public static ValidationProblem Invalid(string field, string message, object? limit = null) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "Invalid request",
            detail: message,
            extensions: limit is null ? null : new Dictionary<string, object?> { ["limit"] = limit });

    /// <summary>Several fields' problems (the first of each), in one answer.</summary>
    public static ValidationProblem? Invalid(Dictionary<string, string[]> errors) =>
        errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "Invalid request",
            detail: string.Join("; ", errors.Values.Select(v => v[0])));

    public static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";

    /// <summary>The whole body, or null when it is over <paramref name="limit"/> bytes (told by Content-Length or found reading).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        // let the server read up to our own limit, whatever its default (Kestrel's is 30 MB)
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>A query value as a number in the invariant culture, or null when it is not one.</summary>
    public static double? ParseFinite(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null;
}

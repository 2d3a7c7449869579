using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TagOlym.Web.Predict;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a <see cref="PredictRequest"/> into a problem a client can act on:
/// a value of the wrong kind is a validation problem naming the field as the client wrote it (<c>texts[0].text</c>);
/// broken JSON says where it broke. Neither shows System.Text.Json's .NET type names.
/// </summary>
internal static partial class JsonErrors
{
    /// <summary>A validation problem naming the field when the JSON is well-formed but a value is of the wrong kind, else null.</summary>
    public static ValidationProblem? WrongKind(JsonException e)
    {
        var field = FieldOf(e.Path);
        if (field is null || !IsWrongKind(e))
        {
            return null;
        }

        var message = e.InnerException is InvalidOperationException inner && inner.Message.Contains("UTF-", StringComparison.Ordinal)
            ? $"{field} is not valid Unicode text (it holds a lone UTF-16 surrogate)"
            : $"{field} must be {Expected(field)}";
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid request", detail: message);
    }

    /// <summary>Broken JSON: where it broke and why, in System.Text.Json's words minus its type names.</summary>
    /// <param name="shape">The form the endpoint takes, quoted in the answer.</param>
    public static ProblemHttpResult Malformed(JsonException e, string shape = "{\"texts\": [{\"text\": \"...\"}]}")
    {
        var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : string.Empty;
        return TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Malformed JSON",
            detail: $"the body is not valid JSON of the form {shape}{where}: {FirstSentence(e.Message)}");
    }

    /// <summary>A value that is valid JSON but not what the field takes (System.Text.Json reports a conversion).</summary>
    private static bool IsWrongKind(JsonException e) =>
        e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) || e.InnerException is InvalidOperationException;

    /// <summary><c>$.texts[0].text</c> becomes <c>texts[0].text</c>; the root (<c>$</c>) is the body itself.</summary>
    private static string? FieldOf(string? path) => path switch
    {
        null => null,
        "$" => "body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ => path.TrimStart('$'),
    };

    private static string Expected(string field) => field switch
    {
        "body" => "a JSON object {\"texts\": [{\"text\": \"...\"}]}",
        "texts" => "an array of {\"text\": \"...\"} objects",
        _ when Item().IsMatch(field) && !field.Contains('.', StringComparison.Ordinal) => "an object {\"text\": \"...\"}",
        _ when field.EndsWith(".text", StringComparison.Ordinal) => "a string (the post)",
        _ => "of the documented type",
    };

    /// <summary>The first sentence of a syntax error, without the type names and positions System.Text.Json appends.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var sentence = cut > 0 ? message[..cut] : message;
        return TypeName().IsMatch(sentence) ? "the JSON does not have the expected shape" : sentence.TrimEnd('.');
    }

    [GeneratedRegex(@"^texts\[\d+\]")]
    private static partial Regex Item();

    [GeneratedRegex(@"\b(System|TagOlym|Microsoft)\.\w")]
    private static partial Regex TypeName();
}

using System.Text.Json;
using Google.Apis.Auth.OAuth2;

namespace TagOlym.Core.Data.BigQuery;

/// <summary>
/// A Google service-account key file (the JSON a project's IAM page downloads) turned into a credential of
/// Google.Apis.Auth that signs a JWT with the key and trades it at the key's <c>token_uri</c> for access tokens
/// (the OAuth 2.0 JWT bearer flow), refreshed by the library before they expire.
/// </summary>
public sealed class BigQueryKey
{
    /// <summary>The scope BigQuery's jobs.query and jobs.getQueryResults accept.</summary>
    public const string Scope = "https://www.googleapis.com/auth/bigquery";

    /// <summary>The variable Google's tools read the key's path from.</summary>
    public const string EnvironmentVariable = "GOOGLE_APPLICATION_CREDENTIALS";

    private BigQueryKey(string path, GoogleCredential credential, string clientEmail, string? projectId)
    {
        Path = path;
        Credential = credential;
        ClientEmail = clientEmail;
        ProjectId = projectId;
    }

    /// <summary>The key file.</summary>
    public string Path { get; }

    /// <summary>The credential, scoped to <see cref="Scope"/>: it authorizes the requests of a Google HTTP client it initializes.</summary>
    public GoogleCredential Credential { get; }

    /// <summary>The key's <c>project_id</c>, if it has one.</summary>
    public string? ProjectId { get; }

    /// <summary>The service account's e-mail (<c>client_email</c>), the principal IAM grants roles to.</summary>
    public string ClientEmail { get; }

    /// <summary>The key's path: <paramref name="explicitPath"/>, else GOOGLE_APPLICATION_CREDENTIALS, else <paramref name="fallbackPath"/>.</summary>
    public static string ResolvePath(string? explicitPath, string fallbackPath) =>
        !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : fallbackPath;

    /// <summary>Reads and checks a key file; every problem is a <see cref="BigQueryException"/> naming the file.</summary>
    public static BigQueryKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new BigQueryException(
                $"the service-account key {path} does not exist: pass --key FILE or set {EnvironmentVariable} (README: BigQuery credentials)");
        }

        JsonCredentialParameters parameters;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BigQueryException($"the service-account key {path} is not a JSON object");
            }

            var key = document.RootElement;
            parameters = new JsonCredentialParameters
            {
                Type = Text(key, "type"),
                ProjectId = Text(key, "project_id"),
                PrivateKeyId = Text(key, "private_key_id"),
                PrivateKey = Text(key, "private_key"),
                ClientEmail = Text(key, "client_email"),
                ClientId = Text(key, "client_id"),
                TokenUri = Text(key, "token_uri"),
                UniverseDomain = Text(key, "universe_domain"),
            };
        }
        catch (JsonException e)
        {
            throw new BigQueryException($"the service-account key {path} is not valid JSON (line {e.LineNumber + 1}): download a JSON key for the service account");
        }

        if (parameters.Type != JsonCredentialParameters.ServiceAccountCredentialType)
        {
            throw new BigQueryException(parameters.Type is null
                ? $"the service-account key {path} has no \"type\": it should be \"service_account\""
                : $"the key {path} is a \"{parameters.Type}\" credential, not a service-account key (\"type\": \"service_account\")");
        }

        foreach (var (name, value) in new[] { ("client_email", parameters.ClientEmail), ("private_key", parameters.PrivateKey) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new BigQueryException($"the service-account key {path} has no \"{name}\"");
            }
        }

        if (parameters.TokenUri is { } tokenUri && !(Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            throw new BigQueryException($"the service-account key {path} has a \"token_uri\" that is not an absolute http(s) URL: {tokenUri}");
        }

        ServiceAccountCredential credential;
        try
        {
            credential = CredentialFactory.FromJsonParameters<ServiceAccountCredential>(parameters);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException or System.Security.Cryptography.CryptographicException)
        {
            throw new BigQueryException($"the \"private_key\" of the service-account key {path} is not a PEM-encoded RSA private key");
        }

        return new BigQueryKey(path, GoogleCredential.FromServiceAccountCredential(credential).CreateScoped(Scope), parameters.ClientEmail!, parameters.ProjectId);
    }

    private static string? Text(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

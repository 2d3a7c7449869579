using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TagOlym.Core.Data.BigQuery;

namespace TagOlym.Core.Tests.Data.BigQuery;

/// <summary>Service-account key files: a good one loads, every broken one is refused with a line naming the file and the fault.</summary>
public sealed class BigQueryKeyTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "tagolym-bigquery-key-tests", Guid.NewGuid().ToString("N"));

    public BigQueryKeyTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_key_from_the_console_loads_with_its_project_and_account()
    {
        using var rsa = RSA.Create(2048);
        var key = BigQueryKey.Load(Write(Key(rsa).ToJsonString()));

        key.ProjectId.Should().Be("tagolym-test");
        key.ClientEmail.Should().Be("elt@tagolym-test.iam.gserviceaccount.com");
        key.Credential.UnderlyingCredential.Should().BeOfType<Google.Apis.Auth.OAuth2.ServiceAccountCredential>()
            .Which.TokenServerUrl.Should().Be("http://127.0.0.1:9/token", "the key's token_uri is honoured");
    }

    [Fact]
    public void A_key_without_project_id_loads_and_leaves_the_project_to_the_caller()
    {
        using var rsa = RSA.Create(2048);
        var json = Key(rsa);
        json.Remove("project_id");

        BigQueryKey.Load(Write(json.ToJsonString())).ProjectId.Should().BeNull();
    }

    [Fact]
    public void A_missing_key_says_how_to_give_one() =>
        Refusal(Path.Combine(directory, "nowhere.json")).Should().Contain("does not exist: pass --key FILE or set GOOGLE_APPLICATION_CREDENTIALS");

    [Theory]
    [InlineData("{\"type\": \"service_account\",", "is not valid JSON (line 1)")]
    [InlineData("", "is not valid JSON")]
    [InlineData("[1, 2]", "is not a JSON object")]
    [InlineData("{\"type\": \"authorized_user\", \"client_id\": \"x\"}", "is a \"authorized_user\" credential, not a service-account key")]
    [InlineData("{\"project_id\": \"p\"}", "has no \"type\"")]
    [InlineData("{\"type\": \"service_account\", \"private_key\": \"x\"}", "has no \"client_email\"")]
    [InlineData("{\"type\": \"service_account\", \"client_email\": \"a@b\"}", "has no \"private_key\"")]
    [InlineData("{\"type\": \"service_account\", \"client_email\": \"a@b\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}", "\"private_key\" of the service-account key")]
    [InlineData("{\"type\": \"service_account\", \"client_email\": \"a@b\", \"private_key\": \"k\", \"token_uri\": \"/token\"}", "\"token_uri\" that is not an absolute http(s) URL")]
    public void A_malformed_key_is_refused_with_what_is_wrong(string content, string expected) =>
        Refusal(Write(content)).Should().Contain(expected);

    private static JsonObject Key(RSA rsa) => new()
    {
        ["type"] = "service_account",
        ["project_id"] = "tagolym-test",
        ["private_key_id"] = "abc",
        ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = "elt@tagolym-test.iam.gserviceaccount.com",
        ["token_uri"] = "http://127.0.0.1:9/token",
    };

    private string Write(string content)
    {
        var path = Path.Combine(directory, "key.json");
        File.WriteAllText(path, content);
        return path;
    }

    private static string Refusal(string path)
    {
        var message = FluentActions.Invoking(() => BigQueryKey.Load(path)).Should().Throw<BigQueryException>().Which.Message;
        message.Should().Contain(path).And.NotContain("\n");
        return message;
    }
}

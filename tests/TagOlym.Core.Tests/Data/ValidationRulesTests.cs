using TagOlym.Core.Data;

namespace TagOlym.Core.Tests.Data;

public sealed class ValidationRulesTests
{
    [Fact]
    public void A_rules_file_changes_the_keys_it_names_and_keeps_every_other_default()
    {
        using var folder = new TempFolder();
        var path = folder.Write("rules.json", """{"max_duplicate_share": 0.05, "drop_duplicate_posts": true}""");

        var rules = ValidationRules.Load(path);

        rules.Should().Be(ValidationRules.Default with { MaxDuplicateShare = 0.05, DropDuplicatePosts = true });
    }
}

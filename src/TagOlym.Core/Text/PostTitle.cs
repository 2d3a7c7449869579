namespace TagOlym.Core.Text;

/// <summary>
/// The title of a post: the text before its first blank line (a Math Stack Exchange question is its title, a
/// blank line, then its body). A post without a blank line has no title, so a forum post that is all body
/// does not get its whole text counted twice.
/// </summary>
public static class PostTitle
{
    /// <summary>The text before the first blank line (a line break, optional spaces, tabs or carriage returns,
    /// another line break); empty when the post has none.</summary>
    public static ReadOnlySpan<char> Of(ReadOnlySpan<char> post)
    {
        for (var i = post.IndexOf('\n'); i >= 0; i = NextBreak(post, i + 1))
        {
            var j = i + 1;
            while (j < post.Length && post[j] is ' ' or '\t' or '\r')
            {
                j++;
            }

            if (j < post.Length && post[j] == '\n')
            {
                return post[..i].TrimEnd('\r');
            }
        }

        return [];
    }

    private static int NextBreak(ReadOnlySpan<char> post, int from)
    {
        var k = post[from..].IndexOf('\n');
        return k < 0 ? -1 : from + k;
    }
}

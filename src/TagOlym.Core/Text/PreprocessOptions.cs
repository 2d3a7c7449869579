namespace TagOlym.Core.Text;

/// <summary>How a post is turned into words: the anchor's two switches, and TagOlym's title weight.</summary>
/// <param name="NoCommand">Drop the command words <c>prove let find show given</c>.</param>
/// <param name="Stem">Porter-stem every word (NLTK's default mode).</param>
/// <param name="TitleWeight">A post's first line is its title (as in a Math Stack Exchange question); its words
/// are put in front of the post this many more times, because a title says in a few words what the post is
/// about. 0, the anchor's behaviour, treats the title as any other line.</param>
public readonly record struct PreprocessOptions(bool NoCommand, bool Stem, int TitleWeight = 0);

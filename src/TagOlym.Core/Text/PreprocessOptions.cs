namespace TagOlym.Core.Text;

/// <summary>How a post is turned into words: the anchor's two switches.</summary>
/// <param name="NoCommand">Drop the command words <c>prove let find show given</c>.</param>
/// <param name="Stem">Porter-stem every word (NLTK's default mode).</param>
public readonly record struct PreprocessOptions(bool NoCommand, bool Stem);

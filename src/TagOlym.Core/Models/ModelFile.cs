using System.Security.Cryptography;
using System.Text;
using TagOlym.Core.Features;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Models;

/// <summary>
/// The binary layout of a model file:
/// <code>
/// "TAGOLYM\0"  format version (int32)
/// manifest     JSON, length-prefixed UTF-8 (everything a reader needs to know, see <see cref="ModelManifest"/>)
/// features     the TF-IDF vocabulary of the post's text:
///   tokens     count, then each token as a length-prefixed UTF-8 string
///   trie       node count, then per node (prefix node + 1, token) as 7-bit varints
///   columns    a flag; when set, per node its feature column + 1 (0: a prefix only), varints; else column = node
///   idf        per column, float32
/// title        a flag; when set, the title block's vocabulary (as above) and its weight (float64)
/// members      count, then per member its kind and its state; a linear member: its name, whether it scores
///              margins, its loss, label and feature counts, per column one bit "has weights" (packed), the stored
///              rows (float32, row-major), the intercepts
/// combiner     its kind and its state: none for "single"; for "zscore" the label and member counts, then per
///              member and label the validation means, deviations and weights (float64); for "zscore+fasttree"
///              that, per label whether the stage is used and its statistics, then each fold model's ML.NET bytes
/// SHA-256      of all the bytes above
/// </code>
/// Format 2 (one vocabulary, unnamed linear members that score through their loss, no combiner state) is read too.
/// Written to a temporary file and renamed, so a reader never sees half a model; read only after the checksum
/// has been verified, so corruption is reported as such and not as a nonsensical size.
/// </summary>
internal static class ModelFile
{
    /// <summary>3: the title block, named members and combiners with state; 2 (still read) had neither; 1 had one
    /// classifier and is no longer read.</summary>
    public const int FormatVersion = 3;
    private const int OldestReadable = 2;
    private static readonly byte[] Magic = "TAGOLYM\0"u8.ToArray();

    public static void Write(string path, ModelManifest manifest, PostScorer scorer) =>
        AtomicFile.Write(path, file =>
        {
            using (var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(manifest.ToJson());
                WriteVectorizer(writer, scorer.Features.Body);
                writer.Write(scorer.Features.HasTitle);
                if (scorer.Features.Title is { } title)
                {
                    WriteVectorizer(writer, title);
                    writer.Write(scorer.Features.TitleWeight);
                }

                writer.Write7BitEncodedInt(scorer.Members.Count);
                foreach (var member in scorer.Members)
                {
                    writer.Write(member.Kind);
                    switch (member)
                    {
                        case LinearMember linear:
                            writer.Write(linear.Name);
                            writer.Write(linear.ScoresMargins);
                            WriteClassifier(writer, linear.Classifier);
                            break;
                        case SubtagMember subtag:
                            writer.Write7BitEncodedInt(subtag.LabelCount);
                            writer.Write7BitEncodedInt(subtag.ClassLabels.Count);
                            for (var c = 0; c < subtag.ClassLabels.Count; c++)
                            {
                                writer.Write7BitEncodedInt(subtag.ClassLabels[c]);
                                writer.Write(subtag.ClassNames[c]);
                            }

                            WriteClassifier(writer, subtag.Classifier);
                            break;
                        default: throw new NotSupportedException($"no file layout for a {member.Kind} member");
                    }
                }

                writer.Write(scorer.Combiner.Kind);
                switch (scorer.Combiner)
                {
                    case SingleMemberCombiner: break;
                    case ZScoreCombiner zscore: zscore.Write(writer); break;
                    case StackedCombiner stacked: stacked.Write(writer); break;
                    default: throw new NotSupportedException($"no file layout for a {scorer.Combiner.Kind} combiner");
                }
            }

            file.Position = 0;
            var hash = SHA256.HashData(file);
            file.Seek(0, SeekOrigin.End);
            file.Write(hash);
        });

    public static (ModelManifest Manifest, PostScorer Scorer) Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var checksumLength = SHA256.HashSizeInBytes;
        if (file.Length < Magic.Length + sizeof(int) + checksumLength)
        {
            throw new ModelFormatException($"{path} is too short to be a TagOlym model (truncated?)");
        }

        Span<byte> head = stackalloc byte[Magic.Length + sizeof(int)];
        file.ReadExactly(head);
        if (!head[..Magic.Length].SequenceEqual(Magic))
        {
            throw new ModelFormatException($"{path} is not a TagOlym model file");
        }

        var version = BitConverter.ToInt32(head[Magic.Length..]);
        if (version > FormatVersion)
        {
            throw new ModelFormatException(
                $"{path} has model format {version}, newer than the {FormatVersion} this TagOlym reads: upgrade TagOlym");
        }

        if (version < 1)
        {
            throw new ModelFormatException($"{path} declares an invalid model format {version}");
        }

        if (version < OldestReadable)
        {
            throw new ModelFormatException(
                $"{path} has model format {version}, written by an older TagOlym that this one no longer reads: train the model again");
        }

        VerifyChecksum(file, path, checksumLength);
        file.Position = head.Length;
        try
        {
            using var reader = new BinaryReader(new BufferedStream(file, 1 << 16), Encoding.UTF8, leaveOpen: true);
            var manifest = ModelManifest.FromJson(reader.ReadString());
            var args = TrainingArgs.FromJson(manifest.TrainingArgs, "the model's training arguments");
            var body = ReadVectorizer(reader, args.Tfidf);
            var vectorizer = version >= 3 && reader.ReadBoolean()
                ? new PostVectorizer(body, ReadVectorizer(reader, args.Tfidf), reader.ReadDouble())
                : new PostVectorizer(body);
            var members = new ScoringMember[ReadCount(reader)];
            for (var m = 0; m < members.Length; m++)
            {
                members[m] = reader.ReadString() switch
                {
                    LinearMember.KindName when version >= 3 =>
                        new LinearMember(name: reader.ReadString(), scoresMargins: reader.ReadBoolean(), classifier: ReadClassifier(reader, vectorizer.FeatureCount)),
                    LinearMember.KindName => new LinearMember(ReadClassifier(reader, vectorizer.FeatureCount)),
                    SubtagMember.KindName => ReadSubtag(reader, vectorizer.FeatureCount),
                    var kind => throw new FormatException($"member {m} is of an unknown kind \"{kind}\""),
                };
            }

            ScoreCombiner combiner = reader.ReadString() switch
            {
                SingleMemberCombiner.KindName => SingleMemberCombiner.Instance,
                ZScoreCombiner.KindName => ZScoreCombiner.Read(reader),
                StackedCombiner.KindName => StackedCombiner.Read(reader),
                var kind => throw new FormatException($"the combiner is of an unknown kind \"{kind}\""),
            };
            return (manifest, new PostScorer(args.Preprocess, vectorizer, members, combiner));
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or ArgumentException or OverflowException or FormatException
            or System.Text.Json.JsonException or TrainingArgsException)
        {
            throw new ModelFormatException($"{path} is inconsistent although its checksum matches: {e.Message}", e);
        }
    }

    private static void VerifyChecksum(FileStream file, string path, int checksumLength)
    {
        file.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var remaining = file.Length - checksumLength;
        while (remaining > 0)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }

        var expected = new byte[checksumLength];
        file.ReadExactly(expected);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
        {
            throw new ModelFormatException($"{path} is corrupted or truncated: its SHA-256 checksum does not match");
        }
    }

    private static void WriteVectorizer(BinaryWriter writer, TfidfVectorizer vectorizer)
    {
        writer.Write7BitEncodedInt(vectorizer.Tokens.Count);
        foreach (var token in vectorizer.Tokens)
        {
            writer.Write(token);
        }

        writer.Write7BitEncodedInt(vectorizer.NodeKeys.Length);
        foreach (var key in vectorizer.NodeKeys)
        {
            var (prefix, token) = Features.NGramTable.Split(key);
            writer.Write7BitEncodedInt(prefix + 1);
            writer.Write7BitEncodedInt(token);
        }

        writer.Write(vectorizer.NodeColumns is not null);
        foreach (var column in vectorizer.NodeColumns ?? [])
        {
            writer.Write7BitEncodedInt(column + 1);
        }

        writer.Write7BitEncodedInt(vectorizer.Idf.Length);
        foreach (var idf in vectorizer.Idf)
        {
            writer.Write(idf);
        }
    }

    private static TfidfVectorizer ReadVectorizer(BinaryReader reader, TfidfOptions options)
    {
        var tokens = new string[ReadCount(reader)];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = reader.ReadString();
        }

        var nodeKeys = new ulong[ReadCount(reader)];
        for (var node = 0; node < nodeKeys.Length; node++)
        {
            var prefix = reader.Read7BitEncodedInt() - 1;
            var token = reader.Read7BitEncodedInt();
            if (prefix >= node || (uint)token >= (uint)tokens.Length)
            {
                throw new FormatException($"n-gram node {node} refers to a later node or an unknown token");
            }

            nodeKeys[node] = Features.NGramTable.KeyOf(prefix, token);
        }

        var nodeColumns = reader.ReadBoolean() ? new int[nodeKeys.Length] : null;
        for (var node = 0; node < (nodeColumns?.Length ?? 0); node++)
        {
            nodeColumns![node] = reader.Read7BitEncodedInt() - 1;
        }

        var idf = new float[ReadCount(reader)];
        for (var column = 0; column < idf.Length; column++)
        {
            idf[column] = reader.ReadSingle();
        }

        if (nodeColumns is null ? idf.Length != nodeKeys.Length : nodeColumns.Any(column => column >= idf.Length))
        {
            throw new FormatException("the feature columns and the idf disagree");
        }

        return new TfidfVectorizer(options, tokens, nodeKeys, nodeColumns, idf);
    }

    private static void WriteClassifier(BinaryWriter writer, LinearModel classifier)
    {
        writer.Write(TrainingArgs.LossNames.First(n => n.Value == classifier.Loss).Key);
        writer.Write7BitEncodedInt(classifier.LabelCount);
        writer.Write7BitEncodedInt(classifier.FeatureCount);
        var bits = new byte[(classifier.FeatureCount + 7) / 8];
        for (var f = 0; f < classifier.FeatureCount; f++)
        {
            if (classifier.RowOfFeature[f] >= 0)
            {
                bits[f / 8] |= (byte)(1 << (f % 8));
            }
        }

        writer.Write(bits);
        writer.Write7BitEncodedInt(classifier.Weights.Length);
        foreach (var weight in classifier.Weights)
        {
            writer.Write(weight);
        }

        foreach (var intercept in classifier.Intercepts)
        {
            writer.Write(intercept);
        }
    }

    private static LinearModel ReadClassifier(BinaryReader reader, int featureCount)
    {
        var lossName = reader.ReadString();
        var loss = TrainingArgs.LossNames.TryGetValue(lossName, out var known) ? known : throw new FormatException($"unknown loss \"{lossName}\"");
        var labels = ReadCount(reader);
        if (reader.Read7BitEncodedInt() != featureCount)
        {
            throw new FormatException("the classifier and the vectorizer disagree on the number of features");
        }

        var bits = reader.ReadBytes((featureCount + 7) / 8);
        var rowOfFeature = new int[featureCount];
        var stored = 0;
        for (var f = 0; f < featureCount; f++)
        {
            rowOfFeature[f] = (bits[f / 8] & (1 << (f % 8))) != 0 ? stored++ : -1;
        }

        var weights = new float[ReadCount(reader)];
        if (weights.Length != stored * labels)
        {
            throw new FormatException($"expected {stored * labels} weights, found {weights.Length}");
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = reader.ReadSingle();
        }

        var intercepts = new double[labels];
        for (var l = 0; l < labels; l++)
        {
            intercepts[l] = reader.ReadDouble();
        }

        return new LinearModel(loss, featureCount, rowOfFeature, weights, intercepts);
    }

    private static SubtagMember ReadSubtag(BinaryReader reader, int featureCount)
    {
        var labels = ReadCount(reader);
        var classLabels = new int[ReadCount(reader)];
        var classNames = new string[classLabels.Length];
        for (var c = 0; c < classLabels.Length; c++)
        {
            classLabels[c] = reader.Read7BitEncodedInt();
            classNames[c] = reader.ReadString();
            if ((uint)classLabels[c] >= (uint)labels)
            {
                throw new FormatException($"sub-tag class {c} scores an unknown label");
            }
        }

        var classifier = ReadClassifier(reader, featureCount);
        return classifier.LabelCount == classLabels.Length
            ? new SubtagMember(classifier, classLabels, classNames, labels)
            : throw new FormatException("the sub-tag classifier and its classes disagree");
    }

    private static int ReadCount(BinaryReader reader)
    {
        var count = reader.Read7BitEncodedInt();
        return count >= 0 ? count : throw new FormatException($"negative count {count}");
    }
}

using System.Collections.Concurrent;
using System.Net;
using TagOlym.Core.Models;
using TagOlym.Web.Predict;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests.Support;

/// <summary>Requests in parallel while the served model changes, and what a clean switch looks like.</summary>
public static class SwapLoad
{
    public sealed record Answer(int Worker, int Sequence, HttpStatusCode Status, string? Version, PostPrediction? Prediction, string Post);

    /// <summary>Four workers send posts with ?scores=all without pause; <paramref name="change"/> runs once each has had answers,
    /// and the workers stop once every one of them has had a few answers from <paramref name="newVersion"/>.</summary>
    public static async Task<List<Answer>> UnderLoadAsync(HttpClient client, string newVersion, Func<Task> change)
    {
        var answers = new ConcurrentBag<Answer>();
        using var stop = new CancellationTokenSource();
        var changed = false;
        var seenB = new int[4];

        async Task Worker(int worker)
        {
            for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                var post = TestModels.Posts[(worker * 97 + sequence) % TestModels.Posts.Count];
                using var response = await client.PostAsync(Url("/predict?scores=all"), PredictBody(post));
                PredictResponse? body = response.StatusCode == HttpStatusCode.OK ? await response.ReadAsAsync<PredictResponse>() : null;
                answers.Add(new Answer(worker, sequence, response.StatusCode, body?.Model.Version, body?.Predictions[0], post));
                if (body?.Model.Version == newVersion)
                {
                    Interlocked.Increment(ref seenB[worker]);
                }

                if (answers.Count > 20_000)
                {
                    return; // safety net: the assertions below will tell what went wrong
                }
            }
        }

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => Worker(w))).ToArray();
        while (!stop.IsCancellationRequested && !workers.Any(w => w.IsCompleted))
        {
            if (!changed && Enumerable.Range(0, 4).All(w => answers.Count(a => a.Worker == w) >= 5))
            {
                await change();
                changed = true;
            }

            if (changed && seenB.All(n => n >= 5))
            {
                await stop.CancelAsync();
            }

            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        changed.Should().BeTrue();
        return [.. answers];
    }

    /// <summary>No failed request; every worker answered by <paramref name="a"/> first, then by <paramref name="b"/> only;
    /// sampled answers are exactly what the model they name computes.</summary>
    public static void AssertSwitchedCleanly(List<Answer> answers, string a, string b, Func<string, TagSuggester> suggesterOf)
    {
        answers.Should().OnlyContain(x => x.Status == HttpStatusCode.OK, "no request fails during a swap");
        answers.Select(x => x.Version).Distinct().Should().BeEquivalentTo([a, b]);
        foreach (var worker in answers.GroupBy(x => x.Worker))
        {
            var ordered = worker.OrderBy(x => x.Sequence).Select(x => x.Version).ToArray();
            var firstB = Array.IndexOf(ordered, b);
            firstB.Should().BeGreaterThan(0, "each worker starts on model A and ends on model B");
            ordered.Skip(firstB).Should().OnlyContain(v => v == b, "once B serves, A never answers again");
        }

        // each answer is really the work of the model it names
        foreach (var answer in answers.Where((_, i) => i % 7 == 0))
        {
            var suggester = suggesterOf(answer.Version!);
            answer.Prediction!.Scores!.Select(s => s.Score).Should().Equal(suggester.Suggest(answer.Post).Scores);
        }
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the condition never held");
    }
}

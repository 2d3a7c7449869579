namespace TagOlym.Web.Serving;

/// <summary>
/// The model that answers requests. A request reads <see cref="Serving"/> once and uses that instance to the end,
/// so a swap never disturbs a request in flight; the swap itself is one atomic reference exchange.
/// </summary>
public sealed class CurrentModel
{
    private ServedModel? serving;

    public ServedModel? Serving => Volatile.Read(ref serving);

    /// <summary>Puts <paramref name="next"/> in service and returns the model it replaced.</summary>
    public ServedModel? Swap(ServedModel next) => Interlocked.Exchange(ref serving, next);
}

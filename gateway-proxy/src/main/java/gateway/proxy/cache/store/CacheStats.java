package gateway.proxy.cache.store;

/**
 * The store's size and health, for the status page and metrics.
 *
 * @param damaged disk objects found damaged on reading and dropped since start (a failed read drops
 *     its object too, and is counted here as well)
 * @param diskReadFailures disk reads that failed (an I/O error, not a checksum) since start: each
 *     was answered as a miss
 * @param diskWritesDisabled true after a full or failing disk stopped writes to it
 */
public record CacheStats(
    long memoryBytes,
    long memoryObjects,
    long diskBytes,
    long diskObjects,
    long damaged,
    long diskReadFailures,
    boolean diskWritesDisabled) {}

package gateway.proxy.cache.store;

/**
 * The store's size and health, for the status page and metrics.
 *
 * @param damaged disk objects found damaged on reading and dropped since start
 * @param diskWritesDisabled true after a full or failing disk stopped writes to it
 */
public record CacheStats(
    long memoryBytes,
    long memoryObjects,
    long diskBytes,
    long diskObjects,
    long damaged,
    boolean diskWritesDisabled) {}

package gateway.app.admin;

import gateway.proxy.cache.CacheCounters;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.store.CacheStats;
import java.util.Optional;

/**
 * Where the status page and metrics get the cache's figures: its size from the store, its hits from
 * the cache's own counters (GET and HEAD requests only); {@link #NONE} when the gateway runs
 * without a cache, and the page says "no cache".
 */
public interface CacheStatsSource {
  /** The cache's size now, or empty without a cache. */
  Optional<CacheStats> stats();

  /** Requests and bytes the cache answered against all it could have, or empty without a cache. */
  Optional<CacheCounters> counters();

  CacheStatsSource NONE = of(null);

  /** The figures of {@code cache}, or {@link #NONE}'s when it is null. */
  static CacheStatsSource of(HttpCache cache) {
    return new CacheStatsSource() {
      @Override
      public Optional<CacheStats> stats() {
        return cache == null ? Optional.empty() : Optional.of(cache.store().stats());
      }

      @Override
      public Optional<CacheCounters> counters() {
        return cache == null ? Optional.empty() : Optional.of(cache.counters());
      }
    };
  }
}

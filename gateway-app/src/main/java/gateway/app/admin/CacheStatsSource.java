package gateway.app.admin;

import gateway.proxy.cache.CacheStats;
import java.util.Optional;

/**
 * Where the status page and metrics get the cache's size: the cache store, once it is wired into the
 * gateway; until then {@link #NONE}, and the page says "no cache".
 */
@FunctionalInterface
public interface CacheStatsSource {
  /** The cache's current figures, or empty when the gateway runs without a cache. */
  Optional<CacheStats> stats();

  CacheStatsSource NONE = Optional::empty;
}

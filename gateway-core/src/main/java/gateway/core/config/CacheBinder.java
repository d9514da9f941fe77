package gateway.core.config;

import com.typesafe.config.ConfigObject;

/** {@code cache}: the memory tier, the disk tier, the largest object. */
final class CacheBinder {
  private CacheBinder() {}

  static CacheConfig bind(Readers r, ConfigObject c) {
    ConfigTree t = r.tree();
    ValueReaders v = r.values();
    ConfigObject disk = t.section(c, "cache", "disk");
    return new CacheConfig(
        t.required(c, "cache", "memory", v.size(0, Long.MAX_VALUE), 0L),
        t.optional(disk, "cache.disk", "path", v::path),
        t.required(disk, "cache.disk", "size", v.size(1, Long.MAX_VALUE), 0L),
        t.required(c, "cache", "max-object-size", v.size(1, Long.MAX_VALUE), 0L));
  }
}

package gateway.proxy.cache.store;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which keys (variants) are stored for each URL, and the header names the newest of them varies on:
 * what {@link CacheStore#varyOf} and {@link CacheStore#removeUrl} answer from. Kept in memory only;
 * the disk tier rebuilds it from its headers on start. Keys are kept as their {@link KeyDigest}s.
 *
 * <p>A URL keeps at most {@link #MAX_VARIANTS} variants: each is chosen by request header values,
 * so without a bound one URL that varies on, say, {@code User-Agent} or {@code Cookie} would grow
 * without end. Recording one more drops the one recorded longest ago, which the caller then removes
 * from the tiers (an invalidation must reach every variant it stored, RFC 9111 4.4).
 *
 * <p>Changes to one URL are serialized (by the map's per-key compute), and so are reads of its key
 * set, which change in place: recording a key costs the same however many the URL has. Callers
 * store first and then {@link #add}, and forget only after checking that no tier holds the key,
 * inside that serialization: whatever the interleaving, a stored key ends up recorded. A recorded
 * key that is no longer stored is harmless (a miss).
 */
final class UrlIndex {
  /**
   * Variants per URL. Real negotiation (Accept-Encoding, Accept-Language, Accept) gives a handful;
   * 64 leaves room for every common browser's value of a field, and bounds what one URL can take.
   */
  static final int MAX_VARIANTS = 64;

  /** One URL's variants, oldest first; touched only inside the map's compute for its URL. */
  private static final class Variants {
    private volatile List<String> vary;
    private final LinkedHashSet<KeyDigest> keys = new LinkedHashSet<>();

    Variants(List<String> vary) {
      this.vary = vary;
    }
  }

  private final ConcurrentHashMap<String, Variants> byUrl = new ConcurrentHashMap<>();

  /**
   * Records {@code key}, after it was stored, as the newest variant of {@code url}.
   *
   * @return the variant dropped to keep {@link #MAX_VARIANTS}, which the caller removes from the
   *     tiers; null when none was
   */
  KeyDigest add(String url, KeyDigest key, List<String> vary) {
    KeyDigest[] dropped = new KeyDigest[1];
    byUrl.compute(
        url,
        (u, variants) -> {
          Variants v = variants == null ? new Variants(vary) : variants;
          v.vary = vary;
          v.keys.remove(key); // re-stored: it becomes the newest
          v.keys.add(key);
          if (v.keys.size() > MAX_VARIANTS) {
            Iterator<KeyDigest> oldest = v.keys.iterator();
            dropped[0] = oldest.next();
            oldest.remove();
          }
          return v;
        });
    return dropped[0];
  }

  /** Forgets {@code key} unless {@code stillStored} says a tier still has it. */
  void removeIfGone(String url, KeyDigest key, Predicate<KeyDigest> stillStored) {
    byUrl.computeIfPresent(
        url,
        (u, v) -> {
          if (!v.keys.contains(key) || stillStored.test(key)) {
            return v;
          }
          v.keys.remove(key);
          return v.keys.isEmpty() ? null : v;
        });
  }

  List<String> varyOf(String url) {
    Variants variants = byUrl.get(url);
    return variants == null ? null : variants.vary;
  }

  /** A copy of the keys recorded for {@code url}, oldest first. */
  List<KeyDigest> keysOf(String url) {
    List<KeyDigest> copy = new ArrayList<>();
    byUrl.computeIfPresent(
        url,
        (u, v) -> {
          copy.addAll(v.keys);
          return v;
        });
    return copy;
  }

  /** The field names of every {@code Vary} header, as listed (RFC 9110 12.5.5). */
  static List<String> varyNames(HttpHeaders headers) {
    List<String> names = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.VARY)) {
      for (String name : value.split(",")) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty()) {
          names.add(trimmed);
        }
      }
    }
    return List.copyOf(names);
  }
}

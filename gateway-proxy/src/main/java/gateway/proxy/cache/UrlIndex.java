package gateway.proxy.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which keys (variants) are stored for each URL, and the header names the newest of them varies on:
 * what {@link CacheStore#varyOf} and {@link CacheStore#removeUrl} answer from. Kept in memory only;
 * the disk tier rebuilds it from its headers on start.
 *
 * <p>Changes to one URL are serialized (by the map's per-key compute). Callers store first and then
 * {@link #add}, and forget only after checking that no tier holds the key, inside that serialization:
 * whatever the interleaving, a stored key ends up recorded. A recorded key that is no longer stored
 * is harmless (a miss).
 */
final class UrlIndex {
  private record Variants(List<String> vary, Set<String> keys) {}

  private final ConcurrentHashMap<String, Variants> byUrl = new ConcurrentHashMap<>();

  /** Records {@code head}'s key, after it was stored. */
  void add(StoredHead head) {
    add(head.url(), head.key(), varyNames(head.headers()));
  }

  void add(String url, String key, List<String> vary) {
    byUrl.compute(
        url,
        (u, old) -> {
          Set<String> keys = old == null ? new HashSet<>() : new HashSet<>(old.keys());
          keys.add(key);
          return new Variants(vary, Set.copyOf(keys));
        });
  }

  /** Forgets {@code key} unless {@code stillStored} says a tier still has it. */
  void removeIfGone(String url, String key, Predicate<String> stillStored) {
    byUrl.computeIfPresent(
        url,
        (u, old) -> {
          if (!old.keys().contains(key) || stillStored.test(key)) {
            return old;
          }
          Set<String> keys = new HashSet<>(old.keys());
          keys.remove(key);
          return keys.isEmpty() ? null : new Variants(old.vary(), Set.copyOf(keys));
        });
  }

  List<String> varyOf(String url) {
    Variants variants = byUrl.get(url);
    return variants == null ? null : variants.vary();
  }

  Set<String> keysOf(String url) {
    Variants variants = byUrl.get(url);
    return variants == null ? Set.of() : variants.keys();
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

package gateway.proxy.cache.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * The directives of one message's {@code Cache-Control} field, request or response (RFC 9111 5.2,
 * RFC 5861), read from all of its lines. Unknown directives are ignored (RFC 9111 5.2.3).
 *
 * <p>Seconds are {@link #ABSENT} when the directive is not there. Arguments follow RFC 9111 1.2.2:
 * digits only, token or quoted form, saturating at 2^31.
 *
 * <p>Bad or repeated arguments, by directive:
 *
 * <ul>
 *   <li>{@code max-age} and {@code s-maxage}: an argument that is not delta-seconds, or a directive
 *       repeated with a different argument, sets {@link #freshnessInvalid()}: a response is then
 *       treated as stale, a request as if it said {@code max-age=0}. RFC 9111 4.2.1 allows either
 *       the first occurrence or stale; stale is chosen because caches that pick differently (first,
 *       last) would disagree about how long the response is fresh, and stale only costs a
 *       revalidation. A repetition with the same argument is harmless and accepted.
 *   <li>every other directive with seconds: the first valid occurrence counts (RFC 9111 4.2.1); an
 *       invalid argument is ignored. For {@code max-stale}, {@code stale-while-revalidate} and
 *       {@code stale-if-error} that is the reading that serves nothing stale; a {@code min-fresh}
 *       nobody can read asks for nothing.
 *   <li>{@code max-stale} without an argument accepts any staleness: {@link #ANY}.
 * </ul>
 *
 * @param noCacheFields the field names of a qualified {@code no-cache="..."}; empty when
 *     unqualified or absent (check {@link #noCache()})
 * @param privateFields the field names of a qualified {@code private="..."}, likewise
 */
public record CacheControl(
    boolean noStore,
    boolean noCache,
    List<String> noCacheFields,
    boolean isPrivate,
    List<String> privateFields,
    boolean isPublic,
    long maxAge,
    long sMaxAge,
    boolean freshnessInvalid,
    boolean mustRevalidate,
    boolean proxyRevalidate,
    boolean mustUnderstand,
    boolean noTransform,
    boolean onlyIfCached,
    long maxStale,
    long minFresh,
    long staleWhileRevalidate,
    long staleIfError) {

  /** Seconds of a directive that is not present. */
  public static final long ABSENT = -1;

  /** {@code max-stale} without an argument: the client accepts a response however stale. */
  public static final long ANY = Long.MAX_VALUE;

  public static final CacheControl NONE = parse(List.of());

  /** The directives of every {@code Cache-Control} line in {@code headers}. */
  public static CacheControl of(HttpHeaders headers) {
    return parse(headers.getAll(HttpHeaderNames.CACHE_CONTROL));
  }

  /** The directives of these field lines, in order. Never throws. */
  public static CacheControl parse(List<String> lines) {
    if (lines.isEmpty() && NONE != null) {
      return NONE; // most requests have none: no need to build the same empty value again
    }
    Builder b = new Builder();
    for (Directives.Directive d : Directives.parse(lines)) {
      b.add(d.name(), d.argument());
    }
    return b.build();
  }

  /** Whether {@code Pragma: no-cache} is in {@code headers} (RFC 9111 5.4; requests only). */
  public static boolean pragmaNoCache(HttpHeaders headers) {
    for (Directives.Directive d : Directives.parse(headers.getAll(HttpHeaderNames.PRAGMA))) {
      if (d.name().equals("no-cache")) {
        return true;
      }
    }
    return false;
  }

  /** Collects directives in order; knows which rule applies to repeats (see the type's javadoc). */
  private static final class Builder {
    boolean noStore;
    boolean noCache;
    List<String> noCacheFields = List.of();
    boolean isPrivate;
    List<String> privateFields = List.of();
    boolean isPublic;
    long maxAge = ABSENT;
    long sMaxAge = ABSENT;
    boolean freshnessInvalid;
    boolean mustRevalidate;
    boolean proxyRevalidate;
    boolean mustUnderstand;
    boolean noTransform;
    boolean onlyIfCached;
    long maxStale = ABSENT;
    long minFresh = ABSENT;
    long staleWhileRevalidate = ABSENT;
    long staleIfError = ABSENT;

    void add(String name, String argument) {
      switch (name) {
        case "no-store" -> noStore = true;
        case "no-cache" -> {
          noCache = true;
          if (argument != null) {
            noCacheFields = Directives.fieldNames(argument);
          }
        }
        case "private" -> {
          isPrivate = true;
          if (argument != null) {
            privateFields = Directives.fieldNames(argument);
          }
        }
        case "public" -> isPublic = true;
        case "max-age" -> maxAge = freshness(maxAge, argument);
        case "s-maxage" -> sMaxAge = freshness(sMaxAge, argument);
        case "must-revalidate" -> mustRevalidate = true;
        case "proxy-revalidate" -> proxyRevalidate = true;
        case "must-understand" -> mustUnderstand = true;
        case "no-transform" -> noTransform = true;
        case "only-if-cached" -> onlyIfCached = true;
        case "max-stale" -> {
          if (maxStale == ABSENT) {
            maxStale = argument == null ? ANY : firstValid(argument);
          }
        }
        case "min-fresh" -> minFresh = minFresh == ABSENT ? firstValid(argument) : minFresh;
        case "stale-while-revalidate" ->
            staleWhileRevalidate =
                staleWhileRevalidate == ABSENT ? firstValid(argument) : staleWhileRevalidate;
        case "stale-if-error" ->
            staleIfError = staleIfError == ABSENT ? firstValid(argument) : staleIfError;
        default -> {
          // RFC 9111 5.2.3: unknown directives are ignored.
        }
      }
    }

    /** max-age / s-maxage: invalid or conflicting values make the response stale. */
    private long freshness(long previous, String argument) {
      long value = DeltaSeconds.parse(argument);
      if (value == DeltaSeconds.INVALID || (previous != ABSENT && previous != value)) {
        freshnessInvalid = true;
      }
      return previous == ABSENT ? Math.max(value, ABSENT) : previous;
    }

    private static long firstValid(String argument) {
      long value = DeltaSeconds.parse(argument);
      return value == DeltaSeconds.INVALID ? ABSENT : value;
    }

    CacheControl build() {
      return new CacheControl(
          noStore,
          noCache,
          noCacheFields,
          isPrivate,
          privateFields,
          isPublic,
          maxAge,
          sMaxAge,
          freshnessInvalid,
          mustRevalidate,
          proxyRevalidate,
          mustUnderstand,
          noTransform,
          onlyIfCached,
          maxStale,
          minFresh,
          staleWhileRevalidate,
          staleIfError);
    }
  }
}

package gateway.proxy.cache;

import gateway.proxy.cache.policy.CacheControl;
import gateway.proxy.cache.policy.CacheDecision;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.cache.policy.Invalidation;
import gateway.proxy.cache.policy.NotModified;
import gateway.proxy.cache.policy.Storability;
import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.cache.policy.Vary;
import gateway.proxy.cache.store.CacheStore;
import gateway.proxy.cache.store.CachedObject;
import gateway.proxy.cache.store.Fill;
import gateway.proxy.cache.store.ObjectWriter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared HTTP cache as the request path sees it: finds what is stored for a request and says
 * what to do with it (RFC 9111 4), and keeps the downloads in progress so that concurrent misses
 * for one URL make one upstream request (collapsed forwarding). Thread-safe; one per gateway.
 */
public final class HttpCache implements AutoCloseable {
  /** What to do with a request. */
  public sealed interface Lookup {}

  /**
   * Not for the cache (a method it does not serve, a range of a missing object): just forward it.
   */
  public record Pass() implements Lookup {}

  /**
   * Answer from the stored response; {@code stale} when it is past its freshness but allowed. With
   * a {@code refresh} fill, the caller also revalidates it in the background
   * (stale-while-revalidate).
   */
  public record Hit(CachedObject object, boolean stale, Fill refresh) implements Lookup {}

  /**
   * Ask the origin whether the stored response is still good (a conditional request), leading
   * {@code fill}: other clients asking meanwhile wait for the answer.
   */
  public record Validate(CachedObject object, Fill fill) implements Lookup {}

  /** Nothing usable is stored: fetch it and fill the cache on the way, others may follow. */
  public record Lead(Fill fill) implements Lookup {}

  /** The same URL is being fetched right now: wait for that response and be fed from it. */
  public record Follow(Fill fill) implements Lookup {}

  /**
   * The client asked for the cache only ({@code only-if-cached}) and nothing usable is stored: 504.
   */
  public record OnlyIfCachedMiss() implements Lookup {}

  private static final Pass PASS = new Pass();

  private final CacheStore store;
  private final ConcurrentHashMap<String, Fill> fills = new ConcurrentHashMap<>();
  private final CacheCounters counters = new CacheCounters();

  public HttpCache(CacheStore store) {
    this.store = store;
  }

  public CacheStore store() {
    return store;
  }

  public CacheCounters counters() {
    return counters;
  }

  /**
   * What to do with {@code request} for {@code url} ({@link CacheKey#of}) at {@code now} (epoch
   * ms).
   */
  public Lookup lookup(HttpRequest request, String url, long now) {
    HttpMethod method = request.method();
    boolean head = method.equals(HttpMethod.HEAD);
    if (!head && !method.equals(HttpMethod.GET)) {
      return PASS;
    }
    HttpHeaders h = request.headers();
    CachedObject stored = find(url, h);
    if (stored != null) {
      CacheDecision decision = CacheDecision.decide(method, h, stored.head(), now);
      switch (decision.action()) {
        case FRESH:
          return new Hit(stored, false, null);
        case STALE_SERVABLE:
          return new Hit(stored, true, null);
        case STALE_WHILE_REVALIDATE:
          // One background revalidation at a time: whoever finds none running starts it.
          return new Hit(stored, true, head ? null : register(url));
        case GATEWAY_TIMEOUT:
          return new OnlyIfCachedMiss();
        default:
          break;
      }
    }
    if (CacheControl.of(h).onlyIfCached()) {
      return new OnlyIfCachedMiss();
    }
    if (head || h.contains(HttpHeaderNames.RANGE) || CacheControl.of(h).noStore()) {
      // A HEAD or a range is forwarded as asked: neither gives a whole body to store.
      return PASS;
    }
    Fill fill = new Fill(url, f -> fills.remove(url, f));
    Fill running = fills.putIfAbsent(url, fill);
    if (running != null) {
      return new Follow(running);
    }
    return stored != null ? new Validate(stored, fill) : new Lead(fill);
  }

  /** Downloads into the cache in progress, which later clients would follow (tests). */
  public int fillsInProgress() {
    return fills.size();
  }

  /** A new fill for {@code url}, or null when one is already running. */
  private Fill register(String url) {
    Fill fill = new Fill(url, f -> fills.remove(url, f));
    return fills.putIfAbsent(url, fill) == null ? fill : null;
  }

  /** How many clients are collapsed onto the download of {@code url} in progress (tests). */
  public int followersOf(String url) {
    Fill fill = fills.get(url);
    return fill == null ? 0 : fill.followers();
  }

  /** The stored response for {@code url} that matches the request's headers, or null. */
  public CachedObject find(String url, HttpHeaders request) {
    List<String> vary = store.varyOf(url);
    if (vary == null) {
      return null;
    }
    String variant = vary.isEmpty() ? "" : Vary.secondaryKey(vary, request);
    if (variant == null) {
      return null;
    }
    CachedObject found = store.get(StoredHead.key(url, variant));
    if (found != null && found.head().headers().contains(HttpHeaderNames.SET_COOKIE)) {
      // Never stored now (Storability, Validation.freshen); a disk entry that a 304 gave one
      // before those rules is one user's cookie for everyone: dropped, not served.
      store.removeUrl(url);
      return null;
    }
    return found;
  }

  /** Whether a shared cache may store this response to this request (RFC 9111 3). */
  public boolean mayStore(HttpRequest request, HttpResponse response) {
    return Storability.of(
            request.method(), request.headers(), response.status().code(), response.headers())
        .storable();
  }

  /**
   * Starts storing the origin's response to a request that leads {@code fill}, which {@link
   * #mayStore} allowed; returns the writer its body goes to, or null when it is not stored.
   *
   * @param endToEnd the response's headers without the hop-by-hop ones: what is stored
   */
  public ObjectWriter store(
      Fill fill,
      HttpRequest request,
      HttpResponse response,
      HttpHeaders endToEnd,
      long requestTime,
      long now) {
    int status = response.status().code();
    String variant = Vary.secondaryKey(Vary.names(endToEnd), request.headers());
    if (variant == null) {
      return null;
    }
    StoredHead head = new StoredHead(fill.url(), variant, status, endToEnd, requestTime, now);
    ObjectWriter writer = store.begin(head, HttpUtil.getContentLength(response, -1L));
    if (writer != null) {
      fill.filling(head, writer);
    }
    return writer;
  }

  /**
   * The origin answered a revalidation with 304: the stored response gets the 304's fields (RFC
   * 9111 4.3.4) and is returned, fresh again, to be served to the client whose request brought the
   * 304 (with the cookies the 304 set for it, which are not stored). Null when the stored response
   * is removed instead ({@link NotModified.Dropped}: the 304 is about another response, or makes it
   * {@code private} or {@code no-store}): the caller sends the request again without validators.
   */
  public CachedObject refreshed(
      CachedObject stale, HttpHeaders notModified, long requestTime, long now) {
    NotModified outcome = NotModified.of(stale.head(), notModified, requestTime, now);
    if (outcome instanceof NotModified.Updated updated) {
      store.updateHead(updated.stored());
      return new RefreshedObject(stale, updated.answer());
    }
    store.removeUrl(stale.head().url());
    return null;
  }

  /**
   * May a stale stored response be served because the origin could not give a fresh one? Where the
   * response or request allows it with {@code stale-if-error} (RFC 5861 4), and when every uplink
   * is down ({@code disconnected}, RFC 9111 4.2.4) unless the response forbids stale use.
   */
  public boolean staleOnError(
      CachedObject stale, HttpHeaders request, boolean disconnected, long now) {
    if (CacheDecision.staleIfErrorAllows(stale.head(), request, now)) {
      return true;
    }
    CacheControl response = stale.head().cacheControl();
    return disconnected
        && !response.noCache()
        && !response.mustRevalidate()
        && !response.proxyRevalidate()
        && response.sMaxAge() == CacheControl.ABSENT
        && !CacheControl.of(request).noCache();
  }

  /** Invalidates what a response to an unsafe request changed (RFC 9111 4.4). */
  public void responded(
      HttpMethod method,
      String host,
      int port,
      String pathAndQuery,
      int status,
      HttpHeaders response) {
    for (String url :
        Invalidation.urlsToRemove(method, host, port, pathAndQuery, status, response)) {
      store.removeUrl(url);
    }
  }

  /** Forgets every stored variant of {@code url}: {@code PURGE}. True if something was stored. */
  public boolean purge(String url) {
    return store.removeUrl(url);
  }

  @Override
  public void close() {
    store.close();
  }
}

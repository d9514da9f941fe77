package gateway.proxy.exchange;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.core.net.Uplink;
import gateway.proxy.cache.policy.Validation;
import gateway.proxy.cache.store.CachedObject;
import gateway.proxy.cache.store.Fill;
import gateway.proxy.message.RequestTarget;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request and its response, from the request head to the last byte sent to the client: what the
 * client handler, the cache leg and the origin leg share of it, and its access-log record. Lives on
 * the client's event loop only, so it needs no locks. Which part it plays for the cache is its
 * {@link #role}.
 */
public final class Exchange {
  public final HttpRequest request;
  public final RequestTarget target;
  public final long startMillis;
  public final boolean clientKeepAlive;
  public final boolean http10Client;

  /** Request body parts that arrived before the upstream connection was ready. */
  public final ArrayDeque<HttpContent> earlyBody = new ArrayDeque<>(2);

  // ---- the request ----
  public boolean requestDone;
  public boolean requestHasBody;

  // ---- the origin leg ----
  public Channel upstream;
  public boolean upstreamReused;
  public boolean retried;
  public boolean headRewritten;

  /** The uplink of the current upstream connection (null: unbound). */
  public Uplink uplinkUsed;

  /** The event loop's ticker time by which the origin must start its response; 0: none awaited. */
  public long responseDeadline;

  public boolean responseStarted;
  public boolean responseKeepAlive;

  // ---- the answer and its log line ----
  /** Whether the client connection stays open after this response. */
  public boolean keepClient;

  public String uplink;
  public int status;
  public long bytesSent;
  public String contentType;

  /** The access rule or limit that refused or redirected this request, for the log; else null. */
  public String rule;

  public boolean logged;

  /** The result code for the log: a miss unless the cache answered or refreshed. */
  public CacheAction action = CacheAction.TCP_MISS;

  // ---- the cache ----
  /** The cache key of the request's URL, whatever the method (an unsafe one invalidates it). */
  public String cacheUrl;

  public CacheRole role = CacheRole.none();

  public Exchange(
      HttpRequest request, RequestTarget target, long startMillis, boolean clientKeepAlive) {
    this.request = request;
    this.target = target;
    this.startMillis = startMillis;
    this.clientKeepAlive = clientKeepAlive;
    this.http10Client = request.protocolVersion().minorVersion() == 0;
  }

  public void cancelResponseTimer() {
    responseDeadline = 0;
  }

  public void releaseEarlyBody() {
    HttpContent c;
    while ((c = earlyBody.poll()) != null) {
      ReferenceCountUtil.release(c);
    }
  }

  /** The stored response this exchange's conditional request asks the origin about, or null. */
  public CachedObject revalidating() {
    return role instanceof CacheRole.Validating v ? v.stored() : null;
  }

  /**
   * Makes the request a revalidation of {@code stored}, leading {@code fill} (or none): the
   * client's validators (and range) are set aside and the stored response's go upstream instead
   * (RFC 9111 4.3.1).
   */
  public void validate(CachedObject stored, Fill fill) {
    HttpHeaders asked = request.headers();
    role = new CacheRole.Validating(stored, asked.copy(), fill);
    HttpHeaders conditional = Validation.conditionalRequest(asked, stored.head());
    asked.clear().add(conditional);
  }

  /** Puts back the request headers the client sent, if the cache had changed them. */
  public void restoreClientHeaders() {
    HttpHeaders sent = role.clientHeaders();
    if (sent != null) {
      request.headers().clear().add(sent);
      headRewritten = false;
    }
  }

  /**
   * Ends the download this exchange leads, if any: nothing partial is stored, followers move on.
   */
  public void abandonFill() {
    if (role instanceof CacheRole.Filling f) {
      if (f.writer() != null) {
        f.writer().abort();
      }
      role = CacheRole.none();
      f.fill().failed();
    } else if (role instanceof CacheRole.Validating v && v.fill() != null) {
      role = new CacheRole.Validating(v.stored(), v.clientHeaders(), null);
      v.fill().failed();
    }
  }

  public AccessRecord record(String client, long nowMillis, CacheAction action, String url) {
    return new AccessRecord(
        startMillis,
        nowMillis - startMillis,
        client,
        action,
        status,
        bytesSent,
        request.method().name(),
        url,
        uplink,
        contentType,
        rule);
  }
}

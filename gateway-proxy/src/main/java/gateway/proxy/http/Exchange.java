package gateway.proxy.http;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import gateway.proxy.cache.CachedObject;
import gateway.proxy.cache.Fill;
import gateway.proxy.cache.ObjectWriter;
import gateway.proxy.cache.Validation;
import gateway.proxy.message.RequestTarget;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request and its response, from the request head to the last byte sent to the client. Lives on
 * the client's event loop only, so it needs no locks.
 */
final class Exchange {
  final HttpRequest request;
  final RequestTarget target;
  final long startMillis;
  final boolean clientKeepAlive;
  final boolean http10Client;
  /** Request body parts that arrived before the upstream connection was ready. */
  final ArrayDeque<HttpContent> earlyBody = new ArrayDeque<>(2);

  boolean requestDone;
  boolean requestHasBody;
  boolean retried;
  boolean headRewritten;
  /** Whether the client connection stays open after this response. */
  boolean keepClient;
  Channel upstream;
  boolean upstreamReused;
  String uplink;
  /** The uplink of the current upstream connection (null: unbound). */
  gateway.core.net.Uplink uplinkUsed;
  /** System.nanoTime by which the origin must have started its response; 0 when none is awaited. */
  long responseDeadline;
  boolean responseStarted;
  boolean responseKeepAlive;
  int status;
  long bytesSent;
  String contentType;
  /** The access rule or limit that refused or redirected this request, for the log; else null. */
  String rule;
  boolean logged;
  /** The result code for the log: a miss unless the cache answered or refreshed. */
  CacheAction action = CacheAction.TCP_MISS;

  // ---- the cache's part (all null when the gateway has no cache) ----
  /** The cache key of the request's URL, whatever the method (an unsafe one invalidates it). */
  String cacheUrl;
  /** The download into the cache this exchange leads: the response is stored as it passes. */
  Fill fill;
  ObjectWriter writer;
  /** The stored response this exchange's conditional request asks the origin about. */
  CachedObject revalidating;
  /**
   * The client's request headers as it sent them, when the gateway replaced its validators (and
   * range) with its own to validate or fill the cache: what the client asked is answered from these.
   */
  HttpHeaders clientHeaders;
  /** The origin said the stored response is still good (304): serve it once that 304 has ended. */
  CachedObject refreshed;
  /** A 304 did not confirm the stored response: the request goes out again once it has ended. */
  boolean refetch;
  /** This client is fed from another client's download of the same URL. */
  FillFollower follower;

  Exchange(HttpRequest request, RequestTarget target, long startMillis, boolean clientKeepAlive) {
    this.request = request;
    this.target = target;
    this.startMillis = startMillis;
    this.clientKeepAlive = clientKeepAlive;
    this.http10Client = request.protocolVersion().minorVersion() == 0;
  }

  void cancelResponseTimer() {
    responseDeadline = 0;
  }

  void releaseEarlyBody() {
    HttpContent c;
    while ((c = earlyBody.poll()) != null) {
      ReferenceCountUtil.release(c);
    }
  }

  /**
   * Makes the request a revalidation of {@code stored}: the client's validators (and range) are set
   * aside and the stored response's go upstream instead (RFC 9111 4.3.1).
   */
  void validate(CachedObject stored) {
    revalidating = stored;
    HttpHeaders asked = request.headers();
    clientHeaders = asked.copy();
    HttpHeaders conditional = Validation.conditionalRequest(asked, stored.head());
    asked.clear().add(conditional);
  }

  /** Puts back the request headers the client sent, if the cache had changed them. */
  void restoreClientHeaders() {
    if (clientHeaders != null) {
      request.headers().clear().add(clientHeaders);
      clientHeaders = null;
      headRewritten = false;
    }
  }

  /** Ends the download this exchange leads, if any: nothing partial is stored, followers move on. */
  void abandonFill() {
    if (writer != null) {
      writer.abort();
      writer = null;
    }
    if (fill != null) {
      Fill f = fill;
      fill = null;
      f.failed();
    }
  }

  AccessRecord record(String client, long nowMillis, CacheAction action, String url) {
    return new AccessRecord(startMillis, nowMillis - startMillis, client, action, status, bytesSent,
        request.method().name(), url, uplink, contentType, rule);
  }
}

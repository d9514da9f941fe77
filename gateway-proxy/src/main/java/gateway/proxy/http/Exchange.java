package gateway.proxy.http;

import gateway.core.log.AccessRecord;
import gateway.core.log.CacheAction;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
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

  AccessRecord record(String client, long nowMillis, CacheAction action, String url) {
    return new AccessRecord(startMillis, nowMillis - startMillis, client, action, status, bytesSent,
        request.method().name(), url, uplink, contentType, rule);
  }
}

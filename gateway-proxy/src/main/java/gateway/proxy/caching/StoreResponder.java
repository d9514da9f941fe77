package gateway.proxy.caching;

import gateway.core.log.CacheAction;
import gateway.proxy.ProxyContext;
import gateway.proxy.cache.store.CachedObject;
import gateway.proxy.exchange.CacheRole;
import gateway.proxy.exchange.ClientSide;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.message.ResponseHeads;
import gateway.proxy.origin.OriginLeg;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CompletionStage;

/**
 * Answers one client connection's requests from stored responses, for its {@link CacheLeg}: works
 * out the {@link StoredAnswer} (the whole response, a 304, a range), writes its head and the stored
 * body, waits off the loop for a body still being checked ({@link BodyCheckWait}), and sends the
 * request to the origin instead when the body is gone. {@link FillFollower} writes the heads and
 * bodies it feeds a client with through it too. Runs on the client's event loop.
 */
final class StoreResponder {
  private final ProxyContext proxy;
  private final ClientSide client;
  private final OriginLeg origin;

  StoreResponder(ProxyContext proxy, ClientSide client, OriginLeg origin) {
    this.proxy = proxy;
    this.client = client;
    this.origin = origin;
  }

  private ChannelHandlerContext ctx() {
    return client.context();
  }

  /**
   * Answers from a stored response: whole, a 304 when the client's own copy is still good, or the
   * range it asked for. Falls back to fetching when the stored body is gone or damaged. A body
   * still being checked (a first disk hit) is waited for off this loop, then this runs again.
   */
  void serveStored(Exchange ex, CachedObject stored, CacheAction action) {
    HttpHeaders sent = ex.role.clientHeaders();
    HttpHeaders asked = sent != null ? sent : ex.request.headers();
    StoredAnswer answer =
        StoredAnswer.of(stored, ex.request.method(), asked, action, proxy.clock().getAsLong());
    CachedObject.Body body = null;
    if (answer.count() > 0) {
      CompletionStage<Boolean> check = stored.bodyCheck();
      if (check != null) {
        ex.action = answer.action(); // what the log says should the client leave meanwhile
        BodyCheckWait.then(
            check,
            ctx().executor(),
            () -> {
              if (client.isCurrent(ex)) {
                serveStored(ex, stored, action);
              }
            });
        return;
      }
      body = stored.open();
      if (body == null) {
        fetchUncached(ex);
        return;
      }
    }
    ex.action = answer.action();
    if (answer.withoutOrigin()) {
      ex.uplink = null;
    }
    ex.requestDone = true;
    ex.bytesSent = sendStoredHead(ex, answer.head());
    if (body != null) {
      ex.bytesSent += sendBody(body, answer.from(), answer.count());
    } else {
      ctx().write(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    client.complete(ex);
  }

  /** Writes a head the gateway made from a stored response; returns its size for the log. */
  long sendStoredHead(Exchange ex, HttpResponse r) {
    ex.cancelResponseTimer();
    ex.responseStarted = true;
    ex.status = r.status().code();
    ex.contentType = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
    ex.keepClient =
        ResponseHeads.rewrite(
            r,
            ex.request.method(),
            ex.http10Client,
            ex.clientKeepAlive && !proxy.isDraining(),
            proxy.loopGuard().viaPseudonym());
    ctx().write(r);
    return ResponseHeads.size(r);
  }

  /**
   * Writes {@code count} bytes of a stored body from {@code from}, and the response's end; the body
   * is handed over (a file region is sent with sendfile where the transport can).
   */
  long sendBody(CachedObject.Body body, long from, long count) {
    if (body instanceof CachedObject.InMemory m) {
      ByteBuf content = m.content();
      ctx()
          .write(
              new DefaultLastHttpContent(
                  content.retainedSlice(content.readerIndex() + (int) from, (int) count)));
      body.close();
    } else {
      CachedObject.OnDisk d = (CachedObject.OnDisk) body;
      ctx().write(new DefaultFileRegion(d.file(), d.offset() + from, count));
      ctx().write(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    return count;
  }

  /**
   * The stored body went (evicted or found damaged) after the cache chose to answer from it: the
   * request goes to the origin as the client sent it, like a miss, and nothing is stored. Whatever
   * the cache had decided (revalidate, serve stale on error) is dropped with the body.
   */
  private void fetchUncached(Exchange ex) {
    ex.action = CacheAction.TCP_MISS;
    ex.restoreClientHeaders();
    ex.role = CacheRole.none();
    origin.send(ex);
  }
}

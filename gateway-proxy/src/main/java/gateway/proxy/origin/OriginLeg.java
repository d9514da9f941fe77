package gateway.proxy.origin;

import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.proxy.ProxyContext;
import gateway.proxy.access.AccessRules;
import gateway.proxy.admission.DestinationRules;
import gateway.proxy.answer.OwnAnswers;
import gateway.proxy.exchange.ClientSide;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.message.RequestHeads;
import gateway.proxy.message.ResponseHeads;
import gateway.proxy.message.Trailers;
import gateway.proxy.message.TransferCodings;
import gateway.proxy.upstream.Connection;
import gateway.proxy.upstream.OriginPool;
import gateway.proxy.upstream.Route;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The origin leg of one client connection: routes an exchange to an uplink, takes a pooled
 * connection or connects, sends the request and its body on, and relays the response to the client
 * ({@link OriginResponseHandler} hands it in as the {@link ResponseReceiver}). The wait for that
 * response, its deadline and what follows when none comes (one more try through the next uplink, a
 * stale copy, the error page) is the {@link ResponseWait}'s.
 *
 * <p>Runs on the client's event loop; the upstream connection is opened on that loop too, so
 * nothing here needs a lock. The origin is read only while the client can take more.
 */
public final class OriginLeg implements ResponseReceiver {
  private final ProxyContext proxy;
  private final ClientSide client;
  private final OwnAnswers answers;
  private final CacheSide cache;
  private final ResponseWait responseWait;

  public OriginLeg(ProxyContext proxy, ClientSide client, OwnAnswers answers, CacheSide cache) {
    this.proxy = proxy;
    this.client = client;
    this.answers = answers;
    this.cache = cache;
    this.responseWait = new ResponseWait(proxy, client, answers, cache, this);
  }

  private ChannelHandlerContext ctx() {
    return client.context();
  }

  // ---- the request ------------------------------------------------------------------------

  /**
   * Routes {@code ex} and sends its request to the origin: on an intercepted connection to the
   * address the client connected to, whatever its {@code Host} resolves to.
   */
  public void send(Exchange ex) {
    InetSocketAddress remote = client.remote();
    InetSocketAddress fixed = client.interceptedTo();
    EventLoop loop = ctx().channel().eventLoop();
    (fixed != null
            ? proxy.router().routeTo(loop, remote, fixed, ex.target.host())
            : proxy.router().route(loop, remote, ex.target.host(), ex.target.port()))
        .addListener(f -> routed(ex, f));
  }

  private void routed(Exchange ex, Future<?> f) {
    if (!client.isCurrent(ex)) {
      return;
    }
    if (!f.isSuccess()) {
      responseWait.failBeforeResponse(ex, f.cause());
      return;
    }
    Route resolved = (Route) f.getNow();
    // The retry of a request that failed on one uplink goes out through another, if there is one.
    Route route = ex.retried && ex.uplinkUsed != null ? resolved.without(ex.uplinkUsed) : resolved;
    if (proxy.loopGuard().isSelf(route.origin().getAddress(), route.origin().getPort())) {
      ex.status = HttpResponseStatus.FORBIDDEN.code();
      answers.error(
          ex,
          HttpResponseStatus.FORBIDDEN,
          "forwarding loop: " + ex.target.hostHeader(80) + " is this gateway itself",
          CacheAction.TCP_DENIED,
          Refusal.FORWARDING_LOOP);
      return;
    }
    InetAddress origin = route.origin().getAddress();
    Optional<AccessRules.Deny> denied =
        DestinationRules.refusal(
            proxy, client.address(), ex.request, ex.target, false, origin, ex.startMillis);
    if (denied.isPresent()) {
      ex.rule = denied.get().rule();
      answers.error(
          ex,
          HttpResponseStatus.FORBIDDEN,
          DestinationRules.why(ex.target, origin, ex.rule),
          CacheAction.TCP_DENIED,
          Refusal.ACCESS_RULE);
      return;
    }
    if (!ex.retried) {
      Channel pooled = OriginPool.ofThisLoop().acquire(poolKey(ex, route.uplinkName()));
      if (pooled != null) {
        ex.uplink = route.uplinkName();
        attach(ex, pooled, true);
        return;
      }
    }
    proxy
        .connector()
        .connect(
            ctx().channel().eventLoop(),
            route,
            uplink ->
                new OriginResponseHandler(
                        proxy, poolKey(ex, uplink == null ? route.uplinkName() : uplink.name()))
                    .initializer())
        .addListener(
            c -> {
              Connection conn = (Connection) c.getNow();
              if (!client.isCurrent(ex)) {
                if (conn != null) {
                  conn.channel().close();
                }
                return;
              }
              if (!c.isSuccess()) {
                ex.uplink = route.uplinkName();
                responseWait.failBeforeResponse(ex, c.cause());
                return;
              }
              ex.uplink = conn.uplinkName();
              ex.uplinkUsed = conn.uplink();
              attach(ex, conn.channel(), false);
            });
  }

  /**
   * Which idle connections may serve {@code ex}: those to its host, or, on an intercepted
   * connection, those to the address it was made to (a {@code Host} there names no connection).
   */
  private OriginPool.Key poolKey(Exchange ex, String uplink) {
    InetSocketAddress fixed = client.interceptedTo();
    return fixed != null
        ? new OriginPool.Key(fixed.getAddress().getHostAddress(), fixed.getPort(), uplink)
        : new OriginPool.Key(ex.target.host(), ex.target.port(), uplink);
  }

  private void attach(Exchange ex, Channel upstream, boolean reused) {
    ex.upstream = upstream;
    ex.upstreamReused = reused;
    OriginResponseHandler.of(upstream).bind(this, upstream, ctx().channel());
    if (!ex.headRewritten) {
      ex.headRewritten = true;
      RequestHeads.rewrite(ex.request, ex.target, proxy.loopGuard().viaPseudonym());
    }
    upstream.write(ex.request, upstream.voidPromise());
    if (ex.requestDone && !(ex.earlyBody.peekLast() instanceof LastHttpContent)) {
      // The request (without a body) is sent again, its end already gone to an earlier connection
      // or taken by the cache: a retry, a refetch, a fetch the cache could not answer after all.
      // End it here too, or this connection's encoder would wait for a body that never comes.
      upstream.write(LastHttpContent.EMPTY_LAST_CONTENT, upstream.voidPromise());
    }
    HttpContent c;
    while ((c = ex.earlyBody.poll()) != null) {
      upstream.write(Trailers.strip(c), upstream.voidPromise());
    }
    upstream.flush();
    upstream.read();
    if (ex.requestDone) {
      responseWait.armResponseTimer(ex);
    } else if (upstream.isWritable()) {
      ctx().read();
    }
  }

  /**
   * A part of the request body: sent on, or kept until the upstream connection is ready. The caller
   * has marked the request done when this is its end.
   */
  public void requestContent(Exchange ex, HttpContent content) {
    if (ex.upstream == null) {
      ex.earlyBody.add(content);
      return;
    }
    // A void promise: a failed write surfaces as exceptionCaught on the origin side (upstreamGone).
    ex.upstream.write(Trailers.strip(content), ex.upstream.voidPromise());
    if (content instanceof LastHttpContent) {
      ex.upstream.flush();
      responseWait.armResponseTimer(ex);
    } else if (ex.upstream.isWritable()) {
      ctx().read();
    }
  }

  /** What the client's last read batch carried of the request body goes out now. */
  public void flush(Exchange ex) {
    if (ex != null && ex.upstream != null) {
      ex.upstream.flush();
    }
  }

  /** The upstream took what it was sent: read more of the request body. */
  @Override
  public void upstreamWritable() {
    Exchange ex = client.current();
    if (ex != null && !ex.requestDone && ex.upstream != null && ex.upstream.isWritable()) {
      ctx().read();
    }
  }

  /** The client can take more: the origin may be read again (interim responses wait for it too). */
  public void clientWritable(Exchange ex) {
    if (ex != null && ex.upstream != null) {
      ex.upstream.read();
    }
  }

  /**
   * The exchange lets go of its upstream connection, if it has one, without reusing it: the
   * connection is unbound from the client and closed.
   */
  public static void dropUpstream(Exchange ex) {
    Channel up = ex.upstream;
    ex.upstream = null;
    if (up != null) {
      OriginResponseHandler handler = OriginResponseHandler.of(up);
      if (handler != null) {
        handler.unbind();
      }
      up.close();
    }
  }

  /** The response came whole: the upstream connection goes back to the pool if it can be reused. */
  public void releaseUpstream(Exchange ex) {
    Channel up = ex.upstream;
    ex.upstream = null;
    if (up != null) {
      if (ex.requestDone && ex.responseKeepAlive && !proxy.isDraining()) {
        pool(up);
      } else {
        OriginResponseHandler.of(up).unbind();
        up.close();
      }
    }
  }

  /** A response came whole on {@code up}: it goes back to this loop's pool. Call on its loop. */
  public static void pool(Channel up) {
    OriginResponseHandler handler = OriginResponseHandler.of(up);
    handler.unbind();
    OriginPool.ofThisLoop().release(handler.poolKey(), up);
    up.read();
  }

  /** The client connection closed: no deadline is watched any more. */
  public void close() {
    responseWait.close();
  }

  // ---- the response (called by OriginResponseHandler on this loop) -------------------------

  @Override
  public void responseHead(HttpResponse r) {
    Exchange ex = client.current();
    int code = r.status().code();
    if (code >= 100 && code < 200) {
      if (code != 101 && !ex.http10Client) {
        // RFC 9110 15.2: interim responses go to HTTP/1.1 clients only.
        ResponseHeads.rewriteInterim(r, proxy.loopGuard().viaPseudonym());
        ctx().write(r);
        ctx().write(LastHttpContent.EMPTY_LAST_CONTENT);
      }
      return;
    }
    String coding = TransferCodings.unsupported(r.headers());
    if (coding != null) {
      // RFC 9112 6.1: we send no TE, so an origin may apply no coding but chunked; one we cannot
      // undo would reach the client, or the cache, as if it were the content. The connection's
      // framing is in doubt too: it is closed, never pooled.
      dropUpstream(ex);
      answers.error(
          ex,
          HttpResponseStatus.BAD_GATEWAY,
          ex.target.hostHeader(80)
              + " answered with Transfer-Encoding "
              + coding
              + ", which the gateway does not implement"
              + " (only chunked)",
          CacheAction.TCP_MISS,
          null);
      return;
    }
    if (ResponseRules.refuse(proxy, ex, client.address(), r)) {
      // An access rule on the response denied it: the origin connection is closed, the page goes
      // out.
      dropUpstream(ex);
      answers.error(
          ex,
          HttpResponseStatus.FORBIDDEN,
          ex.target.host()
              + " sent "
              + ResponseRules.what(r)
              + ", blocked by the office's access rule '"
              + ex.rule
              + "'",
          CacheAction.TCP_DENIED,
          Refusal.ACCESS_RULE);
      return;
    }
    ex.cancelResponseTimer();
    ex.responseKeepAlive = HttpUtil.isKeepAlive(r);
    if (!cache.head(ex, r)) {
      return;
    }
    ex.responseStarted = true;
    ex.status = code;
    ex.contentType = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
    boolean keep =
        ResponseHeads.rewrite(
            r,
            ex.request.method(),
            ex.http10Client,
            ex.clientKeepAlive && !proxy.isDraining(),
            proxy.loopGuard().viaPseudonym());
    ex.keepClient = keep;
    ex.bytesSent += ResponseHeads.size(r);
    ctx().write(r);
    cache.headSent(ex, r);
  }

  /** Writes one part of the response body; returns false when the client cannot take more now. */
  @Override
  public boolean responseContent(HttpContent c) {
    Exchange ex = client.current();
    if (cache.content(ex, c)) {
      return true;
    }
    ex.bytesSent += c.content().readableBytes();
    if (!(c instanceof LastHttpContent)) {
      ctx().write(c);
      return ctx().channel().isWritable();
    }
    ctx().write(Trailers.strip(c));
    releaseUpstream(ex);
    client.complete(ex);
    return true;
  }

  @Override
  public void flushToClient() {
    ctx().flush();
  }

  /** The upstream connection ended or failed. */
  @Override
  public void upstreamGone(Throwable cause) {
    Exchange ex = client.current();
    if (ex == null) {
      return;
    }
    dropUpstream(ex);
    ex.cancelResponseTimer();
    if (cache.upstreamGone(ex)) {
      return;
    }
    if (ex.responseStarted) {
      // Part of the response is out: the client can only learn of the loss by the connection
      // closing.
      ex.abandonFill();
      client.broken(ex, ex.action);
      return;
    }
    responseWait.upstreamGone(ex, cause);
  }
}

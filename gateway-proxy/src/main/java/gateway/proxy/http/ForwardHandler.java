package gateway.proxy.http;

import gateway.core.log.CacheAction;
import gateway.core.metrics.RuleCounters;
import gateway.core.net.HostLiteral;
import gateway.proxy.ProxyContext;
import gateway.proxy.access.AccessRules;
import gateway.proxy.cache.CacheKey;
import gateway.proxy.cache.CachedObject;
import gateway.proxy.cache.Fill;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.ObjectWriter;
import gateway.proxy.message.HopByHop;
import gateway.proxy.message.RequestHeads;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.message.ResponseHeads;
import gateway.proxy.message.TransferCodings;
import gateway.proxy.tunnel.ConnectTunnel;
import gateway.proxy.upstream.OriginPool;
import gateway.proxy.upstream.Connection;
import gateway.proxy.upstream.Route;
import gateway.proxy.upstream.UpstreamFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client connection's request path: takes each request head, checks it, routes it to an uplink,
 * and forwards the request upstream; {@link OriginResponseHandler} brings the response back through
 * {@link #responseHead} and {@link #responseContent}. A CONNECT request hands the connection over to
 * {@link ConnectTunnel}.
 *
 * <p>Everything runs on the client's event loop; upstream connections are opened on the same loop.
 * Reads are explicit (AUTO_READ off): the client is read only while the current request's body can be
 * sent on, and not at all while a response is streaming back; the origin is read only while the client
 * can take more. Requests a client pipelines are queued and served one after another.
 */
public final class ForwardHandler extends ChannelInboundHandlerAdapter implements ResponseReceiver {
  private static final Logger log = LoggerFactory.getLogger(ForwardHandler.class);

  private final ProxyContext proxy;
  private final RequestHeadTimer headTimer;
  private final int overLimit;
  private final PipelinedRequests pipelined = new PipelinedRequests();
  /** Bytes the client sent after its CONNECT head, before the tunnel is up: passed on to the relay. */
  private final ArrayDeque<ByteBuf> earlyTunnelData = new ArrayDeque<>(1);
  private ChannelHandlerContext client;
  private String clientAddress;
  private boolean clientAllowed;
  private Exchange exchange;
  /** After a rejected request whose body cannot be found, everything the client sends is dropped. */
  private boolean closing;
  /** A CONNECT is being set up: the connection is no longer HTTP. */
  private boolean tunnelling;
  private boolean inputShut;
  private io.netty.util.concurrent.ScheduledFuture<?> responseCheck;

  /**
   * @param overLimit the per-client connection limit this connection exceeds (its requests get 429),
   *     or 0 when it is within it
   */
  public ForwardHandler(ProxyContext proxy, RequestHeadTimer headTimer, int overLimit) {
    this.proxy = proxy;
    this.headTimer = headTimer;
    this.overLimit = overLimit;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    client = ctx;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    clientAddress = remote.getAddress().getHostAddress();
    clientAllowed = proxy.clients().allows(remote.getAddress());
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (tunnelling && !closing && msg instanceof ByteBuf early) {
      earlyTunnelData.add(early);
      return;
    }
    if (closing || tunnelling) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!pipelined.isEmpty() || pipelined.full() || (exchange != null && exchange.requestDone)) {
      pipelined.add(msg);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest req) {
      if (msg instanceof HttpContent content) {
        // Only an invalid request comes whole; its (empty) content is of no use.
        content.release();
      }
      requestHead(req);
    } else if (msg instanceof HttpContent content) {
      requestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Exchange ex = exchange;
    if (ex != null && ex.upstream != null) {
      ex.upstream.flush();
    }
  }

  // ---- the request ------------------------------------------------------------------------

  private void requestHead(HttpRequest req) {
    headTimer.headReceived();
    long now = proxy.clock().getAsLong();
    if (clientAllowed && PacRequest.matches(req)) {
      answerPac(req, now);
      return;
    }
    RequestCheck.Verdict verdict = RequestCheck.check(req, proxy.config().limits().headers());
    if (verdict instanceof RequestCheck.Reject reject) {
      boolean keep = !reject.framingBroken() && !hasBody(req) && HttpUtil.isKeepAlive(req);
      reply(req, null, now, reject.status(), reject.reason(), CacheAction.TAG_NONE, keep);
      return;
    }
    RequestCheck.Forward forward = (RequestCheck.Forward) verdict;
    RequestTarget target = forward.target();
    boolean keepAlive = HttpUtil.isKeepAlive(req) && !proxy.isDraining() && !pipelined.lastTaken();
    if (!clientAllowed) {
      reply(req, target, now, HttpResponseStatus.FORBIDDEN,
          "your address " + clientAddress + " is not allowed to use this proxy",
          CacheAction.TCP_DENIED, false);
      return;
    }
    if (overLimit > 0) {
      proxy.policies().counters().denied(RuleCounters.CLIENT_CONNECTIONS);
      reply(req, target, now, HttpResponseStatus.TOO_MANY_REQUESTS, "your computer (" + clientAddress
          + ") already has " + overLimit + " connections open through the gateway, the most allowed"
          + " per computer; close some (a download manager, many tabs) and try again",
          CacheAction.TCP_DENIED, false, RuleCounters.CLIENT_CONNECTIONS);
      return;
    }
    if (req.headers().contains(HttpHeaderNames.VIA)
        && proxy.loopGuard().viaNamesSelf(String.join(",", req.headers().getAll(HttpHeaderNames.VIA)))) {
      reply(req, target, now, HttpResponseStatus.FORBIDDEN,
          "forwarding loop: this request already passed through this gateway",
          CacheAction.TCP_DENIED, false);
      return;
    }
    if (!proxy.access().isEmpty()) {
      InetSocketAddress remote = (InetSocketAddress) client.channel().remoteAddress();
      // An IP literal is its own destination: rules on the address decide it now, before the cache.
      AccessRules.Decision d = proxy.policies().decide(DestinationRules.accessRequest(remote.getAddress(),
          req, target, forward.connect()).at(HostLiteral.address(target.host()).orElse(null)),
          proxy.localTime(now));
      boolean keep = keepAlive && !hasBody(req);
      if (d instanceof AccessRules.Deny deny) {
        reply(req, target, now, HttpResponseStatus.FORBIDDEN,
            target.host() + " is blocked by the office's access rule '" + deny.rule() + "'",
            CacheAction.TCP_DENIED, keep, deny.rule());
        return;
      }
      if (d instanceof AccessRules.Redirect redirect) {
        if (forward.connect()) {
          // A tunnel cannot be redirected: the browser only sees a failed CONNECT.
          reply(req, target, now, HttpResponseStatus.FORBIDDEN, target.host()
              + " is redirected by the office's access rule '" + redirect.rule() + "'",
              CacheAction.TCP_DENIED, keep, redirect.rule());
        } else {
          Exchange ex = new Exchange(req, target, now, keep);
          ex.requestDone = !hasBody(req);
          ex.rule = redirect.rule();
          replyFor(ex, HttpResponseStatus.FOUND, "see " + redirect.location() + " (access rule '"
              + redirect.rule() + "')", CacheAction.TCP_REDIRECT, keep && ex.requestDone,
              redirect.location());
        }
        return;
      }
    }
    if (forward.connect()) {
      if (!proxy.config().connectPorts().contains(target.port())) {
        reply(req, target, now, HttpResponseStatus.FORBIDDEN,
            "CONNECT to port " + target.port() + " is not allowed (allowed: "
                + proxy.config().connectPorts().stream().sorted().toList() + ")",
            CacheAction.TCP_DENIED, keepAlive);
        return;
      }
      tunnelling = true;
      // What the client sends after this head (a TLS ClientHello, say) is tunnel data, not HTTP: stop
      // decoding now, before the decoder parses or skips those bytes. It hands what it holds to us.
      client.pipeline().get(HttpServerCodec.class).removeInboundHandler();
      new ConnectTunnel(proxy, client, req, target, now, this::connectFailed).start();
      return;
    }
    exchange = new Exchange(req, target, now, keepAlive);
    exchange.requestHasBody = hasBody(req);
    if (req.method().name().equals("PURGE")) {
      purge(exchange);
      return;
    }
    if (proxy.cache() != null) {
      // Set for every method: the response to an unsafe one (a POST with its form, say) invalidates.
      exchange.cacheUrl = CacheKey.of(target.host(), target.port(), target.path());
      if (!exchange.requestHasBody && consultCache(exchange)) {
        return;
      }
    }
    routeAndSend(exchange);
  }

  private void requestContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      requestBodyBroken(cause);
      return;
    }
    Exchange ex = exchange;
    if (ex == null || ex.requestDone) {
      content.release();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (last) {
      ex.requestDone = true;
    }
    if (ex.upstream == null) {
      ex.earlyBody.add(content);
      return;
    }
    // A void promise: a failed write surfaces as exceptionCaught on the origin side (upstreamGone).
    ex.upstream.write(stripTrailers(content), ex.upstream.voidPromise());
    if (last) {
      ex.upstream.flush();
      armResponseTimer(ex);
    } else if (ex.upstream.isWritable()) {
      client.read();
    }
  }

  /**
   * The request body's framing broke (RFC 9112 7.1): its end cannot be found, so the origin must not
   * get it as whole. The upstream connection is closed, not ended; the client gets 400 and the
   * connection closes, or, when the response had started, only the close.
   */
  private void requestBodyBroken(Throwable cause) {
    Exchange ex = exchange;
    if (ex == null) {
      closing = true;
      client.close();
      return;
    }
    Channel up = ex.upstream;
    ex.upstream = null;
    if (up != null) {
      OriginResponseHandler.of(up).unbind();
      up.close();
    }
    ex.requestDone = false;
    if (ex.responseStarted) {
      upstreamGone(null);
      return;
    }
    RequestCheck.Reject reject = RequestCheck.bodyFailure(cause);
    errorResponse(ex, reject.status(), reject.reason(), CacheAction.TAG_NONE);
  }

  /** The upstream took what it was sent: read more of the request body. */
  @Override
  public void upstreamWritable() {
    Exchange ex = exchange;
    if (ex != null && !ex.requestDone && ex.upstream != null && ex.upstream.isWritable()) {
      client.read();
    }
  }

  private void routeAndSend(Exchange ex) {
    RequestTarget t = ex.target;
    InetSocketAddress remote = (InetSocketAddress) client.channel().remoteAddress();
    proxy.router().route(client.channel().eventLoop(), remote, t.host(), t.port())
        .addListener(f -> routed(ex, f));
  }

  private void routed(Exchange ex, Future<?> f) {
    if (ex != exchange) {
      return;
    }
    if (!f.isSuccess()) {
      failBeforeResponse(ex, f.cause());
      return;
    }
    Route resolved = (Route) f.getNow();
    // The retry of a request that failed on one uplink goes out through another, if there is one.
    Route route = ex.retried && ex.uplinkUsed != null ? resolved.without(ex.uplinkUsed) : resolved;
    if (proxy.loopGuard().isSelf(route.origin().getAddress(), route.origin().getPort())) {
      ex.status = HttpResponseStatus.FORBIDDEN.code();
      errorResponse(ex, HttpResponseStatus.FORBIDDEN,
          "forwarding loop: " + ex.target.hostHeader(80) + " is this gateway itself",
          CacheAction.TCP_DENIED);
      return;
    }
    InetAddress origin = route.origin().getAddress();
    Optional<AccessRules.Deny> denied = DestinationRules.refusal(proxy, clientAddressOf(), ex.request,
        ex.target, false, origin, ex.startMillis);
    if (denied.isPresent()) {
      ex.rule = denied.get().rule();
      errorResponse(ex, HttpResponseStatus.FORBIDDEN,
          DestinationRules.why(ex.target, origin, ex.rule), CacheAction.TCP_DENIED);
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
    proxy.connector().connect(client.channel().eventLoop(), route,
            uplink -> new OriginResponseHandler(proxy,
                poolKey(ex, uplink == null ? route.uplinkName() : uplink.name())).initializer())
        .addListener(c -> {
          Connection conn = (Connection) c.getNow();
          if (ex != exchange) {
            if (conn != null) {
              conn.channel().close();
            }
            return;
          }
          if (!c.isSuccess()) {
            ex.uplink = route.uplinkName();
            failBeforeResponse(ex, c.cause());
            return;
          }
          ex.uplink = conn.uplinkName();
          ex.uplinkUsed = conn.uplink();
          attach(ex, conn.channel(), false);
        });
  }

  private static OriginPool.Key poolKey(Exchange ex, String uplink) {
    return new OriginPool.Key(ex.target.host(), ex.target.port(), uplink);
  }

  private void attach(Exchange ex, Channel upstream, boolean reused) {
    ex.upstream = upstream;
    ex.upstreamReused = reused;
    OriginResponseHandler.of(upstream).bind(this, upstream, client.channel());
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
      upstream.write(stripTrailers(c), upstream.voidPromise());
    }
    upstream.flush();
    upstream.read();
    if (ex.requestDone) {
      armResponseTimer(ex);
    } else if (upstream.isWritable()) {
      client.read();
    }
  }

  /**
   * The origin must start its answer within {@code timeouts.response} of the request's end. One timer
   * per client connection, re-armed for the time left, checks the current exchange's deadline; nothing
   * is scheduled or cancelled per request.
   */
  private void armResponseTimer(Exchange ex) {
    long timeout = proxy.config().timeouts().response().toNanos();
    ex.responseDeadline = System.nanoTime() + timeout;
    if (responseCheck == null) {
      responseCheck = client.executor().schedule(this::checkResponseDeadline, timeout,
          TimeUnit.NANOSECONDS);
    }
  }

  private void checkResponseDeadline() {
    responseCheck = null;
    Exchange ex = exchange;
    if (ex == null || ex.responseStarted || ex.responseDeadline == 0 || !client.channel().isActive()) {
      return;
    }
    long left = ex.responseDeadline - System.nanoTime();
    if (left > 0) {
      responseCheck = client.executor().schedule(this::checkResponseDeadline, left, TimeUnit.NANOSECONDS);
      return;
    }
    Channel up = ex.upstream;
    ex.upstream = null;
    if (up != null) {
      OriginResponseHandler.of(up).unbind();
      up.close();
    }
    if (servedStaleOnError(ex, false)) {
      return;
    }
    errorResponse(ex, HttpResponseStatus.GATEWAY_TIMEOUT, ex.target.hostHeader(80)
        + " did not answer within " + proxy.config().timeouts().response().toSeconds() + " s",
        CacheAction.TCP_MISS);
  }

  // ---- the response (called by OriginResponseHandler on this loop) -------------------------

  @Override
  public void responseHead(HttpResponse r) {
    Exchange ex = exchange;
    int code = r.status().code();
    if (code >= 100 && code < 200) {
      if (code != 101 && !ex.http10Client) {
        // RFC 9110 15.2: interim responses go to HTTP/1.1 clients only.
        ResponseHeads.rewriteInterim(r, proxy.loopGuard().viaPseudonym());
        client.write(r);
        client.write(LastHttpContent.EMPTY_LAST_CONTENT);
      }
      return;
    }
    String coding = TransferCodings.unsupported(r.headers());
    if (coding != null) {
      // RFC 9112 6.1: we send no TE, so an origin may apply no coding but chunked; one we cannot
      // undo would reach the client, or the cache, as if it were the content. The connection's
      // framing is in doubt too: it is closed, never pooled.
      Channel up = ex.upstream;
      ex.upstream = null;
      OriginResponseHandler.of(up).unbind();
      up.close();
      errorResponse(ex, HttpResponseStatus.BAD_GATEWAY, ex.target.hostHeader(80)
          + " answered with Transfer-Encoding " + coding + ", which the gateway does not implement"
          + " (only chunked)", CacheAction.TCP_MISS);
      return;
    }
    if (ResponseRules.refuse(proxy, ex, clientAddressOf(), r)) {
      // An access rule on the response denied it: the origin connection is closed, the page goes out.
      Channel up = ex.upstream;
      ex.upstream = null;
      OriginResponseHandler.of(up).unbind();
      up.close();
      errorResponse(ex, HttpResponseStatus.FORBIDDEN, ex.target.host() + " sent " + ResponseRules.what(r)
          + ", blocked by the office's access rule '" + ex.rule + "'", CacheAction.TCP_DENIED);
      return;
    }
    ex.cancelResponseTimer();
    ex.responseKeepAlive = HttpUtil.isKeepAlive(r);
    if (ex.cacheUrl != null) {
      long now = proxy.clock().getAsLong();
      proxy.cache().responded(ex.request.method(), ex.target.host(), ex.target.port(),
          ex.target.path(), code, r.headers());
      if ((ex.fill != null || ex.revalidating != null) && !cacheResponseHead(ex, r, now)) {
        return;
      }
    }
    ex.responseStarted = true;
    ex.status = code;
    ex.contentType = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
    boolean keep = ResponseHeads.rewrite(r, ex.request.method(), ex.http10Client,
        ex.clientKeepAlive && !proxy.isDraining(), proxy.loopGuard().viaPseudonym());
    ex.keepClient = keep;
    ex.bytesSent += ResponseHeads.size(r);
    client.write(r);
  }

  /** Writes one part of the response body; returns false when the client cannot take more now. */
  @Override
  public boolean responseContent(HttpContent c) {
    Exchange ex = exchange;
    if (ex.refreshed != null || ex.refetch) {
      // The end of a 304 that confirmed the stored response (served now), or that was about another.
      c.release();
      if (c instanceof LastHttpContent) {
        releaseUpstream(ex);
        if (ex.refetch) {
          refetch(ex);
        } else {
          serveStored(ex, ex.refreshed, CacheAction.TCP_REFRESH_UNMODIFIED);
        }
      }
      return true;
    }
    cacheResponseContent(ex, c);
    ex.bytesSent += c.content().readableBytes();
    if (!(c instanceof LastHttpContent)) {
      client.write(c);
      return client.channel().isWritable();
    }
    client.write(stripTrailers(c));
    finish(ex);
    return true;
  }

  @Override
  public void flushToClient() {
    client.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Exchange ex = exchange;
    if (ex != null && ex.follower != null && ctx.channel().isWritable()) {
      ex.follower.clientWritable();
    }
    // Interim responses wait for the client too: the origin may have been held before the final head.
    if (ctx.channel().isWritable() && ex != null && ex.upstream != null) {
      ex.upstream.read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void finish(Exchange ex) {
    releaseUpstream(ex);
    completeExchange(ex);
  }

  /** The response came whole: the upstream connection goes back to the pool if it can be reused. */
  private void releaseUpstream(Exchange ex) {
    Channel up = ex.upstream;
    ex.upstream = null;
    if (up != null) {
      OriginResponseHandler handler = OriginResponseHandler.of(up);
      handler.unbind();
      if (ex.requestDone && ex.responseKeepAlive && !proxy.isDraining()) {
        OriginPool.ofThisLoop().release(handler.poolKey(), up);
        up.read();
      } else {
        up.close();
      }
    }
  }

  /** The whole response is written: log it, then serve the next request or close. */
  private void completeExchange(Exchange ex) {
    // Draining may have begun after the response head went out: close once this response is complete.
    boolean keep = ex.keepClient && ex.requestDone && !proxy.isDraining()
        && (!inputShut || !pipelined.isEmpty());
    log(ex, ex.action);
    exchange = null;
    if (!keep) {
      closing = true;
      client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(closer());
      return;
    }
    client.flush();
    nextRequest();
  }

  /** Serves what the client pipelined, or reads for the next request. */
  private void nextRequest() {
    headTimer.awaitHead();
    while (!pipelined.isEmpty() && !closing && !tunnelling
        && (exchange == null || !exchange.requestDone)) {
      handle(pipelined.poll());
    }
    if (closing || tunnelling) {
      return;
    }
    if (inputShut && exchange == null) {
      client.close();
      return;
    }
    if (pipelined.full() && exchange == null) {
      // Every request taken is answered: the ones turned away are the client's to send again.
      closing = true;
      client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(closer());
      return;
    }
    if (exchange == null || (!exchange.requestDone && exchange.upstream != null)) {
      client.read();
    }
  }

  /** The upstream connection ended or failed. */
  @Override
  public void upstreamGone(Throwable cause) {
    Exchange ex = exchange;
    if (ex == null) {
      return;
    }
    Channel up = ex.upstream;
    ex.upstream = null;
    if (up != null) {
      up.close();
    }
    ex.cancelResponseTimer();
    if (ex.refreshed != null) {
      // The 304 was complete enough: its end is not needed to serve the stored response.
      serveStored(ex, ex.refreshed, CacheAction.TCP_REFRESH_UNMODIFIED);
      return;
    }
    if (ex.responseStarted) {
      // Part of the response is out: the client can only learn of the loss by the connection closing.
      ex.abandonFill();
      log(ex, ex.action);
      exchange = null;
      closing = true;
      client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (!ex.retried && !ex.requestHasBody && isIdempotent(ex.request.method())
        && !(cause instanceof InvalidResponse)) {
      // Nothing reached the client yet and the request can be repeated: try once more. A kept-alive
      // connection the origin closed as we reused it is retried on a fresh one; a fresh connection
      // that failed is retried through another uplink, if there is one.
      ex.retried = true;
      if (ex.upstreamReused) {
        ex.uplinkUsed = null;
      }
      routeAndSend(ex);
      return;
    }
    failBeforeResponse(ex, cause);
  }

  private void failBeforeResponse(Exchange ex, Throwable cause) {
    Channel up = ex.upstream;
    ex.upstream = null;
    if (up != null) {
      OriginResponseHandler.of(up).unbind();
      up.close();
    }
    if (servedStaleOnError(ex, cause instanceof gateway.proxy.upstream.AllUplinksDown)) {
      return;
    }
    UpstreamFailure f = cause instanceof InvalidResponse
        ? new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY,
            ex.target.hostHeader(80) + " sent " + cause.getMessage())
        : UpstreamFailure.of(cause, ex.target.host(), ex.target.hostHeader(80));
    errorResponse(ex, f.status(), f.reason(), CacheAction.TCP_MISS);
  }

  private void errorResponse(Exchange ex, HttpResponseStatus status, String why, CacheAction action) {
    ex.cancelResponseTimer();
    ex.releaseEarlyBody();
    ex.abandonFill();
    exchange = null;
    // The request body may be partly unread: only a complete request leaves the connection usable.
    boolean keep = ex.requestDone && ex.clientKeepAlive && !proxy.isDraining();
    replyFor(ex, status, why, action, keep);
  }

  void connectFailed(HttpRequest req, RequestTarget target, long start, HttpResponseStatus status,
      String why, String uplink, String rule) {
    tunnelling = false;
    Exchange ex = new Exchange(req, target, start, false);
    ex.requestDone = true;
    ex.uplink = uplink;
    ex.rule = rule;
    // The request decoder is gone (and early tunnel data may have come): the connection ends here.
    replyFor(ex, status, why, status.code() == 403 ? CacheAction.TCP_DENIED : CacheAction.TCP_TUNNEL,
        false);
  }

  // ---- the cache ------------------------------------------------------------------------------

  /**
   * Asks the cache about the request: answers it from a stored response, or has it follow another
   * client's download of the same URL (true: the exchange is taken care of), or marks it to validate
   * or fill the cache on its way upstream (false: forward it).
   */
  private boolean consultCache(Exchange ex) {
    HttpCache cache = proxy.cache();
    HttpCache.Lookup lookup = cache.lookup(ex.request, ex.cacheUrl, ex.startMillis);
    // The request has no body: its end is as good as read. Should it go upstream after all (a
    // follower whose download is not stored), attach() writes that end for it.
    ex.requestDone = true;
    if (lookup instanceof HttpCache.Hit hit) {
      if (hit.refresh() != null) {
        BackgroundRefresh.start(proxy, client.channel().eventLoop(),
            (InetSocketAddress) client.channel().remoteAddress(), ex.target, ex.request.headers(),
            hit.object(), hit.refresh());
      }
      serveStored(ex, hit.object(),
          hit.object().inMemory() ? CacheAction.TCP_MEM_HIT : CacheAction.TCP_HIT);
      return true;
    }
    if (lookup instanceof HttpCache.Follow follow) {
      ex.follower = new FillFollower(this, ex, follow.fill(), cache, client);
      if (follow.fill().follow(ex.follower)) {
        return true;
      }
      ex.follower = null;
    } else if (lookup instanceof HttpCache.OnlyIfCachedMiss) {
      errorResponse(ex, HttpResponseStatus.GATEWAY_TIMEOUT, ex.target.logUrl(false)
          + " is not in the gateway's cache, and the request asked for the cache only"
          + " (only-if-cached)", CacheAction.TCP_MISS);
      return true;
    } else if (lookup instanceof HttpCache.Validate validate) {
      ex.fill = validate.fill();
      ex.validate(validate.object());
    } else if (lookup instanceof HttpCache.Lead lead) {
      ex.fill = lead.fill();
      // The client's validators are for its own copy: the cache wants the whole response to store.
      ex.request.headers().remove(HttpHeaderNames.IF_NONE_MATCH)
          .remove(HttpHeaderNames.IF_MODIFIED_SINCE);
    }
    ex.requestDone = false;
    return false;
  }

  /**
   * The origin's response head, for an exchange that validates or fills the cache. Returns false when
   * the response is not for the client (a 304 confirming the stored copy, which is served instead).
   */
  private boolean cacheResponseHead(Exchange ex, HttpResponse r, long now) {
    int code = r.status().code();
    if (ex.revalidating != null && code == 304) {
      ex.refreshed = proxy.cache().refreshed(ex.revalidating, r.headers(), ex.startMillis, now);
      if (ex.refreshed == null) {
        // A 304 about another response than the stored one (its validator differs), or one that
        // withdraws it from sharing (private, no-store): that copy is dropped, and once this 304
        // has ended the request is sent again without validators.
        ex.abandonFill();
        ex.refetch = true;
        return false;
      }
      Fill f = ex.fill;
      ex.fill = null;
      if (f != null) {
        f.refreshed();
      }
      return false;
    }
    if (ex.revalidating != null && code >= 500
        && proxy.cache().staleOnError(ex.revalidating, ex.request.headers(), false, now)) {
      Channel up = ex.upstream;
      ex.upstream = null;
      OriginResponseHandler.of(up).unbind();
      up.close();
      servedStaleOnError(ex, false);
      return false;
    }
    if (ex.revalidating != null) {
      ex.action = CacheAction.TCP_REFRESH_MODIFIED;
    }
    if (ex.fill != null) {
      if (proxy.cache().mayStore(ex.request, r)) {
        HttpHeaders endToEnd = r.headers().copy();
        HopByHop.strip(endToEnd);
        ex.writer = proxy.cache().store(ex.fill, ex.request, r, endToEnd, ex.startMillis, now);
      }
      if (ex.writer == null) {
        Fill f = ex.fill;
        ex.fill = null;
        f.notStored();
      }
    }
    return true;
  }

  /**
   * The origin gave no fresh response to a revalidation (an error, no answer in time, no way to reach
   * it; the upstream connection is already let go): serves the stored copy instead where the rules
   * allow it ({@code stale-if-error}, or when {@code disconnected}, every uplink being down). True
   * when it did.
   */
  private boolean servedStaleOnError(Exchange ex, boolean disconnected) {
    if (ex.revalidating == null || !proxy.cache().staleOnError(ex.revalidating,
        ex.request.headers(), disconnected, proxy.clock().getAsLong())) {
      return false;
    }
    // A stale copy the rules allow beats an error page.
    ex.abandonFill();
    serveStored(ex, ex.revalidating, CacheAction.TCP_REFRESH_FAIL_OLD);
    return true;
  }

  /** Appends a part of the response body to the cache copy being written, if any. */
  private void cacheResponseContent(Exchange ex, HttpContent c) {
    if (ex.writer == null) {
      return;
    }
    if (!ex.writer.write(c.content())) {
      // Too large, or the disk failed: the client still gets all of it, the cache none.
      ex.abandonFill();
      return;
    }
    if (c instanceof LastHttpContent) {
      ObjectWriter w = ex.writer;
      Fill f = ex.fill;
      ex.writer = null;
      ex.fill = null;
      f.complete(w.commit());
    } else {
      ex.fill.advanced();
    }
  }

  /**
   * Answers from a stored response: whole, a 304 when the client's own copy is still good, or the
   * range it asked for. Falls back to fetching when the stored body is gone or damaged. A body still
   * being checked (a first disk hit) is waited for off this loop, then this runs again.
   */
  private void serveStored(Exchange ex, CachedObject stored, CacheAction action) {
    HttpHeaders asked = ex.clientHeaders != null ? ex.clientHeaders : ex.request.headers();
    StoredAnswer answer = StoredAnswer.of(stored, ex.request.method(), asked, action,
        proxy.clock().getAsLong());
    CachedObject.Body body = null;
    if (answer.count() > 0) {
      CompletionStage<Boolean> check = stored.bodyCheck();
      if (check != null) {
        ex.action = answer.action(); // what the log says should the client leave meanwhile
        BodyCheckWait.then(check, client.executor(), () -> {
          if (ex == exchange) {
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
      client.write(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    completeExchange(ex);
  }

  /** Writes a head the gateway made from a stored response; returns its size for the log. */
  long sendStoredHead(Exchange ex, HttpResponse r) {
    ex.cancelResponseTimer();
    ex.responseStarted = true;
    ex.status = r.status().code();
    ex.contentType = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
    ex.keepClient = ResponseHeads.rewrite(r, ex.request.method(), ex.http10Client,
        ex.clientKeepAlive && !proxy.isDraining(), proxy.loopGuard().viaPseudonym());
    client.write(r);
    return ResponseHeads.size(r);
  }

  /**
   * Writes {@code count} bytes of a stored body from {@code from}, and the response's end; the body is
   * handed over (a file region is sent with sendfile where the transport can).
   */
  long sendBody(CachedObject.Body body, long from, long count) {
    if (body instanceof CachedObject.InMemory m) {
      ByteBuf content = m.content();
      client.write(new DefaultLastHttpContent(
          content.retainedSlice(content.readerIndex() + (int) from, (int) count)));
      body.close();
    } else {
      CachedObject.OnDisk d = (CachedObject.OnDisk) body;
      client.write(new DefaultFileRegion(d.file(), d.offset() + from, count));
      client.write(LastHttpContent.EMPTY_LAST_CONTENT);
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
    ex.revalidating = null;
    ex.refreshed = null;
    ex.restoreClientHeaders();
    routeAndSend(ex);
  }

  /** Sends the request again as the client sent it, but without validators: nothing is stored. */
  private void refetch(Exchange ex) {
    ex.refetch = false;
    ex.revalidating = null;
    ex.restoreClientHeaders();
    ex.request.headers().remove(HttpHeaderNames.IF_NONE_MATCH)
        .remove(HttpHeaderNames.IF_MODIFIED_SINCE);
    routeAndSend(ex);
  }

  void followerDone(Exchange ex) {
    ex.follower = null;
    ex.action = CacheAction.TCP_HIT;
    completeExchange(ex);
  }

  /** The download this client followed broke off after its head was sent: end the connection. */
  void followerBroken(Exchange ex) {
    ex.follower = null;
    log(ex, CacheAction.TCP_MISS);
    exchange = null;
    closing = true;
    client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * The download this client waited for is not stored: fetch the response for it alone. When that
   * download failed (the origin or every uplink down) and a copy is stored, validate the copy
   * alone: it is served if the origin fails again and the rules allow a stale answer, as it was to
   * the client that led.
   */
  void followerFetches(Exchange ex, boolean leaderFailed) {
    ex.follower = null;
    if (ex != exchange) {
      return;
    }
    CachedObject stored = leaderFailed ? proxy.cache().find(ex.cacheUrl, ex.request.headers()) : null;
    if (stored != null) {
      ex.validate(stored);
    }
    routeAndSend(ex);
  }

  /** The stored response this client waited on was confirmed by the origin: look it up again. */
  void followerLooksAgain(Exchange ex) {
    ex.follower = null;
    if (ex != exchange) {
      return;
    }
    CachedObject stored = proxy.cache().find(ex.cacheUrl, ex.request.headers());
    if (stored == null) {
      followerFetches(ex, false);
      return;
    }
    serveStored(ex, stored, CacheAction.TCP_REFRESH_UNMODIFIED);
  }

  /** {@code PURGE url}: removes the URL from the cache, for the admin's addresses only. */
  private void purge(Exchange ex) {
    ex.requestDone = !ex.requestHasBody;
    boolean keep = ex.clientKeepAlive && ex.requestDone;
    InetSocketAddress remote = (InetSocketAddress) client.channel().remoteAddress();
    if (!proxy.admins().allows(remote.getAddress())) {
      replyFor(ex, HttpResponseStatus.FORBIDDEN, "PURGE is allowed only from the admin's addresses"
          + " (admin.allow)", CacheAction.TCP_DENIED, keep);
      return;
    }
    String url = CacheKey.of(ex.target.host(), ex.target.port(), ex.target.path());
    boolean removed = proxy.cache() != null && proxy.cache().purge(url);
    replyFor(ex, removed ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
        removed ? url + " was removed from the cache" : url + " is not in the cache",
        CacheAction.TAG_NONE, keep);
  }

  // ---- answers from the gateway itself ------------------------------------------------------

  private void reply(HttpRequest req, RequestTarget target, long start, HttpResponseStatus status,
      String why, CacheAction action, boolean keepAlive) {
    reply(req, target, start, status, why, action, keepAlive, null);
  }

  /** An answer of the gateway's own; {@code rule} names the access rule or limit behind it, if any. */
  private void reply(HttpRequest req, RequestTarget target, long start, HttpResponseStatus status,
      String why, CacheAction action, boolean keepAlive, String rule) {
    RequestTarget t = target != null ? target : new RequestTarget("-", 0, "");
    Exchange ex = new Exchange(req, t, start, keepAlive);
    ex.requestDone = !hasBody(req);
    ex.rule = rule;
    replyFor(ex, status, why, action, keepAlive && ex.requestDone);
  }

  private void replyFor(Exchange ex, HttpResponseStatus status, String why, CacheAction action,
      boolean keepAlive) {
    replyFor(ex, status, why, action, keepAlive, null);
  }

  private void replyFor(Exchange ex, HttpResponseStatus status, String why, CacheAction action,
      boolean keepAlive, String location) {
    keepAlive = keepAlive && !pipelined.lastTaken();
    HttpResponse page = ErrorPage.create(client.alloc(), status, why, keepAlive);
    if (location != null) {
      page.headers().set(HttpHeaderNames.LOCATION, location);
    }
    ex.status = status.code();
    ex.contentType = page.headers().get(HttpHeaderNames.CONTENT_TYPE);
    ex.bytesSent = ResponseHeads.size(page) + ((HttpContent) page).content().readableBytes();
    if (action == CacheAction.TAG_NONE || action == CacheAction.TCP_DENIED
        || action == CacheAction.TCP_REDIRECT) {
      ex.uplink = null;
    }
    log(ex, action, logUrl(ex));
    log.debug("{} {} {}: {} {}", clientAddress, ex.request.method(), ex.request.uri(), status.code(), why);
    ChannelFuture f = client.writeAndFlush(page);
    if (!keepAlive) {
      closing = true;
      f.addListener(closer());
      return;
    }
    nextRequest();
  }

  /** The PAC file, answered here (see {@link PacRequest}); logged TAG_NONE/200 without an uplink. */
  private void answerPac(HttpRequest req, long now) {
    InetSocketAddress local = (InetSocketAddress) client.channel().localAddress();
    boolean keep = HttpUtil.isKeepAlive(req) && !hasBody(req) && !proxy.isDraining();
    Exchange ex = new Exchange(req, new RequestTarget(local.getAddress().getHostAddress(), local.getPort(),
        req.uri()), now, keep);
    ex.requestDone = !hasBody(req);
    HttpResponse pac = PacRequest.response(req, proxy, local, client.alloc());
    HttpUtil.setKeepAlive(pac, keep);
    ex.status = 200;
    ex.contentType = pac.headers().get(HttpHeaderNames.CONTENT_TYPE);
    ex.bytesSent = ResponseHeads.size(pac) + ((HttpContent) pac).content().readableBytes();
    log(ex, CacheAction.TAG_NONE);
    ChannelFuture f = client.writeAndFlush(pac);
    if (!keep) {
      closing = true;
      f.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    nextRequest();
  }

  private java.net.InetAddress clientAddressOf() {
    return ((InetSocketAddress) client.channel().remoteAddress()).getAddress();
  }

  private String logUrl(Exchange ex) {
    if (ex.target.port() == 0) {
      return ex.request.uri();
    }
    return ex.target.logUrl(ex.request.method().equals(HttpMethod.CONNECT));
  }

  private void log(Exchange ex, CacheAction action) {
    log(ex, action, ex.target.logUrl(false));
  }

  private void log(Exchange ex, CacheAction action, String url) {
    if (ex.logged) {
      return;
    }
    ex.logged = true;
    if (ex.cacheUrl != null && CacheKey.lookedUp(ex.request.method())) {
      proxy.cache().counters().count(action, ex.bytesSent);
    }
    proxy.accessLog().record(ex.record(clientAddress, proxy.clock().getAsLong(), action, url));
  }

  // ---- connection events --------------------------------------------------------------------

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      // The client sent all it will send: answer what is in flight, then close.
      inputShut = true;
      if (tunnelling) {
        // The end of the client's data belongs to the tunnel: handlerRemoved passes it on.
        return;
      }
      if (exchange == null && pipelined.isEmpty()) {
        ctx.close();
      }
      return;
    }
    if (evt == DrainEvent.INSTANCE) {
      if (exchange == null && pipelined.isEmpty() && !tunnelling) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (responseCheck != null) {
      responseCheck.cancel(false);
      responseCheck = null;
    }
    Exchange ex = exchange;
    exchange = null;
    if (ex != null) {
      ex.cancelResponseTimer();
      ex.releaseEarlyBody();
      // Others fed from this client's download keep it going: it carries on without this client.
      OrphanedFill.takeOver(ex);
      ex.abandonFill();
      if (ex.follower != null) {
        ex.follower.stop();
      }
      Channel up = ex.upstream;
      if (up != null) {
        OriginResponseHandler.of(up).unbind();
        up.close();
      }
      log(ex, ex.action);
    }
    pipelined.releaseAll();
    Object o;
    while ((o = earlyTunnelData.poll()) != null) {
      ReferenceCountUtil.release(o);
    }
    ctx.fireChannelInactive();
  }

  /**
   * Replaced by the tunnel relay: hand it the bytes, and the end of input, that came before it was
   * there (after a replace, the pipeline links this handler's context to the relay).
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    ByteBuf b;
    if (!tunnelling || !ctx.channel().isActive()) {
      while ((b = earlyTunnelData.poll()) != null) {
        b.release();
      }
      return;
    }
    while ((b = earlyTunnelData.poll()) != null) {
      ctx.fireChannelRead(b);
    }
    ctx.fireChannelReadComplete();
    if (inputShut) {
      ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {}: {}", clientAddress, cause.toString());
    ctx.close();
  }

  // ---- small rules ----------------------------------------------------------------------------

  /**
   * How the connection ends after an answer: at once, or, when the client may still be sending
   * (pipelined requests were turned away), by a lingering close that does not reset it.
   */
  private ChannelFutureListener closer() {
    return pipelined.full() ? LingeringClose.AFTER_WRITE : ChannelFutureListener.CLOSE;
  }

  static boolean hasBody(HttpRequest req) {
    return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
  }

  private static boolean isIdempotent(HttpMethod m) {
    return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
        || m.equals(HttpMethod.TRACE) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE);
  }

  /** Trailer fields are dropped (RFC 9110 6.5.1 lets a recipient discard them). */
  private static HttpContent stripTrailers(HttpContent c) {
    if (c instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
      HttpContent plain = new io.netty.handler.codec.http.DefaultLastHttpContent(last.content());
      return plain;
    }
    return c;
  }

  /** Fired into every client pipeline when the gateway starts to stop. */
  public enum DrainEvent {
    INSTANCE
  }
}

package gateway.app.admin;

import gateway.core.net.Cidr;
import gateway.proxy.pac.ProxyPac;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one admin request: {@code /} (the status page), {@code /api/status} (JSON, see {@link
 * StatusDocument}), {@code /metrics} (Prometheus text), {@code /proxy.pac} and {@code /wpad.dat}.
 *
 * <p>Who may ask: loopback always. Another machine only with the {@code admin.token}, as {@code
 * Authorization: Bearer <token>} or, for a browser opening the page, {@code ?token=<token>} (the
 * page passes it on to its own requests); without it, 401. The PAC file is for every browser and
 * needs no token. (Without a token the config allows only a loopback {@code admin.listen}.)
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  private final Supplier<AdminServer.View> view;
  // The view in force, taken afresh for each request: a reload may change the token and the
  // sources.
  private AdminSources sources;
  private AdminMetrics metrics;
  private final StatusPage page;
  private Optional<byte[]> token;

  AdminHandler(Supplier<AdminServer.View> view, StatusPage page) {
    this.view = view;
    this.page = page;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    AdminServer.View now = view.get();
    sources = now.sources();
    metrics = now.metrics();
    token = now.token().map(t -> t.getBytes(StandardCharsets.UTF_8));
    if (!req.decoderResult().isSuccess()) {
      send(ctx, req, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
      return;
    }
    boolean keep = HttpUtil.isKeepAlive(req);
    if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
      FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
      r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, req, r, keep);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    if (ProxyPac.isPacPath(path)) {
      send(ctx, req, pac(ctx), keep);
      return;
    }
    if (!authorized(ctx, req, uri)) {
      FullHttpResponse r =
          text(
              HttpResponseStatus.UNAUTHORIZED,
              "from another machine the admin listener needs the admin.token\n");
      r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"gateway\"");
      send(ctx, req, r, keep);
      return;
    }
    FullHttpResponse r;
    switch (path) {
      case "/", "/index.html" ->
          r =
              body(
                  HttpResponseStatus.OK,
                  "text/html; charset=utf-8",
                  page.render(StatusDocument.build(sources)));
      case "/api/status" ->
          r =
              body(
                  HttpResponseStatus.OK,
                  "application/json",
                  Json.write(StatusDocument.build(sources)));
      case "/metrics" ->
          r = body(HttpResponseStatus.OK, AdminMetrics.CONTENT_TYPE, metrics.scrape());
      default ->
          r =
              text(
                  HttpResponseStatus.NOT_FOUND,
                  "not found; try /, /api/status, /metrics, /proxy.pac\n");
    }
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    send(ctx, req, r, keep);
  }

  private boolean authorized(
      ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
    InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    if (peer.isLoopbackAddress()) {
      return true;
    }
    if (token.isEmpty()) {
      return false;
    }
    String given = null;
    String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = auth.substring(7).trim();
    } else {
      List<String> q = uri.parameters().get("token");
      given = q == null || q.isEmpty() ? null : q.get(0);
    }
    // Constant time: how much of a guess matched must not show in the answer's timing.
    return given != null
        && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.get());
  }

  /**
   * The PAC file for a browser that reached the admin port: the proxy at the listen address, or,
   * when the proxy listens on every address, at the address this browser reached the box at.
   */
  private FullHttpResponse pac(ChannelHandlerContext ctx) {
    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
    InetAddress host;
    try {
      InetAddress listen = InetAddress.getByName(sources.config().listen().host());
      host = listen.isAnyLocalAddress() ? local.getAddress() : listen;
    } catch (UnknownHostException e) {
      host = local.getAddress();
    }
    List<Cidr> lan = sources.config().clientsAllow();
    String script =
        ProxyPac.script(
            new InetSocketAddress(host, sources.proxyAddress().getPort()),
            lan,
            sources.config().pac().directFallback());
    FullHttpResponse r = body(HttpResponseStatus.OK, ProxyPac.CONTENT_TYPE, script);
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=300");
    return r;
  }

  private static FullHttpResponse text(HttpResponseStatus status, String s) {
    return body(status, "text/plain; charset=utf-8", s);
  }

  private static FullHttpResponse body(HttpResponseStatus status, String type, String s) {
    ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, b);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .set(HttpHeaderNames.CONTENT_LENGTH, b.readableBytes())
        .set("X-Content-Type-Options", "nosniff");
    return r;
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r, boolean keep) {
    if (req.method().equals(HttpMethod.HEAD)) {
      r.content().clear(); // Content-Length stays: that of the GET
    }
    HttpUtil.setKeepAlive(r, keep);
    var f = ctx.writeAndFlush(r);
    if (!keep) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("admin connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}

package gateway.proxy.tunnel;

import gateway.proxy.ProxyContext;
import gateway.proxy.access.AccessRules;
import gateway.proxy.admission.DestinationRules;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.upstream.Connection;
import gateway.proxy.upstream.Route;
import gateway.proxy.upstream.UpstreamFailure;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Turns a client connection that asked for CONNECT into a byte tunnel: route and connect upstream,
 * answer {@code 200 Connection established}, take the HTTP handlers out of the client pipeline (a
 * phase change is a pipeline change) and hand the two connections to {@link TunnelSplice}, which
 * relays the bytes.
 */
public final class ConnectTunnel {
  /**
   * Tells the HTTP side why the tunnel could not be opened, so it answers with an error page;
   * {@code rule} names the access rule behind a 403, if one is.
   */
  @FunctionalInterface
  public interface Failure {
    void failed(
        HttpRequest req,
        RequestTarget target,
        long start,
        HttpResponseStatus status,
        String why,
        String uplink,
        String rule);
  }

  private final ProxyContext proxy;
  private final ChannelHandlerContext client;
  private final HttpRequest request;
  private final RequestTarget target;
  private final long start;
  private final Failure failure;

  public ConnectTunnel(
      ProxyContext proxy,
      ChannelHandlerContext client,
      HttpRequest request,
      RequestTarget target,
      long start,
      Failure failure) {
    this.proxy = proxy;
    this.client = client;
    this.request = request;
    this.target = target;
    this.start = start;
    this.failure = failure;
  }

  public void start() {
    InetSocketAddress remote = (InetSocketAddress) client.channel().remoteAddress();
    proxy
        .router()
        .route(client.channel().eventLoop(), remote, target.host(), target.port())
        .addListener(this::routed);
  }

  private void routed(Future<?> f) {
    if (!client.channel().isActive()) {
      return;
    }
    if (!f.isSuccess()) {
      fail(f.cause(), null);
      return;
    }
    Route route = (Route) f.getNow();
    if (proxy.loopGuard().isSelf(route.origin().getAddress(), route.origin().getPort())) {
      failure.failed(
          request,
          target,
          start,
          HttpResponseStatus.FORBIDDEN,
          "forwarding loop: " + target.hostHeader(-1) + " is this gateway itself",
          null,
          null);
      return;
    }
    InetAddress origin = route.origin().getAddress();
    Optional<AccessRules.Deny> denied =
        DestinationRules.refusal(
            proxy,
            ((InetSocketAddress) client.channel().remoteAddress()).getAddress(),
            request,
            target,
            true,
            origin,
            start);
    if (denied.isPresent()) {
      failure.failed(
          request,
          target,
          start,
          HttpResponseStatus.FORBIDDEN,
          DestinationRules.why(target, origin, denied.get().rule()),
          null,
          denied.get().rule());
      return;
    }
    long idle = proxy.config().timeouts().idle().toMillis();
    proxy
        .connector()
        .connect(client.channel().eventLoop(), route, uplink -> TunnelSplice.upstreamHandlers(idle))
        .addListener(
            f2 -> {
              if (!f2.isSuccess()) {
                fail(f2.cause(), route.uplinkName());
                return;
              }
              Connection conn = (Connection) f2.getNow();
              if (!client.channel().isActive()) {
                conn.channel().close();
                return;
              }
              established(conn.channel(), conn.uplinkName());
            });
  }

  private void established(Channel upstream, String uplink) {
    Channel down = client.channel();
    ChannelPipeline p = client.pipeline();
    // ClientHandler took the request decoder out when it accepted the CONNECT; the encoder sends
    // the 200.
    HttpServerCodec codec = p.get(HttpServerCodec.class);
    DefaultFullHttpResponse ok =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Connection established"));
    ok.headers().remove("content-length");
    client
        .writeAndFlush(ok)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    upstream.close();
                    return;
                  }
                  TunnelLog log =
                      new TunnelLog(
                          proxy.accessLog(),
                          proxy.clock(),
                          start,
                          ((InetSocketAddress) down.remoteAddress()).getAddress().getHostAddress(),
                          target.hostHeader(-1),
                          uplink);
                  codec.removeOutboundHandler();
                  p.remove(codec);
                  TunnelSplice.start(client, upstream, uplink, log);
                });
  }

  private void fail(Throwable cause, String uplink) {
    UpstreamFailure f = UpstreamFailure.of(cause, target.host(), target.hostHeader(-1));
    failure.failed(request, target, start, f.status(), f.reason(), uplink, null);
  }
}

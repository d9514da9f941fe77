package gateway.proxy.tunnel;

import gateway.proxy.ProxyContext;
import gateway.proxy.access.AccessRules;
import gateway.proxy.admission.DestinationRules;
import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.limit.Bandwidth;
import gateway.proxy.limit.ReadGate;
import gateway.proxy.limit.Throttle;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.upstream.Connection;
import gateway.proxy.upstream.Route;
import gateway.proxy.upstream.UpstreamFailure;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
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
 * phase change is a pipeline change) and put a relay on each side: {@link SpliceRelay} where both
 * sockets are epoll sockets, {@link TunnelRelay} otherwise.
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
        .connect(client.channel().eventLoop(), route, uplink -> idleTimeout(idle))
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

  private static ChannelInitializer<Channel> idleTimeout(long millis) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new ReadGate(), new IdleTimeout(millis));
      }
    };
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
                  // The client's limits each way, with the uplink's share now that it is known:
                  // download on the
                  // upstream connection's reads, upload on the client's (before a splice takes them
                  // over).
                  Bandwidth.Share share = Bandwidth.of(down);
                  if (share != null) {
                    ReadGate.of(upstream).use(share.download(upstream.eventLoop(), uplink));
                    ReadGate.of(down).use(share.upload(down.eventLoop(), uplink));
                  }
                  // Splicing needs both sockets on one event loop: the upstream was opened on the
                  // client's.
                  if (down instanceof AbstractEpollStreamChannel d
                      && upstream instanceof AbstractEpollStreamChannel u
                      && d.eventLoop() == u.eventLoop()) {
                    splice(d, u, log);
                  } else {
                    relay(down, upstream, log);
                  }
                });
  }

  /**
   * Linux epoll: splice(2) both ways, the bytes stay in the kernel. The upstream socket carries
   * only the tunnel, so its kernel counters are the tunnel's byte count. Replacing the HTTP handler
   * hands the relay what the client sent after its CONNECT head: it goes first.
   */
  private void splice(
      AbstractEpollStreamChannel down, AbstractEpollStreamChannel upstream, TunnelLog log) {
    // Spliced bytes bypass the pipeline: the relays take over the limits from the read gates.
    Throttle downloadLimit = handOver(upstream);
    Throttle uploadLimit = handOver(down);
    upstream.pipeline().addLast("tunnel", new SpliceRelay(down, log, true, downloadLimit));
    client
        .pipeline()
        .replace(client.handler(), "tunnel", new SpliceRelay(upstream, log, false, uploadLimit));
    down.config().setRecvByteBufAllocator(SPLICE_READS);
    upstream.config().setRecvByteBufAllocator(SPLICE_READS);
    SpliceRelay.start(down, upstream, uploadLimit);
    SpliceRelay.start(upstream, down, downloadLimit);
  }

  private static Throttle handOver(Channel ch) {
    ReadGate gate = ReadGate.of(ch);
    return gate == null ? null : gate.handOver();
  }

  /** Any other transport: relay buffers through user space. */
  private void relay(Channel down, Channel upstream, TunnelLog log) {
    client.pipeline().replace(client.handler(), "tunnel", new TunnelRelay(upstream, log));
    upstream.pipeline().addLast("tunnel", new TunnelRelay(down, log));
    forBulk(down);
    forBulk(upstream);
    TunnelRelay.readMore(down);
    TunnelRelay.readMore(upstream);
  }

  /**
   * A tunnel carries bulk bytes (downloads, uploads over TLS): larger reads and a deeper write
   * queue than HTTP heads need mean fewer system calls per megabyte. Still bounded: at most 4 MiB
   * waits for a slow side before the other side stops being read.
   */
  private static void forBulk(Channel ch) {
    if (!ReadGate.limits(ch)) {
      // A limited side reads one quantum at a time: its read gate caps the reads.
      ch.config().setRecvByteBufAllocator(TUNNEL_READS);
    }
    ch.config().setWriteBufferWaterMark(TUNNEL_QUEUE);
  }

  private static final AdaptiveRecvByteBufAllocator TUNNEL_READS =
      new AdaptiveRecvByteBufAllocator(4096, 64 * 1024, 1024 * 1024);

  /**
   * Netty splices at most the allocator's guess per read event; an adaptive guess would shrink on
   * the zero-byte splices that end each event. The pipe (64 KiB) is the real limit.
   */
  private static final FixedRecvByteBufAllocator SPLICE_READS =
      new FixedRecvByteBufAllocator(1024 * 1024);

  private static final WriteBufferWaterMark TUNNEL_QUEUE =
      new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);

  private void fail(Throwable cause, String uplink) {
    UpstreamFailure f = UpstreamFailure.of(cause, target.host(), target.hostHeader(-1));
    failure.failed(request, target, start, f.status(), f.reason(), uplink, null);
  }
}

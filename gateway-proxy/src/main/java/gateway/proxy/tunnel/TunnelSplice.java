package gateway.proxy.tunnel;

import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.limit.Bandwidth;
import gateway.proxy.limit.ReadGate;
import gateway.proxy.limit.Throttle;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.AbstractEpollStreamChannel;

/**
 * The byte phase of a tunnel, once the client and the upstream connection are both up (a CONNECT
 * answered, or an intercepted connection): the client's bandwidth shares each way with the uplink
 * now known, then a relay on each side: {@link SpliceRelay} where both sockets are epoll sockets on
 * one loop, {@link TunnelRelay} otherwise.
 *
 * <p>The relay takes the place of the client-side handler that owned the connection until now:
 * replacing it hands the relay what that handler still holds (bytes the client sent before the
 * tunnel was up, its end of input), which then goes upstream first, ahead of everything relayed
 * after it.
 */
public final class TunnelSplice {
  private TunnelSplice() {}

  /**
   * What an upstream connection of a tunnel carries from its connect on: a read gate (the client's
   * download limit, set once the tunnel starts) and the idle timeout.
   */
  public static ChannelHandler upstreamHandlers(long idleMillis) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new ReadGate(), new IdleTimeout(idleMillis));
      }
    };
  }

  /**
   * Relays {@code owner}'s channel (the client) and {@code upstream} into each other until both
   * ended; {@code log} writes the line when they did.
   *
   * @param owner the context of the client-side handler the relay replaces
   * @param upstream the connection to the destination, opened on the client's event loop
   * @param uplink the name of the uplink that carries it (for the bandwidth shares)
   */
  public static void start(
      ChannelHandlerContext owner, Channel upstream, String uplink, TunnelLog log) {
    Channel down = owner.channel();
    // The client's limits each way, with the uplink's share now that it is known: download on the
    // upstream connection's reads, upload on the client's (before a splice takes them over).
    Bandwidth.Share share = Bandwidth.of(down);
    if (share != null) {
      ReadGate.of(upstream).use(share.download(upstream.eventLoop(), uplink));
      ReadGate.of(down).use(share.upload(down.eventLoop(), uplink));
    }
    // Splicing needs both sockets on one event loop: the upstream was opened on the client's.
    if (down instanceof AbstractEpollStreamChannel d
        && upstream instanceof AbstractEpollStreamChannel u
        && d.eventLoop() == u.eventLoop()) {
      splice(owner, d, u, log);
    } else {
      relay(owner, down, upstream, log);
    }
  }

  /**
   * Linux epoll: splice(2) both ways, the bytes stay in the kernel. The upstream socket carries
   * only the tunnel, so its kernel counters are the tunnel's byte count. Replacing the owner hands
   * the relay what the client sent before: it goes first.
   */
  private static void splice(
      ChannelHandlerContext owner,
      AbstractEpollStreamChannel down,
      AbstractEpollStreamChannel upstream,
      TunnelLog log) {
    // Spliced bytes bypass the pipeline: the relays take over the limits from the read gates.
    Throttle downloadLimit = handOver(upstream);
    Throttle uploadLimit = handOver(down);
    upstream.pipeline().addLast("tunnel", new SpliceRelay(down, log, true, downloadLimit));
    owner
        .pipeline()
        .replace(owner.handler(), "tunnel", new SpliceRelay(upstream, log, false, uploadLimit));
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
  private static void relay(
      ChannelHandlerContext owner, Channel down, Channel upstream, TunnelLog log) {
    owner.pipeline().replace(owner.handler(), "tunnel", new TunnelRelay(upstream, log));
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
}

package gateway.proxy.intercept;

import gateway.proxy.ProxyContext;
import gateway.proxy.sniff.ClientHello;
import gateway.proxy.sniff.FirstBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads an intercepted connection's first bytes to see what it carries, then hands it on: a TLS
 * ClientHello is read for its server name (SNI) and goes on under that name; an HTTP request goes
 * to {@link #interceptedHttp}; anything else goes on by address. Nothing is changed: every byte
 * read goes upstream first, ahead of the rest of the connection.
 *
 * <p>Bounded in size and time: at most {@code sni-max} bytes are asked for (one read may bring a
 * little more), copied into an array of this handler's own as they come (each read's buffer is
 * released at once, so no buffer is held while the connection waits), and one timer of {@code
 * sni-timeout} runs from the accept. A hello that has not come whole by then, is larger than {@code
 * sni-max} or is malformed (a record or a server name that breaks the rules) goes on by address,
 * unless a rule on names could deny this client's connection ({@link
 * InterceptedTunnel#startUnnamed}): it could otherwise pass a domain deny by being slow or large. A
 * client that sent nothing at all is taken the same way: it could send its hello right after.
 *
 * <p>Server-first protocols ({@link #SERVER_FIRST_PORTS}) go on at once, unread: their client sends
 * nothing before the server's greeting, so waiting would only delay every connection by {@code
 * sni-timeout}. Rules on names do not apply to them (rules on addresses do).
 *
 * <p>The bytes read, and the client's end of input if it came, are handed to the relay that
 * replaces this handler (see {@link #handlerRemoved}). Bytes that arrive while the connection is
 * being carried on (at its end of input Netty reads the socket to its end, whatever was asked) join
 * them.
 */
final class FirstBytesHandler extends ChannelInboundHandlerAdapter {
  /**
   * Ports whose server speaks first: FTP (21), SMTP (25), NNTP (119), POP3 (110), IMAP (143),
   * submission (587), MySQL (3306), VNC (5900). Their clients wait for the greeting.
   */
  static final Set<Integer> SERVER_FIRST_PORTS = Set.of(21, 25, 110, 119, 143, 587, 3306, 5900);

  private final ProxyContext proxy;
  private final InterceptSettings settings;
  private final InetSocketAddress destination;
  private final long start;

  private byte[] prefix = new byte[0];
  private int length;
  private ScheduledFuture<?> timer;
  private boolean decided;
  private boolean inputShut;

  /**
   * @param destination where the client was going
   * @param start when the connection was accepted (epoch ms)
   */
  FirstBytesHandler(
      ProxyContext proxy, InterceptSettings settings, InetSocketAddress destination, long start) {
    this.proxy = proxy;
    this.settings = settings;
    this.destination = destination;
    this.start = start;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.fireChannelActive();
    if (SERVER_FIRST_PORTS.contains(destination.getPort())) {
      decide(ctx).start(null);
      return;
    }
    timer =
        ctx.executor()
            .schedule(() -> timedOut(ctx), settings.sniTimeout().toNanos(), TimeUnit.NANOSECONDS);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf b) || prefix == null) {
      // Not bytes, or the connection is closing.
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      append(b);
    } finally {
      b.release();
    }
    if (!decided) {
      sniff(ctx);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!decided) {
      ctx.read();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      inputShut = true;
      if (!decided) {
        // The client will send no more: what came is all there is to read.
        ended(ctx);
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void append(ByteBuf b) {
    int n = b.readableBytes();
    if (length + n > prefix.length) {
      prefix = Arrays.copyOf(prefix, Math.max(length + n, Math.min(2 * prefix.length, 1 << 20)));
    }
    b.readBytes(prefix, length, n);
    length += n;
  }

  /** What the bytes so far say; reads on while they are not enough and the bound allows. */
  private void sniff(ChannelHandlerContext ctx) {
    switch (FirstBytes.classify(prefix, length)) {
      case HTTP -> interceptedHttp(ctx);
      case OTHER -> decide(ctx).start(null);
      case TLS -> hello(ctx);
      case NEED_MORE -> {
        if (length >= settings.sniMax()) {
          decide(ctx).start(null);
        }
      }
    }
  }

  private void hello(ChannelHandlerContext ctx) {
    ClientHello.Result r = ClientHello.read(prefix, length, settings.sniMax());
    if (r instanceof ClientHello.Sni sni) {
      decide(ctx).start(sni.name());
    } else if (r instanceof ClientHello.NoSni) {
      decide(ctx).start(null);
    } else if (r instanceof ClientHello.NotTls
        || r instanceof ClientHello.TooLarge
        || length >= settings.sniMax()) {
      // A hello whose name breaks the rules is no honest hello without one: its name is unknown.
      decide(ctx).startUnnamed();
    }
    // NeedMore within the bound: read on.
  }

  /**
   * An HTTP/1.x request line came first: the HTTP path takes the connection over here (its request,
   * checked against the destination, with access rules, the cache and its own log line). Until then
   * it goes on like any other bytes, by address.
   */
  private void interceptedHttp(ChannelHandlerContext ctx) {
    decide(ctx).start(null);
  }

  /** The client ended its output before its first bytes said what it carries. */
  private void ended(ChannelHandlerContext ctx) {
    if (length == 0 || FirstBytes.classify(prefix, length) != FirstBytes.Kind.OTHER) {
      decide(ctx).startUnnamed();
    } else {
      decide(ctx).start(null);
    }
  }

  private void timedOut(ChannelHandlerContext ctx) {
    if (!decided && ctx.channel().isActive()) {
      decide(ctx).startUnnamed();
    }
  }

  /** Stops reading and timing: from here the connection is carried on. */
  private InterceptedTunnel decide(ChannelHandlerContext ctx) {
    decided = true;
    cancelTimer();
    return new InterceptedTunnel(proxy, ctx, destination, start);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    prefix = null;
    ctx.fireChannelInactive();
  }

  /**
   * Replaced by the tunnel's relay: hand it the bytes read, then the end of input if it came (after
   * a replace, the pipeline links this handler's context to the relay). Removed as the connection
   * closes: the bytes are dropped.
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
    byte[] read = prefix;
    prefix = null;
    if (!ctx.channel().isActive() || read == null) {
      return;
    }
    if (length > 0) {
      ctx.fireChannelRead(Unpooled.wrappedBuffer(read, 0, length));
    }
    ctx.fireChannelReadComplete();
    if (inputShut) {
      ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}

package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;

/**
 * {@code http://host[:port]/path[#status]}: sends one {@code GET} over plain HTTP/1.1 and reads
 * only the status line (at most {@value #MAX_STATUS_LINE} bytes; headers and body are never read,
 * the connection is closed). Passes on 2xx or 3xx, or exactly on the status the target names. The
 * RTT runs from sending the request to receiving the status line.
 */
final class HttpProbe implements Probe {
  static final int MAX_STATUS_LINE = 1024;

  private final ProbeTarget.Http target;
  private final ProbeContext context;
  private final byte[] request;

  HttpProbe(ProbeTarget.Http target, ProbeContext context) {
    this.target = target;
    this.context = context;
    String host = target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host();
    if (target.port() != 80) {
      host += ":" + target.port();
    }
    this.request =
        ("GET "
                + target.path()
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\nUser-Agent: gateway-health\r\nAccept: */*\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public ProbeTarget target() {
    return target;
  }

  @Override
  public Future<TargetResult> run(Uplink uplink, EventLoop loop) {
    Attempt attempt = new Attempt(loop, target.text(), context);
    ChannelInitializer<SocketChannel> init =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(
                    new LineBasedFrameDecoder(MAX_STATUS_LINE, true, true),
                    new StatusLine(attempt));
          }
        };
    loop.execute(
        () ->
            UplinkSockets.resolve(
                attempt,
                target.host(),
                target.port(),
                context,
                remote ->
                    UplinkSockets.connect(
                        attempt, uplink, remote, context.timeoutMillis(), init, () -> {})));
    return attempt.future();
  }

  /** Sends the request once connected; judges the first line of the response. */
  private final class StatusLine extends SimpleChannelInboundHandler<ByteBuf> {
    private final Attempt attempt;

    StatusLine(Attempt attempt) {
      this.attempt = attempt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      attempt.startClock();
      ctx.writeAndFlush(Unpooled.wrappedBuffer(request))
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  attempt.fail(f.cause());
                }
              });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
      String status = line.toString(StandardCharsets.ISO_8859_1);
      String[] parts = status.split(" ", 3);
      int code;
      try {
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || parts[1].length() != 3) {
          throw new NumberFormatException();
        }
        code = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        attempt.fail("not an HTTP status line");
        return;
      }
      boolean ok =
          target.expectStatus().isPresent()
              ? code == target.expectStatus().getAsInt()
              : code >= 200 && code < 400;
      if (ok) {
        attempt.passed();
      } else {
        attempt.fail("status " + code);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      attempt.fail("closed before the status line");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException) {
        attempt.fail("status line too long");
      } else {
        attempt.fail(cause);
      }
    }
  }
}

package gateway.proxy.testing;

import gateway.proxy.ProxyContext;
import gateway.proxy.channel.IdleTimeout;
import gateway.proxy.http.InterceptedHttp;
import gateway.proxy.limit.Bandwidth;
import gateway.proxy.limit.ReadGate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A listener on loopback that stands in for the transparent one: each connection it accepts is
 * taken to have been made to {@code originalDestination} (as TPROXY would make its local address),
 * gets the read gate, bandwidth share and idle timeout an intercepted connection has, and its first
 * read is handed to {@link InterceptedHttp#takeOver}. No root and no TPROXY needed.
 */
public final class InterceptedListener implements AutoCloseable {
  private final Channel listener;

  private InterceptedListener(RunningProxy proxy, InetSocketAddress originalDestination)
      throws InterruptedException {
    ProxyContext context = proxy.context();
    listener =
        new ServerBootstrap()
            .group(proxy.group())
            .channel(proxy.transport().serverChannel())
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    InetAddress client = ((InetSocketAddress) ch.remoteAddress()).getAddress();
                    Bandwidth.Share share = context.policies().bandwidth().open(client);
                    share.attach(ch);
                    ReadGate gate = new ReadGate();
                    ch.pipeline()
                        .addLast(
                            gate,
                            new IdleTimeout(context.config().timeouts().idle().toMillis()),
                            new FirstRead(context, originalDestination));
                    gate.use(share.upload(ch.eventLoop()));
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  /** Intercepts into {@code proxy} connections taken to be made to {@code originalDestination}. */
  public static InterceptedListener start(RunningProxy proxy, InetSocketAddress originalDestination)
      throws InterruptedException {
    return new InterceptedListener(proxy, originalDestination);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
  }

  /**
   * Reads once and hands what came over: the part of the first-bytes handler that concerns HTTP.
   */
  private static final class FirstRead extends ChannelInboundHandlerAdapter {
    private final ProxyContext context;
    private final InetSocketAddress originalDestination;

    FirstRead(ProxyContext context, InetSocketAddress originalDestination) {
      this.context = context;
      this.originalDestination = originalDestination;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf first) {
        InterceptedHttp.takeOver(ctx, first, originalDestination, context, 0);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}

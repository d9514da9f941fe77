package gateway.proxy.upstream;

import gateway.core.metrics.UplinkCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** First in every upstream pipeline: counts the bytes the uplink carries, each way. */
final class UplinkTraffic extends ChannelDuplexHandler {
  private final UplinkCounters.Counters counters;

  UplinkTraffic(UplinkCounters.Counters counters) {
    this.counters = counters;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      counters.received(b.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf b) {
      counters.sent(b.readableBytes());
    }
    ctx.write(msg, promise);
  }
}

package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The request-head timeout on the event loop's ticker: the test moves a mock ticker instead of
 * waiting the timeout out.
 */
class RequestHeadTimerTest {
  static final long TIMEOUT_MILLIS = 10_000;

  @Test
  void aHeadStillIncompleteWhenTheTimeoutPassesGets408AndTheConnectionCloses() {
    MockTicker ticker = Ticker.newMockTicker();
    EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker)
        .handlers(new RequestHeadTimer(TIMEOUT_MILLIS)).build();
    ch.writeInbound(Unpooled.copiedBuffer("GET http://example.org/ HTTP/1.1\r\n",
        StandardCharsets.US_ASCII));

    ticker.advance(TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).isTrue();

    ticker.advance(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    ByteBuf answer = ch.readOutbound();
    try {
      assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 408 ");
    } finally {
      answer.release();
    }
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void aHeadThatCameWholeInTimeIsNotTimedOut() {
    MockTicker ticker = Ticker.newMockTicker();
    RequestHeadTimer timer = new RequestHeadTimer(TIMEOUT_MILLIS);
    EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(timer).build();
    ch.writeInbound(Unpooled.copiedBuffer("GET http://example.org/ HTTP/1.1\r\n\r\n",
        StandardCharsets.US_ASCII));
    timer.headReceived();

    ticker.advance(TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();

    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
    ch.finishAndReleaseAll();
  }
}

package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: once a request head's first byte arrives, the whole head must arrive within {@code
 * timeouts.request-header}, else 408 and close. Time is the channel's mock ticker: the tests move
 * it, they wait for nothing. (The timer in the client pipeline, end to end: {@code TimeoutsTest}.)
 */
class RequestHeadTimerTest {
  private static final long TIMEOUT_MS = 1_000;

  private final MockTicker ticker = Ticker.newMockTicker();
  private RequestHeadTimer timer;
  private EmbeddedChannel ch;

  @BeforeEach
  void open() {
    timer = new RequestHeadTimer(TIMEOUT_MS);
    ch = EmbeddedChannel.builder().ticker(ticker).handlers(timer).build();
  }

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  @Test
  void aHeadNotCompleteWithinTheTimeoutGets408AndTheConnectionCloses() {
    bytes("GET http://origin.example/ HTTP/1.1\r\nHost: ");

    advance(TIMEOUT_MS - 1);
    assertThat(answered()).isNull();
    assertThat(ch.isOpen()).isTrue();

    advance(1);
    assertThat(answered())
        .startsWith("HTTP/1.1 408 Request Timeout\r\n")
        .endsWith("the request head did not arrive in time; try again\n");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aHeadCompleteWithinTheTimeoutGetsNoAnswer() {
    bytes("GET http://origin.example/ HTTP/1.1\r\n");
    advance(TIMEOUT_MS - 1);
    bytes("Host: origin.example\r\n\r\n");
    timer.headReceived();

    advance(10 * TIMEOUT_MS);
    assertThat(answered()).isNull();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void theTimerRunsFromTheHeadsFirstByteNotFromTheConnectionsStart() {
    advance(5 * TIMEOUT_MS);
    bytes("G");

    advance(TIMEOUT_MS - 1);
    assertThat(answered()).isNull();
    advance(1);
    assertThat(answered()).startsWith("HTTP/1.1 408 ");
  }

  @Test
  void aPauseBetweenHeadsLongerThanTheTimeoutIsNotASlowloris() {
    bytes("GET http://origin.example/one HTTP/1.1\r\nHost: origin.example\r\n\r\n");
    timer.headReceived();
    advance(TIMEOUT_MS / 2);
    timer.awaitHead(); // the response went out: the next head may begin
    advance(3 * TIMEOUT_MS / 2);
    assertThat(answered()).isNull();

    bytes("GET http://origin.example/two HTTP/1.1\r\n");
    advance(TIMEOUT_MS - 1);
    assertThat(answered()).isNull();
    advance(1);
    assertThat(answered()).startsWith("HTTP/1.1 408 ");
  }

  private void bytes(String text) {
    ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    ch.releaseInbound();
  }

  private void advance(long millis) {
    ticker.advanceMillis(millis);
    ch.runScheduledPendingTasks();
  }

  /** What the timer wrote to the client, or null. */
  private String answered() {
    ByteBuf out = ch.readOutbound();
    if (out == null) {
      return null;
    }
    try {
      return out.toString(StandardCharsets.US_ASCII);
    } finally {
      out.release();
    }
  }
}

package gateway.proxy.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection with no read and no write for the idle timeout gets one {@code ALL_IDLE} event, and
 * activity of any kind puts it off. Time is the channel's mock ticker: the tests move it, they wait
 * for nothing. (That a client connection is closed on the event: {@code TimeoutsTest}.)
 */
class IdleTimeoutTest {
  private static final long IDLE_MS = 1_000;

  private final MockTicker ticker = Ticker.newMockTicker();
  private final List<Object> events = new ArrayList<>();
  private IdleTimeout idle;
  private EmbeddedChannel ch;

  @BeforeEach
  void open() {
    idle = new IdleTimeout(IDLE_MS);
    ch =
        EmbeddedChannel.builder()
            .ticker(ticker)
            .handlers(
                idle,
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add(evt);
                  }
                })
            .build();
  }

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  @Test
  void aConnectionThatNeverSentAnythingIsIdleFromItsStart() {
    advance(IDLE_MS - 1);
    assertThat(events).isEmpty();

    advance(1);
    assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
  }

  @Test
  void aReadPutsIdlenessOffByTheWholeTimeout() {
    advance(600);
    ch.writeInbound("a request");

    advance(IDLE_MS - 1);
    assertThat(events).isEmpty();
    advance(1);
    assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
  }

  @Test
  void aWritePutsIdlenessOffByTheWholeTimeout() {
    advance(600);
    ch.writeOutbound("a response");

    advance(IDLE_MS - 1);
    assertThat(events).isEmpty();
    advance(1);
    assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
  }

  @Test
  void splicedBytesReportedByTouchCountAsActivity() {
    advance(600);
    idle.touch();

    advance(IDLE_MS - 1);
    assertThat(events).isEmpty();
    advance(1);
    assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
  }

  @Test
  void afterTheEventItWatchesTheNextIdlePeriod() {
    advance(IDLE_MS);
    advance(IDLE_MS);

    assertThat(events)
        .containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT, IdleStateEvent.ALL_IDLE_STATE_EVENT);
  }

  @Test
  void aClosedConnectionGetsNoEvent() {
    ch.close();

    advance(2 * IDLE_MS);
    assertThat(events).isEmpty();
  }

  private void advance(long millis) {
    ticker.advanceMillis(millis);
    ch.runScheduledPendingTasks();
  }
}

package gateway.proxy.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The token bucket's arithmetic and its fairness, on a fake clock with a fake scheduler. */
class TokenBucketTest {
  static final long RATE = 1_000_000; // bytes per second
  static final int READ = TokenBucket.quantumFor(RATE);

  /**
   * A fake clock with a queue of timed tasks: {@link #runFor} moves time and runs what comes due.
   */
  static final class FakeTime implements TokenBucket.Scheduler {
    record Task(long at, long seq, Runnable run) {}

    long now = 1_000_000_000L;
    long seq;
    final PriorityQueue<Task> tasks =
        new PriorityQueue<>(
            (a, b) ->
                a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.seq(), b.seq()));

    /** Runs dispatched grants at once, in order, on the caller's thread. */
    final Executor direct = Runnable::run;

    @Override
    public void schedule(Runnable task, long delayNanos) {
      tasks.add(new Task(now + delayNanos, seq++, task));
    }

    void runFor(long nanos) {
      long end = now + nanos;
      while (!tasks.isEmpty() && tasks.peek().at() <= end) {
        Task t = tasks.poll();
        now = Math.max(now, t.at());
        t.run().run();
      }
      now = end;
    }
  }

  FakeTime time = new FakeTime();

  @Test
  void aFullBucketLetsReadsGoAtOnceUntilItIsInDebt() {
    TokenBucket b = new TokenBucket(RATE, () -> time.now);
    long burst = TokenBucket.burstFor(RATE);
    int immediate = 0;
    while (b.acquire("a", READ, time.direct, time, () -> {})) {
      b.settle("a", 0, READ);
      immediate++;
    }
    assertThat(immediate).isEqualTo((int) ((burst + READ - 1) / READ));
    assertThat(b.tokens()).isLessThanOrEqualTo(0);
    assertThat(b.waiting()).isEqualTo(1);
  }

  @Test
  void tokensComeBackAtTheRateAndNeverBeyondTheBurst() {
    TokenBucket b = new TokenBucket(RATE, () -> time.now);
    b.settle("a", 0, TokenBucket.burstFor(RATE) + 500_000);
    assertThat(b.tokens()).isEqualTo(-500_000, within(0.5));

    time.runFor(250_000_000L); // a quarter second: 250,000 bytes

    assertThat(b.tokens()).isEqualTo(-250_000, within(0.5));
    time.runFor(60_000_000_000L);
    assertThat(b.tokens()).isEqualTo(TokenBucket.burstFor(RATE), within(0.5));
  }

  @Test
  void aWaitingReadGoesWhenTheDebtIsPaidAndItsReservationIsSettled() {
    TokenBucket b = new TokenBucket(RATE, () -> time.now);
    b.settle("a", 0, TokenBucket.burstFor(RATE) + 100_000); // 100,000 in debt: 0.1 s
    List<Long> grantedAt = new ArrayList<>();

    assertThat(b.acquire("a", READ, time.direct, time, () -> grantedAt.add(time.now))).isFalse();
    time.runFor(99_000_000L);
    assertThat(grantedAt).isEmpty();
    time.runFor(2_000_000L);

    assertThat(grantedAt).hasSize(1);
    assertThat(b.tokens()).as("the grant reserved a read").isLessThan(0);
    b.settle("a", READ, 1000); // the read brought only 1000 bytes
    assertThat(b.tokens())
        .isEqualTo(-1000 + (time.now - grantedAt.get(0)) * RATE / 1e9, within(2.0));
  }

  @Test
  void theRateCanChangeWhileReadersWait() {
    TokenBucket b = new TokenBucket(RATE, () -> time.now);
    b.settle("a", 0, TokenBucket.burstFor(RATE) + 10_000_000); // ten seconds in debt
    List<String> granted = new ArrayList<>();
    b.acquire("a", READ, time.direct, time, () -> granted.add("a"));

    b.setRate(0);

    assertThat(granted).as("no limit: the waiting read goes at once").containsExactly("a");
    assertThat(b.acquire("b", READ, time.direct, time, () -> {})).isTrue();
  }

  /**
   * Readers that always want more: each reads as soon as it is let go ({@code size} bytes for its
   * client, at most a quantum) and asks again at once. Returns the bytes each client got in {@code
   * seconds} of steady state.
   */
  private Map<String, Long> saturate(
      TokenBucket b, List<String> readers, ToIntFunction<String> size, double seconds) {
    Map<String, Long> got = new HashMap<>();
    for (String reader : readers) {
      ask(b, reader.substring(0, 1), size, got);
    }
    time.runFor(1_000_000_000L); // past the burst
    got.clear();
    time.runFor((long) (seconds * 1e9));
    return got;
  }

  private void ask(
      TokenBucket b, String client, ToIntFunction<String> size, Map<String, Long> got) {
    if (b.acquire(client, READ, time.direct, time, () -> read(b, client, size, got, READ))) {
      read(b, client, size, got, 0);
    }
  }

  /**
   * The read happens a little later, as on an event loop; then the reader settles and asks again.
   */
  private void read(
      TokenBucket b,
      String client,
      ToIntFunction<String> size,
      Map<String, Long> got,
      long reserved) {
    time.schedule(
        () -> {
          b.settle(client, reserved, size.applyAsInt(client));
          got.merge(client, (long) size.applyAsInt(client), Long::sum);
          ask(b, client, size, got);
        },
        200_000L);
  }

  @Test
  void clientsShareEvenlyHoweverManyConnectionsEachHas() {
    TokenBucket b = new TokenBucket(RATE, () -> time.now);

    // Client a reads over three connections, b over one, c over two.
    Map<String, Long> got = saturate(b, List.of("a1", "a2", "a3", "b1", "c1", "c2"), c -> READ, 10);

    assertEvenShares(got, 3, 10);
  }

  @Test
  void aClientWhoseReadsComeBackHalfFullStillGetsItsShareOfBytes() {
    TokenBucket b = new TokenBucket(RATE, () -> time.now);

    Map<String, Long> got =
        saturate(b, List.of("a1", "a2", "b1"), c -> c.equals("b") ? READ / 2 : READ, 10);

    assertEvenShares(got, 2, 10);
  }

  @Test
  void aClientThatWasIdleDoesNotCatchUpOnWhatItDidNotUse() {
    TokenBucket b = new TokenBucket(RATE, () -> time.now);
    Map<String, Long> alone = saturate(b, List.of("a1"), c -> READ, 5);
    assertThat(alone.get("a") / 5.0).isCloseTo(RATE, within(RATE * 0.02));

    // b comes after a has had the bucket to itself for six seconds: from now on they share evenly.
    Map<String, Long> got = new HashMap<>();
    ask(b, "b", c -> READ, got);
    time.runFor(1_000_000_000L);
    assertThat(got.get("b") / 1.0).isCloseTo(RATE / 2.0, within(RATE * 0.1));
  }

  private static void assertEvenShares(Map<String, Long> got, int clients, double seconds) {
    long total = got.values().stream().mapToLong(Long::longValue).sum();
    assertThat(got).hasSize(clients);
    assertThat(total / seconds).as("bytes per second in all").isCloseTo(RATE, within(RATE * 0.02));
    assertThat(got)
        .allSatisfy(
            (client, bytes) ->
                assertThat((double) bytes / total)
                    .as(client)
                    .isCloseTo(1.0 / clients, within(0.02)));
  }
}

package gateway.pcc.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.core.config.HealthConfig;
import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor with real probes: uplinks a (127.0.0.2) and b (127.0.0.3) probe one HTTP origin that
 * can shun b's address (close its connections without answering).
 */
class HealthMonitorTest {
  private final MultiThreadIoEventLoopGroup group = Loops.best();
  private final List<Set<String>> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void shutdown() {
    Loops.shutdown(group);
  }

  @Test
  void anUplinkGoesDownAfterDownAfterRoundsAndComesBackAfterUpAfter() throws Exception {
    try (TinyHttpOrigin origin = new TinyHttpOrigin(204)) {
      HealthConfig config =
          config(targets("http://127.0.0.1:" + origin.port() + "/generate_204"), 3, 2);
      List<Integer> shunnedAtDown = new ArrayList<>();
      List<Integer> answeredAtUp = new ArrayList<>();
      int[] answeredBefore = new int[1];
      HealthMonitor m =
          new HealthMonitor(
              config,
              uplinks(),
              group.next(),
              set -> {
                events.add(set);
                if (events.size() == 1) {
                  shunnedAtDown.add(origin.shunned("127.0.0.3"));
                } else {
                  answeredAtUp.add(origin.answered("127.0.0.3") - answeredBefore[0]);
                }
              });
      assertThat(m.available()).containsExactly("a", "b");
      m.start();
      await().atMost(5, TimeUnit.SECONDS).until(() -> origin.answered("127.0.0.3") >= 3);
      assertThat(events).isEmpty();

      origin.shun("127.0.0.3");
      await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() == 1);
      assertThat(events.get(0)).containsExactly("a");
      // Down after three failed rounds, not before; a probe slowed past its timeout on a busy
      // machine is a failed round too, so fewer than three may have been refused.
      assertThat(shunnedAtDown).singleElement().satisfies(n -> assertThat(n).isBetween(1, 3));
      UplinkState b = m.states().get("b");
      assertThat(b.state()).isEqualTo(HealthState.DOWN);
      assertThat(b.lastChange())
          .get()
          .satisfies(
              c -> {
                assertThat(c.cause()).isEqualTo("3 failed rounds in a row");
                assertThat(c.failedTargets())
                    .extracting(TargetResult::reason)
                    .containsExactly("closed before the status line");
              });
      assertThat(m.states().get("a").state()).isEqualTo(HealthState.UP);

      answeredBefore[0] = origin.answered("127.0.0.3");
      origin.welcome("127.0.0.3");
      await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() == 2);
      assertThat(events.get(1)).containsExactly("a", "b");
      // Back after two good rounds, not before (a round slowed past its timeout does not count).
      assertThat(answeredAtUp)
          .singleElement()
          .satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(2));
      assertThat(m.states().get("b").history())
          .extracting(StateChange::to)
          .containsExactly(HealthState.DOWN, HealthState.UP);
      assertThat(m.states().get("b").changes()).isEqualTo(2);
      assertThat(m.states().get("a").changes()).isZero();

      Thread.sleep(300); // a few more rounds: nothing else changes
      assertThat(events).hasSize(2);
      assertThat(m.stop().await(2, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void passiveConnectFailuresFromAnotherThreadCountAsAFailedRound() throws Exception {
    try (ServerSocket target = new ServerSocket()) {
      target.bind(new InetSocketAddress("127.0.0.1", 0), 50);
      // One round at start, then none for a minute: only passive evidence can change anything.
      HealthConfig config =
          new HealthConfig(
              targets("tcp://127.0.0.1:" + target.getLocalPort()),
              Duration.ofMinutes(1),
              Duration.ofMillis(500),
              1,
              1,
              1,
              Optional.empty(),
              Optional.empty());
      HealthMonitor m = new HealthMonitor(config, uplinks(), group.next(), events::add).start();
      await()
          .atMost(5, TimeUnit.SECONDS)
          .until(() -> m.states().values().stream().allMatch(s -> s.lastRound().isPresent()));

      m.connectOutcome("b", false, Duration.ofSeconds(10)); // one client's failure: nothing
      await().during(100, TimeUnit.MILLISECONDS).atMost(1, TimeUnit.SECONDS).until(events::isEmpty);
      for (int i = 0; i < 4; i++) {
        m.connectOutcome("b", false, Duration.ofSeconds(10));
      }
      await().atMost(2, TimeUnit.SECONDS).until(() -> events.size() == 1);
      assertThat(events.get(0)).containsExactly("a");
      assertThat(m.states().get("b").lastChange().orElseThrow().cause())
          .isEqualTo("1 failed rounds in a row (1 of them 3+ client connect failures)");
      m.connectOutcome("nosuch", false, Duration.ZERO); // unknown uplinks are ignored
      assertThat(m.stop().await(2, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void anUplinkWithTargetsOfItsOwnIsJudgedByThemAlone() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (TinyHttpOrigin origin = new TinyHttpOrigin(204)) {
      // "b" probes its own (dead) target; "a" the shared, working one.
      HealthMonitor m =
          new HealthMonitor(
                  config(targets("http://127.0.0.1:" + origin.port() + "/"), 2, 2),
                  uplinks(),
                  Map.of("b", targets("tcp://127.0.0.1:" + closed)),
                  group.next(),
                  events::add)
              .start();
      await().atMost(5, TimeUnit.SECONDS).until(() -> !events.isEmpty());
      assertThat(events.get(0)).containsExactly("a");
      assertThat(origin.answered("127.0.0.3")).isZero();
      assertThat(m.states().get("b").lastRound())
          .hasValueSatisfying(
              r ->
                  assertThat(r.targets())
                      .extracting(TargetResult::target)
                      .containsExactly("tcp://127.0.0.1:" + closed));
      assertThat(m.stop().await(2, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void stopEndsTheRounds() throws Exception {
    try (TinyHttpOrigin origin = new TinyHttpOrigin(204)) {
      HealthMonitor m =
          new HealthMonitor(
                  config(targets("http://127.0.0.1:" + origin.port() + "/"), 3, 2),
                  uplinks(),
                  group.next(),
                  events::add)
              .start();
      await().atMost(5, TimeUnit.SECONDS).until(() -> origin.answered("127.0.0.2") >= 2);
      assertThat(m.stop().await(2, TimeUnit.SECONDS)).isTrue();
      int after = origin.answered("127.0.0.2");
      Thread.sleep(200);
      assertThat(origin.answered("127.0.0.2")).isLessThanOrEqualTo(after + 1);
      assertThat(events).isEmpty();
    }
  }

  private static List<ProbeTarget> targets(String... texts) {
    return Arrays.stream(texts).map(ProbeTarget::parse).toList();
  }

  private static HealthConfig config(List<ProbeTarget> targets, int downAfter, int upAfter) {
    return new HealthConfig(
        targets,
        Duration.ofMillis(60),
        Duration.ofMillis(50),
        downAfter,
        upAfter,
        1,
        Optional.empty(),
        Optional.empty());
  }

  private static List<Uplink> uplinks() throws Exception {
    return List.of(
        ProbesTest.uplink("a", "127.0.0.2", Optional.empty()),
        ProbesTest.uplink("b", "127.0.0.3", Optional.empty()));
  }
}

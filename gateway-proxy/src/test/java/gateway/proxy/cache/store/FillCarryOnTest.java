package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.cache.policy.Heads;
import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fill whose leader's client left carries on only for the clients still fed from it, and stops as
 * soon as the last of them leaves.
 */
class FillCarryOnTest {
  final List<Fill> ended = new ArrayList<>();
  final Fill fill = new Fill("http://origin.test/big", ended::add);
  final AtomicInteger stops = new AtomicInteger();
  final Fill.Follower first = () -> {};
  final Fill.Follower second = () -> {};
  final TieredStore store =
      TieredStore.memoryOnly(1 << 20, 1 << 20, UnpooledByteBufAllocator.DEFAULT, Runnable::run);

  void filling() {
    StoredHead head = Heads.ok("http://origin.test/big");
    fill.filling(head, store.begin(head, -1));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aDownloadNobodyFollowsIsNotCarriedOn() {
    filling();

    assertThat(fill.carryOn(stops::incrementAndGet)).isFalse();
    assertThat(fill.stage()).isEqualTo(Fill.Stage.FILLING);
  }

  @Test
  void aDownloadWaitingForItsHeadIsNotCarriedOn() {
    fill.follow(first);

    assertThat(fill.carryOn(stops::incrementAndGet)).isFalse();
  }

  @Test
  void theLastFollowerLeavingEndsTheFillAndStopsTheDownloadOnce() {
    filling();
    fill.follow(first);
    fill.follow(second);
    assertThat(fill.carryOn(stops::incrementAndGet)).isTrue();

    fill.unfollow(first);
    assertThat(stops.get()).isZero();
    assertThat(fill.stage()).isEqualTo(Fill.Stage.FILLING);

    fill.unfollow(second);
    assertThat(stops.get()).isEqualTo(1);
    assertThat(fill.stage()).isEqualTo(Fill.Stage.FAILED);
    assertThat(ended).containsExactly(fill);
    // No one new joins a download that is stopping: they fetch their own.
    assertThat(fill.follow(first)).isFalse();
    fill.unfollow(first);
    assertThat(stops.get()).isEqualTo(1);
  }

  @Test
  void followersLeavingAfterTheEndStopNothing() {
    filling();
    fill.follow(first);
    assertThat(fill.carryOn(stops::incrementAndGet)).isTrue();

    fill.complete();
    fill.unfollow(first);

    assertThat(stops.get()).isZero();
    assertThat(fill.stage()).isEqualTo(Fill.Stage.COMPLETE);
  }

  @Test
  void aFollowerJoiningTheCarriedOnDownloadKeepsItGoing() {
    filling();
    fill.follow(first);
    assertThat(fill.carryOn(stops::incrementAndGet)).isTrue();

    assertThat(fill.follow(second)).isTrue();
    fill.unfollow(first);

    assertThat(stops.get()).isZero();
    assertThat(fill.stage()).isEqualTo(Fill.Stage.FILLING);
  }
}

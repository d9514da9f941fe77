package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.cache.policy.Heads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
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

  void filling() {
    // The writer is not used by the fill itself: it only hands it to followers.
    fill.filling(Heads.ok("http://origin.test/big"), null);
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

    fill.complete(CompletableFuture.completedFuture(true));
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

package gateway.pcc.select;

import static gateway.pcc.select.Uplinks.randomFlow;
import static gateway.pcc.select.Uplinks.uplink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import gateway.pcc.classify.Classifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded-random properties of the selector: weighted, deterministic, consistent, tiered. Each runs
 * for several fixed seeds with 10,000 random flows; a failure names the seed, so it reproduces.
 */
class UplinkSelectorPropertiesTest {

  private static final int FLOWS = 10_000;

  static Stream<Long> seeds() {
    return Stream.of(1L, 42L, 2026L, 0xC0FFEEL, 987_654_321L);
  }

  static Stream<Arguments> seedsAndWeights() {
    return seeds()
        .flatMap(
            seed ->
                Stream.of(new int[] {1, 1}, new int[] {2, 1}, new int[] {3, 1, 1})
                    .map(w -> Arguments.of(seed, w)));
  }

  @ParameterizedTest(name = "seed {0}, weights {1}")
  @MethodSource("seedsAndWeights")
  void sharesFollowTheWeightsWithinThreePoints(long seed, int[] weights) {
    List<Uplink> uplinks = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      uplinks.add(uplink("isp" + (i + 1), weights[i]));
    }
    UplinkSelector selector = UplinkSelector.allAvailable(uplinks, Classifier.DEFAULT);
    Map<String, Integer> counts = new HashMap<>();
    Random random = new Random(seed);
    for (int i = 0; i < FLOWS; i++) {
      counts.merge(selector.candidates(randomFlow(random), null).get(0).name(), 1, Integer::sum);
    }
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    for (int i = 0; i < weights.length; i++) {
      double share = counts.getOrDefault("isp" + (i + 1), 0) / (double) FLOWS;
      assertThat(share)
          .as("share of isp%d", i + 1)
          .isCloseTo(weights[i] / (double) total, within(0.03));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoSelectorsBuiltSeparatelyAgree(long seed) {
    List<Uplink> uplinks =
        List.of(uplink("isp1", 2), uplink("isp2", 1), uplink("isp3", 1), uplink("lte", 1, 2));
    List<Uplink> shuffled = new ArrayList<>(uplinks);
    Collections.shuffle(shuffled, new Random(seed));
    UplinkSelector a = UplinkSelector.allAvailable(uplinks, Classifier.DEFAULT);
    UplinkSelector b =
        UplinkSelector.of(
            shuffled,
            new HashSet<>(List.of("lte", "isp3", "isp2", "isp1")),
            Classifier.DEFAULT,
            List.of());
    Random random = new Random(seed);
    for (int i = 0; i < FLOWS; i++) {
      FlowKey key = randomFlow(random);
      assertThat(b.candidates(key, null)).isEqualTo(a.candidates(key, null));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void candidatesListEveryAvailableUplinkOnce(long seed) {
    List<Uplink> uplinks =
        List.of(uplink("isp1", 2), uplink("isp2", 1), uplink("isp3", 1), uplink("lte", 1, 2));
    UplinkSelector selector =
        UplinkSelector.of(uplinks, Set.of("isp1", "isp3", "lte"), Classifier.DEFAULT, List.of());
    Random random = new Random(seed);
    for (int i = 0; i < FLOWS; i++) {
      assertThat(selector.candidates(randomFlow(random), null))
          .extracting(Uplink::name)
          .containsExactlyInAnyOrder("isp1", "isp3", "lte")
          .endsWith("lte");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void removingAnUplinkMovesOnlyItsFlowsAndReturningItMovesExactlyThoseBack(long seed) {
    List<Uplink> uplinks =
        List.of(uplink("isp1", 2), uplink("isp2", 1), uplink("isp3", 1), uplink("isp4", 3));
    Set<String> all = Set.of("isp1", "isp2", "isp3", "isp4");
    UplinkSelector before = UplinkSelector.of(uplinks, all, Classifier.DEFAULT, List.of());
    String removed = List.copyOf(new TreeSet<>(all)).get(new Random(seed).nextInt(4));
    UplinkSelector without =
        before.withAvailable(
            all.stream().filter(n -> !n.equals(removed)).collect(Collectors.toSet()));
    UplinkSelector back = without.withAvailable(all);

    Random random = new Random(seed);
    int movedAway = 0;
    for (int i = 0; i < FLOWS; i++) {
      FlowKey key = randomFlow(random);
      List<Uplink> was = before.candidates(key, null);
      List<Uplink> during = without.candidates(key, null);
      // Stronger than "only its flows move": the order of the others is untouched, so a flow that
      // was
      // on the removed uplink moves to its first fallback.
      assertThat(during).isEqualTo(was.stream().filter(u -> !u.name().equals(removed)).toList());
      if (was.get(0).name().equals(removed)) {
        movedAway++;
      } else {
        assertThat(during.get(0)).isEqualTo(was.get(0));
      }
      List<Uplink> after = back.candidates(key, null);
      assertThat(after).isEqualTo(was);
      assertThat(after.get(0).equals(during.get(0))).isEqualTo(!was.get(0).name().equals(removed));
    }
    assertThat(movedAway).isPositive();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tierTwoOnlyWhenNoTierOneIsAvailable(long seed) {
    List<Uplink> uplinks =
        List.of(uplink("isp1", 2), uplink("isp2", 1), uplink("lte", 5, 2), uplink("sat", 1, 2));
    UplinkSelector allUp = UplinkSelector.allAvailable(uplinks, Classifier.DEFAULT);
    UplinkSelector oneTierOne = allUp.withAvailable(Set.of("isp2", "lte", "sat"));
    UplinkSelector noTierOne = allUp.withAvailable(Set.of("lte", "sat"));
    Random random = new Random(seed);
    int lteFirst = 0;
    for (int i = 0; i < FLOWS; i++) {
      FlowKey key = randomFlow(random);
      assertThat(allUp.candidates(key, null)).extracting(Uplink::tier).containsExactly(1, 1, 2, 2);
      assertThat(oneTierOne.candidates(key, null).get(0).name()).isEqualTo("isp2");
      List<Uplink> backup = noTierOne.candidates(key, null);
      assertThat(backup).extracting(Uplink::tier).containsOnly(2);
      // The tier-2 order is the same whether or not tier 1 is up: consistent within the tier.
      assertThat(allUp.candidates(key, null).subList(2, 4)).isEqualTo(backup);
      if (backup.get(0).name().equals("lte")) {
        lteFirst++;
      }
    }
    assertThat(lteFirst / (double) FLOWS).isCloseTo(5 / 6.0, within(0.03));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void bothAddressesKeepsAClientAndAServerOnOneUplinkWhateverThePorts(long seed) {
    UplinkSelector selector =
        UplinkSelector.allAvailable(
            List.of(uplink("isp1", 1), uplink("isp2", 1), uplink("isp3", 1)),
            Classifier.BOTH_ADDRESSES);
    Random random = new Random(seed);
    Set<String> chosen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      FlowKey key = randomFlow(random);
      FlowKey otherPorts =
          new FlowKey(
              key.srcAddress(), random.nextInt(65536), key.dstAddress(), random.nextInt(65536));
      String first = selector.candidates(key, null).get(0).name();
      assertThat(selector.candidates(otherPorts, null).get(0).name()).isEqualTo(first);
      chosen.add(first);
    }
    assertThat(chosen).containsExactlyInAnyOrder("isp1", "isp2", "isp3");
  }
}

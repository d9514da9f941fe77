package gateway.pcc.select;

import static gateway.pcc.select.Uplinks.randomFlow;
import static gateway.pcc.select.Uplinks.uplink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.core.net.Cidr;
import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import gateway.pcc.classify.Classifier;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UplinkSelectorPinsTest {

  static final List<Uplink> UPLINKS =
      List.of(uplink("isp1", 2), uplink("isp2", 1), uplink("isp3", 1), uplink("lte", 1, 2));
  static final Set<String> ALL = Set.of("isp1", "isp2", "isp3", "lte");

  static final PinRule BANK_ON_ISP2 =
      PinRule.of(List.of("*.bank.example"), List.of(), Optional.of("isp2"), Optional.empty());
  static final PinRule VIDEO_NET_BY_ADDRESSES =
      PinRule.of(
          List.of(),
          List.of(Cidr.parse("203.0.113.0/24")),
          Optional.empty(),
          Optional.of(Classifier.BOTH_ADDRESSES));
  static final PinRule BANK_ON_ISP3 =
      PinRule.of(List.of("bank.example"), List.of(), Optional.of("isp3"), Optional.empty());
  static final PinRule EVERYTHING_ON_LTE =
      PinRule.of(List.of(), List.of(Cidr.parse("0.0.0.0/0")), Optional.of("lte"), Optional.empty());

  static Stream<Long> seeds() {
    return Stream.of(1L, 42L, 2026L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aPinnedUplinkComesFirstThenTheNormalOrder(long seed) {
    UplinkSelector plain = UplinkSelector.of(UPLINKS, ALL, Classifier.DEFAULT, List.of());
    UplinkSelector pinned =
        UplinkSelector.of(UPLINKS, ALL, Classifier.DEFAULT, List.of(BANK_ON_ISP2));
    Random random = new Random(seed);
    for (int i = 0; i < 1000; i++) {
      FlowKey key = randomFlow(random);
      List<Uplink> normal = plain.candidates(key, "www.bank.example");
      Selection s = pinned.select(key, "www.bank.example");
      assertThat(s.candidates().get(0).name()).isEqualTo("isp2");
      assertThat(s.candidates().subList(1, 4))
          .isEqualTo(normal.stream().filter(u -> !u.name().equals("isp2")).toList());
      assertThat(s.pin()).contains(BANK_ON_ISP2);
      // Other hosts are not pinned.
      assertThat(pinned.candidates(key, "news.example"))
          .isEqualTo(plain.candidates(key, "news.example"));
      assertThat(pinned.candidates(key, null)).isEqualTo(normal);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void whileThePinnedUplinkIsDownTheNormalSelectionApplies(long seed) {
    Set<String> isp2Down = Set.of("isp1", "isp3", "lte");
    UplinkSelector plain = UplinkSelector.of(UPLINKS, isp2Down, Classifier.DEFAULT, List.of());
    UplinkSelector pinned =
        UplinkSelector.of(UPLINKS, isp2Down, Classifier.DEFAULT, List.of(BANK_ON_ISP2));
    Random random = new Random(seed);
    for (int i = 0; i < 1000; i++) {
      FlowKey key = randomFlow(random);
      assertThat(pinned.candidates(key, "bank.example"))
          .isEqualTo(plain.candidates(key, "bank.example"));
    }
  }

  @Test
  void aPinBeatsTiers() {
    UplinkSelector pinned =
        UplinkSelector.of(UPLINKS, ALL, Classifier.DEFAULT, List.of(EVERYTHING_ON_LTE));
    assertThat(pinned.candidates(randomFlow(new Random(7)), null))
        .extracting(Uplink::name)
        .first()
        .isEqualTo("lte");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aClassifierPinHashesMatchingFlowsWithItsClassifier(long seed) throws Exception {
    UplinkSelector pinned =
        UplinkSelector.of(UPLINKS, ALL, Classifier.DEFAULT, List.of(VIDEO_NET_BY_ADDRESSES));
    UplinkSelector byAddresses =
        UplinkSelector.of(UPLINKS, ALL, Classifier.BOTH_ADDRESSES, List.of());
    Random random = new Random(seed);
    for (int i = 0; i < 1000; i++) {
      FlowKey any = randomFlow(random);
      FlowKey video =
          new FlowKey(
              any.srcAddress(),
              any.srcPort(),
              InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, (byte) random.nextInt(256)}),
              any.dstPort());
      Selection s = pinned.select(video, null);
      assertThat(s.classifier()).isEqualTo(Classifier.BOTH_ADDRESSES);
      assertThat(s.candidates()).isEqualTo(byAddresses.candidates(video, null));
    }
  }

  @Test
  void theFirstMatchingPinWins() throws Exception {
    FlowKey key = randomFlow(new Random(3));
    UplinkSelector a =
        UplinkSelector.of(UPLINKS, ALL, Classifier.DEFAULT, List.of(BANK_ON_ISP2, BANK_ON_ISP3));
    UplinkSelector b =
        UplinkSelector.of(UPLINKS, ALL, Classifier.DEFAULT, List.of(BANK_ON_ISP3, BANK_ON_ISP2));
    assertThat(a.select(key, "bank.example").pin()).contains(BANK_ON_ISP2);
    assertThat(a.candidates(key, "bank.example").get(0).name()).isEqualTo("isp2");
    assertThat(b.candidates(key, "bank.example").get(0).name()).isEqualTo("isp3");
    // bank.example's subdomain only matches the wildcard pin.
    assertThat(b.candidates(key, "www.bank.example").get(0).name()).isEqualTo("isp2");
  }

  @Test
  void aPinNamingAnUnknownUplinkIsRejected() {
    PinRule toNowhere =
        PinRule.of(List.of("a.example"), List.of(), Optional.of("isp9"), Optional.empty());
    assertThatThrownBy(
            () -> UplinkSelector.of(UPLINKS, ALL, Classifier.DEFAULT, List.of(toNowhere)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("isp9");
  }

  @Test
  void duplicateUplinkNamesAreRejected() {
    assertThatThrownBy(
            () ->
                UplinkSelector.allAvailable(
                    List.of(uplink("isp1", 1), uplink("isp1", 2)), Classifier.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withNothingAvailableThereAreNoCandidates() {
    UplinkSelector none =
        UplinkSelector.of(UPLINKS, Set.of(), Classifier.DEFAULT, List.of(BANK_ON_ISP2));
    Selection s = none.select(randomFlow(new Random(1)), "bank.example");
    assertThat(s.candidates()).isEmpty();
    assertThat(s.choice()).isEmpty();
  }

  @Test
  void unknownAvailableNamesAreIgnored() {
    UplinkSelector s =
        UplinkSelector.of(UPLINKS, Set.of("isp1", "gone"), Classifier.DEFAULT, List.of());
    assertThat(s.available()).containsExactly("isp1");
    assertThat(s.candidates(randomFlow(new Random(1)), null))
        .extracting(Uplink::name)
        .containsExactly("isp1");
  }
}

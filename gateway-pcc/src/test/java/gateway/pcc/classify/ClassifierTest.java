package gateway.pcc.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.core.config.BalanceConfig;
import gateway.core.net.ClassifierMode;
import gateway.core.net.FlowKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClassifierTest {

  enum Field {
    SRC_ADDRESS,
    SRC_PORT,
    DST_ADDRESS,
    DST_PORT
  }

  /** Which fields each classifier hashes: MikroTik's definition, one row per classifier. */
  static Stream<Arguments> fieldsOfEachClassifier() {
    return Stream.of(
        Arguments.of(Classifier.SRC_ADDRESS, new Field[] {Field.SRC_ADDRESS}),
        Arguments.of(Classifier.DST_ADDRESS, new Field[] {Field.DST_ADDRESS}),
        Arguments.of(Classifier.BOTH_ADDRESSES, new Field[] {Field.SRC_ADDRESS, Field.DST_ADDRESS}),
        Arguments.of(Classifier.SRC_PORT, new Field[] {Field.SRC_PORT}),
        Arguments.of(Classifier.DST_PORT, new Field[] {Field.DST_PORT}),
        Arguments.of(Classifier.BOTH_PORTS, new Field[] {Field.SRC_PORT, Field.DST_PORT}),
        Arguments.of(
            Classifier.SRC_ADDRESS_AND_PORT, new Field[] {Field.SRC_ADDRESS, Field.SRC_PORT}),
        Arguments.of(
            Classifier.DST_ADDRESS_AND_PORT, new Field[] {Field.DST_ADDRESS, Field.DST_PORT}),
        Arguments.of(Classifier.BOTH_ADDRESSES_AND_PORTS, Field.values()));
  }

  @Test
  void namesAreMikroTiksInConfigOrder() {
    assertThat(Arrays.stream(Classifier.values()).map(Classifier::configName))
        .containsExactlyElementsOf(BalanceConfig.CLASSIFIERS);
    assertThat(Classifier.DEFAULT.configName()).isEqualTo("both-addresses-and-ports");
  }

  @ParameterizedTest
  @EnumSource(ClassifierMode.class)
  void eachModeOfTheConfigHasItsClassifier(ClassifierMode mode) {
    assertThat(Classifier.of(mode).configName()).isEqualTo(mode.configName());
    assertThat(Classifier.of(mode).name()).isEqualTo(mode.name());
  }

  @ParameterizedTest
  @EnumSource(Classifier.class)
  void fromNameFindsEachByItsConfigName(Classifier c) {
    assertThat(Classifier.fromName(c.configName())).isSameAs(c);
  }

  @Test
  void fromNameRejectsOthersNamingTheValidOnes() {
    assertThatThrownBy(() -> Classifier.fromName("both-address"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'both-address'")
        .hasMessageContaining("both-addresses-and-ports");
    assertThatThrownBy(() -> Classifier.fromName("SRC-ADDRESS"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("fieldsOfEachClassifier")
  void changingAFieldItDoesNotHashNeverChangesTheHash(Classifier c, Field[] hashed) {
    Random random = new Random(c.ordinal());
    for (Field f : Field.values()) {
      if (Arrays.asList(hashed).contains(f)) {
        continue;
      }
      for (int i = 0; i < 1000; i++) {
        FlowKey key = randomFlow(random);
        FlowKey changed = change(key, f, random);
        assertThat(c.hash(changed)).as("%s after changing %s", c, f).isEqualTo(c.hash(key));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fieldsOfEachClassifier")
  void changingAFieldItHashesChangesTheHash(Classifier c, Field[] hashed) {
    Random random = new Random(100 + c.ordinal());
    for (Field f : hashed) {
      int changedCount = 0;
      for (int i = 0; i < 1000; i++) {
        FlowKey key = randomFlow(random);
        if (c.hash(change(key, f, random)) != c.hash(key)) {
          changedCount++;
        }
      }
      // A 64-bit hash collides with probability 2^-64 per pair: all 1000 differ.
      assertThat(changedCount).as("%s after changing %s", c, f).isEqualTo(1000);
    }
  }

  @Test
  void byteLayoutV1() {
    FlowKey key = flow("192.168.88.10", 50000, "93.184.216.34", 443);
    HexFormat hex = HexFormat.ofDelimiter(" ");
    assertThat(hex.formatHex(Classifier.BOTH_PORTS.bytes(key))).isEqualTo("c3 50 01 bb");
    assertThat(hex.formatHex(Classifier.SRC_ADDRESS.bytes(key)))
        .isEqualTo("00 00 00 00 00 00 00 00 00 00 ff ff c0 a8 58 0a");
    assertThat(hex.formatHex(Classifier.BOTH_ADDRESSES_AND_PORTS.bytes(key)))
        .isEqualTo(
            "00 00 00 00 00 00 00 00 00 00 ff ff c0 a8 58 0a c3 50"
                + " 00 00 00 00 00 00 00 00 00 00 ff ff 5d b8 d8 22 01 bb");
    FlowKey v6 = flow("2001:db8::1", 1, "2001:db8::2", 2);
    assertThat(hex.formatHex(Classifier.DST_ADDRESS_AND_PORT.bytes(v6)))
        .isEqualTo("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02 00 02");
    for (Classifier c : Classifier.values()) {
      assertThat(c.hash(key)).isEqualTo(FlowHash.xxh64(c.bytes(key)));
    }
  }

  @Test
  void bothAddressesIsOrderSensitiveLikeMikroTik() {
    FlowKey there = flow("192.168.88.10", 1000, "93.184.216.34", 443);
    FlowKey back = flow("93.184.216.34", 1000, "192.168.88.10", 443);
    assertThat(Classifier.BOTH_ADDRESSES.hash(there))
        .isNotEqualTo(Classifier.BOTH_ADDRESSES.hash(back));
  }

  @Test
  void anIpv4MappedIpv6AddressHashesLikeTheIpv4Address() throws UnknownHostException {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[13] = (byte) 168;
    mapped[14] = 88;
    mapped[15] = 10;
    FlowKey plain = flow("192.168.88.10", 1, "10.0.0.1", 2);
    FlowKey asV6 =
        new FlowKey(Inet6Address.getByAddress(null, mapped, -1), 1, plain.dstAddress(), 2);
    for (Classifier c : Classifier.values()) {
      assertThat(c.hash(asV6)).isEqualTo(c.hash(plain));
    }
  }

  static FlowKey flow(String src, int srcPort, String dst, int dstPort) {
    return new FlowKey(address(src), srcPort, address(dst), dstPort);
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static FlowKey randomFlow(Random random) {
    return new FlowKey(
        randomAddress(random), random.nextInt(65536), randomAddress(random), random.nextInt(65536));
  }

  static InetAddress randomAddress(Random random) {
    byte[] b = new byte[random.nextInt(4) == 0 ? 16 : 4];
    random.nextBytes(b);
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The key with field {@code f} replaced by a different random value. */
  static FlowKey change(FlowKey k, Field f, Random random) {
    UnaryOperator<FlowKey> op =
        switch (f) {
          case SRC_ADDRESS ->
              x ->
                  new FlowKey(
                      otherAddress(x.srcAddress(), random),
                      x.srcPort(),
                      x.dstAddress(),
                      x.dstPort());
          case SRC_PORT ->
              x ->
                  new FlowKey(
                      x.srcAddress(), otherPort(x.srcPort(), random), x.dstAddress(), x.dstPort());
          case DST_ADDRESS ->
              x ->
                  new FlowKey(
                      x.srcAddress(),
                      x.srcPort(),
                      otherAddress(x.dstAddress(), random),
                      x.dstPort());
          case DST_PORT ->
              x ->
                  new FlowKey(
                      x.srcAddress(), x.srcPort(), x.dstAddress(), otherPort(x.dstPort(), random));
        };
    return op.apply(k);
  }

  private static InetAddress otherAddress(InetAddress a, Random random) {
    InetAddress b;
    do {
      b = randomAddress(random);
    } while (b.equals(a));
    return b;
  }

  private static int otherPort(int p, Random random) {
    return (p + 1 + random.nextInt(65535)) % 65536;
  }
}

package gateway.pcc.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** XXH64 must be the real XXH64: the published reference vectors (seed 0) pin it. */
class FlowHashTest {

  static Stream<Arguments> referenceVectors() {
    return Stream.of(
        Arguments.of("", 0xef46db3751d8e999L),
        Arguments.of("a", 0xd24ec4f1a98c6e5bL),
        Arguments.of("as", 0x1c330fb2d66be179L),
        Arguments.of("asd", 0x631c37ce72a97393L),
        Arguments.of("asdf", 0x415872f599cea71eL),
        Arguments.of("Call me Ishmael.", 0x6d04390fc9d61a90L),
        Arguments.of("0123456789abcdef", 0x5c5b90c34e376d0bL),
        Arguments.of("0123456789abcdef0123456789abcdef", 0x642a94958e71e6c5L),
        Arguments.of("Nobody inspects the spammish repetition", 0xfbcea83c8a378bf1L),
        Arguments.of("Some years ago--never mind how long precisely-", 0x8f26f2b986afdc52L),
        // 63 bytes: the 32-byte stripes, an 8-byte word, a 4-byte word and single bytes.
        Arguments.of(
            "Call me Ishmael. Some years ago--never mind how long precisely-",
            0x02a2e85470d6fd96L));
  }

  @ParameterizedTest
  @MethodSource("referenceVectors")
  void matchesTheReferenceXxh64(String input, long expected) {
    assertThat(FlowHash.xxh64(input.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 42, 2026})
  void combineIsXxh64OfTheTwoLittleEndianLongs(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 1000; i++) {
      long a = random.nextLong();
      long b = random.nextLong();
      byte[] bytes =
          ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(b).array();
      assertThat(FlowHash.combine(a, b)).isEqualTo(FlowHash.xxh64(bytes));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x7ffL, 0xfffffffffffff800L})
  void unitIntervalIsStrictlyBetweenZeroAndOne(long hash) {
    assertThat(FlowHash.unitInterval(hash)).isGreaterThan(0.0).isLessThan(1.0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 7, 8, 15, 16, 31, 32, 33, 36, 63, 64, 100})
  void hashesASliceLikeACopy(int length) {
    byte[] data = new byte[length + 10];
    new Random(length).nextBytes(data);
    byte[] copy = new byte[length];
    System.arraycopy(data, 5, copy, 0, length);
    assertThat(FlowHash.xxh64(data, 5, length)).isEqualTo(FlowHash.xxh64(copy));
  }
}

package gateway.proxy.testing;

import java.util.SplittableRandom;

/**
 * Response bodies derived from their URL path and length: whoever receives one can check every byte
 * without being told what was sent, even across processes and restarts.
 */
public final class UrlBodies {
  private UrlBodies() {}

  /** {@code length} pseudo-random bytes, always the same for the same path and length. */
  public static byte[] of(String path, int length) {
    byte[] bytes = new byte[length];
    SplittableRandom random = new SplittableRandom(path.hashCode() * 1_000_003L + length);
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long r = random.nextLong();
      for (int k = 0; k < 8; k++) {
        bytes[i + k] = (byte) (r >>> (8 * k));
      }
    }
    long r = random.nextLong();
    for (; i < length; i++) {
      bytes[i] = (byte) r;
      r >>>= 8;
    }
    return bytes;
  }

  /** The index of the first byte where {@code got} differs from what {@code path} has, or -1. */
  public static long firstDifference(String path, int length, byte[] got) {
    byte[] want = of(path, length);
    int n = Math.min(want.length, got.length);
    for (int i = 0; i < n; i++) {
      if (want[i] != got[i]) {
        return i;
      }
    }
    return want.length == got.length ? -1 : n;
  }
}

package gateway.pcc.classify;

import java.nio.charset.StandardCharsets;

/**
 * The gateway's one hash function: XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0), written
 * out here so that no library upgrade and no JVM can change which uplink a flow takes.
 *
 * <p>Why XXH64: it is specified byte for byte, has published test vectors (checked in {@code
 * FlowHashTest}), passes SMHasher, and is fast on the 2 to 36 bytes a flow key has. Java's {@code
 * hashCode}s are not used anywhere on this path: they are unspecified or weak and may differ
 * between runs.
 *
 * <p>Two uses, both part of <b>flow hash v1</b> (see {@link Classifier} for the byte layout of a
 * flow):
 *
 * <ul>
 *   <li>{@link #xxh64(byte[], int, int)}: the flow hash of a classifier's fields, and the hash of
 *       an uplink name ({@link #ofName(String)}, UTF-8 bytes).
 *   <li>{@link #combine(long, long)}: {@code XXH64(le64(flowHash) || le64(nameHash))}, the
 *       per-uplink random draw of rendezvous hashing.
 * </ul>
 */
public final class FlowHash {

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private FlowHash() {}

  /** XXH64 with seed 0 of {@code data[offset, offset + length)}. */
  public static long xxh64(byte[] data, int offset, int length) {
    int p = offset;
    int end = offset + length;
    long h;
    if (length >= 32) {
      @SuppressWarnings("ConstantOverflow") // XXH64 adds modulo 2^64: the wrap is the algorithm.
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      int limit = end - 32;
      do {
        v1 = round(v1, le64(data, p));
        v2 = round(v2, le64(data, p + 8));
        v3 = round(v3, le64(data, p + 16));
        v4 = round(v4, le64(data, p + 24));
        p += 32;
      } while (p <= limit);
      h =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      h = mergeRound(h, v1);
      h = mergeRound(h, v2);
      h = mergeRound(h, v3);
      h = mergeRound(h, v4);
    } else {
      h = P5;
    }
    h += length;
    while (p + 8 <= end) {
      h ^= round(0, le64(data, p));
      h = Long.rotateLeft(h, 27) * P1 + P4;
      p += 8;
    }
    if (p + 4 <= end) {
      h ^= (le32(data, p) & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      p += 4;
    }
    while (p < end) {
      h ^= (data[p] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      p++;
    }
    return avalanche(h);
  }

  /** XXH64 with seed 0 of all of {@code data}. */
  public static long xxh64(byte[] data) {
    return xxh64(data, 0, data.length);
  }

  /** The hash of an uplink name: XXH64 of its UTF-8 bytes. Precompute it; it never changes. */
  public static long ofName(String name) {
    return xxh64(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code XXH64(le64(a) || le64(b))}: equal to {@link #xxh64(byte[])} of those 16 bytes, without
   * allocating them. Used as the rendezvous draw for (flow hash, uplink name hash).
   */
  public static long combine(long a, long b) {
    long h = P5 + 16;
    h ^= round(0, a);
    h = Long.rotateLeft(h, 27) * P1 + P4;
    h ^= round(0, b);
    h = Long.rotateLeft(h, 27) * P1 + P4;
    return avalanche(h);
  }

  /**
   * Maps a 64-bit hash to a double strictly inside (0, 1): the top 52 bits plus one half, over 2^52
   * (exact in a double's 53-bit mantissa). Never 0 (whose log is -infinity) and never 1 (whose log
   * is 0).
   */
  public static double unitInterval(long hash) {
    return ((hash >>> 12) + 0.5) * 0x1.0p-52;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long mergeRound(long acc, long v) {
    acc ^= round(0, v);
    return acc * P1 + P4;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long le64(byte[] b, int i) {
    return (b[i] & 0xFFL)
        | (b[i + 1] & 0xFFL) << 8
        | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24
        | (b[i + 4] & 0xFFL) << 32
        | (b[i + 5] & 0xFFL) << 40
        | (b[i + 6] & 0xFFL) << 48
        | (b[i + 7] & 0xFFL) << 56;
  }

  private static int le32(byte[] b, int i) {
    return (b[i] & 0xFF)
        | (b[i + 1] & 0xFF) << 8
        | (b[i + 2] & 0xFF) << 16
        | (b[i + 3] & 0xFF) << 24;
  }
}

package gateway.pcc.classify;

import gateway.core.net.ClassifierMode;
import gateway.core.net.FlowKey;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * MikroTik's nine per-connection classifiers. Each hashes exactly its fields of a {@link FlowKey}
 * and nothing else, so e.g. {@link #BOTH_ADDRESSES} keeps every connection between one client and
 * one server on one uplink, while {@link #BOTH_ADDRESSES_AND_PORTS} (the default) spreads per
 * connection.
 *
 * <h2>Flow hash v1</h2>
 *
 * The classifier's fields are written, in this fixed order and skipping the fields it does not use,
 * into one byte string, and the flow hash is {@link FlowHash#xxh64 XXH64} (seed 0) of that string:
 *
 * <pre>
 *   field        bytes  encoding
 *   src address  16     IPv6 address; an IPv4 address as IPv4-mapped IPv6 (::ffff:a.b.c.d)
 *   src port      2     unsigned, big-endian (network order)
 *   dst address  16     as src address
 *   dst port      2     as src port
 * </pre>
 *
 * Example: {@code both-ports} of 192.168.88.10:50000 -&gt; 93.184.216.34:443 hashes the 4 bytes
 * {@code c3 50 01 bb}; {@code src-address} of it hashes {@code 00 00 00 00 00 00 00 00 00 00 ff ff
 * c0 a8 58 0a}. IPv6 scope ids are ignored. The classifier's name is not hashed, so {@code
 * src-address} and {@code dst-address} agree when the two addresses are equal, as in MikroTik.
 * {@code both-addresses} is order-sensitive: (a -&gt; b) and (b -&gt; a) hash differently, also as
 * in MikroTik.
 *
 * <p>Changing any of this changes which uplink existing flows take: it would be flow hash v2, with
 * new golden values in {@code GoldenFlowsTest}.
 */
public enum Classifier {
  SRC_ADDRESS(ClassifierMode.SRC_ADDRESS, true, false, false, false),
  DST_ADDRESS(ClassifierMode.DST_ADDRESS, false, false, true, false),
  BOTH_ADDRESSES(ClassifierMode.BOTH_ADDRESSES, true, false, true, false),
  SRC_PORT(ClassifierMode.SRC_PORT, false, true, false, false),
  DST_PORT(ClassifierMode.DST_PORT, false, false, false, true),
  BOTH_PORTS(ClassifierMode.BOTH_PORTS, false, true, false, true),
  SRC_ADDRESS_AND_PORT(ClassifierMode.SRC_ADDRESS_AND_PORT, true, true, false, false),
  DST_ADDRESS_AND_PORT(ClassifierMode.DST_ADDRESS_AND_PORT, false, false, true, true),
  BOTH_ADDRESSES_AND_PORTS(ClassifierMode.BOTH_ADDRESSES_AND_PORTS, true, true, true, true);

  /** The default of {@code balance.classifier}. */
  public static final Classifier DEFAULT = BOTH_ADDRESSES_AND_PORTS;

  private static final int ADDRESS_BYTES = 16;
  private static final int PORT_BYTES = 2;

  private final ClassifierMode mode;
  private final boolean srcAddress;
  private final boolean srcPort;
  private final boolean dstAddress;
  private final boolean dstPort;
  private final int length;

  Classifier(
      ClassifierMode mode,
      boolean srcAddress,
      boolean srcPort,
      boolean dstAddress,
      boolean dstPort) {
    this.mode = mode;
    this.srcAddress = srcAddress;
    this.srcPort = srcPort;
    this.dstAddress = dstAddress;
    this.dstPort = dstPort;
    this.length =
        (srcAddress ? ADDRESS_BYTES : 0)
            + (srcPort ? PORT_BYTES : 0)
            + (dstAddress ? ADDRESS_BYTES : 0)
            + (dstPort ? PORT_BYTES : 0);
  }

  /** The MikroTik / config name, e.g. {@code both-addresses-and-ports}. */
  public String configName() {
    return mode.configName();
  }

  /** The classifier of a mode the config names. */
  public static Classifier of(ClassifierMode mode) {
    for (Classifier c : values()) {
      if (c.mode == mode) {
        return c;
      }
    }
    throw new AssertionError(mode);
  }

  /**
   * The classifier with this config name (exact, lower case).
   *
   * @throws IllegalArgumentException naming the valid names
   */
  public static Classifier fromName(String name) {
    return ClassifierMode.named(name)
        .map(Classifier::of)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown classifier '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values())
                            .map(Classifier::configName)
                            .collect(Collectors.joining(", "))));
  }

  /** The flow hash v1 of this classifier's fields of {@code key} (see the type's documentation). */
  public long hash(FlowKey key) {
    return FlowHash.xxh64(bytes(key), 0, length);
  }

  /** The exact bytes {@link #hash} hashes: the v1 layout, for tests and for debugging. */
  public byte[] bytes(FlowKey key) {
    byte[] out = new byte[length];
    int p = 0;
    if (srcAddress) {
      p = putAddress(out, p, key.srcAddress());
    }
    if (srcPort) {
      p = putPort(out, p, key.srcPort());
    }
    if (dstAddress) {
      p = putAddress(out, p, key.dstAddress());
    }
    if (dstPort) {
      putPort(out, p, key.dstPort());
    }
    return out;
  }

  @Override
  public String toString() {
    return mode.configName();
  }

  private static int putAddress(byte[] out, int p, InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length == 4) {
      out[p + 10] = (byte) 0xff;
      out[p + 11] = (byte) 0xff;
      System.arraycopy(a, 0, out, p + 12, 4);
    } else {
      System.arraycopy(a, 0, out, p, 16);
    }
    return p + ADDRESS_BYTES;
  }

  private static int putPort(byte[] out, int p, int port) {
    out[p] = (byte) (port >>> 8);
    out[p + 1] = (byte) port;
    return p + PORT_BYTES;
  }
}

package gateway.app.torch;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds frames byte by byte, as a capture would hand them over, for the decoder's tables. */
final class MadeUpFrames {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static MadeUpFrames frame() {
    return new MadeUpFrames();
  }

  MadeUpFrames bytes(int... values) {
    for (int v : values) {
      out.write(v);
    }
    return this;
  }

  MadeUpFrames u16(int v) {
    return bytes(v >>> 8, v & 0xff);
  }

  MadeUpFrames zeros(int n) {
    return bytes(new int[n]);
  }

  MadeUpFrames address(String literal) {
    try {
      out.writeBytes(InetAddress.getByName(literal).getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
    return this;
  }

  /** Two MAC addresses and the EtherType. */
  MadeUpFrames ethernet(int etherType) {
    return zeros(12).u16(etherType);
  }

  /** An IPv4 header without options; {@code fragment}: the 13-bit offset field. */
  MadeUpFrames ipv4(int protocol, String src, String dst, int totalLength, int fragment) {
    return bytes(0x45, 0)
        .u16(totalLength)
        .u16(0x1234)
        .u16(fragment)
        .bytes(64, protocol)
        .u16(0)
        .address(src)
        .address(dst);
  }

  MadeUpFrames ipv6(int nextHeader, String src, String dst, int payloadLength) {
    return bytes(0x60, 0, 0, 0).u16(payloadLength).bytes(nextHeader, 64).address(src).address(dst);
  }

  /** The first 8 bytes of a TCP or UDP header: the ports matter. */
  MadeUpFrames ports(int src, int dst) {
    return u16(src).u16(dst).zeros(4);
  }

  byte[] build() {
    return out.toByteArray();
  }
}

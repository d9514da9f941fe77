package gateway.proxy.sniff;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * ClientHellos for the tests: real ones written by the JDK's {@link SSLEngine} in client mode, and
 * hand-built ones for the shapes the JDK never writes; plus re-framing into TLS records.
 */
final class Hellos {
  static final int RECORD_HEADER = 5;

  private Hellos() {}

  /**
   * The first flight of a JDK client speaking only {@code protocol} ({@code TLSv1.3}, {@code
   * TLSv1.2}), naming {@code serverName} through {@link SSLParameters#setServerNames} (none when
   * null): one handshake record holding the ClientHello.
   */
  static byte[] jdk(String protocol, String serverName) throws GeneralSecurityException {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, null, null);
    SSLEngine engine = tls.createSSLEngine();
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(new String[] {protocol});
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    try {
      engine.wrap(ByteBuffer.allocate(0), out);
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
    out.flip();
    byte[] flight = new byte[out.remaining()];
    out.get(flight);
    return flight;
  }

  /** The handshake bytes of a stream of handshake records (their contents, joined). */
  static byte[] handshake(byte[] records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < records.length; ) {
      int length = (records[at + 3] & 0xff) << 8 | (records[at + 4] & 0xff);
      out.write(records, at + RECORD_HEADER, length);
      at += RECORD_HEADER + length;
    }
    return out.toByteArray();
  }

  /** {@code handshake} in handshake records of version 3.3, a new record at each cut. */
  static byte[] records(byte[] handshake, int... cuts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int from = 0;
    int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
    ends[cuts.length] = handshake.length;
    for (int end : ends) {
      out.write(0x16);
      out.write(0x03);
      out.write(0x03);
      u16(out, end - from);
      out.write(handshake, from, end - from);
      from = end;
    }
    return out.toByteArray();
  }

  /**
   * A ClientHello handshake message (RFC 8446 4.1.2) with one cipher suite, null compression and
   * the given extensions; {@code null} extensions: no extensions block at all (TLS 1.2 allows it).
   */
  static byte[] clientHello(byte[]... extensions) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0x03);
    body.write(0x03);
    body.write(new byte[32], 0, 32);
    body.write(0); // legacy_session_id
    u16(body, 2);
    body.write(0x13);
    body.write(0x01); // TLS_AES_128_GCM_SHA256
    body.write(1);
    body.write(0); // null compression
    if (extensions != null) {
      byte[] block = concat(extensions);
      u16(body, block.length);
      body.write(block, 0, block.length);
    }
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.write(1);
    int length = body.size();
    message.write(length >> 16);
    message.write(length >> 8);
    message.write(length);
    message.write(body.toByteArray(), 0, length);
    return message.toByteArray();
  }

  static byte[] extension(int type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, type);
    u16(out, data.length);
    out.write(data, 0, data.length);
    return out.toByteArray();
  }

  /** A server_name extension with one host_name entry. */
  static byte[] serverName(String host) {
    return extension(0, serverNameList(entry(0, ascii(host))));
  }

  /** RFC 6066 3: {@code ServerName server_name_list<1..2^16-1>}. */
  static byte[] serverNameList(byte[]... entries) {
    byte[] list = concat(entries);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, list.length);
    out.write(list, 0, list.length);
    return out.toByteArray();
  }

  static byte[] entry(int nameType, byte[] name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(nameType);
    u16(out, name.length);
    out.write(name, 0, name.length);
    return out.toByteArray();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /** The offset of {@code needle} in {@code hay}, which must hold it once. */
  static int indexOf(byte[] hay, byte[] needle) {
    int found = -1;
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        if (found >= 0) {
          throw new IllegalArgumentException("found twice");
        }
        found = i;
      }
    }
    if (found < 0) {
      throw new IllegalArgumentException("not found");
    }
    return found;
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >> 8);
    out.write(v);
  }
}

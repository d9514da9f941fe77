package gateway.proxy.sniff;

import gateway.proxy.sniff.ClientHello.NoSni;
import gateway.proxy.sniff.ClientHello.NotTls;
import gateway.proxy.sniff.ClientHello.Result;
import gateway.proxy.sniff.ClientHello.Sni;
import gateway.proxy.sniff.Cursor.Malformed;
import java.util.HashSet;
import java.util.Set;

/**
 * The body of a complete ClientHello (RFC 8446 4.1.2), checked field by field, to its server name.
 */
final class HelloBody {
  private static final int SERVER_NAME = 0;
  private static final int HOST_NAME = 0;
  private static final int MAX_SESSION_ID = 32;

  private HelloBody() {}

  /** The server name of the hello body in {@code bytes[from, to)}. */
  static Result serverName(byte[] bytes, int from, int to) {
    try {
      String name = parse(new Cursor(bytes, from, to));
      return name == null ? new NoSni() : new Sni(name);
    } catch (Malformed e) {
      return new NotTls(e.getMessage());
    }
  }

  private static String parse(Cursor hello) throws Malformed {
    if (hello.u8("legacy_version") != 0x03) {
      throw new Malformed("legacy_version is not 3.x");
    }
    hello.skip(1 + 32, "legacy_version and random");
    int sessionId = hello.u8("legacy_session_id length");
    if (sessionId > MAX_SESSION_ID) {
      throw new Malformed("legacy_session_id of " + sessionId + " bytes (at most 32)");
    }
    hello.skip(sessionId, "legacy_session_id");
    int suites = hello.u16("cipher_suites length");
    if (suites < 2 || suites % 2 != 0) {
      throw new Malformed("cipher_suites of " + suites + " bytes (an even 2..65534)");
    }
    hello.skip(suites, "cipher_suites");
    int compression = hello.u8("legacy_compression_methods length");
    if (compression < 1) {
      throw new Malformed("no legacy_compression_methods (at least one)");
    }
    hello.skip(compression, "legacy_compression_methods");
    if (!hello.hasMore()) {
      return null; // RFC 5246 7.4.1.2: a hello without extensions ends here
    }
    int length = hello.u16("extensions length");
    if (length != hello.remaining()) {
      throw new Malformed(
          "extensions length " + length + " where " + hello.remaining() + " bytes remain");
    }
    return extensions(hello);
  }

  /** RFC 8446 4.2: every extension framed within the block, none twice. */
  private static String extensions(Cursor block) throws Malformed {
    Set<Integer> types = new HashSet<>();
    String name = null;
    while (block.hasMore()) {
      int type = block.u16("extension type");
      Cursor data = block.take(block.u16("extension length"), "extension_data");
      if (!types.add(type)) {
        throw new Malformed("extension " + type + " twice");
      }
      if (type == SERVER_NAME) {
        name = serverNameList(data);
      }
    }
    return name;
  }

  /** RFC 6066 3: {@code ServerName server_name_list<1..2^16-1>}, at most one host_name. */
  private static String serverNameList(Cursor data) throws Malformed {
    int length = data.u16("server_name_list length");
    if (length == 0 || length != data.remaining()) {
      throw new Malformed(
          "server_name_list length " + length + " where " + data.remaining() + " bytes remain");
    }
    String host = null;
    while (data.hasMore()) {
      int type = data.u8("name_type");
      Cursor name = data.take(data.u16("server name length"), "server name");
      if (type == HOST_NAME) {
        if (host != null) {
          throw new Malformed("two host_name entries in server_name");
        }
        host = HostName.of(name);
      }
    }
    return host;
  }
}

package gateway.proxy.sniff;

import java.util.Objects;

/**
 * Reads a TLS ClientHello's server name (SNI) from the prefix of the client's stream; never
 * decrypts, never answers. Stateless: the caller keeps the bytes it has read and calls again with
 * the longer prefix when more arrive, until the result is anything but {@link NeedMore}.
 *
 * <p>The stream is TLS records (RFC 8446 5.1): every record before the hello ends must be a
 * handshake record ({@code 0x16}, version {@code 0x0300..0x0304}, length 1..2^14), and the
 * handshake message they carry, cut at any byte, must be a ClientHello (RFC 8446 4.1.2). Every
 * length in it is checked against the bytes that hold it, up to the end of the hello: the fixed
 * fields, the extensions (RFC 8446 4.2: none twice) and {@code server_name} (RFC 6066 3). The
 * extensions of a hello of TLS 1.2 or older may be absent: that is {@link NoSni}.
 *
 * <p>{@code server_name}: a list of at least one entry, each {@code name_type} plus a 16-bit length
 * and the name (entries of other types than host_name(0) are skipped); at most one host_name. The
 * host_name must be a DNS host name: 1..255 bytes, labels of 1..63 letters, digits and hyphens
 * joined by dots, one trailing dot allowed. It comes back lower-case without the trailing dot. <b>A
 * host_name that breaks these rules (an empty name, an underscore, a space, a byte above 0x7e, an
 * empty label) is {@link NotTls}</b>, not {@link NoSni}: no TLS server accepts it, and the caller
 * must not mistake such a hello for an honest one without a name. An IPv4 literal, which RFC 6066
 * forbids but some clients send, passes as a name.
 *
 * <p>{@code max} bounds the stream bytes looked at (record headers included): a hello that needs
 * more is {@link TooLarge}, said as soon as its lengths show it, so the caller can stop buffering.
 * Malformed input of any shape gives a {@link Result}, never an exception.
 */
public final class ClientHello {
  /** What the prefix of the stream says. */
  public sealed interface Result permits Sni, NoSni, NotTls, NeedMore, TooLarge {}

  /** A valid hello naming {@code name}: a host_name, lower-case, without a trailing dot. */
  public record Sni(String name) implements Result {}

  /** A valid hello without server_name (or whose server_name holds no host_name entry). */
  public record NoSni() implements Result {}

  /** Not a ClientHello: {@code why} says which rule the bytes break, for the log. */
  public record NotTls(String why) implements Result {}

  /** The prefix ends inside the hello: call again with more bytes. */
  public record NeedMore() implements Result {}

  /** The hello needs more than {@code max} bytes of the stream. */
  public record TooLarge() implements Result {}

  private static final int HANDSHAKE_RECORD = 22;
  private static final int CLIENT_HELLO = 1;
  private static final int RECORD_HEADER = 5;
  private static final int HANDSHAKE_HEADER = 4;

  /** RFC 8446 5.1: a record's plaintext is at most 2^14 bytes. */
  private static final int MAX_RECORD = 1 << 14;

  private ClientHello() {}

  /**
   * Parses the first {@code length} bytes of {@code prefix}, the accumulated prefix of the client's
   * stream, looking at no more than {@code max} of them.
   */
  public static Result read(byte[] prefix, int length, int max) {
    Objects.checkFromIndexSize(0, length, prefix.length);
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative: " + max);
    }
    return new Records(prefix, Math.min(length, max), max).hello();
  }

  /**
   * Walks the handshake records of the visible bytes and gathers their contents (the handshake
   * message) until the ClientHello is complete, then hands its body to {@link HelloBody}.
   */
  private static final class Records {
    private final byte[] in;
    private final int seen;
    private final int max;
    private final byte[] handshake;
    private int have;

    Records(byte[] in, int seen, int max) {
      this.in = in;
      this.seen = seen;
      this.max = max;
      this.handshake = new byte[seen];
    }

    Result hello() {
      int pos = 0;
      int wanted = -1; // the handshake message's size once its header is in
      while (true) {
        Result header = recordHeader(pos);
        if (header != null) {
          return header;
        }
        int content = pos + RECORD_HEADER;
        int end = content + u16(pos + 3);
        if (wanted >= 0 && atLeastUntil(content, end, wanted - have) > max) {
          return new TooLarge();
        }
        int at = content;
        while (at < end && at < seen && (wanted < 0 || have < wanted)) {
          handshake[have++] = in[at++];
          if (wanted < 0 && have == HANDSHAKE_HEADER) {
            if ((handshake[0] & 0xff) != CLIENT_HELLO) {
              return new NotTls("the first handshake message is type " + (handshake[0] & 0xff));
            }
            wanted = HANDSHAKE_HEADER + u24(handshake, 1);
            if (atLeastUntil(at, end, wanted - have) > max) {
              return new TooLarge();
            }
          }
        }
        if (wanted >= 0 && have == wanted) {
          return HelloBody.serverName(handshake, HANDSHAKE_HEADER, wanted);
        }
        if (at < end) {
          return missing(at + 1);
        }
        pos = end;
      }
    }

    /** The checks on the record header at {@code pos}, byte by byte as far as they are there. */
    private Result recordHeader(int pos) {
      String what = pos == 0 ? "not a TLS handshake record" : "a non-handshake record in the hello";
      if (pos >= seen) {
        return missing(pos + 1);
      }
      if ((in[pos] & 0xff) != HANDSHAKE_RECORD) {
        return new NotTls(what + ": content type " + (in[pos] & 0xff));
      }
      if (pos + 1 >= seen) {
        return missing(pos + 2);
      }
      if (in[pos + 1] != 0x03) {
        return new NotTls(what + ": version major " + (in[pos + 1] & 0xff));
      }
      if (pos + 2 >= seen) {
        return missing(pos + 3);
      }
      if ((in[pos + 2] & 0xff) > 0x04) {
        return new NotTls(what + ": version 3." + (in[pos + 2] & 0xff));
      }
      if (pos + RECORD_HEADER > seen) {
        return missing(pos + RECORD_HEADER);
      }
      int length = u16(pos + 3);
      if (length == 0 || length > MAX_RECORD) {
        return new NotTls("a handshake record of " + length + " bytes (RFC 8446 5.1: 1..16384)");
      }
      return null;
    }

    /**
     * The least stream offset the hello ends at, with {@code remaining} handshake bytes still to
     * come from offset {@code at} in a record that ends at {@code end}: past it, at least one more
     * record header.
     */
    private static long atLeastUntil(int at, int end, int remaining) {
      long last = (long) at + remaining;
      return last <= end ? last : last + RECORD_HEADER;
    }

    /** The stream must reach {@code end}: more bytes would do, unless that is past {@code max}. */
    private Result missing(int end) {
      return end > max ? new TooLarge() : new NeedMore();
    }

    private int u16(int at) {
      return (in[at] & 0xff) << 8 | (in[at + 1] & 0xff);
    }

    private static int u24(byte[] b, int at) {
      return (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff);
    }
  }
}

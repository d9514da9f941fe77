package gateway.proxy.sniff;

/**
 * Reads big-endian fields from a slice of bytes; reading past the slice's end is {@link Malformed},
 * so every length in a message is checked against the bytes that hold it.
 */
final class Cursor {
  private final byte[] bytes;
  private int at;
  private final int end;

  Cursor(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.at = from;
    this.end = to;
  }

  int remaining() {
    return end - at;
  }

  boolean hasMore() {
    return at < end;
  }

  int u8(String field) throws Malformed {
    need(1, field);
    return bytes[at++] & 0xff;
  }

  int u16(String field) throws Malformed {
    need(2, field);
    int v = (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
    at += 2;
    return v;
  }

  void skip(int n, String field) throws Malformed {
    need(n, field);
    at += n;
  }

  /** The next {@code n} bytes as a cursor of their own; this one moves past them. */
  Cursor take(int n, String field) throws Malformed {
    need(n, field);
    Cursor c = new Cursor(bytes, at, at + n);
    at += n;
    return c;
  }

  /** The byte {@code i} places ahead, {@code i < remaining()}. */
  byte peek(int i) {
    return bytes[at + i];
  }

  private void need(int n, String field) throws Malformed {
    if (n > end - at) {
      throw new Malformed(field + " runs past its enclosing length");
    }
  }

  /** The bytes break a length or value rule; the message says which. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }
}

package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The disk tier's file format, version 1: one file per object, a header and then the body.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "GWC1" (0x47574331)
 *      4     2  version, 1
 *      6     4  header length H, from offset 0 to the end of the header CRC (= the body's offset)
 *     10     8  body length B
 *     18     4  body CRC32C
 *     22     2  status code
 *     24     8  request time, epoch ms
 *     32     8  response time, epoch ms
 *     40     *  url, variant: each a u32 byte count and UTF-8 bytes (the key is url "\n" variant)
 *      *     4  header field count N
 *      *     *  N x (name, value): each a u32 byte count and UTF-8 bytes, in received order
 *    H-4     4  header CRC32C, of bytes [0, H-4)
 *      H     B  body
 * </pre>
 *
 * All integers are big-endian. A file is valid only if magic, version and both checksums match, its
 * size is exactly H + B, the status has three digits and every field line is valid HTTP (name a
 * token, value without CR, LF or NUL: RFC 9110 5.1, 5.5). Example: {@code EntryFormatTest} pins the
 * bytes of one header.
 */
final class EntryFormat {
  static final int MAGIC = 0x47574331;
  static final short VERSION = 1;

  /** Magic, version and header length: what a reader needs to know how much more to read. */
  static final int PREFIX = 10;

  /** A sanity bound: no real response head comes near it, a damaged length field may. */
  static final int MAX_HEADER = 1 << 20;

  private static final int FIXED = 40;

  private EntryFormat() {}

  /** A decoded header: the head and where and what the body is. */
  record Header(StoredHead head, int length, long bodyLength, int bodyCrc) {
    long fileSize() {
      return length + bodyLength;
    }
  }

  /** The header bytes for {@code head}; their length does not depend on the body fields. */
  static ByteBuffer encode(StoredHead head, long bodyLength, int bodyCrc) {
    List<byte[]> strings = new ArrayList<>();
    strings.add(utf8(head.url()));
    strings.add(utf8(head.variant()));
    int fields = 0;
    for (Map.Entry<String, String> field : head.headers()) {
      strings.add(utf8(field.getKey()));
      strings.add(utf8(field.getValue()));
      fields++;
    }
    long length = FIXED + 4 + 4;
    for (byte[] s : strings) {
      length += 4 + s.length;
    }
    if (length > MAX_HEADER) {
      throw new IllegalArgumentException("head of " + head.url() + " is " + length + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) length);
    out.putInt(MAGIC).putShort(VERSION).putInt((int) length);
    out.putLong(bodyLength).putInt(bodyCrc);
    out.putShort((short) head.status()).putLong(head.requestTime()).putLong(head.responseTime());
    putString(out, strings.get(0));
    putString(out, strings.get(1));
    out.putInt(fields);
    for (int i = 2; i < strings.size(); i++) {
      putString(out, strings.get(i));
    }
    out.putInt(crc(out.array(), out.position()));
    return out.flip();
  }

  static int encodedLength(StoredHead head) {
    return encode(head, 0, 0).remaining();
  }

  /** The header's total length from its first {@link #PREFIX} bytes. */
  static int headerLength(ByteBuffer prefix) throws DamagedEntryException {
    if (prefix.remaining() < 4 || prefix.getInt(0) != MAGIC) {
      throw new ForeignFileException("no entry magic");
    }
    if (prefix.remaining() < PREFIX) {
      throw new DamagedEntryException("cut short after the magic");
    }
    if (prefix.getShort(4) != VERSION) {
      throw new DamagedEntryException("version " + prefix.getShort(4));
    }
    int length = prefix.getInt(6);
    if (length < FIXED + 16 || length > MAX_HEADER) {
      throw new DamagedEntryException("header length " + length);
    }
    return length;
  }

  /** Decodes a whole header held in {@code in} from index 0, checking magic, version and CRC. */
  static Header decode(ByteBuffer in) throws DamagedEntryException {
    int length = headerLength(in);
    if (in.limit() < length) {
      throw new DamagedEntryException("header cut short");
    }
    byte[] bytes = new byte[length];
    in.get(0, bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt(length - 4) != crc(bytes, length - 4)) {
      throw new DamagedEntryException("header checksum");
    }
    try {
      b.position(PREFIX);
      long bodyLength = b.getLong();
      int bodyCrc = b.getInt();
      int status = b.getShort() & 0xffff;
      long requestTime = b.getLong();
      long responseTime = b.getLong();
      String url = getString(b, length);
      String variant = getString(b, length);
      int fields = b.getInt();
      HttpHeaders headers =
          DefaultHttpHeadersFactory.headersFactory()
              .withNameValidation(false)
              .withValueValidation(false)
              .newHeaders();
      for (int i = 0; i < fields; i++) {
        String name = getString(b, length);
        String value = getString(b, length);
        // The checksum shows the file is whole, not that it is ours: the head is emitted as read.
        if (!FieldSyntax.isName(name) || !FieldSyntax.isValue(value)) {
          throw new DamagedEntryException("header field " + (i + 1) + " is not a valid field line");
        }
        headers.add(name, value);
      }
      if (b.position() != length - 4 || bodyLength < 0) {
        throw new DamagedEntryException("header fields do not add up");
      }
      if (status < 100 || status > 999) {
        throw new DamagedEntryException("status " + status);
      }
      StoredHead head = new StoredHead(url, variant, status, headers, requestTime, responseTime);
      return new Header(head, length, bodyLength, bodyCrc);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new DamagedEntryException("header fields: " + e);
    }
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void putString(ByteBuffer out, byte[] s) {
    out.putInt(s.length).put(s);
  }

  private static String getString(ByteBuffer in, int headerLength) {
    int n = in.getInt();
    if (n < 0 || n > headerLength - in.position()) {
      throw new IllegalArgumentException("string of " + n + " bytes");
    }
    byte[] s = new byte[n];
    in.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}

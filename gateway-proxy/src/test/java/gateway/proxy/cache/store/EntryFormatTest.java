package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.proxy.cache.policy.StoredHead;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The disk entry header, version 1, pinned byte for byte: files written today load tomorrow. */
class EntryFormatTest {
  private static final StoredHead HEAD = head();

  // Checked by hand: CRC32C as in RFC 3720 B.4 (reflected 0x82F63B78), computed apart from Java.
  // magic "GWC1", version 1, header length 0x54 (84), body length 5, body CRC32C of "hello",
  // status 200, request and response times, url "http://a/", variant "gzip", one field
  // "ETag: \"x\"", header CRC32C.
  private static final String GOLDEN =
      "47574331"
          + "0001"
          + "00000054"
          + "0000000000000005"
          + "9a71bb4c"
          + "00c8"
          + "0000018bcfe56800"
          + "0000018bcfe568fa"
          + "00000009"
          + "687474703a2f2f612f"
          + "00000004"
          + "677a6970"
          + "00000001"
          + "00000004"
          + "45546167"
          + "00000003"
          + "227822"
          + "9edd7313";

  @Test
  void headerBytesArePinned() {
    ByteBuffer encoded = EntryFormat.encode(HEAD, 5, 0x9a71bb4c);

    assertThat(hex(encoded)).isEqualTo(GOLDEN);
  }

  @Test
  void decodingGivesBackTheHeadAndTheBodyFields() throws Exception {
    EntryFormat.Header header = EntryFormat.decode(EntryFormat.encode(HEAD, 5, 0x9a71bb4c));

    assertThat(header.head().key()).isEqualTo("http://a/\ngzip");
    assertThat(header.head().status()).isEqualTo(200);
    assertThat(header.head().requestTime()).isEqualTo(HEAD.requestTime());
    assertThat(header.head().responseTime()).isEqualTo(HEAD.responseTime());
    assertThat(header.head().headers().get("ETag")).isEqualTo("\"x\"");
    assertThat(header.length()).isEqualTo(84);
    assertThat(header.bodyLength()).isEqualTo(5);
    assertThat(header.bodyCrc()).isEqualTo(0x9a71bb4c);
  }

  @Test
  void repeatedFieldsKeepTheirOrder() throws Exception {
    StoredHead head = head();
    head.headers().add("Set-Cookie", "a=1").add("Vary", "Accept").add("Set-Cookie", "b=2");

    StoredHead decoded = EntryFormat.decode(EntryFormat.encode(head, 0, 0)).head();

    assertThat(decoded.headers().getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(decoded.headers().names()).containsExactlyInAnyOrder("ETag", "Set-Cookie", "Vary");
  }

  @Test
  void anyFlippedBitIsCaught() {
    byte[] bytes = ByteBufUtil.decodeHexDump(GOLDEN);
    for (int i = 0; i < bytes.length; i++) {
      byte[] damaged = bytes.clone();
      damaged[i] ^= 1;
      assertThatThrownBy(() -> EntryFormat.decode(ByteBuffer.wrap(damaged)))
          .as("bit flipped in byte " + i)
          .isInstanceOf(DamagedEntryException.class);
    }
  }

  private static StoredHead head() {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.add("ETag", "\"x\"");
    return new StoredHead(
        "http://a/", "gzip", 200, headers, 1_700_000_000_000L, 1_700_000_000_250L);
  }

  private static String hex(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return ByteBufUtil.hexDump(bytes);
  }
}

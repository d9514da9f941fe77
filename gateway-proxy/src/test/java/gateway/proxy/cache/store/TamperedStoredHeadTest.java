package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.cache.policy.Heads;
import gateway.proxy.cache.policy.StoredHead;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stored head read from disk is a head the gateway emits: a file whose checksums were made to
 * match a field that is not HTTP (RFC 9110 5.1 token names; 5.5 values without CR, LF or NUL) is
 * damaged, counted, dropped and deleted, and never served.
 */
class TamperedStoredHeadTest {
  @TempDir Path dir;
  private TieredStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CR LF in a value       | X-Note     | a\\r\\nSet-Cookie: session=stolen",
        "LF in a value          | X-Note     | a\\nb",
        "CR in a value          | X-Note     | a\\rb",
        "NUL in a value         | X-Note     | a\\0b",
        "space in a name        | X Note     | a",
        "colon in a name        | X-Note:    | a",
        "CR LF in a name        | X\\r\\nNote | a",
        "empty name             | ''         | a",
      })
  void aTamperedFieldIsFoundOnStartAndNeverServed(String what, String name, String value)
      throws Exception {
    Path file = EntryFiles.write(dir, 1, tampered(name, value), Bodies.of("t", 100));

    store = Stores.onDisk(dir, 1 << 20, 8 << 20, 2 << 20);

    assertThat(store.get("http://h/t")).isNull();
    assertThat(store.stats().damaged()).isEqualTo(1);
    assertThat(file).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CR LF in a value | X-Note    | a\\r\\nSet-Cookie: session=stolen",
        "space in a name  | X Note    | a",
      })
  void aFieldTamperedWhileTheStoreRunsIsFoundOnTheNextHit(String what, String name, String value)
      throws Exception {
    store = Stores.onDisk(dir, 64 * 1024, 8 << 20, 2 << 20); // too large for memory: disk only
    assertThat(Stores.put(store, Heads.ok("http://h/t"), Bodies.of("t", 200_000))).isTrue();
    Path file = objectFile();
    long seq = DiskLayout.seqOf(file);
    Files.delete(file);
    EntryFiles.write(dir, seq, tampered(name, value), Bodies.of("t", 200_000));

    assertThat(store.get("http://h/t")).isNull();
    assertThat(store.stats().damaged()).isEqualTo(1);
    assertThat(file).doesNotExist();
  }

  private static StoredHead tampered(String name, String value) {
    HttpHeaders headers =
        DefaultHttpHeadersFactory.headersFactory()
            .withNameValidation(false)
            .withValueValidation(false)
            .newHeaders();
    headers.add("Cache-Control", "max-age=60");
    headers.add(unescape(name), unescape(value));
    return new StoredHead("http://h/t", "", 200, headers, 1_700_000_000_000L, 1_700_000_000_250L);
  }

  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
  }

  private Path objectFile() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
      return files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
  }
}

package gateway.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden lines of the access-log format, version 2 (see {@link SquidLine}). */
class SquidLineTest {

  @Test
  void aForwardedRequestIsSquidsNativeLine() {
    assertThat(
            SquidLine.format(
                new AccessRecord(
                    1764178488123L,
                    12,
                    "192.168.88.10",
                    CacheAction.TCP_MISS,
                    200,
                    5120,
                    "GET",
                    "http://example.org/",
                    "isp1",
                    "text/html")))
        .isEqualTo(
            "1764178488.123     12 192.168.88.10 TCP_MISS/200 5120 GET http://example.org/ -"
                + " HIER_DIRECT/isp1 text/html");
  }

  @Test
  void aDeniedRequestNamesItsRuleInOneMoreLastField() {
    String line =
        SquidLine.format(
            new AccessRecord(
                1764178488005L,
                0,
                "192.168.88.10",
                CacheAction.TCP_DENIED,
                403,
                1432,
                "GET",
                "http://v.example/watch",
                null,
                "text/html",
                "no-video"));

    assertThat(line)
        .isEqualTo(
            "1764178488.005      0 192.168.88.10 TCP_DENIED/403 1432 GET"
                + " http://v.example/watch - HIER_NONE/- text/html no-video");
    // What Squid-format analysers read: the first ten fields, unchanged.
    assertThat(line.split(" +")).hasSize(11);
  }

  @Test
  void aRuleNameWithSpacesStaysOneField() {
    assertThat(
            SquidLine.format(
                new AccessRecord(
                    0,
                    0,
                    "10.0.0.1",
                    CacheAction.TCP_DENIED,
                    429,
                    0,
                    "GET",
                    "http://a/",
                    null,
                    null,
                    "limits client connections")))
        .endsWith(" HIER_NONE/- - limits%20client%20connections");
  }
}

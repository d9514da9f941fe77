package gateway.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Target strings as {@code health.targets} and {@code uplinks[].health-targets} hold them. */
class ProbeTargetTest {

  @Test
  void eachScheme() {
    assertThat(ProbeTarget.parse("tcp://198.18.100.53:80"))
        .isEqualTo(new ProbeTarget.Tcp("tcp://198.18.100.53:80", "198.18.100.53", 80));
    assertThat(ProbeTarget.parse("http://198.18.100.1/generate_204"))
        .isEqualTo(
            new ProbeTarget.Http(
                "http://198.18.100.1/generate_204",
                "198.18.100.1",
                80,
                "/generate_204",
                OptionalInt.empty()));
    assertThat(ProbeTarget.parse("http://example.net:8080/a?b=c#204"))
        .isEqualTo(
            new ProbeTarget.Http(
                "http://example.net:8080/a?b=c#204",
                "example.net",
                8080,
                "/a?b=c",
                OptionalInt.of(204)));
    assertThat(ProbeTarget.parse("http://198.18.100.1"))
        .extracting(t -> ((ProbeTarget.Http) t).path())
        .isEqualTo("/");
    assertThat(ProbeTarget.parse("dns://198.18.100.53:53/example.org"))
        .isEqualTo(
            new ProbeTarget.Dns(
                "dns://198.18.100.53:53/example.org", "198.18.100.53", 53, "example.org"));
    assertThat(ProbeTarget.parse("dns://198.18.100.53/example.org"))
        .extracting(t -> ((ProbeTarget.Dns) t).port())
        .isEqualTo(53);
    assertThat(ProbeTarget.parse("icmp://198.18.100.53"))
        .isEqualTo(new ProbeTarget.Icmp("icmp://198.18.100.53", "198.18.100.53"));
    assertThat(ProbeTarget.parse("tcp://[2001:db8::1]:53").host()).isEqualTo("2001:db8::1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp://198.18.100.53        | a tcp probe needs a port",
        "dns://198.18.100.53        | a dns probe needs a name",
        "http://h/#abc              | the fragment, if any, is the expected status",
        "https://h/                 | unknown probe scheme 'https'",
        "tcp:198.18.100.53:80       | no host",
        "198.18.100.53:80           | is not a URL",
      })
  void mistakes(String text, String message) {
    assertThatThrownBy(() -> ProbeTarget.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  /** The whole message, as {@code gateway check} prints it after the key path. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp://192.0.2.1       | 'tcp://192.0.2.1': a tcp probe needs a port, e.g. tcp://192.0.2.1:53",
        "ftp://192.0.2.1/      | 'ftp://192.0.2.1/': unknown probe scheme 'ftp' (write tcp://host:port,"
            + " http://host/path, dns://ip:53/name or icmp://ip)",
        "//192.0.2.1:53        | '//192.0.2.1:53': no probe scheme (write tcp://host:port,"
            + " http://host/path, dns://ip:53/name or icmp://ip)",
        "dns://resolver/a.org  | 'dns://resolver/a.org': a dns probe needs an IP address, not 'resolver'",
        "icmp://gw.example     | 'icmp://gw.example': a icmp probe needs an IP address, not 'gw.example'",
        "dns://192.0.2.1:53    | 'dns://192.0.2.1:53': a dns probe needs a name to ask for,"
            + " e.g. dns://192.0.2.1:53/example.org",
        "icmp://192.0.2.1:7    | 'icmp://192.0.2.1:7': an icmp probe has no port",
        "http://h/#700         | 'http://h/#700': the fragment, if any, is the expected status (100..599)",
        "'tcp://a b:1'         | 'tcp://a b:1' is not a URL",
      })
  void eachMistakeIsSaidInFull(String text, String message) {
    assertThatThrownBy(() -> ProbeTarget.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}

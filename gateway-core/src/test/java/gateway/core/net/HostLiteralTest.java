package gateway.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a host is read: one canonical spelling per address, names left alone, and every numeric
 * spelling that RFC 3986 3.2.2, the WHATWG URL parser and inet_aton do not read as the same address
 * refused.
 */
class HostLiteralTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // RFC 3986 IPv4address, as is.
        "127.0.0.2               | 127.0.0.2",
        "0.0.0.0                 | 0.0.0.0",
        "255.255.255.255         | 255.255.255.255",
        // Leading zeros that octal and decimal read alike.
        "127.000.000.002         | 127.0.0.2",
        "000.0.0.0               | 0.0.0.0",
        "010.0.0.7               | AMBIGUOUS",
        "127.0.0.007             | 127.0.0.7",
        // IPv6 in any RFC 4291 spelling, written per RFC 5952; mapped IPv4 is IPv4.
        "[::ffff:127.0.0.2]      | 127.0.0.2",
        "::ffff:7f00:2           | 127.0.0.2",
        "[::]                    | ::",
        "0:0:0:0:0:0:0:1         | ::1",
        "2001:DB8:0:0:1:0:0:1    | 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1    | 2001:db8:0:1:1:1:1:1",
        "fe80:0:0:0:0:0:0:00a    | fe80::a",
        // Short, hex and octal forms: a browser reads an address, RFC 3986 a name. Refused.
        "0                       | AMBIGUOUS",
        "0x0                     | AMBIGUOUS",
        "0x7f.0.0.2              | AMBIGUOUS",
        "0x7f000002              | AMBIGUOUS",
        "127.1                   | AMBIGUOUS",
        "2130706434              | AMBIGUOUS",
        "0177.0.0.2              | AMBIGUOUS",
        "256.0.0.1               | AMBIGUOUS",
        "1.2.3.4.5               | AMBIGUOUS",
        "example.123             | AMBIGUOUS",
        "::ffff:127.000.000.010  | AMBIGUOUS",
        "1:2:3:4:5:6:7:8:9       | AMBIGUOUS",
        "::g                     | AMBIGUOUS",
        // Names.
        "example.org             | NAME",
        "1e100.net               | NAME",
        "0x7f.example            | NAME",
        "localhost               | NAME",
      })
  void readsAHost(String host, String expected) {
    HostLiteral.Reading r = HostLiteral.read(host);

    switch (expected) {
      case "NAME" -> assertThat(r).isEqualTo(new HostLiteral.Name(host));
      case "AMBIGUOUS" -> assertThat(r).isInstanceOf(HostLiteral.Ambiguous.class);
      default ->
          assertThat(r)
              .isInstanceOfSatisfying(
                  HostLiteral.Address.class, a -> assertThat(a.canonical()).isEqualTo(expected));
    }
  }
}

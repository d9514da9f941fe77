package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secondary keys from Vary (RFC 9111 4.1). */
class VaryTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                          | response headers                                 | names
      RFC 9111 4.1: no Vary                          | ''                                               | ''
      RFC 9111 4.1: names lower case, sorted, once   | Vary: User-Agent, accept-encoding // Vary: Accept-Encoding | accept-encoding user-agent
      RFC 9111 4.1: * anywhere means anything        | Vary: Accept // Vary: Cookie, *                  | *
      RFC 9110 5.6.1: empty list elements            | Vary: , Accept ,,                                | accept
      """)
  void namesFromTheResponse(String rfc, String response, String names) {
    List<String> expected = names.isEmpty() ? List.of() : List.of(names.split(" "));

    assertThat(Vary.names(headers(response))).as(rfc).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                                | vary names                 | request A                                     | request B                                | same key
      RFC 9111 4.1: same value                             | accept-encoding            | Accept-Encoding: gzip                         | Accept-Encoding: gzip                    | true
      RFC 9111 4.1: different value                        | accept-encoding            | Accept-Encoding: gzip                         | Accept-Encoding: br                      | false
      RFC 9111 4.1: whitespace where the syntax allows it  | accept-encoding            | Accept-Encoding: gzip,br                      | Accept-Encoding:   gzip ,  br           | true
      RFC 9111 4.1: combining field lines                  | accept-encoding            | Accept-Encoding: gzip, br                     | Accept-Encoding: gzip // Accept-Encoding: br | true
      RFC 9111 4.1: order of members still counts          | accept-encoding            | Accept-Encoding: gzip, br                     | Accept-Encoding: br, gzip                | false
      RFC 9111 4.1: absent in both matches                 | accept-language            | Accept: */*                                   | ''                                       | true
      RFC 9111 4.1: absent does not match empty            | accept-encoding            | ''                                            | Accept-Encoding:                         | false
      RFC 9111 4.1: field names are case-insensitive       | Accept-Encoding            | accept-encoding: gzip                         | ACCEPT-ENCODING: gzip                    | true
      RFC 9111 4.1: fields not named do not matter         | accept-encoding            | Accept-Encoding: gzip // User-Agent: a        | Accept-Encoding: gzip // User-Agent: b   | true
      RFC 9111 4.1: every named field must match           | accept-encoding user-agent | Accept-Encoding: gzip // User-Agent: a        | Accept-Encoding: gzip // User-Agent: b   | false
      RFC 9111 4.1: inner runs of spaces made one          | user-agent                 | User-Agent: Mozilla/5.0  (X11)                | User-Agent: Mozilla/5.0 (X11)            | true
      """)
  void secondaryKeysMatchAsTheRfcAllows(
      String rfc, String names, String requestA, String requestB, boolean same) {
    List<String> vary = List.of(names.split(" "));

    String a = Vary.secondaryKey(vary, headers(requestA));
    String b = Vary.secondaryKey(vary, headers(requestB));

    assertThat(a.equals(b)).as(rfc + ": " + a + " vs " + b).isEqualTo(same);
  }

  @Test
  void keyIsNameEqualsValueLinesInNameOrder() {
    String key =
        Vary.secondaryKey(
            List.of("User-Agent", "accept-encoding", "accept-language"),
            headers("Accept-Encoding: gzip , br // User-Agent: curl/8"));

    assertThat(key).isEqualTo("accept-encoding=gzip,br\naccept-language\nuser-agent=curl/8");
  }

  @Test
  void noVaryGivesTheEmptyKey() {
    assertThat(Vary.secondaryKey(List.of(), headers("Accept: */*"))).isEmpty();
  }

  @Test
  void starHasNoKey() {
    assertThatThrownBy(() -> Vary.secondaryKey(List.of("*"), headers("")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

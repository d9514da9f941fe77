package gateway.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An access rule's regular expression, compiled once when the config is read. */
class RegexTest {

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource({
    // a search, not a whole match
    "/upload, http://files.example/upload/x, true",
    "^http://files\\.example/blocked/, http://files.example/blocked/a, true",
    "^http://files\\.example/blocked/, http://files.example/open/blocked/, false",
    "^/blocked, http://files.example/blocked/, false",
    // case counts
    "/Upload, http://files.example/upload/x, false",
  })
  void isSearchedForInTheText(String regex, String text, boolean found) {
    assertThat(Regex.parse(regex).foundIn(text)).isEqualTo(found);
  }

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource({
    "^cdn[0-9]*\\.example$, CDN7.Example, true",
    "(^|\\.)track(er)?s?\\., ads.Trackers.example, true",
    "^cdn[0-9]*\\.example$, cdn.example.org, false",
  })
  void aHostNameExpressionIgnoresCase(String regex, String host, boolean found) {
    assertThat(Regex.parseIgnoringCase(regex).foundIn(host)).isEqualTo(found);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "(unclosed  | '(unclosed' is not a regular expression: Unclosed group",
        "[a-        | '[a-' is not a regular expression: Illegal character range",
        "*leading   | '*leading' is not a regular expression: Dangling meta character '*'",
      })
  void aBadExpressionSaysWhatIsWrong(String regex, String message) {
    assertThatThrownBy(() -> Regex.parse(regex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void expressionsWrittenAlikeWithTheSameFlagsAreEqual() {
    assertThat(Regex.parse("a+b"))
        .isEqualTo(Regex.parse("a+b"))
        .hasSameHashCodeAs(Regex.parse("a+b"));
    assertThat(Regex.parse("a+b")).isNotEqualTo(Regex.parseIgnoringCase("a+b"));
    assertThat(Regex.parse("a+b")).hasToString("a+b");
  }
}

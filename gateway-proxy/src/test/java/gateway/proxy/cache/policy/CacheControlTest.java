package gateway.proxy.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parsing Cache-Control (RFC 9111 5.2, RFC 5861). Each row names the directives it expects; every
 * directive it does not name must be as if absent.
 */
class CacheControlTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # rfc                                            | field lines (// separates lines)             | expected
      RFC 9111 5.2: no directives                      | ''                                           | ''
      RFC 9111 5.2.2.5: no-store                       | no-store                                     | noStore=true
      RFC 9111 5.2: names are case-insensitive         | No-Store, MAX-AGE=60                         | noStore=true; maxAge=60
      RFC 9111 5.2.2.4: unqualified no-cache           | no-cache                                     | noCache=true
      RFC 9111 5.2.2.4: qualified no-cache, comma in quotes | 'no-cache="Set-Cookie, X-Foo", max-age=5' | noCache=true; noCacheFields=[set-cookie, x-foo]; maxAge=5
      RFC 9111 5.2.2.7: unqualified private            | private                                      | isPrivate=true
      RFC 9111 5.2.2.7: qualified private              | 'private="x-user"'                           | isPrivate=true; privateFields=[x-user]
      RFC 9111 5.2.2.9: public                         | public, max-age=3600                         | isPublic=true; maxAge=3600
      RFC 9111 5.2.2.10: s-maxage                      | s-maxage=600                                 | sMaxAge=600
      RFC 9111 5.2.2.2 and 5.2.2.8                     | must-revalidate, proxy-revalidate            | mustRevalidate=true; proxyRevalidate=true
      RFC 9111 5.2.2.3 and 5.2.2.6                     | must-understand, no-store, no-transform      | mustUnderstand=true; noStore=true; noTransform=true
      RFC 9111 5.2.1.7: only-if-cached                 | only-if-cached                               | onlyIfCached=true
      RFC 9111 5.2.1.2: max-stale without value: any   | max-stale                                    | maxStale=ANY
      RFC 9111 5.2.1.2: max-stale with value           | max-stale=30                                 | maxStale=30
      RFC 9111 5.2.1.3: min-fresh                      | min-fresh=10                                 | minFresh=10
      RFC 5861 3 and 4                                 | stale-while-revalidate=60, stale-if-error=86400 | staleWhileRevalidate=60; staleIfError=86400
      RFC 9111 5.2: all field lines count              | max-age=60 // no-cache // public             | maxAge=60; noCache=true; isPublic=true
      RFC 9111 5.2: quoted argument accepted           | 'max-age="60"'                               | maxAge=60
      RFC 9110 5.6.4: quoted-pair in a quoted string   | 'no-cache="a\\"b", private'                  | noCache=true; noCacheFields=[a"b]; isPrivate=true
      RFC 9110 5.6.1: empty list elements and spaces   | ' , ,max-age=60 ,,  public , '               | maxAge=60; isPublic=true
      RFC 9111 1.2.2: saturates at 2^31                | max-age=99999999999999999999999              | maxAge=2147483648
      RFC 9111 4.2.1: invalid max-age means stale      | max-age=abc                                  | freshnessInvalid=true
      RFC 9111 4.2.1: negative max-age means stale     | max-age=-1                                   | freshnessInvalid=true
      RFC 9111 4.2.1: empty max-age means stale        | max-age=                                     | freshnessInvalid=true
      RFC 9111 4.2.1: max-age without value is stale   | max-age                                      | freshnessInvalid=true
      RFC 9111 4.2.1: conflicting max-age means stale  | max-age=60, max-age=120                      | maxAge=60; freshnessInvalid=true
      RFC 9111 4.2.1: conflicting s-maxage over lines  | s-maxage=1 // s-maxage=2                     | sMaxAge=1; freshnessInvalid=true
      RFC 9111 4.2.1: a repeated equal max-age is fine | max-age=60, max-age=60                       | maxAge=60
      RFC 9111 4.2.1: other repeats take the first     | max-stale=5, max-stale=50, min-fresh=1, min-fresh=2 | maxStale=5; minFresh=1
      RFC 9111 4.2.1: an invalid max-stale is ignored  | max-stale=soon                               | ''
      RFC 9111 4.2.1: the first valid value counts     | stale-if-error=x, stale-if-error=7           | staleIfError=7
      RFC 9111 5.2.3: unknown directives are ignored   | community=UCI, foo="bar, baz", max-age=5     | maxAge=5
      RFC 9111 5.2: an unterminated quote runs to the end | 'no-cache="a, max-age=5'                  | noCache=true; noCacheFields=[a, max-age=5]
      RFC 9111 5.2: junk after a quoted string dropped | 'private="a"junk, max-age=5'                 | isPrivate=true; privateFields=[a]; maxAge=5
      RFC 9111 5.2: spaces around = tolerated          | max-age = 60                                 | maxAge=60
      """)
  void parsesDirectives(String rfc, String lines, String expected) {
    CacheControl cc = CacheControl.parse(List.of(lines.split("//")));

    assertThat(describe(cc)).as(rfc).isEqualTo(describeExpected(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      RFC 9111 5.4: Pragma no-cache                  | Pragma: no-cache                 | true
      RFC 9111 5.4: any case, among other directives | Pragma: x-foo, No-Cache          | true
      RFC 9111 5.4: other pragmas are not no-cache   | Pragma: x-no-cache               | false
      RFC 9111 5.4: no Pragma                        | ''                               | false
      """)
  void readsPragmaNoCache(String rfc, String headers, boolean noCache) {
    assertThat(CacheControl.pragmaNoCache(Heads.headers(headers))).as(rfc).isEqualTo(noCache);
  }

  static Stream<String> randomFieldValues() {
    Random random = new Random(9111);
    String[] pieces = {
      "max-age",
      "s-maxage",
      "no-cache",
      "private",
      "max-stale",
      "stale-if-error",
      "=",
      "=",
      ",",
      ",",
      "\"",
      "\\",
      " ",
      "\t",
      "0",
      "7",
      "99999999999999999999",
      "-",
      "abc",
      "é",
      ";",
      "*"
    };
    return IntStream.range(0, 2000)
        .mapToObj(
            i -> {
              StringBuilder value = new StringBuilder();
              int n = random.nextInt(12);
              for (int j = 0; j < n; j++) {
                value.append(pieces[random.nextInt(pieces.length)]);
              }
              return value.toString();
            });
  }

  @ParameterizedTest
  @MethodSource("randomFieldValues")
  void neverThrowsAndKeepsSecondsInRange(String value) {
    CacheControl cc = CacheControl.parse(List.of(value, value));

    for (long seconds :
        new long[] {
          cc.maxAge(), cc.sMaxAge(), cc.minFresh(), cc.staleIfError(), cc.staleWhileRevalidate()
        }) {
      assertThat(seconds).isBetween(CacheControl.ABSENT, DeltaSeconds.MAX);
    }
    assertThat(cc.maxStale())
        .satisfiesAnyOf(
            s -> assertThat(s).isBetween(CacheControl.ABSENT, DeltaSeconds.MAX),
            s -> assertThat(s).isEqualTo(CacheControl.ANY));
  }

  /** Every component of {@code cc} as {@code name=value}. */
  private static Map<String, String> describe(CacheControl cc) {
    Map<String, String> out = new LinkedHashMap<>();
    for (RecordComponent c : CacheControl.class.getRecordComponents()) {
      try {
        Object value = c.getAccessor().invoke(cc);
        out.put(
            c.getName(), Long.valueOf(CacheControl.ANY).equals(value) ? "ANY" : value.toString());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /**
   * The description of {@link CacheControl#NONE} with the row's {@code name=value; ...} applied.
   */
  private static Map<String, String> describeExpected(String expected) {
    Map<String, String> out = describe(CacheControl.NONE);
    List<String> unknown = new ArrayList<>();
    for (String pair : expected.split(";")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] nameValue = pair.trim().split("=", 2);
      if (out.put(nameValue[0], nameValue[1]) == null) {
        unknown.add(nameValue[0]);
      }
    }
    assertThat(unknown).as("unknown components in " + Arrays.toString(unknown.toArray())).isEmpty();
    return out;
  }
}

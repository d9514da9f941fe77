package gateway.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesValuesAsJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "isp\"1\"\n");
    m.put("n", 3);
    m.put("rtt", 21.25);
    m.put("whole", 2.0);
    m.put("unknown", Double.NaN);
    m.put("none", null);
    m.put("list", Arrays.asList(true, false, null));
    m.put("html", "</script>");

    assertThat(Json.write(m))
        .isEqualTo(
            "{\"name\":\"isp\\\"1\\\"\\n\",\"n\":3,\"rtt\":21.25,\"whole\":2,"
                + "\"unknown\":null,\"none\":null,\"list\":[true,false,null],\"html\":\"\\u003c/script>\"}");
  }

  @Test
  void parsesWhatItWrites() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", List.of(1.5, "x", Map.of("b", false)));
    m.put("c", "\u00e9\t\\");

    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    assertThat(Json.parse(" { \"k\" : [ ] , \"e\" : { } , \"u\": \"\\u0041\", \"x\": -1.5e2 } "))
        .isEqualTo(Map.of("k", List.of(), "e", Map.of(), "u", "A", "x", -150.0));
  }

  @Test
  void rejectsBrokenJson() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1")).hasMessageContaining("expected '}'");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("trailing");
    assertThatThrownBy(() -> Json.parse("<html>")).hasMessageContaining("unexpected '<'");
  }
}

package gateway.app.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The status page: one self-contained HTML file (inline CSS, script and SVG charts; nothing from
 * the internet), with the current status document embedded so it draws at once; it then refreshes
 * itself from {@code api/status} every two seconds.
 */
final class StatusPage {
  private static final String MARK = "/*STATUS*/";
  private final String before;
  private final String after;

  private StatusPage(String html) {
    int i = html.indexOf(MARK);
    if (i < 0) {
      throw new IllegalStateException("status.html has no " + MARK);
    }
    before = html.substring(0, i);
    after = html.substring(i + MARK.length());
  }

  static StatusPage load() {
    try (InputStream in = StatusPage.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("status.html missing from the jar");
      }
      return new StatusPage(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The page with {@code status} embedded ({@link Json} escapes '<', so it cannot end the script).
   */
  String render(Map<String, Object> status) {
    return before + Json.write(status) + after;
  }
}

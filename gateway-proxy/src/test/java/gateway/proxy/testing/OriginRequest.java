package gateway.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One request as an origin reads it off the wire, framed as RFC 9112 6.3 says (chunked, else
 * Content-Length, else no body): what a strict origin takes for one request is one of these, so a
 * body the gateway left unframed shows up as a second, smuggled request. {@code raw} holds the
 * exact bytes read.
 */
public record OriginRequest(String requestLine, List<String[]> fields, byte[] body, byte[] raw) {

  /** Reads the next request, or returns null when the connection ends before one begins. */
  public static OriginRequest read(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    String line = line(in, raw);
    if (line == null) {
      return null;
    }
    String requestLine = line;
    List<String[]> fields = new ArrayList<>();
    while (!(line = required(line(in, raw))).isEmpty()) {
      int colon = line.indexOf(':');
      fields.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
    }
    OriginRequest head = new OriginRequest(requestLine, fields, new byte[0], new byte[0]);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String te = head.field("Transfer-Encoding");
    String length = head.field("Content-Length");
    if (te != null && te.toLowerCase(Locale.ROOT).endsWith("chunked")) {
      while (true) {
        String size = required(line(in, raw));
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!required(line(in, raw)).isEmpty()) {
            // trailer fields
          }
          break;
        }
        byte[] chunk = in.readNBytes(n);
        raw.write(chunk);
        body.write(chunk);
        required(line(in, raw));
      }
    } else if (length != null) {
      byte[] all = in.readNBytes(Integer.parseInt(length));
      raw.write(all);
      body.write(all);
    }
    return new OriginRequest(requestLine, fields, body.toByteArray(), raw.toByteArray());
  }

  /** The values of every field named {@code name}, joined by ", " (RFC 9110 5.3); null if none. */
  public String field(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  public List<String> all(String name) {
    List<String> values = new ArrayList<>();
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        values.add(f[1]);
      }
    }
    return values;
  }

  public String target() {
    return requestLine.split(" ")[1];
  }

  public String bodyText() {
    return new String(body, StandardCharsets.ISO_8859_1);
  }

  public String rawText() {
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  private static String required(String line) throws IOException {
    if (line == null) {
      throw new IOException("the connection ended inside a request");
    }
    return line;
  }

  private static String line(InputStream in, ByteArrayOutputStream raw) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      raw.write(c);
      if (c == '\n') {
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') {
          b.setLength(len - 1);
        }
        return b.toString();
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }
}

package gateway.proxy.answer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The short page the gateway answers with when it cannot or will not forward a request: the status,
 * one sentence naming the cause, and what the user can do. The cause is also in {@code
 * X-Gateway-Error}, so scripts need not parse HTML.
 */
public final class ErrorPage {
  private ErrorPage() {}

  public static FullHttpResponse create(
      ByteBufAllocator alloc, HttpResponseStatus status, String cause, boolean keepAlive) {
    String title = status.code() + " " + status.reasonPhrase();
    String html =
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width\"><title>"
            + escape(title)
            + "</title></head>\n<body><h1>"
            + escape(title)
            + "</h1>\n<p>"
            + escape(cause)
            + "</p>\n<hr><p><small>gateway</small></p></body></html>\n";
    ByteBuf body = alloc.buffer(html.length());
    body.writeCharSequence(html, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set("X-Gateway-Error", headerSafe(cause));
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  private static String headerSafe(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return b.toString();
  }

  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}

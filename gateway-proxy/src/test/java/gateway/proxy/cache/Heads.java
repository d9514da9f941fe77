package gateway.proxy.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** Stored heads for store tests: a 200 with a few ordinary headers. */
final class Heads {
  private Heads() {}

  static StoredHead ok(String url) {
    return ok(url, "");
  }

  static StoredHead ok(String url, String variant) {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.add("Content-Type", "application/octet-stream");
    headers.add("Cache-Control", "max-age=60");
    return new StoredHead(url, variant, 200, headers, 1_700_000_000_000L, 1_700_000_000_250L);
  }

  static StoredHead varying(String url, String variant, String vary) {
    StoredHead head = ok(url, variant);
    head.headers().add("Vary", vary);
    return head;
  }

  static StoredHead withHeader(StoredHead head, String name, String value) {
    HttpHeaders headers = head.headers().copy();
    headers.set(name, value);
    return new StoredHead(
        head.url(), head.variant(), head.status(), headers, head.requestTime(), head.responseTime());
  }
}

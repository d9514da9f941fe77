package gateway.proxy.admission;

import gateway.proxy.message.HopByHop;
import gateway.proxy.message.RequestTarget;
import gateway.proxy.message.TransferCodings;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a decoded request head can be forwarded: a pure function of the head and the
 * limits. Each rejection carries the status and the reason the client is shown.
 */
public final class RequestCheck {

  /** What to do with a request head. */
  public sealed interface Verdict permits Forward, Reject {}

  /** Forward to {@code target}; {@code connect} for a CONNECT tunnel. */
  public record Forward(RequestTarget target, boolean connect) implements Verdict {}

  /**
   * Answer with {@code status}. {@code framingBroken}: the request's end cannot be found, so the
   * connection must close after the answer.
   */
  public record Reject(HttpResponseStatus status, String reason, boolean framingBroken)
      implements Verdict {}

  private RequestCheck() {}

  public static Verdict check(HttpRequest req, int maxHeaders) {
    return check(req, maxHeaders, null);
  }

  /**
   * Checks a request that came on an intercepted connection to {@code interceptedTo} (null: on the
   * proxy port): its target is then read by {@link InterceptedRequest#target}.
   */
  public static Verdict check(HttpRequest req, int maxHeaders, InetSocketAddress interceptedTo) {
    DecoderResult result = req.decoderResult();
    if (result.isFailure()) {
      return decoderFailure(result.cause());
    }
    if (req.headers().size() > maxHeaders) {
      return new Reject(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "the request has "
              + req.headers().size()
              + " header fields; at most "
              + maxHeaders
              + " are allowed",
          true);
    }
    HttpVersion version = req.protocolVersion();
    if (version.majorVersion() < 1) {
      // RFC 9112 2.3 and 2.6: HTTP/0.9 had no version in its request line; a version below 1.0 in
      // one is no HTTP request this gateway can frame (Squid answers 400 too).
      return new Reject(
          HttpResponseStatus.BAD_REQUEST,
          "HTTP version " + version.text() + " is below HTTP/1.0",
          true);
    }
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      return new Reject(
          HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
          "HTTP version " + version.text() + " is not supported",
          true);
    }
    Reject framing = checkFraming(req);
    if (framing == null) {
      framing = checkConnectionOptions(req);
    }
    if (framing != null) {
      return framing;
    }
    List<String> hosts = req.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return new Reject(HttpResponseStatus.BAD_REQUEST, "more than one Host header field", false);
    }
    if (hosts.isEmpty() && version.equals(HttpVersion.HTTP_1_1)) {
      // RFC 9112 3.2: an HTTP/1.1 request without Host gets 400, even in absolute-form.
      return new Reject(
          HttpResponseStatus.BAD_REQUEST, "HTTP/1.1 request without a Host header", false);
    }
    if (interceptedTo != null) {
      return InterceptedRequest.target(req, interceptedTo);
    }
    boolean connect = req.method().equals(HttpMethod.CONNECT);
    try {
      RequestTarget target =
          connect ? RequestTarget.connect(req.uri()) : RequestTarget.absolute(req.uri());
      return new Forward(target, connect);
    } catch (RequestTarget.Invalid e) {
      return new Reject(HttpResponseStatus.BAD_REQUEST, e.getMessage(), false);
    }
  }

  /**
   * A part of a request body the decoder could not frame (RFC 9112 7.1: a chunk size that is not
   * 1*HEXDIG or overflows, a bare CR in a chunk extension, chunk data not followed by CRLF, a bad
   * trailer field): the body's end cannot be found, so nothing of it may be taken as whole.
   */
  public static Reject bodyFailure(Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new Reject(
        HttpResponseStatus.BAD_REQUEST,
        "malformed chunked request body (RFC 9112 7.1): " + why,
        true);
  }

  private static Reject checkFraming(HttpRequest req) {
    List<String> codings = req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return null;
    }
    if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      // RFC 9112 6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
      return new Reject(
          HttpResponseStatus.BAD_REQUEST,
          "Transfer-Encoding is not allowed in an HTTP/1.0 request",
          true);
    }
    String last = codings.get(codings.size() - 1);
    int comma = last.lastIndexOf(',');
    String finalCoding =
        (comma < 0 ? last : last.substring(comma + 1)).trim().toLowerCase(Locale.ROOT);
    if (!finalCoding.equals("chunked")) {
      // RFC 9112 6.3: a request whose final coding is not chunked cannot be framed: 400, then
      // close.
      return new Reject(
          HttpResponseStatus.BAD_REQUEST,
          "Transfer-Encoding must end with chunked, got '" + finalCoding + "'",
          true);
    }
    String unsupported = TransferCodings.unsupported(req.headers());
    if (unsupported != null) {
      // RFC 9112 6.1, RFC 9110 15.6.2: a coding we cannot undo is not dropped, nor passed on as if
      // it were the content: 501. The body is chunked, so its end can still be found.
      return new Reject(
          HttpResponseStatus.NOT_IMPLEMENTED,
          "Transfer-Encoding "
              + unsupported
              + " is not implemented by the gateway; only chunked is",
          false);
    }
    return null;
  }

  /**
   * RFC 9110 7.6.1: Connection names fields for this hop alone; naming the body's framing or the
   * target would take them away from the next hop (a body without framing is read upstream as the
   * next request).
   */
  private static Reject checkConnectionOptions(HttpRequest req) {
    String named = HopByHop.namedFramingOrRouting(req.headers());
    if (named == null) {
      return null;
    }
    return new Reject(
        HttpResponseStatus.BAD_REQUEST,
        "Connection names "
            + named
            + ", which frames or routes the request and cannot be a connection option",
        false);
  }

  private static Reject decoderFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new Reject(
          HttpResponseStatus.REQUEST_URI_TOO_LONG,
          "the request line is longer than the limit",
          true);
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new Reject(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "the request header block is larger than the limit",
          true);
    }
    if (cause instanceof TooLongFrameException) {
      return new Reject(
          HttpResponseStatus.BAD_REQUEST, "a request part is larger than the limit", true);
    }
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (why.contains("Content-Length")) {
      // Both Content-Length and Transfer-Encoding, or several differing lengths: a smuggling shape.
      return new Reject(
          HttpResponseStatus.BAD_REQUEST, "conflicting message framing: " + why, true);
    }
    return new Reject(HttpResponseStatus.BAD_REQUEST, "malformed request: " + why, true);
  }
}

package gateway.proxy.origin;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What {@link OriginResponseHandler} hands an origin's response to, on the upstream connection's
 * event loop: the client's {@link OriginLeg} while the client is there, an {@code OrphanedFill}
 * when the client left a download that other clients are fed from.
 */
public interface ResponseReceiver {
  /**
   * The response head (an interim 1xx one too). Does not own {@code r}'s content, if it has any.
   */
  void responseHead(HttpResponse r);

  /**
   * One part of the body, owned by the receiver from here on. Returns false when the origin should
   * not be read again for now (the client cannot take more); true to go on reading.
   */
  boolean responseContent(HttpContent c);

  /** The origin's last read batch is passed on: a good moment to flush. */
  void flushToClient();

  /** The upstream connection can take more of the request body. */
  void upstreamWritable();

  /** The upstream connection closed or failed ({@code cause}, or null for a plain close). */
  void upstreamGone(Throwable cause);
}

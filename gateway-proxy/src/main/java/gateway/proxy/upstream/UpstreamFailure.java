package gateway.proxy.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/** Why an origin could not be reached, as the status and sentence the client's error page shows. */
public record UpstreamFailure(HttpResponseStatus status, String reason) {

  /**
   * @param cause what the resolver or connect reported; null when the origin closed without
   *     answering
   * @param where {@code host:port} as the user wrote it
   */
  public static UpstreamFailure of(Throwable cause, String host, String where) {
    if (cause instanceof AllUplinksDown) {
      return new UpstreamFailure(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "the internet connection is down: every uplink failed its health checks."
              + " The gateway keeps checking and will use an uplink again as soon as it works.");
    }
    if (cause instanceof ConnectTimeoutException) {
      return new UpstreamFailure(
          HttpResponseStatus.GATEWAY_TIMEOUT, "connecting to " + where + " timed out");
    }
    if (cause instanceof UnknownHostException) {
      return new UpstreamFailure(
          HttpResponseStatus.BAD_GATEWAY, "the name " + host + " cannot be resolved");
    }
    if (cause instanceof NoRouteToHostException) {
      return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "no route to " + where);
    }
    if (cause instanceof ConnectException) {
      return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, where + " refused the connection");
    }
    if (cause == null) {
      return new UpstreamFailure(
          HttpResponseStatus.BAD_GATEWAY, where + " closed the connection without answering");
    }
    return new UpstreamFailure(
        HttpResponseStatus.BAD_GATEWAY, "cannot reach " + where + ": " + cause.getMessage());
  }
}

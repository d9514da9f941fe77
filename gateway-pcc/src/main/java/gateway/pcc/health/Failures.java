package gateway.pcc.health;

import io.netty.channel.ConnectTimeoutException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Short reasons for failed probes, for results and log lines. */
final class Failures {
  private Failures() {}

  static String reason(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && c.getMessage() == null) {
      c = c.getCause();
    }
    String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
    if (c instanceof ConnectTimeoutException || msg.contains("timed out")) {
      return "timeout";
    }
    if (c instanceof PortUnreachableException || msg.contains("refused")) {
      return "refused";
    }
    if (c instanceof NoRouteToHostException || msg.contains("no route")) {
      return "no route";
    }
    if (msg.contains("unreachable")) {
      return "unreachable";
    }
    if (c instanceof UnknownHostException) {
      return "unknown host";
    }
    if (c instanceof BindException || msg.contains("cannot assign requested address")) {
      return "cannot bind the uplink's address";
    }
    if (msg.contains("reset")) {
      return "reset";
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}

package gateway.app.firewall;

import java.io.IOException;

/**
 * The firewall could not be installed, replaced or removed. The message is a sentence for the
 * admin: what failed, what the command said, and what to do.
 */
public final class FirewallException extends IOException {
  private static final long serialVersionUID = 1L;

  FirewallException(String message, Throwable cause) {
    super(message, cause);
  }
}

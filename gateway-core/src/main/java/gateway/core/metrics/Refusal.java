package gateway.core.metrics;

import java.util.Locale;

/**
 * Why the gateway refused a request with an answer of its own: a small fixed set, so that a metric
 * labelled by it stays small whatever clients send. The page and the access log say more.
 */
public enum Refusal {
  /** The request is malformed, too large or of an unsupported version (400, 414, 431, 501, 505). */
  INVALID_REQUEST,
  /** The client's address is not in {@code clients.allow} (403). */
  CLIENT_NOT_ALLOWED,
  /** The client has more connections open than {@code limits.client-connections} (429). */
  CLIENT_CONNECTIONS,
  /** The request already passed through this gateway, or its destination is the gateway (403). */
  FORWARDING_LOOP,
  /** An access rule denied the request, its destination or its response (403). */
  ACCESS_RULE,
  /** A CONNECT to a port not in {@code connect-ports} (403). */
  CONNECT_PORT,
  /** A PURGE from an address not in the admin's (403). */
  PURGE_NOT_ALLOWED;

  /** The metric label: the name in lower case, e.g. {@code access_rule}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

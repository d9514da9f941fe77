package gateway.proxy.origin;

import java.io.IOException;

/**
 * The origin answered, but with a response that cannot be parsed or framed (a broken head, a body
 * whose length is in doubt). Its connection is closed, and the request is not sent again: the
 * origin has acted on it, and would likely answer the same.
 */
final class InvalidResponse extends IOException {
  InvalidResponse(String message) {
    super(message);
  }
}

package gateway.core.config;

import java.util.Optional;

/**
 * {@code admin.*} beyond {@code admin.listen}.
 *
 * @param token {@code admin.token}: when set, a request to the admin listener from another machine
 *     must carry {@code Authorization: Bearer <token>} (loopback needs none). Without a token the
 *     admin listener must listen on a loopback address: the loader refuses anything else, so the
 *     status page and metrics are never open to the LAN by accident.
 */
public record AdminConfig(Optional<String> token) {

  /** Shortest token accepted: a guessable token is no protection. */
  public static final int MIN_TOKEN_LENGTH = 16;

  public static final AdminConfig NONE = new AdminConfig(Optional.empty());
}

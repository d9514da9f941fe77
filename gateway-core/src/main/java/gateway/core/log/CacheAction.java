package gateway.core.log;

/** The Squid result codes ({@code %Ss}) this gateway writes into the access log. */
public enum CacheAction {
  TCP_MISS,
  TCP_HIT,
  TCP_MEM_HIT,
  TCP_REFRESH_UNMODIFIED,
  TCP_REFRESH_MODIFIED,
  TCP_DENIED,
  /** Answered with a redirect by an access rule (Squid writes TCP_REDIRECT for its redirectors). */
  TCP_REDIRECT,
  TCP_TUNNEL,
  /** The gateway answered itself without going upstream: an error page (Squid 4+ writes TAG_NONE). */
  TAG_NONE
}

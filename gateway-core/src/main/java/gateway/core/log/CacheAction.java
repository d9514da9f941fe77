package gateway.core.log;

/** The Squid result codes ({@code %Ss}) this gateway writes into the access log. */
public enum CacheAction {
  TCP_MISS,
  TCP_HIT,
  TCP_MEM_HIT,
  TCP_REFRESH_UNMODIFIED,
  TCP_REFRESH_MODIFIED,
  /** The origin could not be reached to revalidate a stale response, which was served instead. */
  TCP_REFRESH_FAIL_OLD,
  /** The client's own conditional request was answered 304 from a fresh stored response. */
  TCP_IMS_HIT,
  TCP_DENIED,
  /** Answered with a redirect by an access rule (Squid writes TCP_REDIRECT for its redirectors). */
  TCP_REDIRECT,
  TCP_TUNNEL,
  /**
   * The gateway answered itself without going upstream: an error page (Squid 4+ writes TAG_NONE).
   */
  TAG_NONE
}

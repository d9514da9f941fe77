package gateway.proxy.upstream;

/** No uplink is available: the office is offline until one comes back. */
public final class AllUplinksDown extends Exception {
  private static final long serialVersionUID = 1L;

  public AllUplinksDown() {
    super("every uplink is down", null, false, false);
  }
}

package gateway.app.torch;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * What torch keeps of one captured packet: its transport protocol, both ends and its length on the
 * IP layer (the bytes the uplink carried, from the link header on; the capture itself keeps only
 * headers).
 *
 * @param sourcePort 0 when unknown (a fragment after the first, a header cut short)
 * @param length bytes of the IP packet as it was on the wire
 */
public record Packet(
    Protocol protocol,
    InetAddress source,
    int sourcePort,
    InetAddress destination,
    int destinationPort,
    int length) {

  /** The transport protocols torch tells apart (its capture filter lets only these through). */
  public enum Protocol {
    TCP,
    UDP;

    /** Lower case, as tables show it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Packet {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
  }
}

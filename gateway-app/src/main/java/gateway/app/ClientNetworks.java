package gateway.app;

import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The default of {@code clients.allow}: loopback, plus the subnet of the interface that holds the
 * listen address. A wildcard listener takes the subnets of every interface except those the uplinks
 * use, so the modems' networks never become clients.
 */
final class ClientNetworks {
  /** The box itself: 127.0.0.0/8 and ::1. */
  static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

  private ClientNetworks() {}

  static List<Cidr> defaults(InetAddress listen, List<Uplink> uplinks) throws SocketException {
    Set<Cidr> out = new LinkedHashSet<>(LOOPBACK);
    List<InetAddress> uplinkAddresses = uplinks.stream().map(Uplink::address).toList();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      List<InterfaceAddress> addresses = nif.getInterfaceAddresses();
      boolean holdsListen = addresses.stream().anyMatch(a -> a.getAddress().equals(listen));
      boolean isUplink = addresses.stream().anyMatch(a -> uplinkAddresses.contains(a.getAddress()));
      if (holdsListen || (listen.isAnyLocalAddress() && !isUplink)) {
        for (InterfaceAddress a : addresses) {
          if (!a.getAddress().isLinkLocalAddress()) {
            out.add(Cidr.of(a.getAddress(), a.getNetworkPrefixLength()));
          }
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The box's own networks, reached directly rather than through an uplink: loopback and the
   * subnets of every interface that no uplink uses. With no uplinks at all, only loopback.
   */
  static List<Cidr> localNetworks(List<Uplink> uplinks) throws SocketException {
    Set<Cidr> out = new LinkedHashSet<>(LOOPBACK);
    if (uplinks.isEmpty()) {
      return new ArrayList<>(out);
    }
    List<InetAddress> uplinkAddresses = uplinks.stream().map(Uplink::address).toList();
    List<String> uplinkDevices = uplinks.stream().flatMap(u -> u.interfaceName().stream()).toList();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback() || uplinkDevices.contains(nif.getName())) {
        continue;
      }
      List<InterfaceAddress> addresses = nif.getInterfaceAddresses();
      if (addresses.stream().anyMatch(a -> uplinkAddresses.contains(a.getAddress()))) {
        continue;
      }
      for (InterfaceAddress a : addresses) {
        if (!a.getAddress().isLinkLocalAddress()) {
          out.add(Cidr.of(a.getAddress(), a.getNetworkPrefixLength()));
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** Every address of this machine, so a wildcard listener's loop guard knows them all. */
  static Set<InetAddress> localAddresses() throws SocketException {
    Set<InetAddress> out = new LinkedHashSet<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      out.addAll(Collections.list(nif.getInetAddresses()));
    }
    return out;
  }
}

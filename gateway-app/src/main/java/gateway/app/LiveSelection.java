package gateway.app;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import gateway.pcc.select.UplinkSelector;
import gateway.proxy.upstream.UplinkChooser;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The uplink selection in force, as the router asks for it: one immutable {@link UplinkSelector}
 * swapped whole, by health verdicts ({@link #withAvailable}) and by reloads ({@link #set}). Any
 * thread. With no uplinks at all, sockets are not bound (main routing table).
 */
final class LiveSelection implements UplinkChooser {
  private final AtomicReference<UplinkSelector> selector;

  LiveSelection(UplinkSelector initial) {
    selector = new AtomicReference<>(initial);
  }

  @Override
  public List<Uplink> candidates(FlowKey flow, String host) {
    return selector.get().candidates(flow, host);
  }

  @Override
  public boolean hasUplinks() {
    return !selector.get().uplinks().isEmpty();
  }

  /** The selection in force now. */
  UplinkSelector get() {
    return selector.get();
  }

  /** A reload's selection, built on the health verdicts of its uplinks. */
  void set(UplinkSelector next) {
    selector.set(next);
  }

  /** Health changed which uplinks are up: returns the selection it replaced. */
  UplinkSelector withAvailable(Set<String> available) {
    return selector.getAndUpdate(s -> s.withAvailable(available));
  }

  /**
   * The uplinks that work now, best first (lower tier, then higher weight): DNS goes through them.
   */
  List<Uplink> healthy() {
    UplinkSelector s = selector.get();
    return s.uplinks().stream()
        .filter(u -> s.available().contains(u.name()))
        .sorted(
            Comparator.comparingInt(Uplink::tier)
                .thenComparing(Comparator.comparingInt(Uplink::weight).reversed()))
        .toList();
  }
}

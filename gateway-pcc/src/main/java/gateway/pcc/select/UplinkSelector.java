package gateway.pcc.select;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import gateway.pcc.classify.Classifier;
import gateway.pcc.classify.FlowHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot that orders the available uplinks for a flow. Callers hold it in an {@code
 * AtomicReference} (or a volatile field) and swap in {@link #withAvailable} when health changes the
 * available set; a snapshot is never mutated, so any thread may use it without locks.
 *
 * <h2>Order (selection v1)</h2>
 *
 * <ol>
 *   <li>The first matching {@link PinRule} may name an uplink: while available it comes first,
 *       whatever its tier. It may also name a classifier, used instead of {@code
 *       balance.classifier} below.
 *   <li>The flow hash {@code f} is the classifier's flow hash v1 of the key (see {@link
 *       Classifier}).
 *   <li>Each available uplink gets the weighted rendezvous score {@code -weight / ln(u)} with
 *       {@code u = unitInterval(combine(f, XXH64(utf8(name))))} in (0, 1) (see {@link FlowHash}).
 *   <li>Uplinks are ordered by tier (1 first), then by score (highest first), then by name.
 * </ol>
 *
 * <p>Hence: the same key, names and weights give the same order on every run (deterministic); an
 * uplink wins with probability {@code weight / sum of weights in its tier} (weighted); an uplink's
 * score does not depend on which others are available, so when one leaves only its flows move, and
 * when it returns exactly those come back (consistent). A tier-2 uplink is chosen only while no
 * tier-1 uplink is available, and is listed after all tier-1 uplinks as a fallback otherwise.
 *
 * <p>Cost per connection: one XXH64 of at most 36 bytes, then one XXH64 of 16 bytes and one {@code
 * log} per available uplink; the name hashes are computed once, here.
 */
public final class UplinkSelector {

  private final List<Uplink> uplinks;
  private final Classifier classifier;
  private final List<PinRule> pins;
  private final Set<String> available;

  /** Available uplinks, sorted by tier then name; parallel to {@link #nameHashes}. */
  private final Uplink[] live;

  private final long[] nameHashes;

  private UplinkSelector(
      List<Uplink> uplinks, Set<String> available, Classifier classifier, List<PinRule> pins) {
    this.uplinks = List.copyOf(uplinks);
    this.classifier = classifier;
    this.pins = List.copyOf(pins);
    Set<String> names = new HashSet<>();
    for (Uplink u : this.uplinks) {
      if (!names.add(u.name())) {
        throw new IllegalArgumentException("two uplinks are named '" + u.name() + "'");
      }
    }
    for (PinRule pin : this.pins) {
      pin.uplink()
          .ifPresent(
              name -> {
                if (!names.contains(name)) {
                  throw new IllegalArgumentException(
                      pin + " names an unknown uplink '" + name + "'");
                }
              });
    }
    this.live =
        this.uplinks.stream()
            .filter(u -> available.contains(u.name()))
            .sorted(Comparator.comparingInt(Uplink::tier).thenComparing(Uplink::name))
            .toArray(Uplink[]::new);
    this.nameHashes = Arrays.stream(live).mapToLong(u -> FlowHash.ofName(u.name())).toArray();
    Set<String> liveNames = new HashSet<>();
    for (Uplink u : live) {
      liveNames.add(u.name());
    }
    this.available = Set.copyOf(liveNames);
  }

  /**
   * @param uplinks every configured uplink (names unique)
   * @param available names of the uplinks health currently allows; unknown names are ignored
   * @param classifier {@code balance.classifier}
   * @param pins {@code balance.pin}, in config order
   * @throws IllegalArgumentException for duplicate uplink names or a pin naming an unknown uplink
   */
  public static UplinkSelector of(
      List<Uplink> uplinks, Set<String> available, Classifier classifier, List<PinRule> pins) {
    return new UplinkSelector(uplinks, available, classifier, pins);
  }

  /** A selector with every uplink available, no pins. */
  public static UplinkSelector allAvailable(List<Uplink> uplinks, Classifier classifier) {
    Set<String> all = new HashSet<>();
    uplinks.forEach(u -> all.add(u.name()));
    return of(uplinks, all, classifier, List.of());
  }

  /**
   * The same configuration with another available set: the snapshot to swap in on a health change.
   */
  public UplinkSelector withAvailable(Set<String> available) {
    return new UplinkSelector(uplinks, available, classifier, pins);
  }

  /**
   * All available uplinks for this flow, best first: connect with the first, race or fail over to
   * the rest in order. Empty when no uplink is available.
   *
   * @param destinationHost the host name the client asked for (for domain pins), or null
   */
  public List<Uplink> candidates(FlowKey key, String destinationHost) {
    return select(key, destinationHost).candidates();
  }

  /** {@link #candidates} with the reasons: classifier, flow hash and matched pin. */
  public Selection select(FlowKey key, String destinationHost) {
    PinRule pin = null;
    for (PinRule p : pins) {
      if (p.matches(destinationHost, key.dstAddress())) {
        pin = p;
        break;
      }
    }
    Classifier c =
        pin != null && pin.classifier().isPresent() ? pin.classifier().get() : classifier;
    long flowHash = c.hash(key);
    Uplink[] order = order(flowHash);
    if (pin != null && pin.uplink().isPresent()) {
      pinFirst(order, pin.uplink().get());
    }
    return new Selection(Arrays.asList(order), c, flowHash, Optional.ofNullable(pin));
  }

  /** The available uplinks for a flow hash, by tier, then rendezvous score, then name. */
  Uplink[] order(long flowHash) {
    int n = live.length;
    Uplink[] order = live.clone();
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      score[i] = score(flowHash, nameHashes[i], live[i].weight());
    }
    // Insertion sort: n is tiny, and live is already in (tier, name) order, so stability keeps
    // names.
    for (int i = 1; i < n; i++) {
      Uplink u = order[i];
      double s = score[i];
      int j = i - 1;
      while (j >= 0 && order[j].tier() == u.tier() && score[j] < s) {
        order[j + 1] = order[j];
        score[j + 1] = score[j];
        j--;
      }
      order[j + 1] = u;
      score[j + 1] = s;
    }
    return order;
  }

  /** Weighted rendezvous score: higher wins. {@code -weight / ln(u)}, u in (0, 1). */
  static double score(long flowHash, long nameHash, int weight) {
    double u = FlowHash.unitInterval(FlowHash.combine(flowHash, nameHash));
    return -weight / Math.log(u);
  }

  private static void pinFirst(Uplink[] order, String name) {
    for (int i = 0; i < order.length; i++) {
      if (order[i].name().equals(name)) {
        Uplink pinned = order[i];
        System.arraycopy(order, 0, order, 1, i);
        order[0] = pinned;
        return;
      }
    }
    // The pinned uplink is not available: the normal order stands.
  }

  public List<Uplink> uplinks() {
    return uplinks;
  }

  /** Names of the uplinks this snapshot may choose. */
  public Set<String> available() {
    return available;
  }

  public Classifier classifier() {
    return classifier;
  }

  public List<PinRule> pins() {
    return pins;
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (Uplink u : live) {
      names.add(u.name());
    }
    return "UplinkSelector" + names + " " + classifier;
  }
}

package gateway.pcc.health;

import static gateway.pcc.health.HealthState.DEGRADED;
import static gateway.pcc.health.HealthState.DOWN;
import static gateway.pcc.health.HealthState.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.core.net.Uplink;
import gateway.pcc.health.Roster.Member;
import gateway.pcc.health.RosterChange.Added;
import gateway.pcc.health.RosterChange.Fate;
import gateway.pcc.health.RosterChange.Kept;
import gateway.pcc.health.RosterChange.Removed;
import gateway.pcc.health.RosterChange.Replaced;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reload's roster merge, one row per case: the uplinks in force with their states, the uplinks
 * configured now, and what becomes of each. Probe targets are not part of an uplink: the monitor
 * gives every uplink of the new roster its configured targets, kept or not.
 */
class RosterTest {
  static final Uplink A = uplink("a", "198.18.1.2", null, 1, 1);
  static final Uplink B = uplink("b", "198.18.2.2", null, 1, 1);
  static final Uplink C = uplink("c", "198.18.3.2", "eth3", 1, 1);

  static Stream<Arguments> rows() {
    Uplink aHeavier = uplink("a", "198.18.1.2", null, 3, 1);
    Uplink aTier2 = uplink("a", "198.18.1.2", null, 1, 2);
    Uplink aMoved = uplink("a", "198.18.1.9", null, 1, 1);
    Uplink cOtherDevice = uplink("c", "198.18.3.2", "eth4", 1, 1);
    Uplink cNoDevice = uplink("c", "198.18.3.2", null, 1, 1);
    Uplink aRenamed = uplink("z", "198.18.1.2", null, 1, 1);
    return Stream.of(
        row(
            "the same uplink stays, with its state",
            List.of(up(A)),
            List.of(A),
            List.of(new Kept(A))),
        row(
            "a DOWN uplink that stays is kept too (it stays DOWN)",
            List.of(down(A)),
            List.of(A),
            List.of(new Kept(A))),
        row(
            "a changed weight is kept, with the new weight",
            List.of(up(A)),
            List.of(aHeavier),
            List.of(new Kept(aHeavier))),
        row(
            "a changed tier is kept, with the new tier",
            List.of(up(A)),
            List.of(aTier2),
            List.of(new Kept(aTier2))),
        row(
            "added beside an available uplink starts DOWN until it proves itself",
            List.of(up(A)),
            List.of(A, B),
            List.of(new Kept(A), new Added(B, DOWN))),
        row(
            "added when no kept uplink is available starts UP (nothing to protect)",
            List.of(down(A)),
            List.of(A, B),
            List.of(new Kept(A), new Added(B, UP))),
        row(
            "a DEGRADED kept uplink is not available: the added one starts UP",
            List.of(new Member(A, DEGRADED)),
            List.of(A, B),
            List.of(new Kept(A), new Added(B, UP))),
        row(
            "the first roster: every uplink starts UP",
            List.of(),
            List.of(A, B),
            List.of(new Added(A, UP), new Added(B, UP))),
        row(
            "removed: no longer configured",
            List.of(up(A), up(B)),
            List.of(A),
            List.of(new Kept(A), new Removed(B))),
        row(
            "all removed",
            List.of(up(A), up(B)),
            List.of(),
            List.of(new Removed(A), new Removed(B))),
        row(
            "renamed is removed and added: the new name proves itself",
            List.of(up(A), up(B)),
            List.of(aRenamed, B),
            List.of(new Added(aRenamed, DOWN), new Kept(B), new Removed(A))),
        row(
            "the only uplink renamed starts UP",
            List.of(up(A)),
            List.of(aRenamed),
            List.of(new Added(aRenamed, UP), new Removed(A))),
        row(
            "address changed = replaced, DOWN while another uplink is available",
            List.of(up(A), up(B)),
            List.of(aMoved, B),
            List.of(new Replaced(A, aMoved, DOWN), new Kept(B))),
        row(
            "the only uplink replaced starts UP: a replaced one does not count as kept",
            List.of(up(A)),
            List.of(aMoved),
            List.of(new Replaced(A, aMoved, UP))),
        row(
            "interface changed = replaced",
            List.of(up(B), up(C)),
            List.of(B, cOtherDevice),
            List.of(new Kept(B), new Replaced(C, cOtherDevice, DOWN))),
        row(
            "interface dropped (interface-optional) = replaced",
            List.of(up(B), up(C)),
            List.of(B, cNoDevice),
            List.of(new Kept(B), new Replaced(C, cNoDevice, DOWN))),
        row(
            "the configured order is the new order; removed ones come last",
            List.of(up(A), up(B), up(C)),
            List.of(C, A),
            List.of(new Kept(C), new Kept(A), new Removed(B))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void merge(String rule, List<Member> current, List<Uplink> configured, List<Fate> expected) {
    assertThat(Roster.merge(current, configured).fates()).containsExactlyElementsOf(expected);
  }

  @Test
  void twoConfiguredUplinksWithOneNameAreRefused() {
    Uplink a2 = uplink("a", "198.18.9.9", null, 1, 1);
    assertThatThrownBy(() -> Roster.merge(List.of(up(A)), List.of(A, a2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two uplinks are named 'a'");
  }

  @Test
  void theChangeNamesWhatStartsAfreshAndWhatIsRetired() {
    Uplink aMoved = uplink("a", "198.18.1.9", null, 1, 1);
    RosterChange change = Roster.merge(List.of(up(A), up(B)), List.of(C, aMoved));
    assertThat(change.uplinks()).containsExactly(C, aMoved);
    assertThat(change.started()).as("added, then replaced").containsExactly("c", "a");
    assertThat(change.retired()).as("removed, then replaced").containsExactly("b", "a");
    assertThat(change.names(Removed.class)).containsExactly("b");
  }

  static Arguments row(
      String rule, List<Member> current, List<Uplink> configured, List<Fate> expected) {
    return Arguments.of(rule, current, configured, expected);
  }

  static Member up(Uplink u) {
    return new Member(u, UP);
  }

  static Member down(Uplink u) {
    return new Member(u, DOWN);
  }

  static Uplink uplink(String name, String address, String device, int weight, int tier) {
    try {
      return new Uplink(
          name, InetAddress.getByName(address), Optional.ofNullable(device), weight, tier);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}

package gateway.app.torch;

import com.sun.jna.NativeLibrary;
import java.util.List;
import java.util.Optional;

/**
 * Finds libpcap before pcap4j does. pcap4j loads "pcap" once, when its native mappings are first
 * used, and a failure there cannot be retried; Debian's runtime package (libpcap0.8) installs only
 * the versioned {@code libpcap.so.0.8}, which JNA usually finds on its own, but not on every
 * layout. So this tries the plain name and then the versioned ones, and tells pcap4j the one that
 * loads ({@code org.pcap4j.core.pcapLibName}) so users need not.
 */
final class Libpcap {
  static final String PROPERTY = "org.pcap4j.core.pcapLibName";
  private static final List<String> NAMES = List.of("pcap", "libpcap.so.0.8", "libpcap.so.1");

  private Libpcap() {}

  /** Empty when pcap4j can load libpcap; else the problem to report. */
  static Optional<CaptureProblem> load() {
    String named = System.getProperty(PROPERTY);
    List<String> names = named != null ? List.of(named) : NAMES;
    String last = "";
    for (String name : names) {
      try {
        NativeLibrary.getInstance(name);
        if (named == null && !name.equals("pcap")) {
          System.setProperty(PROPERTY, name);
        }
        return Optional.empty();
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        last = firstLine(e.getMessage());
      }
    }
    return Optional.of(
        CaptureProblem.libpcapMissing(
            named != null ? "cannot load " + named + ": " + last : "no libpcap.so found"));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

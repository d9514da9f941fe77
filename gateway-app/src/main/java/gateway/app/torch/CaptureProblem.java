package gateway.app.torch;

import java.util.Locale;

/**
 * Why torch cannot capture, in words an admin can act on, with the exit code that tells scripts
 * which case it is. A pure mapping from what libpcap (through pcap4j and JNA) reported, so every
 * message is tested without needing a machine where each failure happens.
 */
public record CaptureProblem(int exitCode, String message) {
  /** The config has problems, or the capture failed for a reason not listed below. */
  public static final int FAILED = 1;

  /** The command line was wrong, or names no configured uplink. */
  public static final int USAGE = 2;

  public static final int NO_LIBPCAP = 3;
  public static final int NOT_PERMITTED = 4;
  public static final int NO_INTERFACE = 5;

  // libpcap's pcap_activate() results (pcap/pcap.h).
  static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
  static final int PCAP_ERROR_PERM_DENIED = -8;
  static final int PCAP_ERROR_IFACE_NOT_UP = -9;

  /** libpcap could not be loaded at all. */
  public static CaptureProblem libpcapMissing(String detail) {
    return new CaptureProblem(
        NO_LIBPCAP,
        "libpcap is not installed ("
            + detail
            + "): apt-get install libpcap0.8 (or name the library with"
            + " -Dorg.pcap4j.core.pcapLibName=/path/to/libpcap.so)");
  }

  /**
   * A failure to open or set up the capture on {@code device}.
   *
   * @param returnCode libpcap's result code, when pcap4j kept it
   * @param message libpcap's error text
   * @param javaBinary the java executable, for the {@code setcap} hint
   */
  public static CaptureProblem openFailed(
      String device, Integer returnCode, String message, String javaBinary) {
    String text = message == null ? "" : message;
    String lower = text.toLowerCase(Locale.ROOT);
    int code = returnCode == null ? 0 : returnCode;
    if (code == PCAP_ERROR_PERM_DENIED
        || lower.contains("operation not permitted")
        || lower.contains("permission")) {
      return new CaptureProblem(
          NOT_PERMITTED,
          "not allowed to capture on "
              + device
              + " ("
              + text
              + "): capturing needs root or CAP_NET_RAW: run as root (sudo), or give the JVM the"
              + " capability: setcap cap_net_raw+ep "
              + javaBinary);
    }
    if (code == PCAP_ERROR_NO_SUCH_DEVICE || lower.contains("no such device")) {
      return noInterface("interface " + device + " does not exist on this machine (" + text + ")");
    }
    if (code == PCAP_ERROR_IFACE_NOT_UP || lower.contains("not up")) {
      return new CaptureProblem(
          FAILED, "interface " + device + " is down (" + text + "): ip link set " + device + " up");
    }
    return new CaptureProblem(FAILED, "cannot capture on " + device + ": " + text);
  }

  /** The uplink's interface is not on this machine; {@code what} says which and why. */
  public static CaptureProblem noInterface(String what) {
    return new CaptureProblem(
        NO_INTERFACE,
        what
            + ": 'ip -brief address' lists the interfaces;"
            + " set the uplink's interface in the config");
  }
}

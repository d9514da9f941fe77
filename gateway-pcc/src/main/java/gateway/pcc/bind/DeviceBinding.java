package gateway.pcc.bind;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Binds a socket to a network device with {@code SO_BINDTODEVICE}, so its packets leave through
 * that interface whatever the routing table says. Linux only (epoll transport), and it needs
 * CAP_NET_RAW.
 *
 * <p>Netty has no named option for it, and a generic option that fails to apply through a bootstrap
 * is only logged: this class sets it on the channel directly and reports failure, so a connection
 * is never silently sent out of another interface.
 */
public final class DeviceBinding {
  private static final int SOL_SOCKET = 1;
  private static final int SO_BINDTODEVICE = 25;

  /** Linux's IFNAMSIZ, including the terminating NUL. */
  private static final int IFNAMSIZ = 16;

  private DeviceBinding() {}

  /**
   * Binds {@code channel} (not yet connected) to {@code device}; throws with the reason if refused.
   */
  public static void apply(Channel channel, String device) {
    byte[] name = device.getBytes(StandardCharsets.US_ASCII);
    if (name.length == 0 || name.length >= IFNAMSIZ) {
      throw new ChannelException(
          "interface name '" + device + "' is not 1.." + (IFNAMSIZ - 1) + " characters");
    }
    RawUnixChannelOption option =
        new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, name.length + 1);
    ByteBuffer value = ByteBuffer.allocateDirect(name.length + 1);
    value.put(name).put((byte) 0).flip();
    boolean applied;
    try {
      applied = channel.config().setOption(option, value);
    } catch (ChannelException e) {
      throw new ChannelException(
          "cannot bind a socket to interface " + device + ": " + reason(e), e);
    }
    if (!applied) {
      throw new ChannelException(
          "cannot bind a socket to interface "
              + device
              + ": the socket transport does not support SO_BINDTODEVICE");
    }
  }

  /**
   * Whether this process may bind sockets to {@code device}: empty if it may, else why not, in
   * words an admin can act on.
   */
  public static Optional<String> check(String device) {
    if (!Epoll.isAvailable()) {
      return Optional.of(
          "binding to interface "
              + device
              + " needs Linux's native epoll transport, which is not available here: "
              + Epoll.unavailabilityCause());
    }
    EpollSocketChannel probe = new EpollSocketChannel();
    try {
      apply(probe, device);
      return Optional.empty();
    } catch (ChannelException e) {
      return Optional.of(e.getMessage());
    } finally {
      probe.unsafe().closeForcibly();
    }
  }

  private static String reason(ChannelException e) {
    Throwable c = e.getCause() != null ? e.getCause() : e;
    String msg = String.valueOf(c.getMessage());
    if (msg.contains("Operation not permitted") || msg.contains("EPERM")) {
      return "operation not permitted: the process needs CAP_NET_RAW (run as root, or give the"
          + " service AmbientCapabilities=CAP_NET_RAW)";
    }
    if (msg.contains("No such device") || msg.contains("ENODEV")) {
      return "no such interface";
    }
    return msg;
  }
}

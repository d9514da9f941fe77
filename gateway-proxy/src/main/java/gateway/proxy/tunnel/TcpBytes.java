package gateway.proxy.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The payload bytes a connection we opened carried, as the kernel counts them: a spliced tunnel's
 * bytes never reach user space, so they are counted from the socket. Linux {@code struct tcp_info}
 * ({@code linux/tcp.h}, since 4.2), host byte order: {@code tcpi_state} (u8, offset 0), {@code
 * tcpi_bytes_acked} (u64, offset 120: sent and acknowledged) and {@code tcpi_bytes_received} (u64,
 * offset 128). Both count sequence space, not payload: the acknowledged count includes our SYN and,
 * once acknowledged, our FIN; the received count includes the peer's FIN once it came. The state
 * tells which FINs to take off.
 */
final class TcpBytes {
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_INFO_OPT = 11;
  private static final int STATE = 0;
  private static final int BYTES_ACKED = 120;
  private static final int BYTES_RECEIVED = 128;
  private static final RawUnixChannelOption TCP_INFO =
      new RawUnixChannelOption("TCP_INFO", IPPROTO_TCP, TCP_INFO_OPT, 232);

  // linux/tcp_states.h
  private static final int FIN_WAIT2 = 5;
  private static final int TIME_WAIT = 6;
  private static final int CLOSE = 7;
  private static final int CLOSE_WAIT = 8;
  private static final int LAST_ACK = 9;
  private static final int CLOSING = 11;

  private TcpBytes() {}

  /**
   * Payload bytes sent and acknowledged plus payload bytes received on a socket we connected, or -1
   * if the socket cannot tell (closed, not Linux).
   */
  static long bothWays(Channel ch) {
    try {
      ByteBuffer info = ch.config().getOption(TCP_INFO);
      if (info == null || info.remaining() < BYTES_RECEIVED + Long.BYTES) {
        return -1;
      }
      info.order(ByteOrder.nativeOrder());
      int state = info.get(STATE) & 0xff;
      long acked = info.getLong(BYTES_ACKED) - 1 - (ourFinAcked(state) ? 1 : 0);
      long received = info.getLong(BYTES_RECEIVED) - (theirFinReceived(state) ? 1 : 0);
      return Math.max(0, acked) + Math.max(0, received);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * CLOSE is taken as the end of an orderly close (LAST_ACK answered); after a reset it is off by
   * one.
   */
  static boolean ourFinAcked(int state) {
    return state == FIN_WAIT2 || state == TIME_WAIT || state == CLOSE;
  }

  static boolean theirFinReceived(int state) {
    return state == CLOSE_WAIT
        || state == LAST_ACK
        || state == CLOSING
        || state == TIME_WAIT
        || state == CLOSE;
  }
}

package gateway.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Scripts for {@link RawOrigin} that echo bytes back: a CONNECT target for tunnel tests. */
public final class EchoOrigin {
  private EchoOrigin() {}

  /** Echoes as it reads; when the peer ends its output, returns (closing the socket). */
  public static RawOrigin streaming() throws IOException {
    return RawOrigin.start(
        s -> {
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          byte[] buf = new byte[64 * 1024];
          int n;
          while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
          }
        });
  }

  /**
   * Reads until the peer ends its output, and only then sends everything back and closes: the
   * client gets its bytes only if the tunnel carries a half-close through.
   */
  public static RawOrigin afterEndOfInput() throws IOException {
    return RawOrigin.start(EchoOrigin::echoAfterEof);
  }

  private static void echoAfterEof(Socket s) throws IOException {
    byte[] all = s.getInputStream().readAllBytes();
    s.getOutputStream().write(all);
    s.getOutputStream().flush();
  }
}

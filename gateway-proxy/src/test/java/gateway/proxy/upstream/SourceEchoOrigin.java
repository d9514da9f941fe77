package gateway.proxy.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An origin that answers every HTTP request with the source address it saw, then closes: which
 * uplink carried a connection is in the body. It listens on the first free port from a fixed start,
 * so the flows a test makes (and the uplinks they hash to) are the same on every run.
 */
final class SourceEchoOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  SourceEchoOrigin(int firstPort) throws IOException {
    server = bindFirstFree(firstPort);
    threads.submit(this::acceptLoop);
  }

  private static ServerSocket bindFirstFree(int firstPort) throws IOException {
    IOException last = null;
    for (int port = firstPort; port < firstPort + 50; port++) {
      ServerSocket s = new ServerSocket();
      try {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 512);
        return s;
      } catch (IOException e) {
        s.close();
        last = e;
      }
    }
    throw last;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.submit(() -> answer(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void answer(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      int matched = 0;
      int c;
      // Read the request head (up to the blank line).
      while (matched < 4 && (c = in.read()) != -1) {
        matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      byte[] body = s.getInetAddress().getHostAddress().getBytes(StandardCharsets.US_ASCII);
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // The client went away: nothing to answer.
    }
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}

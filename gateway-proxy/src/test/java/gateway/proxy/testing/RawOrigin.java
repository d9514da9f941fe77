package gateway.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that speaks raw bytes: each accepted connection is handed to a script, so a test can
 * send exactly what a broken, slow or hostile server would. The socket is closed when the script
 * returns.
 */
public final class RawOrigin implements AutoCloseable {
  /** What the origin does with one connection. */
  @FunctionalInterface
  public interface Script {
    void run(Socket socket) throws Exception;
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger accepted = new AtomicInteger();

  private RawOrigin(Script script, boolean withChannels) throws IOException {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
    if (withChannels) {
      server = ServerSocketChannel.open().bind(any, 50).socket();
    } else {
      server = new ServerSocket();
      server.bind(any, 50);
    }
    threads.submit(
        () -> {
          while (!server.isClosed()) {
            Socket s;
            try {
              s = server.accept();
            } catch (IOException e) {
              return;
            }
            accepted.incrementAndGet();
            threads.submit(
                () -> {
                  try (s) {
                    script.run(s);
                  } catch (Exception e) {
                    // The script's peer went away: nothing to do.
                  }
                });
          }
        });
  }

  public static RawOrigin start(Script script) throws IOException {
    return new RawOrigin(script, false);
  }

  /**
   * An origin whose sockets have a {@link Socket#getChannel() channel}: a script can switch it to
   * non-blocking and see the moment the proxy stops reading (a write that takes nothing).
   */
  public static RawOrigin startWithChannels(Script script) throws IOException {
    return new RawOrigin(script, true);
  }

  /** A script that reads one request head (up to the empty line) and then returns, closing. */
  public static void readHead(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    int matched = 0;
    int c;
    while (matched < 4 && (c = in.read()) != -1) {
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  public int accepted() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}

package gateway.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A client that writes exact bytes to the proxy and reads responses by hand. */
public final class RawClient implements AutoCloseable {
  /** A response as read off the wire. */
  public record Response(String statusLine, Map<String, String> headers, byte[] body) {
    public int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawClient(InetSocketAddress proxy) throws IOException {
    this(proxy, 0);
  }

  /**
   * A client whose socket receives into at most {@code receiveBuffer} bytes (0: the system's
   * default, which grows): a client that does not read then holds back little of what is sent to
   * it.
   */
  public RawClient(InetSocketAddress proxy, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(proxy, 5000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  public Socket socket() {
    return socket;
  }

  public RawClient send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  public RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one response; the body by Content-Length, chunked, or (noBody) none. */
  public Response read(boolean noBody) throws IOException {
    String status = line();
    while (status.startsWith("HTTP/1.1 1") && !status.startsWith("HTTP/1.1 101")) {
      // Interim responses are returned alone by readInterim(); here they are skipped.
      while (!line().isEmpty()) {
        // headers of the interim response
      }
      status = line();
    }
    Map<String, String> headers = headers();
    Response head = new Response(status, headers, new byte[0]);
    return noBody ? head : new Response(status, headers, readBody(head));
  }

  /** Reads the body that follows {@code head}: by Content-Length, chunked, or until close. */
  public byte[] readBody(Response head) throws IOException {
    Map<String, String> headers = head.headers();
    if (headers.containsKey("content-length")) {
      return in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      return chunked();
    }
    return in.readAllBytes();
  }

  public Response read() throws IOException {
    return read(false);
  }

  /** Reads a status line and headers only (an interim 1xx response, or a head before a stream). */
  public Response readHead() throws IOException {
    String status = line();
    return new Response(status, headers(), new byte[0]);
  }

  private Map<String, String> headers() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    String l;
    while (!(l = line()).isEmpty()) {
      int colon = l.indexOf(':');
      String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = l.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    return headers;
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      if (n == 0) {
        while (!line().isEmpty()) {
          // trailer fields
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line();
    }
  }

  public InputStream input() {
    return in;
  }

  public OutputStream output() {
    return out;
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') {
          b.setLength(len - 1);
        }
        return b.toString();
      }
      b.append((char) c);
    }
    throw new IOException("connection closed after '" + b + "'");
  }

  /** True when the proxy closed the connection (EOF) within the socket timeout. */
  public boolean closedByPeer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

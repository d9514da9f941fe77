package gateway.proxy.cache.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Bodies derived from their key: a reader can check what it got without being told what was
 * written.
 */
final class Bodies {
  private Bodies() {}

  static byte[] of(String key, int length) {
    byte[] bytes = new byte[length];
    SplittableRandom random = new SplittableRandom(key.hashCode() * 31L + length);
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** Everything {@code body} holds from its reader index, leaving it as it was. */
  static byte[] bytes(ByteBuf body) {
    byte[] bytes = new byte[body.readableBytes()];
    body.getBytes(body.readerIndex(), bytes);
    return bytes;
  }

  /**
   * The whole body of {@code object}, read through one {@link CachedObject#open()}; null if gone.
   */
  static byte[] read(CachedObject object) throws IOException {
    try (CachedObject.Body body = object.open()) {
      if (body == null) {
        return null;
      }
      if (body instanceof CachedObject.InMemory inMemory) {
        return bytes(inMemory.content());
      }
      CachedObject.OnDisk onDisk = (CachedObject.OnDisk) body;
      ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(onDisk.length()));
      while (out.hasRemaining()) {
        if (onDisk.file().read(out, onDisk.offset() + out.position()) < 0) {
          break;
        }
      }
      return Arrays.copyOf(out.array(), out.position());
    }
  }

  /**
   * Writes {@code bytes} in pieces of {@code piece}, as a response streams in; false once refused.
   */
  static boolean write(ObjectWriter writer, byte[] bytes, int piece) {
    for (int at = 0; at < bytes.length; at += piece) {
      ByteBuf chunk = Unpooled.wrappedBuffer(bytes, at, Math.min(piece, bytes.length - at));
      try {
        if (!writer.write(chunk)) {
          return false;
        }
      } finally {
        chunk.release();
      }
    }
    return true;
  }
}

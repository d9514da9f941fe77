package gateway.proxy.cache.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/** Reads entry files and checks them against their header before anything is served from them. */
final class EntryReader {
  /** Most response heads fit: one read per header on start-up. */
  private static final int FIRST_READ = 4096;

  private static final int SCRATCH = 256 * 1024;

  private EntryReader() {}

  /** The file's header, checked (magic, version, CRC), and its size checked against it. */
  static EntryFormat.Header readHeader(FileChannel file) throws IOException, DamagedEntryException {
    long size = file.size();
    ByteBuffer first = ByteBuffer.allocate((int) Math.min(FIRST_READ, size));
    readFully(file, first.clear(), 0);
    first.flip();
    int length = EntryFormat.headerLength(first);
    ByteBuffer whole = first;
    if (length > first.capacity()) {
      if (length > size) {
        throw new DamagedEntryException("file of " + size + " bytes, header of " + length);
      }
      whole = ByteBuffer.allocate(length);
      readFully(file, whole, 0);
      whole.flip();
    }
    EntryFormat.Header header = EntryFormat.decode(whole);
    if (size != header.fileSize()) {
      throw new DamagedEntryException(
          "file of " + size + " bytes, header says " + header.fileSize());
    }
    return header;
  }

  /** Reads the whole body once and compares its CRC32C with the header's. */
  static void checkBody(FileChannel file, EntryFormat.Header header, ByteBufAllocator alloc)
      throws IOException, DamagedEntryException {
    ByteBuf scratch = alloc.directBuffer(SCRATCH);
    try {
      ByteBuffer buffer = scratch.nioBuffer(0, SCRATCH);
      CRC32C crc = new CRC32C();
      long position = header.length();
      long end = header.fileSize();
      while (position < end) {
        buffer.clear().limit((int) Math.min(SCRATCH, end - position));
        int n = file.read(buffer, position);
        if (n < 0) {
          throw new DamagedEntryException("body cut short");
        }
        position += n;
        crc.update(buffer.flip());
      }
      checkCrc(header, crc);
    } finally {
      scratch.release();
    }
  }

  /** The whole body in a new buffer, checked; the caller owns the buffer. */
  static ByteBuf loadBody(FileChannel file, EntryFormat.Header header, ByteBufAllocator alloc)
      throws IOException, DamagedEntryException {
    int length = Math.toIntExact(header.bodyLength());
    ByteBuf body = alloc.directBuffer(length);
    try {
      while (body.writerIndex() < length) {
        int n =
            body.writeBytes(
                file, header.length() + body.writerIndex(), length - body.writerIndex());
        if (n < 0) {
          throw new DamagedEntryException("body cut short");
        }
      }
      CRC32C crc = new CRC32C();
      crc.update(body.nioBuffer(0, length));
      checkCrc(header, crc);
      return body;
    } catch (IOException | DamagedEntryException | RuntimeException e) {
      body.release();
      throw e;
    }
  }

  static void readFully(FileChannel file, ByteBuffer into, long position)
      throws IOException, DamagedEntryException {
    while (into.hasRemaining()) {
      int n = file.read(into, position + into.position());
      if (n < 0) {
        throw new DamagedEntryException("file cut short");
      }
    }
  }

  static void writeFully(FileChannel file, ByteBuffer from, long position) throws IOException {
    long at = position;
    while (from.hasRemaining()) {
      at += file.write(from, at);
    }
  }

  private static void checkCrc(EntryFormat.Header header, CRC32C crc) throws DamagedEntryException {
    if ((int) crc.getValue() != header.bodyCrc()) {
      throw new DamagedEntryException("body checksum");
    }
  }
}

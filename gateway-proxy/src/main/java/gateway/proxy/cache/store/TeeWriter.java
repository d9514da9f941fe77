package gateway.proxy.cache.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one body to both tiers: to memory for fast hits, to disk so that it survives a restart.
 * Either may give up on its own (memory: the body grew too large for it; disk: a failing disk); the
 * object is stored as long as one of them keeps going.
 */
final class TeeWriter implements ObjectWriter {
  private final MemoryWriter memory;
  private final DiskWriter disk;

  TeeWriter(MemoryWriter memory, DiskWriter disk) {
    this.memory = memory;
    this.disk = disk;
  }

  @Override
  public boolean write(ByteBuf data) {
    boolean toMemory = memory.write(data);
    boolean toDisk = disk.write(data);
    if (!toMemory && toDisk) {
      // Too large for memory: the disk has it all, the memory copy is of no use now.
      memory.abort();
    }
    return toMemory || toDisk;
  }

  @Override
  public long written() {
    return Math.max(memory.written(), disk.written());
  }

  @Override
  public ByteBuf read(long offset, int max, ByteBufAllocator alloc) {
    try {
      return memory.read(offset, max, alloc);
    } catch (IllegalStateException memoryGaveUpOrCommitted) {
      return disk.read(offset, max, alloc);
    }
  }

  @Override
  public CompletableFuture<Boolean> commit() {
    boolean inMemory = memory.commit().join(); // completes at once
    return disk.commit().thenApply(onDisk -> onDisk || inMemory);
  }

  @Override
  public void abort() {
    memory.abort();
    disk.abort();
  }

  @Override
  public void keepReadable() {
    memory.keepReadable();
    disk.keepReadable();
  }

  @Override
  public void readersDone() {
    memory.readersDone();
    disk.readersDone();
  }
}

package gateway.proxy.limit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.function.IntSupplier;

/**
 * A channel's read sizes as another allocator guesses them, but never above a cap that can change
 * while the channel lives (0: no cap). Netty creates a channel's read handle once, at its first
 * read, and keeps it: swapping allocators later changes nothing, so the read gate installs this one
 * before the first read and moves the cap instead.
 */
final class CappedReads implements RecvByteBufAllocator {
  private final RecvByteBufAllocator delegate;
  private final IntSupplier cap;

  CappedReads(RecvByteBufAllocator delegate, IntSupplier cap) {
    this.delegate = delegate;
    this.cap = cap;
  }

  @Override
  public Handle newHandle() {
    return new CappedHandle((ExtendedHandle) delegate.newHandle(), cap);
  }

  private static final class CappedHandle implements ExtendedHandle {
    private final ExtendedHandle delegate;
    private final IntSupplier cap;

    CappedHandle(ExtendedHandle delegate, IntSupplier cap) {
      this.delegate = delegate;
      this.cap = cap;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      int c = cap.getAsInt();
      return c > 0 ? alloc.ioBuffer(guess()) : delegate.allocate(alloc);
    }

    @Override
    public int guess() {
      int c = cap.getAsInt();
      return c > 0 ? Math.min(c, delegate.guess()) : delegate.guess();
    }

    @Override
    public void reset(ChannelConfig config) {
      delegate.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
      delegate.incMessagesRead(numMessages);
    }

    @Override
    public void lastBytesRead(int bytes) {
      delegate.lastBytesRead(bytes);
    }

    @Override
    public int lastBytesRead() {
      return delegate.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      delegate.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return delegate.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return delegate.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return delegate.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      delegate.readComplete();
    }
  }
}

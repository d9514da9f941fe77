package gateway.proxy.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.cache.policy.Heads;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A memory writer gives up, never throws, when the JVM's direct memory runs out mid-body, and what
 * it holds then stays readable, byte for byte, for a client still behind the download.
 */
class MemoryWriterTest {
  static final int CHUNKS_THAT_FIT = 3;

  /**
   * Hands out direct buffers until {@code fit} have been given, then fails as direct memory does.
   */
  static final class RunningOutAllocator extends AbstractByteBufAllocator {
    private final int fit;
    private int given;

    RunningOutAllocator(int fit) {
      super(true);
      this.fit = fit;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      if (given++ >= fit) {
        throw new OutOfMemoryError(
            "Cannot reserve " + initialCapacity + " bytes of direct buffer memory");
      }
      return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  @Test
  void runningOutOfDirectMemoryMidBodyGivesUpAndKeepsEveryByteItTookReadable() {
    List<ByteBuf> published = new ArrayList<>();
    MemoryWriter writer =
        new MemoryWriter(
            Heads.ok("http://h/big"),
            -1,
            64L << 20,
            new RunningOutAllocator(CHUNKS_THAT_FIT),
            (head, body) -> published.add(body));
    byte[] body = Bodies.of("/big", 10 * MemoryWriter.CHUNK);
    // Parts that straddle the chunks: the one that needs the chunk that does not fit is refused
    // whole.
    int piece = 40_000;
    int taken = 0;
    while (taken < body.length) {
      int n = Math.min(piece, body.length - taken);
      if (!writer.write(Unpooled.wrappedBuffer(body, taken, n))) {
        break;
      }
      taken += n;
    }

    assertThat(taken).isLessThanOrEqualTo(CHUNKS_THAT_FIT * MemoryWriter.CHUNK).isPositive();
    assertThat(writer.written()).isEqualTo(taken);
    ByteBuf held = writer.read(0, taken, UnpooledByteBufAllocator.DEFAULT);
    try {
      assertThat(ByteBufUtil.getBytes(held)).isEqualTo(Arrays.copyOf(body, taken));
    } finally {
      held.release();
    }
    assertThat(writer.write(Unpooled.wrappedBuffer(body, taken, 1))).as("gave up").isFalse();
    assertThat(writer.commit().join()).as("nothing partial is stored").isFalse();
    assertThat(published).isEmpty();
  }
}

package gateway.app.torch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;

/**
 * A live capture on one interface that feeds a {@link FlowTable} from a thread of its own: the pcap
 * half of torch. Kept cheap: the kernel filters (BPF) to TCP and UDP over IP and hands over only
 * the headers ({@link Frames#SNAPLEN} bytes); the capture thread decodes those few fields and
 * counts them under the table's lock, which the printer takes once an interval.
 */
final class LiveCapture implements AutoCloseable {
  static final String FILTER = "(ip or ip6) and (tcp or udp)";

  /** Packets are handed over in batches at least this often (libpcap's buffer timeout). */
  private static final int READ_TIMEOUT_MILLIS = 100;

  /** Kernel ring for bursts while the capture thread waits for a core: ~60,000 headers. */
  private static final int BUFFER_BYTES = 16 << 20;

  private final PcapHandle handle;
  private final int linkType;
  private final Thread thread;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile Throwable failure;

  private LiveCapture(PcapHandle handle, FlowTable table) {
    this.handle = handle;
    this.linkType = handle.getDlt().value();
    this.thread = new Thread(() -> capture(table), "torch-capture");
    this.thread.setDaemon(true);
  }

  /**
   * Opens {@code device} (not promiscuous: an uplink's own traffic is what torch shows) and starts
   * counting into {@code table}, which callers lock to read.
   *
   * @throws PcapNativeException when libpcap refuses (permission, no such device, ...)
   */
  static LiveCapture start(String device, FlowTable table) throws PcapNativeException {
    PcapHandle handle =
        new PcapHandle.Builder(device)
            .snaplen(Frames.SNAPLEN)
            .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
            .timeoutMillis(READ_TIMEOUT_MILLIS)
            .bufferSize(BUFFER_BYTES)
            .build();
    try {
      int dlt = handle.getDlt().value();
      if (!Frames.supports(dlt)) {
        throw new PcapNativeException(
            "torch cannot read frames of link type " + handle.getDlt() + " (DLT " + dlt + ")");
      }
      handle.setFilter(FILTER, BpfCompileMode.OPTIMIZE);
    } catch (PcapNativeException | NotOpenException | RuntimeException e) {
      handle.close();
      if (e instanceof PcapNativeException p) {
        throw p;
      }
      throw new PcapNativeException(e.getMessage(), e);
    }
    LiveCapture capture = new LiveCapture(handle, table);
    capture.thread.start();
    return capture;
  }

  private void capture(FlowTable table) {
    RawPacketListener count =
        frame -> {
          Integer wire =
              handle.getOriginalLength(); // of this packet: pcap4j sets it for the callback
          long now = System.nanoTime();
          Frames.decode(linkType, frame, wire == null ? frame.length : wire)
              .ifPresent(
                  p -> {
                    synchronized (table) {
                      table.record(p, now);
                    }
                  });
        };
    try {
      // pcap_loop until close() breaks it: libpcap 1.10 wakes a waiting loop at once; older ones at
      // the next packet or read timeout.
      handle.loop(-1, count);
    } catch (InterruptedException | NotOpenException e) {
      // broken by close()
    } catch (PcapNativeException | RuntimeException e) {
      if (!stopping) {
        failure = e;
      }
    } finally {
      ended.countDown();
    }
  }

  /** Why the capture stopped by itself (the interface went away, ...), or null while it runs. */
  Throwable failure() {
    return failure;
  }

  /** Packets the kernel dropped because torch did not read them fast enough; -1 if unknown. */
  long dropped() {
    try {
      PcapStat stat = handle.getStats();
      return stat.getNumPacketsDropped() + stat.getNumPacketsDroppedByIf();
    } catch (PcapNativeException | NotOpenException | RuntimeException e) {
      return -1;
    }
  }

  /** Whether {@link #close} was called (from Ctrl-C's shutdown hook, say). */
  boolean closed() {
    return stopping;
  }

  @Override
  public synchronized void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    boolean done = false;
    try {
      handle.breakLoop();
      done = ended.await(2, TimeUnit.SECONDS);
    } catch (NotOpenException e) {
      done = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (done) {
      handle.close();
    } // else an old libpcap still waits for a packet: closing would wait too, leave it to the exit
  }
}

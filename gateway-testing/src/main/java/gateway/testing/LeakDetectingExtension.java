package gateway.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Every buffer has one owner: after each test class, collect garbage, let Netty's leak detector
 * (run at paranoid level by the build) look, and fail the class if it reported a leaked buffer.
 */
public final class LeakDetectingExtension implements AfterAllCallback {
  static {
    // Netty reports leaks at ERROR on this logger; listen there whatever the module's
    // logback-test.xml says.
    Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    if (!detector.isErrorEnabled()) {
      detector.setLevel(Level.ERROR);
    }
    LeakReports reports = new LeakReports();
    reports.setContext(detector.getLoggerContext());
    reports.start();
    detector.addAppender(reports);
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      // The detector reports leaks found by the collector when the next buffer is tracked.
      ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
      probe.release();
    }
    if (!LeakReports.REPORTS.isEmpty()) {
      String first = LeakReports.REPORTS.get(0);
      int n = LeakReports.REPORTS.size();
      LeakReports.REPORTS.clear();
      throw new AssertionError(
          n + " leaked buffer report(s) after " + context.getDisplayName() + "; first:\n" + first);
    }
  }
}

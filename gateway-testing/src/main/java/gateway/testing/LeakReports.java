package gateway.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's leak reports (logged at ERROR by ResourceLeakDetector) for the tests to check.
 */
public final class LeakReports extends AppenderBase<ILoggingEvent> {
  static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getFormattedMessage().contains("LEAK")) {
      REPORTS.add(event.getFormattedMessage());
    }
  }
}

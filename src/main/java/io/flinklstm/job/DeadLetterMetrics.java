package io.flinklstm.job;

import io.flinklstm.wire.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Dead letters counted in total and by reason: {@code deadLetters} and {@code
 * deadLettersByReason.<reason>}.
 */
final class DeadLetterMetrics {
  private final Counter total;
  private final Map<RejectReason, Counter> byReason = new EnumMap<>(RejectReason.class);

  DeadLetterMetrics(MetricGroup group) {
    total = group.counter("deadLetters");
    MetricGroup reasons = group.addGroup("deadLettersByReason");
    for (RejectReason reason : RejectReason.values()) {
      byReason.put(reason, reasons.counter(reason.code()));
    }
  }

  void count(RejectReason reason) {
    total.inc();
    byReason.get(reason).inc();
  }
}

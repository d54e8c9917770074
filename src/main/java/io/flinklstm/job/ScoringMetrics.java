package io.flinklstm.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The scoring operator's metrics, per subtask: {@code eventsScored}, {@code anomalies}, {@code
 * eventsPending} (held for a model), {@code keysCreated}, the {@code keysWithState} gauge (keys
 * whose state this subtask holds now), {@code modelsAccepted}, {@code modelsRefused}, a {@code
 * modelVersion} gauge per served model ({@code model.<name>.version}), the time to score one event
 * in nanoseconds ({@code stepNanos}, without the batched LSTM step), the batched LSTM step's time
 * per key ({@code batchedStepNanos}, one sample per batch), the bytes it allocates per key ({@code
 * batchedStepBytes}, from one batch in {@value #ALLOCATION_SAMPLING}; 0 once the kernel is
 * compiled), analysts' verdicts applied to a key of this subtask ({@code falsePositives}, {@code
 * confirmations}) and those naming no flag the key remembers ({@code verdictsUnmatched}), and the
 * dead letters by reason.
 */
final class ScoringMetrics {
  private static final int HISTOGRAM_WINDOW = 10_000;
  private static final int ALLOCATION_SAMPLING = 1024;

  final Counter eventsScored;
  final Counter anomalies;
  final Counter eventsPending;
  final Counter keysCreated;
  final Counter modelsAccepted;
  final Counter modelsRefused;
  final Counter falsePositives;
  final Counter confirmations;
  final Counter verdictsUnmatched;
  final Histogram stepNanos;
  final Histogram batchedStepNanos;
  final AllocationSampler batchedStepAllocation = new AllocationSampler(ALLOCATION_SAMPLING);
  final DeadLetterMetrics deadLetters;
  private final MetricGroup group;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  ScoringMetrics(MetricGroup group, Gauge<Long> keysWithState) {
    this.group = group;
    eventsScored = group.counter("eventsScored");
    anomalies = group.counter("anomalies");
    eventsPending = group.counter("eventsPending");
    keysCreated = group.counter("keysCreated");
    modelsAccepted = group.counter("modelsAccepted");
    modelsRefused = group.counter("modelsRefused");
    falsePositives = group.counter("falsePositives");
    confirmations = group.counter("confirmations");
    verdictsUnmatched = group.counter("verdictsUnmatched");
    stepNanos = group.histogram("stepNanos", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    batchedStepNanos =
        group.histogram("batchedStepNanos", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    group.gauge("batchedStepBytes", (Gauge<Double>) batchedStepAllocation::lastPerItem);
    group.gauge("keysWithState", keysWithState);
    deadLetters = new DeadLetterMetrics(group);
  }

  /** Records the version now served for a model, registering its gauge on first sight. */
  void modelVersion(String name, long version) {
    if (versions.put(name, version) == null) {
      group.addGroup("model", name).gauge("version", (Gauge<Long>) () -> versions.get(name));
    }
  }
}

package io.flinklstm.job;

import java.util.List;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.operators.Triggerable;

/**
 * The state TTL of {@link ScoringOperator} ({@code --state-ttl}): a key whose state has not been
 * written for that long in processing time is forgotten by a timer of its own. Each key keeps when
 * its state was last written; its one timer, set when the state is created, moves on to the last
 * write plus the TTL until that has passed. Without a TTL nothing is kept and the timers never
 * come.
 */
final class StateExpiry implements Triggerable<Object, VoidNamespace> {
  /** Forgets the state of the key in context. */
  interface Forget {
    void forget(Object key) throws Exception;
  }

  private final long ttlMillis;
  private final ValueState<Long> lastWrite;
  private final LongSupplier clock;
  private final Forget forget;
  private InternalTimerService<VoidNamespace> timers;

  /**
   * @param lastWrite the keys' last write times, {@link #lastWriteDescriptor}; null without a TTL
   * @param clock processing time
   */
  StateExpiry(long ttlMillis, ValueState<Long> lastWrite, LongSupplier clock, Forget forget) {
    this.ttlMillis = ttlMillis;
    this.lastWrite = lastWrite;
    this.clock = clock;
    this.forget = forget;
  }

  /** When a key's state was last written, in processing time; kept only with a state TTL. */
  static ValueStateDescriptor<Long> lastWriteDescriptor() {
    return new ValueStateDescriptor<>("key-last-write", Types.LONG);
  }

  /** The timer service that calls this back; before any other method. */
  void useTimers(InternalTimerService<VoidNamespace> timers) {
    this.timers = timers;
  }

  boolean enabled() {
    return ttlMillis > 0;
  }

  /** Keys restored from a run without a state TTL have no expiry yet: it counts from now. */
  void restored(List<Object> keys, KeyContext context) throws Exception {
    if (!enabled()) {
      return;
    }
    long now = clock.getAsLong();
    for (Object key : keys) {
      context.setCurrentKey(key);
      if (lastWrite.value() == null) {
        lastWrite.update(now);
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + ttlMillis);
      }
    }
  }

  /** After the state of the key in context was written; {@code created} when it was new. */
  void written(boolean created) throws Exception {
    if (!enabled()) {
      return;
    }
    long now = clock.getAsLong();
    lastWrite.update(now);
    if (created) {
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + ttlMillis);
    }
  }

  @Override
  public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {}

  @Override
  public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
    if (lastWrite == null) {
      return;
    }
    Long written = lastWrite.value();
    if (written == null) {
      return;
    }
    long expires = written + ttlMillis;
    if (expires > timer.getTimestamp()) {
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, expires);
      return;
    }
    forget.forget(timer.getKey());
    lastWrite.clear();
  }
}

package io.flinklstm.job;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** The scoring function in Flink's keyed-broadcast operator harness, with helpers for tests. */
final class ScoringHarness implements AutoCloseable {
  static final String TOPIC = "events";

  final ScoringConfig config;
  final KeyedBroadcastOperatorTestHarness<String, Event, RawRecord, ScoreRecord> harness;
  private long offset;

  ScoringHarness(ScoringConfig config) throws Exception {
    this(config, null);
  }

  /** A harness restored from a snapshot, or a fresh one when {@code restore} is null. */
  ScoringHarness(ScoringConfig config, OperatorSubtaskState restore) throws Exception {
    this.config = config;
    this.harness =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new ScoringFunction(config), List.of(ServedModels.DESCRIPTOR)),
            e -> e.key,
            Types.STRING,
            1,
            1,
            0);
    harness.setup();
    if (restore != null) {
      harness.initializeState(restore);
    }
    harness.open();
  }

  void model(byte[] file) throws Exception {
    model(file, null);
  }

  void model(byte[] file, String recordKey) throws Exception {
    harness.processBroadcastElement(
        new RawRecord(
            "models",
            0,
            offset++,
            0,
            recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8),
            file),
        0);
  }

  void event(String key, long ts, float... values) throws Exception {
    Event e = new Event(key, ts, values, null).from(TOPIC, 0, offset++);
    harness.processElement(e, ts);
  }

  void event(Event e) throws Exception {
    harness.processElement(e.from(TOPIC, 0, offset++), e.ts);
  }

  List<ScoreRecord> scores() {
    return harness.extractOutputValues();
  }

  List<DeadLetter> deadLetters() {
    var queue = harness.getSideOutput(ScoringJob.DEAD_LETTERS);
    return queue == null
        ? List.of()
        : queue.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  KeyState state(String key) throws Exception {
    @SuppressWarnings("unchecked")
    AbstractStreamOperator<ScoreRecord> operator =
        (AbstractStreamOperator<ScoreRecord>) harness.getOperator();
    KeyedStateBackend<String> backend = operator.getKeyedStateBackend();
    backend.setCurrentKey(key);
    ValueState<KeyState> state =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            ScoringFunction.stateDescriptor(config));
    return state.value();
  }

  OperatorSubtaskState snapshot() throws Exception {
    return harness.snapshot(1, 1);
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}

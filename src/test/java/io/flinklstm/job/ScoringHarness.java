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
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The scoring operator in Flink's keyed two-input operator harness (events keyed, model files on
 * the second input as every subtask sees them), with helpers for tests.
 */
final class ScoringHarness implements AutoCloseable {
  static final String TOPIC = "events";

  final ScoringConfig config;
  final ScoringOperator operator;
  final KeyedTwoInputStreamOperatorTestHarness<String, Event, RawRecord, ScoreRecord> harness;
  private long offset;

  ScoringHarness(ScoringConfig config) throws Exception {
    this(config, null);
  }

  /** A fresh harness whose operator steps keys with {@code kernel}. */
  static ScoringHarness withKernel(ScoringConfig config, StepKernel kernel) throws Exception {
    return new ScoringHarness(config, null, null, 1, 1, 0, kernel);
  }

  /** A harness restored from a snapshot, or a fresh one when {@code restore} is null. */
  ScoringHarness(ScoringConfig config, OperatorSubtaskState restore) throws Exception {
    this(config, restore, null);
  }

  /** As above, on the given state backend (null: the harness's default, on the heap). */
  ScoringHarness(ScoringConfig config, OperatorSubtaskState restore, StateBackend backend)
      throws Exception {
    this(config, restore, backend, 1, 1, 0, StepKernel.MODEL);
  }

  /**
   * Subtask {@code subtask} of {@code parallelism}, which holds the keys of its share of {@code
   * maxParallelism} key groups, restored from {@code restore} when not null.
   */
  static ScoringHarness subtask(
      ScoringConfig config,
      OperatorSubtaskState restore,
      int maxParallelism,
      int parallelism,
      int subtask)
      throws Exception {
    return new ScoringHarness(
        config, restore, null, maxParallelism, parallelism, subtask, StepKernel.MODEL);
  }

  private ScoringHarness(
      ScoringConfig config,
      OperatorSubtaskState restore,
      StateBackend backend,
      int maxParallelism,
      int parallelism,
      int subtask,
      StepKernel kernel)
      throws Exception {
    this.config = config;
    this.operator = new ScoringOperator(config, kernel);
    this.harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            operator, e -> e.key, null, Types.STRING, maxParallelism, parallelism, subtask);
    if (backend != null) {
      harness.setStateBackend(backend);
    }
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
    harness.processElement2(
        new RawRecord(
            "models",
            0,
            offset++,
            0,
            recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8),
            file),
        0);
  }

  /** An analyst's verdict as the feedback topic carries it, on the broadcast input. */
  void verdict(byte[] json, String recordKey) throws Exception {
    harness.processElement2(
        new RawRecord(
                "feedback",
                0,
                offset++,
                0,
                recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8),
                json)
            .asFeedback(),
        0);
  }

  void event(String key, long ts, float... values) throws Exception {
    Event e = new Event(key, ts, values, null).from(TOPIC, 0, offset++);
    harness.processElement1(e, ts);
  }

  void event(Event e) throws Exception {
    harness.processElement1(e.from(TOPIC, 0, offset++), e.ts);
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

  /** A key's state as the backend holds it, with every step taken. */
  KeyState state(String key) throws Exception {
    operator.flushSteps();
    KeyedStateBackend<String> backend = operator.getKeyedStateBackend();
    backend.setCurrentKey(key);
    ValueState<KeyState> state =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            ScoringOperator.stateDescriptor());
    return state.value();
  }

  /** The value of the operator's {@code batchedStepBytes} gauge. */
  double batchedStepBytes() {
    return operator.batchedStepBytes();
  }

  /** The value of the operator's {@code keysWithState} gauge. */
  long keysWithState() {
    return operator.keysWithState();
  }

  /** A checkpoint as the task takes it: the operator's work before the barrier, then the state. */
  OperatorSubtaskState snapshot() throws Exception {
    harness.prepareSnapshotPreBarrier(1);
    return harness.snapshot(1, 1);
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}

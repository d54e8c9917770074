package io.flinklstm.job;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.Verdict;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The heart of the job, a keyed two-input operator: events (input 1, keyed by their key) and model
 * files (input 2, broadcast to every subtask). Per key, the LSTM state and statistics live in keyed
 * state; per subtask, the served models in broadcast state. Each event is scored by its model (or
 * the default model) and advances its key's state; model updates are validated and swapped in
 * without a restart.
 *
 * <p>Events naming a model the job does not serve go to dead letters at once. Events whose model
 * has not arrived yet are held in the key's state (or passed through unscored, by configuration)
 * and scored in order on the key's next event or by a processing-time timer once their model is
 * there. Rejected events and models go to the dead-letter side output; a refused model leaves the
 * served one in place, and only subtask 0 reports it, since every subtask sees every model update.
 *
 * <p>Analysts' verdicts come on the broadcast input too ({@link RawRecord#feedback}): each subtask
 * applies those whose key it owns to the key's state ({@link KeyScorer#applyVerdict}), and subtask
 * 0 sends an unreadable one to the dead letters.
 *
 * <p>The steps that take events into the keys' states are batched across keys ({@link
 * BatchedSteps}): this operator takes a key's waiting step before reading its state, and all of
 * them before a model update, each checkpoint barrier and the end of input, and stores the stepped
 * states it hands back.
 *
 * <p>With {@code --state-ttl} a key idle for that long in processing time is forgotten by a timer
 * of its own ({@link StateExpiry}), so the {@code keysWithState} gauge counts exactly the keys that
 * have state: up when a key's state is created, down when it expires, counted from the state
 * backend after a restore.
 */
class ScoringOperator extends AbstractStreamOperator<ScoreRecord>
    implements TwoInputStreamOperator<Event, RawRecord, ScoreRecord>, BoundedMultiInput {
  private static final long serialVersionUID = 1L;

  /** How often a key holding events checks whether their model has arrived. */
  static final long PENDING_RETRY_MILLIS = 1000;

  static final String STATE_NAME = "key-state";

  private final ScoringConfig config;
  private final StepKernel kernel;

  private transient ValueState<KeyState> keyState;
  private transient BroadcastState<String, byte[]> modelFiles;
  private transient InternalTimerService<VoidNamespace> retryTimers;
  private transient StateExpiry expiry;
  private transient ServedModels models;
  private transient BatchedSteps steps;
  private transient KeyScorer scorer;
  private transient ScoringMetrics metrics;
  private transient EventCodec codec;
  private transient boolean reportsModels;
  private transient long keysWithState;
  private transient long outputTimestamp;
  private transient boolean hasOutputTimestamp;
  private transient StreamRecord<ScoreRecord> reuse;

  ScoringOperator(ScoringConfig config) {
    this(config, StepKernel.MODEL);
  }

  /**
   * @param kernel takes the keys' steps; the job's is the model's, {@link StepKernel#MODEL}
   */
  ScoringOperator(ScoringConfig config, StepKernel kernel) {
    this.config = config;
    this.kernel = kernel;
  }

  ScoringConfig config() {
    return config;
  }

  /** The per-key state; forgotten by the operator itself after {@code --state-ttl}, if set. */
  static ValueStateDescriptor<KeyState> stateDescriptor() {
    return new ValueStateDescriptor<>(STATE_NAME, KeyStateSerializer.INSTANCE);
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    keyState =
        getPartitionedState(
            VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, stateDescriptor());
    long ttlMillis = config.stateTtl().toMillis();
    ValueState<Long> lastWrite =
        ttlMillis > 0
            ? getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                StateExpiry.lastWriteDescriptor())
            : null;
    expiry = new StateExpiry(ttlMillis, lastWrite, this::now, this::forget);
    modelFiles = getOperatorStateBackend().getBroadcastState(ServedModels.DESCRIPTOR);
    retryTimers =
        getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, new Retry());
    expiry.useTimers(
        getInternalTimerService("state-expiry", VoidNamespaceSerializer.INSTANCE, expiry));
    keysWithState = 0;
    if (context.isRestored()) {
      List<Object> keys;
      try (Stream<Object> stored =
          getKeyedStateBackend().getKeys(STATE_NAME, VoidNamespace.INSTANCE)) {
        keys = stored.collect(Collectors.toList());
      }
      keysWithState = keys.size();
      expiry.restored(keys, this);
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    models = new ServedModels(config.trustedKeys());
    metrics = new ScoringMetrics(getMetricGroup(), this::keysWithState);
    // Models restored from a checkpoint are served as they were: their versions are reported
    // from the start, not only after the next update of each.
    for (Map.Entry<String, byte[]> restored : modelFiles.immutableEntries()) {
      ServedModel served = models.get(restored.getKey(), modelFiles);
      metrics.modelVersion(served.name(), served.version());
    }
    steps =
        new BatchedSteps(
            this::getCurrentKey,
            kernel,
            this::store,
            metrics.batchedStepNanos,
            metrics.batchedStepAllocation);
    scorer = new KeyScorer(config, steps);
    codec = new EventCodec();
    reportsModels = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    reuse = new StreamRecord<>(null);
  }

  @Override
  public void processElement1(StreamRecord<Event> element) throws Exception {
    Event event = element.getValue();
    hasOutputTimestamp = element.hasTimestamp();
    outputTimestamp = element.getTimestamp();
    if (!config.models().contains(modelName(event))) {
      reject(
          event,
          new InvalidInputException(
              RejectReason.UNKNOWN_MODEL,
              "the job serves no model '"
                  + modelName(event)
                  + "' (it serves "
                  + String.join(", ", new TreeSet<>(config.models()))
                  + ")"));
      return;
    }
    takeStepsOf(getCurrentKey());
    KeyState state = keyState.value();
    boolean created = state == null;
    if (created) {
      state = new KeyState();
      metrics.keysCreated.inc();
    }
    if (!drainPending(state)) {
      hold(event, state);
    } else {
      ServedModel served = models.get(modelName(event), modelFiles);
      if (served != null) {
        scoreOne(event, state, served);
      } else if (config.coldStartPolicy() == ColdStartPolicy.PASS_THROUGH) {
        emit(KeyScorer.unscored(event, modelName(event)));
      } else if (config.coldStartPolicy() == ColdStartPolicy.NAIVE && !event.isSymbol()) {
        scoreNaively(event, state);
      } else {
        hold(event, state);
      }
    }
    write(state, created);
  }

  @Override
  public void processElement2(StreamRecord<RawRecord> element) throws Exception {
    RawRecord record = element.getValue();
    if (record.feedback) {
      applyVerdict(record);
      return;
    }
    // Steps already due belong to the model version that scored their events.
    flushSteps();
    try {
      ServedModel served = models.accept(record.key, record.value, modelFiles);
      metrics.modelsAccepted.inc();
      metrics.modelVersion(served.name(), served.version());
    } catch (InvalidInputException e) {
      metrics.modelsRefused.inc();
      if (reportsModels) {
        metrics.deadLetters.count(e.reason());
        output.collect(
            ScoringJob.DEAD_LETTERS, new StreamRecord<>(record.deadLetter(e, null, now())));
      }
    }
  }

  /** Applies a verdict to its key's state when this subtask owns the key. */
  private void applyVerdict(RawRecord record) throws Exception {
    Verdict verdict;
    try {
      verdict = Verdict.parse(record.key, record.value);
    } catch (InvalidInputException e) {
      if (reportsModels) {
        metrics.deadLetters.count(e.reason());
        output.collect(
            ScoringJob.DEAD_LETTERS, new StreamRecord<>(record.deadLetter(e, null, now())));
      }
      return;
    }
    TaskInfo task = getRuntimeContext().getTaskInfo();
    int owner =
        KeyGroupRangeAssignment.assignKeyToParallelOperator(
            verdict.key, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
    if (owner != task.getIndexOfThisSubtask()) {
      return;
    }
    Object current = getCurrentKey();
    setCurrentKey(verdict.key);
    takeStepsOf(verdict.key);
    KeyState state = keyState.value();
    if (state != null && scorer.applyVerdict(verdict, state)) {
      keyState.update(state);
      (verdict.kind == Verdict.Kind.FALSE_POSITIVE ? metrics.falsePositives : metrics.confirmations)
          .inc();
    } else {
      metrics.verdictsUnmatched.inc();
    }
    if (current != null) {
      setCurrentKey(current);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flushSteps();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void endInput(int inputId) throws Exception {
    flushSteps();
  }

  @Override
  public void finish() throws Exception {
    flushSteps();
    super.finish();
  }

  /** The keys whose state this subtask holds, as the {@code keysWithState} gauge reports them. */
  long keysWithState() {
    return keysWithState;
  }

  /** Bytes per key the last sampled batched step allocated, as {@code batchedStepBytes} reports. */
  double batchedStepBytes() {
    return metrics.batchedStepAllocation.lastPerItem();
  }

  /**
   * Stores a key's state after its event, or leaves that to the batch when the key's step waits
   * there; counts and schedules the expiry of a new key.
   */
  private void write(KeyState state, boolean created) throws Exception {
    // A key whose step waits in the batch is stored once it is stepped: one write per event.
    if (!steps.waits()) {
      keyState.update(state);
    }
    if (created) {
      keysWithState++;
    }
    expiry.written(created);
  }

  /** Forgets the state of the key in context, once expired. */
  private void forget(Object key) throws Exception {
    takeStepsOf(key);
    if (keyState.value() != null) {
      keysWithState--;
    }
    keyState.clear();
  }

  /** Scores held events in order while their models are there; true when none is left. */
  private boolean drainPending(KeyState state) throws Exception {
    if (state.pending.isEmpty()) {
      return true;
    }
    Iterator<Event> it = state.pending.iterator();
    while (it.hasNext()) {
      Event held = it.next();
      ServedModel served = models.get(modelName(held), modelFiles);
      if (served == null) {
        return false;
      }
      it.remove();
      scoreOne(held, state, served);
    }
    return true;
  }

  private void hold(Event event, KeyState state) {
    if (state.pending.size() >= config.maxPendingPerKey()) {
      reject(
          event,
          new InvalidInputException(
              RejectReason.NO_MODEL_BUFFER_FULL,
              "no model '"
                  + modelName(event)
                  + "' yet and "
                  + state.pending.size()
                  + " events already held for this key"));
      return;
    }
    if (state.pending.isEmpty()) {
      retryTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now() + PENDING_RETRY_MILLIS);
    }
    state.pending.add(event);
    metrics.eventsPending.inc();
  }

  private void scoreOne(Event event, KeyState state, ServedModel served) {
    long start = System.nanoTime();
    ScoreRecord record;
    try {
      record = scorer.score(event, state, served);
    } catch (InvalidInputException e) {
      reject(event, e);
      return;
    }
    metrics.stepNanos.update(System.nanoTime() - start);
    metrics.eventsScored.inc();
    if (record.anomaly) {
      metrics.anomalies.inc();
    }
    emit(record);
  }

  private void scoreNaively(Event event, KeyState state) {
    ScoreRecord record;
    try {
      record = scorer.scoreNaively(event, state, modelName(event));
    } catch (InvalidInputException e) {
      reject(event, e);
      return;
    }
    metrics.eventsScored.inc();
    if (record.anomaly) {
      metrics.anomalies.inc();
    }
    emit(record);
  }

  private void emit(ScoreRecord record) {
    if (hasOutputTimestamp) {
      output.collect(reuse.replace(record, outputTimestamp));
    } else {
      reuse.eraseTimestamp();
      output.collect(reuse.replace(record));
    }
  }

  /** Events rejected after parsing carry their canonical JSON form as the payload. */
  private void reject(Event event, InvalidInputException e) {
    metrics.deadLetters.count(e.reason());
    output.collect(
        ScoringJob.DEAD_LETTERS,
        new StreamRecord<>(
            DeadLetter.of(
                e.reason(),
                e.getMessage(),
                event.sourceTopic,
                event.sourcePartition,
                event.sourceOffset,
                event.key,
                codec.encode(event),
                now())));
  }

  private String modelName(Event event) {
    return event.model != null ? event.model : config.defaultModel();
  }

  private long now() {
    return getProcessingTimeService().getCurrentProcessingTime();
  }

  /** Before a key's state is read: takes the waiting steps if one of them is that key's. */
  private void takeStepsOf(Object key) throws Exception {
    steps.takeStepsOf(key);
  }

  /** Takes every waiting step of the batch. */
  void flushSteps() throws Exception {
    steps.flush();
  }

  /**
   * Stores the states of a stepped batch under their keys, then puts the key in context back: the
   * one write of each of their events. The states are the backend's own objects or copies of them,
   * whichever it handed out.
   */
  private void store(StepBatch stepped) throws Exception {
    Object current = getCurrentKey();
    for (int i = 0; i < stepped.size(); i++) {
      setCurrentKey(stepped.key(i));
      keyState.update(stepped.owner(i));
    }
    if (current != null) {
      setCurrentKey(current);
    }
  }

  /** Scores a key's held events once their model is there. */
  private final class Retry implements Triggerable<Object, VoidNamespace> {
    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {}

    @Override
    public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
      takeStepsOf(timer.getKey());
      KeyState state = keyState.value();
      if (state == null || state.pending.isEmpty()) {
        return;
      }
      hasOutputTimestamp = false;
      if (!drainPending(state)) {
        retryTimers.registerProcessingTimeTimer(
            VoidNamespace.INSTANCE, timer.getTimestamp() + PENDING_RETRY_MILLIS);
      }
      write(state, false);
    }
  }
}

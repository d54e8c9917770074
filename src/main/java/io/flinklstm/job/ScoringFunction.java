package io.flinklstm.job;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreRecord;
import java.util.Iterator;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The heart of the job: per key, the LSTM state and statistics in keyed state; per subtask, the
 * served models from broadcast state. Each event is scored by its model (or the default model) and
 * advances its key's state; model updates are validated and swapped in without a restart.
 *
 * <p>Events naming a model the job does not serve go to dead letters at once. Events whose model
 * has not arrived yet are held in the key's state (or passed through unscored, by configuration)
 * and scored in order on the key's next event or by a processing-time timer once their model is
 * there. Rejected events and models go to the dead-letter side output; a refused model leaves the
 * served one in place, and only subtask 0 reports it, since every subtask sees every model update.
 */
class ScoringFunction extends KeyedBroadcastProcessFunction<String, Event, RawRecord, ScoreRecord> {
  private static final long serialVersionUID = 1L;

  /** How often a key holding events checks whether their model has arrived. */
  static final long PENDING_RETRY_MILLIS = 1000;

  private final ScoringConfig config;

  private transient ValueState<KeyState> keyState;
  private transient ServedModels models;
  private transient KeyScorer scorer;
  private transient ScoringMetrics metrics;
  private transient EventCodec codec;
  private transient boolean reportsModels;

  ScoringFunction(ScoringConfig config) {
    this.config = config;
  }

  static ValueStateDescriptor<KeyState> stateDescriptor(ScoringConfig config) {
    ValueStateDescriptor<KeyState> descriptor =
        new ValueStateDescriptor<>("key-state", KeyStateSerializer.INSTANCE);
    if (!config.stateTtl().isZero()) {
      descriptor.enableTimeToLive(
          StateTtlConfig.newBuilder(config.stateTtl())
              .updateTtlOnCreateAndWrite()
              .neverReturnExpired()
              .build());
    }
    return descriptor;
  }

  @Override
  public void open(OpenContext context) {
    keyState = getRuntimeContext().getState(stateDescriptor(config));
    models = new ServedModels(config.trustedKeys());
    scorer = newScorer(config);
    metrics = new ScoringMetrics(getRuntimeContext().getMetricGroup());
    codec = new EventCodec();
    reportsModels = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
  }

  /** The per-key scoring logic; a seam for the end-to-end benchmark's no-op variant. */
  KeyScorer newScorer(ScoringConfig scoringConfig) {
    return new KeyScorer(scoringConfig);
  }

  @Override
  public void processElement(Event event, ReadOnlyContext ctx, Collector<ScoreRecord> out)
      throws Exception {
    if (!config.models().contains(modelName(event))) {
      reject(
          event,
          new InvalidInputException(
              RejectReason.UNKNOWN_MODEL,
              "the job serves no model '"
                  + modelName(event)
                  + "' (it serves "
                  + String.join(", ", new TreeSet<>(config.models()))
                  + ")"),
          ctx);
      return;
    }
    KeyState state = keyState.value();
    if (state == null) {
      state = new KeyState();
      metrics.keysCreated.inc();
    }
    ReadOnlyBroadcastState<String, byte[]> broadcast =
        ctx.getBroadcastState(ServedModels.DESCRIPTOR);
    if (!drainPending(state, broadcast, ctx, out)) {
      hold(event, state, ctx);
    } else {
      ServedModel served = models.get(modelName(event), broadcast);
      if (served != null) {
        scoreOne(event, state, served, ctx, out);
      } else if (config.coldStartPolicy() == ColdStartPolicy.PASS_THROUGH) {
        out.collect(KeyScorer.unscored(event, modelName(event)));
      } else {
        hold(event, state, ctx);
      }
    }
    keyState.update(state);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoreRecord> out)
      throws Exception {
    KeyState state = keyState.value();
    if (state == null || state.pending.isEmpty()) {
      return;
    }
    if (!drainPending(state, ctx.getBroadcastState(ServedModels.DESCRIPTOR), ctx, out)) {
      ctx.timerService().registerProcessingTimeTimer(timestamp + PENDING_RETRY_MILLIS);
    }
    keyState.update(state);
  }

  @Override
  public void processBroadcastElement(RawRecord record, Context ctx, Collector<ScoreRecord> out)
      throws Exception {
    try {
      ServedModel served =
          models.accept(record.key, record.value, ctx.getBroadcastState(ServedModels.DESCRIPTOR));
      metrics.modelsAccepted.inc();
      metrics.modelVersion(served.name(), served.version());
    } catch (InvalidInputException e) {
      metrics.modelsRefused.inc();
      if (reportsModels) {
        metrics.deadLetters.count(e.reason());
        ctx.output(
            ScoringJob.DEAD_LETTERS,
            DeadLetter.of(
                e.reason(),
                e.getMessage(),
                record.topic,
                record.partition,
                record.offset,
                null,
                record.value,
                ctx.currentProcessingTime()));
      }
    }
  }

  /** Scores held events in order while their models are there; true when none is left. */
  private boolean drainPending(
      KeyState state,
      ReadOnlyBroadcastState<String, byte[]> broadcast,
      ReadOnlyContext ctx,
      Collector<ScoreRecord> out)
      throws Exception {
    Iterator<Event> it = state.pending.iterator();
    while (it.hasNext()) {
      Event held = it.next();
      ServedModel served = models.get(modelName(held), broadcast);
      if (served == null) {
        return false;
      }
      it.remove();
      scoreOne(held, state, served, ctx, out);
    }
    return true;
  }

  private void hold(Event event, KeyState state, ReadOnlyContext ctx) {
    if (state.pending.size() >= config.maxPendingPerKey()) {
      reject(
          event,
          new InvalidInputException(
              RejectReason.NO_MODEL_BUFFER_FULL,
              "no model '"
                  + modelName(event)
                  + "' yet and "
                  + state.pending.size()
                  + " events already held for this key"),
          ctx);
      return;
    }
    if (state.pending.isEmpty()) {
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService().registerProcessingTimeTimer(now + PENDING_RETRY_MILLIS);
    }
    state.pending.add(event);
    metrics.eventsPending.inc();
  }

  private void scoreOne(
      Event event,
      KeyState state,
      ServedModel served,
      ReadOnlyContext ctx,
      Collector<ScoreRecord> out) {
    long start = System.nanoTime();
    ScoreRecord record;
    try {
      record = scorer.score(event, state, served);
    } catch (InvalidInputException e) {
      reject(event, e, ctx);
      return;
    }
    metrics.stepNanos.update(System.nanoTime() - start);
    metrics.eventsScored.inc();
    if (record.anomaly) {
      metrics.anomalies.inc();
    }
    out.collect(record);
  }

  /** Events rejected after parsing carry their canonical JSON form as the payload. */
  private void reject(Event event, InvalidInputException e, ReadOnlyContext ctx) {
    metrics.deadLetters.count(e.reason());
    ctx.output(
        ScoringJob.DEAD_LETTERS,
        DeadLetter.of(
            e.reason(),
            e.getMessage(),
            event.sourceTopic,
            event.sourcePartition,
            event.sourceOffset,
            event.key,
            codec.encode(event),
            ctx.currentProcessingTime()));
  }

  private String modelName(Event event) {
    return event.model != null ? event.model : config.defaultModel();
  }
}

package io.flinklstm.job;

import io.flinklstm.detect.AnomalyDetector;
import io.flinklstm.detect.Explanations;
import io.flinklstm.detect.Score;
import io.flinklstm.detect.ScoreStats;
import io.flinklstm.detect.SymbolJudge;
import io.flinklstm.detect.SymbolJudgement;
import io.flinklstm.detect.SymbolVerdict;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.KeyScaler;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.Verdict;

/**
 * Scores one key's events with a served model: the swap policy when the model changed, the lateness
 * and gap rules, the prediction error, the detector, and the step of the key's state.
 *
 * <p>The prediction in a score is what the model expected for that event, made from the state
 * before the event; the state then takes the event. A symbol event is scored by a categorical model
 * the same way: its surprise −log p(symbol) is the error the detector sees, and it is flagged too
 * when DeepLog's top-g rule ({@link SymbolJudge}) calls it anomalous or its probability is below
 * the configured minimum, once the key is past its warm-up; an unknown symbol is scored as the
 * out-of-vocabulary symbol and flagged as {@code unknown}. Plain logic over {@link KeyState}, so it
 * is tested without a Flink runtime. One instance per subtask; not thread-safe.
 */
final class KeyScorer {
  private final ScoringConfig config;
  private final KeySteps steps;
  private final AnomalyDetector detector;
  private final Score score = new Score();
  private final ScoreStats lateStats = new ScoreStats();
  private final long maxGapMillis;
  private final long maxBackwardJumpMillis;
  private final SymbolJudge judge;
  private final SymbolJudgement judgement = new SymbolJudgement();
  private final double maxSurprise;

  /**
   * @param steps takes the steps that bring events into their keys' recurrent states
   */
  KeyScorer(ScoringConfig config, KeySteps steps) {
    this.config = config;
    this.steps = steps;
    this.detector = new AnomalyDetector(config.detector());
    this.maxGapMillis = config.maxGap().toMillis();
    this.maxBackwardJumpMillis = config.maxBackwardJump().toMillis();
    this.judge = new SymbolJudge(config.topG());
    this.maxSurprise =
        config.minProbability() > 0 ? -Math.log(config.minProbability()) : Double.POSITIVE_INFINITY;
  }

  /**
   * Scores the event and advances the key's state.
   *
   * @throws InvalidInputException when the event's kind (values or symbol) does not fit the model,
   *     it has the wrong dimension for the model, or is late under the dead-letter lateness policy
   */
  ScoreRecord score(Event event, KeyState state, ServedModel served) throws InvalidInputException {
    checkKind(event, served);
    if (served.isCategorical()) {
      adopt(state, served);
      return scoreSymbol(event, state, served, ordered(event, state));
    }
    int dimension = served.model.inputSize();
    if (event.values.length != dimension) {
      throw new InvalidInputException(
          RejectReason.WRONG_DIMENSION,
          "the event has "
              + event.values.length
              + " values but model '"
              + served.name()
              + "' takes "
              + dimension);
    }
    adopt(state, served);
    boolean late = ordered(event, state);

    // The prediction was made before the event, so it is read back in the key's units with the
    // scaling statistics from before the event too.
    InputScaling scaling = served.model.scaling();
    float[] predicted = predict(served, state.lstm);
    float[] prediction = new float[dimension];
    served.model.normalizer().denormalize(predicted, prediction);
    state.scaler.unscale(scaling, prediction, prediction);
    if (late) {
      transform(state.scaler, scaling, event.values, served.scaled);
    } else {
      state.scaler.scale(scaling, event.values, served.scaled);
    }
    served.model.normalizer().normalize(served.scaled, served.input);
    served.model.time().encode(event.ts, served.input, dimension);
    requireFinite(prediction, served.input);

    float[] contributions =
        config.explanations()
            ? Explanations.contributions(predicted, served.input, dimension)
            : null;
    if (late) {
      lateStats.copyFrom(state.stats);
      detector.score(lateStats, predicted, served.input, event.values, event.ts, score);
    } else {
      detector.score(state.stats, predicted, served.input, event.values, event.ts, score);
      requireFinite(score);
      steps.step(state, served.stepper, state.lstm, served.input);
      state.remember(event.values, event.ts);
      state.lastTs = event.ts;
      state.seen++;
    }
    return remembered(state, explained(record(event, served, prediction), contributions), 0);
  }

  /**
   * Applies an analyst's verdict on one of the key's events: a false positive raises the key's bar
   * as the detector says ({@link AnomalyDetector#falsePositive}); a confirmation changes nothing
   * here (the sidecar keeps the event out of training).
   *
   * @return whether the verdict names one of the key's remembered flags
   */
  boolean applyVerdict(Verdict verdict, KeyState state) {
    if (verdict.kind == Verdict.Kind.FALSE_POSITIVE) {
      return detector.falsePositive(state.stats, verdict.ts);
    }
    return AnomalyDetector.remembersFlag(state.stats, verdict.ts);
  }

  /**
   * Remembers a flagged score's event and what raised it ({@link Score#rules} of the last
   * judgement, plus {@code extraRules}) in the key's statistics, for a verdict that may come later.
   */
  private ScoreRecord remembered(KeyState state, ScoreRecord r, int extraRules) {
    if (r.anomaly) {
      AnomalyDetector.rememberFlag(state.stats, r.ts, score.rules() | extraRules);
    }
    return r;
  }

  /** The score with each value's share of its error and the value that moved most, if any. */
  private static ScoreRecord explained(ScoreRecord r, float[] contributions) {
    if (contributions != null) {
      r.contributions = contributions;
      r.topChannel = Explanations.topChannel(contributions);
    }
    return r;
  }

  /**
   * Refuses an event whose score would not be finite, before it changes the key's detector or
   * recurrent state: what the model predicted for it, in the key's units, and its values in the
   * model's. Finite predictions and values give a finite error, which keeps every statistic of the
   * score finite ({@link AnomalyDetector}).
   */
  private static void requireFinite(float[] prediction, float[] input)
      throws InvalidInputException {
    for (int i = 0; i < prediction.length; i++) {
      if (!Float.isFinite(prediction[i])) {
        throw new InvalidInputException(
            RejectReason.NON_FINITE_SCORE,
            "the model's prediction of value " + i + " overflows a float in the key's units");
      }
      if (!Float.isFinite(input[i])) {
        throw new InvalidInputException(
            RejectReason.NON_FINITE_SCORE,
            "value " + i + " overflows a float in the model's normalised units");
      }
    }
  }

  /**
   * The last guard before a score is written: the detector keeps its statistics finite for any
   * finite error, so this never refuses an event unless that promise is broken.
   */
  private static void requireFinite(Score score) throws InvalidInputException {
    if (!Double.isFinite(score.error)
        || !Double.isFinite(score.rawScore)
        || !Double.isFinite(score.likelihood)
        || !Double.isFinite(score.logLikelihood)
        || !Double.isFinite(score.confidence)) {
      throw new InvalidInputException(
          RejectReason.NON_FINITE_SCORE,
          "the detector's statistics are not finite (error "
              + score.error
              + ", likelihood "
              + score.likelihood
              + ")");
    }
  }

  /**
   * Applies the time rules: true when the event is late (scored without advancing the state). A gap
   * longer than {@link ScoringConfig#maxGap} starts a new sequence; so does a backward jump longer
   * than {@link ScoringConfig#maxBackwardJump} (the key's clock was reset, or an event stamped far
   * in the future came before), which then goes on from this event, so no single event can leave a
   * key refusing all that follows as late.
   */
  private boolean ordered(Event event, KeyState state) throws InvalidInputException {
    boolean started = state.lastTs != Long.MIN_VALUE;
    boolean late = started && event.ts < state.lastTs;
    // A difference too large for a long wraps to a negative one: a jump beyond any bound too.
    long back = state.lastTs - event.ts;
    if (late && maxBackwardJumpMillis > 0 && (back > maxBackwardJumpMillis || back < 0)) {
      state.resetSequence();
      detector.restart(state.stats);
      return false;
    }
    if (late && config.latePolicy() == LatePolicy.DEAD_LETTER) {
      throw new InvalidInputException(
          RejectReason.LATE,
          "ts " + event.ts + " is before the key's last processed event at " + state.lastTs);
    }
    if (started && !late && maxGapMillis > 0 && event.ts - state.lastTs > maxGapMillis) {
      state.resetSequence();
      detector.restart(state.stats);
    }
    return late;
  }

  private static void checkKind(Event event, ServedModel served) throws InvalidInputException {
    if (event.isSymbol() != served.isCategorical()) {
      throw new InvalidInputException(
          RejectReason.WRONG_KIND,
          "the event carries "
              + (event.isSymbol() ? "a symbol" : "values")
              + " but model '"
              + served.name()
              + "' is "
              + served.kind());
    }
  }

  /** Judges a symbol against the key's prediction, scores its surprise and feeds it in. */
  private ScoreRecord scoreSymbol(Event event, KeyState state, ServedModel served, boolean late)
      throws InvalidInputException {
    CategoricalModel model = served.categorical;
    int found = model.vocabulary().find(event.symbol);
    judge.judge(
        served.symbolStepper.logProbabilities(state.lstm), model.vocabulary(), found, judgement);
    String[] expected =
        config.explanations() ? Explanations.expectedSymbols(judgement, model.vocabulary()) : null;
    if (!Double.isFinite(judgement.surprise)) {
      throw new InvalidInputException(
          RejectReason.NON_FINITE_SCORE,
          "the model's probability of symbol '" + event.symbol + "' is not a finite number");
    }
    if (late) {
      lateStats.copyFrom(state.stats);
      detector.scoreSurprise(lateStats, judgement.surprise, score);
    } else {
      detector.scoreSurprise(state.stats, judgement.surprise, score);
      served.symbolStepper.advance(state.lstm, judgement.symbolId);
      state.symbols.remember(event.symbol);
      state.lastTs = event.ts;
      state.seen++;
    }
    // DeepLog's top-g rule alone misses a symbol the model finds very unlikely when the other
    // candidates are even less likely; the minimum probability catches those.
    boolean improbable =
        judgement.verdict == SymbolVerdict.EXPECTED && judgement.surprise > maxSurprise;
    ScoreRecord r = record(event, served, null);
    boolean symbolFlag =
        !score.warmingUp
            && (judgement.anomalous() || improbable)
            && !detector.muted(state.stats, Score.RULE_SYMBOL);
    r.anomaly = score.anomaly || symbolFlag;
    if (symbolFlag) {
      r.confidence = 1.0;
      r.flaggedBy =
          score.anomaly
              ? new String[] {Score.BY_LIKELIHOOD, ScoreRecord.BY_SYMBOL}
              : new String[] {ScoreRecord.BY_SYMBOL};
    }
    r.symbol = event.symbol;
    r.surprise = judgement.surprise;
    r.rank = judgement.rank;
    r.verdict = improbable ? ScoreRecord.IMPROBABLE : verdictCode(judgement.verdict);
    r.expected = expected;
    return remembered(state, r, symbolFlag ? Score.RULE_SYMBOL : 0);
  }

  private static String verdictCode(SymbolVerdict verdict) {
    switch (verdict) {
      case EXPECTED:
        return ScoreRecord.EXPECTED;
      case NOT_IN_TOP_G:
        return ScoreRecord.NOT_IN_TOP_G;
      case UNKNOWN:
      default:
        return ScoreRecord.UNKNOWN;
    }
  }

  /**
   * Scores a numeric event with the naive forecast, its key's last value, while no model is served
   * ({@link ColdStartPolicy#NAIVE}): the error is the root mean square of the change in the key's
   * scaled units ({@link InputScaling#DEFAULT}, as the sidecar scales the key), judged by the same
   * detector. The key's recurrent state is untouched; its recent values are remembered, so the
   * first model re-warms from them.
   *
   * @throws InvalidInputException when the event has another number of values than the key's
   *     earlier events, or is late under the dead-letter lateness policy
   */
  ScoreRecord scoreNaively(Event event, KeyState state, String model) throws InvalidInputException {
    int dimension = event.values.length;
    if (state.ringDimension != 0 && state.ringDimension != dimension) {
      throw new InvalidInputException(
          RejectReason.WRONG_DIMENSION,
          "the event has "
              + dimension
              + " values but the key's earlier events had "
              + state.ringDimension);
    }
    state.shapeFor(state.lstm.size(), dimension, Math.max(1, config.rewarmWindow()));
    boolean late = ordered(event, state);
    InputScaling scaling = InputScaling.DEFAULT;
    float[] previous = new float[dimension];
    float[] now = new float[dimension];
    boolean first = state.ringSize == 0;
    if (!first) {
      state.recall(state.ringSize - 1, previous);
    } else {
      System.arraycopy(event.values, 0, previous, 0, dimension);
    }
    float[] prediction = previous.clone();
    state.scaler.transform(scaling, previous, previous);
    if (late) {
      state.scaler.transform(scaling, event.values, now);
    } else {
      state.scaler.scale(scaling, event.values, now);
    }
    requireFinite(prediction, now);
    float[] contributions =
        config.explanations() ? Explanations.contributions(previous, now, dimension) : null;
    if (late) {
      lateStats.copyFrom(state.stats);
      detector.score(lateStats, previous, now, event.values, event.ts, score);
    } else {
      detector.score(state.stats, previous, now, event.values, event.ts, score);
      state.remember(event.values, event.ts);
      state.lastTs = event.ts;
      state.seen++;
    }
    requireFinite(score);
    ScoreRecord r = new ScoreRecord();
    fill(r, event, score);
    r.prediction = prediction;
    r.model = model;
    r.modelVersion = 0;
    r.status = ScoreRecord.NAIVE;
    return remembered(state, explained(r, contributions), 0);
  }

  /** A score for an event no model could score, under the pass-through cold-start policy. */
  static ScoreRecord unscored(Event event, String model) {
    ScoreRecord r = new ScoreRecord();
    r.key = event.key;
    r.ts = event.ts;
    r.values = event.values;
    r.symbol = event.symbol;
    r.model = model;
    r.status = ScoreRecord.NO_MODEL;
    return r;
  }

  private static void fill(ScoreRecord r, Event event, Score score) {
    r.key = event.key;
    r.ts = event.ts;
    r.values = event.values;
    r.error = score.error;
    r.rawScore = score.rawScore;
    r.likelihood = score.likelihood;
    r.logLikelihood = score.logLikelihood;
    r.confidence = score.confidence;
    r.anomaly = score.anomaly;
    r.flaggedBy = score.flaggedBy();
    r.warmingUp = score.warmingUp;
  }

  /** Brings the key's state under the served model, applying the swap policy on a change. */
  private void adopt(KeyState state, ServedModel served) {
    if (served.name().equals(state.model) && served.version() == state.modelVersion) {
      return;
    }
    boolean categorical = served.isCategorical();
    int stateSize = categorical ? served.categorical.stateSize() : served.model.stateSize();
    int dimension = categorical ? 0 : served.model.inputSize();
    boolean fresh = state.model == null;
    boolean sameShape = state.lstm.size() == stateSize && state.ringDimension == dimension;
    state.shapeFor(stateSize, dimension, categorical ? 0 : config.rewarmWindow());
    state.symbols.resize(categorical ? config.rewarmWindow() : 0);
    if (!fresh) {
      switch (config.swapPolicy()) {
        case KEEP:
          if (!sameShape) {
            state.lstm.reset();
            detector.restart(state.stats);
          }
          break;
        case RESET:
          state.lstm.reset();
          detector.restart(state.stats);
          break;
        case REWARM:
        default:
          rewarm(state, served);
      }
    } else if (config.swapPolicy() == SwapPolicy.REWARM && state.ringSize > 0 && !categorical) {
      // A key scored by the naive forecast so far: its first model starts from its recent values.
      rewarm(state, served);
    }
    state.model = served.name();
    state.modelVersion = served.version();
  }

  /** Rebuilds (h, c) by replaying the remembered inputs through the new weights. */
  private void rewarm(KeyState state, ServedModel served) {
    state.lstm.reset();
    if (served.isCategorical()) {
      // Strings, not ids: the new version's vocabulary decides what each remembered symbol is.
      for (int i = 0; i < state.symbols.size(); i++) {
        int id = served.categorical.vocabulary().id(state.symbols.get(i));
        served.symbolStepper.advance(state.lstm, id);
      }
      return;
    }
    InputScaling scaling = served.model.scaling();
    TimeFeatures time = served.model.time();
    int dimension = served.model.inputSize();
    for (int i = 0; i < state.ringSize; i++) {
      long ts = state.recallTime(i);
      if (time.any() && ts == KeyState.UNKNOWN_TIME) {
        continue;
      }
      state.recall(i, served.recalled);
      transform(state.scaler, scaling, served.recalled, served.scaled);
      served.model.normalizer().normalize(served.scaled, served.input);
      time.encode(ts, served.input, dimension);
      steps.step(state, served.stepper, state.lstm, served.input);
    }
  }

  /** The values scaled by the key's statistics as they are, without learning them. */
  private static void transform(KeyScaler scaler, InputScaling scaling, float[] raw, float[] out) {
    if (scaling.perKey()) {
      scaler.transform(scaling, raw, out);
    } else {
      System.arraycopy(raw, 0, out, 0, raw.length);
    }
  }

  /** The model's prediction from a key's state, in normalised units, once its step is taken. */
  private float[] predict(ServedModel served, LstmState lstm) {
    steps.settle();
    return served.stepper.predict(lstm);
  }

  private ScoreRecord record(Event event, ServedModel served, float[] prediction)
      throws InvalidInputException {
    requireFinite(score);
    ScoreRecord r = new ScoreRecord();
    fill(r, event, score);
    r.prediction = prediction;
    r.model = served.name();
    r.modelVersion = served.version();
    r.status = ScoreRecord.SCORED;
    return r;
  }
}

package io.flinklstm.testutil;

import io.flinklstm.detect.AnomalyDetector;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.detect.Explanations;
import io.flinklstm.detect.Score;
import io.flinklstm.detect.ScoreStats;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.kernel.Stepper;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The scores a run without failure gives one key's events, computed here with the model core and
 * the detector alone: the prediction from the state before each event, the error in normalised
 * units, the detector on the key's statistics, then the step. A job that recovers from a checkpoint
 * must give exactly these, since its per-key state is restored, not rebuilt.
 */
public final class ReferenceScores {
  private ReferenceScores() {}

  /** The scores of one key's events, in order, from a fresh state under {@code model}. */
  public static List<ScoreRecord> of(
      LstmModel model, DetectorConfig detectorConfig, List<Event> events) {
    int dimension = model.inputSize();
    Stepper stepper = Stepper.of(model);
    LstmState state = model.newState();
    AnomalyDetector detector = new AnomalyDetector(detectorConfig);
    ScoreStats stats = new ScoreStats();
    Score score = new Score();
    float[] normalized = new float[dimension];
    List<ScoreRecord> scores = new ArrayList<>();
    for (Event event : events) {
      model.normalizer().normalize(event.values, normalized);
      float[] predicted = stepper.predict(state);
      float[] prediction = new float[dimension];
      model.normalizer().denormalize(predicted, prediction);
      detector.score(stats, predicted, normalized, event.values, event.ts, score);
      float[] contributions = Explanations.contributions(predicted, normalized, dimension);
      stepper.advance(state, normalized);

      ScoreRecord r = new ScoreRecord();
      r.key = event.key;
      r.ts = event.ts;
      r.values = event.values;
      r.prediction = prediction;
      r.error = score.error;
      r.rawScore = score.rawScore;
      r.likelihood = score.likelihood;
      r.logLikelihood = score.logLikelihood;
      r.confidence = score.confidence;
      r.anomaly = score.anomaly;
      r.flaggedBy = score.flaggedBy();
      r.warmingUp = score.warmingUp;
      r.model = model.info().name();
      r.modelVersion = model.info().version();
      r.status = ScoreRecord.SCORED;
      r.contributions = contributions;
      r.topChannel = Explanations.topChannel(contributions);
      scores.add(r);
    }
    return scores;
  }
}

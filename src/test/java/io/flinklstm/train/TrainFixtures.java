package io.flinklstm.train;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.bptt.Parameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small models and data sets for the training tests. */
final class TrainFixtures {
  static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");

  private TrainFixtures() {}

  /** One layer of H = 1 and a head, D = 1, with the given weights as Parameters. */
  static Parameters scalarModel(float wx, float wh, float b, float wy, float by) {
    float[] bias = {b, b, b, b};
    LstmModel model =
        new LstmModel(
            ModelInfo.first("tiny", CREATED),
            Normalizer.identity(1),
            List.of(
                new LstmLayer(
                    new float[][] {{wx, wx, wx, wx}},
                    new float[][] {{wh, wh, wh, wh}},
                    bias,
                    Activation.TANH,
                    Activation.SIGMOID)),
            new DenseLayer(new float[][] {{wy}}, new float[] {by}));
    return Parameters.of(model);
  }

  /**
   * Keys of noisy periodic signals, D = 2: feature 0 a sine and feature 1 a sawtooth, each key with
   * its own period (12 to 22 steps), phase, level and scale, plus 3% Gaussian noise.
   */
  static SequenceSet periodicKeys(int keys, int length, long seed) {
    Random random = new Random(seed);
    List<Series> series = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      double period = 12 + 10 * random.nextDouble();
      double phase = random.nextDouble() * period;
      double level = 5 + 10 * random.nextDouble();
      double scale = 1 + random.nextDouble();
      float[] values = new float[2 * length];
      for (int t = 0; t < length; t++) {
        double cycle = (t + phase) / period;
        double sine = Math.sin(2 * Math.PI * cycle);
        double saw = 2 * (cycle - Math.floor(cycle)) - 1;
        values[2 * t] = (float) (level + scale * (sine + 0.03 * random.nextGaussian()));
        values[2 * t + 1] = (float) (scale * (saw + 0.03 * random.nextGaussian()));
      }
      series.add(new Series("key-" + k, 2, values));
    }
    return new SequenceSet(2, series);
  }

  /** A series of D = 1 whose value at step t is t, for checking which steps end up where. */
  static Series counting(String key, int length) {
    float[] values = new float[length];
    for (int t = 0; t < length; t++) {
      values[t] = t;
    }
    return new Series(key, 1, values);
  }
}

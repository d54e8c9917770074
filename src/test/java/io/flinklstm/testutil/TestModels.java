package io.flinklstm.testutil;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.train.CategoricalInitializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small models with seeded random weights, and their files, for tests. */
public final class TestModels {
  public static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private TestModels() {}

  /** A one-layer model; the seed fixes the weights, so equal seeds give equal models. */
  public static LstmModel model(String name, long version, int inputs, int hidden, long seed) {
    return stacked(name, version, inputs, new int[] {hidden}, seed);
  }

  /** A model with the given hidden sizes, normalisation mean 1 and std 2. */
  public static LstmModel stacked(String name, long version, int inputs, int[] hidden, long seed) {
    return build(name, version, inputs, hidden, seed, TimeFeatures.NONE);
  }

  /** A one-layer model taking the {@code time} inputs after its values. */
  public static LstmModel timed(
      String name, long version, int inputs, int hidden, long seed, TimeFeatures time) {
    return build(name, version, inputs, new int[] {hidden}, seed, time);
  }

  private static LstmModel build(
      String name, long version, int inputs, int[] hidden, long seed, TimeFeatures time) {
    Random random = new Random(seed);
    List<LstmLayer> layers = new ArrayList<>();
    int in = inputs + time.width();
    for (int h : hidden) {
      layers.add(
          new LstmLayer(
              matrix(random, in, 4 * h),
              matrix(random, h, 4 * h),
              vector(random, 4 * h),
              Activation.TANH,
              Activation.SIGMOID));
      in = h;
    }
    float[] mean = new float[inputs];
    float[] std = new float[inputs];
    java.util.Arrays.fill(mean, 1f);
    java.util.Arrays.fill(std, 2f);
    ModelInfo info = new ModelInfo(name, version, CREATED, version - 1, Map.of());
    return new LstmModel(
        info,
        new Normalizer(mean, std),
        InputScaling.NONE,
        time,
        layers,
        new DenseLayer(matrix(random, in, inputs), vector(random, inputs)));
  }

  public static byte[] file(String name, long version, int inputs, int hidden, long seed) {
    return ModelFile.write(model(name, version, inputs, hidden, seed));
  }

  /**
   * A categorical model over the given symbols (the out-of-vocabulary entry {@code <unk>} added
   * first): an embedding of 4, one LSTM layer of {@code hidden}, fresh weights from the seed.
   */
  public static CategoricalModel categorical(
      String name, long version, List<String> symbols, int hidden, long seed) {
    List<String> all = new ArrayList<>();
    all.add(Vocabulary.DEFAULT_UNKNOWN);
    all.addAll(symbols);
    return CategoricalInitializer.fresh(
        new ModelInfo(name, version, CREATED, version - 1, Map.of()),
        new Vocabulary(all, Vocabulary.DEFAULT_UNKNOWN),
        4,
        CellType.LSTM,
        hidden,
        1,
        seed);
  }

  private static float[][] matrix(Random random, int rows, int cols) {
    float[][] m = new float[rows][];
    for (int r = 0; r < rows; r++) {
      m[r] = vector(random, cols);
    }
    return m;
  }

  private static float[] vector(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 0.4);
    }
    return v;
  }
}

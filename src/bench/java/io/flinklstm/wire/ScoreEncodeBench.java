package io.flinklstm.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writing a score's JSON: Jackson's data binding against {@link ScoreJson}, on scores shaped as the
 * end-to-end benchmark's (8 values, 8 predictions), in alternating rounds in one JVM. Prints the
 * median nanoseconds per score of each and their ratio.
 *
 * <pre>java -cp ... io.flinklstm.wire.ScoreEncodeBench [ROUNDS]</pre>
 */
public final class ScoreEncodeBench {
  private static final int SCORES = 20_000;
  private static final int DIM = 8;

  private ScoreEncodeBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    SplittableRandom random = new SplittableRandom(1);
    ScoreRecord[] scores = new ScoreRecord[SCORES];
    for (int i = 0; i < SCORES; i++) {
      ScoreRecord s = new ScoreRecord();
      s.key = "key-" + (i % 10_000);
      s.ts = 1_700_000_000_000L + i;
      s.values = new float[DIM];
      s.prediction = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        s.values[d] = (float) Math.sin(0.01 * i + d);
        s.prediction[d] = (float) (Math.sin(0.01 * i + d) + 0.1 * random.nextGaussian());
      }
      s.error = random.nextDouble();
      s.rawScore = random.nextDouble();
      s.likelihood = random.nextDouble();
      s.logLikelihood = random.nextDouble() * 0.1;
      s.model = "default";
      s.modelVersion = 1;
      s.status = ScoreRecord.SCORED;
      scores[i] = s;
    }
    List<Double> jackson = new ArrayList<>();
    List<Double> own = new ArrayList<>();
    long sink = 0;
    ScoreEncoder encoder = new ScoreEncoder();
    for (int r = 0; r < rounds + 3; r++) {
      long t0 = System.nanoTime();
      for (ScoreRecord s : scores) {
        sink += WireJson.encodeWithJackson(s).length;
      }
      long t1 = System.nanoTime();
      for (ScoreRecord s : scores) {
        sink += encoder.encode(s).length;
      }
      long t2 = System.nanoTime();
      if (r >= 3) { // the first rounds warm the JIT up
        jackson.add((t1 - t0) / (double) SCORES);
        own.add((t2 - t1) / (double) SCORES);
      }
    }
    double j = median(jackson);
    double o = median(own);
    System.out.printf(
        "score JSON, ns per score (median of %d rounds of %d): Jackson data binding %.0f,"
            + " ScoreJson %.0f, ratio %.2f (%d bytes)%n",
        rounds, SCORES, j, o, j / o, sink);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}

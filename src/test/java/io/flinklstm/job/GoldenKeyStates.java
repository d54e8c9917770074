package io.flinklstm.job;

import io.flinklstm.detect.Score;
import io.flinklstm.wire.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The key state in the golden files {@code golden/key-state-v<N>.bin}, and the tool that writes the
 * file of a new format version. A released version's file is never written again: if {@code
 * KeyStateSerializerTest} fails on one, the change altered what released bytes mean and needs a new
 * version. Run by {@code scripts/golden-files.sh}.
 */
public final class GoldenKeyStates {
  private GoldenKeyStates() {}

  /**
   * A state with every part set: a model and version, five LSTM units, a ring of five two-value
   * inputs and their times (the last three kept), error and range statistics, runs of repeated
   * values, residual statistics and drift sums, scaling statistics, held events.
   */
  static KeyState sample() {
    KeyState s = new KeyState();
    s.model = "m";
    s.modelVersion = 7;
    s.shapeFor(5, 2, 3);
    for (int i = 0; i < 5; i++) {
      s.lstm.h()[i] = i * 0.5f;
      s.lstm.c()[i] = -i;
    }
    for (int i = 0; i < 5; i++) {
      s.remember(new float[] {i, -i}, 1_000L * i + 100);
    }
    s.stats.seen = 11;
    s.stats.errorMean = 0.25;
    s.stats.errorVar = 0.01;
    s.stats.longMean = 0.5;
    s.stats.longVar = 0.08;
    s.stats.shortMean = 0.6;
    s.stats.lastFlag = 9;
    s.stats.settleUntil = 15;
    s.stats.recent = new double[] {0.125, 0.25, 0.5};
    s.stats.recentNext = 1;
    s.stats.recentCount = 3;
    s.stats.inRedZone = true;
    s.stats.rangeMin = new float[] {0, -4};
    s.stats.rangeMax = new float[] {4, 0};
    s.stats.lastValues = new float[] {4, -4};
    s.stats.repeats = new int[] {2, 0};
    s.stats.longestRepeats = new int[] {3, 1};
    s.stats.residualMean = new float[] {0.125f, -0.25f};
    s.stats.residualVar = new float[] {0.5f, 2};
    s.stats.residualCov = new float[] {0.25f, -0.5f};
    s.stats.residualLast = new float[] {-0.75f, 1};
    s.stats.driftUp = new float[] {1.5f, 0};
    s.stats.driftDown = new float[] {0, 3.25f};
    s.scaler.count = 7;
    s.scaler.mean = new double[] {1.5, -2.5};
    s.scaler.var = new double[] {0.25, 4};
    s.lastTs = 123456789L;
    s.seen = 11;
    s.pending.add(new Event("k", 5, new float[] {1, 2}, null).from("events", 3, 44));
    s.pending.add(new Event("k", 6, new float[] {3, 4}, "other").from(null, 0, 0));
    return s;
  }

  /**
   * What the current version's golden file holds: {@link #sample()} with a symbol ring a, b, two
   * remembered flags, an analyst's false positive that raised the threshold twice and muted the
   * range and drift rules, and two channels' statistics of the 48 hours of the time-of-day rule.
   */
  static KeyState current() {
    KeyState s = sample();
    s.symbols.resize(2);
    s.symbols.remember("a");
    s.symbols.remember("b");
    s.stats.raises = 2;
    s.stats.raisedAt = 10;
    s.stats.mutedRules = Score.RULE_RANGE | Score.RULE_DRIFT;
    s.stats.mutedUntil = 2_010;
    s.stats.flagTimes = new long[] {3_100, 4_100};
    s.stats.flagRules = new byte[] {Score.RULE_LIKELIHOOD, 0};
    s.stats.flagNext = 2;
    s.stats.dayMean = new float[2 * 48];
    s.stats.dayVar = new float[2 * 48];
    s.stats.dayCount = new int[48];
    for (int b = 0; b < 48; b++) {
      s.stats.dayMean[2 * b] = b;
      s.stats.dayMean[2 * b + 1] = -b;
      s.stats.dayVar[2 * b] = 0.5f;
      s.stats.dayVar[2 * b + 1] = 0.25f * b;
      s.stats.dayCount[b] = b % 5;
    }
    s.stats.dayUp = new float[] {1.5f, 0};
    s.stats.dayDown = new float[] {0, 7.25f};
    s.stats.dayStart = 100;
    return s;
  }

  /** The golden file of a format version, under {@code resources}. */
  static Path file(Path resources, int version) {
    return resources.resolve("golden").resolve("key-state-v" + version + ".bin");
  }

  /**
   * Writes the current version's golden file under the directory given (default {@code
   * src/test/resources}) when it does not exist yet; an existing one is left as it is.
   */
  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
    Path target = file(resources, KeyStateSerializer.VERSION);
    if (Files.exists(target)) {
      System.out.println("kept " + target + " (a released version's bytes never change)");
      return;
    }
    DataOutputSerializer out = new DataOutputSerializer(256);
    KeyStateSerializer.INSTANCE.serialize(current(), out);
    Files.createDirectories(target.getParent());
    Files.write(target, out.getCopyOfBuffer());
    System.out.println("wrote " + target);
  }
}

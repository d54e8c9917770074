package io.flinklstm.demo;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws one key's series as {@link SyntheticDataset} describes, then applies its injections. The
 * channel parameters and the noise come from random streams of their own, so a series with
 * injections and its clean twin share every clean value.
 */
final class SeriesRenderer {
  private SeriesRenderer() {}

  static KeySeries render(DatasetConfig config, String key, int keyIndex, List<Injection> plan) {
    int n = config.eventsPerKey();
    int d = config.channels();
    SplittableRandom keyRandom = new SplittableRandom(mix(config.seed(), keyIndex));
    SplittableRandom shapeRandom = keyRandom.split();
    SplittableRandom noiseRandom = keyRandom.split();
    Channel[] channels = new Channel[d];
    for (int c = 0; c < d; c++) {
      channels[c] = Channel.draw(shapeRandom, config.eventsPerDay());
    }
    double[] clock = clock(n, config.eventsPerDay(), plan);
    float[][] values = new float[n][d];
    long[] ts = new long[n];
    long t0 = config.start().toEpochMilli();
    long step = config.step().toMillis();
    double week = 7.0 * config.eventsPerDay();
    for (int i = 0; i < n; i++) {
      ts[i] = t0 + i * step;
      for (int c = 0; c < d; c++) {
        values[i][c] =
            (float)
                (channels[c].value(i, clock[i], week)
                    + channels[c].noise * noiseRandom.nextGaussian());
      }
    }
    for (Injection injection : plan) {
      apply(injection, values, channels);
    }
    return new KeySeries(key, ts, values);
  }

  /**
   * The daily phase of every event: 2π/P per event, (amount)·2π/P into each event of a frequency
   * change and into the event after it. A change of L labelled events thus gains (amount − 1)·(L +
   * 1) events of phase, a whole day, and the event after it is back in phase.
   */
  private static double[] clock(int n, int eventsPerDay, List<Injection> plan) {
    double[] phase = new double[n];
    double perEvent = 2 * Math.PI / eventsPerDay;
    for (int i = 1; i < n; i++) {
      double speed = 1;
      for (Injection injection : plan) {
        if (injection.window().kind() == AnomalyKind.FREQUENCY_CHANGE
            && i >= injection.first()
            && i <= injection.last() + 1) {
          speed = injection.amount();
        }
      }
      phase[i] = phase[i - 1] + speed * perEvent;
    }
    return phase;
  }

  private static void apply(Injection injection, float[][] values, Channel[] channels) {
    for (int c = 0; c < channels.length; c++) {
      if (!injection.changes(c)) {
        continue;
      }
      float stuckAt = values[Math.max(0, injection.first() - 1)][c];
      for (int i = injection.first(); i <= injection.last(); i++) {
        switch (injection.window().kind()) {
          case SPIKE, LEVEL_SHIFT ->
              values[i][c] += (float) (injection.amount() * channels[c].amplitude);
          case STUCK_SENSOR -> values[i][c] = stuckAt;
          case FREQUENCY_CHANGE -> {} // already in the clock
        }
      }
    }
  }

  private static long mix(long seed, int keyIndex) {
    long z = seed + 0x9E3779B97F4A7C15L * (keyIndex + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** One channel's shape: level, trend, daily amplitude and harmonic, weekly swing, noise. */
  private record Channel(
      double level,
      double trendPerEvent,
      double amplitude,
      double offset,
      double harmonic,
      double weekly,
      double weeklyOffset,
      double noise) {

    static Channel draw(SplittableRandom r, int eventsPerDay) {
      double amplitude = r.nextDouble(4, 12);
      double trendPerDay = r.nextDouble(-0.02, 0.02) * amplitude;
      return new Channel(
          r.nextDouble(20, 80),
          trendPerDay / eventsPerDay,
          amplitude,
          r.nextDouble(0, 2 * Math.PI),
          r.nextDouble(0.15, 0.45),
          r.nextDouble(0.15, 0.3),
          r.nextDouble(0, 2 * Math.PI),
          r.nextDouble(0.04, 0.07) * amplitude);
    }

    double value(int i, double phase, double week) {
      double theta = phase + offset;
      double swing = 1 + weekly * Math.sin(2 * Math.PI * i / week + weeklyOffset);
      return level
          + trendPerEvent * i
          + amplitude * swing * (Math.sin(theta) + harmonic * Math.sin(2 * theta));
    }
  }
}

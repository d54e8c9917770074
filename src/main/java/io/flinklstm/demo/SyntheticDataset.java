package io.flinklstm.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A built-in labelled dataset: many keys of multivariate series with daily and weekly cycles, trend
 * and noise, and rare injected anomalies of every {@link AnomalyKind}, all derived from one seed.
 *
 * <p>Each key's channel c is
 *
 * <pre>
 *   x_c(t) = level_c + trend_c·t + amp_c·(1 + week_c·sin(2πt/7P + ω_c))·(sin θ_c(t) + h_c·sin 2θ_c(t))
 *            + noise_c·N(0, 1)
 * </pre>
 *
 * where P is {@link DatasetConfig#eventsPerDay()} and θ_c(t) = φ(t) + offset_c runs on one clock φ
 * per key that advances 2π/P per event, so channels move together. The first {@link
 * DatasetConfig#warmupEvents()} events of every key are clean; after them each key gets one anomaly
 * per {@link DatasetConfig#anomalySpacing()} events, one per equal slot, with at least a day of
 * clean series after each. The kinds are dealt round-robin over all anomalies and shuffled, so each
 * kind appears about equally often. The series differs from its clean twin exactly inside the
 * labelled windows: a frequency change advances the clock by whole cycles, so the series is back in
 * phase when it ends.
 */
public final class SyntheticDataset {
  private static final int SPIKE_MIN = 2;
  private static final int SPIKE_MAX = 4;
  private static final double SPIKE_MIN_AMOUNT = 1.2;
  private static final double SPIKE_MAX_AMOUNT = 1.6;
  private static final double SHIFT_MIN_AMOUNT = 0.9;
  private static final double SHIFT_MAX_AMOUNT = 1.2;
  private static final double[] SPEED_FACTORS = {2.0, 3.0, 1.5};

  private final DatasetConfig config;
  private final Map<String, KeySeries> series;
  private final List<AnomalyWindow> anomalies;

  private SyntheticDataset(
      DatasetConfig config, Map<String, KeySeries> series, List<AnomalyWindow> anomalies) {
    this.config = config;
    this.series = series;
    this.anomalies = anomalies;
  }

  /** Generates the dataset a configuration describes. */
  public static SyntheticDataset generate(DatasetConfig config) {
    return build(config, true);
  }

  /** The same series without any anomaly: what {@link #generate} injects into. */
  static SyntheticDataset clean(DatasetConfig config) {
    return build(config, false);
  }

  private static SyntheticDataset build(DatasetConfig config, boolean inject) {
    List<List<Injection>> plan = inject ? plan(config) : null;
    Map<String, KeySeries> series = new LinkedHashMap<>();
    List<AnomalyWindow> labels = new ArrayList<>();
    for (int k = 0; k < config.keys(); k++) {
      List<Injection> injections = inject ? plan.get(k) : List.of();
      series.put(keyName(k), SeriesRenderer.render(config, keyName(k), k, injections));
      injections.forEach(i -> labels.add(i.window()));
    }
    labels.sort(Comparator.comparing(AnomalyWindow::key).thenComparing(AnomalyWindow::startTs));
    return new SyntheticDataset(config, series, List.copyOf(labels));
  }

  /** The name of the key with index {@code k}: {@code sensor-01}, {@code sensor-02}, ... */
  public static String keyName(int k) {
    return String.format("sensor-%02d", k + 1);
  }

  public DatasetConfig config() {
    return config;
  }

  public List<String> keys() {
    return List.copyOf(series.keySet());
  }

  public List<KeySeries> series() {
    return List.copyOf(series.values());
  }

  /**
   * @throws IllegalArgumentException for a key the dataset does not have
   */
  public KeySeries series(String key) {
    KeySeries s = series.get(key);
    if (s == null) {
      throw new IllegalArgumentException("the dataset has no key '" + key + "'");
    }
    return s;
  }

  /** Every injected anomaly, ordered by key and start. */
  public List<AnomalyWindow> anomalies() {
    return anomalies;
  }

  public long events() {
    return (long) config.keys() * config.eventsPerKey();
  }

  /** Receives events in replay order. */
  @FunctionalInterface
  public interface EventSink {
    void accept(String key, long ts, float[] values) throws Exception;
  }

  /**
   * Hands every event to the sink in event-time order across keys (keys in order within one time),
   * as a replay sends them.
   */
  public void forEachInTimeOrder(EventSink sink) throws Exception {
    List<KeySeries> all = series();
    for (int i = 0; i < config.eventsPerKey(); i++) {
      for (KeySeries s : all) {
        sink.accept(s.key(), s.timestamps()[i], s.values()[i]);
      }
    }
  }

  private static List<List<Injection>> plan(DatasetConfig config) {
    SplittableRandom random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    int slots = (config.eventsPerKey() - config.warmupEvents()) / config.anomalySpacing();
    List<AnomalyKind> kinds = new ArrayList<>();
    for (int i = 0; i < slots * config.keys(); i++) {
      kinds.add(AnomalyKind.values()[i % AnomalyKind.values().length]);
    }
    for (int i = kinds.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      kinds.set(i, kinds.set(j, kinds.get(i)));
    }
    List<List<Injection>> plan = new ArrayList<>();
    for (int k = 0; k < config.keys(); k++) {
      List<Injection> key = new ArrayList<>();
      for (int s = 0; s < slots; s++) {
        int slotStart = config.warmupEvents() + s * config.anomalySpacing();
        key.add(place(config, keyName(k), kinds.get(k * slots + s), slotStart, random));
      }
      plan.add(key);
    }
    return plan;
  }

  /** One anomaly inside the slot starting at {@code slotStart}, followed by a clean day. */
  private static Injection place(
      DatasetConfig config, String key, AnomalyKind kind, int slotStart, SplittableRandom random) {
    int day = config.eventsPerDay();
    int channels = config.channels();
    int length;
    int mask;
    double amount;
    switch (kind) {
      case SPIKE -> {
        length = random.nextInt(SPIKE_MIN, SPIKE_MAX + 1);
        mask = 1 << random.nextInt(channels);
        amount = signed(random, SPIKE_MIN_AMOUNT, SPIKE_MAX_AMOUNT);
      }
      case LEVEL_SHIFT -> {
        length = random.nextInt(day * 3 / 4, day * 3 / 2 + 1);
        int first = random.nextInt(channels);
        mask = (1 << first) | (random.nextBoolean() ? 1 << ((first + 1) % channels) : 0);
        amount = signed(random, SHIFT_MIN_AMOUNT, SHIFT_MAX_AMOUNT);
      }
      case FREQUENCY_CHANGE -> {
        amount = SPEED_FACTORS[random.nextInt(SPEED_FACTORS.length)];
        // The clock gains (amount − 1)·(length + 1) events: a whole day, so it ends in phase.
        length = (int) Math.round(day / (amount - 1)) - 1;
        mask = (1 << channels) - 1;
      }
      case STUCK_SENSOR -> {
        length = random.nextInt(day, day * 2 + 1);
        mask = 1 << random.nextInt(channels);
        amount = 0;
      }
      default -> throw new IllegalStateException("unknown kind " + kind);
    }
    int latest = slotStart + config.anomalySpacing() - day - length;
    int first = random.nextInt(slotStart + day / 2, latest + 1);
    int last = first + length - 1;
    long step = config.step().toMillis();
    long t0 = config.start().toEpochMilli();
    AnomalyWindow window = new AnomalyWindow(key, kind, t0 + first * step, t0 + last * step);
    return new Injection(window, first, last, mask, amount);
  }

  private static double signed(SplittableRandom random, double min, double max) {
    double v = random.nextDouble(min, max);
    return random.nextBoolean() ? v : -v;
  }
}

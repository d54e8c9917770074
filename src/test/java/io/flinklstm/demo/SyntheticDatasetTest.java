package io.flinklstm.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {
  private static final DatasetConfig CONFIG = DatasetConfig.DEFAULTS;

  @Test
  void equalSeedsGiveEqualDatasetsAndOtherSeedsOtherOnes() {
    SyntheticDataset a = SyntheticDataset.generate(CONFIG);
    SyntheticDataset b = SyntheticDataset.generate(CONFIG);
    SyntheticDataset c = SyntheticDataset.generate(CONFIG.withSeed(CONFIG.seed() + 1));
    assertThat(a.anomalies()).isEqualTo(b.anomalies()).isNotEqualTo(c.anomalies());
    for (String key : a.keys()) {
      assertThat(a.series(key).values()).isDeepEqualTo(b.series(key).values());
      assertThat(a.series(key).timestamps()).isEqualTo(b.series(key).timestamps());
    }
    assertThat(a.series("sensor-01").values()[0]).isNotEqualTo(c.series("sensor-01").values()[0]);
  }

  @Test
  void shapeFollowsTheConfiguration() {
    SyntheticDataset data = SyntheticDataset.generate(CONFIG.withKeys(5).withChannels(4));
    assertThat(data.keys())
        .containsExactly("sensor-01", "sensor-02", "sensor-03", "sensor-04", "sensor-05");
    for (KeySeries s : data.series()) {
      assertThat(s.length()).isEqualTo(CONFIG.eventsPerKey());
      assertThat(s.channels()).isEqualTo(4);
      long step = CONFIG.step().toMillis();
      assertThat(s.timestamps()[0]).isEqualTo(CONFIG.start().toEpochMilli());
      assertThat(s.timestamps()[s.length() - 1] - s.timestamps()[0])
          .isEqualTo((s.length() - 1) * step);
    }
    assertThat(data.events()).isEqualTo(5L * CONFIG.eventsPerKey());
  }

  @Test
  void anomaliesAreRareSeparatedAfterTheWarmUpAndOfEveryKind() {
    SyntheticDataset data = SyntheticDataset.generate(CONFIG);
    long step = CONFIG.step().toMillis();
    long warmupEnd = CONFIG.start().toEpochMilli() + CONFIG.warmupEvents() * step;
    long day = CONFIG.eventsPerDay() * step;
    Map<AnomalyKind, Integer> counts = new EnumMap<>(AnomalyKind.class);
    for (String key : data.keys()) {
      List<AnomalyWindow> windows =
          data.anomalies().stream().filter(w -> w.key().equals(key)).toList();
      assertThat(windows)
          .hasSize((CONFIG.eventsPerKey() - CONFIG.warmupEvents()) / CONFIG.anomalySpacing());
      AnomalyWindow previous = null;
      for (AnomalyWindow w : windows) {
        assertThat(w.startTs()).isGreaterThanOrEqualTo(warmupEnd);
        if (previous != null) {
          assertThat(w.startTs() - previous.endTs()).isGreaterThan(day);
        }
        counts.merge(w.kind(), 1, Integer::sum);
        previous = w;
      }
      KeySeries s = data.series(key);
      assertThat(previous.endTs() + day).isLessThanOrEqualTo(s.timestamps()[s.length() - 1]);
    }
    int total = data.anomalies().size();
    for (AnomalyKind kind : AnomalyKind.values()) {
      assertThat(counts.get(kind)).isBetween(total / 4, total / 4 + 1);
    }
    long anomalous =
        data.anomalies().stream().mapToLong(w -> (w.endTs() - w.startTs()) / step + 1).sum();
    assertThat((double) anomalous / data.events()).isLessThan(0.06);
  }

  @Test
  void theSeriesDiffersFromItsCleanTwinExactlyInsideTheLabels() {
    SyntheticDataset data = SyntheticDataset.generate(CONFIG);
    SyntheticDataset clean = SyntheticDataset.clean(CONFIG);
    for (String key : data.keys()) {
      KeySeries s = data.series(key);
      KeySeries c = clean.series(key);
      List<AnomalyWindow> windows =
          data.anomalies().stream().filter(w -> w.key().equals(key)).toList();
      for (int i = 0; i < s.length(); i++) {
        long ts = s.timestamps()[i];
        boolean labelled = windows.stream().anyMatch(w -> w.covers(ts, 0));
        boolean changed = !java.util.Arrays.equals(s.values()[i], c.values()[i]);
        assertThat(changed).as("%s event %d", key, i).isEqualTo(labelled);
      }
    }
  }

  @Test
  void eachKindChangesTheSeriesAsItsNameSays() {
    SyntheticDataset data = SyntheticDataset.generate(CONFIG);
    SyntheticDataset clean = SyntheticDataset.clean(CONFIG);
    for (AnomalyWindow w : data.anomalies()) {
      KeySeries s = data.series(w.key());
      KeySeries c = clean.series(w.key());
      int first = index(s, w.startTs());
      int last = index(s, w.endTs());
      List<Integer> changed = changedChannels(s, c, first, last);
      switch (w.kind()) {
        case SPIKE -> {
          assertThat(last - first + 1).isBetween(2, 4);
          assertThat(changed).hasSize(1);
          int ch = changed.get(0);
          double swing = dailySwing(c, ch, first);
          for (int i = first; i <= last; i++) {
            assertThat((double) Math.abs(s.values()[i][ch] - c.values()[i][ch]))
                .isGreaterThan(0.3 * swing);
          }
        }
        case LEVEL_SHIFT -> {
          assertThat(changed).hasSizeBetween(1, 2);
          for (int ch : changed) {
            float offset = s.values()[first][ch] - c.values()[first][ch];
            assertThat(Math.abs(offset)).isGreaterThan((float) (0.2 * dailySwing(c, ch, first)));
            for (int i = first; i <= last; i++) {
              assertThat(s.values()[i][ch] - c.values()[i][ch])
                  .isCloseTo(offset, within(1e-3f * Math.abs(offset) + 1e-3f));
            }
          }
        }
        case STUCK_SENSOR -> {
          assertThat(changed).hasSize(1);
          int ch = changed.get(0);
          for (int i = first; i <= last; i++) {
            assertThat(s.values()[i][ch]).isEqualTo(s.values()[first - 1][ch]);
          }
        }
        case FREQUENCY_CHANGE -> {
          assertThat(changed).hasSize(s.channels());
          // Faster cycles: more crossings of the clean series' mean level inside the window.
          for (int ch = 0; ch < s.channels(); ch++) {
            assertThat(crossings(s, ch, first, last)).isGreaterThan(crossings(c, ch, first, last));
          }
        }
      }
    }
  }

  @Test
  void replayOrderIsByTimeThenKey() throws Exception {
    SyntheticDataset data = SyntheticDataset.generate(CONFIG.withKeys(3));
    List<String> seen = new ArrayList<>();
    long[] lastTs = {Long.MIN_VALUE};
    data.forEachInTimeOrder(
        (key, ts, values) -> {
          assertThat(ts).isGreaterThanOrEqualTo(lastTs[0]);
          lastTs[0] = ts;
          seen.add(key);
        });
    assertThat(seen).hasSize((int) data.events());
    assertThat(seen.subList(0, 6))
        .containsExactly(
            "sensor-01", "sensor-02", "sensor-03", "sensor-01", "sensor-02", "sensor-03");
  }

  @Test
  void badConfigurationsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> CONFIG.withChannels(5)).hasMessageContaining("--channels");
    assertThatThrownBy(() -> CONFIG.withKeys(0)).hasMessageContaining("--keys");
    assertThatThrownBy(() -> CONFIG.withEvents(900, 800)).hasMessageContaining("--events-per-key");
    assertThatThrownBy(() -> SyntheticDataset.generate(CONFIG).series("nope"))
        .hasMessageContaining("'nope'");
  }

  private static org.assertj.core.data.Offset<Float> within(float v) {
    return org.assertj.core.data.Offset.offset(v);
  }

  private static int index(KeySeries s, long ts) {
    return (int) ((ts - s.timestamps()[0]) / (s.timestamps()[1] - s.timestamps()[0]));
  }

  private static List<Integer> changedChannels(KeySeries s, KeySeries c, int first, int last) {
    List<Integer> changed = new ArrayList<>();
    for (int ch = 0; ch < s.channels(); ch++) {
      for (int i = first; i <= last; i++) {
        if (s.values()[i][ch] != c.values()[i][ch]) {
          changed.add(ch);
          break;
        }
      }
    }
    return changed;
  }

  /** Peak-to-peak of the clean channel over the day before {@code index}. */
  private static double dailySwing(KeySeries c, int ch, int index) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = index - CONFIG.eventsPerDay(); i < index; i++) {
      min = Math.min(min, c.values()[i][ch]);
      max = Math.max(max, c.values()[i][ch]);
    }
    return max - min;
  }

  /** Swings across the day's mean level, with a dead band so that noise does not count. */
  private static int crossings(KeySeries s, int ch, int first, int last) {
    double mean = 0;
    for (int i = first - CONFIG.eventsPerDay(); i < first; i++) {
      mean += s.values()[i][ch];
    }
    mean /= CONFIG.eventsPerDay();
    double band = 0.15 * dailySwing(s, ch, first);
    int side = 0;
    int n = 0;
    for (int i = first; i <= last; i++) {
      double v = s.values()[i][ch] - mean;
      int now = v > band ? 1 : v < -band ? -1 : side;
      if (side != 0 && now != side) {
        n++;
      }
      side = now;
    }
    return n;
  }
}

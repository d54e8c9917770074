package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.InputScaling;
import org.junit.jupiter.api.Test;

class SequenceStoreTest {
  private static final int INPUTS = 2;
  private static final int STEPS_PER_KEY = 100;
  private static final long BUDGET = 20_000;

  @Test
  void keepsTheLastStepsOfEachKeyInTimeOrder() {
    SequenceStore store = new SequenceStore(INPUTS, STEPS_PER_KEY, BUDGET);
    for (int t = 0; t < 250; t++) {
      store.append("a", t, new float[] {t, -t});
      if (t % 2 == 0) {
        store.append("b", t, new float[] {t, 0});
      }
    }
    SequenceSet snapshot = store.snapshot();
    Series a = snapshot.series().get(0);
    Series b = snapshot.series().get(1);
    assertThat(a.key()).isEqualTo("a");
    assertThat(a.length()).isEqualTo(STEPS_PER_KEY);
    for (int t = 0; t < STEPS_PER_KEY; t++) {
      assertThat(a.value(t, 0)).isEqualTo(150f + t);
      assertThat(a.value(t, 1)).isEqualTo(-150f - t);
    }
    assertThat(b.length()).isEqualTo(STEPS_PER_KEY);
    assertThat(b.value(0, 0)).isEqualTo(50f);
    assertThat(b.value(STEPS_PER_KEY - 1, 0)).isEqualTo(248f);
    assertThat(store.length("a")).isEqualTo(STEPS_PER_KEY);
  }

  @Test
  void memoryStaysWithinTheBudgetWithManyKeys() {
    SequenceStore store = new SequenceStore(INPUTS, STEPS_PER_KEY, BUDGET);
    long peak = 0;
    for (int i = 0; i < 200_000; i++) {
      // Many keys with a few events each, and a handful of busy keys throughout.
      String key = i % 10 == 0 ? "busy-" + (i / 10) % 5 : "key-" + i % 20_000;
      store.append(key, i, new float[] {i, 1});
      peak = Math.max(peak, store.storedFloats());
    }
    assertThat(peak).isLessThanOrEqualTo(BUDGET);
    assertThat(store.evictedKeys()).isPositive();
    assertThat(store.keyCount())
        .isLessThanOrEqualTo((int) (BUDGET / (SequenceStore.INITIAL_STEPS * INPUTS)));
    // The busy keys are updated often, so they are never the least recently updated.
    for (int k = 0; k < 5; k++) {
      assertThat(store.length("busy-" + k)).isEqualTo(STEPS_PER_KEY);
    }
  }

  @Test
  void evictsTheLeastRecentlyUpdatedKeyFirst() {
    // Room for exactly three keys of 16 steps.
    SequenceStore store = new SequenceStore(1, 16, 48);
    store.append("old", 0, new float[] {1});
    store.append("middle", 0, new float[] {2});
    store.append("new", 0, new float[] {3});
    store.append("old", 0, new float[] {4});
    store.append("newest", 0, new float[] {5});
    assertThat(store.length("middle")).isZero();
    assertThat(store.length("old")).isEqualTo(2);
    assertThat(store.keyCount()).isEqualTo(3);
    assertThat(store.evictedKeys()).isEqualTo(1);
  }

  @Test
  void refusesBadInputNamingTheKey() {
    SequenceStore store = new SequenceStore(INPUTS, STEPS_PER_KEY, BUDGET);
    assertThatThrownBy(() -> store.append("pump-7", 0, new float[] {1}))
        .hasMessage("key 'pump-7': 1 values, expected 2");
    assertThatThrownBy(() -> store.append("pump-7", 0, new float[] {1, Float.NaN}))
        .hasMessage("key 'pump-7': value 1 is NaN");
    assertThatThrownBy(() -> new SequenceStore(INPUTS, STEPS_PER_KEY, 10))
        .hasMessage("max floats must hold one full key, steps per key × input size = 200, was 10");
  }

  @Test
  void anEventOlderThanItsKeysLastIsSkippedAsTheJobSkipsIt() {
    SequenceStore store = new SequenceStore(1, 16, 1000);
    assertThat(store.append("k", 10, new float[] {1})).isTrue();
    assertThat(store.append("k", 5, new float[] {99})).isFalse();
    assertThat(store.append("k", 10, new float[] {2})).isTrue();
    Series k = store.snapshot().series().get(0);
    assertThat(k.length()).isEqualTo(2);
    assertThat(k.value(1, 0)).isEqualTo(2f);
  }

  /**
   * Values are stored scaled per key as the job scales them: the same as a fresh {@link
   * io.flinklstm.model.KeyScaler} over the key's values in order, whatever else the store holds,
   * and so the same as the offline path ({@link SequenceSet#scaled}) over the same values.
   */
  @Test
  void valuesAreScaledPerKeyAsTheJobScalesThem() {
    InputScaling spec = InputScaling.perKey(50, 200, 10);
    SequenceStore store = new SequenceStore(1, 400, 100_000, spec);
    java.util.Random random = new java.util.Random(5);
    float[] big = new float[300];
    float[] small = new float[300];
    for (int t = 0; t < 300; t++) {
      big[t] = (float) (1e6 + 1e4 * random.nextGaussian());
      small[t] = (float) (0.01 + 1e-3 * random.nextGaussian());
      store.append("big", t, new float[] {big[t]});
      store.append("small", t, new float[] {small[t]});
    }
    SequenceSet stored = store.snapshot();
    assertThat(stored.scaling()).isEqualTo(spec);
    SequenceSet offline =
        new SequenceSet(
                1, java.util.List.of(new Series("big", 1, big), new Series("small", 1, small)))
            .scaled(spec);
    for (int k = 0; k < 2; k++) {
      Series a = stored.series().get(k);
      Series b = offline.series().get(k);
      io.flinklstm.model.KeyScaler scaler = new io.flinklstm.model.KeyScaler();
      float[] one = new float[1];
      double sumSquares = 0;
      for (int t = 0; t < 300; t++) {
        scaler.scale(spec, new float[] {k == 0 ? big[t] : small[t]}, one);
        assertThat(a.value(t, 0)).isEqualTo(one[0]).isEqualTo(b.value(t, 0));
        sumSquares += t >= 50 ? (double) one[0] * one[0] : 0;
      }
      // Both keys, 1e8 apart in scale, reach the model with about unit variance.
      assertThat(sumSquares / 250).isBetween(0.6, 1.6);
    }
  }

  /** A flag marks its step whether it comes before the step is stored or after. */
  @Test
  void flagsMarkTheirStepsWhenEverTheyCome() {
    SequenceStore store = new SequenceStore(1, 16, 1000);
    store.markFlagged("k", 3); // before the key is known
    for (int t = 0; t < 10; t++) {
      store.append("k", t, new float[] {t});
    }
    store.markFlagged("k", 7); // after its step
    store.markFlagged("k", 12); // before its step, the key known
    for (int t = 10; t < 30; t++) {
      store.append("k", t, new float[] {t});
    }
    Series k = store.snapshot().series().get(0);
    // Sixteen steps kept: times 14..29; 3 and 7 fell out of the ring, 12 too.
    assertThat(k.length()).isEqualTo(16);
    for (int t = 0; t < 16; t++) {
      assertThat(k.flaggedIn(t, t + 1)).isFalse();
    }
    SequenceStore wide = new SequenceStore(1, 64, 1000);
    wide.markFlagged("k", 3);
    for (int t = 0; t < 10; t++) {
      wide.append("k", t, new float[] {t});
    }
    wide.markFlagged("k", 7);
    wide.markFlagged("k", 12);
    for (int t = 10; t < 30; t++) {
      wide.append("k", t, new float[] {t});
    }
    Series all = wide.snapshot().series().get(0);
    for (int t = 0; t < 30; t++) {
      assertThat(all.flaggedIn(t, t + 1)).as("step %d", t).isEqualTo(t == 3 || t == 7 || t == 12);
    }
  }

  @Test
  void analystsVerdictsMarkConfirmedStepsAndClearFalsePositivesForGood() {
    SequenceStore store = new SequenceStore(1, 64, 1000);
    store.markVerdict("k", 4, true); // confirmed before the key is known
    for (int t = 0; t < 10; t++) {
      store.append("k", t, new float[] {t});
    }
    store.markFlagged("k", 6);
    store.markVerdict("k", 6, false); // the job's flag was false
    store.markVerdict("k", 8, false);
    store.markFlagged("k", 8); // the job's flag read after the verdict
    store.markVerdict("k", 9, true);
    store.markVerdict("k", 12, true); // confirmed before its step
    for (int t = 10; t < 20; t++) {
      store.append("k", t, new float[] {t});
    }
    store.markVerdict("k", 15, false);
    store.markVerdict("k", 15, true); // the analyst changed their mind: the last verdict wins
    Series k = store.snapshot().series().get(0);
    for (int t = 0; t < 20; t++) {
      assertThat(k.flaggedIn(t, t + 1))
          .as("step %d", t)
          .isEqualTo(t == 4 || t == 9 || t == 12 || t == 15);
    }
  }
}

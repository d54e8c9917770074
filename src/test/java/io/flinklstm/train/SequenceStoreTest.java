package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SequenceStoreTest {
  private static final int INPUTS = 2;
  private static final int STEPS_PER_KEY = 100;
  private static final long BUDGET = 20_000;

  @Test
  void keepsTheLastStepsOfEachKeyInTimeOrder() {
    SequenceStore store = new SequenceStore(INPUTS, STEPS_PER_KEY, BUDGET);
    for (int t = 0; t < 250; t++) {
      store.append("a", new float[] {t, -t});
      if (t % 2 == 0) {
        store.append("b", new float[] {t, 0});
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
      store.append(key, new float[] {i, 1});
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
    store.append("old", new float[] {1});
    store.append("middle", new float[] {2});
    store.append("new", new float[] {3});
    store.append("old", new float[] {4});
    store.append("newest", new float[] {5});
    assertThat(store.length("middle")).isZero();
    assertThat(store.length("old")).isEqualTo(2);
    assertThat(store.keyCount()).isEqualTo(3);
    assertThat(store.evictedKeys()).isEqualTo(1);
  }

  @Test
  void refusesBadInputNamingTheKey() {
    SequenceStore store = new SequenceStore(INPUTS, STEPS_PER_KEY, BUDGET);
    assertThatThrownBy(() -> store.append("pump-7", new float[] {1}))
        .hasMessage("key 'pump-7': 1 values, expected 2");
    assertThatThrownBy(() -> store.append("pump-7", new float[] {1, Float.NaN}))
        .hasMessage("key 'pump-7': value 1 is NaN");
    assertThatThrownBy(() -> new SequenceStore(INPUTS, STEPS_PER_KEY, 10))
        .hasMessage("max floats must hold one full key, steps per key × input size = 200, was 10");
  }
}

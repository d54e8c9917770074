package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllocationSamplerTest {
  private static final int MEGABYTE = 1 << 20;

  /** Keeps allocations reachable so that the JIT cannot remove them. */
  private Object sink;

  @Test
  void measuresTheFirstRunThenOneInEvery() {
    AllocationSampler sampler = new AllocationSampler(3);
    assertThat(sampler.lastPerItem()).isNaN();

    run(sampler, MEGABYTE, 4); // measured
    assertThat(sampler.lastPerItem()).isBetween(MEGABYTE / 4.0, MEGABYTE / 4.0 + 4096);

    run(sampler, 4 * MEGABYTE, 1); // not measured
    run(sampler, 4 * MEGABYTE, 1); // not measured
    assertThat(sampler.lastPerItem()).isBetween(MEGABYTE / 4.0, MEGABYTE / 4.0 + 4096);

    run(sampler, 2 * MEGABYTE, 1); // measured
    assertThat(sampler.lastPerItem()).isBetween(2.0 * MEGABYTE, 2.0 * MEGABYTE + 4096);
  }

  @Test
  void workThatAllocatesNothingMeasuresNearlyNothing() {
    AllocationSampler sampler = new AllocationSampler(1);
    float[] values = new float[4096];
    float total = 0;
    for (int round = 0; round < 3; round++) {
      long start = sampler.start();
      for (float v : values) {
        total += v;
      }
      sampler.stop(start, 1);
    }
    assertThat(total).isZero();
    assertThat(sampler.lastPerItem()).isBetween(0.0, 64.0);
  }

  @Test
  void refusesAPeriodBelowOne() {
    assertThatThrownBy(() -> new AllocationSampler(0)).hasMessageContaining("at least 1");
  }

  private void run(AllocationSampler sampler, int bytes, int items) {
    long start = sampler.start();
    sink = new byte[bytes];
    sampler.stop(start, items);
  }
}

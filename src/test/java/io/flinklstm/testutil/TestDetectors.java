package io.flinklstm.testutil;

import io.flinklstm.detect.DetectorConfig;

/** Detector settings of the tests that compare a job's scores with reference scores. */
public final class TestDetectors {
  /**
   * Short windows, so the statistics and the flags of a few hundred events per key already exercise
   * the whole detector.
   */
  public static final DetectorConfig SHORT_WINDOWS =
      DetectorConfig.builder()
          .warmupEvents(20)
          .errorWindow(100)
          .shortWindow(5)
          .longWindow(200)
          .threshold(0.99)
          .build();

  private TestDetectors() {}
}

package io.flinklstm.testutil;

import io.flinklstm.detect.DetectorConfig;
import java.util.List;

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

  /** The job's command-line options that set {@link #SHORT_WINDOWS}'s settings. */
  public static List<String> shortWindowsOptions() {
    DetectorConfig c = SHORT_WINDOWS;
    return List.of(
        "--warmup-events",
        Integer.toString(c.warmupEvents()),
        "--error-window",
        Integer.toString(c.errorWindow()),
        "--short-window",
        Integer.toString(c.shortWindow()),
        "--long-window",
        Integer.toString(c.longWindow()),
        "--threshold",
        Double.toString(c.threshold()));
  }
}

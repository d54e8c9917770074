package io.flinklstm.evaluate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a detector's results in NAB's layout: one CSV per data file, at the data file's path below
 * the output folder, with NAB's columns {@code timestamp,value,anomaly_score,label} ({@code label}
 * is 1 inside an anomaly window, else 0) and two of the detector's own: {@code error}, the row's
 * prediction error, and {@code flagged_by}, the rules that raised the row's flag joined by {@code
 * +} (empty when it was not flagged). Anomaly scores are written in full precision, so the files
 * score exactly as the run did.
 */
public final class NabResultFiles {
  private NabResultFiles() {}

  /**
   * @param values each row's original value
   * @param errors each row's prediction error
   * @param flaggedBy each row's rules that raised its flag, joined by {@code +}; empty when none
   * @return the file written
   */
  public static Path write(
      Path outDir, NabFile file, float[] values, double[] errors, String[] flaggedBy)
      throws IOException {
    if (values.length != file.rows()
        || errors.length != file.rows()
        || flaggedBy.length != file.rows()) {
      throw new IllegalArgumentException(
          file.name()
              + ": "
              + values.length
              + " values, "
              + errors.length
              + " errors and "
              + flaggedBy.length
              + " flags for "
              + file.rows()
              + " rows");
    }
    Path target = outDir.resolve(file.name());
    Files.createDirectories(target.toAbsolutePath().getParent());
    boolean[] labels = file.labels();
    try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      w.write("timestamp,value,anomaly_score,label,error,flagged_by\n");
      for (int i = 0; i < file.rows(); i++) {
        w.write(NabLabels.formatTime(file.times()[i]));
        w.write(',');
        w.write(Float.toString(values[i]));
        w.write(',');
        w.write(Double.toString(file.scores()[i]));
        w.write(',');
        w.write(labels[i] ? '1' : '0');
        w.write(',');
        w.write(Double.toString(errors[i]));
        w.write(',');
        w.write(flaggedBy[i]);
        w.write('\n');
      }
    }
    return target;
  }
}

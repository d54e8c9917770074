package io.flinklstm.evaluate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a detector's results in NAB's layout: one CSV per data file, at the data file's path below
 * the output folder, with the columns {@code timestamp,value,anomaly_score,label} ({@code label} is
 * 1 inside an anomaly window, else 0). Anomaly scores are written in full precision, so the files
 * score exactly as the run did.
 */
public final class NabResultFiles {
  private NabResultFiles() {}

  /**
   * @param values each row's original value
   * @return the file written
   */
  public static Path write(Path outDir, NabFile file, float[] values, double[] errors)
      throws IOException {
    if (values.length != file.rows()) {
      throw new IllegalArgumentException(
          file.name() + ": " + values.length + " values for " + file.rows() + " rows");
    }
    Path target = outDir.resolve(file.name());
    Files.createDirectories(target.toAbsolutePath().getParent());
    boolean[] labels = file.labels();
    try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      w.write("timestamp,value,anomaly_score,label,error\n");
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
        w.write('\n');
      }
    }
    return target;
  }
}

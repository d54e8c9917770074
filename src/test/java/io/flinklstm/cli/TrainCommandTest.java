package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  private static final LocalDateTime START = LocalDateTime.of(2014, 7, 1, 0, 0);
  private static final Object[] SMALL = {
    "--hidden", 8, "--window", 16, "--burn-in", 4, "--batch", 8, "--progress", "plain"
  };

  @TempDir Path dir;
  private Path data;

  @BeforeEach
  void nabStyleFiles() throws IOException {
    data = Files.createDirectory(dir.resolve("data"));
    Random random = new Random(1);
    for (int k = 0; k < 3; k++) {
      StringBuilder csv = new StringBuilder("timestamp,value\n");
      double period = 10 + 4 * k;
      for (int t = 0; t < 300; t++) {
        double v = 50 + 10 * Math.sin(2 * Math.PI * t / period) + random.nextGaussian();
        csv.append(START.plusMinutes(5L * t).toString().replace('T', ' '))
            .append(String.format(Locale.ROOT, ",%.4f%n", v));
      }
      Files.writeString(data.resolve("sensor-" + k + ".csv"), csv);
    }
  }

  @Test
  void trainsFromScratchThenWarmStarts() throws IOException {
    Path first = dir.resolve("sensors.flstm");
    CliRun run = CliRun.run(args("train", "--input", data, "--out", first, "--steps", 40));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("data: 3 series, 900 steps of 1 value(s)")
        .contains("trained 'sensors' version 1 (from scratch): 40 steps, 0 skipped")
        .contains("sensor-2")
        .contains("wrote " + first);
    assertThat(run.errLines()).hasSize(10).allMatch(l -> l.startsWith("["));
    LstmModel model = read(first);
    assertThat(model.info().version()).isEqualTo(1);
    assertThat(model.info().metrics()).containsKeys("train_loss", "val_loss", "baseline_val_loss");
    assertThat(model.layers().get(0).hiddenSize()).isEqualTo(8);

    Path second = dir.resolve("sensors-2.flstm");
    CliRun warm =
        CliRun.run(
            args("train", "--input", data, "--out", second, "--init", first, "--epochs", 0.5));
    assertThat(warm.exitCode()).as(warm.err()).isZero();
    assertThat(warm.out())
        .contains("trained 'sensors' version 2 (from version 1)")
        .contains("promotion decision=");
    LstmModel child = read(second);
    assertThat(child.info().version()).isEqualTo(2);
    assertThat(child.info().parentVersion()).isEqualTo(1);
    assertThat(child.normalizer().mean()).containsExactly(model.normalizer().mean());
  }

  @Test
  void multivariateFilesWithANumericTimestampColumn() throws IOException {
    Path multi = Files.createDirectory(dir.resolve("multi"));
    StringBuilder csv = new StringBuilder("ts,cpu,mem\n");
    for (int t = 0; t < 200; t++) {
      csv.append(1_700_000_000_000L + 60_000L * t)
          .append(',')
          .append(t % 7)
          .append(',')
          .append(100 + t % 5)
          .append('\n');
    }
    Files.writeString(multi.resolve("host.csv"), csv);
    Path out = dir.resolve("hosts.flstm");
    CliRun run = CliRun.run(args("train", "--input", multi, "--out", out, "--steps", 5));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(read(out).inputSize()).isEqualTo(2);
  }

  @Test
  void notesKeysOfVeryDifferentScales() throws IOException {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    for (int t = 0; t < 300; t++) {
      csv.append(START.plusMinutes(5L * t))
          .append(',')
          .append(1e5 * Math.sin(t / 3.0))
          .append('\n');
    }
    Files.writeString(data.resolve("big.csv"), csv);
    CliRun unscaled =
        CliRun.run(
            args(
                "train",
                "--input",
                data,
                "--out",
                dir.resolve("m.flstm"),
                "--steps",
                2,
                "--scaling",
                "none"));
    assertThat(unscaled.exitCode()).as(unscaled.err()).isZero();
    assertThat(unscaled.out()).contains("note: 3 of 4 keys vary by less than 10% of the model's");
    // Scaled per key (the default), every key reaches the model in its own units.
    CliRun scaled =
        CliRun.run(args("train", "--input", data, "--out", dir.resolve("s.flstm"), "--steps", 2));
    assertThat(scaled.exitCode()).as(scaled.err()).isZero();
    assertThat(scaled.out()).doesNotContain("note:");
  }

  @Test
  void theNd4jBackend() {
    CliRun run =
        CliRun.run(
            args(
                "train",
                "--input",
                data,
                "--out",
                dir.resolve("m.flstm"),
                "--steps",
                3,
                "--backend",
                "nd4j"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("trained 'm' version 1 (from scratch): 3 steps");
  }

  @Test
  void badInputIsReportedWithFileAndLine() throws IOException {
    Files.writeString(data.resolve("sensor-1.csv"), "timestamp,value\n2014-07-01 00:00:00,abc\n");
    CliRun run = CliRun.run(args("train", "--input", data, "--out", dir.resolve("m.flstm")));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("sensor-1.csv line 2: column 'value' is 'abc', not a finite number");

    Files.writeString(data.resolve("sensor-1.csv"), "timestamp,temp\n2014-07-01 00:00:00,1\n");
    run = CliRun.run(args("train", "--input", data, "--out", dir.resolve("m.flstm")));
    assertThat(run.err()).contains("value columns [temp] differ from [value]");
    assertThat(Files.exists(dir.resolve("m.flstm"))).isFalse();
  }

  @Test
  void badOptionsNameTheOption() {
    CliRun run =
        CliRun.run("train", "--input", data, "--out", dir.resolve("m.flstm"), "--window", 0);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("flink-lstm: --window must be at least 1, was 0");

    run =
        CliRun.run("train", "--input", data, "--out", dir.resolve("m.flstm"), "--gate-margin", 0.1);
    assertThat(run.err()).contains("--gate-margin needs --init");
  }

  private static LstmModel read(Path file) throws IOException {
    return ModelFile.read(Files.readAllBytes(file), ModelFile.ReadOptions.acceptUnsigned());
  }

  private static Object[] args(Object... head) {
    Object[] all = new Object[head.length + SMALL.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(SMALL, 0, all, head.length, SMALL.length);
    return all;
  }
}

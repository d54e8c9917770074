package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flink-lstm demo} end to end on a small dataset: embedded broker, the job on a local
 * cluster with parallelism 2, the sidecar, the replay, and the report.
 */
class DemoCommandITCase {
  private static final Pattern HEADLINE =
      Pattern.compile(
          "found (\\d+) of (\\d+) anomalies: precision (\\d+)%, recall (\\d+)%.*"
              + " ([\\d,]+) of ([\\d,]+) events scored.*");

  @TempDir Path dir;

  @Test
  void aSmallDemoFindsTheInjectedAnomaliesAndWritesTheReport() throws Exception {
    Path out = dir.resolve("report");
    CliRun run =
        CliRun.run(
            "demo",
            "--keys",
            8,
            "--events-per-key",
            1800,
            "--warmup-events",
            800,
            "--rate",
            600,
            "--duration",
            "3min",
            "--seed",
            7,
            "--work-dir",
            dir.resolve("work"),
            "--out",
            out);
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines).anyMatch(l -> l.startsWith("broker, job and sidecar up in"));
    assertThat(lines).contains("report: " + out.resolve("index.html").toAbsolutePath());

    Matcher m =
        lines.stream()
            .map(HEADLINE::matcher)
            .filter(Matcher::matches)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no result line in\n" + run.out()));
    System.out.println(run.out());
    assertThat(m.group(5)).as("every event scored\n%s", run.out()).isEqualTo(m.group(6));
    assertThat(Integer.parseInt(m.group(2))).isEqualTo(16);
    assertThat(Integer.parseInt(m.group(3)))
        .as("precision, %%\n%s", run.out())
        .isGreaterThanOrEqualTo(50);
    assertThat(Integer.parseInt(m.group(4)))
        .as("recall, %%\n%s", run.out())
        .isGreaterThanOrEqualTo(60);

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).contains("<section class=\"key\" id=\"key-sensor-08\">");
    assertThat(Files.readAllLines(out.resolve("anomalies.csv"))).hasSize(1 + 16);
    assertThat(Files.readAllLines(out.resolve("scores.csv"))).hasSize(1 + 8 * 1800);
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingStarts() {
    CliRun run = CliRun.run("demo", "--channels", 5, "--out", dir);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("--channels must lie in [2, 4], was 5");
    assertThat(CliRun.run("demo", "--rate", -1).err()).contains("--rate must not be negative");
  }
}

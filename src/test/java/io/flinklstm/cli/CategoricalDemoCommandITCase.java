package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.testutil.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flink-lstm demo --categorical} end to end on a reduced log-key workload (the demo's clean
 * part, a shorter part with anomalies, replayed at full speed): embedded broker, the job on a local
 * cluster with parallelism 2, the categorical sidecar, the replay, and the report.
 */
class CategoricalDemoCommandITCase {
  private static final Pattern HEADLINE =
      Pattern.compile(
          "found (\\d+) of (\\d+) anomalies: precision (\\d+)%, recall (\\d+)%.*"
              + " ([\\d,]+) of ([\\d,]+) events scored.*");
  private static final int HOSTS = 24;
  private static final int EVENTS_PER_HOST = 520;

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @TempDir Path dir;

  @Test
  void aSmallLogKeyDemoFindsTheInjectedAnomaliesAndWritesTheReport() throws Exception {
    Path out = dir.resolve("report");
    CliRun run =
        CliRun.run(
            "demo",
            "--categorical",
            "--keys",
            HOSTS,
            "--events-per-key",
            EVENTS_PER_HOST,
            "--rate",
            0,
            "--duration",
            "3min",
            "--work-dir",
            dir.resolve("work"),
            "--out",
            out);
    System.out.println(run.out());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines).anyMatch(l -> l.startsWith("broker, job and sidecar up in"));
    assertThat(lines).anyMatch(l -> l.contains("events in ") && l.contains("model v"));
    assertThat(lines).contains("report: " + out.resolve("index.html").toAbsolutePath());

    Matcher m =
        lines.stream()
            .map(HEADLINE::matcher)
            .filter(Matcher::matches)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no result line in\n" + run.out()));
    assertThat(m.group(5)).as("every event scored").isEqualTo(m.group(6));
    assertThat(m.group(6)).isEqualTo(String.format("%,d", HOSTS * EVENTS_PER_HOST));
    int anomalies = Integer.parseInt(m.group(2));
    assertThat(anomalies).isGreaterThanOrEqualTo(HOSTS);
    assertThat(Integer.parseInt(m.group(3))).as("precision, %%").isGreaterThanOrEqualTo(90);
    assertThat(Integer.parseInt(m.group(4))).as("recall, %%").isGreaterThanOrEqualTo(90);

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html)
        .contains("<section class=\"key\" id=\"key-batch-08\">")
        .contains("data-kind=\"UNKNOWN\"")
        .contains("data-verdict=\"unknown\"")
        .contains("class=\"version\" data-version=\"1\"")
        .doesNotContainIgnoringCase("<script");
    assertThat(Files.readAllLines(out.resolve("anomalies.csv"))).hasSize(1 + anomalies);
    List<String> scores = Files.readAllLines(out.resolve("scores.csv"));
    assertThat(scores).hasSize(1 + HOSTS * EVENTS_PER_HOST);
    assertThat(scores.get(0))
        .isEqualTo("key,ts,model_version,symbol,surprise,rank,verdict,likelihood,anomaly");
  }

  /**
   * On an external broker each run has topics of its own: a second run neither re-reads the first
   * one's events nor starts from its model, and so gives the same scores.
   */
  @Test
  void twoRunsOnOneExternalBrokerGiveTheSameScores() throws Exception {
    List<List<String>> scores = new java.util.ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Path out = dir.resolve("external-" + run);
      CliRun r =
          CliRun.run(
              "demo",
              "--categorical",
              "--bootstrap-servers",
              KAFKA.bootstrapServers(),
              "--keys",
              6,
              "--events-per-key",
              460,
              "--steps-per-round",
              300,
              "--rate",
              0,
              "--work-dir",
              dir.resolve("external-work-" + run),
              "--out",
              out);
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("Kafka at " + KAFKA.bootstrapServers())
          .contains("2,760 of 2,760 events scored");
      scores.add(Files.readAllLines(out.resolve("scores.csv")));
    }
    assertThat(scores.get(1)).hasSize(1 + 6 * 460).isEqualTo(scores.get(0));
  }

  @Test
  void optionsOfTheOtherKindOfDemoAreRefused() {
    CliRun channels = CliRun.run("demo", "--categorical", "--channels", 2, "--out", dir);
    assertThat(channels.exitCode()).isEqualTo(2);
    assertThat(channels.err()).contains("--channels does not apply with --categorical");
    assertThat(CliRun.run("demo", "--top-g", 5, "--out", dir).err())
        .contains("--top-g needs --categorical");
    assertThat(CliRun.run("demo", "--categorical", "--keys", 10, "--out", dir).err())
        .contains("--keys must be a positive multiple of 3 with --categorical");
  }
}

package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymbolTrainCommandTest {
  private static final long START = 1_767_225_600_000L;
  private static final Object[] SMALL = {
    "--input-kind",
    "symbols",
    "--hidden",
    16,
    "--embedding-size",
    4,
    "--window",
    16,
    "--burn-in",
    8,
    "--batch",
    16,
    "--learning-rate",
    0.01,
    "--steps",
    300,
    "--progress",
    "none"
  };
  private static final Pattern HELD_OUT =
      Pattern.compile(
          "held out: cross-entropy ([\\d.]+) nats, top-9 rate [\\d.]+%; symbol frequencies"
              + " ([\\d.]+) nats, uniform log V ([\\d.]+) nats.*");

  @TempDir Path dir;
  private Path data;

  /** Three hosts' log keys, {@code timestamp,symbol}, sessions of a small state machine. */
  @BeforeEach
  void logKeyFiles() throws IOException {
    data = Files.createDirectory(dir.resolve("logs"));
    SplittableRandom random = new SplittableRandom(5);
    for (int k = 0; k < 3; k++) {
      StringBuilder csv = new StringBuilder("timestamp,symbol\n");
      long ts = START;
      int rows = 0;
      while (rows < 600) {
        List<String> session = new java.util.ArrayList<>(List.of("conn.open", "auth.ok"));
        for (int r = 1 + random.nextInt(3); r > 0; r--) {
          session.add(random.nextBoolean() ? "http.get" : "http.post");
        }
        session.add("conn.close");
        if (random.nextBoolean()) {
          session.add(0, "heartbeat");
        }
        for (String s : session) {
          ts += 100 + random.nextInt(900);
          csv.append(ts).append(',').append(s).append('\n');
          rows++;
        }
      }
      Files.writeString(data.resolve("web-" + k + ".csv"), csv);
    }
  }

  private static Object[] args(Object... more) {
    Object[] all = new Object[more.length + SMALL.length];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(SMALL, 0, all, more.length, SMALL.length);
    return all;
  }

  private static CategoricalModel read(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(ModelFile.inspect(bytes, List.of()).formatVersion()).isEqualTo(2);
    SequenceModel model = ModelFile.readAny(bytes, ModelFile.ReadOptions.acceptUnsigned());
    assertThat(model).isInstanceOf(CategoricalModel.class);
    return (CategoricalModel) model;
  }

  @Test
  void trainsACategoricalModelThatLearnsTheSessionsThenWarmStartsIt() throws Exception {
    Path first = dir.resolve("web.flstm");
    CliRun run = CliRun.run(args("train", "--input", data, "--out", first));

    assertThat(run.exitCode()).as(run.err()).isZero();
    System.out.println(run.out());
    assertThat(run.out())
        .contains("data: 3 keys, ")
        .contains("model web v1: vocabulary 7 (at most 1000, <unk> included)")
        .contains("wrote " + first);
    Matcher held =
        run.outLines().stream()
            .map(HELD_OUT::matcher)
            .filter(Matcher::matches)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no held-out line in\n" + run.out()));
    double crossEntropy = Double.parseDouble(held.group(1));
    double logV = Double.parseDouble(held.group(3));
    assertThat(logV).isCloseTo(Math.log(7), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(crossEntropy).isLessThan(0.5 * logV);
    assertThat(crossEntropy).isLessThan(Double.parseDouble(held.group(2)));

    CategoricalModel model = read(first);
    assertThat(model.info().name()).isEqualTo("web");
    assertThat(model.info().version()).isEqualTo(1);
    assertThat(model.vocabulary().symbols())
        .contains("conn.open", "auth.ok", "http.get", "http.post", "conn.close", "heartbeat");
    assertThat(model.info().metrics().get("val_cross_entropy")).isLessThan(0.5 * logV);

    Path second = dir.resolve("web-2.flstm");
    CliRun warm =
        CliRun.run(
            args(
                "train", "--input", data, "--init", first, "--out", second, "--gate-margin", 0.05));
    assertThat(warm.exitCode()).as(warm.err()).isZero();
    assertThat(warm.out()).contains("event=gate decision=publish model=web version=2 parent=1");
    CategoricalModel next = read(second);
    assertThat(next.info().version()).isEqualTo(2);
    assertThat(next.info().parentVersion()).isEqualTo(1);
    assertThat(next.vocabulary()).isEqualTo(model.vocabulary());
  }

  @Test
  void refusesFilesWithoutASymbolColumnAndOptionsOfTheOtherKind() throws IOException {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "timestamp,value\n1,2\n");
    CliRun noColumn = CliRun.run(args("train", "--input", bad, "--out", dir.resolve("m.flstm")));
    assertThat(noColumn.exitCode()).isNotZero();
    assertThat(noColumn.err()).contains(bad + " line 1: the header has no column named 'symbol'");

    Path numeric = dir.resolve("numeric.csv");
    Files.writeString(numeric, "timestamp,value\n1,2\n2,3\n");
    CliRun vocabulary =
        CliRun.run(
            "train", "--input", numeric, "--out", dir.resolve("n.flstm"), "--max-vocabulary", 9);
    assertThat(vocabulary.exitCode()).isEqualTo(2);
    assertThat(vocabulary.err()).contains("--max-vocabulary needs --input-kind symbols");
  }
}

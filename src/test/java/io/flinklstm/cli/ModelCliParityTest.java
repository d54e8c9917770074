package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.importer.TorchFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The torch fixtures end to end through the command line: {@code model import} writes a model file,
 * {@code model run} feeds it the fixture's input, and every output value matches torch.
 */
class ModelCliParityTest {
  @TempDir Path tmp;

  static Stream<Arguments> casesAndFormats() {
    return TorchFixture.cases()
        .flatMap(c -> Stream.of(Arguments.of(c, "pytorch"), Arguments.of(c, "keras")));
  }

  @ParameterizedTest(name = "{0} via {1}")
  @MethodSource("casesAndFormats")
  void importThenRunMatchesTorch(String name, String format) throws IOException {
    TorchFixture fixture = TorchFixture.of(name);
    Path model = tmp.resolve(name + ".flstm");
    Path output = tmp.resolve("run.csv");

    CliRun imported = CliRun.run(importArgs(fixture, format, model).toArray());
    CliRun ran =
        CliRun.run(
            "model", "run", "--model", model, "--input", fixture.input(), "--output", output);

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("model '" + name + "' version 1").contains("wrote");
    assertThat(ran.exitCode()).as(ran.err()).isZero();
    assertThat(ran.out()).startsWith("ran 1000 steps through model '" + name + "' version 1");
    assertMatches(fixture, Files.readAllLines(output));
  }

  private static List<Object> importArgs(TorchFixture fixture, String format, Path model) {
    List<Object> args = new ArrayList<>();
    args.addAll(List.of("model", "import", "--format", format, "--out", model));
    args.add("--weights");
    args.add("pytorch".equals(format) ? fixture.pytorchWeights() : fixture.kerasWeights());
    if (fixture.normalization() != null) {
      args.add("--normalization");
      args.add(fixture.normalization());
    }
    return args;
  }

  static void assertMatches(TorchFixture fixture, List<String> lines) throws IOException {
    TorchFixture.Expected expected = fixture.expected();
    int inputs = expected.prediction()[0].length;
    int hidden = expected.h()[0].length;
    assertThat(lines.get(0)).isEqualTo(ModelRunCommand.header(inputs, hidden).strip());
    assertThat(lines).hasSize(expected.h().length + 1);
    double max = 0;
    for (int t = 0; t < expected.h().length; t++) {
      String[] cells = lines.get(t + 1).split(",");
      assertThat(cells).hasSize(1 + inputs + 2 * hidden);
      assertThat(cells[0]).isEqualTo(Integer.toString(t));
      max = Math.max(max, maxDiff(cells, 1, expected.prediction()[t]));
      max = Math.max(max, maxDiff(cells, 1 + inputs, expected.h()[t]));
      max = Math.max(max, maxDiff(cells, 1 + inputs + hidden, expected.c()[t]));
    }
    assertThat(max).isLessThan(TorchFixture.TOLERANCE);
  }

  private static double maxDiff(String[] cells, int from, float[] expected) {
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs((double) Float.parseFloat(cells[from + i]) - expected[i]));
    }
    return max;
  }
}

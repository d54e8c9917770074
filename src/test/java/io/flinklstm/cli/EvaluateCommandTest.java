package io.flinklstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate command's checks, which run before anything starts. */
class EvaluateCommandTest {
  @TempDir Path dir;

  @Test
  void aFolderWithoutNabLayoutIsRefusedNamingWhatIsMissing() {
    CliRun run = CliRun.run("evaluate", "--nab-root", dir, "--out", dir.resolve("out"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("must hold data/ and labels/combined_windows.json");
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliRun negative =
        CliRun.run("evaluate", "--nab-root", dir, "--out", dir, "--quiet-events", "-1");
    assertThat(negative.exitCode()).isEqualTo(1);
    assertThat(negative.err()).contains("--quiet-events must be at least 0, was -1");

    CliRun noRounds =
        CliRun.run("evaluate", "--nab-root", dir, "--out", dir, "--train-every-events", "0");
    assertThat(noRounds.exitCode()).isEqualTo(2);
    assertThat(noRounds.err()).contains("--train-every-events must be at least 1");
  }
}

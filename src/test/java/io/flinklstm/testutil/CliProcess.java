package io.flinklstm.testutil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code flink-lstm} command as a process of its own, from the packaged jar, for ITCases. */
public final class CliProcess {
  private static final Path CLI_JAR = Path.of("target", "flink-lstm.jar").toAbsolutePath();

  /**
   * A small, fast model that trains in seconds on {@link EventSeries}, and a generous gate: tests
   * that run a sidecar process are about what it does with Kafka, not about how good a round is.
   */
  public static final List<String> SMALL_TRAINING =
      List.of(
          "--steps-per-round", "150",
          "--hidden", "8",
          "--window", "8",
          "--burn-in", "4",
          "--batch", "16",
          "--learning-rate", "0.01",
          "--seed", "1",
          "--gate-margin", "10");

  private CliProcess() {}

  /** The command line that runs the jar's {@code subcommand} with {@code options}. */
  public static List<String> command(String subcommand, List<String> options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules");
    command.add("jdk.incubator.vector");
    command.add("-jar");
    command.add(CLI_JAR.toString());
    command.add(subcommand);
    command.addAll(options);
    return command;
  }
}

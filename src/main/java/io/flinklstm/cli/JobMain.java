package io.flinklstm.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The entry point of the job jar ({@code target/flink-lstm-job.jar}): {@code flink run
 * flink-lstm-job.jar --bootstrap-servers kafka:9092 ...} takes exactly the options of {@code
 * flink-lstm job}.
 *
 * <p>It runs only {@link JobCommand}, so the jar needs nothing of the training, the sidecar or the
 * importers (no ND4J). It never calls {@code System.exit}: in application mode {@code main} runs
 * inside the JobManager. A bad option is printed as one line naming it and then thrown, so {@code
 * flink run} fails with the same message.
 */
public final class JobMain {
  private JobMain() {}

  public static void main(String[] args) throws Exception {
    CommandLine cli = new CommandLine(new JobCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setCommandName("flink-lstm job");
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.err.println("flink-lstm job: " + e.getMessage());
      System.err.println("Try 'flink-lstm job --help'.");
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return;
    }
    JobCommand job = cli.getCommand();
    try {
      job.call();
    } catch (IllegalArgumentException e) {
      System.err.println("flink-lstm job: " + e.getMessage());
      throw e;
    }
  }
}

package io.flinklstm.cli;

import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flink-lstm} command line: one executable for the job, the sidecar and the tools.
 *
 * <p>Every error ends in one line on standard error, {@code flink-lstm: <what went wrong>}, and a
 * non-zero exit: 2 for a bad command line, 1 for a failure while running.
 */
@Command(
    name = "flink-lstm",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Per-key LSTM sequence scoring and anomaly detection on Apache Flink.",
    subcommands = {
      DemoCommand.class,
      ModelCommand.class,
      JobCommand.class,
      SidecarCommand.class,
      TrainCommand.class,
      ReplayCommand.class,
      FeedbackCommand.class,
      DeadLettersCommand.class,
      EvaluateCommand.class
    })
public final class FlinkLstm implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Logging for the executable, unless a configuration is given on the command line. */
  static final String LOG_CONFIGURATION = "io/flinklstm/cli/log4j2-cli.properties";

  /** Commands that draw their own progress on the console, so the project logs only warnings. */
  private static final Set<String> QUIET_COMMANDS = Set.of("demo", "evaluate", "replay");

  public static void main(String[] args) {
    configureLogging(args);
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Points Log4j at the command line's configuration ({@value #LOG_CONFIGURATION}): the project's
   * lines at INFO on standard error (the sidecar's decisions, the job's start-up), Flink and Kafka
   * at WARN. {@code -Dlog4j2.configurationFile} replaces it and {@code -Dflink-lstm.log.level} sets
   * the project's level; the local commands that draw progress default to WARN. Runs before the
   * first logger is made, which is when Log4j reads its configuration.
   */
  private static void configureLogging(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null
        && System.getProperty("log4j.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:" + LOG_CONFIGURATION);
    }
    if (System.getProperty("flink-lstm.log.level") == null
        && args.length > 0
        && QUIET_COMMANDS.contains(args[0])) {
      System.setProperty("flink-lstm.log.level", "warn");
    }
  }

  /** Runs a command line with the given streams and returns the exit code; for tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new FlinkLstm());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("flink-lstm: " + describe(e));
          commandLine.getErr().flush();
          return 1;
        });
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("flink-lstm: " + e.getMessage());
          cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
          cmd.getErr().flush();
          return 2;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    return message;
  }
}

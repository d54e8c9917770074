package io.flinklstm.cli;

import java.io.PrintWriter;
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
      EvaluateCommand.class
    })
public final class FlinkLstm implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
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

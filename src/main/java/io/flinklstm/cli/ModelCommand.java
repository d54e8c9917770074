package io.flinklstm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flink-lstm model ...}: import, inspect, run, sign and verify model files; publish, list
 * and roll back the models topic.
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description =
        "Import, inspect, run, sign and verify model files; publish, list and roll back what the"
            + " models topic holds.",
    subcommands = {
      ModelImportCommand.class,
      ModelRunCommand.class,
      ModelInspectCommand.class,
      ModelKeygenCommand.class,
      ModelSignCommand.class,
      ModelVerifyCommand.class,
      ModelPublishCommand.class,
      ModelListCommand.class,
      ModelRollbackCommand.class
    })
final class ModelCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

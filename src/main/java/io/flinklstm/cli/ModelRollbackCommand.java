package io.flinklstm.cli;

import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import io.flinklstm.sidecar.ModelHistory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model rollback}: publishes the weights of an earlier version again, as a new,
 * higher version, so the job swaps back to them: versions never go back, and the job refuses a
 * version that is not newer than the one it serves.
 */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Publish an earlier version's weights again, as the next version of the model, from the"
            + " versions the sidecar keeps in its state directory (history/<model>/v<N>.flstm, the"
            + " newest "
            + ModelHistory.KEEP
            + ").")
final class ModelRollbackCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ModelsTopicOptions kafka;

  @Option(names = "--name", required = true, description = "The model to roll back.")
  String name;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "VERSION",
      description = "The version whose weights are published again.")
  long to;

  @Option(
      names = "--state-dir",
      required = true,
      paramLabel = "DIR",
      description = "The sidecar's --state-dir, which keeps the versions it published.")
  Path stateDir;

  @Option(
      names = "--signing-key",
      paramLabel = "FILE",
      description =
          "Sign what is published with this Ed25519 private key (PKCS#8 PEM), for a job started"
              + " with --model-public-key.")
  Path signingKey;

  @Option(
      names = "--transactional-id",
      defaultValue = "flink-lstm-model-publish",
      description = "The Kafka transactional id of the publish (default: ${DEFAULT-VALUE}).")
  String transactionalId;

  @Override
  public Integer call() throws Exception {
    ModelHistory history = new ModelHistory(stateDir, name);
    byte[] bytes = history.read(to).orElseThrow(() -> notKept(history));
    SequenceModel kept;
    try {
      kept = ModelFile.inspect(bytes, List.of()).model();
    } catch (ModelFileException e) {
      throw new IllegalArgumentException(
          history.folder() + ": version " + to + " cannot be read: " + e.getMessage(), e);
    }
    if (!kept.info().name().equals(name) || kept.info().version() != to) {
      throw new IllegalArgumentException(
          history.folder()
              + ": the file of version "
              + to
              + " holds model '"
              + kept.info().name()
              + "' version "
              + kept.info().version());
    }
    PrivateKey key = signingKey == null ? null : ModelFiles.readPrivateKey(signingKey);
    ModelPublishCommand.Published published =
        ModelPublishCommand.publishAsNext(kafka.topic(), kept, key, transactionalId);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "rolled model '"
            + name
            + "' back to version "
            + to
            + ": its weights published as version "
            + published.version()
            + " to topic '"
            + kafka.modelsTopic
            + "' "
            + ModelPublishCommand.describe(published.file(), key));
    out.flush();
    return 0;
  }

  private IllegalArgumentException notKept(ModelHistory history) {
    List<Long> versions;
    try {
      versions = history.versions();
    } catch (java.io.IOException e) {
      versions = List.of();
    }
    return new IllegalArgumentException(
        "--to "
            + to
            + ": "
            + history.folder()
            + " does not keep that version of model '"
            + name
            + "'"
            + (versions.isEmpty() ? " (it keeps none)" : " (it keeps " + versions + ")"));
  }
}

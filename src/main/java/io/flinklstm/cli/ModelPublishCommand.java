package io.flinklstm.cli;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import io.flinklstm.model.format.ModelKeys;
import io.flinklstm.sidecar.ModelTopic;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model publish}: writes a model file to the models topic in a Kafka transaction,
 * as the sidecar does, after checking the file and that its version is newer than what the topic
 * holds for its name (the job refuses an older version as stale).
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a model file to the models topic, in a Kafka transaction, for the job to swap in.",
      "The file is checked completely first, and its version must be newer than the newest the"
          + " topic holds for its name (the job refuses older versions); --next-version publishes"
          + " it as that newest version plus one instead. --signing-key signs what is published."
    })
final class ModelPublishCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ModelsTopicOptions kafka;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "The model file to publish.")
  Path model;

  @Option(
      names = "--next-version",
      description =
          "Publish the model as the version after the newest the topic holds for its name (1 if"
              + " none), that newest as its parent, rather than refusing a file whose version is"
              + " not newer.")
  boolean nextVersion;

  @Option(
      names = "--signing-key",
      paramLabel = "FILE",
      description =
          "Sign what is published with this Ed25519 private key (PKCS#8 PEM, as 'model keygen'"
              + " writes), for a job started with --model-public-key.")
  Path signingKey;

  @Option(
      names = "--transactional-id",
      defaultValue = "flink-lstm-model-publish",
      description =
          "The Kafka transactional id of the publish; a later publish with the same id fences an"
              + " unfinished earlier one (default: ${DEFAULT-VALUE}).")
  String transactionalId;

  @Override
  public Integer call() throws Exception {
    byte[] bytes = ModelFiles.readModelBytes(model);
    SequenceModel read;
    try {
      read = ModelFile.inspect(bytes, List.of()).model();
    } catch (ModelFileException e) {
      throw ModelFiles.about(model, e);
    }
    PrivateKey key = signingKey == null ? null : ModelFiles.readPrivateKey(signingKey);
    ModelTopic topic = kafka.topic();
    String name = read.info().name();
    long version = read.info().version();
    if (nextVersion) {
      Published published = publishAsNext(topic, read, key, transactionalId);
      version = published.version();
      bytes = published.file();
    } else {
      long newest = topic.newestVersion(name).orElse(0L);
      if (version <= newest) {
        throw new IllegalArgumentException(
            model
                + ": model '"
                + name
                + "' version "
                + version
                + " is not newer than version "
                + newest
                + " on topic '"
                + kafka.modelsTopic
                + "', so the job would refuse it as stale; --next-version publishes it as version "
                + (newest + 1));
      }
      if (key != null) {
        bytes = ModelFile.sign(bytes, key);
      }
      topic.publish(name, bytes, transactionalId);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "published model '"
            + name
            + "' version "
            + version
            + " to topic '"
            + kafka.modelsTopic
            + "' "
            + describe(bytes, key));
    out.flush();
    return 0;
  }

  /** What was published: the version it went out as, and the file's bytes. */
  record Published(long version, byte[] file) {}

  /**
   * Publishes {@code model}'s weights as the version after the newest the topic holds for its name
   * (1 if none), with that newest as its parent, signed with {@code key} when given.
   */
  static Published publishAsNext(
      ModelTopic topic, SequenceModel model, PrivateKey key, String transactionalId)
      throws InterruptedException {
    ModelInfo info = model.info();
    long newest = topic.newestVersion(info.name()).orElse(0L);
    SequenceModel next =
        withInfo(
            model, new ModelInfo(info.name(), newest + 1, info.created(), newest, info.metrics()));
    byte[] bytes = key == null ? ModelFile.write(next) : ModelFile.write(next, key);
    topic.publish(info.name(), bytes, transactionalId);
    return new Published(newest + 1, bytes);
  }

  /** "(N bytes, unsigned)" or "(N bytes, signed by FINGERPRINT)". */
  static String describe(byte[] file, PrivateKey key) {
    return "("
        + file.length
        + " bytes, "
        + (key == null
            ? "unsigned"
            : "signed by " + ModelKeys.fingerprint(ModelKeys.publicKeyOf(key)))
        + ")";
  }

  private static SequenceModel withInfo(SequenceModel model, ModelInfo info) {
    return model instanceof LstmModel lstm
        ? lstm.withInfo(info)
        : ((CategoricalModel) model).withInfo(info);
  }
}

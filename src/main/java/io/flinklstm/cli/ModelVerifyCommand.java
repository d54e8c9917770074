package io.flinklstm.cli;

import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model verify}: exit 0 only if the model file is valid and signed by one of the
 * given public keys, which is the check the job makes before it loads a model with signatures
 * required. Otherwise one line on standard error says why, and the exit code is 1.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check that a model file is valid and signed by one of the given Ed25519 public keys.",
      "Exits 0 and prints one 'valid:' line if so; otherwise prints one line saying why and"
          + " exits 1."
    })
final class ModelVerifyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "The model file to verify.")
  Path model;

  @Option(
      names = "--public-key",
      required = true,
      paramLabel = "FILE",
      description =
          "An Ed25519 public key (X.509 PEM) that may have signed it; repeat for several.")
  List<Path> publicKeys;

  @Override
  public Integer call() throws Exception {
    List<PublicKey> keys = ModelFiles.readPublicKeys(publicKeys);
    byte[] bytes = ModelFiles.readModelBytes(model);
    String signer;
    SequenceModel loaded;
    try {
      loaded = ModelFile.readAny(bytes, ModelFile.ReadOptions.requireSignature(keys));
      signer = ModelFile.inspect(bytes, keys).signerFingerprint();
    } catch (ModelFileException e) {
      throw ModelFiles.about(model, e);
    }
    spec.commandLine()
        .getOut()
        .println(
            "valid: "
                + model
                + " ("
                + loaded.info().name()
                + " version "
                + loaded.info().version()
                + ") is signed by "
                + signer);
    spec.commandLine().getOut().flush();
    return 0;
  }
}

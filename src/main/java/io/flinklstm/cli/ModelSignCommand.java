package io.flinklstm.cli;

import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import io.flinklstm.model.format.ModelKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model sign}: checks a model file completely, then writes it again with an
 * Ed25519 signature in its trailer. The bytes before the trailer are kept, so the digest does not
 * change; an existing signature is replaced.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Check a model file and write a copy signed with an Ed25519 private key; an existing"
          + " signature is replaced.",
      "The output is written through a temporary file, so --out may be the input file."
    })
final class ModelSignCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "The model file to sign.")
  Path model;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "FILE",
      description = "The Ed25519 private key (PKCS#8 PEM, as 'model keygen' writes) to sign with.")
  Path key;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the signed model file (replaced if it exists).")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrivateKey privateKey = ModelFiles.readPrivateKey(key);
    byte[] bytes = ModelFiles.readModelBytes(model);
    byte[] signed;
    try {
      signed = ModelFile.sign(bytes, privateKey);
    } catch (ModelFileException e) {
      throw ModelFiles.about(model, e);
    }
    ModelFiles.writeAtomically(out, signed);
    PrintWriter w = spec.commandLine().getOut();
    w.println("signed: " + out);
    w.println("key: " + ModelKeys.fingerprint(ModelKeys.publicKeyOf(privateKey)));
    w.flush();
    return 0;
  }
}

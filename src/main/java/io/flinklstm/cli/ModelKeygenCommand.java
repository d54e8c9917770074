package io.flinklstm.cli;

import io.flinklstm.model.format.ModelKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model keygen}: a new Ed25519 key pair for signing model files, as PEM files
 * that OpenSSL reads too.
 *
 * <p>Both paths are checked before either file is written, so a refusal leaves nothing behind, and
 * an existing key is never replaced without {@code --force}: losing a signing key means re-signing
 * and redistributing every trusted public key.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate an Ed25519 key pair for signing model files: the private key as PKCS#8 PEM"
          + " (readable by its owner only), the public key as X.509 PEM.",
      "Refuses to overwrite existing files unless --force is given."
    })
final class ModelKeygenCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out-private",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the private key. Keep it secret; it signs models.")
  Path privateFile;

  @Option(
      names = "--out-public",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the public key, which readers use to verify signatures.")
  Path publicFile;

  @Option(
      names = "--force",
      description = "Overwrite the output files if they exist (default: refuse).")
  boolean force;

  @Override
  public Integer call() throws IOException {
    if (privateFile.toAbsolutePath().normalize().equals(publicFile.toAbsolutePath().normalize())) {
      throw new IOException("--out-private and --out-public must be different files");
    }
    if (!force) {
      for (Path file : new Path[] {privateFile, publicFile}) {
        if (Files.exists(file)) {
          throw new IOException(file + ": already exists; use --force to overwrite it");
        }
      }
    }
    KeyPair pair = ModelKeys.generate();
    try {
      ModelKeys.writePrivateKey(privateFile, pair.getPrivate(), force);
    } catch (IOException e) {
      throw ModelFiles.about(privateFile, e);
    }
    try {
      ModelKeys.writePublicKey(publicFile, pair.getPublic(), force);
    } catch (IOException e) {
      throw ModelFiles.about(publicFile, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("private key: " + privateFile);
    out.println("public key: " + publicFile);
    out.println("fingerprint: " + ModelKeys.fingerprint(pair.getPublic()));
    out.flush();
    return 0;
  }
}

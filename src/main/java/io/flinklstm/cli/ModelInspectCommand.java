package io.flinklstm.cli;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import io.flinklstm.model.format.ModelFileSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model inspect}: checks a model file completely and prints what it holds, one
 * {@code key: value} per line so that scripts can pick lines out.
 *
 * <p>A file that fails a check is an error (exit 1). A signature that does not verify is not: it is
 * reported on the {@code signature:} line, since deciding about trust is {@code verify}'s job.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Check a model file completely and print its header, tensor shapes, digest and signature"
          + " status, one 'key: value' per line.",
      "Exits 1 if the file is invalid; a signature that does not verify is reported, not an"
          + " error (use 'model verify' for that)."
    })
final class ModelInspectCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "The model file to inspect.")
  Path model;

  @Option(
      names = "--public-key",
      paramLabel = "FILE",
      description =
          "An Ed25519 public key (PEM) to check the signature with; repeat for several. Without"
              + " one, a signature is reported as present but not verified.")
  List<Path> publicKeys = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    byte[] bytes = ModelFiles.readModelBytes(model);
    ModelFileSummary summary;
    try {
      summary = ModelFile.inspect(bytes, ModelFiles.readPublicKeys(publicKeys));
    } catch (ModelFileException e) {
      throw ModelFiles.about(model, e);
    }
    print(spec.commandLine().getOut(), summary);
    return 0;
  }

  private void print(PrintWriter out, ModelFileSummary s) {
    SequenceModel m = s.model();
    ModelInfo info = m.info();
    out.println("file: " + model);
    out.println("size: " + s.sizeBytes() + " bytes");
    out.println("format version: " + s.formatVersion());
    out.println("name: " + info.name());
    out.println("version: " + info.version());
    out.println("parent version: " + (info.parentVersion() == 0 ? "none" : info.parentVersion()));
    out.println("created: " + info.created());
    List<? extends RecurrentLayer> layers;
    if (m instanceof CategoricalModel c) {
      Vocabulary vocabulary = c.vocabulary();
      out.println(
          "input: symbols, vocabulary "
              + vocabulary.size()
              + " (out-of-vocabulary '"
              + vocabulary.unknownSymbol()
              + "' = id "
              + vocabulary.unknownId()
              + "), embedding size "
              + c.embedding().size());
      layers = c.layers();
    } else {
      out.println("input size: " + ((LstmModel) m).inputSize());
      out.println("scaling: " + ((LstmModel) m).scaling());
      out.println("time inputs: " + ((LstmModel) m).time());
      layers = ((LstmModel) m).layers();
    }
    for (int l = 0; l < layers.size(); l++) {
      RecurrentLayer layer = layers.get(l);
      out.println(
          "layer "
              + l
              + ": "
              + layer.cellType().id()
              + ", hidden size "
              + layer.hiddenSize()
              + ", activation "
              + layer.activation().id()
              + (layer instanceof LstmLayer lstm
                  ? ", recurrent activation " + lstm.recurrentActivation().id()
                  : ""));
    }
    if (m instanceof CategoricalModel c) {
      out.println("head: softmax, output size " + c.head().outputSize());
      out.println("gate order: " + s.gateOrder());
      out.println("parameters: " + c.parameterCount());
    } else {
      LstmModel numeric = (LstmModel) m;
      out.println("head: dense, output size " + numeric.head().outputSize());
      out.println("gate order: " + s.gateOrder());
      out.println("parameters: " + numeric.parameterCount());
    }
    for (Map.Entry<String, Double> metric : info.metrics().entrySet()) {
      out.println("metric " + metric.getKey() + ": " + metric.getValue());
    }
    for (ModelFileSummary.Tensor t : s.tensors()) {
      out.println("tensor " + t.name() + ": " + t.shape());
    }
    out.println("sha256: " + s.sha256());
    out.println("signature: " + signature(s));
    out.flush();
  }

  private String signature(ModelFileSummary s) {
    switch (s.signature()) {
      case VALID:
        return "valid, key " + s.signerFingerprint();
      case INVALID:
        return publicKeys.size() == 1
            ? "INVALID, does not verify with the given public key"
            : "INVALID, verifies with none of the " + publicKeys.size() + " given public keys";
      case UNVERIFIED:
        return "present, not verified (no --public-key given)";
      case ABSENT:
      default:
        return "absent";
    }
  }
}

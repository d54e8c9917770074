package io.flinklstm.cli;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelFile;
import io.flinklstm.model.ModelFileException;
import io.flinklstm.train.Candidate;
import io.flinklstm.train.PromotionDecision;
import io.flinklstm.train.PromotionGate;
import io.flinklstm.train.SequenceSet;
import io.flinklstm.train.Trainer;
import io.flinklstm.train.TrainerConfig;
import io.flinklstm.train.TrainingData;
import io.flinklstm.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm train}: trains a model offline from CSV files, one key per file, with the same
 * trainer the sidecar runs (package {@code io.flinklstm.train}), and writes it as a model file:
 * version 1 of a new name, or with {@code --init} the next version of that model's name.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train an LSTM next-step predictor offline from CSV files and write a model file.",
      "Each CSV file is one key. Its first non-blank line is a header; its first column is a"
          + " timestamp, and skipped, when named timestamp, time, ts, date or datetime or when"
          + " its first value is not a number (NAB's 'timestamp,value' files qualify). Every"
          + " other column is a value, a finite number on every row; all files must have the"
          + " same value columns. Rows are taken in file order, which must be time order.",
      "The most recent --validation-fraction of every key is held out and never trained on;"
          + " losses are reported on it against predicting the last value, in the model's"
          + " normalised units."
    })
final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR_OR_CSV",
      description = "A CSV file, or a directory whose *.csv files are read; may be repeated.")
  List<Path> inputs;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description = "The model file to write; an existing file is replaced.")
  Path out;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "The model's name (default: the --init model's name, else the --out file name without"
              + " its extension).")
  String name;

  @Option(
      names = "--init",
      paramLabel = "MODEL",
      description =
          "Warm start: train on from this model's weights, keeping its architecture and"
              + " normalisation; the result is its version + 1.")
  Path init;

  @Option(
      names = "--hidden",
      paramLabel = "H",
      defaultValue = "64",
      description = "Hidden size of each layer of a fresh model (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--layers",
      paramLabel = "L",
      defaultValue = "1",
      description = "Stacked LSTM layers of a fresh model (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(
      names = "--window",
      paramLabel = "W",
      defaultValue = "64",
      description = "Steps per training window: the truncated-BPTT length (default: 64).")
  int window;

  @Option(
      names = "--burn-in",
      paramLabel = "B",
      defaultValue = "16",
      description =
          "Steps run before each window to warm the state up, without loss (default: 16).")
  int burnIn;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "64",
      description = "Windows per update (default: 64).")
  int batch;

  @ArgGroup(exclusive = true)
  Length length = new Length();

  static final class Length {
    @Option(names = "--steps", paramLabel = "S", description = "Updates to run (default: 1000).")
    Long steps;

    @Option(
        names = "--epochs",
        paramLabel = "E",
        description =
            "Instead of --steps: E passes over the training data, in expectation (each update"
                + " sees N × W targets).")
    Double epochs;
  }

  @Option(
      names = "--learning-rate",
      paramLabel = "LR",
      defaultValue = "1e-3",
      description = "Adam's step size (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--clip-norm",
      paramLabel = "C",
      defaultValue = "1.0",
      description = "Largest global gradient norm (default: ${DEFAULT-VALUE}).")
  double clipNorm;

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      defaultValue = "0.2",
      description =
          "Share of each key's most recent values held out, in whole windows, at least one"
              + " (default: ${DEFAULT-VALUE}; 0 for none).")
  double validationFraction;

  @Option(
      names = "--max-validation-windows",
      paramLabel = "M",
      defaultValue = "512",
      description = "Cap on validation windows, evenly spaced (default: ${DEFAULT-VALUE}).")
  int maxValidationWindows;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "1",
      description =
          "Seed for initialisation and sampling; same seed and data, same model (default:"
              + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--backend",
      paramLabel = "B",
      defaultValue = "kernels",
      description =
          "Where the BPTT arithmetic runs: kernels (the model core's own, the faster; default)"
              + " or nd4j (tanh/sigmoid layers only).")
  TrainerConfig.Backend backend;

  @Option(
      names = "--gate-margin",
      paramLabel = "M",
      description =
          "With --init: write the model only if the promotion gate passes it against the --init"
              + " model, validation loss <= (1 + M) x the --init model's. Without this option the"
              + " comparison is printed and the model written regardless.")
  Double gateMargin;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "Progress on standard error: auto (a live bar on a terminal, else a line per tenth),"
              + " plain (a line per tenth) or none.")
  ProgressMode progress;

  enum ProgressMode {
    AUTO,
    PLAIN,
    NONE
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    validateOptions();
    SequenceSet set = TrainingInputs.read(inputs);
    LstmModel parent = init == null ? null : readModel(init);
    String modelName = modelName(parent);
    TrainerConfig config = config(set);
    TrainingData data = TrainingData.split(set, config);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(TrainingReportText.dataLine(set, data, config));
    ProgressBar bar =
        new ProgressBar(
            spec.commandLine().getErr(), progress == ProgressMode.AUTO && System.console() != null);
    Trainer trainer = new Trainer(config);
    Candidate candidate =
        parent == null
            ? trainer.trainFresh(data, modelName, Instant.now(), listener(bar))
            : trainer.trainFrom(parent, data, Instant.now(), listener(bar));
    bar.finish();
    LstmModel model = candidate.toModel();
    TrainingReportText.print(stdout, candidate, model, data);
    TrainingReportText.scaleNote(model, data).ifPresent(stdout::println);
    if (parent != null) {
      PromotionDecision decision =
          new PromotionGate(gateMargin == null ? 0 : gateMargin).decide(candidate, parent, data);
      stdout.println(decision.logLine());
      if (gateMargin != null && !decision.publish()) {
        throw new IllegalStateException(
            "the promotion gate refused the model (" + decision.reason().id() + "); not written");
      }
    }
    ModelFiles.writeAtomically(out, ModelFile.write(model));
    stdout.println("wrote " + out);
    return 0;
  }

  private TrainingListener listener(ProgressBar bar) {
    return progress == ProgressMode.NONE ? TrainingListener.NONE : bar;
  }

  private TrainerConfig config(SequenceSet set) {
    TrainerConfig.Builder b =
        TrainerConfig.builder()
            .hiddenSize(hidden)
            .layers(layers)
            .window(window)
            .burnIn(burnIn)
            .batchSize(batch)
            .learningRate(learningRate)
            .clipNorm(clipNorm)
            .validationFraction(validationFraction)
            .maxValidationWindows(maxValidationWindows)
            .seed(seed)
            .backend(backend);
    if (length.epochs == null) {
      return b.steps(length.steps == null ? 1000 : length.steps).build();
    }
    long targets = TrainingData.split(set, b.build()).trainingTargets();
    long perUpdate = (long) batch * window;
    return b.steps(Math.max(1, (long) Math.ceil(length.epochs * targets / perUpdate))).build();
  }

  private void validateOptions() {
    atLeast("--hidden", hidden, 1);
    atLeast("--layers", layers, 1);
    atLeast("--window", window, 1);
    atLeast("--burn-in", burnIn, 0);
    atLeast("--batch", batch, 1);
    atLeast("--max-validation-windows", maxValidationWindows, 1);
    if (length.steps != null) {
      atLeast("--steps", length.steps, 0);
    }
    if (length.epochs != null && !(length.epochs > 0 && length.epochs < 1e6)) {
      throw usage("--epochs must be positive, was " + length.epochs);
    }
    positive("--learning-rate", learningRate);
    positive("--clip-norm", clipNorm);
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw usage("--validation-fraction must be in [0, 1), was " + validationFraction);
    }
    if (gateMargin != null) {
      if (init == null) {
        throw usage("--gate-margin needs --init: there is nothing to compare with");
      }
      if (!(gateMargin >= 0) || gateMargin.isInfinite()) {
        throw usage("--gate-margin must be at least 0, was " + gateMargin);
      }
    }
  }

  private String modelName(LstmModel parent) {
    if (parent == null) {
      if (name != null) {
        return name;
      }
      String file = out.getFileName().toString();
      int dot = file.lastIndexOf('.');
      return dot > 0 ? file.substring(0, dot) : file;
    }
    if (name != null && !name.equals(parent.info().name())) {
      throw usage(
          "--name '"
              + name
              + "' differs from the --init model's name '"
              + parent.info().name()
              + "'; a warm-started model continues its parent's versions");
    }
    return parent.info().name();
  }

  private LstmModel readModel(Path file) throws IOException {
    byte[] bytes = ModelFiles.readModelBytes(file);
    try {
      return ModelFile.read(bytes, ModelFile.ReadOptions.acceptUnsigned());
    } catch (ModelFileException e) {
      throw ModelFiles.about(file, e);
    }
  }

  private void atLeast(String option, long value, long min) {
    if (value < min) {
      throw usage(option + " must be at least " + min + ", was " + value);
    }
  }

  private void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw usage(option + " must be positive, was " + value);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

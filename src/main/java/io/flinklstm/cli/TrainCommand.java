package io.flinklstm.cli;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import io.flinklstm.train.Candidate;
import io.flinklstm.train.PromotionDecision;
import io.flinklstm.train.PromotionGate;
import io.flinklstm.train.SequenceSet;
import io.flinklstm.train.SymbolTraining;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm train}: trains a model offline from CSV files, one key per file, with the same
 * trainer the sidecar runs (package {@code io.flinklstm.train}), and writes it as a model file:
 * version 1 of a new name, or with {@code --init} the next version of that model's name. Numeric
 * series by default; with {@code --input-kind symbols} a categorical model from symbol sequences
 * ({@link SymbolTrainRun}).
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
          + " normalised units.",
      "With --input-kind symbols it trains a categorical (next-symbol) model, written as model"
          + " file format 2. Each CSV file is still one key, its events in time order; the header"
          + " names a column 'symbol' (any other column, such as a timestamp, is ignored), and"
          + " each row's symbol is that cell's text, without quotes or commas. The vocabulary is"
          + " built from the training part up to --max-vocabulary (with --init: the parent's,"
          + " grown), and the held-out cross-entropy is reported against a uniform guess (log V)"
          + " and the symbols' frequencies."
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
      names = "--input-kind",
      defaultValue = "values",
      description =
          "What the CSV files hold: values (a numeric model) or symbols (a categorical model)"
              + " (default: ${DEFAULT-VALUE}).")
  InputKind inputKind;

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

  @Mixin TrainingOptions training;

  @Mixin ScalingOptions scaling;

  @Mixin SymbolModelOptions symbols;

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
    symbols.refuseFor(inputKind);
    if (inputKind == InputKind.SYMBOLS) {
      return trainSymbols();
    }
    LstmModel parent = init == null ? null : readModel(init, LstmModel.class);
    // Each file is a key from its first event, scaled as the job scales a key it sees from its
    // start; a warm start keeps its parent's scaling.
    SequenceSet set =
        TrainingInputs.read(inputs).scaled(parent == null ? scaling.scaling() : parent.scaling());
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

  private int trainSymbols() throws IOException, InterruptedException {
    List<SymbolTraining.Sequence> keys = SymbolTrainRun.read(inputs);
    CategoricalModel parent = init == null ? null : readModel(init, CategoricalModel.class);
    PrintWriter stdout = spec.commandLine().getOut();
    SymbolTrainRun run = new SymbolTrainRun(symbols, stdout);
    TrainerConfig.Builder b = training.builder();
    long steps = length.steps == null ? 1000 : length.steps;
    if (length.epochs != null) {
      long targets = run.training(b.build()).trainingSymbols(keys);
      long perUpdate = (long) training.batch * training.window;
      steps = Math.max(1, (long) Math.ceil(length.epochs * targets / perUpdate));
    }
    ProgressBar bar =
        new ProgressBar(
            spec.commandLine().getErr(), progress == ProgressMode.AUTO && System.console() != null);
    CategoricalModel model =
        run.run(keys, b.steps(steps).build(), modelName(parent), parent, gateMargin, listener(bar));
    bar.finish();
    ModelFiles.writeAtomically(out, ModelFile.write(model));
    stdout.println("wrote " + out);
    return 0;
  }

  private TrainingListener listener(ProgressBar bar) {
    return progress == ProgressMode.NONE ? TrainingListener.NONE : bar;
  }

  private TrainerConfig config(SequenceSet set) {
    TrainerConfig.Builder b = training.builder();
    if (length.epochs == null) {
      return b.steps(length.steps == null ? 1000 : length.steps).build();
    }
    long targets = TrainingData.split(set, b.build()).trainingTargets();
    long perUpdate = (long) training.batch * training.window;
    return b.steps(Math.max(1, (long) Math.ceil(length.epochs * targets / perUpdate))).build();
  }

  private void validateOptions() {
    training.validate();
    if (length.steps != null) {
      atLeast("--steps", length.steps, 0);
    }
    if (length.epochs != null && !(length.epochs > 0 && length.epochs < 1e6)) {
      throw usage("--epochs must be positive, was " + length.epochs);
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

  private String modelName(SequenceModel parent) {
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

  /** The --init model, which must be of the kind --input-kind trains. */
  private <M extends SequenceModel> M readModel(Path file, Class<M> kind) throws IOException {
    byte[] bytes = ModelFiles.readModelBytes(file);
    SequenceModel model;
    try {
      model = ModelFile.readAny(bytes, ModelFile.ReadOptions.acceptUnsigned());
    } catch (ModelFileException e) {
      throw ModelFiles.about(file, e);
    }
    if (!kind.isInstance(model)) {
      throw usage(
          "--init "
              + file
              + " is a "
              + (model instanceof CategoricalModel ? "categorical" : "numeric")
              + " model but --input-kind is "
              + inputKind.name().toLowerCase(java.util.Locale.ROOT));
    }
    return kind.cast(model);
  }

  private void atLeast(String option, long value, long min) {
    if (value < min) {
      throw usage(option + " must be at least " + min + ", was " + value);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

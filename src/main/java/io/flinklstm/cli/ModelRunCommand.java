package io.flinklstm.cli;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelFileException;
import io.flinklstm.model.kernel.Stepper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model run}: feeds a CSV series through a model as one key's sequence and writes
 * what the model computes at every step, for checking a model against another implementation or
 * looking at its behaviour on recorded data.
 *
 * <p>The state starts at zero and carries from row to row, exactly as the streaming job steps one
 * key. Output row t holds the prediction made after reading input row t, that is the model's
 * forecast of row t + 1, in the input's raw units, and the last layer's h and c after that step.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Feed a CSV series through a model as one key's sequence, from a zero state, and write per"
          + " row the prediction of the next row (raw units) and the last layer's h and c.",
      "Output header: step,pred_0..pred_{D-1},h_0..h_{H-1},c_0..c_{H-1}; step counts data rows"
          + " from 0."
    })
final class ModelRunCommand implements Callable<Integer> {
  private static final String STANDARD_STREAM = "-";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description =
          "The model file to run, as 'model import' writes it. A signature, if any, is not"
              + " checked here; 'model verify' does that.")
  Path modelFile;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "CSV",
      description = {
        "The series: one row per step, the model's D input values in raw units, comma-separated,"
            + " after any --skip-columns. A first line that is not numeric is a header and is"
            + " skipped; blank lines are skipped. '-' reads standard input."
      })
  String input;

  @Option(
      names = "--output",
      paramLabel = "CSV",
      defaultValue = STANDARD_STREAM,
      description = "Where to write the results; '-' (the default) writes standard output.")
  String output;

  @Option(
      names = "--skip-columns",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Leading columns of every input row to ignore, for instance a key and a timestamp"
              + " (default: ${DEFAULT-VALUE}).")
  int skipColumns;

  @Override
  public Integer call() throws IOException {
    LstmModel model = readModel();
    long steps;
    try (BufferedReader in = openInput();
        Writer out = openOutput()) {
      steps = run(model, new InputCsv(in, inputName(), model.inputSize(), skipColumns), out);
    }
    if (!STANDARD_STREAM.equals(output)) {
      spec.commandLine()
          .getOut()
          .printf(
              "ran %d steps through model '%s' version %d; wrote %s%n",
              steps, model.info().name(), model.info().version(), output);
    }
    return 0;
  }

  /** Steps every row through one state and writes a line per row; returns the rows read. */
  static long run(LstmModel model, InputCsv input, Writer out) throws IOException {
    int inputs = model.inputSize();
    int hidden = model.layers().get(model.layers().size() - 1).hiddenSize();
    int last = model.lastLayerOffset();
    out.write(header(inputs, hidden));
    Stepper stepper = Stepper.of(model);
    LstmState state = model.newState();
    float[] row = new float[inputs];
    float[] raw = new float[inputs];
    StringBuilder line = new StringBuilder();
    long step = 0;
    while (input.next(row)) {
      model.normalizer().denormalize(stepper.step(state, row), raw);
      line.setLength(0);
      line.append(step++);
      append(line, raw, 0, inputs);
      append(line, state.h(), last, hidden);
      append(line, state.c(), last, hidden);
      out.write(line.append('\n').toString());
    }
    return step;
  }

  static String header(int inputs, int hidden) {
    StringBuilder b = new StringBuilder("step");
    names(b, "pred_", inputs);
    names(b, "h_", hidden);
    names(b, "c_", hidden);
    return b.append('\n').toString();
  }

  private static void names(StringBuilder b, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      b.append(',').append(prefix).append(i);
    }
  }

  /** Float.toString: the digits that read back as the same float, so nothing is lost. */
  private static void append(StringBuilder b, float[] values, int offset, int n) {
    for (int i = 0; i < n; i++) {
      b.append(',').append(values[offset + i]);
    }
  }

  /** Any valid model file; whether it is signed is 'model verify''s business. */
  private LstmModel readModel() throws IOException {
    byte[] bytes = ModelFiles.readModelBytes(modelFile);
    try {
      return ModelFile.read(bytes, ModelFile.ReadOptions.acceptUnsigned());
    } catch (ModelFileException e) {
      throw ModelFiles.about(modelFile, e);
    }
  }

  private String inputName() {
    return STANDARD_STREAM.equals(input) ? "<stdin>" : input;
  }

  private BufferedReader openInput() throws IOException {
    if (STANDARD_STREAM.equals(input)) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    Path file = Path.of(input);
    if (!Files.isRegularFile(file)) {
      throw new IOException(input + ": no such input file");
    }
    return Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  private Writer openOutput() throws IOException {
    if (STANDARD_STREAM.equals(output)) {
      // Closing the command's own writer would close standard output for the caller.
      Writer console = spec.commandLine().getOut();
      return new BufferedWriter(
          new Writer() {
            @Override
            public void write(char[] chars, int off, int len) throws IOException {
              console.write(chars, off, len);
            }

            @Override
            public void flush() throws IOException {
              console.flush();
            }

            @Override
            public void close() throws IOException {
              console.flush();
            }
          });
    }
    return Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8);
  }
}

package io.flinklstm.cli;

import io.flinklstm.job.ScoringConfig;
import io.flinklstm.model.CellType;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of a categorical model trained from symbols, shared by {@code flink-lstm train} and
 * {@code flink-lstm sidecar} with {@code --input-kind symbols}.
 */
final class SymbolModelOptions {
  static final String[] NAMES = {"--max-vocabulary", "--embedding-size", "--cell", "--top-g"};

  @Spec(Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Option(
      names = "--max-vocabulary",
      defaultValue = "1000",
      description =
          "Symbols: most ids of a vocabulary, the out-of-vocabulary one included; rarer symbols stay out-of-vocabulary (default: ${DEFAULT-VALUE}).")
  int maxVocabulary;

  @Option(
      names = "--embedding-size",
      defaultValue = "16",
      description =
          "Symbols: embedding width of a model trained from scratch (default: ${DEFAULT-VALUE}).")
  int embeddingSize;

  @Option(
      names = "--cell",
      defaultValue = "lstm",
      description =
          "Symbols: recurrent cell of a model trained from scratch, lstm or rnn (default: ${DEFAULT-VALUE}).")
  CellType cell;

  @Option(
      names = "--top-g",
      defaultValue = "" + ScoringConfig.DEFAULT_TOP_G,
      description =
          "Symbols: g of the top-g rate reported with the held-out loss, as the job's --top-g (default: ${DEFAULT-VALUE}).")
  int topG;

  /** Refuses any of these options given with {@code --input-kind values}. */
  void refuseFor(InputKind kind) {
    if (kind == InputKind.SYMBOLS) {
      return;
    }
    CommandLine.ParseResult parsed = mixee.commandLine().getParseResult();
    for (String name : NAMES) {
      if (parsed.hasMatchedOption(name)) {
        throw new CommandLine.ParameterException(
            mixee.commandLine(), name + " needs --input-kind symbols");
      }
    }
  }
}

package io.flinklstm.cli;

import io.flinklstm.train.SymbolTraining;
import io.flinklstm.wire.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one key's symbol sequence for offline training of a categorical model from a CSV file, the
 * key being the file name without {@code .csv}.
 *
 * <p>The rules: the first non-blank line is a header naming the columns, one of which is {@code
 * symbol} (any case); every other column (a timestamp, say) is ignored. Each further non-blank line
 * is one event, with as many cells as the header, in time order; its symbol is the cell's text
 * without surrounding white space, 1 to {@value EventCodec#MAX_SYMBOL_LENGTH} characters, and holds
 * no comma or quote (cells are not quoted). So {@code timestamp,symbol} files as a log parser
 * writes them, and files of one {@code symbol} column, read as they are.
 */
final class SymbolCsv {
  static final String SYMBOL_COLUMN = "symbol";

  private SymbolCsv() {}

  /**
   * @throws IllegalArgumentException naming the file, the line and the cell if the file breaks a
   *     rule
   */
  static SymbolTraining.Sequence read(Path file) throws IOException {
    String source = file.toString();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      String line;
      String[] header = null;
      int column = -1;
      List<String> symbols = new ArrayList<>();
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (header == null) {
          header = cells;
          column = symbolColumn(source, lineNumber, header);
          continue;
        }
        if (cells.length != header.length) {
          throw error(source, lineNumber, cells.length + " cells, the header has " + header.length);
        }
        String symbol = cells[column].strip();
        if (symbol.isEmpty()) {
          throw error(source, lineNumber, "the symbol is empty");
        }
        if (symbol.indexOf('"') >= 0) {
          throw error(source, lineNumber, "the symbol holds a quote; cells are not quoted");
        }
        if (symbol.length() > EventCodec.MAX_SYMBOL_LENGTH) {
          throw error(
              source,
              lineNumber,
              "the symbol has "
                  + symbol.length()
                  + " characters, more than "
                  + EventCodec.MAX_SYMBOL_LENGTH);
        }
        symbols.add(symbol);
      }
      if (header == null || symbols.isEmpty()) {
        throw new IllegalArgumentException(source + ": no data rows under a header");
      }
      return new SymbolTraining.Sequence(SeriesCsv.key(file), symbols);
    }
  }

  private static int symbolColumn(String source, int line, String[] header) {
    int found = -1;
    for (int c = 0; c < header.length; c++) {
      if (header[c].strip().toLowerCase(Locale.ROOT).equals(SYMBOL_COLUMN)) {
        if (found >= 0) {
          throw error(source, line, "two columns are named '" + SYMBOL_COLUMN + "'");
        }
        found = c;
      }
    }
    if (found < 0) {
      throw error(source, line, "the header has no column named '" + SYMBOL_COLUMN + "'");
    }
    return found;
  }

  private static IllegalArgumentException error(String source, int line, String message) {
    return new IllegalArgumentException(source + " line " + line + ": " + message);
  }
}

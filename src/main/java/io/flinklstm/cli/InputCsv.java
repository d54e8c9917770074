package io.flinklstm.cli;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads a series of value vectors from CSV, one row per step, for commands that feed a model.
 *
 * <p>Every row holds {@code skip} ignored leading cells (a key or a timestamp, say) and then
 * exactly the model's D values. The first non-blank line is a header, and skipped, if any of its
 * value cells is not a number; blank lines are skipped anywhere. Values must be finite: a NaN fed
 * into a key's state would stay there for good.
 */
final class InputCsv {
  private final BufferedReader reader;
  private final String source;
  private final int columns;
  private final int skip;
  private int lineNumber;
  private boolean started;

  /**
   * @param source the file name, for messages
   * @param columns D, the values per row
   * @param skip leading cells to ignore in every row
   */
  InputCsv(BufferedReader reader, String source, int columns, int skip) {
    if (skip < 0) {
      throw new IllegalArgumentException("--skip-columns must be at least 0, was " + skip);
    }
    this.reader = reader;
    this.source = source;
    this.columns = columns;
    this.skip = skip;
  }

  /**
   * Reads the next row's values into {@code row}.
   *
   * @return false at the end of the input
   * @throws IllegalArgumentException naming the line and the cell if a row does not fit
   */
  boolean next(float[] row) throws IOException {
    String line = nextLine();
    if (line == null) {
      return false;
    }
    String[] cells = cells(line);
    for (int i = 0; i < columns; i++) {
      float v = parse(cells[skip + i]);
      if (!Float.isFinite(v)) {
        throw error("column " + (skip + i + 1) + " is '" + cells[skip + i].strip() + "'" + hint(v));
      }
      row[i] = v;
    }
    return true;
  }

  private String nextLine() throws IOException {
    String line;
    do {
      line = reader.readLine();
      lineNumber++;
    } while (line != null && line.isBlank());
    if (line != null && !started) {
      started = true;
      if (isHeader(line)) {
        return nextLine();
      }
    }
    return line;
  }

  private boolean isHeader(String line) {
    String[] cells = line.split(",", -1);
    for (int i = skip; i < cells.length; i++) {
      if (Float.isNaN(parse(cells[i])) && !cells[i].strip().equalsIgnoreCase("nan")) {
        return true;
      }
    }
    return false;
  }

  private String[] cells(String line) {
    String[] cells = line.split(",", -1);
    if (cells.length != skip + columns) {
      throw error(
          cells.length
              + " columns, expected "
              + (skip + columns)
              + (skip > 0 ? " (" + skip + " skipped, then " : " (")
              + columns
              + " values, the model's input size)");
    }
    return cells;
  }

  /** The value of a cell, or NaN where it is not a number. */
  private static float parse(String cell) {
    try {
      return Float.parseFloat(cell.strip());
    } catch (NumberFormatException e) {
      return Float.NaN;
    }
  }

  private static String hint(float v) {
    return Float.isNaN(v) ? ", not a finite number" : ", values must be finite";
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(source + " line " + lineNumber + ": " + message);
  }
}

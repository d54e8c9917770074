package io.flinklstm.cli;

import io.flinklstm.train.Series;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one key's series for offline training from a CSV file, the key being the file name without
 * {@code .csv}.
 *
 * <p>The rules: the first non-blank line is a header naming the columns. The first column is a
 * timestamp, and skipped, when its name is {@code timestamp}, {@code time}, {@code ts}, {@code
 * date} or {@code datetime} (any case), or when its first data cell is not a number (as NAB's
 * {@code 2014-07-01 00:00:00}); timestamps are not parsed, and rows are taken in file order, which
 * must be time order. Every other column is a value column and must hold a finite number in every
 * row. Blank lines are skipped. So both NAB's {@code timestamp,value} files and multivariate files
 * such as {@code ts,cpu,mem,disk} read as they are.
 */
final class SeriesCsv {
  private static final Set<String> TIME_COLUMNS =
      Set.of("timestamp", "time", "ts", "date", "datetime");

  /** The value columns' names and the series. */
  record Result(List<String> columns, Series series) {}

  private SeriesCsv() {}

  /**
   * @throws IllegalArgumentException naming the file, the line and the cell if the file breaks a
   *     rule
   */
  static Result read(Path file) throws IOException {
    String source = file.toString();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      String line;
      String[] header = null;
      int skip = -1;
      int columns = 0;
      float[] values = new float[1024];
      int count = 0;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (header == null) {
          header = cells;
          continue;
        }
        if (cells.length != header.length) {
          throw error(
              source, lineNumber, cells.length + " columns, the header has " + header.length);
        }
        if (skip < 0) {
          skip = isTimeColumn(header[0], cells[0]) ? 1 : 0;
          columns = header.length - skip;
          if (columns == 0) {
            throw error(source, lineNumber, "no value columns after the timestamp");
          }
        }
        if (count + columns > values.length) {
          values = Arrays.copyOf(values, Math.max(2 * values.length, count + columns));
        }
        for (int c = 0; c < columns; c++) {
          String cell = cells[skip + c].strip();
          float v = parse(cell);
          if (!Float.isFinite(v)) {
            throw error(
                source,
                lineNumber,
                "column '" + header[skip + c].strip() + "' is '" + cell + "', not a finite number");
          }
          values[count++] = v;
        }
      }
      if (header == null || count == 0) {
        throw new IllegalArgumentException(source + ": no data rows under a header");
      }
      List<String> names = Arrays.stream(header, skip, header.length).map(String::strip).toList();
      return new Result(names, new Series(key(file), columns, Arrays.copyOf(values, count)));
    }
  }

  /** The file name without its .csv extension. */
  static String key(Path file) {
    String name = file.getFileName().toString();
    return name.toLowerCase(Locale.ROOT).endsWith(".csv")
        ? name.substring(0, name.length() - 4)
        : name;
  }

  private static boolean isTimeColumn(String name, String firstCell) {
    return TIME_COLUMNS.contains(name.strip().toLowerCase(Locale.ROOT))
        || Float.isNaN(parse(firstCell.strip()));
  }

  /** The cell's value, or NaN if it is not a number. */
  private static float parse(String cell) {
    try {
      return Float.parseFloat(cell);
    } catch (NumberFormatException e) {
      return Float.NaN;
    }
  }

  private static IllegalArgumentException error(String source, int line, String message) {
    return new IllegalArgumentException(source + " line " + line + ": " + message);
  }
}

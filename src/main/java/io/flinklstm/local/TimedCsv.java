package io.flinklstm.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads folders of time-stamped CSV files, one key per file.
 *
 * <p>Every file starts with a header whose first column is the time and whose other columns name
 * the values: NAB's {@code timestamp,value}, or a multivariate {@code timestamp,cpu,mem,...}. A
 * time is {@code yyyy-MM-dd HH:mm:ss} with optional fractional seconds, taken as UTC (NAB's
 * layout), an ISO-8601 instant ({@code 2014-04-01T00:00:00Z}), or epoch milliseconds. Rows are kept
 * in file order, which should be time order; a row whose time goes back (a few of NAB's files have
 * one) is kept where it is, and {@link ReplayOrder} sends it right after its predecessor. Values
 * must be finite numbers; blank lines are skipped. A file's key is its path below the folder
 * without {@code .csv}, so {@code realTraffic/speed_7578.csv} is the key {@code
 * realTraffic/speed_7578}. Every broken rule is an error naming the file and the line.
 */
public final class TimedCsv {
  private static final DateTimeFormatter LOCAL_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter();

  private TimedCsv() {}

  /**
   * Every {@code .csv} file below {@code dir}, in the order of their keys; all must have the same
   * number of value columns.
   *
   * @throws IllegalArgumentException if there is none, the files differ in width, or one breaks a
   *     rule
   */
  public static List<TimedSeries> readFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--input " + dir + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv"))
              .sorted(Comparator.comparing(p -> keyOf(dir, p)))
              .toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no .csv file below " + dir);
    }
    List<TimedSeries> all = new ArrayList<>();
    for (Path f : files) {
      TimedSeries s = read(f, keyOf(dir, f));
      if (!all.isEmpty() && s.width() != all.get(0).width()) {
        throw new IllegalArgumentException(
            f
                + " has "
                + s.width()
                + " value columns but "
                + all.get(0).key()
                + " has "
                + all.get(0).width()
                + ": one folder feeds one model");
      }
      all.add(s);
    }
    return all;
  }

  /** The key of a file below {@code dir}: its relative path without {@code .csv}. */
  public static String keyOf(Path dir, Path file) {
    String relative = dir.relativize(file).toString().replace('\\', '/');
    return relative.substring(0, relative.length() - ".csv".length());
  }

  /** Reads one file as the series of {@code key}. */
  public static TimedSeries read(Path file, String key) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<String> columns = null;
      List<Long> times = new ArrayList<>();
      List<float[]> rows = new ArrayList<>();
      int lineNumber = 0;
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (columns == null) {
          if (cells.length < 2) {
            throw error(file, lineNumber, "the header needs a time column and a value column");
          }
          columns = Arrays.stream(cells).skip(1).map(String::strip).toList();
          continue;
        }
        if (cells.length != columns.size() + 1) {
          throw error(
              file,
              lineNumber,
              cells.length + " cells, expected " + (columns.size() + 1) + " as in the header");
        }
        long t = parseTime(cells[0].strip(), file, lineNumber);
        float[] values = new float[columns.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = parseValue(cells[i + 1].strip(), file, lineNumber, i + 2);
        }
        times.add(t);
        rows.add(values);
      }
      if (columns == null) {
        throw new IllegalArgumentException(file + " is empty");
      }
      return new TimedSeries(
          key,
          columns,
          times.stream().mapToLong(Long::longValue).toArray(),
          rows.toArray(new float[0][]));
    }
  }

  /**
   * Parses a time as this class's files write it.
   *
   * @throws IllegalArgumentException if it is none of the accepted forms
   */
  public static long parseTime(String text) {
    if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(text);
    }
    try {
      if (text.endsWith("Z")) {
        return Instant.parse(text).toEpochMilli();
      }
      return LocalDateTime.parse(text, LOCAL_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "time '"
              + text
              + "' is neither 'yyyy-MM-dd HH:mm:ss' (UTC), an ISO-8601 instant nor epoch"
              + " milliseconds");
    }
  }

  private static long parseTime(String text, Path file, int line) {
    try {
      return parseTime(text);
    } catch (IllegalArgumentException e) {
      throw error(file, line, e.getMessage());
    }
  }

  private static float parseValue(String text, Path file, int line, int column) {
    float v;
    try {
      v = Float.parseFloat(text);
    } catch (NumberFormatException e) {
      throw error(file, line, "column " + column + " is '" + text + "', not a number");
    }
    if (!Float.isFinite(v)) {
      throw error(file, line, "column " + column + " is '" + text + "', not a finite number");
    }
    return v;
  }

  private static IllegalArgumentException error(Path file, int line, String message) {
    return new IllegalArgumentException(file + ", line " + line + ": " + message);
  }
}

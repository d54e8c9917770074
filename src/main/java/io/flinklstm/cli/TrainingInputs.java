package io.flinklstm.cli;

import io.flinklstm.train.SequenceSet;
import io.flinklstm.train.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The {@code --input} arguments of {@code train} read into one {@link SequenceSet}: files as they
 * are, directories as their {@code *.csv} files (not recursive) in name order, each file one key.
 */
final class TrainingInputs {
  private TrainingInputs() {}

  /**
   * @throws IllegalArgumentException if an input is missing, a directory has no CSV file, a file
   *     breaks {@link SeriesCsv}'s rules, two files have the same key, or files disagree on their
   *     value columns
   */
  static SequenceSet read(List<Path> inputs) throws IOException {
    List<Path> files = files(inputs);
    List<Series> series = new ArrayList<>();
    List<String> columns = null;
    Path first = null;
    for (Path file : files) {
      SeriesCsv.Result r = SeriesCsv.read(file);
      if (columns == null) {
        columns = r.columns();
        first = file;
      } else if (!columns.equals(r.columns())) {
        throw new IllegalArgumentException(
            file
                + ": value columns "
                + r.columns()
                + " differ from "
                + columns
                + " in "
                + first
                + "; one model needs the same features in every file");
      }
      for (Series s : series) {
        if (s.key().equals(r.series().key())) {
          throw new IllegalArgumentException(
              file + ": the key '" + s.key() + "' comes from two files; keys are file names");
        }
      }
      series.add(r.series());
    }
    return new SequenceSet(columns.size(), series);
  }

  /**
   * The files the inputs name: files as they are, directories as their {@code *.csv} files in name
   * order.
   *
   * @throws IllegalArgumentException if an input is missing or a directory has no CSV file
   */
  static List<Path> files(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        List<Path> csvs = csvFiles(input);
        if (csvs.isEmpty()) {
          throw new IllegalArgumentException(input + ": no .csv files in this directory");
        }
        files.addAll(csvs);
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        throw new IllegalArgumentException(input + ": no such file or directory");
      }
    }
    return files;
  }

  private static List<Path> csvFiles(Path dir) throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
          .sorted()
          .toList();
    }
  }
}

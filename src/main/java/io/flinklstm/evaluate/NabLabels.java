package io.flinklstm.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NAB's {@code labels/combined_windows.json}: for each data file (its path below {@code data/}, for
 * instance {@code realTraffic/speed_7578.csv}) the list of anomaly windows {@code [start, end]}, as
 * {@code yyyy-MM-dd HH:mm:ss[.ffffff]} times in UTC.
 */
public final class NabLabels {
  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter();

  private NabLabels() {}

  /**
   * The windows of every file, by file name.
   *
   * @throws IllegalArgumentException naming the file and the entry if the JSON is not of this form
   */
  public static Map<String, List<NabFile.Window>> read(Path json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(json));
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(json + ": expected an object of file names");
    }
    Map<String, List<NabFile.Window>> windows = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isArray()) {
        throw new IllegalArgumentException(json + ": '" + e.getKey() + "' is not a list");
      }
      List<NabFile.Window> list = new ArrayList<>();
      for (JsonNode pair : e.getValue()) {
        if (!pair.isArray() || pair.size() != 2) {
          throw new IllegalArgumentException(
              json + ": '" + e.getKey() + "' holds " + pair + ", not a [start, end] pair");
        }
        list.add(
            new NabFile.Window(
                parseTime(pair.get(0).asText(), json), parseTime(pair.get(1).asText(), json)));
      }
      windows.put(e.getKey(), List.copyOf(list));
    }
    return windows;
  }

  /** A NAB time, {@code yyyy-MM-dd HH:mm:ss[.ffffff]} in UTC, as epoch milliseconds. */
  public static long parseTime(String text) {
    return LocalDateTime.parse(text.strip(), TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** The inverse of {@link #parseTime} at whole seconds: NAB's data file layout. */
  public static String formatTime(long epochMillis) {
    return LocalDateTime.ofEpochSecond(
            Math.floorDiv(epochMillis, 1000),
            (int) Math.floorMod(epochMillis, 1000) * 1_000_000,
            ZoneOffset.UTC)
        .format(
            Math.floorMod(epochMillis, 1000) == 0
                ? DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
  }

  private static long parseTime(String text, Path source) {
    try {
      return parseTime(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          source + ": time '" + text + "' is not 'yyyy-MM-dd HH:mm:ss[.ffffff]'");
    }
  }
}

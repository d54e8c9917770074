package io.flinklstm.cli;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

/**
 * Reads durations as Flink does: {@code 500ms}, {@code 10s}, {@code 5min}, {@code 1h}, {@code 2d}.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return TimeUtils.parseDuration(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (examples: 500ms, 10s, 5min, 1h)");
    }
  }
}

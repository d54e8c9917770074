package io.flinklstm.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an event falls in the day and the week, as inputs a numeric model takes beside its values:
 * the contextual part of a series that a window of recent values cannot see (a quiet night, a
 * Monday morning).
 *
 * <p>Each period adds two inputs, the sine and cosine of the event's phase in it, so the end of a
 * period meets its start without a jump. The phase is taken in local time of {@link #zone}: a day
 * runs from midnight to midnight, a week from Monday 00:00 to Monday 00:00, daylight saving time
 * included. The inputs come after the values in a model's step ({@link LstmModel#stepSize()}) and
 * are not normalised: they lie in [−1, 1] already. Derived from the event's timestamp alone, so the
 * job and the training sidecar derive the same inputs from the same events.
 *
 * @param periods the periods encoded, each once, in the order written: none for a model without
 *     time inputs
 * @param zone the time zone whose local time the phases are taken in
 */
public record TimeFeatures(List<Period> periods, ZoneId zone) {

  /** A period whose phase is encoded, with the name the command line and model files use. */
  public enum Period {
    /** The time of day, local midnight to midnight. */
    DAY("day", 86_400_000L),
    /** The time of week, local Monday 00:00 to Monday 00:00. */
    WEEK("week", 7 * 86_400_000L);

    private final String id;
    private final long millis;

    Period(String id, long millis) {
      this.id = id;
      this.millis = millis;
    }

    public String id() {
      return id;
    }

    /**
     * @throws IllegalArgumentException naming the known periods
     */
    public static Period parse(String text) {
      for (Period p : values()) {
        if (p.id.equals(text.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new IllegalArgumentException(
          "time feature '" + text + "' is unknown; expected 'day' or 'week'");
    }
  }

  /** No time inputs: the model sees values only. */
  public static final TimeFeatures NONE = new TimeFeatures(List.of(), ZoneOffset.UTC);

  /** The time of day in UTC. */
  public static final TimeFeatures DAY_UTC = new TimeFeatures(List.of(Period.DAY), ZoneOffset.UTC);

  /**
   * What the sidecar, {@code evaluate} and the demo give the models they train unless told
   * otherwise: the time of day in UTC. Most operational series follow a day; a model for which the
   * day means nothing learns to give these inputs no weight.
   */
  public static final TimeFeatures DEFAULT = DAY_UTC;

  /** 1970-01-05, the first Monday after the epoch, in milliseconds of local time. */
  private static final long FIRST_MONDAY = 4 * 86_400_000L;

  private static final double TWO_PI = 2 * Math.PI;

  /**
   * Without periods the zone plays no part and is UTC; a zone of fixed offset is that offset, so
   * equal inputs compare equal however they were named.
   */
  public TimeFeatures {
    periods = List.copyOf(periods);
    if (zone == null) {
      throw new IllegalArgumentException("a time zone must be given");
    }
    zone = periods.isEmpty() ? ZoneOffset.UTC : zone.normalized();
    if (periods.size() != periods.stream().distinct().count()) {
      throw new IllegalArgumentException("time features repeat a period: " + periods);
    }
  }

  /**
   * Parses the command line's form: {@code none}, or periods separated by commas ({@code day},
   * {@code week}, {@code day,week}), with a zone id such as {@code UTC} or {@code Europe/Paris}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static TimeFeatures parse(String periods, String zone) {
    ZoneId zoneId = zone(zone);
    List<Period> list = new ArrayList<>();
    if (!periods.trim().equalsIgnoreCase("none")) {
      for (String part : periods.split(",", -1)) {
        list.add(Period.parse(part));
      }
    }
    return new TimeFeatures(list, zoneId);
  }

  /**
   * A zone by its id ({@code UTC}, {@code Europe/Paris}, {@code +05:30}).
   *
   * @throws IllegalArgumentException if no such zone is known
   */
  public static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time zone '" + id + "' is unknown: " + e.getMessage());
    }
  }

  /** The zone's id as model files and messages write it: {@code UTC} for UTC. */
  public String zoneId() {
    return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  /** Whether the model takes time inputs at all. */
  public boolean any() {
    return !periods.isEmpty();
  }

  /** The number of inputs added to each step: two per period. */
  public int width() {
    return 2 * periods.size();
  }

  /** The periods as the command line writes them: {@code none}, {@code day}, {@code day,week}. */
  public String periodsText() {
    if (periods.isEmpty()) {
      return "none";
    }
    StringBuilder s = new StringBuilder();
    for (Period p : periods) {
      s.append(s.length() == 0 ? "" : ",").append(p.id());
    }
    return s.toString();
  }

  /**
   * Writes the {@link #width()} inputs of an event at {@code ts} (epoch milliseconds) into {@code
   * out[offset, offset + width())}: per period, sin and cos of 2π · phase.
   */
  public void encode(long ts, float[] out, int offset) {
    if (periods.isEmpty()) {
      return;
    }
    long local = ts + offsetMillis(ts);
    for (int p = 0; p < periods.size(); p++) {
      Period period = periods.get(p);
      long since =
          Math.floorMod(period == Period.WEEK ? local - FIRST_MONDAY : local, period.millis);
      double angle = TWO_PI * since / period.millis;
      out[offset + 2 * p] = (float) Math.sin(angle);
      out[offset + 2 * p + 1] = (float) Math.cos(angle);
    }
  }

  /** The zone's offset from UTC at {@code ts}, in milliseconds. */
  private long offsetMillis(long ts) {
    if (zone instanceof ZoneOffset fixed) {
      return fixed.getTotalSeconds() * 1000L;
    }
    ZoneRules rules = zone.getRules();
    return rules.getOffset(Instant.ofEpochMilli(ts)).getTotalSeconds() * 1000L;
  }

  @Override
  public String toString() {
    return periodsText() + (periods.isEmpty() ? "" : " in " + zoneId());
  }
}

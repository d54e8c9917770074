package io.flinklstm.demo;

import io.flinklstm.wire.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic log-key workload: hosts of a few kinds ({@link LogKeyHostType}) run sessions that
 * follow fixed state machines and send heartbeats while idle; every log line is one symbol event
 * ({@code {"key": host, "ts": ..., "symbol": log key}}). Deterministic for a seed.
 *
 * <p>Each host's stream has a clean part of {@link Settings#trainingEventsPerHost} events, to train
 * on, then {@link Settings#evaluationEventsPerHost} events in which sessions are altered, at rate
 * {@link Settings#anomalyRate} per session, by one of the {@link LogKeyAnomaly} kinds: the first
 * two events swapped, the second event dropped, or an unknown log key inserted. No anomaly falls in
 * the first {@link Settings#quietEventsPerHost} evaluation events of a host (a detector's warm-up),
 * and two anomalies of one host are at least {@link #MIN_SESSIONS_APART} sessions apart, so their
 * windows never overlap. Every anomaly is labelled ({@link LogKeyLabel}).
 *
 * <pre>{@code
 * LogKeyWorkload w = LogKeyWorkload.generate(LogKeyWorkload.Settings.defaults(7));
 * w.training().forEach(pipeline::send);     // clean, time order across hosts
 * w.evaluation().forEach(pipeline::send);   // with anomalies
 * boolean hit = w.labelOf(score.key, score.ts) != null;
 * }</pre>
 */
public final class LogKeyWorkload {
  /** Fewest sessions between two anomalies of one host. */
  public static final int MIN_SESSIONS_APART = 3;

  /** Events after the anomalous ones that a label's window includes. */
  public static final int ECHO_EVENTS = 1;

  private static final long HEARTBEAT_MILLIS = 10_000;

  /**
   * What to generate.
   *
   * @param seed fixes everything
   * @param hostsPerType hosts of each {@link LogKeyHostType}
   * @param trainingEventsPerHost clean events of each host, first
   * @param evaluationEventsPerHost events of each host after those, with anomalies
   * @param quietEventsPerHost evaluation events of each host before its first anomaly
   * @param anomalyRate the chance that an evaluation session (once allowed) is altered
   * @param startMillis the earliest timestamp
   * @param model the model name events carry, or null for the job's default model
   */
  public record Settings(
      long seed,
      int hostsPerType,
      int trainingEventsPerHost,
      int evaluationEventsPerHost,
      int quietEventsPerHost,
      double anomalyRate,
      long startMillis,
      String model) {

    public Settings {
      if (hostsPerType < 1) {
        throw new IllegalArgumentException(
            "hosts per type must be at least 1, was " + hostsPerType);
      }
      if (trainingEventsPerHost < 0 || evaluationEventsPerHost < 0 || quietEventsPerHost < 0) {
        throw new IllegalArgumentException("event counts must not be negative");
      }
      if (!(anomalyRate >= 0 && anomalyRate <= 1)) {
        throw new IllegalArgumentException(
            "the anomaly rate must lie in [0, 1], was " + anomalyRate);
      }
    }

    /**
     * 8 hosts of each type, 400 clean and 400 evaluation events each, a quarter of sessions hit.
     */
    public static Settings defaults(long seed) {
      return new Settings(seed, 8, 400, 400, 40, 0.25, 1_767_225_600_000L, null);
    }
  }

  private final Settings settings;
  private final List<Event> training;
  private final List<Event> evaluation;
  private final List<LogKeyLabel> labels;
  private final List<String> hosts;

  private LogKeyWorkload(
      Settings settings,
      List<Event> training,
      List<Event> evaluation,
      List<LogKeyLabel> labels,
      List<String> hosts) {
    this.settings = settings;
    this.training = List.copyOf(training);
    this.evaluation = List.copyOf(evaluation);
    this.labels = List.copyOf(labels);
    this.hosts = List.copyOf(hosts);
  }

  public static LogKeyWorkload generate(Settings settings) {
    SplittableRandom root = new SplittableRandom(settings.seed());
    List<LogKeyHost.Timed> train = new ArrayList<>();
    List<LogKeyHost.Timed> eval = new ArrayList<>();
    List<LogKeyLabel> labels = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    int index = 0;
    for (LogKeyHostType type : LogKeyHostType.values()) {
      for (int h = 0; h < settings.hostsPerType(); h++) {
        String name = String.format("%s-%02d", type.prefix(), h + 1);
        hosts.add(name);
        LogKeyHost host = new LogKeyHost(name, index++, type, root.split(), settings);
        host.run();
        train.addAll(host.training());
        eval.addAll(host.evaluation());
        labels.addAll(host.labels());
      }
    }
    labels.sort(Comparator.comparingLong(LogKeyLabel::startTs).thenComparing(LogKeyLabel::key));
    return new LogKeyWorkload(
        settings, events(train, settings.model()), events(eval, settings.model()), labels, hosts);
  }

  private static List<Event> events(List<LogKeyHost.Timed> timed, String model) {
    List<LogKeyHost.Timed> sorted = new ArrayList<>(timed);
    sorted.sort(
        Comparator.comparingLong(LogKeyHost.Timed::ts).thenComparingInt(LogKeyHost.Timed::host));
    List<Event> out = new ArrayList<>(sorted.size());
    for (LogKeyHost.Timed t : sorted) {
      out.add(Event.ofSymbol(t.key(), t.ts(), t.symbol(), model));
    }
    return out;
  }

  /** The clean events of every host, in time order across hosts. */
  public List<Event> training() {
    return training;
  }

  /** The events after the clean ones, anomalies included, in time order across hosts. */
  public List<Event> evaluation() {
    return evaluation;
  }

  /** Training then evaluation events: each host's stream in order. */
  public List<Event> events() {
    List<Event> all = new ArrayList<>(training.size() + evaluation.size());
    all.addAll(training);
    all.addAll(evaluation);
    return Collections.unmodifiableList(all);
  }

  /** Every injected anomaly, by start time. */
  public List<LogKeyLabel> labels() {
    return labels;
  }

  /** The host names, in generation order. */
  public List<String> hosts() {
    return hosts;
  }

  /** Every host's events, training and evaluation, in {@link #hosts()} order. */
  public List<SymbolTimeline> timelines() {
    Map<String, List<Event>> byHost = new HashMap<>();
    for (Event e : events()) {
      byHost.computeIfAbsent(e.key, k -> new ArrayList<>()).add(e);
    }
    List<SymbolTimeline> out = new ArrayList<>(hosts.size());
    for (String host : hosts) {
      List<Event> events = byHost.getOrDefault(host, List.of());
      long[] ts = new long[events.size()];
      String[] symbols = new String[events.size()];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = events.get(i).ts;
        symbols[i] = events.get(i).symbol;
      }
      out.add(new SymbolTimeline(host, ts, symbols));
    }
    return out;
  }

  /** The label whose window holds the event of {@code key} at {@code ts}, or null. */
  public LogKeyLabel labelOf(String key, long ts) {
    for (LogKeyLabel l : labels) {
      if (l.covers(key, ts)) {
        return l;
      }
    }
    return null;
  }

  static long heartbeatMillis() {
    return HEARTBEAT_MILLIS;
  }
}

package io.flinklstm.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One host of a {@link LogKeyWorkload}: its timeline of idle heartbeats and sessions, with the
 * anomalies injected into its evaluation part and their labels.
 */
final class LogKeyHost {
  /** One log line of one host. */
  record Timed(String key, int host, long ts, String symbol) {}

  private final String name;
  private final int index;
  private final LogKeyHostType type;
  private final SplittableRandom random;
  private final LogKeyWorkload.Settings settings;
  private final List<Timed> timeline = new ArrayList<>();
  private final List<LogKeyLabel> labels = new ArrayList<>();
  // Per injected anomaly: first and last anomalous index in the timeline, and the kind's ordinal.
  private final List<int[]> pendingLabels = new ArrayList<>();
  private long now;

  LogKeyHost(
      String name,
      int index,
      LogKeyHostType type,
      SplittableRandom random,
      LogKeyWorkload.Settings settings) {
    this.name = name;
    this.index = index;
    this.type = type;
    this.random = random;
    this.settings = settings;
    this.now = settings.startMillis() + random.nextLong(10_000);
  }

  void run() {
    int training = settings.trainingEventsPerHost();
    int total = training + settings.evaluationEventsPerHost();
    int firstAllowed = training + settings.quietEventsPerHost();
    int sessionsSinceAnomaly = LogKeyWorkload.MIN_SESSIONS_APART;
    while (timeline.size() < total) {
      idle();
      List<String> session = type.session(random);
      LogKeyAnomaly kind = null;
      if (timeline.size() >= firstAllowed
          && sessionsSinceAnomaly >= LogKeyWorkload.MIN_SESSIONS_APART
          && random.nextDouble() < settings.anomalyRate()) {
        kind = LogKeyAnomaly.values()[random.nextInt(LogKeyAnomaly.values().length)];
        sessionsSinceAnomaly = 0;
      } else {
        sessionsSinceAnomaly++;
      }
      int[] affected = kind == null ? null : inject(kind, session);
      int base = timeline.size();
      for (String symbol : session) {
        now += 200 + random.nextLong(1_300);
        timeline.add(new Timed(name, index, now, symbol));
      }
      if (kind != null) {
        pendingLabels.add(new int[] {base + affected[0], base + affected[1], kind.ordinal()});
      }
    }
    while (timeline.size() > total) {
      timeline.remove(timeline.size() - 1);
    }
    for (int[] p : pendingLabels) {
      if (p[0] >= timeline.size()) {
        continue;
      }
      int end = Math.min(timeline.size() - 1, p[1] + LogKeyWorkload.ECHO_EVENTS);
      labels.add(
          new LogKeyLabel(
              name, timeline.get(p[0]).ts(), timeline.get(end).ts(), LogKeyAnomaly.values()[p[2]]));
    }
  }

  /** Heartbeats every period while idle; idle spells of 5 to 45 seconds. */
  private void idle() {
    long until = now + 5_000 + random.nextLong(40_000);
    long beat = LogKeyWorkload.heartbeatMillis();
    for (long t = now + beat; t < until; t += beat) {
      timeline.add(new Timed(name, index, t, LogKeyHostType.HEARTBEAT));
    }
    now = until;
  }

  /** Alters the session in place; returns the first and last index of the anomalous events. */
  private int[] inject(LogKeyAnomaly kind, List<String> session) {
    switch (kind) {
      case OUT_OF_ORDER:
        Collections.swap(session, 0, 1);
        return new int[] {0, 1};
      case MISSING:
        session.remove(1);
        return new int[] {1, 1};
      case UNKNOWN:
      default:
        int at = 1 + random.nextInt(session.size() - 1);
        List<String> unknown = LogKeyHostType.UNKNOWN_KEYS;
        session.add(at, unknown.get(random.nextInt(unknown.size())));
        return new int[] {at, at};
    }
  }

  List<Timed> training() {
    return timeline.subList(0, Math.min(timeline.size(), settings.trainingEventsPerHost()));
  }

  List<Timed> evaluation() {
    return timeline.subList(
        Math.min(timeline.size(), settings.trainingEventsPerHost()), timeline.size());
  }

  List<LogKeyLabel> labels() {
    return labels;
  }
}

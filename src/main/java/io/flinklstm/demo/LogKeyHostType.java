package io.flinklstm.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The state machines of {@link LogKeyWorkload}'s hosts: what one session of each kind of host logs,
 * and the heartbeat an idle host sends. Every session opens with two fixed events (so swapping
 * them, or dropping the second, breaks the machine), then a variable body, then a fixed close.
 */
public enum LogKeyHostType {
  /** conn.open → auth.ok → (http.get | http.post){1..6} → conn.close */
  WEB("web") {
    @Override
    List<String> session(SplittableRandom random) {
      List<String> s = new ArrayList<>(List.of("conn.open", "auth.ok"));
      int requests = 1 + random.nextInt(6);
      for (int i = 0; i < requests; i++) {
        s.add(random.nextInt(3) == 0 ? "http.post" : "http.get");
      }
      s.add("conn.close");
      return s;
    }
  },
  /** db.connect → db.auth → tx.begin → (sql.select | sql.update){1..4} → tx.commit → db.close */
  DATABASE("db") {
    @Override
    List<String> session(SplittableRandom random) {
      List<String> s = new ArrayList<>(List.of("db.connect", "db.auth", "tx.begin"));
      int statements = 1 + random.nextInt(4);
      for (int i = 0; i < statements; i++) {
        s.add(random.nextBoolean() ? "sql.select" : "sql.update");
      }
      s.add("tx.commit");
      s.add("db.close");
      return s;
    }
  },
  /** job.schedule → job.start → step.run{2..5} → job.done → job.report */
  BATCH("batch") {
    @Override
    List<String> session(SplittableRandom random) {
      List<String> s = new ArrayList<>(List.of("job.schedule", "job.start"));
      int steps = 2 + random.nextInt(4);
      for (int i = 0; i < steps; i++) {
        s.add("step.run");
      }
      s.add("job.done");
      s.add("job.report");
      return s;
    }
  };

  /** What an idle host logs every heartbeat period. */
  public static final String HEARTBEAT = "heartbeat";

  /** Log keys no host emits in normal operation; the UNKNOWN anomaly draws from them. */
  public static final List<String> UNKNOWN_KEYS =
      List.of("kernel.oops", "disk.io_error", "oom.kill", "cert.expired", "segfault");

  private final String prefix;

  LogKeyHostType(String prefix) {
    this.prefix = prefix;
  }

  /** The start of this type's host names: {@code web}, {@code db}, {@code batch}. */
  public String prefix() {
    return prefix;
  }

  /** One normal session's log keys, in order. */
  abstract List<String> session(SplittableRandom random);
}

package io.flinklstm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.wire.Event;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The synthetic log-key workload: deterministic, ordered, labelled as documented. */
class LogKeyWorkloadTest {
  private static final LogKeyWorkload.Settings SETTINGS = LogKeyWorkload.Settings.defaults(11);
  private static final LogKeyWorkload WORKLOAD = LogKeyWorkload.generate(SETTINGS);

  @Test
  void theSameSeedGivesTheSameWorkloadAndAnotherSeedAnother() {
    LogKeyWorkload again = LogKeyWorkload.generate(SETTINGS);
    assertThat(again.events()).isEqualTo(WORKLOAD.events());
    assertThat(again.labels()).isEqualTo(WORKLOAD.labels());
    assertThat(LogKeyWorkload.generate(LogKeyWorkload.Settings.defaults(12)).events())
        .isNotEqualTo(WORKLOAD.events());
  }

  @Test
  void eachPartIsInTimeOrderAndEachHostHasItsEventCounts() {
    assertThat(WORKLOAD.training()).isSortedAccordingTo((a, b) -> Long.compare(a.ts, b.ts));
    assertThat(WORKLOAD.evaluation()).isSortedAccordingTo((a, b) -> Long.compare(a.ts, b.ts));
    int hosts = 3 * SETTINGS.hostsPerType();
    assertThat(WORKLOAD.hosts()).hasSize(hosts);
    assertThat(WORKLOAD.training()).hasSize(hosts * SETTINGS.trainingEventsPerHost());
    assertThat(WORKLOAD.evaluation()).hasSize(hosts * SETTINGS.evaluationEventsPerHost());
    Map<String, Long> last = new HashMap<>();
    for (Event e : WORKLOAD.events()) {
      assertThat(e.ts).isGreaterThan(last.getOrDefault(e.key, Long.MIN_VALUE));
      last.put(e.key, e.ts);
      assertThat(e.symbol).isNotBlank();
      assertThat(e.values).isNull();
    }
  }

  @Test
  void theTrainingPartIsCleanAndEveryAnomalyIsLabelled() {
    Set<String> unknown = Set.copyOf(LogKeyHostType.UNKNOWN_KEYS);
    assertThat(WORKLOAD.training()).noneMatch(e -> unknown.contains(e.symbol));
    long firstEvaluation = WORKLOAD.evaluation().stream().mapToLong(e -> e.ts).min().orElseThrow();
    Map<String, List<Event>> byHost =
        WORKLOAD.evaluation().stream().collect(Collectors.groupingBy(e -> e.key));
    for (LogKeyLabel label : WORKLOAD.labels()) {
      assertThat(label.startTs()).isGreaterThanOrEqualTo(firstEvaluation);
      List<Event> host = byHost.get(label.key());
      int first = indexOf(host, label.startTs());
      assertThat(first).isGreaterThanOrEqualTo(SETTINGS.quietEventsPerHost());
      List<Event> window =
          host.stream().filter(e -> label.covers(e.key, e.ts)).collect(Collectors.toList());
      assertThat(window)
          .hasSizeBetween(1 + LogKeyWorkload.ECHO_EVENTS, 2 + LogKeyWorkload.ECHO_EVENTS);
      if (label.kind() == LogKeyAnomaly.UNKNOWN) {
        assertThat(unknown).contains(window.get(0).symbol);
      }
    }
    for (Event e : WORKLOAD.evaluation()) {
      if (unknown.contains(e.symbol)) {
        assertThat(WORKLOAD.labelOf(e.key, e.ts)).isNotNull();
      }
    }
    Map<LogKeyAnomaly, Long> kinds = new EnumMap<>(LogKeyAnomaly.class);
    WORKLOAD.labels().forEach(l -> kinds.merge(l.kind(), 1L, Long::sum));
    assertThat(kinds.keySet()).containsExactlyInAnyOrder(LogKeyAnomaly.values());
    assertThat(WORKLOAD.labels().size()).isGreaterThan(50);
  }

  @Test
  void aSwappedSessionStartsWithItsSecondEvent() {
    LogKeyLabel swap =
        WORKLOAD.labels().stream()
            .filter(l -> l.kind() == LogKeyAnomaly.OUT_OF_ORDER && l.key().startsWith("web"))
            .findFirst()
            .orElseThrow();
    List<String> window =
        WORKLOAD.evaluation().stream()
            .filter(e -> swap.covers(e.key, e.ts))
            .map(e -> e.symbol)
            .collect(Collectors.toList());
    assertThat(window.subList(0, 2)).containsExactly("auth.ok", "conn.open");
  }

  private static int indexOf(List<Event> events, long ts) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).ts == ts) {
        return i;
      }
    }
    return -1;
  }
}

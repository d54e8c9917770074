package io.flinklstm.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.wire.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayOrderTest {
  private static final TimedSeries A = series("a", 10, 20, 20, 40);
  private static final TimedSeries B = series("b", 5, 20, 30);
  private static final TimedSeries C = series("c", 100, 200);

  @Test
  void byTimeMergesAcrossKeysBreakingTiesByKeyAndKeepingEachKeysOrder() {
    List<ReplayOrder.Row> order = ReplayOrder.byTime(List.of(A, B, C));

    assertThat(order)
        .containsExactly(
            row(1, 0), // b@5
            row(0, 0), // a@10
            row(0, 1), // a@20
            row(0, 2), // a@20 again: a's own order before b@20
            row(1, 1), // b@20
            row(1, 2), // b@30
            row(0, 3), // a@40
            row(2, 0), row(2, 1));
  }

  @Test
  void byTimeSendsARowWhoseTimeGoesBackRightAfterItsPredecessor() {
    TimedSeries back = series("back", 10, 30, 15, 40);
    TimedSeries other = series("other", 20, 35);

    assertThat(ReplayOrder.byTime(List.of(back, other)))
        .containsExactly(row(0, 0), row(1, 0), row(0, 1), row(0, 2), row(1, 1), row(0, 3));
  }

  @Test
  void byPositionInterleavesSeriesOfDifferentPeriodsAndLengths() {
    List<ReplayOrder.Row> order = ReplayOrder.byPosition(List.of(A, B, C));

    // positions: a 0, .25, .5, .75; b 0, .33, .67; c 0, .5
    assertThat(order)
        .containsExactly(
            row(0, 0), row(1, 0), row(2, 0), row(0, 1), row(1, 1), row(0, 2), row(2, 1), row(1, 2),
            row(0, 3));
  }

  @Test
  void replaySendsTheRowsInOrderAsEventsNamingTheModel() throws InterruptedException {
    Replay replay = new Replay(List.of(A, B), ReplayOrder.byTime(List.of(A, B)), "m");
    List<Event> sent = new ArrayList<>();

    assertThat(replay.run(0, sent::add)).isEqualTo(7);

    assertThat(sent)
        .extracting(e -> e.key + "@" + e.ts)
        .containsExactly("b@5", "a@10", "a@20", "a@20", "b@20", "b@30", "a@40");
    assertThat(sent).extracting(e -> e.model).containsOnly("m");
    assertThat(sent.get(0).values).containsExactly(5f);
  }

  private static ReplayOrder.Row row(int series, int row) {
    return new ReplayOrder.Row(series, row);
  }

  /** A one-column series whose values equal its times. */
  private static TimedSeries series(String key, long... times) {
    float[][] values = new float[times.length][];
    for (int i = 0; i < times.length; i++) {
      values[i] = new float[] {times[i]};
    }
    return new TimedSeries(key, List.of("value"), times, values);
  }
}

package io.flinklstm.local;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The order in which the rows of several series are sent: a merge of the series that keeps each
 * series' own order and breaks ties by the series' index (so by key, for {@link
 * TimedCsv#readFolder}).
 */
public final class ReplayOrder {

  /** One row of one series. */
  public record Row(int series, int row) {}

  private ReplayOrder() {}

  /**
   * All rows in time order across series, as a replay into a live system sends them. A row whose
   * time goes back within its series is sent right after its predecessor.
   */
  public static List<Row> byTime(List<TimedSeries> series) {
    List<long[]> times = series.stream().map(TimedSeries::monotoneTimes).toList();
    return merge(series, (s, r) -> (double) times.get(s)[r]);
  }

  /**
   * All rows by their position within their own series ({@code row / rows}), so every series starts
   * together and ends together whatever its times: for benchmarks whose series are independent and
   * span different periods.
   */
  public static List<Row> byPosition(List<TimedSeries> series) {
    return merge(series, (s, r) -> (double) r / series.get(s).rows());
  }

  private interface Position {
    double of(int series, int row);
  }

  private static List<Row> merge(List<TimedSeries> series, Position position) {
    record Head(double position, int series, int row) {}
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            (a, b) ->
                a.position != b.position
                    ? Double.compare(a.position, b.position)
                    : Integer.compare(a.series, b.series));
    int total = 0;
    for (int s = 0; s < series.size(); s++) {
      total += series.get(s).rows();
      if (series.get(s).rows() > 0) {
        heads.add(new Head(position.of(s, 0), s, 0));
      }
    }
    List<Row> order = new ArrayList<>(total);
    while (!heads.isEmpty()) {
      Head h = heads.poll();
      order.add(new Row(h.series, h.row));
      int next = h.row + 1;
      if (next < series.get(h.series).rows()) {
        heads.add(new Head(position.of(h.series, next), h.series, next));
      }
    }
    return order;
  }
}

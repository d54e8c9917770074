package io.flinklstm.local;

import io.flinklstm.wire.Event;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends the rows of a folder's series as events, in a {@link ReplayOrder}, at a fixed rate or as
 * fast as the sink takes them.
 */
public final class Replay {
  private final List<TimedSeries> series;
  private final List<ReplayOrder.Row> order;
  private final String model;

  /**
   * @param model the model named in every event, or null for the job's default model
   */
  public Replay(List<TimedSeries> series, List<ReplayOrder.Row> order, String model) {
    this.series = List.copyOf(series);
    this.order = List.copyOf(order);
    this.model = model;
  }

  /** Row {@code i} of the order as an event. */
  public Event event(int i) {
    ReplayOrder.Row r = order.get(i);
    TimedSeries s = series.get(r.series());
    return new Event(s.key(), s.times()[r.row()], s.values()[r.row()].clone(), model);
  }

  /**
   * Hands every event to {@code sink}: at {@code rate} events per second, each at its due time from
   * the start (so a slow moment is caught up, not lost), or with no pause when the rate is 0.
   *
   * @return the number of events sent
   */
  public long run(double rate, Consumer<Event> sink) throws InterruptedException {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be 0 or positive, was " + rate);
    }
    long start = System.nanoTime();
    for (int i = 0; i < order.size(); i++) {
      if (rate > 0) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      sink.accept(event(i));
    }
    return order.size();
  }
}

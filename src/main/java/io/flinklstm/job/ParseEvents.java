package io.flinklstm.job;

import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.RejectReason;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses and validates events; what fails goes to the dead-letter side output with its reason. An
 * event stamped further ahead of the job's clock (processing time) than the maximum future skew is
 * refused as {@code future} here, before it reaches its key, where it would make every later event
 * of the key look late.
 */
final class ParseEvents extends ProcessFunction<RawRecord, Event> {
  private static final long serialVersionUID = 1L;

  private final int maxEventBytes;
  private final int maxValues;
  private final long maxFutureSkewMillis;
  private transient EventCodec codec;
  private transient DeadLetterMetrics deadLetters;

  /**
   * @param maxFutureSkewMillis how far ahead of the job's clock an event may be stamped; 0 for any
   */
  ParseEvents(int maxEventBytes, int maxValues, long maxFutureSkewMillis) {
    this.maxEventBytes = maxEventBytes;
    this.maxValues = maxValues;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
  }

  @Override
  public void open(OpenContext context) {
    codec = new EventCodec(maxEventBytes, maxValues);
    deadLetters = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<Event> out) {
    long now = ctx.timerService().currentProcessingTime();
    Event event;
    try {
      event =
          codec.parse(record.key, record.value).from(record.topic, record.partition, record.offset);
    } catch (InvalidInputException e) {
      refuse(record, null, e, now, ctx);
      return;
    }
    long latest =
        now > Long.MAX_VALUE - maxFutureSkewMillis ? Long.MAX_VALUE : now + maxFutureSkewMillis;
    if (maxFutureSkewMillis > 0 && event.ts > latest) {
      refuse(
          record,
          event.key,
          new InvalidInputException(
              RejectReason.FUTURE,
              "ts "
                  + event.ts
                  + " is more than "
                  + maxFutureSkewMillis
                  + " ms ahead of the job's clock at "
                  + now),
          now,
          ctx);
      return;
    }
    out.collect(event);
  }

  /** A dead letter with the record's original bytes, and its key once the event was parsed. */
  private void refuse(
      RawRecord record, String key, InvalidInputException e, long now, Context ctx) {
    deadLetters.count(e.reason());
    ctx.output(ScoringJob.DEAD_LETTERS, record.deadLetter(e, key, now));
  }
}

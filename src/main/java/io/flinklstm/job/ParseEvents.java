package io.flinklstm.job;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.InvalidInputException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Parses and validates events; what fails goes to the dead-letter side output with its reason. */
final class ParseEvents extends ProcessFunction<RawRecord, Event> {
  private static final long serialVersionUID = 1L;

  private final int maxEventBytes;
  private final int maxValues;
  private transient EventCodec codec;
  private transient DeadLetterMetrics deadLetters;

  ParseEvents(int maxEventBytes, int maxValues) {
    this.maxEventBytes = maxEventBytes;
    this.maxValues = maxValues;
  }

  @Override
  public void open(OpenContext context) {
    codec = new EventCodec(maxEventBytes, maxValues);
    deadLetters = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<Event> out) {
    try {
      out.collect(
          codec
              .parse(record.key, record.value)
              .from(record.topic, record.partition, record.offset));
    } catch (InvalidInputException e) {
      deadLetters.count(e.reason());
      ctx.output(
          ScoringJob.DEAD_LETTERS,
          DeadLetter.of(
              e.reason(),
              e.getMessage(),
              record.topic,
              record.partition,
              record.offset,
              null,
              record.value,
              ctx.timerService().currentProcessingTime()));
    }
  }
}

package io.flinklstm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flinklstm.model.kernel.Stepper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Time inputs, against phases worked out by hand. */
class TimeFeaturesTest {
  private static final float EPS = 1e-6f;

  private static float[] encode(TimeFeatures time, String instant) {
    float[] out = new float[time.width()];
    time.encode(Instant.parse(instant).toEpochMilli(), out, 0);
    return out;
  }

  @Test
  void theTimeOfDayIsTheSineAndCosineOfItsPhase() {
    TimeFeatures day = TimeFeatures.DAY_UTC;
    assertThat(day.width()).isEqualTo(2);
    // Midnight: phase 0.
    assertThat(encode(day, "2026-03-04T00:00:00Z"))
        .containsExactly(new float[] {0f, 1f}, within(EPS));
    // 06:00: a quarter of the day.
    assertThat(encode(day, "2026-03-04T06:00:00Z"))
        .containsExactly(new float[] {1f, 0f}, within(EPS));
    // 18:00: three quarters.
    assertThat(encode(day, "2026-03-04T18:00:00Z"))
        .containsExactly(new float[] {-1f, 0f}, within(EPS));
    // 03:00: an eighth, sin = cos = √½.
    float half = (float) Math.sqrt(0.5);
    assertThat(encode(day, "1999-12-31T03:00:00Z"))
        .containsExactly(new float[] {half, half}, within(EPS));
  }

  @Test
  void theWeekStartsOnMondayAtMidnightAndBothPeriodsAreWrittenInOrder() {
    TimeFeatures both = TimeFeatures.parse("day,week", "UTC");
    assertThat(both.width()).isEqualTo(4);
    // 2026-03-02 is a Monday: both phases 0.
    assertThat(encode(both, "2026-03-02T00:00:00Z"))
        .containsExactly(new float[] {0f, 1f, 0f, 1f}, within(EPS));
    // Thursday 1970-01-01 00:00 (the epoch) is 3 of 7 days into its week.
    double week = 2 * Math.PI * 3 / 7;
    assertThat(encode(both, "1970-01-01T00:00:00Z"))
        .containsExactly(
            new float[] {0f, 1f, (float) Math.sin(week), (float) Math.cos(week)}, within(EPS));
    // Sunday noon, before the epoch: 6.5 of 7 days in.
    double sunday = 2 * Math.PI * 6.5 / 7;
    assertThat(encode(both, "1969-12-28T12:00:00Z"))
        .containsExactly(
            new float[] {0f, -1f, (float) Math.sin(sunday), (float) Math.cos(sunday)}, within(EPS));
  }

  @Test
  void phasesFollowLocalTimeIncludingDaylightSavingTime() {
    TimeFeatures paris = TimeFeatures.parse("day", "Europe/Paris");
    // Noon in Paris in winter (UTC+1) and in summer (UTC+2): phase ½ both times.
    assertThat(encode(paris, "2026-01-15T11:00:00Z"))
        .containsExactly(new float[] {0f, -1f}, within(EPS));
    assertThat(encode(paris, "2026-07-15T10:00:00Z"))
        .containsExactly(new float[] {0f, -1f}, within(EPS));
    TimeFeatures fixed = TimeFeatures.parse("day", "+05:30");
    // 18:30 UTC is midnight at +05:30.
    assertThat(encode(fixed, "2026-07-15T18:30:00Z"))
        .containsExactly(new float[] {0f, 1f}, within(EPS));
  }

  @Test
  void encodingWritesOnlyItsOwnSlotsAndNoneWritesNothing() {
    float[] step = {7f, 7f, 7f, 7f, 7f};
    TimeFeatures.DAY_UTC.encode(0L, step, 2);
    assertThat(step).containsExactly(new float[] {7f, 7f, 0f, 1f, 7f}, within(EPS));
    TimeFeatures.NONE.encode(123L, step, 5);
    assertThat(TimeFeatures.NONE.width()).isZero();
    assertThat(TimeFeatures.NONE.any()).isFalse();
    // Any timestamp gives finite inputs, the extremes included.
    float[] out = new float[4];
    TimeFeatures both = TimeFeatures.parse("week,day", "Europe/Paris");
    for (long ts : new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}) {
      both.encode(ts, out, 0);
      for (float v : out) {
        assertThat(v).isBetween(-1f, 1f);
      }
    }
  }

  @Test
  void parsingNamesWhatIsWrong() {
    assertThat(TimeFeatures.parse("none", "UTC")).isEqualTo(TimeFeatures.NONE);
    assertThat(TimeFeatures.parse("none", "Europe/Paris")).isEqualTo(TimeFeatures.NONE);
    assertThat(TimeFeatures.parse("day", "Z")).isEqualTo(TimeFeatures.DAY_UTC);
    assertThat(TimeFeatures.DAY_UTC).hasToString("day in UTC");
    assertThat(TimeFeatures.parse(" Day ", "UTC")).isEqualTo(TimeFeatures.DAY_UTC);
    assertThat(TimeFeatures.parse("week,day", "UTC").periods())
        .isEqualTo(List.of(TimeFeatures.Period.WEEK, TimeFeatures.Period.DAY));
    assertThat(TimeFeatures.parse("day,week", "UTC").periodsText()).isEqualTo("day,week");
    assertThatThrownBy(() -> TimeFeatures.parse("month", "UTC"))
        .hasMessageContaining("time feature 'month' is unknown; expected 'day' or 'week'");
    assertThatThrownBy(() -> TimeFeatures.parse("day,day", "UTC"))
        .hasMessageContaining("repeat a period");
    assertThatThrownBy(() -> TimeFeatures.parse("day", "Mars/Olympus"))
        .hasMessageContaining("time zone 'Mars/Olympus' is unknown");
    assertThatThrownBy(() -> TimeFeatures.parse("day,", "UTC"))
        .hasMessageContaining("time feature '' is unknown");
  }

  /**
   * A model's step is its normalised values followed by the time inputs as they are: stepping the
   * raw step equals stepping its hand-assembled normalised form, and a model whose time rows are
   * zero predicts as the same model without time inputs.
   */
  @Test
  void aStepIsTheNormalisedValuesThenTheTimeInputs() {
    LstmModel plain = io.flinklstm.testutil.TestModels.model("m", 1, 2, 4, 5);
    LstmLayer first = plain.layers().get(0);
    float[][] grown = new float[4][];
    for (int r = 0; r < 4; r++) {
      grown[r] = r < 2 ? first.inputWeights()[r] : new float[first.inputWeights()[0].length];
    }
    LstmModel silent =
        new LstmModel(
            plain.info(),
            plain.normalizer(),
            InputScaling.NONE,
            TimeFeatures.DAY_UTC,
            List.of(
                new LstmLayer(
                    grown,
                    first.recurrentWeights(),
                    first.bias(),
                    first.activation(),
                    first.recurrentActivation())),
            plain.head());
    LstmModel timed = io.flinklstm.testutil.TestModels.timed("m", 1, 2, 4, 5, TimeFeatures.DAY_UTC);
    LstmState a = plain.newState();
    LstmState b = silent.newState();
    LstmState c = timed.newState();
    LstmState d = timed.newState();
    Stepper ps = Stepper.of(plain);
    Stepper ss = Stepper.of(silent);
    Stepper ts = Stepper.of(timed);
    float[] normalized = new float[4];
    for (int t = 0; t < 12; t++) {
      float[] step = {(float) Math.sin(t), 2f - t / 6f, 0f, 0f};
      TimeFeatures.DAY_UTC.encode(t * 3_600_000L, step, 2);
      assertThat(ss.step(b, step)).startsWith(ps.step(a, new float[] {step[0], step[1]}));
      timed.normalizer().normalize(step, normalized);
      normalized[2] = step[2];
      normalized[3] = step[3];
      assertThat(ts.step(c, step)).containsExactly(ts.stepNormalized(d, normalized));
    }
    assertThat(b.h()).containsExactly(a.h());
    assertThat(timed.stepSize()).isEqualTo(4);
    assertThat(timed.inputSize()).isEqualTo(2);
  }

  @Test
  void aModelWhoseFirstLayerDoesNotTakeTheTimeInputsIsRefused() {
    LstmModel plain = io.flinklstm.testutil.TestModels.model("m", 1, 2, 4, 5);
    assertThatThrownBy(
            () ->
                new LstmModel(
                    plain.info(),
                    plain.normalizer(),
                    InputScaling.NONE,
                    TimeFeatures.DAY_UTC,
                    plain.layers(),
                    plain.head()))
        .hasMessageContaining(
            "layer 0 takes 2 inputs but receives 4 (the model's step: 2 values and 2 time inputs)");
  }
}

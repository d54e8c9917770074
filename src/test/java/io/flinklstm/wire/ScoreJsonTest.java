package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Scores written by {@link ScoreJson} are byte for byte what Jackson's data binding writes. */
class ScoreJsonTest {
  private static final int RANDOM_SCORES = 20_000;

  @Test
  void numericScoreAsDocumented() {
    ScoreRecord s = new ScoreRecord();
    s.key = "pump-7";
    s.ts = 1700000000000L;
    s.values = new float[] {0.93f, 17.2f};
    s.prediction = new float[] {0.91f, 17.0f};
    s.error = 0.12;
    s.rawScore = 0.0;
    s.likelihood = 0.71;
    s.logLikelihood = 0.05;
    s.confidence = 0.05;
    s.model = "sensor";
    s.modelVersion = 3;
    s.status = ScoreRecord.SCORED;
    s.contributions = new float[] {0.0002f, 0.02f};
    s.topChannel = 1;
    assertThat(new String(WireJson.encode(s), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"key\":\"pump-7\",\"ts\":1700000000000,\"values\":[0.93,17.2],"
                + "\"prediction\":[0.91,17.0],\"error\":0.12,\"rawScore\":0.0,\"likelihood\":0.71,"
                + "\"logLikelihood\":0.05,\"confidence\":0.05,\"anomaly\":false,\"warmingUp\":false,"
                + "\"model\":\"sensor\",\"modelVersion\":3,\"status\":\"scored\","
                + "\"contributions\":[2.0E-4,0.02],\"topChannel\":1}");
    assertSameAsJackson(s);
  }

  @Test
  void randomScoresMatchJacksonAndReadBack() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    ScoreEncoder encoder = new ScoreEncoder(); // one buffer for all, as in a sink
    for (int i = 0; i < RANDOM_SCORES; i++) {
      ScoreRecord s = randomScore(random);
      assertSameAsJackson(s);
      assertThat(encoder.encode(s)).isEqualTo(WireJson.encodeWithJackson(s));
      assertThat(WireJson.decodeScore(WireJson.encode(s))).isEqualTo(s);
    }
  }

  @Test
  void scoresWithoutModelOrWithSymbols() {
    ScoreRecord unscored = new ScoreRecord();
    unscored.key = "k";
    unscored.ts = -5;
    unscored.values = new float[] {Float.MIN_VALUE, -0f, Float.MAX_VALUE};
    unscored.model = "m";
    unscored.status = ScoreRecord.NO_MODEL;
    assertSameAsJackson(unscored);

    ScoreRecord symbol = new ScoreRecord();
    symbol.key = "host-1";
    symbol.symbol = "E17";
    symbol.surprise = 3.25;
    symbol.rank = 4;
    symbol.verdict = ScoreRecord.NOT_IN_TOP_G;
    symbol.expected = new String[] {"E5", "E9", "E2"};
    symbol.modelVersion = Long.MAX_VALUE;
    symbol.ts = Long.MIN_VALUE;
    assertSameAsJackson(symbol);

    ScoreRecord empty = new ScoreRecord();
    empty.values = new float[0];
    assertSameAsJackson(empty);
  }

  @Test
  void escapedTextAndNonFiniteNumbersAreLeftToJackson() {
    ScoreRecord s = new ScoreRecord();
    s.key = "ключ \"7\"\n\\";
    s.values = new float[] {1f};
    assertThat(new ScoreJson().encode(s)).isNull();
    assertSameAsJackson(s);

    ScoreRecord nan = new ScoreRecord();
    nan.key = "k";
    nan.prediction = new float[] {Float.NaN};
    assertThat(new ScoreJson().encode(nan)).isNull();
    assertSameAsJackson(nan);

    ScoreRecord infinite = new ScoreRecord();
    infinite.error = Double.POSITIVE_INFINITY;
    assertThat(new ScoreJson().encode(infinite)).isNull();
    assertSameAsJackson(infinite);
  }

  private static ScoreRecord randomScore(SplittableRandom random) {
    ScoreRecord s = new ScoreRecord();
    s.key = random.nextInt(10) == 0 ? null : "key-" + random.nextInt(100_000);
    s.ts = random.nextLong();
    s.values = random.nextInt(10) == 0 ? null : floats(random, random.nextInt(1, 40));
    s.prediction = random.nextInt(5) == 0 ? null : floats(random, random.nextInt(1, 40));
    s.error = random.nextDouble() * Math.pow(10, random.nextInt(-12, 12));
    s.rawScore = random.nextDouble();
    s.likelihood = random.nextInt(4) == 0 ? 1.0 : random.nextDouble();
    s.logLikelihood = random.nextInt(4) == 0 ? 0.0 : random.nextDouble();
    s.confidence = random.nextInt(4) == 0 ? 1.0 : random.nextDouble();
    s.anomaly = random.nextBoolean();
    if (s.anomaly) {
      String[] rules = {"likelihood", "range", "stuck", "drift", "time_of_day", "symbol"};
      s.flaggedBy = java.util.Arrays.copyOfRange(rules, random.nextInt(5), 5 + random.nextInt(2));
    }
    s.warmingUp = random.nextBoolean();
    s.model = random.nextInt(10) == 0 ? null : "model-" + random.nextInt(5);
    s.modelVersion = random.nextLong(0, Long.MAX_VALUE);
    s.status = random.nextBoolean() ? ScoreRecord.SCORED : ScoreRecord.NO_MODEL;
    if (random.nextInt(3) == 0) {
      s.symbol = "E" + random.nextInt(500);
      s.surprise = random.nextDouble() * 20;
      s.rank = random.nextInt(500);
      s.verdict = ScoreRecord.UNKNOWN;
      s.expected = new String[random.nextInt(4)];
      for (int i = 0; i < s.expected.length; i++) {
        s.expected[i] = "E" + random.nextInt(500);
      }
    } else if (s.values != null) {
      s.contributions = floats(random, s.values.length);
      s.topChannel = random.nextInt(s.contributions.length);
    }
    return s;
  }

  private static float[] floats(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] =
          random.nextBoolean()
              ? (float) (random.nextGaussian() * 10)
              : Float.intBitsToFloat(random.nextInt() & 0x7f7fffff)
                  * (random.nextBoolean() ? 1 : -1);
    }
    return values;
  }

  private static void assertSameAsJackson(ScoreRecord s) {
    assertThat(new String(WireJson.encode(s), StandardCharsets.UTF_8))
        .isEqualTo(new String(WireJson.encodeWithJackson(s), StandardCharsets.UTF_8));
  }
}

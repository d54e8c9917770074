package io.flinklstm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float writer of scores against two outside references: {@code Float.parseFloat} must read
 * every text back to the identical float, and the text must be Jackson's shortest float text, which
 * scores carried before. (The whole float range is checked by {@code FloatTextExhaustiveCheck}.)
 */
class FloatTextTest {
  private static final int RANDOM_FLOATS = 200_000;

  @Test
  void knownTexts() {
    assertThat(text(0f)).isEqualTo("0.0");
    assertThat(text(-0f)).isEqualTo("-0.0");
    assertThat(text(1f)).isEqualTo("1.0");
    assertThat(text(0.1f)).isEqualTo("0.1");
    assertThat(text(0.93f)).isEqualTo("0.93");
    assertThat(text(17.2f)).isEqualTo("17.2");
    assertThat(text(-2.5f)).isEqualTo("-2.5");
    assertThat(text(0.001f)).isEqualTo("0.001");
    assertThat(text(1234567f)).isEqualTo("1234567.0");
    assertThat(text(1e7f)).isEqualTo("1.0E7");
    assertThat(text(Math.nextDown(0.001f))).isEqualTo("9.999999E-4");
    assertThat(text(Float.MAX_VALUE)).isEqualTo("3.4028235E38");
    assertThat(text(Float.MIN_NORMAL)).isEqualTo("1.1754944E-38");
    assertThat(text(Float.MIN_VALUE)).isEqualTo("1.4E-45");
    assertThat(text(-Float.MIN_VALUE)).isEqualTo("-1.4E-45");
  }

  @Test
  void edgesReadBackAndMatchJackson() {
    List<Float> edges = new ArrayList<>();
    for (float f :
        new float[] {
          Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1f, 0.1f, 1e-3f, 1e7f, 1e10f, 2e-45f
        }) {
      edges.add(f);
      edges.add(Math.nextUp(f));
      edges.add(Math.nextDown(f));
    }
    for (int bits = 1; bits < 64; bits++) {
      edges.add(Float.intBitsToFloat(bits)); // the tiniest subnormals
      edges.add(Float.intBitsToFloat(0x7fffff - bits)); // the largest subnormals
    }
    for (int e = 1; e < 255; e++) {
      edges.add(Float.intBitsToFloat(e << 23)); // powers of two: a narrower gap below
      edges.add(Float.intBitsToFloat((e << 23) - 1));
    }
    for (int p = -45; p <= 38; p++) {
      float ten = Float.parseFloat("1e" + p);
      edges.add(ten);
      edges.add(Math.nextUp(ten));
      edges.add(Math.nextDown(ten));
    }
    for (float f : edges) {
      if (Float.isFinite(f)) {
        checkBothSigns(f);
      }
    }
  }

  @Test
  void randomFloatsReadBackAndMatchJackson() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < RANDOM_FLOATS; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(f)) {
        checkBothSigns(f);
      }
    }
    for (int i = 0; i < RANDOM_FLOATS; i++) {
      checkBothSigns((float) random.nextGaussian()); // values and predictions look like this
    }
  }

  @Test
  void refusesWhatJsonCannotCarry() {
    byte[] buf = new byte[FloatText.MAX_BYTES];
    assertThatThrownBy(() -> FloatText.write(Float.NaN, buf, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FloatText.write(Float.NEGATIVE_INFINITY, buf, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void checkBothSigns(float f) {
    for (float v : new float[] {f, -f}) {
      String text = text(v);
      assertThat(Float.floatToRawIntBits(Float.parseFloat(text)))
          .as("%s read back", text)
          .isEqualTo(Float.floatToRawIntBits(v));
      assertThat(text).as("bits %08x", Float.floatToRawIntBits(v)).isEqualTo(jackson(v));
    }
  }

  private static String jackson(float f) {
    return NumberOutput.toString(f, true);
  }

  private static String text(float f) {
    byte[] buf = new byte[FloatText.MAX_BYTES + 4];
    buf[0] = 'x';
    int end = FloatText.write(f, buf, 1);
    assertThat(buf[0]).isEqualTo((byte) 'x');
    assertThat(end - 1).isLessThanOrEqualTo(FloatText.MAX_BYTES);
    return new String(buf, 1, end - 1, StandardCharsets.US_ASCII);
  }
}

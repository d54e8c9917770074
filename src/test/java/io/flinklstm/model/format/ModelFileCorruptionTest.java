package io.flinklstm.model.format;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinklstm.model.TestModels;
import io.flinklstm.model.format.ModelFile.ReadOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a model file can be wrong is refused with a message that names what and where. Files
 * wrong in one way only are built with {@link FileSections}, which keeps the digest valid, so each
 * test reaches the check it is about.
 */
class ModelFileCorruptionTest {
  /** Tensor section layout of {@link TestModels#twoLayer()}: mean [2], std [2], then layer 0. */
  static final int STD_AT = 2;

  static final int LAYER0_INPUT_WEIGHTS_AT = 4;

  private final byte[] valid = ModelFile.write(TestModels.twoLayer());

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(byte[] file) {
    return assertThatThrownBy(() -> ModelFile.read(file, ReadOptions.acceptUnsigned()))
        .isInstanceOf(ModelFileException.class);
  }

  @Test
  void aFlippedByteInATensorBreaksTheDigest() throws Exception {
    byte[] file = valid.clone();
    int someTensorByte = ModelFileReader.layout(valid).tensorsOffset() + 41;
    file[someTensorByte] ^= 0x01;

    assertRefused(file)
        .hasMessageStartingWith("model file digest mismatch: stored SHA-256 ")
        .hasMessageContaining("the file is corrupt");
  }

  @Test
  void aFlippedByteInTheDigestIsRefused() throws Exception {
    byte[] file = valid.clone();
    file[ModelFileReader.layout(valid).digestEnd() - 1] ^= (byte) 0x80;

    assertRefused(file).hasMessageStartingWith("model file digest mismatch");
  }

  @ParameterizedTest(name = "cut to {0} bytes")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | preamble (magic, format version, header length): expected 16 bytes from offset 0",
        "5 | preamble (magic, format version, header length): expected 16 bytes from offset 0",
        "15 | preamble (magic, format version, header length): expected 16 bytes from offset 0",
        "100 | header: expected ",
      })
  void truncationIsRefusedWithExpectedAndPresentBytes(int length, String message) {
    int present = length < 16 ? length : length - 16;

    assertRefused(Arrays.copyOf(valid, length))
        .hasMessageStartingWith("model file is truncated in the " + message)
        .hasMessageContaining(", only " + present + " present (the file is " + length + " bytes");
  }

  @Test
  void truncationInEverySectionSaysWhichAndHowMuch() throws Exception {
    ModelFileReader.Layout layout = ModelFileReader.layout(valid);
    int tensors = layout.tensorsOffset();
    int digest = layout.digestEnd() - 32;
    int tensorBytes = digest - tensors;

    assertRefused(Arrays.copyOf(valid, tensors + 10))
        .hasMessageContaining(
            "truncated in the tensor data: expected "
                + tensorBytes
                + " bytes from offset "
                + tensors
                + ", only 10 present (the file is "
                + (tensors + 10)
                + " bytes, at least "
                + digest
                + " expected)");
    assertRefused(Arrays.copyOf(valid, digest + 31))
        .hasMessageContaining("truncated in the SHA-256 digest: expected 32 bytes")
        .hasMessageContaining("only 31 present");
    assertRefused(Arrays.copyOf(valid, valid.length - 1))
        .hasMessageContaining("truncated in the signature length: expected 4 bytes")
        .hasMessageContaining("only 3 present");
  }

  @Test
  void aSignedFileCutInItsSignatureIsTruncated() {
    byte[] signed = ModelFile.write(TestModels.twoLayer(), ModelKeys.generate().getPrivate());

    assertRefused(Arrays.copyOf(signed, signed.length - 20))
        .hasMessageContaining("truncated in the Ed25519 signature: expected 64 bytes")
        .hasMessageContaining("only 44 present");
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] file = Arrays.copyOf(valid, valid.length + 3);

    assertRefused(file)
        .hasMessage(
            "model file has 3 trailing bytes after its end at offset "
                + valid.length
                + " (the file is "
                + (valid.length + 3)
                + " bytes)");
  }

  @Test
  void formatVersion5IsRefused() throws Exception {
    FileSections sections = FileSections.of(valid);
    sections.version = 5;

    assertRefused(sections.build())
        .hasMessage("unsupported model format version 5 (this build reads 1 to 4)");
  }

  @Test
  void aFileWithAnotherMagicIsNotAModelFile() {
    byte[] zip = {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    assertRefused(zip)
        .hasMessage(
            "not a flink-lstm model file: it starts with 50 4b 03 04 00 00 00 00, expected the"
                + " magic 89 46 4c 53 54 4d 0d 0a");
  }

  @Test
  void aHeaderLengthAboveTheLimitIsRefusedBeforeAnythingIsRead() {
    byte[] file = valid.clone();
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 0xFFFF_FFF0);

    assertRefused(file)
        .hasMessage("header length 4294967280 at offset 12 is outside 1 .. 16777216 bytes");
  }

  @Test
  void malformedHeaderJsonIsRefusedWithItsPosition() throws Exception {
    FileSections sections =
        FileSections.of(valid).replaceInHeader("\"version\":3,", "\"version\":3");

    assertRefused(sections.build())
        .hasMessageStartingWith("header JSON is malformed: ")
        .hasMessageContaining("(line 1, column ");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"gateOrder\":\"ifgo\" | \"gateOrder\":\"ifgo\",\"extra\":1 "
            + "| header field extra is unknown to format version 1",
        "\"inputSize\":2, | \"inputSize\":2,\"dropout\":0.5, "
            + "| header field architecture.dropout is unknown to format version 1",
        "\"name\":\"layers.0.bias\" | \"name\":\"layers.0.peepholes\" "
            + "| header field tensors[4] names an unknown tensor 'layers.0.peepholes'",
        "\"name\":\"head.bias\" | \"name\":\"head.weights\" "
            + "| header: tensor 'head.weights' is listed twice",
        "\"version\":3, | '' | header lacks the field version",
        "\"version\":3, | \"version\":3,\"version\":4, | header JSON is malformed: Duplicate field",
        "\"version\":3, | \"version\":3.5, | header field version must be an integer, was 3.5",
        "\"version\":3, | \"version\":0, | header: model version must be at least 1, was 0",
        "\"activation\":\"tanh\" | \"activation\":\"swish\" "
            + "| header field architecture.layers[0].activation is 'swish', expected one of",
        "\"type\":\"lstm\" | \"type\":\"gru\" "
            + "| header field architecture.layers[0].type is 'gru', format version 1 has only 'lstm'",
        "\"gateOrder\":\"ifgo\" | \"gateOrder\":\"ifco\" "
            + "| header: gate order 'ifco' is not a permutation of the letters i, f, g, o",
        "\"created\":\"2024-05-01T12:00:00Z\" | \"created\":\"yesterday\" "
            + "| header field created is not an ISO-8601 instant",
        "\"outputSize\":2 | \"outputSize\":3 "
            + "| header field architecture.head.outputSize is 3 but the head predicts the next",
        "\"val_loss\":0.046875 | \"val_loss\":\"low\" "
            + "| header field metrics.val_loss must be a number, was \"low\"",
      })
  void headerProblemsAreNamed(String from, String to, String message) throws Exception {
    FileSections sections = FileSections.of(valid).replaceInHeader(from, to);

    assertRefused(sections.build()).hasMessageStartingWith(message);
  }

  @Test
  void aShapeThatDoesNotMatchTheArchitectureIsRefused() throws Exception {
    FileSections sections =
        FileSections.of(valid)
            .replaceInHeader(
                "{\"name\":\"layers.1.input_weights\",\"shape\":[3,8]}",
                "{\"name\":\"layers.1.input_weights\",\"shape\":[4,6]}");

    assertRefused(sections.build())
        .hasMessage(
            "header: tensor 'layers.1.input_weights' has shape [4, 6] but the architecture"
                + " needs [3, 8]");
  }

  @Test
  void aMissingTensorIsRefused() throws Exception {
    FileSections sections =
        FileSections.of(valid).replaceInHeader(",{\"name\":\"head.bias\",\"shape\":[2]}", "");

    assertRefused(sections.build()).hasMessage("header: the tensor table lacks 'head.bias'");
  }

  @Test
  void aHugeArchitectureIsTruncatedNotAllocated() throws Exception {
    FileSections sections =
        FileSections.of(valid)
            .replaceInHeader("\"hiddenSize\":2", "\"hiddenSize\":100000")
            .replaceInHeader("[3,8]", "[3,400000]")
            .replaceInHeader("[2,8]", "[100000,400000]")
            .replaceInHeader("[8]", "[400000]")
            .replaceInHeader("[2,2]", "[100000,2]");

    assertRefused(sections.build())
        .hasMessageContaining("truncated in the tensor data: expected 160007200312 bytes");
  }

  @Test
  void aSizeThatOverflowsIsRefused() throws Exception {
    FileSections sections =
        FileSections.of(valid).replaceInHeader("\"hiddenSize\":2", "\"hiddenSize\":1073741824");

    assertRefused(sections.build()).hasMessage("header: the architecture's sizes overflow");
  }

  @Test
  void aNanWithAValidDigestNamesTheTensorAndIndex() throws Exception {
    FileSections sections =
        FileSections.of(valid).tensorValue(LAYER0_INPUT_WEIGHTS_AT + 12 + 5, Float.NaN);

    assertRefused(sections.build())
        .hasMessageStartingWith("tensor layers.0.input_weights holds NaN at [1, 5] (file offset ")
        .hasMessageEndingWith("); model values must be finite");
  }

  @Test
  void anInfinityIsRefusedToo() throws Exception {
    FileSections sections = FileSections.of(valid).tensorValue(1, Float.NEGATIVE_INFINITY);

    assertRefused(sections.build())
        .hasMessageStartingWith("tensor normalization.mean holds -Infinity at [1]");
  }

  @ParameterizedTest
  @CsvSource({"0.0, 0.0", "-0.5, -0.5", "-0.0, -0.0"})
  void aStandardDeviationThatIsNotPositiveIsRefused(float std, String shown) throws Exception {
    FileSections sections = FileSections.of(valid).tensorValue(STD_AT + 1, std);

    assertRefused(sections.build())
        .hasMessage(
            "tensor normalization.std holds "
                + shown
                + " at [1]; standard deviations must be positive");
  }

  @Test
  void aSignatureLengthOtherThan0Or64IsRefused() {
    byte[] file = valid.clone();
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, 7);

    assertRefused(file)
        .hasMessage(
            "signature length at offset "
                + (file.length - 4)
                + " is 7, format version 1 allows 0 (unsigned) or 64");
  }
}

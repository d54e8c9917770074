package io.flinklstm.model.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A model file taken apart into its sections, to be changed and put back together with a digest
 * that matches: how tests build files that are wrong in exactly one way.
 */
final class FileSections {
  byte[] magic;
  int version;
  byte[] header;
  byte[] tensors;

  /** Takes apart a valid file (its signature, if any, is dropped). */
  static FileSections of(byte[] file) throws ModelFileException {
    ModelFileReader.Layout layout = ModelFileReader.layout(file);
    FileSections s = new FileSections();
    s.magic = Arrays.copyOf(file, 8);
    s.version = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
    s.header = Arrays.copyOfRange(file, 16, 16 + layout.headerLength());
    s.tensors = Arrays.copyOfRange(file, layout.tensorsOffset(), layout.digestEnd() - 32);
    return s;
  }

  String headerJson() {
    return new String(header, StandardCharsets.UTF_8);
  }

  FileSections header(String json) {
    header = json.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** Replaces the header's first occurrence of {@code from}, which must be there. */
  FileSections replaceInHeader(String from, String to) {
    String json = headerJson();
    if (!json.contains(from)) {
      throw new IllegalArgumentException("header has no " + from + ": " + json);
    }
    return header(json.replaceFirst(java.util.regex.Pattern.quote(from), to));
  }

  /** Sets the float at index {@code k} of the whole tensor section. */
  FileSections tensorValue(int k, float value) {
    ByteBuffer.wrap(tensors).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * k, value);
    return this;
  }

  /** The file with a correct digest and an empty signature trailer. */
  byte[] build() {
    ByteBuffer out =
        ByteBuffer.allocate(16 + header.length + tensors.length + 32 + 4)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.put(magic).putInt(version).putInt(header.length).put(header).put(tensors);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(out.array(), 0, out.position());
      out.put(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    out.putInt(0);
    return out.array();
  }
}

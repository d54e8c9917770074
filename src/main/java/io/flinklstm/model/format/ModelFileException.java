package io.flinklstm.model.format;

import java.io.IOException;

/**
 * A model file was refused: its bytes are not a well-formed, intact and (where required) trusted
 * model file of a format version this build reads.
 *
 * <p>The message names what is wrong and where (the section, the tensor and index, the expected and
 * found byte counts), because the person reading it usually has only the file and this line. It is
 * an {@link IOException} so that code reading models from files or topics handles it with its other
 * input failures.
 */
public class ModelFileException extends IOException {
  public ModelFileException(String message) {
    super(message);
  }

  public ModelFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.flinklstm.cli;

import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.format.ModelKeys;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * File handling shared by the {@code model} subcommands, so that every failure reaches the user as
 * one line that starts with the file it concerns.
 */
final class ModelFiles {
  private ModelFiles() {}

  /** An exception whose message is the file, a colon and what went wrong with it. */
  static IOException about(Path file, IOException e) {
    String what;
    if (e instanceof NoSuchFileException) {
      what = "no such file";
    } else if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else {
      what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    // Key parsing errors already start with the file's name.
    return new IOException(what.startsWith(file.toString()) ? what : file + ": " + what, e);
  }

  /** The bytes of a model file, refusing one larger than a model file may be. */
  static byte[] readModelBytes(Path file) throws IOException {
    try {
      if (Files.isDirectory(file)) {
        throw new IOException("is a directory, not a model file");
      }
      long size = Files.size(file);
      if (size > ModelFile.MAX_FILE_BYTES) {
        throw new IOException(
            "is "
                + size
                + " bytes, more than a model file may be ("
                + ModelFile.MAX_FILE_BYTES
                + ")");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw about(file, e);
    }
  }

  static List<PublicKey> readPublicKeys(List<Path> files) throws IOException {
    List<PublicKey> keys = new ArrayList<>();
    for (Path file : files) {
      try {
        keys.add(ModelKeys.readPublicKey(file));
      } catch (IOException e) {
        throw about(file, e);
      }
    }
    return keys;
  }

  static PrivateKey readPrivateKey(Path file) throws IOException {
    try {
      return ModelKeys.readPrivateKey(file);
    } catch (IOException e) {
      throw about(file, e);
    }
  }

  /**
   * Writes through a temporary file in the same directory and a rename, so that a reader (or a
   * crash) never sees half a model file at {@code file}. The temporary file is created with the
   * default permissions, as a plain write would, since readers may run as other users.
   */
  static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new IOException(file + ": the directory " + dir + " does not exist");
    }
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw about(file, e);
    }
  }
}

package dev.symbiosis.cli.data;

import java.nio.file.Path;

/** A raw input that is missing or does not have the expected format; the message names the file (and line). */
public final class RawDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RawDataException(String message) {
    super(message);
  }

  public RawDataException(String message, Throwable cause) {
    super(message, cause);
  }

  static RawDataException at(Path file, String problem) {
    return new RawDataException(file + ": " + problem);
  }

  static RawDataException at(Path file, int line, String problem) {
    return new RawDataException(file + ":" + line + ": " + problem);
  }

  /** Fails with a message naming the file when it is not a readable regular file. */
  static Path requireFile(Path file, String what) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new RawDataException("missing " + what + ": " + file + " does not exist or is not a file");
    }
    return file;
  }

  static Path requireDir(Path dir, String what) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new RawDataException("missing " + what + ": " + dir + " does not exist or is not a folder");
    }
    return dir;
  }
}

package io.flinklstm.model.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * Ed25519 keys for signing model files, with the JDK's own implementation (RFC 8032), stored as PEM
 * the way OpenSSL stores them: private keys as PKCS#8 {@code PRIVATE KEY}, public keys as X.509
 * {@code PUBLIC KEY}. {@code openssl genpkey -algorithm ed25519} keys can be read, and keys written
 * here can be read by OpenSSL.
 *
 * <p>Private keys are not encrypted; they are written readable by their owner only where the file
 * system has POSIX permissions. Reading errors name the file and what was found in it, because the
 * usual mistake is handing over the wrong file (the private key for the public one, an OpenSSH key,
 * an RSA key).
 */
public final class ModelKeys {
  private static final String ALGORITHM = "Ed25519";
  private static final String PRIVATE = "PRIVATE KEY";
  private static final String PUBLIC = "PUBLIC KEY";
  private static final int SEED_BYTES = 32;

  private ModelKeys() {}

  /** A fresh key pair from the JDK's default strong random source. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK lacks Ed25519, which Java 15 and later have", e);
    }
  }

  /**
   * The key pair whose RFC 8032 private key is {@code seed}: reproducible keys for tests and golden
   * files. Never use a guessable seed for a real key; {@link #generate} is for those.
   *
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static KeyPair fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException(
          "an Ed25519 seed is " + SEED_BYTES + " bytes, this one " + seed.length);
    }
    byte[] copy = seed.clone();
    // The JDK's Ed25519 generator takes exactly the private key's 32 bytes from its random
    // source and derives the public key from them; a source that returns the seed fixes the pair.
    SecureRandom fixed =
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(copy, 0, bytes, 0, Math.min(bytes.length, copy.length));
          }
        };
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, fixed);
      KeyPair pair = generator.generateKeyPair();
      if (!Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), copy)) {
        throw new IllegalStateException("this JDK's Ed25519 generator does not take a seed");
      }
      return pair;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks Ed25519, which Java 15 and later have", e);
    }
  }

  /** The public half of a private key, to name the signer of what that key signs. */
  public static PublicKey publicKeyOf(PrivateKey key) {
    byte[] seed = ((EdECPrivateKey) requireEd25519(key)).getBytes().orElseThrow();
    return fromSeed(seed).getPublic();
  }

  /**
   * A short, stable name for a public key in logs and messages: {@code ed25519:} and the first 16
   * hex digits of the SHA-256 of its X.509 encoding. It identifies a key to people; verification
   * always uses the whole key.
   */
  public static String fingerprint(PublicKey key) {
    return "ed25519:" + HexFormat.of().formatHex(sha256().digest(key.getEncoded()), 0, 8);
  }

  /** PEM text: {@code PRIVATE KEY} (PKCS#8) for a private key, {@code PUBLIC KEY} for a public. */
  public static String toPem(Key key) {
    requireEd25519(key);
    String type = key instanceof PrivateKey ? PRIVATE : PUBLIC;
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /**
   * Writes a private key; the file is created readable by its owner only.
   *
   * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
   */
  public static void writePrivateKey(Path file, PrivateKey key, boolean overwrite)
      throws IOException {
    write(file, toPem(key), overwrite, true);
  }

  /**
   * Writes a public key.
   *
   * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
   */
  public static void writePublicKey(Path file, PublicKey key, boolean overwrite)
      throws IOException {
    write(file, toPem(key), overwrite, false);
  }

  /** Reads a PEM {@code PUBLIC KEY} file holding an Ed25519 key. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    return parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
  }

  /** Reads a PEM {@code PRIVATE KEY} (PKCS#8, unencrypted) file holding an Ed25519 key. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
  }

  /**
   * @param source where the text came from, for messages
   * @throws IOException naming the source and what it holds instead of an Ed25519 public key
   */
  public static PublicKey parsePublicKey(String pem, String source) throws IOException {
    byte[] der = pemBody(pem, PUBLIC, source);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          source + " does not hold an Ed25519 public key (" + e.getMessage() + ")");
    }
  }

  /**
   * @param source where the text came from, for messages
   * @throws IOException naming the source and what it holds instead of an Ed25519 private key
   */
  public static PrivateKey parsePrivateKey(String pem, String source) throws IOException {
    byte[] der = pemBody(pem, PRIVATE, source);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          source + " does not hold an Ed25519 private key (" + e.getMessage() + ")");
    }
  }

  /**
   * @throws IllegalArgumentException if the key is not an Ed25519 key
   */
  static <K extends Key> K requireEd25519(K key) {
    if (!(key instanceof EdECKey ed) || !ALGORITHM.equalsIgnoreCase(ed.getParams().getName())) {
      throw new IllegalArgumentException(
          "model files are signed with Ed25519 keys, this is "
              + (key == null ? "no key" : "a " + key.getAlgorithm() + " key"));
    }
    return key;
  }

  static byte[] sign(PrivateKey key, byte[] data, int length) {
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(data, 0, length);
      return signer.sign();
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** Whether {@code signature} is the key's signature of data[0, length); false if malformed. */
  static boolean verify(PublicKey key, byte[] data, int length, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(data, 0, length);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("cannot verify with this key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification failed", e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] pemBody(String pem, String type, String source) throws IOException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    if (from < 0) {
      int other = pem.indexOf("-----BEGIN ");
      if (other < 0) {
        throw new IOException(source + " is not a PEM file (no '" + begin + "' line)");
      }
      int otherEnd = pem.indexOf("-----", other + 11);
      String found = otherEnd < 0 ? "?" : pem.substring(other + 11, otherEnd);
      throw new IOException(
          source
              + " holds a PEM '"
              + found
              + "', expected '"
              + type
              + "' ("
              + (type.equals(PRIVATE) ? "unencrypted PKCS#8" : "X.509")
              + " Ed25519, as 'flink-lstm model keygen' writes)");
    }
    int to = pem.indexOf(end, from);
    if (to < 0) {
      throw new IOException(source + " has no '" + end + "' line");
    }
    try {
      // Strict base64 once line breaks are gone: the MIME decoder would skip stray characters.
      String body = pem.substring(from + begin.length(), to).replaceAll("\\s+", "");
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": the PEM body is not valid base64 (" + e.getMessage() + ")");
    }
  }

  private static void write(Path file, String pem, boolean overwrite, boolean secret)
      throws IOException {
    StandardOpenOption create =
        overwrite ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW;
    boolean posix =
        file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
    if (secret && posix) {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      if (!overwrite || Files.notExists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
      }
      Files.setPosixFilePermissions(file, ownerOnly);
      create = StandardOpenOption.CREATE;
    }
    Files.writeString(
        file,
        pem,
        StandardCharsets.US_ASCII,
        create,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }
}

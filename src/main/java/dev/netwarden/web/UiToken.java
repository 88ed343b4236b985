package dev.netwarden.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;

/**
 * The web UI's login token: 32 random bytes, base64url, in {@code DATA_DIR/ui-token} (mode 0600, so
 * only root — who can read the history anyway — can log in). Made at the daemon's first start and kept
 * across restarts, so a bookmarked login keeps working; delete the file to make a new one.
 */
public final class UiToken {
    public static final String FILE_NAME = "ui-token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String value;

    private UiToken(String value) {
        this.value = value;
    }

    public static Path fileIn(Path dataDir) {
        return Objects.requireNonNull(dataDir, "dataDir is null").resolve(FILE_NAME);
    }

    /** Reads the token of {@code dataDir}, creating it (0600) when there is none. */
    public static UiToken loadOrCreate(Path dataDir) throws IOException {
        Path file = fileIn(dataDir);
        Files.createDirectories(dataDir);
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)),
                    Sessions.randomToken() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException exists) {
            // kept across restarts
        }
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY); // someone widened it: the token is a password
        }
        return read(dataDir);
    }

    /**
     * Reads the token of {@code dataDir}.
     *
     * @throws IOException with a message saying what to do when there is no file or it is unreadable
     */
    public static UiToken read(Path dataDir) throws IOException {
        Path file = fileIn(dataDir);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("no UI token at " + file + ": the daemon creates it at its first start with the web UI"
                    + " enabled (web.enabled = true); is --data-dir the daemon's?");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read the UI token " + file + ": permission denied (it is root's only; run as root)");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("the UI token " + file + " is not text; delete it and restart the daemon to make a new one");
        }
        if (text.length() < 16 || !text.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            throw new IOException("the UI token " + file + " is malformed; delete it and restart the daemon to make a new one");
        }
        return new UiToken(text);
    }

    public String value() {
        return value;
    }

    /** Constant-time comparison with what a login sent. */
    public boolean matches(String offered) {
        return offered != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                offered.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "UiToken[hidden]";
    }
}

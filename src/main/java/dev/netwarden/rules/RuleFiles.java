package dev.netwarden.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules directory: one {@code ID.toml} per rule. Files whose names start with '.' or do not end
 * in ".toml" are ignored (editor backups, this class's temporary files). Writes are atomic (a
 * temporary file in the same directory, fsync, rename), so the engine's reload never sees half a rule.
 */
public final class RuleFiles {
    /** Where the daemon and the CLI look when {@code --rules-dir} is not given. */
    public static final Path DEFAULT_DIR = Path.of("/etc/netwarden/rules");

    private final Path dir;

    public RuleFiles(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir is null");
    }

    public Path dir() {
        return dir;
    }

    public Path pathOf(String id) {
        if (!Rule.validId(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a rule id (letters, digits, '.', '_', '-')");
        }
        return dir.resolve(id + ".toml");
    }

    /** The rule files now in the directory, sorted by name; empty when the directory does not exist. */
    public List<Path> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && n.endsWith(".toml") && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(null);
        return files;
    }

    /**
     * Every rule of the directory: the ones that parse, in evaluation order (with their files), and
     * everything wrong with the ones that do not. What {@code rules list} and the web UI show.
     */
    public record Loaded(RuleSet set, List<RuleFileError> errors) {
        public Loaded {
            Objects.requireNonNull(set, "set is null");
            errors = List.copyOf(errors);
        }
    }

    /** Reads every rule file now in the directory (see {@link Loaded}). */
    public Loaded load() throws IOException {
        List<Rule> rules = new ArrayList<>();
        java.util.Map<String, Path> sources = new java.util.LinkedHashMap<>();
        List<RuleFileError> errors = new ArrayList<>();
        for (Path p : list()) {
            switch (read(p)) {
                case RuleFileResult.Parsed parsed -> {
                    rules.add(parsed.rule());
                    sources.put(parsed.rule().id(), p);
                }
                case RuleFileResult.Invalid invalid -> errors.addAll(invalid.errors());
            }
        }
        return new Loaded(RuleSet.of(rules, sources), errors);
    }

    /** Reads and parses one file; an unreadable or oversized file is an {@link RuleFileResult.Invalid}. */
    public static RuleFileResult read(Path file) {
        try {
            long size = Files.size(file);
            if (size > RuleFileParser.MAX_BYTES) {
                return new RuleFileResult.Invalid(List.of(new RuleFileError(file.toString(), 0, "",
                        "file larger than " + RuleFileParser.MAX_BYTES + " bytes")));
            }
            return RuleFileParser.parse(file, new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new RuleFileResult.Invalid(List.of(new RuleFileError(file.toString(), 0, "", "cannot read: " + e)));
        }
    }

    /**
     * Writes {@code rule} to its file atomically.
     *
     * @param replace false: fail with FileAlreadyExistsException when the file exists
     */
    public Path write(Rule rule, boolean replace) throws IOException {
        return writeText(rule.id(), RuleFileWriter.write(rule), replace);
    }

    /** Writes rule-file text to {@code id}'s file atomically (text already checked by the caller). */
    public Path writeText(String id, String text, boolean replace) throws IOException {
        Path target = pathOf(id);
        Files.createDirectories(dir);
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "rule " + id + " exists (use --force to replace it)");
        }
        Path tmp = Files.createTempFile(dir, "." + id + ".", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            if (!replace) {
                // link() fails if the target appeared meanwhile: no overwrite race with another writer.
                Files.createLink(target, tmp);
                Files.delete(tmp);
            } else {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Removes {@code id}'s file; false when there was none. */
    public boolean delete(String id) throws IOException {
        return Files.deleteIfExists(pathOf(id));
    }
}

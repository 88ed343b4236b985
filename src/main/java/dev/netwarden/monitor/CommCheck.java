package dev.netwarden.monitor;

import dev.netwarden.process.ProcessInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Does a process's comm fit its executable? At exec the kernel sets comm to the first 15 bytes of
 * the file name <em>passed to execve</em> — not of the resolved executable — and a program may
 * change it later (prctl PR_SET_NAME on its main thread). So a comm matches when it is a prefix of
 * one of:
 * <ol>
 * <li>the executable's file name (covers truncation: "systemd-journal" for systemd-journald, and
 *     versioned names: "python3" for python3.12);
 * <li>the name of a symlink in a system command directory (/usr/local/sbin … /bin) that resolves to
 *     the executable: "sh" → dash, "vi" → vim.basic, busybox applets. Only root can plant those, so
 *     the rule is not attacker-controlled; checked only when rule 1 fails, and cached;
 * <li>for a script interpreter (python, perl, ruby, node, php, lua, sh, bash, dash, zsh, ksh …), the
 *     file name of one of its first two arguments: a {@code #!} script gets the script's name as comm.
 * </ol>
 * argv[0] is deliberately not trusted: any caller of execve chooses it, as freely as comm itself.
 *
 * <p>Known false positives, documented for the alert: programs that name their main thread
 * (libuv's process.title in node, some daemons' worker titles, Firefox's content processes), and
 * interpreters started with more than one option before the script. Each alert is raised once per
 * executable per daemon run, which bounds the noise.
 */
public final class CommCheck {
    private static final Pattern INTERPRETER = Pattern.compile(
            "(python|pypy|perl|ruby|node|nodejs|php|lua|luajit|tclsh|wish|bash|sh|dash|zsh|ksh|mksh|busybox|guile|Rscript)[0-9.]*");
    private static final int MAX_CACHE = 4096;

    private final List<Path> commandDirs;
    private final Map<String, Boolean> symlinkCache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_CACHE;
        }
    };

    /** The system command directories. */
    public CommCheck() {
        this(List.of(Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin"),
                Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/bin")));
    }

    public CommCheck(List<Path> commandDirs) {
        this.commandDirs = List.copyOf(Objects.requireNonNull(commandDirs, "commandDirs is null"));
    }

    /** True when the comm fits (or there is nothing to compare: no comm or no executable). */
    public synchronized boolean matches(ProcessInfo info) {
        String comm = info.comm();
        String exe = info.exe();
        if (comm == null || comm.isEmpty() || exe == null || exe.isEmpty()) {
            return true;
        }
        // A 15-byte cut may split a UTF-8 character: compare only the whole characters before it.
        String prefix = stripBrokenTail(comm);
        String exeName = fileName(exe);
        if (isPrefix(prefix, exeName)) {
            return true;
        }
        if (INTERPRETER.matcher(exeName).matches()) {
            List<String> args = info.cmdline();
            for (int i = 1; i < Math.min(3, args.size()); i++) {
                if (!args.get(i).startsWith("-") && isPrefix(prefix, fileName(args.get(i)))) {
                    return true;
                }
            }
        }
        return symlinkTo(comm, exe);
    }

    private boolean symlinkTo(String comm, String exe) {
        if (comm.indexOf('/') >= 0 || comm.equals(".") || comm.equals("..") || comm.indexOf('\0') >= 0) {
            return false;
        }
        String key = comm + '\0' + exe;
        Boolean cached = symlinkCache.get(key);
        if (cached != null) {
            return cached;
        }
        boolean found = false;
        for (Path dir : commandDirs) {
            try {
                Path candidate = dir.resolve(comm);
                if (Files.isSymbolicLink(candidate) && candidate.toRealPath().toString().equals(exe)) {
                    found = true;
                    break;
                }
            } catch (IOException | InvalidPathException | SecurityException e) {
                // not there, or unreadable: not a match
            }
        }
        symlinkCache.put(key, found);
        return found;
    }

    private static boolean isPrefix(String comm, String name) {
        if (comm.isEmpty()) {
            return false;
        }
        return name.startsWith(comm);
    }

    private static String stripBrokenTail(String comm) {
        int end = comm.length();
        while (end > 0 && comm.charAt(end - 1) == '\uFFFD') {
            end--;
        }
        return end == comm.length() ? comm : comm.substring(0, end);
    }

    static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}

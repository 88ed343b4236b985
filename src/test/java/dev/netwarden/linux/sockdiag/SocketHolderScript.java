package dev.netwarden.linux.sockdiag;

import dev.netwarden.testing.TestNamespace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs socket_holder.py (known TCP/UDP/UNIX sockets) inside a test namespace. */
final class SocketHolderScript {
    private SocketHolderScript() {
    }

    /**
     * Starts socket_holder.py in the namespace and waits (bounded) for its "ready" line; returns the
     * key=value lines it printed. Its stdin stays open: it lives until the namespace is closed.
     */
    static Map<String, String> start(TestNamespace ns, String unixPath, String abstractName) throws IOException {
        Path script = Files.createTempFile("nw-socket-holder", ".py");
        try (InputStream in = SocketHolderScript.class.getResourceAsStream("socket_holder.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = ns.start(List.of("python3", script.toString(), unixPath, abstractName, "120"));
        Map<String, String> values = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int lines = 0; lines < 100 && System.nanoTime() < deadline; lines++) {
            String line = reader.readLine();
            if (line == null) {
                throw new IOException("socket holder exited early");
            }
            if (line.equals("ready")) {
                Files.deleteIfExists(script);
                return values;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        throw new IOException("socket holder not ready in time");
    }

}

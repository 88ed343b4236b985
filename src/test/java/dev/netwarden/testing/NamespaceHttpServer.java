package dev.netwarden.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A static HTTP server ({@code python3 -m http.server}) inside a test namespace, serving one
 * {@code index.html} ("hello") for curl and the other clients the end-to-end tests watch the daemon
 * see, hold and decide. Why a class: several ITs need a real TCP peer in their namespace and must
 * not race it: {@link #start} returns only once the server listens. It stops with the namespace
 * ({@link TestNamespace#close()}).
 */
public final class NamespaceHttpServer {
    public static final String PYTHON = "/usr/bin/python3";

    private NamespaceHttpServer() {
    }

    /**
     * Writes {@code www/index.html} and serves {@code www} on {@code address:port} in {@code ns}
     * (its request log goes nowhere: the tests look at what the clients got), waiting at most 20 s
     * until it listens.
     */
    public static Process start(TestNamespace ns, Path www, String address, int port) throws IOException, InterruptedException {
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), "hello\n");
        Process server = ns.start("sh", "-c", "exec " + PYTHON + " -m http.server --bind " + address + " --directory " + www
                + " " + port + " >/dev/null 2>&1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (ns.exec(10, "sh", "-c", "ss -Htln 'sport = :" + port + "' | wc -l").strip().equals("1")) {
                return server;
            }
            if (!server.isAlive()) {
                throw new AssertionError("the http server on " + address + ":" + port + " exited with " + server.exitValue());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the http server on " + address + ":" + port + " did not listen within 20 s");
    }
}

package dev.netwarden.web;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the web server listens.
 *
 * @param address              the address to bind (127.0.0.1 by default: reach it from elsewhere through an SSH tunnel)
 * @param port                 the TCP port; 0 picks a free one (tests)
 * @param tlsKeystore          a PKCS#12 keystore with the server's key and certificate: HTTPS; null for HTTP
 * @param tlsKeystorePasswordFile a file whose first line is the keystore's password (null: empty password)
 * @param resourceRoot         the class-path directory of the pages ("web"; tests use their own)
 */
public record WebOptions(String address, int port, Path tlsKeystore, Path tlsKeystorePasswordFile, String resourceRoot) {
    public WebOptions {
        Objects.requireNonNull(address, "address is null");
        Objects.requireNonNull(resourceRoot, "resourceRoot is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
    }

    public boolean https() {
        return tlsKeystore != null;
    }
}

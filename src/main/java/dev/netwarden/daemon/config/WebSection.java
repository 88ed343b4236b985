package dev.netwarden.daemon.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code [web]}: the web UI and its local API (docs/web.md).
 *
 * @param enabled                 serve the UI; false starts no server and opens no port
 * @param address                 the address to listen on; the default 127.0.0.1 keeps it on this machine
 *                                (reach it from elsewhere through {@code ssh -L 7979:127.0.0.1:7979 host})
 * @param port                    the TCP port
 * @param tlsKeystore             a PKCS#12 keystore (key and certificate) to serve HTTPS; "" (null) serves HTTP
 * @param tlsKeystorePasswordFile a file whose first line is the keystore's password; "" (null) means an empty password
 */
public record WebSection(boolean enabled, String address, int port, Path tlsKeystore, Path tlsKeystorePasswordFile) {
    public WebSection {
        Objects.requireNonNull(address, "address is null");
    }
}

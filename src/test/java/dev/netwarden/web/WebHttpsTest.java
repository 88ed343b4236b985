package dev.netwarden.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS with a PKCS#12 keystore made by keytool, as docs/web.md shows; the cookie is then Secure. */
class WebHttpsTest {
    @TempDir
    Path tmp;

    @Test
    void servesHttpsWithTheKeystoreAndSecureCookies() throws Exception {
        Path keystore = tmp.resolve("web.p12");
        Path password = tmp.resolve("web.pass");
        Files.writeString(password, "s3cret-pass\n");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "netwarden", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass:file", password.toString())
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();

        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            p12.load(in, "s3cret-pass".toCharArray());
        }
        Certificate cert = p12.getCertificate("netwarden");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("netwarden", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        WebFixture plain = new WebFixture(tmp.resolve("plain")); // for its real parts
        plain.server.close();
        WebServer server = new WebServer(plain.new Parts(), new WebOptions("127.0.0.1", 0, keystore, password, "webtest"));
        try {
            server.start();
            assertThat(server.url()).startsWith("https://127.0.0.1:");
            HttpClient http = HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String base = "https://127.0.0.1:" + server.port();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            String token = UiToken.read(plain.dataDir).value();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                    .header("Content-Type", "application/json").header("Origin", base)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie").orElse("")).contains("Secure", "HttpOnly", "SameSite=Strict");
            // An http:// Origin is not this server's origin any more.
            HttpResponse<String> wrongScheme = http.send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                    .header("Origin", "http://127.0.0.1:" + server.port()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongScheme.statusCode()).isEqualTo(403);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        } finally {
            server.close();
            plain.close();
        }
        assertThat(List.of(keystore, password)).allMatch(Files::exists);
    }
}
